"""The one cache policy of the dashboard: ``st.cache_data`` keyed by the data's stamp.

Every cached function of the data wing is decorated with :func:`versioned`. Its entries are
keyed by the call's arguments **and** by :func:`stamp`, which digests the store's active
versions and catalogue (:func:`store.stamp`) and the geography build. A commit or rollback made
by any process, the dashboard or the command line, on this replica or another, changes the
stamp, so the next rerun of every session computes from the new data; nothing expires by time.
Entries are shared by every session of the process.

The stamp itself is read from the store at most once per :data:`STAMP_INTERVAL` seconds per
process (one indexed read, about 0.5 ms), so a page that calls fifty cached functions reads it
once, and a change is seen within that interval.
"""

from __future__ import annotations

import functools
import threading
import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

import regions
import settings
import store

#: Seconds during which one read of the stamp serves every call of the process.
STAMP_INTERVAL = 1.0

#: Entries kept per cached function (least recently used dropped first).
MAX_ENTRIES = 256


class DataUnavailable(RuntimeError):
    """The data a page needs is not built, not loaded or not reachable.

    ``key`` names the i18n message a page shows instead of a traceback: :attr:`KEY` (not
    built, or empty), or :attr:`UNREACHABLE` (a server store that is down).
    """

    KEY = "common.error.no_data"
    UNREACHABLE = "common.error.store_unreachable"

    def __init__(self, detail: str, key: str = KEY):
        super().__init__(detail)
        self.key = key


_lock = threading.Lock()
_last: tuple[float, str] | None = None


def _geo_stamp() -> str:
    try:
        return str(settings.GEO_DIR.stat().st_mtime_ns)
    except FileNotFoundError:
        return "no-geo"


def stamp() -> str:
    """The stamp of the data every page shows: the store's and the geography build's.

    Raises
    ------
    DataUnavailable
        When the store cannot be opened or read.
    """
    global _last
    now = time.monotonic()
    with _lock:
        if _last is not None and now - _last[0] < STAMP_INTERVAL:
            return _last[1]
    value = f"{guarded(store.stamp)}|{_geo_stamp()}"
    with _lock:
        _last = (now, value)
    return value


def forget_stamp() -> None:
    """Read the stamp again on the next call (after this process committed or rolled back)."""
    global _last
    with _lock:
        _last = None


def guarded(fn, *args, **kwargs):
    """Call ``fn``; a missing build, an unreachable or empty store becomes
    :class:`DataUnavailable` (with the message key that says which). Programming errors are
    not masked."""
    try:
        return fn(*args, **kwargs)
    except DataUnavailable:
        raise
    except (FileNotFoundError, regions.GeographyMissing) as exc:
        raise DataUnavailable(f"{type(exc).__name__}: {exc}") from exc
    except (store.StoreError, SQLAlchemyError) as exc:
        # A PostgreSQL store that is down: say so (not "run make data"); the next run after it
        # is back reads it again, without a restart (nothing failed is cached).
        key = DataUnavailable.UNREACHABLE if store.unreachable(exc) else DataUnavailable.KEY
        raise DataUnavailable(f"{type(exc).__name__}: {exc}", key) from exc


def versioned(fn=None, *, max_entries: int = MAX_ENTRIES):
    """Cache ``fn`` with ``st.cache_data``, keyed by :func:`stamp` and the arguments.

    The decorated function keeps its signature; ``.clear()`` drops its entries. Results are
    copies (``st.cache_data`` pickles), so callers may modify what they get.
    """

    def decorate(fn):
        def computed(data_stamp: str, args: tuple, kwargs: dict):
            return guarded(fn, *args, **kwargs)

        # st.cache_data tells functions apart by module and qualified name.
        computed.__module__ = fn.__module__
        computed.__qualname__ = f"{fn.__qualname__}[versioned]"
        cached = st.cache_data(show_spinner=False, max_entries=max_entries)(computed)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return cached(stamp(), args, kwargs)

        wrapper.clear = cached.clear
        return wrapper

    return decorate(fn) if fn is not None else decorate
