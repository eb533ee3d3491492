"""SQL INSERT rows are read as data, never executed."""

from __future__ import annotations

import pytest

from pipeline.sqlrows import MalformedSQL, parse_inserts


def test_values_quotes_and_nulls():
    sql = (
        "/* header with 'quotes' */\nDELETE FROM t WHERE 1;\n"
        "INSERT INTO t(kode,nama,x) VALUES\n"
        "\t('35.29.22','Ra''as',-7.5),\n"
        "\t('a\\'b','x',NULL);\n"
        "INSERT INTO other(a) VALUES (1);\n"
        "INSERT INTO t(kode,nama,x) VALUES ('c','d',2e3);\n"
    )
    rows = parse_inserts(sql, "t")
    assert rows.columns == ("kode", "nama", "x")
    assert rows.rows == [("35.29.22", "Ra'as", -7.5), ("a'b", "x", None), ("c", "d", 2000.0)]
    assert rows.lines == [4, 5, 7]
    assert parse_inserts(sql, "other").rows == [(1,)]


def test_statements_are_not_executed():
    sql = "INSERT INTO t(a) VALUES ('x''); DROP TABLE t; --');"
    assert parse_inserts(sql).rows == [("x'); DROP TABLE t; --",)]


@pytest.mark.parametrize(
    "sql, problem",
    [
        (
            "INSERT INTO t(a,b) VALUES\n('x',1),\n('y');",
            "line 3: malformed SQL row: row has 1 values",
        ),
        ("INSERT INTO t(a,b) VALUES\n('x',1)\n('y',2);", "line 2: malformed SQL row: expected ','"),
        ("INSERT INTO t(a,b) VALUES\n('x,1),\n('y',2);", "line 3"),
        ("INSERT INTO t(a,b) VALUES\n('x',foo);", "line 2: malformed SQL row: cannot read a value"),
        ("INSERT INTO t(a,b) VALUES\n('x',1)", "line 2: malformed SQL row: expected ',' or ';'"),
        ("-- nothing here", "no INSERT rows"),
    ],
)
def test_malformed_rows_are_located(sql, problem):
    with pytest.raises(MalformedSQL, match=problem.replace("(", r"\(")) as err:
        parse_inserts(sql, label="demo.sql")
    assert str(err.value).startswith("demo.sql")


def test_prefix_keeps_only_matching_rows():
    sql = (
        "INSERT INTO w(kode,nama) VALUES\n('11.01','Aceh (x)'),\n('35.01','Pacitan'),\n"
        "(12,'n'),\n('35.29.22','Ra''as');"
    )
    rows = parse_inserts(sql, prefix="35.")
    assert rows.rows == [("35.01", "Pacitan"), ("35.29.22", "Ra'as")]
    assert rows.lines == [3, 5]
    assert parse_inserts(sql).rows[0] == ("11.01", "Aceh (x)")
