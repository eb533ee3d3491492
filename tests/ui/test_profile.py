"""Profil Kecamatan: pure builders, the HTML report, and the page through AppTest."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from analysis.compare import peer_table
from analysis.targeting import gap_rows
from analysis.trends import trend_summary
from ui import profile, report
from ui.i18n import fmt_number, t

CODES = [f"35.01.{i:02d}" for i in range(1, 10)]
NEED = pd.Series([30.0, 25.0, 20.0, 15.0, 12.0, 10.0, 8.0, 6.0, 4.0], index=CODES)
PKH = pd.Series([5.0, 40.0, 35.0, 30.0, 25.0, 20.0, 15.0, 10.0, 50.0], index=CODES)


def test_gap_rows_flags_high_need_low_coverage():
    rows = gap_rows("35.01.01", NEED, {"pkh": PKH}).set_index("coverage")
    row = rows.loc["pkh"]
    # highest need (rank 1) and lowest coverage (rank 9 of 9)
    assert row["need_rank"] == 1 and row["coverage_rank"] == 9 and row["n"] == 9
    assert row["need_level"] == "high" and row["coverage_level"] == "low"
    assert bool(row["flag"]) is True
    # percentile ranks (r - 1)/(n - 1): need 8/8 = 1, coverage 0/8 = 0 -> gap 1, the largest
    assert row["gap_score"] == pytest.approx(1.0)
    assert row["priority_rank"] == 1


def test_gap_rows_low_need_well_covered_is_not_flagged():
    row = gap_rows("35.01.09", NEED, {"pkh": PKH}).iloc[0]
    # lowest need (rank 9) and highest coverage (rank 1): gap 0 - 1 = -1, the smallest
    assert row["need_level"] == "low" and row["coverage_level"] == "high"
    assert not row["flag"] and row["priority_rank"] == 9
    assert row["gap_score"] == pytest.approx(-1.0)


def test_gap_rows_missing_kecamatan_is_unknown():
    row = gap_rows("35.99.99", NEED, {"pkh": PKH}).iloc[0]
    assert row["need_level"] == "unknown" and np.isnan(row["priority_rank"])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_gap_sentence_says_it_plainly(lang):
    row = gap_rows("35.01.01", NEED, {"pkh": PKH}).iloc[0].to_dict()
    text = profile.gap_sentence(
        row,
        kecamatan="Sukolilo",
        need_name="P0",
        coverage_name="PKH",
        tr=lambda key, **kw: t(key, lang=lang, **kw),
        fmt=lambda v, d: fmt_number(v, d, lang=lang),
    )
    assert "Sukolilo" in text and "PKH" in text
    assert fmt_number(30.0, 1, lang=lang) in text and fmt_number(5.0, 1, lang=lang) in text
    word = "Kesenjangan besar" if lang == "id" else "Large gap"
    assert word in text and "1" in text


def test_trend_summary_directions():
    long = pd.DataFrame(
        {
            "region_code": ["a"] * 3,
            "indicator": ["x"] * 3,
            "year": [2019, 2020, 2021],
            "value": [5.0, 7.0, 6.0],
        }
    )
    assert trend_summary(long, "a", "x", "higher_better")["verdict"] == "better"
    assert trend_summary(long, "a", "x", "higher_worse")["verdict"] == "worse"
    summary = trend_summary(long, "a", "x", None)
    assert summary["verdict"] == "up" and summary["change"] == pytest.approx(1.0)
    assert trend_summary(long, "b", "x", None)["verdict"] == "none"


def test_peer_table_ranks_within_group():
    values = pd.DataFrame({"p": [10.0, 5.0, 20.0, 15.0]}, index=["k", "a", "b", "c"])
    cat = pd.DataFrame({"direction": ["higher_worse"]}, index=["p"])
    row = peer_table("k", ["a", "b"], values, cat).iloc[0]
    assert row["value"] == 10.0 and row["peer_median"] == pytest.approx(12.5)
    assert row["rank_among"] == 2 and row["n_group"] == 3


def test_locator_svg_is_self_contained():
    geoms = {"a": box(112.0, -7.5, 112.1, -7.4), "b": box(112.1, -7.5, 112.2, -7.4)}
    svg = profile.locator_svg(geoms, "a", titles={"a": "A <x>", "b": "B"})
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<path") == 2 and "A &lt;x&gt;" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def _report_html(lang="id", name="SUKOLILO"):
    region = {
        "kode": "35.78.09",
        "nama": name,
        "kode_bps": "3578080",
        "kab_kode": "35.78",
        "area_km2": 29.123,
        "n_desa": 0,
        "n_kelurahan": 7,
    }
    indicators = pd.DataFrame(
        [
            {
                "indicator": "poverty",
                "name": "Persentase penduduk miskin",
                "year": 2024,
                "value": 4.567,
                "unit": "%",
                "kab_value": 4.1,
                "prov_value": 9.8,
                "rank_kab": 3.0,
                "n_kab": 31.0,
                "rank_prov": 120.0,
                "n_prov": 666,
                "illustrative": True,
                "decimals": 2,
                "trend_first_year": 2020,
                "trend_change": -0.5,
                "trend_verdict": "better",
            }
        ]
    )
    gaps = gap_rows("35.01.01", NEED, {"pkh": PKH})
    gaps["name"] = "PKH"
    gaps["sentence"] = "kalimat <b>uji</b>"
    gaps["illustrative"] = True
    ctx = report.report_context(
        region=region,
        kab_name="Kota Surabaya",
        neighbours=["Gubeng", "Mulyorejo"],
        indicators=indicators,
        gaps=gaps,
        peers=None,
        peer_names=[],
        sources=[
            {
                "title": "Sensus Penduduk 2010",
                "licence": "Apache-2.0",
                "citation": "BPS",
                "url": "https://example.org",
            }
        ],
        locator_svg="<svg></svg>",
        lang=lang,
    )
    return report.render_report(ctx, lang=lang)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_contains_identity_badge_and_sources(lang):
    html = _report_html(lang)
    assert "Sukolilo" in html and "35.78.09" in html and "3578080" in html
    assert "Kota Surabaya" in html and "Gubeng, Mulyorejo" in html
    assert t("common.badge.illustrative", lang=lang) in html
    assert "Sensus Penduduk 2010" in html and "Apache-2.0" in html
    assert fmt_number(4.567, 2, lang=lang) in html
    # the sentence is escaped, not injected
    assert "kalimat &lt;b&gt;uji&lt;/b&gt;" in html
    # self-contained: no external stylesheet, script or image
    assert not re.search(r"<(link|script|img)\b[^>]*(href|src)=", html)


def test_report_escapes_names():
    html = _report_html(name="<script>alert(1)</script>")
    assert "<script>alert(1)" not in html


def test_report_filename():
    assert report.report_filename({"kode": "35.78.09", "nama": "SUKOLILO"}) == (
        "profil_35.78.09_sukolilo.html"
    )


# --------------------------------------------------------------------------- the page (AppTest)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_profile_of_sukolilo_lists_its_codes_kabupaten_and_neighbours(needs_data, lang):
    from apptest_helpers import assert_clean, open_page

    at = open_page("profil", query={"kec": "35.78.09"}, lang=lang)
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    # Kemendagri 35.78.09 is BPS 3578080 (the crosswalk; 35.78.08 is Gubeng)
    assert metrics[t("profile.identity.kemendagri", lang=lang)] == "35.78.09"
    assert metrics[t("profile.identity.bps", lang=lang)] == "3578080"
    assert metrics[t("profile.identity.kelurahan", lang=lang)] == "7"
    assert metrics[t("profile.identity.neighbours", lang=lang)] == "4"
    text = " ".join(m.value for m in at.markdown)
    assert "Kota Surabaya (35.78)" in text
    # Sukolilo borders Mulyorejo, Gubeng, Tenggilis Mejoyo and Rungkut (and the strait)
    for name in ("Mulyorejo", "Gubeng", "Tenggilis Mejoyo", "Rungkut"):
        assert f"{name} — Kota Surabaya" in text
    assert at.header[0].value == "Sukolilo — Kota Surabaya"
    # every indicator with a kecamatan value has a row; illustrative ones are badged
    import store

    col = t("profile.indicators.col_indicator", lang=lang)
    shown = next(d.value for d in at.dataframe if col in d.value.columns)
    available = store.available("kecamatan")
    assert len(shown) == len(available)
    badge = t("common.badge.illustrative", lang=lang)
    assert shown[col].str.contains(badge).sum() == int(available["illustrative"].sum())
    # the footer names the sources of every indicator shown (GRDP: sources 5 and 6)
    footer = " ".join(c.value for c in at.caption)
    assert "quarcs-lab/indonesia514" in footer and "digitalheir/Indonesia-Census-2010" in footer
    # the report download is offered, in Bahasa Indonesia (and English in English)
    labels = [b.label for b in at.get("download_button")]
    assert t("profile.download.button", lang=lang) in labels


def test_source_records_cover_indicators_and_identity_once():
    cat = pd.DataFrame({"sources": [["kesra_1", "kesra_2"], []]}, index=["ipm", "pkh"])
    sources = pd.DataFrame(
        {
            "id": ["kesra_1", "kesra_2", "boundaries_kec", "crosswalk_kecamatan", "other"],
            "title": [
                "WindyRRR/kesra",
                "WindyRRR/kesra",
                "cahyadsn/wilayah_boundaries",
                "zakiego/crosswalk",
                "x/unused",
            ],
            "licence": ["MIT", "MIT", "MIT", "none stated", "?"],
            "citation": ["BPS", "BPS", "Cahya", "BPS", ""],
            "url": ["u1", "u2", "u3", "u4", "u5"],
        }
    )
    records = profile.source_records(["ipm", "pkh"], cat, sources)
    titles = [r["title"] for r in records]
    assert titles == ["cahyadsn/wilayah_boundaries", "zakiego/crosswalk", "WindyRRR/kesra"]
