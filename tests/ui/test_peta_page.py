"""AppTest of the Peta page on the real store and geography."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import assert_clean, figures, map_payloads, open_page, trace

import regions
import settings
import store

pytestmark = pytest.mark.usefixtures("needs_data")


def geo_codes(level: str) -> list[str]:
    data = json.loads((settings.GEO_DIR / f"{level}_display.geojson").read_text())
    return sorted(str(f["id"]) for f in data["features"])


def map_fig(at):
    figs = [f for f in figures(at) if trace(f, "values")]
    assert figs, "no map figure on the page"
    return figs[0]


def drawn_codes(fig) -> list[str]:
    codes = list(trace(fig, "values")["locations"])
    for name in ("no_data", "not_applicable"):
        nd = trace(fig, name)
        if nd:
            codes += list(nd["locations"])
    return sorted(codes)


def test_idm_is_not_applicable_in_exactly_the_kecamatan_of_kelurahan_only():
    """IDM covers desa only: the 63 kecamatan without a desa are drawn "not applicable" (their
    own trace, legend entry and hover), never 0 and never "no data"."""
    desa = regions.desa()
    with_desa = set(desa.loc[desa["jenis"] == "desa", "kec_kode"])
    expected = sorted(set(regions.kecamatan()["kode"]) - with_desa)
    at = open_page("peta", query={"ind": "idm", "year": "2024", "level": "kecamatan"})
    assert_clean(at)
    fig = map_fig(at)
    off = trace(fig, "not_applicable")
    assert len(expected) == 63 and sorted(off["locations"]) == expected
    assert "Tidak berlaku" in off["hovertemplate"]
    assert not trace(fig, "no_data") or not set(trace(fig, "no_data")["locations"]) & set(expected)
    legend = [tr["name"] for tr in fig["data"] if tr.get("type") == "scattergeo"]
    assert "Tidak berlaku" in legend


@pytest.mark.parametrize("lang", ["id", "en"])
def test_peta_renders_666_kecamatan(lang):
    at = open_page("peta", lang=lang)
    assert_clean(at)
    fig = map_fig(at)
    codes = drawn_codes(fig)
    assert len(codes) == 666 and len(set(codes)) == 666
    assert codes == geo_codes("kecamatan")
    # polygons are not in the figure: the GeoJSON is a static URL, the overview layers for
    # the whole province, and the display layers named for when the user zooms in
    values, outlines = trace(fig, "values")["geojson"], trace(fig, "outlines")["geojson"]
    assert values.startswith("app/static/generated/kecamatan_overview.")
    assert outlines.startswith("app/static/generated/kabupaten_overview.")
    lod = map_payloads(at)[0]["lod"]
    assert lod["zoom"] > 1 and set(lod["detail"]) == {values, outlines}
    assert lod["detail"][values].startswith("app/static/generated/kecamatan_display.")
    assert lod["detail"][outlines].startswith("app/static/generated/kabupaten_display.")
    assert len(trace(fig, "outlines")["locations"]) == 38
    assert fig["layout"]["separators"] == (",." if lang == "id" else ".,")


@pytest.mark.parametrize("how", ["kabupaten", "search"])
def test_a_zoomed_view_draws_the_display_layers_from_the_start(how):
    """A kabupaten/kota or a searched kecamatan fills the map: its regions need the display
    layers' detail (~150 m), which the overview (~330-440 m) would lack."""
    if how == "kabupaten":
        at = open_page("peta", query={"kab": "35.78"})
    else:
        at = open_page("peta")
        at.selectbox(key="peta_search").select("35.78.09").run()
    assert_clean(at)
    fig = map_fig(at)
    assert trace(fig, "values")["geojson"].startswith("app/static/generated/kecamatan_display.")
    assert trace(fig, "outlines")["geojson"].startswith("app/static/generated/kabupaten_display.")
    assert map_payloads(at)[0]["lod"] is None


def test_peta_kabupaten_level_has_38():
    at = open_page("peta", query={"level": "kabupaten"})
    assert_clean(at)
    codes = drawn_codes(map_fig(at))
    assert codes == geo_codes("kabupaten") and len(codes) == 38


def test_classification_and_no_data_for_a_known_indicator():
    """Quantile classes equal mapclassify's on the store's values; missing is never 0."""
    import mapclassify

    indicator, year = "persentase_penduduk_miskin", None
    av = store.available("kecamatan")
    year = max(av[av["indicator"] == indicator].iloc[0]["years"])
    at = open_page("peta", query={"ind": indicator, "year": str(year), "cls": "quantiles", "k": "5"})
    assert_clean(at)
    fig = map_fig(at)
    values = store.tidy(indicator, level="kecamatan", years=year).set_index("region_code")["value"]
    tr = trace(fig, "values")
    drawn = pd.Series(tr["z"], index=tr["locations"])
    assert set(drawn.index) == set(values.index)
    expected = pd.Series(mapclassify.Quantiles(values.to_numpy(), k=5).yb, index=values.index)
    assert (drawn.sort_index() == expected.sort_index()).all()
    # hover value is the stored value
    hover = pd.Series([c[0] for c in tr["customdata"]], index=tr["locations"])
    assert np.allclose(hover.sort_index(), values.sort_index().round(3), atol=0.01)
    # regions without a value are drawn as no data, not as a class
    missing = sorted(set(geo_codes("kecamatan")) - set(values.index))
    nd = trace(fig, "no_data")
    assert sorted(nd["locations"] if nd else []) == missing
    legend_names = [t["name"] for t in fig["data"] if str(t.get("meta", "")).startswith("legend:")]
    assert len(legend_names) == 5 + (1 if missing else 0)


def test_query_params_restore_a_view():
    av = store.available("kabupaten")
    row = av[av["indicator"] == "ipm"]
    if row.empty:
        pytest.skip("no ipm at kabupaten level in the store")
    year = min(row.iloc[0]["years"])
    query = {"level": "kabupaten", "ind": "ipm", "year": str(year), "cls": "equal_interval",
             "k": "4", "lang": "en"}
    at = open_page("peta", query=query)
    assert_clean(at)
    assert at.session_state["level"] == "kabupaten"
    assert at.session_state["indicator"] == "ipm"
    assert at.session_state["year"] == year
    assert at.session_state["classification"] == "equal_interval"
    assert at.session_state["n_classes"] == 4
    fig = map_fig(at)
    assert len(set(trace(fig, "values")["z"])) <= 4
    assert "Zoom to kabupaten/kota" in [s.label for s in at.selectbox]
    # the URL keeps the view
    assert at.query_params["ind"] in ("ipm", ["ipm"])


def test_selected_kecamatan_is_outlined_and_summarised():
    at = open_page("peta", query={"kec": "35.78.09", "kab": "35.78"})
    assert_clean(at)
    fig = map_fig(at)
    assert trace(fig, "selected")["locations"] == ["35.78.09"]
    # zoomed to Kota Surabaya: a fixed view instead of fitting everything
    geo = fig["layout"]["geo"]
    assert geo.get("fitbounds") is False
    lon0, lon1 = geo["lonaxis"]["range"]
    assert 112.5 < lon0 < lon1 < 113.0
    text = " ".join(m.value for m in at.markdown)
    assert "Sukolilo" in text.title()


def test_illustrative_indicator_is_badged_on_map_and_export():
    at = open_page("peta", query={"ind": "persentase_penduduk_miskin"})
    assert_clean(at)
    fig = map_fig(at)
    assert any(a.get("name") == "illustrative_badge" for a in fig["layout"].get("annotations", []))


def _latest(indicator: str) -> int:
    av = store.available("kecamatan")
    return max(av[av["indicator"] == indicator].iloc[0]["years"])


def test_lisa_mode_matches_analysis_spatial():
    """LISA clusters drawn = analysis.spatial.lisa on the store's values with queen weights
    (islands joined to their nearest kecamatan), same permutations and seed."""
    import regions
    from analysis import spatial
    from ui.data import maps as map_data

    indicator = "persentase_penduduk_miskin"
    year = _latest(indicator)
    at = open_page("peta", query={"ind": indicator, "year": str(year), "mode": "lisa"})
    assert_clean(at)
    fig = map_fig(at)
    tr = trace(fig, "values")
    drawn = pd.Series(tr["z"], index=tr["locations"])
    y = store.tidy(indicator, level="kecamatan", years=year).set_index("region_code")["value"]
    kec = regions.kecamatan().set_index("kode").reindex(y.index)
    w = spatial.weights_from_neighbours(
        regions.neighbours("kecamatan"), ids=list(y.index),
        coords=kec[["rep_lon", "rep_lat"]].to_numpy(), k_islands=1,
    )
    res = spatial.lisa(y, w, permutations=map_data.LISA_PERMUTATIONS, seed=map_data.LISA_SEED)
    order = ["HH", "LL", "LH", "HL", "ns"]
    expected = res.frame()["cluster"].map(order.index)
    assert (drawn.sort_index() == expected.sort_index()).all()
    moran = spatial.moran(y, w, permutations=map_data.LISA_PERMUTATIONS, seed=map_data.LISA_SEED)
    caption = " ".join(c.value for c in at.caption)
    assert f"{moran.I:.3f}".replace(".", ",") in caption


def test_bivariate_mode_matches_analysis_targeting():
    from analysis.targeting import need_coverage

    need, cov = "persentase_penduduk_miskin", "cakupan_pkh"
    year = _latest(cov)
    at = open_page("peta", query={"mode": "bivariate", "need": need, "cov": cov,
                                  "ind": cov, "year": str(year)})
    assert_clean(at)
    fig = map_fig(at)
    tr = trace(fig, "values")
    drawn = pd.Series(tr["z"], index=tr["locations"])
    n = store.tidy(need, level="kecamatan", years=year).set_index("region_code")["value"]
    c = store.tidy(cov, level="kecamatan", years=year).set_index("region_code")["value"]
    common = n.index.intersection(c.index)
    res = need_coverage(n[common], c[common])
    expected = (res.need_class - 1) * 3 + (res.coverage_class - 1)
    assert (drawn.sort_index() == expected.sort_index()).all()
    # hover carries need, coverage and the priority rank of each region
    priority = pd.Series([cd[2] for cd in tr["customdata"]], index=tr["locations"])
    assert (priority.sort_index() == res.priority_rank.sort_index()).all()
    # the footer names the sources of both indicators shown
    from pipeline.sources import load_manifest

    manifest = load_manifest()
    catalogue = store.catalogue()
    footer = at.caption[-1].value
    for ind in (need, cov):
        for sid in catalogue.loc[ind, "sources"]:
            assert manifest[sid].repo in footer


@pytest.mark.parametrize(
    "method", ["fisher_jenks", "equal_interval", "std_mean", "box_plot", "user_defined"]
)
def test_every_classification_scheme_draws(method):
    """Each scheme draws all 666 kecamatan with classes 0..k-1 (one colour each) and one
    legend line per class holding a region (a z-score or box map's class beyond the data,
    e.g. below zero for a percentage, is left out of the legend: issue 13)."""
    query = {"ind": "persentase_penduduk_miskin", "cls": method, "k": "4", "breaks": "5;10;15"}
    at = open_page("peta", query=query)
    assert_clean(at)
    fig = map_fig(at)
    assert len(drawn_codes(fig)) == 666
    z = trace(fig, "values")["z"]
    legend = [t for t in fig["data"] if str(t.get("meta", "")).startswith("legend:")]
    n_classes = len(trace(fig, "values")["colorscale"]) // 2
    assert set(z) <= set(range(n_classes))
    assert len(legend) - (1 if trace(fig, "no_data") else 0) == len(set(z))
    if method == "user_defined":
        assert n_classes == 4  # three bounds and the class above the last one
    if method == "box_plot":
        assert n_classes == 6


def test_lisa_on_constant_values_falls_back_with_a_message():
    """Where every region has the same value LISA is undefined: say so, draw the indicator."""
    found = None
    for level in ("kabupaten", "kecamatan"):
        av = store.available(level)
        for row in av.itertuples():
            for year in row.years:
                v = store.tidy(row.indicator, level=level, years=year)["value"]
                if len(v) >= 3 and v.nunique() == 1:
                    found = (level, row.indicator, year)
                    break
            if found:
                break
        if found:
            break
    if not found:
        pytest.skip("no indicator with constant values in the store")
    level, indicator, year = found
    at = open_page(
        "peta", query={"level": level, "ind": indicator, "year": str(year), "mode": "lisa"}
    )
    assert_clean(at)
    assert any("LISA" in i.value for i in at.info)
    assert trace(map_fig(at), "values") is not None


def test_units_are_translated_in_the_hover():
    at = open_page("peta", query={"ind": "kepadatan_penduduk", "lang": "en"})
    assert_clean(at)
    template = trace(map_fig(at), "values")["hovertemplate"]
    assert "people/km²" in template and "East Java: rank %{customdata[1]} of 666" in template
    at = open_page("peta", query={"ind": "kepadatan_penduduk"})
    assert "jiwa/km²" in trace(map_fig(at), "values")["hovertemplate"]


def test_every_catalogue_unit_has_a_translation():
    """Units of the committed catalogue (uploads may add others, shown as stored)."""
    import tomllib

    from ui.i18n import catalog

    with (settings.ROOT / "store" / "catalogue.toml").open("rb") as fh:
        units = {ind["unit"] for ind in tomllib.load(fh)["indicator"]}
    for lang in ("id", "en"):
        missing = {u for u in units if f"common.unit.{u}" not in catalog(lang)}
        assert missing == set(), (lang, missing)


def test_export_notes_name_repository_licence_and_citation():
    from pipeline.sources import load_manifest
    from ui.data import maps as map_data

    lines = map_data.source_lines(["persentase_penduduk_miskin", "cakupan_pkh"])
    manifest = load_manifest()
    expected = {
        sid
        for ind in ("persentase_penduduk_miskin", "cakupan_pkh")
        for sid in store.catalogue().loc[ind, "sources"]
    }
    for sid in expected:
        f = manifest[sid]
        assert any(f.repo in line and f.licence in line and f.citation in line for line in lines)


def test_a_rerun_does_not_resend_the_region_codes():
    """After the first draw the map element references its location lists and config by key."""
    at = open_page("peta", query={"ind": "persentase_penduduk_miskin"})
    at.selectbox(key="indicator").set_value("cakupan_pkh").run()
    assert_clean(at)
    (data,) = map_payloads(at)
    values = next(t for t in data["figure"]["data"] if t.get("name") == "values")
    assert "_loc" in values and "locations" not in values
    # the number of kecamatan of each kabupaten is the same column for both indicators
    assert values["_loc"] not in data["shared"] and isinstance(values["_cd"][3], str)
    assert values["_cd"][3] not in data["shared"]
    # the kabupaten outlines and the config are the same too
    outlines = next(t for t in data["figure"]["data"] if t.get("name") == "outlines")
    assert outlines["_loc"] not in data["shared"] and data["config"] not in data["shared"]
    # the new indicator's values and ranks travel once, by key
    assert all(isinstance(c, str) and c in data["shared"] for c in values["_cd"][:3])
    (element,) = (e for e in at.get("bidi_component") if e.proto.bytes)
    assert len(element.proto.bytes) < 16_000
