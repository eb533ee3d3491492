"""Cells of a workbook that hold no number: formulas without a saved result and every Excel
error value, each reported at its cell."""

from __future__ import annotations

import io

import openpyxl
import pytest
import xlsxwriter

from ingest import Options, validate_bytes

#: Excel's error values as Microsoft documents them (support.microsoft.com, "Excel error
#: values"; the newer ones come with dynamic arrays, data types and Python in Excel).
EXCEL_ERROR_VALUES = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!",
                      "#SPILL!", "#CALC!", "#FIELD!", "#GETTING_DATA", "#BLOCKED!", "#CONNECT!",
                      "#BUSY!", "#UNKNOWN!", "#PYTHON!", "#EXTERNAL!"]


def validate(data: bytes, gazetteer, catalogue, name="t.xlsx"):
    return validate_bytes(data, filename=name, options=Options(year=2024), catalogue=catalogue,
                          gazetteer=gazetteer)


def test_formula_cells_without_a_saved_result_are_named_by_sheet_and_cell(gazetteer, catalogue,
                                                                         kecamatan_frame):
    # openpyxl writes formulas without a cached result, as some tools do
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["kode", "a", "b", "c", "d", "ipm"])
    for n in range(2, 642):
        ws.append([kecamatan_frame["kode"].iloc[n], 1, 2, 3, 4, 70.5])
    ws["F641"] = "=B641+68"
    ws["C7"] = "=SUM(B2:B6)"
    other = wb.create_sheet("Catatan")
    other["A1"] = "=1+1"  # another sheet: not read, not reported
    buf = io.BytesIO()
    wb.save(buf)
    report = validate(buf.getvalue(), gazetteer, catalogue).report
    found = [(i.code, i.line, i.value) for i in report.errors]
    assert found == [("formula_no_cache", 7, "Data!C7"), ("formula_no_cache", 641, "Data!F641")]
    assert "Data!F641" in report.errors[1].message_en and "Data!F641" in report.errors[1].message_id


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_every_excel_error_value_is_reported_at_its_cell(gazetteer, catalogue, kecamatan_frame,
                                                         kind):
    rows = list(zip(kecamatan_frame["kode"], EXCEL_ERROR_VALUES, strict=False))
    if kind == "xlsx":
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf)
        ws = wb.add_worksheet("data")
        ws.write_row(0, 0, ["kode", "ipm"])
        for r, (code, err) in enumerate(rows, start=1):
            ws.write_string(r, 0, code)
            ws.write_formula(r, 1, "=1/0", None, err)  # a formula whose saved result is err
        wb.close()
        data = buf.getvalue()
    else:
        data = ("kode;ipm\n" + "".join(f"{c};{e}\n" for c, e in rows)).encode()
    report = validate(data, gazetteer, catalogue, name=f"t.{kind}").report
    assert [(i.code, i.row, i.line, i.column, i.value) for i in report.errors] == [
        ("excel_error", k, k + 1, "ipm", err) for k, (_code, err) in enumerate(rows, start=1)]
