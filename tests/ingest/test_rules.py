"""Number formats, missing symbols and keys, rule by rule (values checked by hand)."""

from __future__ import annotations

import pytest

from ingest import Options, validate_bytes
from ingest import numbers as num
from ingest.keys import fold, kabupaten_key, kecamatan_key, parse_code


@pytest.mark.parametrize("text, cls", [
    ("0", num.BOTH), ("-12", num.BOTH), ("1 234", num.BOTH), ("1.234.567", num.ID), ("1.234.567,89", num.ID),
    ("12,5", num.ID), ("0,500", num.ID), ("1234,567", num.ID), ("1,234,567", num.EN), ("1,234,567.89", num.EN),
    ("12.5", num.EN), ("0.500", num.EN), ("153.190", num.AMB_DOT), ("153,190", num.AMB_COMMA),
    ("-", num.MISSING), ("…", num.MISSING), ("x", num.MISSING), ("NA", num.MISSING), ("n/a", num.MISSING),
    ("", num.MISSING), ("1_000", num.BAD), ("1e5", num.BAD), ("1.23.4", num.BAD), ("12,34,567", num.BAD),
])
def test_classify(text, cls):
    assert num.classify(text) == cls


@pytest.mark.parametrize("text, locale, value", [
    ("153.190", num.ID, 153190.0), ("153.190", num.EN, 153.19), ("153,190", num.ID, 153.19),
    ("153,190", num.EN, 153190.0), ("1.234.567,89", num.ID, 1234567.89), ("1,234,567.89", num.EN, 1234567.89),
    ("-0,5", num.ID, -0.5), ("1 234,5", num.ID, 1234.5),
])
def test_to_float(text, locale, value):
    assert num.to_float(text, num.classify(text), locale) == value


@pytest.mark.parametrize("cell, kind, code", [
    ("35.78.04", "kemendagri", "35.78.04"), ("35.78.4", "kemendagri", "35.78.04"),
    ("357804", "kemendagri", "35.78.04"), ("3578110", "bps", "3578110"), (" 3578110.0 ", "bps", "3578110"),
    ("\u00a03578110", "bps", "3578110"), ("'3578110", "bps", "3578110"), (3578110, "bps", "3578110"),
    (3578110.0, "bps", "3578110"), ("3.57811E+06", "scientific", "3.57811E+06"),
    ("3,57811e6", "scientific", "3,57811e6"), ("35.78", "kabupaten", "35.78"), ("3578", "kabupaten", "35.78"),
    ("35", "province", "35"), ("35.78.04.1001", "desa", "35.78.04.1001"), ("abc", "invalid", "abc"),
    ("", "empty", ""), (None, "empty", ""),
])
def test_parse_code(cell, kind, code):
    parsed = parse_code(cell)
    assert (parsed.kind, parsed.code) == (kind, code)


def test_name_normalisation():
    assert kecamatan_key("Kec. Gondang  Wetan") == kecamatan_key("GONDANGWETAN") == "gondangwetan"
    assert kecamatan_key("Guluk-Guluk") == kecamatan_key("GULUK GULUK")
    assert kecamatan_key("Ra'as") == kecamatan_key("RA\u2019AS") == "raas"
    assert kabupaten_key("KAB.\u00a0MALANG") == ("kabupaten", "malang")
    assert kabupaten_key("Kota Batu") == ("kota", "batu")
    assert fold("SUKO MANUNGGAL") == "suko manunggal"


def test_every_kecamatan_resolves_by_each_key(gazetteer, kecamatan_frame):
    """All 666 by Kemendagri code, by BPS code (crosswalk), and by BPS name + kabupaten name."""
    lines = ["kode;kode_bps;kecamatan;kabupaten;ipm"]
    for i, r in enumerate(kecamatan_frame.itertuples()):
        lines.append(f"{r.kode};{r.kode_bps};{r.nama_bps.upper()};{r.kab_nama.upper()};{50 + i % 40}")
    res = validate_bytes("\n".join(lines).encode(), options=Options(year=2024), gazetteer=gazetteer)
    assert res.accepted, [e.message_en for e in res.report.errors[:5]]
    assert res.report.matched == 666 and res.values["region_code"].nunique() == 666
    assert not any(w.code == "coverage_partial" for w in res.report.warnings)


def test_bps_code_is_never_digit_arithmetic(gazetteer):
    # 3578080 is SUKOLILO (35.78.09), not 35.78.08 (GUBENG)
    res = validate_bytes(b"kode_bps;ipm\n3578080;80\n", options=Options(year=2024), gazetteer=gazetteer)
    assert res.values["region_code"].tolist() == ["35.78.09"]


def test_missing_regions_stay_missing_and_coverage_is_counted(gazetteer):
    res = validate_bytes(b"kode;ipm\n35.78.04;80\n35.78.09;-\n", options=Options(year=2024), gazetteer=gazetteer)
    assert res.accepted and res.values["region_code"].tolist() == ["35.78.04"]
    cov = [w for w in res.report.warnings if w.code == "coverage_partial"]
    assert len(cov) == 1 and "665 of 666" in cov[0].message_en


def test_locale_declared_overrides_and_rejects_the_other_format(gazetteer):
    res = validate_bytes(b"kode,ipm\n35.78.04,80.5\n", options=Options(year=2024, locale="id"), gazetteer=gazetteer)
    assert [e.code for e in res.report.errors] == ["number_for_other_locale"]
    res = validate_bytes(b"kode|penduduk\n35.78.04|153.190\n", options=Options(year=2024), gazetteer=gazetteer)
    assert [e.code for e in res.report.errors] == ["ambiguous_number"]
    res = validate_bytes(b"kode|penduduk\n35.78.04|153.190\n", options=Options(year=2024, locale="id"),
                         gazetteer=gazetteer)
    assert res.values["value"].tolist() == [153190.0]


def test_all_errors_are_collected_not_only_the_first(gazetteer, catalogue):
    data = b"kode;ipm;tpak\n99.99.99;abc;x\n35.78.04;-5;101\n35.78.04;1;2\n"
    res = validate_bytes(data, options=Options(year=2024), gazetteer=gazetteer, catalogue=catalogue)
    codes = sorted(e.code for e in res.report.errors)
    assert codes == sorted(["unknown_code", "not_a_number", "out_of_range", "percent_range", "duplicate_region"])


def test_year_in_header_and_year_column_must_agree(gazetteer, catalogue):
    res = validate_bytes(b"kode;tahun;IPM 2023\n35.78.04;2023;80\n35.78.09;2024;81\n", gazetteer=gazetteer,
                         catalogue=catalogue)
    assert [(e.code, e.row) for e in res.report.errors] == [("year_conflict", 2)]


def test_wide_file_with_a_year_column_stores_each_row_in_its_year(gazetteer, catalogue):
    res = validate_bytes(b"kode;tahun;ipm\n35.78.04;2023;80\n35.78.04;2024;81\n", gazetteer=gazetteer,
                         catalogue=catalogue)
    assert res.accepted
    assert sorted(zip(res.values["year"], res.values["value"], strict=True)) == [(2023, 80.0), (2024, 81.0)]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_cells = st.lists(st.one_of(st.none(), st.integers(), st.text(alphabet="0123456789.,-+ %x\u00a0", max_size=10),
                            st.from_regex(r"[+-]?[1-9][0-9]{0,2}([.,][0-9]{3}){0,3}([.,][0-9]{1,3})?", fullmatch=True)),
                  max_size=60)


@settings(max_examples=50, deadline=None)
@given(cells=_cells)
def test_vectorised_numbers_equal_the_cell_by_cell_rules(cells):
    import math

    saved = num.VECTOR_MIN
    num.VECTOR_MIN = 0  # force the vectorised path on small lists
    try:
        many = num.classify_many(cells)
        for loc in (num.ID, num.EN):
            values = num.to_float_many(cells, many, loc)
            for cell, cls, value in zip(cells, many, values, strict=True):
                if not math.isnan(value):
                    assert value == num.to_float(num.normalise_cell(cell), cls, loc)
    finally:
        num.VECTOR_MIN = saved
    assert many == [num.classify(num.normalise_cell(c).removesuffix("%").rstrip()) if isinstance(c, str) else None
                    for c in cells]


def test_issue_listing_is_capped_and_says_so(gazetteer, catalogue):
    from ingest.report import MAX_LISTED

    lines = ["kode;ipm"] + ["99.99.99;abc"] * (MAX_LISTED + 10)
    res = validate_bytes("\n".join(lines).encode(), options=Options(year=2024), gazetteer=gazetteer,
                         catalogue=catalogue)
    assert len(res.report.errors) == MAX_LISTED
    assert res.report.error_count() == 2 * (MAX_LISTED + 10)
    assert res.report.warnings[0].code == "too_many_issues"


def test_a_kabupaten_level_file_is_refused_with_a_clear_reason(gazetteer, catalogue):
    res = validate_bytes(b"kode;ipm\n35.78;80\n3573;81\n", options=Options(year=2024), gazetteer=gazetteer,
                         catalogue=catalogue)
    assert [e.code for e in res.report.errors] == ["only_subtotal_rows"]
    assert [w.code for w in res.report.warnings].count("subtotal_row") == 2
