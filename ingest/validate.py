"""From the bytes of an uploaded file to validated values and a located report.

:func:`validate_bytes` never raises on bad input: every problem becomes an issue of the
report, and the whole file is accepted or rejected. Steps: limits (before parsing) → kind by
content → decode and read records (CSV) or one worksheet (XLSX) → header row (title rows above
it skipped, :mod:`ingest.layout`) → column roles (keys, long-form columns, indicators, notes;
:mod:`ingest.columns`) → region keys (:mod:`ingest.resolve`) → one number format for the file
and values checked by indicator kind (:mod:`ingest.values`, :mod:`ingest.shapes`) →
duplicates and coverage (:mod:`ingest.checks`).
"""

from __future__ import annotations

import hashlib

import pandas as pd

from ingest.checks import check_coverage, check_duplicates
from ingest.columns import check_roles, classify_columns
from ingest.context import Validation
from ingest.csvread import read_delimited
from ingest.keys import Gazetteer
from ingest.layout import read_layout
from ingest.report import Report
from ingest.resolve import resolve_keys
from ingest.shapes import values_long, values_wide
from ingest.sniff import decode, kind_of
from ingest.specs import (
    VALUE_COLUMNS,
    Column,
    IndicatorSpec,
    Options,
    Result,
    catalogue_specs,
    empty_values,
    normalise_header,
)
from ingest.table import RawTable
from ingest.values import decide_locale
from ingest.xlsxread import read_xlsx

__all__ = [
    "VALUE_COLUMNS",
    "Column",
    "IndicatorSpec",
    "Options",
    "Result",
    "catalogue_specs",
    "empty_values",
    "normalise_header",
    "validate_bytes",
]


def validate_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    options: Options | None = None,
    catalogue: pd.DataFrame | None = None,
    gazetteer: Gazetteer | None = None,
) -> Result:
    """Validate an uploaded file.

    Parameters
    ----------
    data : bytes
        The file's content (its kind is decided from the content, not from ``filename``).
    filename : str, optional
        Shown in the report only; never used as a path.
    options : Options, optional
    catalogue : DataFrame, optional
        ``store.catalogue()``; None means no catalogue (every column is a new indicator).
    gazetteer : Gazetteer, optional
        Default :meth:`Gazetteer.from_regions`.

    Returns
    -------
    Result
    """
    options = options or Options()
    report = Report()
    meta = {"filename": filename, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    result = Result(report, empty_values(), [], meta)
    table = _read_table(data, report, options, meta)
    if table is None:
        return result
    meta.update(delimiter=table.delimiter, sheet=table.sheet, sheets=table.sheets)
    if gazetteer is None:
        try:
            gazetteer = Gazetteer.from_regions()
        except Exception as exc:  # the region list is not built
            report.error("regions_unavailable", reason=type(exc).__name__)
            return result
    _validate_table(Validation.start(table, report, options, catalogue, gazetteer, result))
    if not report.accepted:
        result.values = empty_values()
    report.note_truncation()
    return result


def _read_table(data: bytes, report: Report, options: Options, meta: dict) -> RawTable | None:
    """The records of the file (CSV text or one worksheet), or None with the reason reported."""
    limits = options.limits
    if options.year is not None and not 1900 <= options.year <= 2100:
        report.error("bad_year", value=options.year)
        return None
    if len(data) > limits.max_bytes:
        report.error("file_too_large", size_mb=f"{len(data) / 1e6:,.1f}", limit_mb=f"{limits.max_bytes / 1e6:,.0f}")
        return None
    kind = kind_of(data)
    meta["kind"] = kind
    if kind == "empty":
        report.error("file_empty")
        return None
    if kind == "ole":
        report.error("xls_legacy")
        return None
    if kind == "zip":
        meta["kind"] = "xlsx"
        return read_xlsx(data, report, limits, options.sheet)
    decoded = decode(data, report)
    if decoded is None:
        return None
    text, encoding = decoded
    del decoded
    meta["encoding"] = encoding
    if not text.strip():
        report.error("file_empty")
        return None
    return read_delimited(text, report, limits, encoding)


def _validate_table(v: Validation) -> None:
    """The stages after reading: layout, columns, keys, number format, values, whole-file checks."""
    headers = read_layout(v)
    if headers is None:
        return
    classify_columns(v, headers)
    shape = check_roles(v)
    if shape is None:
        return
    long = shape == "long"
    keys = resolve_keys(v)
    locale = decide_locale(v, long)
    if locale is None:
        return
    v.result.meta["locale"] = locale
    frame = values_long(v, keys, locale) if long else values_wide(v, keys, locale)
    if frame is None or frame.empty:
        if v.report.accepted:
            if v.subtotal_rows and len(v.subtotal_rows) == len(v.data):
                v.report.error("only_subtotal_rows", count=len(v.subtotal_rows))
            else:
                v.report.error("no_data_rows")
        return
    check_duplicates(v, frame)
    check_coverage(v, frame)
    v.result.values = frame
