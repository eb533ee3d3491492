"""The validation report: located issues, each a code with parameters.

Every problem found in an uploaded file becomes an :class:`Issue` with a stable ``code``, the
data record (``row``, 1-based, counted after the header), the physical ``line`` (CSV line or
worksheet row), the ``column`` header, the offending ``value`` (escaped, at most 80 characters)
and the ``params`` of its message. The message is translated only when asked for
(:meth:`Issue.message`, through the locale files; see :mod:`ingest.messages`). Errors reject
the whole file; warnings do not.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from i18n import Bilingual
from ingest.messages import message

#: Issues kept per report; beyond this they are counted, not listed.
MAX_LISTED = 5000
VALUE_MAX_CHARS = 80


def escape_value(value: object) -> str | None:
    """Return ``value`` as printable text of at most 80 characters, or None.

    Control, format (bidi) and other invisible characters are written as ``\\xNN`` /
    ``\\uNNNN`` escapes so that what is shown is what is in the file.

    Examples
    --------
    >>> escape_value("a\\tb")
    'a\\\\tb'
    >>> len(escape_value("x" * 500))
    80
    """
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    out: list[str] = []
    size = 0
    for ch in text:
        if ch == "\t":
            piece = "\\t"
        elif ch == "\n":
            piece = "\\n"
        elif ch == "\r":
            piece = "\\r"
        elif ch == "\\":
            piece = "\\\\"
        elif unicodedata.category(ch)[0] in ("C", "Z") and ch != " ":
            code = ord(ch)
            piece = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
        else:
            piece = ch
        if size + len(piece) > VALUE_MAX_CHARS - 1:
            out.append("…")
            return "".join(out)
        out.append(piece)
        size += len(piece)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Issue(Bilingual):
    """One located problem (an error or a warning): a code, where, and its parameters."""

    code: str
    severity: str  # "error" | "warning"
    row: int | None
    line: int | None
    column: str | None
    value: str | None
    params: tuple[tuple[str, object], ...] = ()

    def message(self, lang: str = "id") -> str:
        """The message in ``lang`` (``"id"`` or ``"en"``), with its location in front."""
        return message(self.code, lang, row=self.row, line=self.line,
                       column=escape_value(self.column), value=self.value, **dict(self.params))


    def as_dict(self, lang: str = "id") -> dict:
        """The JSON form of the CLI contract (``message`` in ``lang``, both languages kept)."""
        msg_id, msg_en = self.message("id"), self.message("en")
        return {
            "code": self.code,
            "severity": self.severity,
            "row": self.row,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": msg_en if lang == "en" else msg_id,
            "message_id": msg_id,
            "message_en": msg_en,
        }


@dataclass
class Report:
    """All errors and warnings of one file, and the counts of the CLI contract."""

    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    rows: int = 0
    matched: int = 0
    counts: Counter = field(default_factory=Counter)
    info: dict = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        """True when the file has no error (warnings allowed)."""
        return not self.errors and self.counts["error"] == 0

    def add(
        self,
        severity: str,
        code: str,
        *,
        row: int | None = None,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
        **params: object,
    ) -> None:
        """Record an issue; ``params`` fill the message templates of ``code``."""
        self.counts[severity] += 1
        self.counts[(severity, code)] += 1
        target = self.errors if severity == "error" else self.warnings
        if len(target) >= MAX_LISTED:
            return
        column = None if column is None else str(column)
        target.append(Issue(code, severity, row, line, column, escape_value(value), tuple(params.items())))

    def error(self, code: str, **kw: object) -> None:
        """Record an error (the file will be rejected)."""
        self.add("error", code, **kw)

    def warn(self, code: str, **kw: object) -> None:
        """Record a warning (the file may still be accepted)."""
        self.add("warning", code, **kw)

    def note_truncation(self) -> None:
        """When issues were left unlisted, put a ``too_many_issues`` warning first in the list."""
        total = self.error_count() + self.warning_count()
        if total <= len(self.errors) + len(self.warnings):
            return
        params = (("count", f"{total:,}"), ("limit", f"{MAX_LISTED:,}"))
        self.warnings.insert(0, Issue("too_many_issues", "warning", None, None, None, None, params))
        self.counts["warning"] += 1

    def error_count(self) -> int:
        """Number of errors found, including those beyond the listing cap."""
        return self.counts["error"]

    def warning_count(self) -> int:
        """Number of warnings found, including those beyond the listing cap."""
        return self.counts["warning"]

    def as_dict(self, lang: str = "id") -> dict:
        """The JSON report of the CLI contract."""
        out = {
            "accepted": self.accepted,
            "rows": self.rows,
            "matched": self.matched,
            "errors": [i.as_dict(lang) for i in self.errors],
            "warnings": [i.as_dict(lang) for i in self.warnings],
            "error_count": self.error_count(),
            "warning_count": self.warning_count(),
        }
        out.update(self.info)
        return out
