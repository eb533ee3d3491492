"""AppTest of the Peta page at desa/kelurahan level (one kabupaten/kota at a time), on the
real store and geography: the drawn desa, their values, the kelurahan, classes, exports and
bad links."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import assert_clean, figures, make_app, trace

import regions
import settings
import store

pytestmark = pytest.mark.usefixtures("needs_data")


def open_peta(query: dict, lang: str | None = None):
    """Peta straight from a deep link (as a browser opening ``/peta?...``: the first run of
    the session is the Peta page, which offers the desa level)."""
    at = make_app(query, lang)
    at.switch_page("pages/peta.py")
    at.run()
    return at


def map_fig(at) -> dict:
    figs = [f for f in figures(at) if trace(f, "values")]
    assert figs, "no map figure on the page"
    return figs[0]


def store_idm(kab: str) -> pd.Series:
    """IDM 2024 of the desa of ``kab`` straight from the store."""
    v = store.tidy("idm", level="desa", years=[2024]).set_index("region_code")["value"]
    return v[v.index.str.startswith(kab + ".")]


@pytest.mark.parametrize("kab", ["35.09", "35.78", "35.01"])
def test_desa_map_draws_exactly_the_kabupatens_desa(kab):
    """level=desa&kab=K draws regions.desa()'s codes of K: desa with IDM in the values trace
    (hover value = the store's value), the kelurahan exactly in the not-applicable trace."""
    at = open_peta({"level": "desa", "kab": kab, "ind": "idm", "year": "2024"})
    assert_clean(at)
    assert at.session_state["level"] == "desa" and at.session_state["kabupaten"] == kab
    fig = map_fig(at)
    desa = regions.desa()
    desa = desa[desa["kab_kode"] == kab]
    values, off = trace(fig, "values"), trace(fig, "not_applicable")
    drawn = list(values["locations"]) + (list(off["locations"]) if off else [])
    assert sorted(drawn) == sorted(desa["kode"]) and len(drawn) == len(set(drawn))
    kelurahan = sorted(desa.loc[desa["jenis"] == "kelurahan", "kode"])
    assert sorted(off["locations"] if off else []) == kelurahan
    assert not trace(fig, "no_data")
    idm = store_idm(kab)
    hover = pd.Series([c[0] for c in values["customdata"]], index=values["locations"], dtype=float)
    assert sorted(hover.index) == sorted(idm.index)
    assert np.allclose(hover.sort_index(), idm.sort_index(), atol=5e-5)  # 4 decimals shown
    # the geometry is this kabupaten's own static file, with every drawn code in it
    url = values["geojson"]
    assert url.startswith(f"app/static/generated/desa_display_{kab}.")
    local = settings.ROOT / url.replace("app/static", "static", 1)
    ids = {f["id"] for f in json.loads(local.read_text())["features"]}
    assert set(drawn) == ids
    # hover: desa name, kecamatan, value; the kelurahan say "not applicable"
    assert "properties.kec_nama" in values["hovertemplate"]
    if off:
        assert "Tidak berlaku" in off["hovertemplate"]
    # kecamatan borders of this kabupaten on top
    kec = regions.kecamatan()
    assert sorted(trace(fig, "outlines")["locations"]) == sorted(
        kec.loc[kec["kab_kode"] == kab, "kode"]
    )


def test_desa_classes_are_quantiles_of_the_kabupatens_values():
    import mapclassify

    kab = "35.07"
    at = open_peta({"level": "desa", "kab": kab, "ind": "idm", "cls": "quantiles", "k": "4"})
    assert_clean(at)
    tr = trace(map_fig(at), "values")
    drawn = pd.Series(tr["z"], index=tr["locations"]).sort_index()
    idm = store_idm(kab).sort_index()
    expected = mapclassify.Quantiles(idm.to_numpy(), k=4).yb
    assert (drawn.to_numpy() == expected).all()
    legend = [
        t["name"] for t in map_fig(at)["data"] if str(t.get("meta", "")).startswith("legend:")
    ]
    assert len(legend) == 4 + 1  # four classes and "not applicable" (Malang has kelurahan)


def test_unknown_kabupaten_falls_back_with_a_notice():
    at = open_peta({"level": "desa", "kab": "35.99", "ind": "idm"})
    assert_clean(at)
    assert any("35.99" in i.value for i in at.info)
    first = regions.kabupaten()["kode"].min()
    assert at.session_state["kabupaten"] == first
    codes = list(trace(map_fig(at), "values")["locations"])
    assert codes and all(c.startswith(first + ".") for c in codes)


def test_indicator_without_desa_values_falls_back_with_a_notice():
    indicator = "persentase_penduduk_miskin"
    assert indicator not in set(store.available("desa")["indicator"])
    at = open_peta({"level": "desa", "kab": "35.09", "ind": indicator}, lang="en")
    assert_clean(at)
    assert at.session_state["level"] == "desa"
    assert at.session_state["indicator"] in set(store.available("desa")["indicator"])
    assert any("no values per desa/kelurahan" in i.value for i in at.info)
    assert trace(map_fig(at), "values")


def test_lisa_mode_is_disabled_at_desa_level_with_a_note():
    at = open_peta({"level": "desa", "kab": "35.09", "ind": "idm", "mode": "lisa"})
    assert_clean(at)
    assert at.session_state["map_mode"] == "indicator"
    assert any("LISA" in c.value for c in at.caption)
    assert not any("Moran" in c.value for c in at.caption)


def test_selected_desa_from_the_url_is_outlined_and_summarised():
    desa = regions.desa()
    row = desa[(desa["kab_kode"] == "35.09") & (desa["jenis"] == "desa")].iloc[0]
    at = open_peta({"level": "desa", "kab": "35.09", "ind": "idm", "desa": row["kode"]})
    assert_clean(at)
    assert trace(map_fig(at), "selected")["locations"] == [row["kode"]]
    assert row["nama"] in " ".join(m.value for m in at.markdown)
    assert row["kec_nama"] in " ".join(c.value for c in at.caption)


def test_desa_level_is_peta_only():
    """Another page opened with level=desa shows kecamatan (it has no desa level)."""
    at = make_app({"level": "desa", "kab": "35.09"})
    at.switch_page("pages/bandingkan.py")
    at.run()
    assert_clean(at)
    assert at.session_state["level"] == "kecamatan"


def test_export_has_one_row_per_desa_with_kecamatan_and_kabupaten():
    from ui import mapview
    from ui.data import maps as map_data

    kab = "35.09"
    imap = map_data.indicator_map("desa", "idm", 2024, "quantiles", 5, (), "en", kab=kab)
    out = mapview.export_table(imap.table, "indicator", "idm", 2024, "index", "en")
    desa = regions.desa()
    desa = desa[desa["kab_kode"] == kab].set_index("kode")
    assert sorted(out["code"]) == sorted(desa.index) and out["code"].is_unique
    by_code = out.set_index("code")
    assert (by_code["kecamatan"] == desa["kec_nama"].reindex(by_code.index)).all()
    kab_name = regions.kabupaten().set_index("kode").loc[kab, "nama"]
    assert (by_code["kabupaten"] == kab_name).all()
    idm = store_idm(kab)
    assert np.allclose(by_code.loc[idm.index, "value"], idm)
    kelurahan = desa.index[desa["jenis"] == "kelurahan"]
    assert by_code.loc[kelurahan, "value"].isna().all()


def test_selected_kelurahan_says_not_applicable():
    desa = regions.desa()
    row = desa[(desa["kab_kode"] == "35.09") & (desa["jenis"] == "kelurahan")].iloc[0]
    at = open_peta({"level": "desa", "kab": "35.09", "ind": "idm", "desa": row["kode"]})
    assert_clean(at)
    assert row["nama"] in " ".join(m.value for m in at.markdown)
    assert any("ini kelurahan" in m.value for m in at.markdown)
    assert not at.metric  # no value shown for a kelurahan


def test_a_selected_desa_opens_its_kecamatan_profile():
    desa = regions.desa()
    row = desa[(desa["kab_kode"] == "35.09") & (desa["jenis"] == "desa")].iloc[-1]
    at = open_peta({"level": "desa", "kab": "35.09", "ind": "idm", "desa": row["kode"]})
    assert_clean(at)
    at.button(key="peta_desa_profile").click().run()
    assert_clean(at)
    assert at.session_state["selected"] == [row["kec_kode"]]
    # AppTest does not follow st.switch_page: go where the button goes
    at.switch_page("pages/profil.py")
    at.run()
    assert_clean(at)
    assert at.session_state["level"] == "kecamatan"  # Profil has no desa level
    assert any(
        row["kec_nama"].lower() in h.value.lower()
        for h in [*at.header, *at.subheader, *at.markdown]
    )


@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("fisher_jenks", {}),
        ("equal_interval", {}),
        ("std_mean", {}),
        ("box_plot", {}),
        ("user_defined", {"breaks": "0.8;0.9"}),
    ],
)
def test_every_classification_scheme_works_at_desa_level(method, extra):
    """Each scheme classifies the kabupaten's desa: classes follow the values (a higher IDM is
    never in a lower class), every class has a legend entry, the kelurahan stay apart."""
    kab = "35.14"
    at = open_peta({"level": "desa", "kab": kab, "ind": "idm", "cls": method, **extra})
    assert_clean(at)
    fig = map_fig(at)
    tr = trace(fig, "values")
    idm = store_idm(kab)
    z = pd.Series(tr["z"], index=tr["locations"]).reindex(idm.index)
    assert z.notna().all()
    order = idm.sort_values().index
    assert z[order].is_monotonic_increasing
    legend = [t["name"] for t in fig["data"] if str(t.get("meta", "")).startswith("legend:")]
    n_classes = len(legend) - (1 if trace(fig, "not_applicable") else 0)
    assert z.max() < n_classes
    if method == "user_defined":
        assert n_classes == 3 and (z == np.searchsorted([0.8, 0.9], idm, side="left")).all()
