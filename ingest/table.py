"""The raw table read from a file, before any interpretation of keys or numbers."""

from __future__ import annotations

from dataclasses import dataclass, field


class ExcelError(str):
    """A cell holding an Excel error value such as ``#DIV/0!`` (kept as its text)."""

    __slots__ = ()


#: Excel error literals (every error value Excel documents), also recognised when they arrive
#: as text in a CSV.
EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!",
     "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!", "#EXTERNAL!"}
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


def is_blank(cell: object) -> bool:
    """True for an empty cell (None, or text of only spaces).

    Examples
    --------
    >>> is_blank(None), is_blank("  "), is_blank(0)
    (True, True, False)
    """
    return cell is None or (isinstance(cell, str) and not cell.strip())


def row_blank(rec) -> bool:
    """True when every cell of a record is blank."""
    for c in rec:
        if c is None:
            continue
        if isinstance(c, str):
            if c and not c.isspace():
                return False
            continue
        return False
    return True


def text_of(cell: object) -> str:
    """A cell as trimmed text (a whole float without its ``.0``).

    Examples
    --------
    >>> text_of(3578080.0), text_of(" Wonokromo "), text_of(None)
    ('3578080', 'Wonokromo', '')
    """
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()
