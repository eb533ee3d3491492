"""Exports: formulas neutralised in text cells, numbers kept as numbers, badge carried."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from ui import exports

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x")']


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "kode": ["35.78.09"] * len(HOSTILE) + ["35.78.08"],
            "nama": HOSTILE + ["Gubeng"],
            "nilai": [-3.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.25],
            "rank": list(range(1, len(HOSTILE) + 2)),
        }
    )


def test_csv_neutralises_text_and_keeps_numbers(table):
    data = exports.to_csv(table, lang="id")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for row, original in zip(rows, HOSTILE, strict=False):
        assert row["nama"] == "'" + original
    assert rows[-1]["nama"] == "Gubeng"
    assert [float(r["nilai"]) for r in rows] == table["nilai"].tolist()
    assert rows[0]["nilai"] == "-3.5"  # a negative number is not a formula: untouched


def test_csv_badge_whole_table(table):
    rows = list(
        csv.DictReader(
            io.StringIO(exports.to_csv(table, True, "id").decode("utf-8-sig"), newline="")
        )
    )
    assert {r[exports.STATUS_COLUMN] for r in rows} == {"data ilustrasi"}


def test_csv_badge_by_row(table):
    flagged = table.assign(ilu=[True] + [False] * (len(table) - 1))
    rows = list(
        csv.DictReader(
            io.StringIO(exports.to_csv(flagged, "ilu", "en").decode("utf-8-sig"), newline="")
        )
    )
    assert rows[0][exports.STATUS_COLUMN] == "illustrative data"
    assert all(r[exports.STATUS_COLUMN] == "" for r in rows[1:])
    assert "ilu" not in rows[0]


def test_xlsx_cells_are_text_or_numbers_never_formulas(table):
    data = exports.to_xlsx(table, illustrative=True, sources=["=evil source"], lang="id")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["data"]
    header = [c.value for c in ws[1]]
    assert header == ["kode", "nama", "nilai", "rank", exports.STATUS_COLUMN]
    for row in ws.iter_rows(min_row=2):
        name, value = row[1], row[2]
        assert name.data_type == "s"
        assert not str(name.value).startswith(exports.FORMULA_PREFIXES)
        assert value.data_type == "n" and isinstance(value.value, int | float)
        assert row[4].value == "data ilustrasi"
    assert ws["C2"].value == -3.5
    notes = [c.value for c in wb["Keterangan"]["A"]][1:]
    assert notes[0].startswith("Data ilustrasi")
    assert notes[1] == "'=evil source"


def test_neutralise_leaves_numeric_columns_alone():
    df = pd.DataFrame({"x": [-1, 2], "s": ["-1", "a"]})
    out = exports.neutralise(df)
    assert out["x"].tolist() == [-1, 2]
    assert out["s"].tolist() == ["'-1", "a"]
