"""Decide what a file is from its bytes (never from its name) and decode text.

The decision: ``PK\\x03\\x04`` is a ZIP (an XLSX when it holds ``xl/workbook.xml``);
``D0 CF 11 E0`` is an OLE container (old ``.xls`` or an encrypted workbook, refused);
everything else must be text: UTF-8/UTF-16/UTF-32 with BOM, else strict UTF-8, else
Windows-1252 (falling back to Latin-1 for the five bytes Windows-1252 leaves undefined).
"""

from __future__ import annotations

import codecs

from ingest.report import Report

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)


def kind_of(data: bytes) -> str:
    """Return ``"xlsx"``, ``"zip"``, ``"ole"``, ``"empty"`` or ``"text"`` from the first bytes.

    Examples
    --------
    >>> kind_of(b"PK\\x03\\x04...")
    'zip'
    >>> kind_of(b"kode;nilai")
    'text'
    """
    if not data:
        return "empty"
    if data.startswith(ZIP_MAGIC) or data.startswith(EMPTY_ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    return "text"


def decode(data: bytes, report: Report) -> tuple[str, str] | None:
    """Decode the bytes of a text file; return ``(text, encoding label)`` or None on error.

    A BOM decides; else strict UTF-8; else Windows-1252 (Latin-1 for its undefined bytes),
    with a warning. NUL characters (binary files, UTF-16 without BOM) are refused.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                report.error("file_unreadable", reason=f"{label}: byte {exc.start + len(bom)}")
                return None
            return _checked(text, label, report)
    if b"\x00" in data[:65536] or b"\x00" in data:
        report.error("binary_file")
        return None
    try:
        return _checked(data.decode("utf-8"), "UTF-8", report)
    except UnicodeDecodeError:
        pass
    try:
        text, label = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, label = data.decode("latin-1"), "Latin-1"
    checked = _checked(text, label, report)
    if checked is not None:
        report.warn("encoding_assumed", encoding=label)
    return checked


def _checked(text: str, label: str, report: Report) -> tuple[str, str] | None:
    if "\x00" in text:
        report.error("nul_character")
        return None
    # Text files hold almost no C0 control characters besides tab, CR and LF.
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if sample and controls > max(3, len(sample) // 100):
        report.error("binary_file")
        return None
    return text, label
