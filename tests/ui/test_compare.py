"""Bandingkan (compare): pure builders on small frames, and the page through AppTest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.compare import compare_table, normalised_scores
from analysis.ranking import rank
from ui import compare
from ui.data import compare as data_compare
from ui.data import disparity as data_disparity

# Six kecamatan in two kabupaten; poverty (higher is worse) and income (higher is better).
VALUES = pd.DataFrame(
    {
        "poverty": [10.0, 20.0, 5.0, 30.0, 12.0, np.nan],
        "income": [100.0, 80.0, 120.0, 60.0, 100.0, 90.0],
    },
    index=["35.01.01", "35.01.02", "35.01.03", "35.02.01", "35.02.02", "35.02.03"],
)
GROUPS = pd.Series({c: c[:5] for c in VALUES.index})
KAB = pd.DataFrame({"poverty": [11.0, 21.0], "income": [101.0, 82.0]}, index=["35.01", "35.02"])
PROV = {"poverty": 15.0, "income": 90.0}
CAT = pd.DataFrame(
    {
        "unit": ["%", "ribu Rp"],
        "direction": ["higher_worse", "higher_better"],
        "illustrative": [True, False],
    },
    index=["poverty", "income"],
)


def _table(chosen):
    return compare_table(
        VALUES, chosen, CAT, groups=GROUPS, group_values=KAB, province_values=PROV
    )


def test_ranks_follow_direction_and_group():
    table = _table(["35.01.02", "35.02.02"]).set_index(["region", "indicator"])
    # poverty, lower is better: province order 5,10,12,20,30 (NaN unranked) -> 20 is 4th of 5
    assert table.loc[("35.01.02", "poverty"), "rank_prov"] == 4
    assert table.loc[("35.01.02", "poverty"), "n_prov"] == 5
    # in kabupaten 35.01: 5, 10, 20 -> 20 is 3rd of 3
    assert table.loc[("35.01.02", "poverty"), "rank_kab"] == 3
    assert table.loc[("35.01.02", "poverty"), "n_kab"] == 3
    # 35.02.02 poverty 12 among 30, 12 (NaN not counted) -> 1st of 2
    assert table.loc[("35.02.02", "poverty"), "rank_kab"] == 1
    assert table.loc[("35.02.02", "poverty"), "n_kab"] == 2
    # income, higher is better, ties share the lowest rank: 120, 100, 100, 90, 80, 60
    assert table.loc[("35.02.02", "income"), "rank_prov"] == 2
    assert table.loc[("35.01.02", "income"), "rank_prov"] == 5


def test_differences_and_metadata():
    table = _table(["35.01.02"]).set_index("indicator")
    assert table.loc["poverty", "diff_kab"] == pytest.approx(20.0 - 11.0)
    assert table.loc["poverty", "diff_prov"] == pytest.approx(20.0 - 15.0)
    assert table.loc["income", "diff_kab"] == pytest.approx(80.0 - 101.0)
    assert table.loc["poverty", "unit"] == "%"
    assert bool(table.loc["poverty", "illustrative"]) is True
    assert bool(table.loc["income", "illustrative"]) is False


def test_missing_value_has_no_rank():
    table = _table(["35.02.03"]).set_index("indicator")
    assert np.isnan(table.loc["poverty", "value"])
    assert np.isnan(table.loc["poverty", "rank_prov"])
    assert np.isnan(table.loc["poverty", "diff_prov"])


def test_kabupaten_level_has_no_rank_in_kabupaten():
    table = compare_table(KAB, ["35.01", "35.02"], CAT, province_values=PROV)
    assert table["rank_kab"].isna().all()
    assert table.set_index(["region", "indicator"]).loc[("35.02", "poverty"), "rank_prov"] == 2


@pytest.mark.parametrize("direction", ["higher_better", "higher_worse", "neutral"])
def test_rank_matches_sorted_position(direction):
    rng = np.random.default_rng(3)
    s = pd.Series(rng.normal(size=20))
    ranks = rank(s, direction)
    order = s.sort_values(ascending=direction == "higher_worse").index
    assert [int(ranks[i]) for i in order] == list(range(1, 21))


def test_normalised_scores_direction_aware():
    scores = normalised_scores(VALUES, ["35.01.03", "35.02.01"], CAT)
    # poverty: min 5, max 30; lower is better -> 5 scores 100, 30 scores 0
    assert scores.loc["35.01.03", "poverty"] == pytest.approx(100.0)
    assert scores.loc["35.02.01", "poverty"] == pytest.approx(0.0)
    # income: (60 - 60)/(120 - 60) = 0, (120 - 60)/60 = 1
    assert scores.loc["35.02.01", "income"] == pytest.approx(0.0)
    assert scores.loc["35.01.03", "income"] == pytest.approx(100.0)


def test_trend_frame_pivots_years():
    long = pd.DataFrame(
        {
            "region_code": ["a", "a", "b", "b", "c"],
            "indicator": ["x", "x", "x", "x", "x"],
            "year": [2021, 2020, 2020, 2021, 2020],
            "value": [2.0, 1.0, 3.0, 4.0, 9.0],
        }
    )
    trend = compare.trend_frame(long, ["b", "a"], "x")
    assert list(trend.columns) == ["b", "a"]
    assert trend.index.tolist() == [2020, 2021]
    assert trend.loc[2021, "a"] == 2.0


def test_region_options_show_kabupaten_and_both_codes():
    regions = pd.DataFrame(
        {
            "kode": ["35.78.09", "35.23.09"],
            "nama": ["SUKOLILO", "GONDANG"],
            "kode_bps": ["3578080", "3523090"],
            "kab_nama": ["KOTA SURABAYA", "TUBAN"],
        }
    )
    options = compare.region_options(regions)
    labels = {v: k for k, v in options.items()}
    assert "Sukolilo" in labels["35.78.09"] and "Kota Surabaya" in labels["35.78.09"]
    assert "3578080" in labels["35.78.09"] and "35.78.09" in labels["35.78.09"]


def test_figures_carry_values():
    table = _table(["35.01.02", "35.02.02"])
    fig = compare.bar_figure(
        table, "income", {"35.01.02": "A", "35.02.02": "B"}, reference={"Prov": 90.0}
    )
    assert list(fig.data[0].x) == [80.0, 100.0]
    assert list(fig.data[0].y) == ["A", "B"]


# --------------------------------------------------------------------------- exports

HOSTILE = ("=cmd|' /C calc'!A0", "+SUM(1)", "-1+2", "@import", '=HYPERLINK("http://x")')


def _hostile_exports():
    """Every table the issue-5 pages export, built with hostile names (as a malicious
    upload could create), then written through ui.exports."""
    from analysis.compare import indicator_rows
    from ui import exports, profile

    codes = list(VALUES.index[:2])
    table = _table(codes)
    table.insert(2, "year", 2024)
    labels = {codes[0]: HOSTILE[0], codes[1]: HOSTILE[1]}
    names = {"poverty": HOSTILE[2], "income": HOSTILE[3]}
    headers = {"value": HOSTILE[4]}
    tables = {"compare": compare.export_table(table, labels, names, headers)}
    rows = indicator_rows(
        codes[0],
        {"poverty": VALUES[["poverty"]]},
        CAT,
        groups=GROUPS,
        group_values={"poverty": KAB},
        province_values={"poverty": PROV},
    ).assign(name=HOSTILE[4], decimals=1)
    tables["profile"] = profile.export_rows(rows, lang="id")
    idx = data_disparity.index_table(np.array([1.0, 2.0, 3.0, 5.0]), None, n_boot=20)
    idx = idx.reset_index().rename(columns={"index": "id"})
    idx["note"] = HOSTILE[0]
    tables["disparity"] = idx
    out = {}
    for name, frame in tables.items():
        flag = "illustrative" if "illustrative" in frame.columns else False
        out[name] = (
            exports.to_csv(frame, illustrative=flag),
            exports.to_xlsx(frame, illustrative=flag),
        )
    return out


def test_every_exported_table_neutralises_formula_cells():
    import csv
    import io

    import openpyxl

    for name, (csv_bytes, xlsx_bytes) in _hostile_exports().items():
        reader = csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"), newline=""))
        cells = [c for row in reader for c in row]
        wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes))
        cells += [
            c.value
            for ws in wb.worksheets
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str)
        ]
        hostile_seen = [c for c in cells if c.lstrip("'") in HOSTILE]
        assert hostile_seen, f"{name}: the hostile text did not reach the export"
        for cell in cells:
            try:
                float(cell)
                continue  # a number (e.g. -1.5) is not a formula
            except ValueError:
                pass
            assert not cell.startswith(("=", "+", "-", "@")), f"{name}: {cell!r} not neutralised"


# --------------------------------------------------------------------------- the page (AppTest)

SUKOLILO, GUBENG = "35.78.09", "35.78.08"
POVERTY, GRDP = "persentase_penduduk_miskin", "pdrb_per_kapita"


def parse_number(text: str, lang: str) -> float:
    """A number as the page shows it ("−1.234,5" in Bahasa Indonesia) back to a float."""
    text = text.strip().replace("−", "-").replace("+", "")
    if lang == "id":
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    return float(text)


def expected_row(code: str, indicator: str, year: int) -> dict:
    """Value, ranks and differences computed here from the store, not by ui.compare; the
    province value is BPS's published March figure where the reference table has one."""
    import published
    import regions
    import store

    kec = store.tidy(indicator, level="kecamatan", years=year).set_index("region_code")["value"]
    kab = store.tidy(indicator, level="kabupaten", years=year).set_index("region_code")["value"]
    prov = store.tidy(indicator, level="provinsi", years=year)["value"]
    ref = published.read().query("indicator == @indicator and year == @year and month == 3")
    if indicator == "persentase_penduduk_miskin" and len(ref):
        prov = ref["value"]
    lower_better = store.catalogue().at[indicator, "direction"] == "lower_better"
    kab_of = regions.kecamatan().set_index("kode")["kab_kode"]
    value = float(kec[code])
    same_kab = kec[[kab_of[c] == kab_of[code] for c in kec.index]]

    def rank(values):  # 1 + number of strictly better regions
        return 1 + int((values < value).sum() if lower_better else (values > value).sum())

    return {
        "value": value,
        "rank_prov": (rank(kec), len(kec)),
        "rank_kab": (rank(same_kab), len(same_kab)),
        "diff_kab": value - float(kab[kab_of[code]]),
        "diff_prov": value - float(prov.iloc[0]),
    }


@pytest.mark.parametrize("lang", ["id", "en"])
def test_compare_page_ranks_and_differences(needs_data, lang):
    from apptest_helpers import assert_clean, choose_compare_indicators, make_app

    import store
    from ui.i18n import rank_cell, t

    at = make_app({"kec": f"{SUKOLILO},{GUBENG}"}, lang)
    at.run()
    at.switch_page("pages/bandingkan.py")
    at.run()
    choose_compare_indicators(at, [POVERTY, GRDP])
    assert_clean(at)
    assert at.multiselect(key="bandingkan_indicators").value == [POVERTY, GRDP]
    shown = at.dataframe[0].value
    col = {
        k: t(f"compare.col.{k}", lang=lang)
        for k in (
            "region",
            "indicator",
            "year",
            "value",
            "rank_kab",
            "rank_prov",
            "diff_kab",
            "diff_prov",
        )
    }
    decimals = store.catalogue()["decimals"]
    seen = 0
    for _, row in shown.iterrows():
        code = SUKOLILO if row[col["region"]].startswith("Sukolilo") else GUBENG
        assert row[col["region"]].startswith(("Sukolilo", "Gubeng"))
        indicator = POVERTY if "P0" in row[col["indicator"]] else GRDP
        year = int(row[col["year"]])
        assert year in store.available("kecamatan").set_index("indicator").at[indicator, "years"]
        exp = expected_row(code, indicator, year)
        tol = 0.51 * 10 ** -int(decimals[indicator])
        assert parse_number(row[col["value"]], lang) == pytest.approx(exp["value"], abs=tol)
        # written as on every page: "97 dari 666" (the header says 1 = best)
        assert row[col["rank_prov"]] == rank_cell(*exp["rank_prov"], lang)
        assert row[col["rank_kab"]] == rank_cell(*exp["rank_kab"], lang)
        assert parse_number(row[col["diff_kab"]], lang) == pytest.approx(exp["diff_kab"], abs=tol)
        assert parse_number(row[col["diff_prov"]], lang) == pytest.approx(exp["diff_prov"], abs=tol)
        seen += 1
    assert seen == 4
    # the small multiples (one bar panel per indicator), the normalised chart and the trend
    import json

    figs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(figs) == 3
    bars = [tr for tr in figs[0]["data"] if tr["type"] == "bar"]
    assert len(bars) == 2
    assert sorted(bars[0]["x"]) == sorted(
        expected_row(c, POVERTY, int(shown.iloc[0][col["year"]]))["value"]
        for c in (SUKOLILO, GUBENG)
    )
    assert [b.label for b in at.get("download_button")] == [
        t("common.export.csv", lang=lang),
        t("common.export.csv_excel_id", lang=lang),
        t("common.export.xlsx", lang=lang),
    ]


def test_compare_page_at_kabupaten_level_ranks_among_38(needs_data):
    from apptest_helpers import assert_clean, choose_compare_indicators, make_app

    import store
    from ui.i18n import t

    # the map's kecamatan (Sukolilo, Donomulyo) become their kabupaten/kota
    at = make_app({"level": "kabupaten", "kec": f"{SUKOLILO},35.07.01"}, "id")
    at.run()
    at.switch_page("pages/bandingkan.py")
    at.run()
    choose_compare_indicators(at, [GRDP])
    assert_clean(at)
    shown = at.dataframe[0].value
    assert t("compare.col.rank_kab", lang="id") not in shown.columns
    year = int(shown.iloc[0][t("compare.col.year", lang="id")])
    kab = store.tidy(GRDP, level="kabupaten", years=year).set_index("region_code")["value"]
    for _, row in shown.iterrows():
        code = "35.78" if row[t("compare.col.region", lang="id")] == "Kota Surabaya" else "35.07"
        rank = 1 + int((kab > kab[code]).sum())
        assert row[t("compare.col.rank_prov", lang="id")] == f"{rank} dari {len(kab)}"
    assert {r for r in shown[t("compare.col.region", lang="id")]} == {
        "Kota Surabaya",
        "Kabupaten Malang",
    }


def test_suggest_peers_fills_the_comparison_with_the_closest_kecamatan(needs_data):
    from apptest_helpers import assert_clean, make_app

    from analysis import peers
    from ui.i18n import t

    at = make_app({"kec": SUKOLILO}, "id")
    at.run()
    at.switch_page("pages/bandingkan.py")
    at.run()
    assert at.info and at.info[0].value == t("compare.page.need_two", lang="id")
    button = next(b for b in at.button if b.label == t("compare.page.peers", lang="id"))
    button.click().run()
    assert_clean(at)
    chosen = at.session_state["bandingkan_regions"]
    assert chosen[0] == SUKOLILO and len(chosen) == 8
    features = data_compare.peer_features("kecamatan")
    expected = peers.peers(features, SUKOLILO, n=7).index.tolist()
    assert chosen[1:] == expected
    # the comparison is now the shared selection (first = focus) and is shown
    assert at.session_state["selected"] == chosen
    assert len(at.dataframe) == 1
