"""Random worksheets (text, numbers, errors, dates, booleans, blanks) never make validation raise."""

from __future__ import annotations

import datetime
import io

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import Options, validate_bytes

cell = st.one_of(
    st.sampled_from(["kode", "kecamatan", "kabupaten", "ipm", "penduduk", "tahun", "indikator", "nilai",
                     "35.78.04", "3578080", "Wonokromo", "Kota Surabaya", "Jumlah", "1.234", "12,5", "-",
                     "#N/A", "(1)", "Sumber: BPS", "=1+1"]),
    st.integers(-(10**15), 10**15), st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none(),
    st.datetimes(min_value=datetime.datetime(1950, 1, 1), max_value=datetime.datetime(2050, 1, 1)),
    st.text(max_size=10),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, max_size=6), max_size=10), year=st.sampled_from([None, 2024]))
def test_random_worksheets_never_raise(rows, year, gazetteer, catalogue):
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("data")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.datetime):
                ws.write_datetime(i, j, value, date_fmt)
            else:
                ws.write(i, j, value)
    wb.close()
    result = validate_bytes(buf.getvalue(), options=Options(year=year), catalogue=catalogue, gazetteer=gazetteer)
    assert result.accepted or result.values.empty
    assert all(len(i.value or "") <= 80 for i in result.report.errors + result.report.warnings)
