"""Data for Data & Metode: the manifest's files, the loaded series and the dataset versions.

The manifest's files are :func:`ui.data.base.manifest_records` (the only reader); what the store holds
comes from ``store.available()`` and ``store.versions()``, cached per data stamp (a commit or
rollback changes the stamp, so the page never shows a stale version list).
"""

from __future__ import annotations

import pandas as pd

import store

from .cache import versioned

__all__ = ["available_series", "versions"]


@versioned
def available_series() -> pd.DataFrame:
    """``store.available()`` at every level: ``indicator``, ``level``, ``years``,
    ``n_regions``, ``illustrative``, ``all_illustrative`` (what is loaded)."""
    return store.available()


@versioned
def versions() -> pd.DataFrame:
    """``store.versions()``: every committed dataset version, newest first."""
    return store.versions()
