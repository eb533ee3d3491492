"""Read the rows of SQL ``INSERT`` statements as data, without executing anything.

The upstream files of sources 1 and 2 are SQL dumps. Only ``INSERT INTO <table>(<cols>) VALUES
(...), (...);`` statements are read; literals are parsed by a small tokenizer (quoted strings
with ``''`` and backslash escapes, numbers, ``NULL``). Anything else (comments, ``CREATE``,
``DELETE``) is skipped. A row that does not parse raises :class:`MalformedSQL` naming the file,
the line and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

_INSERT = re.compile(r"INSERT\s+INTO\s+`?(\w+)`?\s*\(([^)]*)\)\s*VALUES\s*", re.IGNORECASE)
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^'\\]+|\\.|'')*')
      | (?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?![\w.])
      | (?P<null>NULL)\b
      | (?P<punct>[(),;])
    )""",
    re.VERBOSE | re.IGNORECASE,
)
#: A whole row, stepped over without reading its values; group 1 is the first value when it is
#: a string.
_ROW = re.compile(
    r"""\s*+\(\s*+(?:'((?:[^'\\]++|\\.|'')*+)')?(?:[^'()]++|'(?:[^'\\]++|\\.|'')*+')*+\)"""
)
_UNESCAPE = re.compile(r"\\(.)|''", re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


class MalformedSQL(PipelineError, ValueError):
    """A SQL dump could not be read as data; the message names file, line and problem."""


@dataclass(frozen=True)
class InsertRows:
    """The rows of all ``INSERT`` statements for one table in one file."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple]
    lines: list[int]


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    if "'" not in body and "\\" not in body:
        return body
    return _UNESCAPE.sub(
        lambda m: "'" if m.group(1) is None else _ESCAPES.get(m.group(1), m.group(1)), body
    )


def read_inserts(
    path: Path | str,
    table: str | None = None,
    *,
    label: str | None = None,
    prefix: str | None = None,
) -> InsertRows:
    """Parse the ``INSERT`` rows of one table from a SQL dump.

    Parameters
    ----------
    path : Path or str
        The SQL file (UTF-8).
    table : str, optional
        Only statements into this table; by default the first table inserted into.
    label : str, optional
        How to name the file in error messages (default: the path).
    prefix : str, optional
        Keep only rows whose first value is a string starting with ``prefix`` (e.g. ``"35"``
        for East Java); other rows are stepped over as a whole without reading their values.

    Returns
    -------
    InsertRows
        Column names and the rows as tuples of ``str``, ``int``/``float`` or ``None``, with the
        1-based line number of each row.

    Raises
    ------
    MalformedSQL
        When a row does not parse, has the wrong number of values, or no rows are found.

    Examples
    --------
    >>> import tempfile, os
    >>> sql = "/* x */ INSERT INTO t(a,b) VALUES ('It''s',1.5),('x',NULL);"
    >>> with tempfile.NamedTemporaryFile('w', suffix='.sql', delete=False) as f:
    ...     _ = f.write(sql)
    >>> read_inserts(f.name).rows
    [("It's", 1.5), ('x', None)]
    >>> os.unlink(f.name)
    """
    path = Path(path)
    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedSQL(f"{label}: not UTF-8 text ({exc})") from exc
    return parse_inserts(text, table, label=label, prefix=prefix)


def parse_inserts(
    text: str, table: str | None = None, *, label: str = "<sql>", prefix: str | None = None
) -> InsertRows:
    """Parse ``INSERT`` rows from SQL text; see :func:`read_inserts`."""
    rows: list[tuple] = []
    lines: list[int] = []
    if prefix is not None:
        string = r"'(?:[^'\\]++|\\.|'')*+'"
        skip_run = re.compile(  # possessive everywhere: no backtracking
            r"(?:\s*+\(\s*+"
            r"(?:'(?!" + re.escape(prefix) + r")(?:[^'\\]++|\\.|'')*+'|(?=[^'\s]))"
            r"(?:[^'()]++|" + string + r")*+"
            r"\)\s*+,)*+"
        )
    columns: tuple[str, ...] | None = None
    found_table = table
    line_starts: list[int] | None = None

    def line_of(pos: int) -> int:
        nonlocal line_starts
        if line_starts is None:
            line_starts = [m.end() for m in re.finditer("\n", text)]
        import bisect

        return bisect.bisect_right(line_starts, pos) + 1

    def fail(pos: int, problem: str) -> None:
        snippet = text[pos : pos + 60].split("\n", 1)[0]
        raise MalformedSQL(
            f"{label}, line {line_of(pos)}: malformed SQL row: {problem} (near {snippet!r})"
        )

    for stmt in _INSERT.finditer(text):
        name = stmt.group(1)
        if found_table is None:
            found_table = name
        if name.lower() != found_table.lower():
            continue
        cols = tuple(c.strip().strip('`"') for c in stmt.group(2).split(","))
        if columns is None:
            columns = cols
        elif cols != columns:
            fail(stmt.start(), f"columns {cols} differ from the earlier {columns}")
        pos = stmt.end()
        while True:
            # one row: ( value , value ... )
            if prefix is not None:
                pos = skip_run.match(text, pos).end()  # a run of other rows, in one C call
                skip = _ROW.match(text, pos)
                if skip and not (skip.group(1) or "").startswith(prefix):
                    pos = skip.end()
                    m = _TOKEN.match(text, pos)
                    if not m or m.group("punct") not in (",", ";"):
                        fail(pos, "expected ',' or ';' after a row")
                    pos = m.end()
                    if m.group("punct") == ";":
                        break
                    continue
            m = _TOKEN.match(text, pos)
            if not m or m.group("punct") != "(":
                fail(pos, "expected '(' to start a row")
            row_pos = m.end()
            values: list = []
            pos = m.end()
            while True:
                m = _TOKEN.match(text, pos)
                if not m:
                    fail(pos, "cannot read a value")
                if m.group("str") is not None:
                    values.append(_unquote(m.group("str")))
                elif m.group("num") is not None:
                    s = m.group("num")
                    values.append(float(s) if any(c in s for c in ".eE") else int(s))
                elif m.group("null") is not None:
                    values.append(None)
                else:
                    fail(pos, "expected a value")
                pos = m.end()
                m = _TOKEN.match(text, pos)
                if not m or m.group("punct") not in (",", ")"):
                    fail(pos, "expected ',' or ')' after a value")
                pos = m.end()
                if m.group("punct") == ")":
                    break
            if len(values) != len(columns):
                fail(
                    row_pos,
                    f"row has {len(values)} values, the statement names {len(columns)} columns",
                )
            rows.append(tuple(values))
            lines.append(row_pos)
            m = _TOKEN.match(text, pos)
            if not m or m.group("punct") not in (",", ";"):
                fail(pos, "expected ',' or ';' after a row")
            pos = m.end()
            if m.group("punct") == ";":
                break
    if columns is None or not rows:
        raise MalformedSQL(
            f"{label}: no INSERT rows found" + (f" for table {table}" if table else "")
        )
    return InsertRows(found_table, columns, rows, [line_of(p) for p in lines])
