"""The data wing of the analysts' sign-in: the lockout kept in the store (:mod:`store.signin`).

Not cached: every call reads or writes the store, so a lock set by any session, process or
replica holds in every other one. A store that cannot be used refuses the sign-in (status
``unavailable``): no lockout could be enforced, so nobody signs in.

The page hands :func:`attempt` to :func:`ui.auth.sign_in_form` (``ui.auth`` itself stays free
of the data wing, so that ``python -m ui.auth hash`` needs no store).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import store


@dataclass(frozen=True)
class Outcome:
    """What one sign-in attempt came to.

    ``status``: ``ok`` (``analyst`` is who signed in), ``failed`` (wrong name or password),
    ``locked`` (refused before the password was checked) or ``unavailable`` (the store cannot
    be used). ``minutes``: how long the account or address is locked now (0: not locked).
    """

    status: str
    minutes: int = 0
    analyst: Any = None


def _minutes(seconds: float) -> int:
    return math.ceil(seconds / 60) if seconds > 0 else 0


def attempt(account: str, address: str | None, check: Callable[[], Any]) -> Outcome:
    """One sign-in of ``account`` from ``address``; ``check()`` verifies the password and
    returns the analyst or None. It is not called while the account or address is locked.
    Every attempt is recorded in the store (failures count towards the lock; audit log)."""
    try:
        with store.guard(write=True):
            wait = store.signin.seconds_locked(account, address)
            if wait > 0:
                store.signin.record_refused(account, address, wait)
                return Outcome("locked", _minutes(wait))
            found = check()
            if found is None:
                wait = store.signin.record_failure(account, address)
                return Outcome("failed", _minutes(wait))
            store.signin.record_success(account, address)
            return Outcome("ok", analyst=found)
    except store.StoreError:
        return Outcome("unavailable")
