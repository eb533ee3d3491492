"""Limits checked before and while parsing an upload.

Defaults suit the 666 kecamatan of East Java with room to spare. Each can be changed through an
environment variable (``RBK_UPLOAD_MAX_MB`` and the others below) or by passing a
:class:`Limits` to :func:`ingest.validate_bytes`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Limits:
    """Upper bounds for an uploaded file.

    Attributes
    ----------
    max_bytes : int
        Size of the uploaded file (default 25 MB, ``RBK_UPLOAD_MAX_MB``).
    max_rows : int
        Records (CSV records or worksheet rows) (default 2,000,000, ``RBK_UPLOAD_MAX_ROWS``).
    max_columns : int
        Columns (default 1,000, ``RBK_UPLOAD_MAX_COLUMNS``).
    max_field_chars : int
        Characters in one field (default 10,000, ``RBK_UPLOAD_MAX_FIELD``).
    max_xlsx_expanded_bytes : int
        Total uncompressed size of an XLSX's parts (default 200 MB, ``RBK_UPLOAD_MAX_XLSX_MB``).
    max_xlsx_ratio : float
        Compression ratio of any XLSX part (default 200, ``RBK_UPLOAD_MAX_RATIO``).
    max_xlsx_parts : int
        Parts in an XLSX archive (default 10,000).
    """

    max_bytes: int = field(default_factory=lambda: int(_env_number("RBK_UPLOAD_MAX_MB", 25) * 1_000_000))
    max_rows: int = field(default_factory=lambda: int(_env_number("RBK_UPLOAD_MAX_ROWS", 2_000_000)))
    max_columns: int = field(default_factory=lambda: int(_env_number("RBK_UPLOAD_MAX_COLUMNS", 1_000)))
    max_field_chars: int = field(default_factory=lambda: int(_env_number("RBK_UPLOAD_MAX_FIELD", 10_000)))
    max_xlsx_expanded_bytes: int = field(
        default_factory=lambda: int(_env_number("RBK_UPLOAD_MAX_XLSX_MB", 200) * 1_000_000)
    )
    max_xlsx_ratio: float = field(default_factory=lambda: _env_number("RBK_UPLOAD_MAX_RATIO", 200))
    max_xlsx_parts: int = 10_000
