"""Checks of the whole file once its values are known: duplicates and coverage."""

from __future__ import annotations

import pandas as pd

from ingest.context import Validation


def check_duplicates(v: Validation, frame: pd.DataFrame) -> None:
    """The same (kecamatan, indicator, year) more than once is an error naming every row."""
    if frame.empty:
        return
    key = ["region_code", "indicator", "year"]
    dup = frame[frame.duplicated(key, keep=False)]
    if dup.empty:
        return
    for (kode, ind, year), sub in dup.groupby(key, sort=True):
        rows = sorted(set(sub["row"].tolist()))
        if len(rows) > 1 and v.wide_duplicates_done:
            continue  # reported from the keys, whatever the values
        line = int(sub["line"].iloc[0])
        if len(rows) < 2:
            # the same row gives the same indicator twice (two columns): name the columns
            cols = ", ".join(sorted(set(sub["source_column"])))
            v.report.error("duplicate_value", row=rows[0], line=line, column=cols,
                           indicator=ind, year=year, region=v.gaz.label(kode), rows=rows[0])
            continue
        code = "duplicate_region" if v.result.meta.get("shape") == "wide" else "duplicate_value"
        v.report.error(code, row=rows[0], line=line, value=kode, region=v.gaz.label(kode),
                       name=v.gaz.names.get(kode, ""), indicator=ind, year=year,
                       rows=", ".join(map(str, rows)))


def check_coverage(v: Validation, frame: pd.DataFrame) -> None:
    """Kecamatan without a value, counted per indicator and year (a warning: left missing)."""
    if frame.empty:
        return
    total = len(v.gaz.codes)
    for (ind, year), sub in frame.groupby(["indicator", "year"], sort=True):
        missing = total - sub["region_code"].nunique()
        if missing > 0:
            v.report.warn("coverage_partial", indicator=ind, year=year, count=missing)
