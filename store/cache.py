"""An in-process cache of committed series, safe because committed versions never change.

A read first takes the active pointers (one statement: the consistent snapshot), then the
values of each ``(version, indicator, level)`` series from this cache or the database. The
values of a committed version are immutable, so a cached copy can never be stale; the key
also holds the store's random ``store_id`` so that a store re-created at the same URL does not
reuse another store's entries. The cache is bounded (``RBK_STORE_CACHE_VALUES`` values,
default 5,000,000, least recently used dropped first; 0 disables it).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SeriesData:
    """All values of one stored series, sorted by year then region code."""

    codes: np.ndarray  # object array of str
    years: np.ndarray  # int64
    values: np.ndarray  # float64
    flags: np.ndarray  # bool: illustrative
    ids: np.ndarray  # int64: region_ids(codes), for fast alignment

    def __len__(self) -> int:
        return len(self.values)


_ENTRIES: OrderedDict[tuple, SeriesData] = OrderedDict()
_REGION_ID: dict[str, int] = {}
_REGION_NAME: list[str] = []
_SIZE = 0
_LOCK = threading.Lock()


def region_ids(codes) -> np.ndarray:
    """Small integers standing for region codes (stable within the process)."""
    with _LOCK:
        out = np.empty(len(codes), dtype=np.int64)
        for i, code in enumerate(codes):
            rid = _REGION_ID.get(code)
            if rid is None:
                rid = _REGION_ID[code] = len(_REGION_NAME)
                _REGION_NAME.append(code)
            out[i] = rid
        return out


def region_names(ids: np.ndarray) -> np.ndarray:
    """The codes behind :func:`region_ids` (object array)."""
    names = np.array(_REGION_NAME, dtype=object)
    return names[ids] if len(ids) else np.empty(0, dtype=object)


def limit() -> int:
    """Most values kept (``RBK_STORE_CACHE_VALUES``)."""
    try:
        return max(0, int(os.environ.get("RBK_STORE_CACHE_VALUES", "5000000")))
    except ValueError:
        return 5_000_000


def get(key: tuple) -> SeriesData | None:
    with _LOCK:
        data = _ENTRIES.get(key)
        if data is not None:
            _ENTRIES.move_to_end(key)
        return data


def put(key: tuple, data: SeriesData) -> None:
    global _SIZE
    cap = limit()
    if len(data) > cap:
        return
    with _LOCK:
        if key in _ENTRIES:
            return
        _ENTRIES[key] = data
        _SIZE += len(data)
        while _SIZE > cap and _ENTRIES:
            _, old = _ENTRIES.popitem(last=False)
            _SIZE -= len(old)


def clear() -> None:
    """Drop every entry (``store.dispose_all`` calls this)."""
    global _SIZE
    with _LOCK:
        _ENTRIES.clear()
        _SIZE = 0


def size() -> int:
    """Values currently held."""
    return _SIZE
