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

Entries a session is likely to ask for next can be computed ahead, while the process is idle
(:func:`warm`, :class:`Warmer`): Peta and Beranda submit what a change to each other
indicator will ask for (:mod:`ui.warming`), so the change finds it computed. ``dashboard.py`` brackets every script run with
:meth:`Warmer.running`; nothing is warmed while a run lasts.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import logging
import threading
import time

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from streamlit import config, runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

import regions
import settings
import store

#: Seconds during which one read of the stamp serves every call of the process.
STAMP_INTERVAL = 1.0

#: Entries kept per cached function (least recently used dropped first).
MAX_ENTRIES = 256

_log = logging.getLogger("rbk")


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


# --------------------------------------------------------------------------- idle-time warming

#: Seconds without a script run before the warmer computes its next entry.
IDLE_AFTER = 0.3

#: Items of one kind (a key's first element, e.g. "peta") warmed per data stamp at most: half
#: a cached function's entries, so what the warmer adds (e.g. 40 maps for each view someone
#: opened) never pushes out most of what sessions asked for themselves.
WARM_BUDGET = MAX_ENTRIES // 2


class Warmer:
    """Computes cache entries that sessions are likely to ask for next, while no script runs.

    A page submits work (:meth:`submit`: a key and a function that calls cached functions,
    e.g. the map of each indicator the sidebar offers); one daemon thread runs it, one item
    at a time, only after :data:`IDLE_AFTER` seconds in which no script has run
    (:meth:`running` brackets each run), so a warm-up never makes a user wait for more than
    the item it is computing. Each key is done once per data :func:`stamp`, and at most
    ``budget`` keys of each kind (``key[0]`` of a tuple key) per stamp: the first submitted,
    from the views most sessions open. The entries land in the same caches as a session's own
    calls, keyed by the stamp they were computed under.
    """

    def __init__(self, idle_after: float = IDLE_AFTER, budget: int = WARM_BUDGET):
        self.idle_after = idle_after
        self.budget = budget
        self._cond = threading.Condition()
        self._running = 0
        self._quiet_since = time.monotonic()
        self._queue: dict = {}  # (stamp, key) -> fn, in the order submitted
        self._stamp: str | None = None
        self._done: set = set()  # keys done under self._stamp
        self._spent: collections.Counter = collections.Counter()  # keys taken, by kind
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def running(self):
        """Bracket one script run: nothing is warmed while it lasts."""
        with self._cond:
            self._running += 1
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                self._quiet_since = time.monotonic()
                self._cond.notify_all()

    def submit(self, key, fn) -> None:
        """Run ``fn()`` when the process is idle, unless ``key`` is done or queued under the
        current stamp. ``fn``'s errors are logged, never raised."""
        try:
            item = (stamp(), key)
        except DataUnavailable:
            return
        with self._cond:
            if item[0] != self._stamp:  # the data changed: what was done is to do again
                self._stamp = item[0]
                self._done.clear()
                self._spent.clear()
                self._queue = {i: f for i, f in self._queue.items() if i[0] == self._stamp}
            if key in self._done or item in self._queue:
                return
            kind = key[0] if isinstance(key, tuple) and key else None
            if self._spent[kind] >= self.budget:
                return
            self._spent[kind] += 1
            self._queue[item] = fn
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="rbk-warmer", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def pending(self) -> int:
        """Items submitted and not yet done."""
        with self._cond:
            return len(self._queue)

    def _next(self):
        with self._cond:
            while True:
                wait = self.idle_after - (time.monotonic() - self._quiet_since)
                if not self._queue or self._running:
                    self._cond.wait()
                elif wait > 0:
                    self._cond.wait(wait)
                else:
                    item = next(iter(self._queue))
                    return item, self._queue[item]

    def _loop(self) -> None:
        while True:
            item, fn = self._next()
            try:
                fn()
            except DataUnavailable as exc:
                _log.info("warming %r skipped: %s", item[1], exc)
            except Exception:
                _log.exception("warming %r failed", item[1])
            with self._cond:
                self._queue.pop(item, None)
                if item[0] == self._stamp:
                    self._done.add(item[1])


#: The process's warmer; :func:`warm` submits to it.
warmer = Warmer()


def warm(key, fn) -> None:
    """Compute ``fn()`` (calls of cached functions) while the server is idle
    (:class:`Warmer`). Only from a script run of a Streamlit server: a test's in-process run
    (AppTest, a plain call, even in a process where some test made a Runtime) computes
    nothing in the background."""
    if (
        runtime.exists()
        and get_script_run_ctx(suppress_warning=True) is not None
        and not config.get_option("global.appTest")
    ):
        warmer.submit(key, fn)
