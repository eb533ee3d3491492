"""Read one worksheet of an XLSX workbook safely.

Before openpyxl sees the file, every part of the archive is checked: the number of parts, the
declared and the *actual* uncompressed size (each part is streamed through zlib with a cap, so a
header that lies about its size does not help a zip bomb), the compression ratio, and any
``<!DOCTYPE``/``<!ENTITY`` declaration (refused outright; openpyxl also parses through
defusedxml). The sheet is then read with openpyxl in read-only mode with the cached values of
formulas; error values such as ``#DIV/0!`` are kept as :class:`ExcelError` cells so that they
are reported per cell.
"""

from __future__ import annotations

import io
import re
import zipfile

from ingest.limits import Limits
from ingest.report import Report
from ingest.table import EXCEL_ERRORS, ExcelError, RawTable

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
#: A cell (its reference captured) holding a formula without a saved result: ``<c r="F641">
#: <f>…</f></c>``, an empty ``<v/>``, or a shared formula ``<f t="shared" si="0"/>``.
_FORMULA_NO_VALUE = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f\b(?:[^>]*/>|[^>]*>[^<]*</f>)'
    rb"\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")
_CHUNK = 1 << 20
#: Bytes of the previous chunk searched again with the next one (a cell cut at a boundary).
_TAIL = 4096


def check_archive(data: bytes, report: Report, limits: Limits) -> dict[str, set[str]] | None:
    """Check an XLSX archive against the limits before parsing.

    Returns
    -------
    dict or None
        None when it is unsafe (reported); else ``{worksheet part: references of the cells
        holding a formula without a saved result}`` (reported per cell by :func:`read_xlsx`
        for the chosen sheet only).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        report.error("xlsx_corrupt", reason=type(exc).__name__)
        return None
    with archive:
        infos = archive.infolist()
        if not _declared_ok(infos, report, limits):
            return None
        # Stream every part with a cap: the real sizes, not the declared ones, must fit.
        stream = _Stream(report, limits)
        for info in infos:
            if not info.is_dir() and not stream.part(archive, info):
                return None
    return stream.formula_cells


def _declared_ok(infos: list[zipfile.ZipInfo], report: Report, limits: Limits) -> bool:
    """The parts, their declared sizes and compression ratios are within the limits."""
    if len(infos) > limits.max_xlsx_parts:
        report.error("xlsx_too_many_parts", count=f"{len(infos):,}", limit=f"{limits.max_xlsx_parts:,}")
        return False
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        report.error("zip_not_xlsx")
        return False
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_xlsx_expanded_bytes:
        report.error("xlsx_expanded_too_large", size_mb=f"{declared / 1e6:,.0f}",
                     limit_mb=f"{limits.max_xlsx_expanded_bytes / 1e6:,.0f}")
        return False
    for info in infos:
        if info.compress_size > 0 and info.file_size / info.compress_size > limits.max_xlsx_ratio:
            report.error("xlsx_ratio", part=info.filename, ratio=f"{info.file_size / info.compress_size:,.0f}",
                         limit=f"{limits.max_xlsx_ratio:,.0f}")
            return False
    return True


class _Stream:
    """Decompresses the parts one chunk at a time, counting the real sizes against the limits,
    refusing DTD/entity declarations and counting formulas saved without a value."""

    def __init__(self, report: Report, limits: Limits):
        self.report, self.limits = report, limits
        self.total = 0
        self.formula_cells: dict[str, set[str]] = {}

    def part(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
        """Stream one part; False (with the error reported) when it breaks a rule."""
        try:
            with archive.open(info) as part:
                return self._chunks(part, info)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            self.report.error("xlsx_corrupt", reason=f"{info.filename}: {type(exc).__name__}")
            return False
        except Exception as exc:  # zlib.error and friends
            self.report.error("xlsx_corrupt", reason=f"{info.filename}: {type(exc).__name__}")
            return False

    def _chunks(self, part, info: zipfile.ZipInfo) -> bool:
        limits, report = self.limits, self.report
        seen = 0
        tail = b""
        cells = self.formula_cells.setdefault(info.filename, set())
        while chunk := part.read(_CHUNK):
            seen += len(chunk)
            self.total += len(chunk)
            if seen > info.file_size or self.total > limits.max_xlsx_expanded_bytes:
                report.error("xlsx_expanded_too_large", size_mb=f"> {self.total / 1e6:,.0f}",
                             limit_mb=f"{limits.max_xlsx_expanded_bytes / 1e6:,.0f}")
                return False
            if seen > limits.max_xlsx_ratio * max(info.compress_size, 1) + _CHUNK:
                report.error("xlsx_ratio", part=info.filename, ratio=f"> {limits.max_xlsx_ratio:,.0f}",
                             limit=f"{limits.max_xlsx_ratio:,.0f}")
                return False
            window = tail + chunk
            if _DTD.search(window):
                report.error("xml_entities", part=info.filename)
                return False
            if info.filename.startswith("xl/worksheets/"):
                cells.update(ref.decode() for ref in _FORMULA_NO_VALUE.findall(window))
            tail = window[-_TAIL:]
        return True


def read_xlsx(data: bytes, report: Report, limits: Limits, sheet: str | int | None = None) -> RawTable | None:
    """Read the chosen sheet (name or 0-based index; default the first) of a checked XLSX."""
    formula_cells = check_archive(data, report, limits)
    if formula_cells is None:
        return None
    import openpyxl  # imported late: only XLSX uploads pay for it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types on damaged files
        report.error("xlsx_corrupt", reason=type(exc).__name__)
        return None
    try:
        names = list(wb.sheetnames)
        chosen = _choose_sheet(wb, names, sheet, report)
        if chosen is None:
            return None
        if len(names) > 1:
            report.warn("sheet_chosen", count=len(names), sheet=chosen)
        refs = formula_cells.get(getattr(wb[chosen], "_worksheet_path", "").lstrip("/"), set())
        if refs:
            _formula_errors(chosen, refs, report)
            return None
        rows = _read_rows(wb[chosen], report, limits)
        if rows is None:
            return None
    except Exception as exc:
        report.error("xlsx_corrupt", reason=type(exc).__name__)
        return None
    finally:
        wb.close()
    records, lines = rows
    return RawTable(records=records, lines=lines, kind="xlsx", sheet=chosen, sheets=names)


def _formula_errors(sheet: str, refs: set[str], report: Report) -> None:
    """One located error per formula cell without a saved result (``Data!F641``), in sheet
    order (row, then column)."""

    def order(ref: str) -> tuple[int, int, str]:
        letters, digits = _CELL_REF.fullmatch(ref).groups()
        return int(digits), len(letters), letters

    for ref in sorted(refs, key=order):
        report.error("formula_no_cache", line=order(ref)[0], value=f"{sheet}!{ref}")


def _choose_sheet(wb, names: list[str], sheet: str | int | None, report: Report) -> str | None:
    """The sheet asked for (name or 0-based index), default the first visible worksheet."""
    if sheet is None or sheet == "":
        worksheets = [n for n in names if getattr(wb[n], "sheet_state", "visible") == "visible"
                      and hasattr(wb[n], "iter_rows")]
        if not worksheets:
            report.error("no_header")
            return None
        return worksheets[0]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and sheet not in names):
        index = int(sheet)
        if 0 <= index < len(names):
            return names[index]
    elif sheet in names:
        return sheet
    report.error("sheet_not_found", sheet=str(sheet), sheets=", ".join(names))
    return None


def _read_rows(ws, report: Report, limits: Limits) -> tuple[list[list], list[int]] | None:
    """The cells of every row of a worksheet with its row number (Excel errors as
    :class:`ExcelError`), or None when a limit is broken."""
    records: list[list] = []
    lines: list[int] = []
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if n > limits.max_rows:
            report.error("too_many_rows", limit=f"{limits.max_rows:,}")
            return None
        if len(row) > limits.max_columns:
            # Trailing empty cells of formatted-but-empty columns do not count.
            row = _trim(row)
            if len(row) > limits.max_columns:
                report.error("too_many_columns", count=f"{len(row):,}", limit=f"{limits.max_columns:,}")
                return None
        cells = []
        for value in row:
            if isinstance(value, str):
                if value in EXCEL_ERRORS:
                    value = ExcelError(value)
                elif len(value) > limits.max_field_chars:
                    report.error("field_too_long", line=n, limit=f"{limits.max_field_chars:,}")
                    value = value[: limits.max_field_chars]
            cells.append(value)
        records.append(cells)
        lines.append(n)
    return records, lines


def _trim(row: tuple) -> tuple:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]
