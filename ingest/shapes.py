"""Values of the two shapes of file: wide (one column per indicator) and long (one row per value).

Both give the same frame (:data:`ingest.specs.VALUE_COLUMNS`) of every value that passed its
checks; rows whose key did not resolve are checked but not kept. A long file may be large
(millions of rows): its numbers are converted column-wise where they are plain numbers of the
file's format, and each distinct (indicator, cell) goes through the full parser only once.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ingest import numbers as num
from ingest.context import Validation
from ingest.specs import VALUE_COLUMNS, Column, IndicatorSpec, normalise_header
from ingest.table import is_blank, text_of
from ingest.values import (
    PERCENT_KINDS,
    Recorder,
    check_kind,
    notes_of,
    parse_value,
    parse_year,
    year_ok,
)

#: A value this many times the column's median magnitude is flagged as implausible.
MAGNITUDE_FACTOR = 1000.0
#: Distinct (indicator, cell) results kept by the full parser of a long file.
PARSED_MAX = 500_000


# ----------------------------------------------------------------------- wide
def values_wide(v: Validation, keys: list[str | None], locale: str) -> pd.DataFrame | None:
    """The values of a wide file (None when its year is unknown)."""
    year_col = next(iter(v.with_role("year")), None)
    cols = v.with_role("values")
    if not _wide_header_ok(v, cols, year_col):
        return None
    out: dict[str, list] = defaultdict(list)
    key_rows: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for (row, line, cells), kode in zip(v.data, keys, strict=True):
        if row in v.subtotal_rows:
            continue
        row_year = None
        if year_col is not None:
            row_year = _wide_row_year(v, cells, year_col, row, line)
            if row_year is None:
                continue
        if kode is not None:
            key_rows[(kode, row_year)].append((row, line))
        _wide_record(v, out, cols, (row, line, cells), kode, row_year, locale)
    for (kode, _year), places in key_rows.items():
        if len(places) > 1:
            v.report.error("duplicate_region", row=places[0][0], line=places[0][1], value=kode,
                           region=v.gaz.label(kode), rows=", ".join(str(p[0]) for p in places))
    v.wide_duplicates_done = True
    frame = pd.DataFrame(out, columns=VALUE_COLUMNS)
    check_scale(v, frame, {c.spec.id: c.spec for c in cols})
    return frame


def _wide_header_ok(v: Validation, cols: list[Column], year_col: Column | None) -> bool:
    """Report unknown indicators and header years that disagree; False when no year is known."""
    o, r = v.options, v.report
    for c in cols:
        if not c.spec.known:
            r.warn("unknown_indicator", column=c.header, line=v.header_line, value=c.header)
        if c.year is not None and o.year is not None and c.year != o.year:
            r.error("year_conflict", column=c.header, line=v.header_line, value=c.year, year=o.year)
    if year_col is None and o.year is None and any(c.year is None for c in cols):
        r.error("year_missing", line=v.header_line)
        return False
    return True


def _wide_row_year(v: Validation, cells, year_col: Column, row: int, line: int) -> int | None:
    """The year of a record from the year column, or None (error reported)."""
    cell = cells[year_col.index]
    year = parse_year(cell)
    if not year_ok(year):
        v.report.error("bad_year", row=row, line=line, column=year_col.header, value=text_of(cell))
        return None
    if v.options.year is not None and year != v.options.year:
        v.report.error("year_conflict", row=row, line=line, column=year_col.header, value=year,
                       year=v.options.year)
        return None
    return year


def _wide_record(v: Validation, out: dict, cols: list[Column], record, kode, row_year, locale) -> None:
    """Check each indicator cell of one record; keep its values when the key resolved."""
    row, line, cells = record
    note = notes_of(v, cells)
    for c in cols:
        cell = cells[c.index]
        value = parse_value(v, cell, locale, row, line, c.header)
        if value is None or not check_kind(c.spec, value, row, line, c.header, cell, v.report):
            continue
        year = c.year or row_year or v.options.year
        if c.year is not None and row_year is not None and c.year != row_year:
            v.report.error("year_conflict", row=row, line=line, column=c.header, value=row_year, year=c.year)
            continue
        if kode is None:
            continue
        for name, item in zip(VALUE_COLUMNS, (kode, c.spec.id, c.header, year, value, c.spec.known,
                                              note, row, line), strict=True):
            out[name].append(item)


# ----------------------------------------------------------------------- long
class _Indicators:
    """The indicator of each distinct indicator cell of a long file (memoised)."""

    def __init__(self, v: Validation, column: Column):
        self.v = v
        self.column = column
        self.mapping = {normalise_header(k): t for k, t in (v.options.mapping or {}).items()}
        self.by_cell: dict[object, IndicatorSpec | None] = {}
        self.unknown_first_row: dict[str, int] = {}

    def resolve(self, raw) -> IndicatorSpec | None:
        """The spec of an indicator cell (None: ignored or empty), remembered for the next rows."""
        text = text_of(raw)
        key = normalise_header(text)
        if not key:
            spec = None
        elif key in self.mapping:
            target = self.mapping[key]
            spec = (self.v.specs.get(target) or IndicatorSpec(target, known=False, name=text)) if target else None
        else:
            ind = self.v.aliases.get(key) or (key if key in self.v.specs else None)
            spec = self.v.specs[ind] if ind else IndicatorSpec(key, known=False, name=text)
        self.by_cell[raw] = spec
        return spec

    def report_unknown(self) -> None:
        for name, row in self.unknown_first_row.items():
            self.v.report.warn("unknown_indicator", row=row, column=self.column.header, value=name)


class _SlowCells:
    """The full parser for cells that are not plain numbers, memoised per (indicator, cell);
    the issues of a cell are replayed for every row holding it."""

    def __init__(self, v: Validation, locale: str, header: str):
        self.v, self.locale, self.header = v, locale, header
        self.parsed: dict[tuple, tuple] = {}

    def value(self, spec: IndicatorSpec, cell, row: int, line: int) -> float | None:
        pk = (spec.id, cell)
        hit = self.parsed.get(pk)
        if hit is None:
            sub = Recorder()
            value = parse_value(self.v, cell, self.locale, None, None, self.header, sub)
            if value is not None and not check_kind(spec, value, None, None, self.header, cell, sub):
                value = None
            hit = (value, sub.pending)
            if len(self.parsed) < PARSED_MAX:
                self.parsed[pk] = hit
        value, issues = hit
        for severity, code, params in issues:
            self.v.report.add(severity, code, row=row, line=line, column=self.header, value=cell, **params)
        return value


def _long_columns(v: Validation) -> tuple[Column, Column, Column | None] | None:
    ind_col = v.with_role("indicator")[0]
    val_col = v.with_role("value")[0]
    year_col = next(iter(v.with_role("year")), None)
    if year_col is None and v.options.year is None:
        v.report.error("year_missing", line=v.header_line)
        return None
    return ind_col, val_col, year_col


def values_long(v: Validation, keys: list[str | None], locale: str) -> pd.DataFrame | None:
    """The values of a long file (None when its year is unknown).

    One pass over possibly millions of rows: the memo look-ups of indicator and year cells
    stay inline for speed; misses go to :class:`_Indicators` and :class:`_SlowCells`.
    """
    columns = _long_columns(v)
    if columns is None:
        return None
    ind_col, val_col, year_col = columns
    r, o = v.report, v.options
    indicators = _Indicators(v, ind_col)
    slow = _SlowCells(v, locale, val_col.header)
    years: dict[object, int | None] = {}
    has_notes = bool(v.with_role("note"))
    ii, vi = ind_col.index, val_col.index
    yi = year_col.index if year_col is not None else None
    cells_v = [cells[vi] for _, _, cells in v.data]
    fast = num.to_float_many(cells_v, v.classes.get(vi) or num.classify_many(cells_v), locale).tolist()
    max_abs, subtotal, header, by_cell = num.MAX_ABS, v.subtotal_rows, val_col.header, indicators.by_cell
    kept: list[tuple] = []
    for k, ((row, line, cells), kode) in enumerate(zip(v.data, keys, strict=True)):
        if kode is None and row in subtotal:
            continue
        raw_ind = cells[ii]
        try:
            spec = by_cell[raw_ind]
        except KeyError:
            spec = indicators.resolve(raw_ind)
        if spec is None:
            if is_blank(raw_ind):
                r.error("missing_indicator", row=row, line=line, column=ind_col.header)
            continue
        if not spec.known:
            indicators.unknown_first_row.setdefault(spec.name, row)
        if yi is not None:
            ycell = cells[yi]
            try:
                year = years[ycell]
            except KeyError:
                year = years[ycell] = parse_year(ycell)
            if not year_ok(year):
                r.error("bad_year", row=row, line=line, column=year_col.header, value=text_of(ycell))
                continue
            if o.year is not None and year != o.year:
                r.error("year_conflict", row=row, line=line, column=year_col.header, value=year, year=o.year)
                continue
        else:
            year = o.year
        cell = cells[vi]
        value = fast[k]
        if value == value and -max_abs <= value <= max_abs:  # a plain number of the file's format
            if not check_kind(spec, value, row, line, header, cell, r):
                continue
        else:  # anything else goes through the full parser, memoised per (indicator, text)
            value = slow.value(spec, cell, row, line)
            if value is None:
                continue
        if kode is not None:
            kept.append((kode, spec.id, year, value, spec.known,
                         notes_of(v, cells) if has_notes else None, row, line))
    indicators.report_unknown()
    frame = _long_frame(kept, header)
    check_scale(v, frame, {sp.id: sp for sp in indicators.by_cell.values() if sp})
    return frame


def _long_frame(kept: list[tuple], header: str) -> pd.DataFrame:
    columns = zip(*kept, strict=True) if kept else [()] * 8
    kode, ind, year, value, known, note, row, line = (list(c) for c in columns)
    return pd.DataFrame({
        "region_code": kode, "indicator": ind, "source_column": header,
        "year": pd.array(year, dtype="int64"), "value": pd.array(value, dtype="float64"),
        "known": pd.array(known, dtype=bool), "note": pd.Series(note, dtype=object),
        "row": pd.array(row, dtype="int64"), "line": pd.array(line, dtype="int64"),
    }, columns=VALUE_COLUMNS)


# ----------------------------------------------------------------------- both
def check_scale(v: Validation, frame: pd.DataFrame, specs: dict[str, IndicatorSpec]) -> None:
    """Fraction-scale warning for percentages; implausible magnitudes."""
    if frame.empty:
        return
    for (ind, col), sub in frame.groupby(["indicator", "source_column"], sort=False):
        spec = specs.get(ind)
        vals = sub["value"].astype(float)
        if spec is not None and spec.kind in PERCENT_KINDS and len(vals) >= 3 and vals.max() <= 1 and vals.max() > 0:
            v.report.warn("fraction_scale", column=col, indicator=spec.name or ind)
        mags = vals.abs()
        positive = mags[mags > 0]
        if len(positive) >= 10:
            median = float(positive.median())
            flagged = sub[mags > MAGNITUDE_FACTOR * median]
            for row, line, value in zip(flagged["row"], flagged["line"], flagged["value"], strict=True):
                v.report.warn("implausible_magnitude", row=row, line=line, column=col, value=f"{value:g}",
                              median=f"{median:g}")
