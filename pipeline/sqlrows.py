"""Read the rows of SQL ``INSERT`` statements as data, without executing anything.

The upstream files of sources 1 and 2 are SQL dumps. Only ``INSERT INTO <table>(<cols>) VALUES
(...), (...);`` statements are read; literals are parsed by a small tokenizer (quoted strings
with ``''`` and backslash escapes, numbers, ``NULL``). Anything else (comments, ``CREATE``,
``DELETE``) is skipped. A row that does not parse raises :class:`MalformedSQL` naming the file,
the line and the problem.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

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
    """Parse ``INSERT`` rows from SQL text; see :func:`read_inserts`.

    Examples
    --------
    >>> sql = "INSERT INTO t(a,b) VALUES ('35.01','x'),('36.01','y');\\nINSERT INTO u(c) VALUES (1);"
    >>> parse_inserts(sql, prefix="35").rows
    [('35.01', 'x')]
    >>> parse_inserts("INSERT INTO t(a,b) VALUES\\n(1,2),\\n(3);", label="t.sql")
    Traceback (most recent call last):
    ...
    pipeline.sqlrows.MalformedSQL: t.sql, line 3: malformed SQL row: row has 1 values, \
the statement names 2 columns (near '3);')
    """
    reader = _Reader(text, label, prefix)
    columns: tuple[str, ...] | None = None
    found_table = table
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
            reader.fail(stmt.start(), f"columns {cols} differ from the earlier {columns}")
        reader.statement(stmt.end(), columns)
    if columns is None or not reader.rows:
        raise MalformedSQL(
            f"{label}: no INSERT rows found" + (f" for table {table}" if table else "")
        )
    return InsertRows(found_table, columns, reader.rows, [reader.line_of(p) for p in reader.starts])


def _skip_run(prefix: str) -> re.Pattern:
    """A run of rows whose first value is not a string starting with ``prefix``, each followed
    by ``,`` (possessive everywhere: no backtracking)."""
    string = r"'(?:[^'\\]++|\\.|'')*+'"
    return re.compile(
        r"(?:\s*+\(\s*+"
        r"(?:'(?!" + re.escape(prefix) + r")(?:[^'\\]++|\\.|'')*+'|(?=[^'\s]))"
        r"(?:[^'()]++|" + string + r")*+"
        r"\)\s*+,)*+"
    )


class _Reader:
    """Reads the rows of ``INSERT`` statements from SQL text, collecting rows and their offsets;
    errors name the label, the line and the problem."""

    def __init__(self, text: str, label: str, prefix: str | None) -> None:
        self.text = text
        self.label = label
        self.prefix = prefix
        self.skip_run = _skip_run(prefix) if prefix is not None else None
        self.rows: list[tuple] = []
        self.starts: list[int] = []
        self._line_starts: list[int] | None = None

    def line_of(self, pos: int) -> int:
        """1-based line number of offset ``pos``."""
        if self._line_starts is None:
            self._line_starts = [m.end() for m in re.finditer("\n", self.text)]
        return bisect.bisect_right(self._line_starts, pos) + 1

    def fail(self, pos: int, problem: str) -> NoReturn:
        snippet = self.text[pos : pos + 60].split("\n", 1)[0]
        raise MalformedSQL(
            f"{self.label}, line {self.line_of(pos)}: malformed SQL row: {problem} "
            f"(near {snippet!r})"
        )

    def _expect(self, pos: int, punct: tuple[str, ...], problem: str) -> re.Match:
        m = _TOKEN.match(self.text, pos)
        if not m or m.group("punct") not in punct:
            self.fail(pos, problem)
        return m

    def statement(self, pos: int, columns: tuple[str, ...]) -> None:
        """Read the rows of one statement, from after ``VALUES`` to its ``;``."""
        while True:
            pos, skipped = self._skip(pos)
            if not skipped:
                pos = self._row(pos, columns)
            m = self._expect(pos, (",", ";"), "expected ',' or ';' after a row")
            pos = m.end()
            if m.group("punct") == ";":
                return

    def _skip(self, pos: int) -> tuple[int, bool]:
        """Step over rows whose first value does not start with the prefix, without reading
        their values; returns the new position and whether the row there was stepped over
        too (when false, the row at the position is to be read)."""
        if self.skip_run is None:
            return pos, False
        pos = self.skip_run.match(self.text, pos).end()  # a run of other rows, in one C call
        row = _ROW.match(self.text, pos)
        if row and not (row.group(1) or "").startswith(self.prefix):
            return row.end(), True
        return pos, False

    def _row(self, pos: int, columns: tuple[str, ...]) -> int:
        """Read one row ``( value , value ... )``; returns the position after it."""
        start = self._expect(pos, ("(",), "expected '(' to start a row").end()
        values, pos = self._values(start)
        if len(values) != len(columns):
            self.fail(
                start, f"row has {len(values)} values, the statement names {len(columns)} columns"
            )
        self.rows.append(tuple(values))
        self.starts.append(start)
        return pos

    def _values(self, pos: int) -> tuple[list, int]:
        values: list = []
        while True:
            m = _TOKEN.match(self.text, pos)
            if not m:
                self.fail(pos, "cannot read a value")
            if m.group("str") is not None:
                values.append(_unquote(m.group("str")))
            elif m.group("num") is not None:
                s = m.group("num")
                values.append(float(s) if any(c in s for c in ".eE") else int(s))
            elif m.group("null") is not None:
                values.append(None)
            else:
                self.fail(pos, "expected a value")
            m = self._expect(m.end(), (",", ")"), "expected ',' or ')' after a value")
            pos = m.end()
            if m.group("punct") == ")":
                return values, pos
