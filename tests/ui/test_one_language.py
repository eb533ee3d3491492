"""Issue 13: one language of ranks and numbers across pages, and no modebar button that sends
data off the machine (AppTests on the real store)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from apptest_helpers import (
    assert_clean,
    choose_compare_indicators,
    figures,
    make_app,
    maps,
    open_page,
    trace,
)

import regions
import store
from ui.i18n import rank_cell, rank_in, t

pytestmark = pytest.mark.usefixtures("needs_data")

SUKOLILO, GUBENG = "35.78.09", "35.78.08"
POVERTY = "persentase_penduduk_miskin"
YEAR = 2025


def expected_ranks(code: str, indicator: str, year: int) -> tuple[int, int, int, int]:
    """Rank in the province and in the kabupaten, 1 = best (poverty: lowest), computed here
    from the store: 1 + the number of regions strictly better."""
    values = store.tidy(indicator, level="kecamatan", years=year).set_index("region_code")
    v = values["value"].dropna()
    lower_better = indicator == POVERTY
    better = (v < v[code]) if lower_better else (v > v[code])
    same_kab = v[v.index.str[:5] == code[:5]]
    better_kab = (same_kab < v[code]) if lower_better else (same_kab > v[code])
    return 1 + int(better.sum()), len(v), 1 + int(better_kab.sum()), len(same_kab)


def run_page(page: str, lang: str, indicators: list[str] | None = None) -> object:
    """Open ``page`` on a deep link; on Bandingkan, choose ``indicators`` in its picker."""
    at = make_app({"ind": POVERTY, "year": str(YEAR), "kec": f"{SUKOLILO},{GUBENG}"}, lang)
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    if indicators is not None:
        choose_compare_indicators(at, indicators)
    assert_clean(at)
    return at


@pytest.mark.parametrize("lang", ["id", "en"])
def test_sukolilo_poverty_has_one_rank_on_peta_bandingkan_profil_and_exports(lang):
    rank_prov, n_prov, rank_kab, n_kab = expected_ranks(SUKOLILO, POVERTY, YEAR)
    direction = store.catalogue().at[POVERTY, "direction"]
    phrase = rank_in(None, rank_prov, n_prov, direction, lang)
    phrase_kab = rank_in("Kota Surabaya", rank_kab, n_kab, direction, lang)

    # Peta: the summary of the selected region and the hover of the map
    at = run_page("peta", lang)
    written = [m.value for m in at.markdown]
    assert phrase in written and phrase_kab in written, written
    fig = next(f for f in figures(at) if trace(f, "values"))
    values = trace(fig, "values")
    i = values["locations"].index(SUKOLILO)
    assert values["customdata"][i][1:] == [rank_prov, rank_kab, n_kab]
    assert rank_in(None, "%{customdata[1]}", n_prov, direction, lang) in values["hovertemplate"]
    assert t("common.rank.best", lang=lang) in values["hovertemplate"]

    # Bandingkan: the table's cell
    at = run_page("bandingkan", lang, indicators=[POVERTY])
    shown = at.dataframe[0].value
    row = shown[shown[t("compare.col.region", lang=lang)].str.startswith("Sukolilo")].iloc[0]
    assert int(row[t("compare.col.year", lang=lang)]) == YEAR
    assert row[t("compare.col.rank_prov", lang=lang)] == rank_cell(rank_prov, n_prov, lang)
    assert row[t("compare.col.rank_kab", lang=lang)] == rank_cell(rank_kab, n_kab, lang)

    # Profil: the indicator table of Sukolilo (latest year = 2025)
    at = run_page("profil", lang)
    name = store.catalogue().at[POVERTY, "name_en" if lang == "en" else "name_id"]
    col = t("profile.indicators.col_indicator", lang=lang)
    shown = next(d.value for d in at.dataframe if col in d.value.columns)
    row = shown[shown[col].str.startswith(name)].iloc[0]
    assert row[t("profile.indicators.col_rank_prov", lang=lang)] == rank_cell(
        rank_prov, n_prov, lang
    )


def test_peta_export_ranks_are_whole_numbers_equal_to_the_map():
    from ui.data import maps as map_data
    from ui.mapview import export_table

    rank_prov, n_prov, rank_kab, n_kab = expected_ranks(SUKOLILO, POVERTY, YEAR)
    imap = map_data.indicator_map("kecamatan", POVERTY, YEAR, "quantiles", 5, (), "id")
    table = export_table(imap.table, "indicator", POVERTY, YEAR, "%", "id")
    from ui.exports import to_csv

    text = to_csv(table, "illustrative", "id").decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    row = frame[frame["kode"] == SUKOLILO].iloc[0]
    assert row[t("peta.export.rank_prov", lang="id")] == str(rank_prov)
    assert row[t("peta.export.n_prov", lang="id")] == str(n_prov)
    assert row[t("peta.export.rank_kab", lang="id")] == str(rank_kab)


def test_profile_report_and_gap_ranks_follow_the_same_convention():
    from ui.data import profile as profile_data

    gaps = profile_data.gap_table(SUKOLILO, POVERTY)
    row = gaps.iloc[0]
    year = int(row["year"])
    nv = store.tidy(POVERTY, level="kecamatan", years=year).set_index("region_code")["value"]
    cv = store.tidy(row["coverage"], level="kecamatan", years=year).set_index("region_code")
    both = pd.concat({"n": nv, "c": cv["value"]}, axis=1).dropna()
    # 1 = least poverty (best), as on every page; priority is a different column
    assert int(row["need_rank"]) == 1 + int((both["n"] < both.at[SUKOLILO, "n"]).sum())


# --------------------------------------------------------------------------- modebar config


def page_configs(at) -> list[dict]:
    """The Plotly config of every chart on the page: ``st.plotly_chart`` and map component."""
    configs = [json.loads(c.proto.config or "{}") for c in at.get("plotly_chart")]
    return configs + [config for _, config in maps(at)]


def reaches_another_host(config: dict) -> list[str]:
    """What in a config could send data off the machine."""
    bad = []
    if config.get("showSendToCloud", True) is not False:
        bad.append("showSendToCloud")  # plotly.js 4 default: True ("Share chart…")
    if config.get("showEditInChartStudio"):
        bad.append("showEditInChartStudio")
    if config.get("showLink"):
        bad.append("showLink")
    if config.get("displaylogo", True) is not False:
        bad.append("displaylogo")  # the logo links to plotly.com
    if config.get("plotlyServerURL", "https://cloud.plotly.com/newchart"):
        bad.append("plotlyServerURL")
    removed = set(config.get("modeBarButtonsToRemove") or [])
    bad += [
        b for b in ("sendDataToCloud", "sendChartToCloud", "editInChartStudio") if b not in removed
    ]
    text = json.dumps(config)
    if "http://" in text or "https://" in text:
        bad.append("a URL")
    return bad


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", ["beranda", "peta", "bandingkan", "ketimpangan", "profil"])
def test_no_figure_config_can_send_data_off_the_machine(page, lang):
    query = {"kec": f"{SUKOLILO},{GUBENG}"}
    at = open_page(page, query=query, lang=lang)
    assert_clean(at)
    configs = page_configs(at)
    if page != "profil":
        assert configs, f"no figure on {page}"
    for config in configs:
        assert reaches_another_host(config) == [], config
        # the modebar speaks the page's language
        assert config["locale"] == lang
        tooltip = config["locales"][lang]["dictionary"]["Download plot as a PNG"]
        assert tooltip == t("plotly.modebar.download_png", lang=lang)


# --------------------------------------------------------------------------- exports


@pytest.mark.parametrize("lang", ["id", "en"])
def test_peta_offers_a_csv_for_indonesian_excel_with_headers_in_the_language(lang):
    from ui.data import maps as map_data
    from ui.exports import to_csv_excel_id
    from ui.mapview import export_table

    at = run_page("peta", lang)
    labels = [b.label for b in at.get("download_button")]
    assert t("common.export.csv_excel_id", lang=lang) in labels
    # the file: ';' separated, decimal comma, BOM, ranks whole numbers, headers in lang
    imap = map_data.indicator_map("kecamatan", POVERTY, YEAR, "quantiles", 5, (), lang)
    raw = to_csv_excel_id(
        export_table(imap.table, "indicator", POVERTY, YEAR, "%", lang), "illustrative", lang
    )
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    value_col = t("peta.export.value", lang=lang)
    rank_col = t("peta.export.rank_prov", lang=lang)
    assert value_col in frame.columns and rank_col in frame.columns
    row = frame[frame[t("peta.export.code", lang=lang)] == SUKOLILO].iloc[0]
    stored = store.tidy(POVERTY, level="kecamatan", years=YEAR).set_index("region_code")
    assert row[value_col] == pytest.approx(stored.at[SUKOLILO, "value"], rel=1e-9)
    assert int(row[rank_col]) == expected_ranks(SUKOLILO, POVERTY, YEAR)[0]
    text = raw.decode("utf-8-sig")
    assert ";" in text.splitlines()[0] and "," not in text.splitlines()[0].replace("(1 = ", "")
    if lang == "en":  # no Indonesian header on an English page
        assert not {"nilai", "kelas", "peringkat", "tahun", "satuan"} & set(frame.columns)


def test_peta_has_a_text_alternative_with_top_bottom_and_class_counts():
    at = run_page("peta", "en")
    stored = store.tidy(POVERTY, level="kecamatan", years=YEAR).set_index("region_code")["value"]
    names = regions.kecamatan().set_index("kode")["nama"]
    text = next(c.value for c in at.caption if c.value.startswith("Highest:"))
    top, bottom = stored.idxmax(), stored.idxmin()
    assert str(names[top]) in text and str(names[bottom]) in text
    # class counts add up to the 666 kecamatan
    counts = [
        int(part.rsplit(": ", 1)[1].rstrip("."))
        for part in text.split("Regions per class: ")[1].split("; ")
    ]
    assert sum(counts) == 666


@pytest.mark.parametrize("lang", ["id", "en"])
def test_empty_pickers_speak_the_page_language(lang):
    """Streamlit's own placeholders are English ("Choose an option", "Choose options"): the
    pickers that start empty (Profil's kecamatan, Bandingkan's regions) use ours."""
    at = open_page("profil", lang=lang)
    assert_clean(at)
    box = next(s for s in at.selectbox if s.label == t("profile.page.choose", lang=lang))
    assert box.proto.placeholder == t("common.picker.choose_one", lang=lang)
    at = open_page("bandingkan", query={"kec": ""}, lang=lang)
    assert_clean(at)
    regions_box = next(m for m in at.multiselect if m.label == t("compare.page.regions", lang=lang))
    assert regions_box.proto.placeholder == t("common.picker.choose_many", lang=lang)
