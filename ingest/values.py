"""Cell values: the file's number format, numbers from cells, checks by indicator kind.

The number format is decided once for the file (:func:`decide_locale`, the rules of
:mod:`ingest.numbers`); :func:`parse_value` reads one cell in it and :func:`check_kind`
applies the catalogue's kind and valid range.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from ingest import numbers as num
from ingest.context import Validation
from ingest.messages import format_label, format_name, format_refused
from ingest.specs import IndicatorSpec
from ingest.table import EXCEL_ERRORS, ExcelError, is_blank, text_of

#: Kinds of the catalogue checked as counts (whole, non-negative) and as percentages.
COUNT_KINDS = frozenset({"count"})
PERCENT_KINDS = frozenset({"percent"})
_YEAR = re.compile(r"([0-9]{4})(?:\.0+)?")
_DELIMITER_HINT = {";": num.ID, "\t": num.ID, ",": num.EN}
_DELIMITER_NAME = {";": "';'", "\t": "tab", ",": "','"}


class Recorder:
    """Collects the issues of one cell so that they can be replayed for every row with that cell."""

    __slots__ = ("pending",)

    def __init__(self):
        self.pending: list[tuple[str, str, dict]] = []

    def _add(self, severity: str, code: str, **kw) -> None:
        for k in ("row", "line", "column", "value"):
            kw.pop(k, None)
        self.pending.append((severity, code, kw))

    def error(self, code: str, **kw) -> None:
        self._add("error", code, **kw)

    def warn(self, code: str, **kw) -> None:
        self._add("warning", code, **kw)


# ----------------------------------------------------------------------- number format
def value_columns(v: Validation, long: bool):
    """The columns holding numbers: the ``value`` column of a long file, else every indicator column."""
    return v.with_role("value")[:1] if long else v.with_role("values")


def decide_locale(v: Validation, long: bool) -> str | None:
    """The number format of the file (``"id"`` or ``"en"``), or None when it cannot be
    decided (errors reported). Keeps the cells' classes in ``v.classes``.

    Cells of both formats: each cell of the minority format is one located error
    (``mixed_number_format``) and the file is read in the majority format, so that every other
    value is still checked."""
    votes, ambiguous = _votes(v, long)
    forced = v.options.locale if v.options.locale in (num.ID, num.EN) else None
    if forced:
        return forced
    if votes[num.ID] and votes[num.EN]:
        major, minor = (num.ID, num.EN) if len(votes[num.ID]) >= len(votes[num.EN]) else (num.EN, num.ID)
        for row, line, header, cell in votes[minor]:
            v.report.error("mixed_number_format", row=row, line=line, column=header, value=cell,
                           majority=format_label(major), minority=format_label(minor))
        v.mixed_minority = minor
        return major
    if votes[num.ID]:
        return num.ID
    if votes[num.EN]:
        return num.EN
    if ambiguous is None:
        return num.ID  # only plain integers (or typed numbers): the format does not matter
    row, line, header, cell, cls = ambiguous
    hint = _DELIMITER_HINT.get(v.table.delimiter or "")
    if hint is None:
        # XLSX text cells or a "|" file: nothing decides.
        _ambiguous_errors(v, long)
        return None
    value = num.to_float(num.normalise_cell(cell), cls, hint)
    v.report.warn("number_format_assumed", row=row, line=line, column=header, value=cell,
                  locale=format_name(hint), delimiter=_DELIMITER_NAME[v.table.delimiter],
                  example=repr(value))
    return hint


def _votes(v: Validation, long: bool) -> tuple[dict[str, list[tuple]], tuple | None]:
    """Cells that fit only one format, by format, and the first ambiguous cell."""
    votes: dict[str, list[tuple]] = {num.ID: [], num.EN: []}
    ambiguous: tuple | None = None
    data = v.data
    for col in value_columns(v, long):
        i = col.index
        classes = num.classify_many([cells[i] for _, _, cells in data])
        v.classes[i] = classes
        for k, cls in enumerate(classes):
            if cls == num.ID or cls == num.EN:
                row, line, cells = data[k]
                votes[cls].append((row, line, col.header, cells[i]))
            elif ambiguous is None and (cls == num.AMB_DOT or cls == num.AMB_COMMA):
                row, line, cells = data[k]
                ambiguous = (row, line, col.header, cells[i], cls)
    return votes, ambiguous


def _ambiguous_errors(v: Validation, long: bool) -> None:
    for col in value_columns(v, long):
        for row, line, cells in v.data:
            cell = cells[col.index]
            if isinstance(cell, str) and v.number_class(cell) in (num.AMB_DOT, num.AMB_COMMA):
                v.report.error("ambiguous_number", row=row, line=line, column=col.header, value=cell)


# ----------------------------------------------------------------------- one cell
def parse_value(v: Validation, cell, locale: str, row, line, header: str, report=None) -> float | None:
    """The number in a cell, or None (missing, or an error already reported to ``report``,
    default ``v.report``)."""
    r = report if report is not None else v.report
    if cell is None:
        return None
    if not isinstance(cell, str) or isinstance(cell, ExcelError):
        return _typed_value(cell, row, line, header, r)
    if "\n" in cell or "\r" in cell:
        r.error("newline_in_field", row=row, line=line, column=header, value=cell)
        return None
    if cell.isascii() and cell.isdigit():
        value = float(cell)
        problem = num.check_magnitude(value)
        if problem:
            r.error(problem, row=row, line=line, column=header, value=cell)
            return None
        return value
    return _text_value(v, cell, locale, row, line, header, r)


def _typed_value(cell, row, line, header: str, r) -> float | None:
    """A cell typed by the workbook: a number, or an error for booleans, Excel errors, dates."""
    if isinstance(cell, bool):
        r.error("not_a_number", row=row, line=line, column=header, value=str(cell))
        return None
    if isinstance(cell, int | float):
        value = float(cell)
        problem = num.check_magnitude(value)
        if problem:
            r.error(problem, row=row, line=line, column=header, value=repr(cell))
            return None
        return value
    if isinstance(cell, ExcelError):
        r.error("excel_error", row=row, line=line, column=header, value=str(cell))
        return None
    if isinstance(cell, datetime | date | time):
        r.error("bad_date_cell", row=row, line=line, column=header, value=str(cell))
        return None
    r.error("not_a_number", row=row, line=line, column=header, value=str(cell))  # e.g. a duration
    return None


def _text_value(v: Validation, cell: str, locale: str, row, line, header: str, r) -> float | None:
    """A text cell read in the file's number format."""
    text = num.normalise_cell(str(cell))
    if text.endswith("%"):
        text = text[:-1].rstrip()
    cls = v.number_class(str(cell))
    if cls == num.MISSING:
        r.warn("missing_value", row=row, line=line, column=header, value=cell)
        return None
    if text in EXCEL_ERRORS:
        r.error("excel_error", row=row, line=line, column=header, value=text)
        return None
    if cls == num.BAD:
        r.error(num.problem_of(text), row=row, line=line, column=header, value=cell)
        return None
    if cls == v.mixed_minority:
        return None  # reported once, as mixed_number_format
    value = num.to_float(text, cls, locale)
    if value is None:
        r.error("number_for_other_locale", row=row, line=line, column=header, value=cell,
                locale=format_refused(locale))
        return None
    problem = num.check_magnitude(value)
    if problem:
        r.error(problem, row=row, line=line, column=header, value=cell)
        return None
    return value


def check_kind(spec: IndicatorSpec, value: float, row, line, header, cell, r) -> bool:
    """Whether ``value`` fits the indicator's kind (count, percent) and valid range; the
    problem goes to ``r`` (a report or a :class:`Recorder`)."""
    label = spec.name or spec.id
    if spec.kind in COUNT_KINDS:
        if value < 0:
            r.error("negative_count", row=row, line=line, column=header, value=cell, indicator=label)
            return False
        if not float(value).is_integer():
            r.error("count_not_whole", row=row, line=line, column=header, value=cell, indicator=label)
            return False
    if spec.kind in PERCENT_KINDS and not 0 <= value <= 100:
        r.error("percent_range", row=row, line=line, column=header, value=cell, indicator=label)
        return False
    if spec.valid_min is not None and value < spec.valid_min or spec.valid_max is not None and value > spec.valid_max:
        r.error("out_of_range", row=row, line=line, column=header, value=cell, indicator=label,
                low="" if spec.valid_min is None else f"{spec.valid_min:g}",
                high="" if spec.valid_max is None else f"{spec.valid_max:g}")
        return False
    return True


def notes_of(v: Validation, cells) -> str | None:
    """The note columns of a record as ``header: text; …``, or None."""
    parts = []
    for col in v.columns:
        if col.role == "note" and not is_blank(cells[col.index]):
            parts.append(f"{col.header}: {text_of(cells[col.index])}")
    return "; ".join(parts) if parts else None


def parse_year(cell) -> int | None:
    """The year in a cell (a number, a date, or four digits), or None.

    Examples
    --------
    >>> parse_year("2024"), parse_year(2023.0), parse_year("2024.0"), parse_year("24")
    (2024, 2023, 2024, None)
    """
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    if isinstance(cell, datetime | date):
        return cell.year
    m = _YEAR.fullmatch(num.normalise_cell(str(cell)))
    return int(m.group(1)) if m else None


def year_ok(year: int | None) -> bool:
    """Whether a year is in 1900–2100."""
    return year is not None and 1900 <= year <= 2100
