"""The province is shown with BPS's own published figures; what is computed here says so.

References: ``/work/shared/data/published/jatim_provinsi_bps.csv`` (the shared copy of the
figures BPS, Dukcapil and BIG published for Jawa Timur, each with the page that reported it)
when present; the project's cited copy ``data/reference/provinsi_bps.toml`` always.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import assert_clean, choose_compare_indicators, make_app, open_page

import published
import settings
import store
from ui.data import province
from ui.i18n import t

SHARED_CSV = settings.ROOT.parent.parent / "shared" / "data" / "published" / "jatim_provinsi_bps.csv"
if not SHARED_CSV.exists():  # worktrees live in /work/wt/<name>, main in /work/main
    SHARED_CSV = Path("/work/shared/data/published/jatim_provinsi_bps.csv")


@pytest.fixture(scope="module")
def shared() -> pd.DataFrame:
    if not SHARED_CSV.exists():
        pytest.skip(f"{SHARED_CSV} not present")
    return pd.read_csv(SHARED_CSV, dtype={"period": str})


def test_reference_table_equals_the_shared_publication_list(shared):
    ours = published.read()
    assert len(ours) == len(shared)
    left = ours.rename(columns={"source": "as_reported_by"})[
        ["indicator", "period", "value", "unit", "what", "as_reported_by"]
    ]
    key = ["indicator", "period"]
    merged = shared.merge(left, on=key, how="outer", suffixes=("_csv", "_ours"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][key]
    for col in ("value",):
        assert (merged[f"{col}_csv"] - merged[f"{col}_ours"]).abs().max() == 0
    for col in ("unit", "what", "as_reported_by"):
        assert (merged[f"{col}_csv"] == merged[f"{col}_ours"]).all(), col


@pytest.mark.usefixtures("needs_data")
def test_nothing_labelled_bps_differs_from_the_publication(shared):
    """Every province figure the dashboard labels as published (for every indicator and year
    the store has at province level, and every year the reference table has) is the value of
    the shared list, converted only by the stated unit factor."""
    years = set(range(2005, 2030))
    checked = 0
    for indicator in store.catalogue().index:
        for year in years:
            fig = province.figure(indicator, year)
            if not fig.published:
                continue
            ref_id, factor = province.PUBLISHED_AS[indicator]
            rows = shared[(shared["indicator"] == ref_id) & shared["period"].str.startswith(str(year))]
            period = f"{year}-{fig.month:02d}" if fig.month else str(year)
            row = rows[rows["period"] == period]
            assert len(row) == 1, (indicator, year, period)
            assert fig.value == pytest.approx(float(row["value"].iloc[0]) * factor, rel=1e-12)
            assert fig.source == row["as_reported_by"].iloc[0]
            checked += 1
    assert checked >= 20


@pytest.mark.usefixtures("needs_data")
def test_a_computed_province_value_is_labelled_computed_with_its_method():
    fig = province.figure("persentase_penduduk_miskin", 2023)
    assert fig.published  # March 2023 is in the table
    fig = province.figure("pdrb_per_kapita", 2023)
    assert fig.kind == "computed" and fig.method == "per_capita"
    assert province.basis_text(fig, "id") == "dihitung"
    assert province.basis_text(fig, "en") == "computed"
    assert "not a BPS figure" in province.method_text(fig, "en")
    assert "BPS" not in province.basis_text(fig, "en")
    expected = store.tidy("pdrb_per_kapita", level="provinsi", years=2023)["value"].iloc[0]
    assert fig.value == pytest.approx(expected)


@pytest.mark.usefixtures("needs_data")
@pytest.mark.parametrize(("lang", "period"), [("id", "Maret 2025"), ("en", "March 2025")])
def test_beranda_shows_bps_march_2025_poverty_rate(lang, period):
    at = open_page(
        "beranda",
        query={"ind": "persentase_penduduk_miskin", "level": "kabupaten", "year": "2025"},
        lang=lang,
    )
    assert_clean(at)
    head = at.metric[0]
    assert head.value == ("9,50 %" if lang == "id" else "9.50 %")
    # March 2024 (9.79) is the previous published March figure
    assert head.delta.replace("\u2212", "-") == ("-0,29" if lang == "id" else "-0.29")
    captions = [c.value for c in at.caption]
    assert f"BPS, {period}" in captions
    assert "vnnmedia.co.id" in head.proto.help


@pytest.mark.usefixtures("needs_data")
def test_bandingkan_province_column_is_bps_with_its_period():
    at = make_app({"level": "kabupaten", "kec": "35.78.09,35.07.01"}, "id")
    at.run()
    at.switch_page("pages/bandingkan.py")
    at.run()
    choose_compare_indicators(at, ["persentase_penduduk_miskin", "pdrb_per_kapita"])
    assert_clean(at)
    shown = at.dataframe[0].value
    basis = t("common.province.basis", lang="id")
    prov = t("compare.col.prov_value", lang="id")
    p0 = shown[shown[t("compare.col.indicator", lang="id")].str.contains("P0")]
    year = int(p0[t("compare.col.year", lang="id")].iloc[0])
    fig = published.figure("persentase_penduduk_miskin", year)
    assert set(p0[basis]) == {f"BPS, Maret {year}"}
    assert set(p0[prov]) == {f"{fig['value']:.2f}".replace(".", ",")}
    # GRDP per capita at constant prices: no published figure, so the column says computed
    other = shown[~shown.index.isin(p0.index)]
    assert set(other[basis]) == {"dihitung"}
