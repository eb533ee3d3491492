"""Sign-in lockout kept in the store: per account name and per client address.

A lock holds for every browser session, every process and every replica that uses the store,
and survives a restart, because the failures are rows of the store (``signin_failures``,
schema version 3), not session state. The rule (:class:`Policy`, set by environment
variables): when a failed sign-in makes ``max_failures`` failures of the same account name
(or from the same client address) within ``window`` seconds, that account (or address) is
locked for ``lock`` seconds from that failure. Attempts while locked are refused without
checking the password and do not extend the lock. A successful sign-in clears the failures of
its account (not those of its address). Every attempt is in the audit log (action
``sign_in``, status ``ok``, ``failed``, ``locked`` = refused while locked; ``detail`` holds the
address and, for a failure that starts a lock, the seconds locked).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass

from sqlalchemy import delete, select

from . import audit, schema
from .engine import get_engine, read_connection, write_transaction

#: Client address used when the dashboard cannot tell one (a local connection).
LOCAL = "local"
_KEY_CHARS = 256


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Policy:
    """``max_failures`` failures within ``window`` seconds lock for ``lock`` seconds."""

    max_failures: int = 5
    window: float = 900.0
    lock: float = 900.0

    @classmethod
    def from_env(cls) -> Policy:
        """The policy of ``RBK_SIGNIN_MAX_FAILURES`` (5), ``RBK_SIGNIN_WINDOW_SECONDS`` (900)
        and ``RBK_SIGNIN_LOCK_SECONDS`` (900); a missing or invalid value keeps the default."""
        return cls(
            max_failures=int(_env_number("RBK_SIGNIN_MAX_FAILURES", cls.max_failures)),
            window=_env_number("RBK_SIGNIN_WINDOW_SECONDS", cls.window),
            lock=_env_number("RBK_SIGNIN_LOCK_SECONDS", cls.lock),
        )


def _keys(account: str, address: str | None) -> dict[str, str]:
    """The two keys a sign-in is counted under (the account name case-folded)."""
    return {
        "account": (account or "").strip().casefold()[:_KEY_CHARS],
        "address": (address or LOCAL).strip()[:_KEY_CHARS] or LOCAL,
    }


def locked_until(times: list[float], policy: Policy) -> float:
    """When the lock that ``times`` (failure times of one key) started ends (0: none).

    Examples
    --------
    >>> p = Policy(max_failures=3, window=60, lock=100)
    >>> locked_until([0, 10, 20], p)          # the third failure within 60 s locks
    120
    >>> locked_until([0, 50, 100, 170], p)    # never 3 within 60 s
    0
    """
    times = sorted(times)
    n = policy.max_failures
    until = 0
    for i in range(n - 1, len(times)):
        if times[i] - times[i - n + 1] < policy.window:
            until = max(until, times[i] + policy.lock)
    return until


def _seconds_locked(conn, keys: dict[str, str], now: float, policy: Policy) -> float:
    f = schema.signin_failures
    since = now - policy.window - policy.lock
    remaining = 0.0
    for kind, key in keys.items():
        times = conn.execute(
            select(f.c.at).where(f.c.kind == kind, f.c.key == key, f.c.at > since)
        ).scalars().all()
        remaining = max(remaining, locked_until(list(times), policy) - now)
    return max(remaining, 0.0)


def seconds_locked(account: str, address: str | None, *, now: float | None = None,
                   policy: Policy | None = None, url: str | None = None) -> float:
    """Seconds until ``account`` and ``address`` may try again (0: they may now)."""
    now = time.time() if now is None else now
    policy = policy or Policy.from_env()
    with read_connection(get_engine(url)) as conn:
        return _seconds_locked(conn, _keys(account, address), now, policy)


def _audit(conn, account: str, status: str, detail: dict, now: float) -> None:
    conn.execute(
        schema.audit.insert().values(
            at=audit.now(), actor=(account or "").strip()[:128] or "?", action="sign_in",
            dataset=None, version_id=None, status=status,
            detail=json.dumps(detail | {"at_epoch": round(now, 3)}, ensure_ascii=False),
        )
    )


def record_failure(account: str, address: str | None, *, now: float | None = None,
                   policy: Policy | None = None, url: str | None = None) -> float:
    """Record a wrong password for ``account`` from ``address`` (one transaction, audited).

    Returns
    -------
    float
        Seconds the account or address is locked now (0 when this failure locks nothing).
    """
    now = time.time() if now is None else now
    policy = policy or Policy.from_env()
    keys = _keys(account, address)
    f = schema.signin_failures
    with write_transaction(get_engine(url)) as conn:
        conn.execute(f.delete().where(f.c.at < now - policy.window - policy.lock))
        conn.execute(f.insert(), [{"kind": k, "key": v, "at": now} for k, v in keys.items()])
        locked = _seconds_locked(conn, keys, now, policy)
        detail = {"address": keys["address"]}
        if locked > 0:
            detail["locked_seconds"] = round(locked)
        _audit(conn, account, "failed", detail, now)
    return locked


def record_refused(account: str, address: str | None, seconds: float, *,
                   now: float | None = None, url: str | None = None) -> None:
    """Audit an attempt refused because ``account`` or ``address`` is locked."""
    now = time.time() if now is None else now
    with write_transaction(get_engine(url)) as conn:
        _audit(conn, account, "locked", {"address": _keys(account, address)["address"],
                                         "locked_seconds": round(seconds)}, now)


def record_success(account: str, address: str | None, *, now: float | None = None,
                   url: str | None = None) -> None:
    """Audit a successful sign-in and clear the failures of its account."""
    now = time.time() if now is None else now
    keys = _keys(account, address)
    f = schema.signin_failures
    with write_transaction(get_engine(url)) as conn:
        conn.execute(delete(f).where(f.c.kind == "account", f.c.key == keys["account"]))
        _audit(conn, account, "ok", {"address": keys["address"]}, now)
