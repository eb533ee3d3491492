"""AppTest of Beranda (and the shell around it) on the real store."""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import assert_clean, figures, open_page, trace

import published
import store
from analysis import inequality
from ui import maps, petamap

pytestmark = pytest.mark.usefixtures("needs_data")

INDICATOR = "persentase_penduduk_miskin"


def latest(indicator: str, level: str = "kecamatan") -> int:
    av = store.available(level)
    return max(av[av["indicator"] == indicator].iloc[0]["years"])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_beranda_renders_in_both_languages(lang):
    at = open_page("beranda", query={"ind": INDICATOR}, lang=lang)
    assert_clean(at)
    assert at.title[0].value == ("Beranda" if lang == "id" else "Overview")
    labels = [m.label for m in at.metric]
    assert ("Indeks Gini" if lang == "id" else "Gini index") in labels
    # the small map draws all 666 kecamatan
    fig = next(f for f in figures(at) if trace(f, "values"))
    drawn = list(trace(fig, "values")["locations"]) + list(
        (trace(fig, "no_data") or {}).get("locations", [])
    )
    assert len(set(drawn)) == 666


def test_the_small_map_is_built_once_and_shared_by_every_session(monkeypatch):
    """Beranda is every session's first page: its small map comes from the shared cache
    (``ui.petamap.small_map``), so a new session does not build the figure again; it is built
    again when nothing is cached (the count would see it)."""
    built = []
    real = maps.map_figure

    def counted(*args, **kwargs):
        built.append(kwargs.get("height"))
        return real(*args, **kwargs)

    monkeypatch.setattr(maps, "map_figure", counted)
    petamap.small_map.clear()
    first = open_page("beranda", query={"ind": INDICATOR})
    assert built == [petamap.SMALL_MAP_HEIGHT]
    second = open_page("beranda", query={"ind": INDICATOR})
    assert_clean(second)
    assert built == [petamap.SMALL_MAP_HEIGHT]  # the second session built nothing
    shown = [next(f for f in figures(at) if trace(f, "values")) for at in (first, second)]
    assert trace(shown[0], "values") == trace(shown[1], "values")
    assert shown[1]["layout"]["height"] == petamap.SMALL_MAP_HEIGHT


def test_beranda_gini_equals_the_analysis_library():
    """The Gini shown equals analysis.inequality.gini on the store's values, weighted by
    the population of the nearest year whose kecamatan population is real (not generated)."""
    year = latest(INDICATOR)
    at = open_page("beranda", query={"ind": INDICATOR, "year": str(year)})
    assert_clean(at)
    y = store.tidy(INDICATOR, level="kecamatan", years=year).set_index("region_code")["value"]
    pop = store.tidy("penduduk", level="kecamatan")
    real_years = sorted(set(pop["year"]) - set(pop.loc[pop["illustrative"], "year"]))
    assert real_years  # the 2010 census
    pop_year = min(real_years, key=lambda p: (abs(p - year), -p))
    w = store.tidy("penduduk", level="kecamatan", years=pop_year).set_index("region_code")["value"]
    w = w.reindex(y.index)
    keep = w.notna()
    expected = inequality.gini(y[keep].to_numpy(), w[keep].to_numpy())
    gini = next(m for m in at.metric if m.label == "Indeks Gini")
    shown = float(gini.value.replace(".", "").replace(",", "."))
    assert shown == pytest.approx(expected, abs=5e-4)


def test_beranda_top_ten_is_the_ten_highest():
    year = latest(INDICATOR)
    at = open_page("beranda", query={"ind": INDICATOR, "year": str(year)})
    y = store.tidy(INDICATOR, level="kecamatan", years=year)
    expected = y.sort_values(["value", "region_code"], ascending=[False, True]).head(10)
    import regions

    names = regions.kecamatan().set_index("kode")["nama"]
    top = at.dataframe[0].value
    assert top.iloc[:, 1].tolist() == [names[c] for c in expected["region_code"]]
    shown = [float(v.replace(".", "").replace(",", ".")) for v in top.iloc[:, 3]]
    assert np.allclose(shown, expected["value"].round(2), atol=0.011)


def test_footer_names_sources_and_licences():
    at = open_page("beranda", query={"ind": INDICATOR})
    footer = at.caption[-1].value
    assert "Sumber dan lisensi" in footer and "MIT" in footer
    assert "ilustrasi" in footer


def test_query_params_restore_the_shell_state():
    at = open_page("beranda", query={"level": "kabupaten", "lang": "en", "ind": "ipm"})
    assert_clean(at)
    assert at.session_state["level"] == "kabupaten"
    assert at.session_state["lang"] == "en"
    assert at.session_state["indicator"] == "ipm"
    assert at.title[0].value == "Overview"


def test_bad_query_params_are_ignored():
    at = open_page("peta", query={"level": "desa", "kec": "<script>", "year": "abc", "k": "99"})
    assert_clean(at)
    assert at.session_state["level"] == "kecamatan"
    assert at.session_state["selected"] == []
    assert at.session_state["n_classes"] == 5


def test_province_change_has_the_right_sign_and_size():
    """The change of the province between two years with BPS March figures is the
    difference of the published figures (not of the computed aggregates)."""
    prov = store.tidy(INDICATOR, level="provinsi").sort_values("year")
    if len(prov) < 2:
        pytest.skip("fewer than two province years")
    year, previous = int(prov["year"].iloc[-1]), int(prov["year"].iloc[-2])
    ref = published.read().query("indicator == @INDICATOR and month == 3").set_index("year")
    at = open_page("beranda", query={"ind": INDICATOR, "year": str(year)})
    metric = at.metric[0]
    expected = ref.at[year, "value"] - ref.at[previous, "value"]
    shown = float(metric.delta.replace(".", "").replace(",", "."))
    assert shown == pytest.approx(expected, abs=0.006)
    assert str(previous) in (metric.help or "")


def test_a_ranking_cut_inside_a_tie_shares_the_rank_and_counts_the_rest():
    """IDM 2024: many kecamatan have no desa mandiri. The ten lowest all share rank 1 and a
    caption counts the tied kecamatan the table leaves out; the top table's ranks are the
    store's competition ranks ("1, 2, 2, 4")."""
    y = store.tidy("desa_mandiri", level="kecamatan", years=2024)["value"].dropna()
    lowest = int((y == y.min()).sum())
    assert lowest > 10
    at = open_page("beranda", query={"ind": "desa_mandiri", "year": "2024"})
    assert_clean(at)
    top, bottom = at.dataframe[0].value, at.dataframe[1].value
    assert bottom.iloc[:, 0].tolist() == [1] * 10
    expected = y.rank(method="min", ascending=False).sort_values().head(10).astype(int)
    assert top.iloc[:, 0].tolist() == expected.tolist()
    assert any(f"dan {lowest - 10} kecamatan lain" in c.value for c in at.caption)
