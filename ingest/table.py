"""The raw table read from a file, before any interpretation of keys or numbers."""

from __future__ import annotations

from dataclasses import dataclass, field


class ExcelError(str):
    """A cell holding an Excel error value such as ``#DIV/0!`` (kept as its text)."""

    __slots__ = ()


#: Excel error literals, also recognised when they arrive as text in a CSV.
EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)


@dataclass
class RawTable:
    """Records of a file as read, each with its physical line (CSV) or worksheet row (XLSX).

    Cells are ``str`` for CSV; for XLSX they may also be ``int``, ``float``, ``bool``,
    ``datetime``, :class:`ExcelError` or ``None``.
    """

    records: list[list]
    lines: list[int]
    kind: str  # "csv" | "xlsx"
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
