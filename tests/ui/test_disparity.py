"""Ketimpangan (disparity): builders against the analysis library, and the page via AppTest."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import assert_clean, make_app, open_page

import regions
import store
from analysis import convergence, lorenz, spatial, typology
from analysis import inequality as ineq
from ui import disparity
from ui.data import disparity as data_disparity
from ui.i18n import fmt_number, t

RNG = np.random.default_rng(7)
Y = RNG.lognormal(3.0, 0.6, 60)
W = RNG.integers(5_000, 150_000, 60).astype(float)


@pytest.mark.parametrize("weighted", [False, True])
def test_lorenz_area_gives_the_library_gini(weighted):
    w = W if weighted else None
    pts = lorenz.lorenz_points(Y, w)
    assert pts.iloc[0].tolist() == [0.0, 0.0] and pts.iloc[-1].tolist() == pytest.approx([1, 1])
    assert lorenz.lorenz_gini(pts) == pytest.approx(ineq.gini(Y, w=w), rel=1e-9)


def test_index_table_estimates_equal_the_library():
    table = data_disparity.index_table(Y, W, n_boot=200)
    assert table.loc["gini", "estimate"] == pytest.approx(ineq.gini(Y, w=W), rel=1e-12)
    assert table.loc["theil_t", "estimate"] == pytest.approx(ineq.theil_t(Y, w=W), rel=1e-12)
    assert table.loc["theil_l", "estimate"] == pytest.approx(ineq.theil_l(Y, w=W), rel=1e-12)
    assert table.loc["williamson", "estimate"] == pytest.approx(ineq.williamson(Y, W), rel=1e-12)
    assert table.loc["max_min", "estimate"] == pytest.approx(Y.max() / Y.min())
    # the CV is the unweighted one (its weighted version is the Williamson index)
    assert table.loc["cv", "estimate"] == pytest.approx(Y.std() / Y.mean(), rel=1e-9)
    ok = table.dropna(subset=["low"])
    assert (ok["low"] <= ok["estimate"] + 1e-12).all() and (
        ok["estimate"] <= ok["high"] + 1e-12
    ).all()


def test_index_table_unweighted_has_no_williamson_and_explains_zeros():
    y = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    table = data_disparity.index_table(y, None, n_boot=50)
    assert "williamson" not in table.index
    assert np.isnan(table.loc["theil_l", "estimate"]) and table.loc["theil_l", "note"]
    assert table.loc["gini", "estimate"] == pytest.approx(ineq.gini(y))


def _inputs():
    values = pd.DataFrame(
        {
            "region_code": ["35.01.01", "35.01.02", "35.78.01", "35.26.01"],
            "value": [1.0, 2.0, 8.0, 0.5],
        }
    )
    weights = pd.DataFrame(
        {"region_code": ["35.01.01", "35.01.02", "35.78.01"], "value": [10.0, 20.0, 30.0]}
    )
    regions = pd.DataFrame(
        {
            "kode": ["35.01.01", "35.01.02", "35.78.01", "35.26.01"],
            "nama": ["A", "B", "C", "D"],
            "kab_kode": ["35.01", "35.01", "35.78", "35.26"],
        }
    )
    kab = pd.DataFrame(
        {
            "kode": ["35.01", "35.78", "35.26"],
            "nama": ["PACITAN", "KOTA SURABAYA", "BANGKALAN"],
            "jenis": ["kabupaten", "kota", "kabupaten"],
        }
    )
    return values, weights, regions, kab


def test_assemble_inputs_drops_unweighted_and_groups():
    values, weights, regions, kab = _inputs()
    frame = data_disparity.assemble_inputs(values, weights, regions, kab, "kecamatan")
    assert list(frame.index) == ["35.01.01", "35.01.02", "35.78.01"]  # D has no weight
    assert frame.loc["35.78.01", "jenis"] == "kota"
    unweighted = data_disparity.assemble_inputs(values, None, regions, kab, "kecamatan")
    assert unweighted.loc["35.26.01", "wilayah"] == "madura"
    assert unweighted.loc["35.01.01", "wilayah"] == "mainland"


def test_nested_decomposition_matches_the_library():
    values, weights, regions, kab = _inputs()
    frame = data_disparity.assemble_inputs(values, weights, regions, kab, "kecamatan")
    d = data_disparity.frame_decomposition(frame, "jenis", "kecamatan", weighted=True)
    ref = ineq.theil_decomposition(
        frame["y"].to_numpy(),
        frame["w"].to_numpy(),
        {"jenis": frame["jenis"].to_numpy(), "kab_kode": frame["kab_kode"].to_numpy()},
    )
    assert d.total == pytest.approx(ref.total) and d.between == pytest.approx(ref.between)
    assert list(d.contributions.index) == ["35.01", "35.78"]


def test_component_labels_translate_nested_names():
    levels = pd.DataFrame(
        {
            "component": ["between jenis", "between kab_kode within jenis", "within kab_kode"],
            "value": [0.1, 0.2, 0.3],
            "share": [1 / 6, 2 / 6, 3 / 6],
        }
    )

    out = disparity.component_labels(levels, "id")
    assert out["label"].tolist() == [
        "antar kota vs kabupaten",
        "antar kabupaten/kota di dalam kota vs kabupaten",
        "dalam kabupaten/kota",
    ]
    assert out["share"].sum() == pytest.approx(100.0)


def test_transition_table_counts_moves():
    before = pd.Series({"a": 1, "b": 4, "c": 4, "d": 2})
    after = pd.Series({"a": 1, "b": 3, "c": 4, "e": 1})
    matrix = typology.klassen_transitions(before, after).matrix
    table = disparity.transition_table(matrix, {1: "I", 2: "II", 3: "III", 4: "IV"})
    assert table.loc["IV", "III"] == 1 and table.loc["IV", "IV"] == 1 and table.loc["I", "I"] == 1
    assert int(table.to_numpy().sum()) == 3  # d and e are in one period only


# --------------------------------------------------------------------------- the page (AppTest)


def parse_number(text: str, lang: str) -> float:
    text = text.strip().replace("−", "-").replace("%", "")
    return float(text.replace(".", "").replace(",", ".") if lang == "id" else text.replace(",", ""))


def store_inputs(level: str, indicator: str, year: int):
    """The page's inputs rebuilt from the store: values and the population of the nearest
    year whose population at ``level`` is real (never generated weights for real values)."""
    pop = store.tidy("penduduk", level=level)
    real_years = sorted(set(pop["year"]) - set(pop.loc[pop["illustrative"], "year"]))
    pop_year = min(real_years, key=lambda p: (abs(p - year), -p))
    y = store.tidy(indicator, level=level, years=year).set_index("region_code")["value"]
    w = store.tidy("penduduk", level=level, years=pop_year).set_index("region_code")["value"]
    both = pd.concat({"y": y, "w": w}, axis=1).dropna()
    return both["y"].to_numpy(), both["w"].to_numpy(), both.index


@pytest.mark.parametrize(
    ("lang", "level", "indicator", "year"),
    [
        ("id", "kecamatan", "pdrb_per_kapita", 2015),
        ("en", "kabupaten", "pdrb_per_kapita", 2015),
        ("en", "kecamatan", "persentase_penduduk_miskin", 2024),
    ],
)
def test_page_gini_and_theil_equal_the_library(needs_data, lang, level, indicator, year):
    at = open_page(
        "ketimpangan", query={"level": level, "ind": indicator, "year": str(year)}, lang=lang
    )
    assert_clean(at)
    y, w, codes = store_inputs(level, indicator, year)
    table = at.dataframe[0].value.set_index(t("disparity.index.col_index", lang=lang))
    estimate = t("disparity.index.col_estimate", lang=lang)
    assert table.at[t("disparity.index.gini", lang=lang), estimate] == pytest.approx(
        ineq.gini(y, w=w), rel=1e-9
    )
    assert table.at[t("disparity.index.theil_t", lang=lang), estimate] == pytest.approx(
        ineq.theil_t(y, w=w), rel=1e-9
    )
    assert table.at[t("disparity.index.theil_l", lang=lang), estimate] == pytest.approx(
        ineq.theil_l(y, w=w), rel=1e-9
    )
    assert table.at[t("disparity.index.williamson", lang=lang), estimate] == pytest.approx(
        ineq.williamson(y, w), rel=1e-9
    )
    # the decomposition shown equals the library's on the same inputs
    metrics = {m.label: m.value for m in at.metric}
    if level == "kecamatan":
        kab_of = regions.kecamatan().set_index("kode")["kab_kode"]
        d = ineq.theil_decomposition(y, w, [kab_of[c] for c in codes])
    else:
        jenis = regions.kabupaten().set_index("kode")["jenis"]
        d = ineq.theil_decomposition(y, w, [jenis[c] for c in codes])
    assert parse_number(metrics[t("disparity.decomp.total", lang=lang)], lang) == pytest.approx(
        d.total, abs=6e-5
    )
    assert parse_number(metrics[t("disparity.decomp.between", lang=lang)], lang) == pytest.approx(
        d.between, abs=6e-5
    )
    # the permutation test of the between-group share, as the library gives it
    groups = [kab_of[c] for c in codes] if level == "kecamatan" else [jenis[c] for c in codes]
    test = ineq.between_share_test(
        y, w, groups, permutations=data_disparity.PERMUTATIONS, seed=data_disparity.SEED
    )

    expected = f"p = {fmt_number(test.p_value, 3, lang=lang)}"
    assert any(expected in c.value for c in at.caption), expected
    # Lorenz curve drawn from the same inputs: its area gives the same Gini
    chart = next(f for f in _figures(at) if any(tr.get("name") == str(year) for tr in f["data"]))
    curve = next(tr for tr in chart["data"] if tr.get("name") == str(year))
    pts = pd.DataFrame({"pop_share": curve["x"], "value_share": curve["y"]})
    assert lorenz.lorenz_gini(pts) == pytest.approx(ineq.gini(y, w=w), rel=1e-9)


def _figures(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_page_explains_negative_values_instead_of_failing(needs_data):
    growth = store.tidy("pertumbuhan_ekonomi", level="kabupaten")
    negative_years = sorted(growth.loc[growth["value"] < 0, "year"].unique())
    if not negative_years:
        pytest.skip("no negative growth in the store")
    at = open_page(
        "ketimpangan",
        query={"level": "kabupaten", "ind": "pertumbuhan_ekonomi", "year": str(negative_years[0])},
    )
    assert_clean(at)
    assert at.warning and "negatif" in at.warning[0].value


def _open_section(section: str, lang: str = "id"):
    at = make_app({"ind": "pdrb_per_kapita", "level": "kecamatan"}, lang)
    at.run()
    at.switch_page("pages/ketimpangan.py")
    at.run()
    at.segmented_control(key="ketimpangan_section").set_value(section).run()
    return at


def _panel(indicator: str, years: tuple[int, int]):
    frames = [
        store.tidy(indicator, level="kecamatan", years=y).set_index("region_code")["value"]
        for y in years
    ]
    pop = store.tidy("penduduk", level="kecamatan", years=years[0]).set_index("region_code")[
        "value"
    ]
    both = pd.concat({"y0": frames[0], "y1": frames[1], "w0": pop}, axis=1).dropna()
    return both[(both["y0"] > 0) & (both["y1"] > 0)]


def test_convergence_section_beta_equals_the_library(needs_data):
    at = _open_section("convergence")
    assert_clean(at)
    available = store.available("kecamatan").set_index("indicator")
    years = sorted(int(y) for y in available.at["pdrb_per_kapita", "years"])
    panel = _panel("pdrb_per_kapita", (years[0], years[-1]))
    ref = convergence.beta_convergence(
        panel["y0"], panel["y1"], years=years[-1] - years[0], w=panel["w0"]
    )
    metrics = {m.label: m.value for m in at.metric}
    assert parse_number(metrics[t("disparity.beta.beta", lang="id")], "id") == pytest.approx(
        ref.beta, abs=6e-5
    )
    # issue 13: beta > 0 is called divergence, and no speed of convergence is claimed
    kind = "divergence" if ref.beta > 0 else "convergence"
    words = "Divergensi beta" if ref.beta > 0 else "Konvergensi beta"
    captions = [c.value for c in at.caption if c.value.startswith(words)]
    assert captions, [c.value for c in at.caption]
    assert ("(β > 0" in captions[0]) == (kind == "divergence")
    if ref.beta > 0:
        assert metrics[t("disparity.beta.speed", lang="id")] == "–"
    # the sigma chart has one point per year
    sigma = next(
        f
        for f in _figures(at)
        if len(f["data"]) >= 2 and f["data"][0].get("mode") == "lines+markers"
    )
    assert len(sigma["data"][0]["x"]) == len(years)


SHARED_CSV = Path("/work/shared/data/published/jatim_provinsi_bps.csv")


def _open_klassen(level: str, lang: str = "en", reference: str | None = None):
    at = make_app({"ind": "ipm", "level": level}, lang)
    at.run()
    at.switch_page("pages/ketimpangan.py")
    at.run()
    at.segmented_control(key="ketimpangan_section").set_value("klassen").run()
    if reference is not None:  # the person picks the reference on the page
        radio = next(r for r in at.radio if r.key == "ketimpangan_klassen_reference")
        radio.set_value(reference).run()
    return at


def _published_growth(years) -> float:
    """BPS's published province growth averaged over ``years``: from the shared list when
    present, else from the project's cited copy."""
    if SHARED_CSV.exists():
        pub = pd.read_csv(SHARED_CSV, dtype={"period": str})
        pub = pub[(pub["indicator"] == "pertumbuhan_ekonomi") & (pub["period"].str.len() == 4)]
        growth = pub.set_index(pub["period"].astype(int))["value"]
    else:
        import published

        growth = published.read().query("indicator == 'pertumbuhan_ekonomi'").set_index("year")
        growth = growth["value"]
    return float(growth.reindex(years).mean())


@pytest.mark.parametrize("reference", ["published", "computed"])
def test_klassen_is_the_literatures_grdp_typology(needs_data, reference):
    """Kabupaten over the default five growth years: mean real GRDP growth against the
    province's published (or computed) growth, mean GRDP per capita against the province's."""
    at = _open_klassen("kabupaten", reference=reference)
    assert_clean(at)
    growth = store.tidy("pertumbuhan_ekonomi", level="kabupaten")
    years = sorted(growth["year"].unique())[-5:]
    g = growth[growth["year"].isin(years)].pivot(index="region_code", columns="year", values="value")
    pc = store.tidy("pdrb_per_kapita", level="kabupaten", years=years)
    pc = pc.pivot(index="region_code", columns="year", values="value").mean(axis=1)
    prov_pc = store.tidy("pdrb_per_kapita", level="provinsi", years=years)["value"].mean()
    if reference == "published":
        growth_ref = _published_growth(years)
    else:
        growth_ref = store.tidy("pertumbuhan_ekonomi", level="provinsi", years=years)["value"].mean()
    mean_g = g.mean(axis=1)
    expected = pd.Series(
        np.where(pc >= prov_pc, np.where(mean_g >= growth_ref, 1, 2),
                 np.where(mean_g >= growth_ref, 3, 4)),
        index=g.index,
    )
    scatter = next(f for f in _figures(at) if any(tr.get("type") == "scatter" for tr in f["data"]))
    counts = {tr["name"]: len(tr["x"]) for tr in scatter["data"] if tr.get("type") == "scatter"}
    for q in (1, 2, 3, 4):
        assert counts.get(t(f"disparity.klassen.q{q}", lang="en"), 0) == int((expected == q).sum())
    # the reference lines sit at the references
    shapes = scatter["layout"]["shapes"]
    assert any(s.get("y0") == pytest.approx(growth_ref) for s in shapes)
    assert any(s.get("x0") == pytest.approx(prov_pc) for s in shapes)
    captions = " ".join(c.value for c in at.caption)
    if reference == "published":
        assert "published by BPS" in captions and "not a BPS figure" not in captions.split(
            "GRDP per capita reference"
        )[0]
    else:
        assert "computed by this dashboard (not a BPS figure)" in captions
    # Klaassen (1965) and Sjafrizal are cited in the help text
    help_text = t("disparity.klassen.help", lang="en", start=years[0], end=years[-1])
    assert "Klaassen 1965" in help_text and "Sjafrizal" in help_text


def test_klassen_at_kecamatan_is_badged_illustrative(needs_data):
    at = _open_klassen("kecamatan")
    assert_clean(at)
    scatter = next(f for f in _figures(at) if any(tr.get("type") == "scatter" for tr in f["data"]))
    texts = json.dumps(scatter["layout"].get("annotations", []))
    assert t("common.badge.illustrative", lang="en").upper() in texts.upper()
    # the map colours every kecamatan with five growth years and a per capita value
    geo = next(f for f in _figures(at) if any(tr.get("type") == "choropleth" for tr in f["data"]))
    assert sum(len(tr["locations"]) for tr in geo["data"]) == 666


def test_moran_section_equals_the_library(needs_data):
    at = _open_section("moran")
    assert_clean(at)
    year = max(store.available("kecamatan").set_index("indicator").at["pdrb_per_kapita", "years"])
    y = store.tidy("pdrb_per_kapita", level="kecamatan", years=year).set_index("region_code")[
        "value"
    ]
    kec = regions.kecamatan().set_index("kode").reindex(y.index)
    w = spatial.weights_from_neighbours(
        regions.neighbours("kecamatan"),
        ids=list(y.index),
        coords=kec[["rep_lon", "rep_lat"]].to_numpy(),
        k_islands=1,
    )
    ref = spatial.moran(y, w, permutations=99, seed=0)
    metrics = {m.label: m.value for m in at.metric}
    assert parse_number(metrics[t("disparity.moran.i", lang="id")], "id") == pytest.approx(
        ref.I, abs=6e-4
    )


@pytest.mark.parametrize("grouping", ["jenis", "wilayah"])
def test_decomposition_cards_follow_the_chosen_grouping(needs_data, grouping):
    """Issue 13: with "kota vs kabupaten" or "Madura vs daratan" the cards show that
    grouping's between/within split (equal to the table), not the kabupaten one."""
    indicator, year = "persentase_penduduk_miskin", 2024
    at = open_page("ketimpangan", query={"ind": indicator, "year": str(year)}, lang="id")
    at.selectbox(key="ketimpangan_grouping").set_value(grouping).run()
    assert_clean(at)
    y, w, codes = store_inputs("kecamatan", indicator, year)
    if grouping == "jenis":
        kab = regions.kabupaten().set_index("kode")["jenis"]
        labels = np.array([kab[c[:5]] for c in codes])
    else:  # the four kabupaten of Madura island: Bangkalan, Sampang, Pamekasan, Sumenep
        labels = np.array([c[:5] in ("35.26", "35.27", "35.28", "35.29") for c in codes])
    # Theil T between groups, written out: sum over groups of s_g ln(s_g / p_g)
    income = y * w
    s, p = income / income.sum(), w / w.sum()
    total = float(np.sum(s * np.log(s / p)))
    between = sum(
        s[labels == g].sum() * np.log(s[labels == g].sum() / p[labels == g].sum())
        for g in np.unique(labels)
    )
    metrics = {m.label: m.value for m in at.metric}
    share = parse_number(metrics[t("disparity.decomp.share", lang="id")], "id")
    assert share == pytest.approx(100 * between / total, abs=0.051)
    assert parse_number(metrics[t("disparity.decomp.between", lang="id")], "id") == pytest.approx(
        between, abs=6e-5
    )
    assert parse_number(metrics[t("disparity.decomp.within", lang="id")], "id") == pytest.approx(
        total - between, abs=6e-5
    )
    # the same share as the table's "between <grouping>" row
    table = next(d.value for d in at.dataframe if len(d.value) == 3)
    assert parse_number(str(table.iloc[0, -1]), "id") == pytest.approx(share, abs=0.051)
