"""The layout of a table: where the header is and which records are data.

Title rows above the header, a ``(1) (2) (3)`` column-numbering row under it, blank rows and
``Sumber:`` footnotes (as in BPS tables) are set aside with warnings; a CSV record with more
or fewer fields than the header is an error.
"""

from __future__ import annotations

import re

from ingest import numbers as num
from ingest.columns import INDICATOR_HEADERS, KEY_HEADERS
from ingest.context import Record, Validation
from ingest.specs import normalise_header
from ingest.table import is_blank, row_blank, text_of

_COLUMN_NUMBER = re.compile(r"^\(?[0-9]{1,3}\)?$")
_FOOTNOTE_START = frozenset("sScCkKnN* \t")
_FOOTNOTE = re.compile(r"^\s*(?:sumber|source|catatan|keterangan|note|notes|ket)\s*[:.]|^\s*\*+\)?", re.IGNORECASE)


def find_header(records: list[list]) -> int | None:
    """Index of the header record among the first 50: the first naming a key or indicator
    column, else the first made only of text that is not a number.

    Examples
    --------
    >>> find_header([["Tabel 1"], ["Kode", "Kecamatan", "IPM"], ["35.78.04", "Wonokromo", "80,1"]])
    1
    """
    fallback = None
    for i, rec in enumerate(records[:50]):
        cells = [c for c in rec if not is_blank(c)]
        if len(cells) < 2:
            continue
        names = {normalise_header(c) for c in cells if isinstance(c, str)}
        if names & (KEY_HEADERS | INDICATOR_HEADERS):
            return i
        if fallback is None and all(isinstance(c, str) and num.classify(num.normalise_cell(c)) == num.BAD
                                    for c in cells):
            fallback = i
    return fallback


def read_layout(v: Validation) -> list[str] | None:
    """Find the header and the data records (into ``v``); return the headers, or None when
    the file cannot go further (the reason is in the report)."""
    t, r = v.table, v.report
    if not t.records:
        r.error("no_data_rows")
        return None
    h = find_header(t.records)
    if h is None:
        r.error("no_header")
        return None
    header_rec = t.records[h]
    width = len(header_rec)
    while width and is_blank(header_rec[width - 1]):
        width -= 1
    if width > v.options.limits.max_columns:
        r.error("too_many_columns", count=f"{width:,}", limit=f"{v.options.limits.max_columns:,}")
        return None
    titles = sum(1 for rec in t.records[:h] if any(not is_blank(c) for c in rec))
    if titles:
        r.warn("title_rows_skipped", line=t.lines[h], count=titles)
    v.header_line = t.lines[h]
    data, extra_data_cols = _data_records(v, h, width)
    for i in sorted(extra_data_cols):
        r.error("empty_header", line=v.header_line, position=i + 1)
    if not data:
        r.error("no_data_rows")
        return None
    v.data = data
    return [text_of(c) for c in header_rec[:width]]


def _data_records(v: Validation, h: int, width: int) -> tuple[list[Record], set[int]]:
    """The data records under header ``h``, each ``width`` cells, and the indexes of cells
    beyond the header that hold data (XLSX). Sets ``report.rows``."""
    t, r = v.table, v.report
    data: list[Record] = []
    extra_data_cols: set[int] = set()
    row_no = 0
    first = True
    csv_kind = t.kind == "csv"
    for rec, line in zip(t.records[h + 1:], t.lines[h + 1:], strict=True):
        if (not "".join(rec).strip()) if csv_kind else row_blank(rec):
            continue
        if first:
            first = False
            if _is_column_numbering(rec):
                r.warn("column_number_row_skipped", line=line)
                continue
        row_no += 1
        head = rec[0]
        if (isinstance(head, str) and head[:1] in _FOOTNOTE_START and _FOOTNOTE.match(head)
                and row_blank(rec[1:])):
            r.warn("footnote_row", row=row_no, line=line, value=text_of(head))
            continue
        if len(rec) != width:
            rec = _fit(v, rec, width, row_no, line, extra_data_cols)
            if rec is None:
                continue
        data.append((row_no, line, rec))
    r.rows = row_no
    return data, extra_data_cols


def _is_column_numbering(rec: list) -> bool:
    nonblank = [text_of(c) for c in rec if not is_blank(c)]
    return len(nonblank) >= 2 and all(_COLUMN_NUMBER.match(c) for c in nonblank)


def _fit(v: Validation, rec: list, width: int, row: int, line: int, extra: set[int]) -> list | None:
    """A record cut or padded to ``width`` cells; None (an error) for a CSV record whose
    field count differs from the header's where it matters."""
    n = len(rec)
    csv_kind = v.table.kind == "csv"
    if n > width:
        if not row_blank(rec[width:]):
            if csv_kind:
                v.report.error("wrong_field_count", row=row, line=line, count=n, expected=width)
                return None
            extra.update(i for i in range(width, n) if not is_blank(rec[i]))
        return rec[:width]
    if csv_kind:
        v.report.error("wrong_field_count", row=row, line=line, count=n, expected=width)
        return None
    return list(rec) + [None] * (width - n)
