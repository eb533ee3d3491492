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
_FORMULA_NO_VALUE = re.compile(rb"</f>\s*(?:<v>\s*</v>\s*)?</c>|<f[^>]*/>\s*</c>")
_CHUNK = 1 << 20


def check_archive(data: bytes, report: Report, limits: Limits) -> bool:
    """Check an XLSX archive against the limits before parsing; return True when safe."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        report.error("xlsx_corrupt", reason=type(exc).__name__)
        return False
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_xlsx_parts:
            report.error("xlsx_too_many_parts", count=f"{len(infos):,}", limit=f"{limits.max_xlsx_parts:,}")
            return False
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
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
        # Stream every part with a cap: the real sizes, not the declared ones, must fit.
        total = 0
        formula_without_value = 0
        for info in infos:
            if info.is_dir():
                continue
            seen = 0
            tail = b""
            try:
                with archive.open(info) as part:
                    while True:
                        chunk = part.read(_CHUNK)
                        if not chunk:
                            break
                        seen += len(chunk)
                        total += len(chunk)
                        if seen > info.file_size or total > limits.max_xlsx_expanded_bytes:
                            report.error("xlsx_expanded_too_large", size_mb=f"> {total / 1e6:,.0f}",
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
                            formula_without_value += len(_FORMULA_NO_VALUE.findall(window)) - len(
                                _FORMULA_NO_VALUE.findall(tail))
                        tail = window[-256:]
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                report.error("xlsx_corrupt", reason=f"{info.filename}: {type(exc).__name__}")
                return False
            except Exception as exc:  # zlib.error and friends
                report.error("xlsx_corrupt", reason=f"{info.filename}: {type(exc).__name__}")
                return False
        if formula_without_value:
            report.error("formula_no_cache", count=formula_without_value)
            return False
    return True


def read_xlsx(data: bytes, report: Report, limits: Limits, sheet: str | int | None = None) -> RawTable | None:
    """Read the chosen sheet (name or 0-based index; default the first) of a checked XLSX."""
    if not check_archive(data, report, limits):
        return None
    import openpyxl  # imported late: only XLSX uploads pay for it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types on damaged files
        report.error("xlsx_corrupt", reason=type(exc).__name__)
        return None
    try:
        names = list(wb.sheetnames)
        worksheets = [n for n in names if getattr(wb[n], "sheet_state", "visible") == "visible"
                      and hasattr(wb[n], "iter_rows")]
        if sheet is None or sheet == "":
            if not worksheets:
                report.error("no_header")
                return None
            chosen = worksheets[0]
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and sheet not in names):
            index = int(sheet)
            if not 0 <= index < len(names):
                report.error("sheet_not_found", sheet=str(sheet), sheets=", ".join(names))
                return None
            chosen = names[index]
        elif sheet in names:
            chosen = sheet
        else:
            report.error("sheet_not_found", sheet=str(sheet), sheets=", ".join(names))
            return None
        if len(names) > 1:
            report.warn("sheet_chosen", count=len(names), sheet=chosen)
        ws = wb[chosen]
        records: list[list] = []
        lines: list[int] = []
        n = 0
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
    except Exception as exc:
        report.error("xlsx_corrupt", reason=type(exc).__name__)
        return None
    finally:
        wb.close()
    return RawTable(records=records, lines=lines, kind="xlsx", sheet=chosen, sheets=names)


def _trim(row: tuple) -> tuple:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]
