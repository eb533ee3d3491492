"""Whether the store can be used: located errors for a store that cannot be opened, read or
written, an integrity check, and reading back what a commit stored.

A store file that is read-only, truncated or overwritten makes the driver raise its own
exceptions (``sqlite3.OperationalError: attempt to write a readonly database``, ``file is not
a database``, ``database disk image is malformed``). :func:`guard` turns them into
:class:`StoreUnavailable`, a :class:`~store.StoreError` whose message names the store and the
driver's reason in the user's language, so that no caller mistakes a broken store for an
empty catalogue or a failed write for a success.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, SQLAlchemyError

import settings

from . import schema
from .engine import StoreError, get_engine, is_sqlite, read_connection


class StoreUnavailable(StoreError):
    """The store cannot be opened or read (``unavailable``), written (``unwritable``), or
    fails its integrity check (``damaged``); ``params["store"]`` says which store."""


def location(url: str | None = None) -> str:
    """Where the store is, for a message: the file of a SQLite store, else the URL without
    its password.

    Examples
    --------
    >>> location("sqlite:///file:/srv/rbk.sqlite?mode=ro&uri=true")
    '/srv/rbk.sqlite'
    >>> location("postgresql://rbk:secret@db/rbk")
    'postgresql://rbk:***@db/rbk'
    """
    url = url or settings.database_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "?"
    if parsed.get_backend_name() == "sqlite":
        return (parsed.database or ":memory:").removeprefix("file:")
    return parsed.render_as_string(hide_password=True)


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says a server store (PostgreSQL) could not be reached: it is down,
    refused the connection or dropped it. A SQLite file is never "unreachable" (it is missing,
    unreadable or damaged, which say other things).

    Examples
    --------
    >>> import sqlite3
    >>> unreachable(OperationalError("SELECT 1", {}, ConnectionRefusedError("refused")))
    True
    >>> unreachable(OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such table")))
    False
    """
    cause = exc.__cause__ if isinstance(exc, StoreUnavailable) else exc
    if not isinstance(cause, (OperationalError, InterfaceError)):
        return False
    return not type(getattr(cause, "orig", None)).__module__.startswith("sqlite3")


def _reason(exc: BaseException) -> str:
    """The driver's own words (first line, at most 200 characters)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


@contextmanager
def guard(url: str | None = None, *, write: bool = False):
    """Run a block of store calls; a driver or file error becomes :class:`StoreUnavailable`.

    ``write=True`` marks the block as a write (code ``unwritable``), else ``unavailable``.
    Errors of the store itself (:class:`~store.StoreError`: busy, refused values) pass
    unchanged.
    """
    try:
        yield
    except StoreError:
        raise
    except (SQLAlchemyError, OSError) as exc:
        code = "unwritable" if write else "unavailable"
        raise StoreUnavailable(code, store=location(url), reason=_reason(exc)) from exc


def check(url: str | None = None) -> None:
    """Open the store and check its integrity (SQLite ``PRAGMA quick_check``, ~0.1 s for the
    built store); raise :class:`StoreUnavailable` when it cannot be used.

    Raises
    ------
    StoreUnavailable
        ``unavailable`` (cannot be opened or read) or ``damaged`` (integrity check failed).
    """
    with guard(url):
        engine = get_engine(url)
        with read_connection(engine) as conn:
            if is_sqlite(engine):
                found = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").all()]
            else:
                conn.execute(select(func.count()).select_from(schema.meta)).scalar_one()
                found = ["ok"]
    if found != ["ok"]:
        raise StoreUnavailable("damaged", store=location(url), reason=str(found[0])[:200])


def stored_rows(version_id: int, url: str | None = None) -> int:
    """How many values of version ``version_id`` the database holds (read back, no cache)."""
    with guard(url), read_connection(get_engine(url)) as conn:
        return conn.execute(
            select(func.count())
            .select_from(schema.values)
            .where(schema.values.c.version_id == version_id)
        ).scalar_one()
