"""Read delimited text (CSV, TSV, TXT) into records with their physical line numbers.

The delimiter is detected from the content (``,``, ``;``, tab, ``|``) unless Excel's
``sep=X`` hint line says it. Python's :mod:`csv` parses in strict mode, so an unterminated
quote is an error located at the line where the record starts (never a silent loss of the
rows it swallowed); parsing resumes on the next line so that later errors are found too.
Mixed line endings (CRLF, LF, CR) and quoted fields with line breaks are read as written.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from ingest.limits import Limits
from ingest.report import Report
from ingest.table import RawTable

CANDIDATES = (",", ";", "\t", "|")
#: After this many broken records the rest of the file is not searched for more.
MAX_RESUMES = 1000
#: Distinct field texts shared between records (memory of large long files).
SHARED_MAX = 100_000
_SEP_HINT = re.compile(r"^\s*sep\s*=\s*(.)\s*$", re.IGNORECASE)


def split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or CR, keeping the line ends (as ``csv`` expects).

    Examples
    --------
    >>> split_lines("a\\r\\nb\\rc\\nd")
    ['a\\r\\n', 'b\\r', 'c\\n', 'd']
    """
    return io.StringIO(text, newline="").readlines()


def detect_delimiter(lines: list[str]) -> str:
    """Choose the delimiter that splits the first lines most consistently into ≥ 2 fields."""
    sample = [ln for ln in lines[:200] if ln.strip()]
    if not sample:
        return ","
    best, best_score = ",", (-1.0, 0, 0)
    for delim in CANDIDATES:
        try:
            counts = [len(rec) for rec in csv.reader(sample, delimiter=delim)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (freq / len(counts), mode, -CANDIDATES.index(delim))
        if score > best_score:
            best, best_score = delim, score
    return best


def read_delimited(text: str, report: Report, limits: Limits, encoding: str | None = None) -> RawTable | None:
    """Parse decoded text into a :class:`RawTable`; errors go to ``report``.

    Returns None when the text cannot be read at all (too many rows before parsing).
    """
    lines = split_lines(text)
    first = 0
    delimiter = None
    if lines:
        hint = _SEP_HINT.match(lines[0].lstrip("\ufeff").rstrip("\r\n"))
        if hint:
            delimiter, first = hint.group(1), 1
    if len(lines) - first > limits.max_rows:
        report.error("too_many_rows", limit=f"{limits.max_rows:,}")
        return None
    if delimiter is None:
        delimiter = detect_delimiter(lines[first:])
    old_limit = csv.field_size_limit()
    csv.field_size_limit(limits.max_field_chars)
    records: list[list[str]] = []
    starts: list[int] = []
    try:
        pos = first
        resumes = 0
        shared: dict[str, str] = {}
        keep, known = shared.setdefault, shared.get
        while pos < len(lines):
            reader = csv.reader((lines[i] for i in range(pos, len(lines))), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
            done = 0  # physical lines consumed by this reader
            try:
                for rec in reader:
                    start = pos + done + 1  # 1-based physical line of the record's start
                    done = reader.line_num
                    # Share repeated texts (codes, indicator names, years): a large long file
                    # repeats them on every line.
                    if len(shared) < SHARED_MAX:
                        rec = [keep(f, f) for f in rec]
                    else:
                        rec = [known(f, f) for f in rec]
                    records.append(rec)
                    starts.append(start)
                pos = len(lines)
            except csv.Error as exc:
                start = pos + done + 1
                msg = str(exc)
                if "field larger than field limit" in msg:
                    report.error("field_too_long", line=start, limit=f"{limits.max_field_chars:,}")
                elif "unexpected end of data" in msg or "newline inside string" in msg:
                    report.error("unterminated_quote", line=start, value=lines[start - 1].rstrip("\r\n"))
                else:
                    report.error("bad_quote", line=start, value=lines[start - 1].rstrip("\r\n"),
                                 reason=msg)
                # Records consumed before the bad one are kept; resume after its first line.
                pos = start
                resumes += 1
                if resumes > MAX_RESUMES:
                    break
    finally:
        csv.field_size_limit(old_limit)
    return RawTable(records=records, lines=starts, kind="csv", delimiter=delimiter, encoding=encoding)
