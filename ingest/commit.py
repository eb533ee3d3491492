"""Committing validated values through the store, and the preview against the active version.

The store does the transaction (all-or-nothing, readers see the old or the new version; see
:func:`store.commit` for what is inside it). An
upload is stored in ``merge`` mode: the new version holds the uploaded values plus the active
values of the other years and regions of the same series, so uploading 2024 does not erase
2023. Regions missing from the file keep what they had (they are never set to 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import store
from ingest.specs import Result

#: Dataset under which analysts' uploads are versioned.
DEFAULT_DATASET = "unggah_analis"


@dataclass(frozen=True)
class Preview:
    """What a commit would change against the active version.

    Attributes
    ----------
    table : DataFrame
        One row per uploaded value: ``region_code``, ``indicator``, ``year``, ``value``,
        ``old``, ``change``, ``status`` (``added``/``changed``/``unchanged``), largest change first.
    counts : dict
        Number of rows per status.
    """

    table: pd.DataFrame
    counts: dict

    def largest(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` largest absolute changes (status ``changed``)."""
        changed = self.table[self.table["status"] == "changed"]
        return changed.reindex(changed["change"].abs().sort_values(ascending=False).index).head(n)


def preview(result: Result, url: str | None = None) -> Preview:
    """Compare the accepted values of ``result`` with the store's active values."""
    frame = result.store_frame()
    if frame.empty:
        empty = pd.DataFrame(columns=["region_code", "indicator", "year", "value", "old", "change", "status"])
        return Preview(empty, {"added": 0, "changed": 0, "unchanged": 0})
    table = store.diff(frame, url=url)
    counts = {s: int((table["status"] == s).sum()) for s in ("added", "changed", "unchanged")}
    return Preview(table, counts)


def commit(
    result: Result,
    *,
    actor: str,
    dataset: str = DEFAULT_DATASET,
    note: str = "",
    new_indicators=(),
    url: str | None = None,
):
    """Store the accepted values of ``result`` as one new version (all-or-nothing).

    ``new_indicators`` (``store.Indicator`` entries the values need) are added to the
    catalogue in the same transaction: a refused commit leaves none of them behind.

    Returns
    -------
    store.CommitResult

    Raises
    ------
    ValueError
        When the result is rejected or holds no catalogue values (nothing is stored).
    store.StoreBusyError, store.StoreValidationError
        From the store; nothing is stored.
    """
    if not result.accepted:
        raise ValueError("a rejected file cannot be committed")
    frame = result.store_frame()
    if frame.empty:
        raise ValueError("no catalogue values to store")
    name = result.meta.get("filename") or "upload"
    source = f"{name} (sha256 {result.meta.get('sha256', '')[:16]})"
    return store.commit(frame, dataset=dataset, actor=actor, note=note, source=source,
                        illustrative=False, mode="merge", title="Unggahan analis / Analyst uploads",
                        new_indicators=new_indicators, url=url)
