"""Figures published for the province as a whole (BPS, Dukcapil, BIG), with their sources.

The bottom layer beside :mod:`settings`: the project's own cited copy of these facts lives in
``data/reference/provinsi_bps.toml``; every page that shows the province shows these figures
with their period and source, and labels anything it computes itself as computed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pandas as pd

import settings

#: The committed reference table.
REFERENCE = settings.ROOT / "data" / "reference" / "provinsi_bps.toml"

COLUMNS = ["indicator", "period", "year", "month", "value", "unit", "what", "source"]


class PublishedError(ValueError):
    """The reference table is malformed; the message names the entry."""


def _period(text: str, where: str) -> tuple[int, int | None]:
    parts = str(text).split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
    except ValueError as exc:
        raise PublishedError(f"{where}: period {text!r} is not YYYY or YYYY-MM") from exc
    if month is not None and not 1 <= month <= 12:
        raise PublishedError(f"{where}: period {text!r} has no month {month}")
    return year, month


def read(path: Path | None = None) -> pd.DataFrame:
    """Every published figure: ``indicator``, ``period``, ``year``, ``month`` (or None),
    ``value``, ``unit``, ``what``, ``source``.

    Raises
    ------
    PublishedError
        When an entry misses a field or has a malformed period.
    """
    path = Path(path or REFERENCE)
    with path.open("rb") as fh:
        entries = tomllib.load(fh).get("figure", [])
    rows = []
    for i, entry in enumerate(entries, start=1):
        where = f"{path.name}, [[figure]] #{i}"
        missing = [k for k in ("indicator", "period", "value", "unit", "what", "source") if k not in entry]
        if missing:
            raise PublishedError(f"{where}: missing {missing}")
        year, month = _period(entry["period"], where)
        rows.append({**entry, "year": year, "month": month, "value": float(entry["value"])})
    return pd.DataFrame(rows, columns=COLUMNS)


@cache
def figures() -> pd.DataFrame:
    """:func:`read` of the committed table, read once per process (copy before changing)."""
    return read()


def figure(indicator: str, year: int, month: int | None = None) -> dict | None:
    """The published figure of ``indicator`` for ``year`` (the given ``month``, else March,
    the survey BPS's annual poverty series uses, else the only one), or None.

    Examples
    --------
    >>> figure("persentase_penduduk_miskin", 2025)["value"]
    9.5
    >>> figure("persentase_penduduk_miskin", 2019, 9)["period"]
    '2019-09'
    >>> figure("persentase_penduduk_miskin", 1990) is None
    True
    """
    f = figures()
    rows = f[(f["indicator"] == indicator) & (f["year"] == int(year))]
    if month is not None:
        rows = rows[rows["month"] == month]
    elif len(rows) > 1 and (rows["month"] == 3).any():
        rows = rows[rows["month"] == 3]
    if rows.empty:
        return None
    return rows.iloc[0].to_dict()
