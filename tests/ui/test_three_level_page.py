"""Ketimpangan's three-level Theil decomposition of IDM over desa: the data wing and the page
(AppTest, driving the weighting radio and the section control) against the library computed
here from the store and the geography."""

from __future__ import annotations

import pytest
from apptest_helpers import assert_clean, open_page

import regions
import store
from analysis import inequality as ineq
from i18n import translate
from i18n.numbers import format_number
from ui.data import desa_theil as data_desa_theil
from ui.data import disparity as data_disparity

YEAR = 2024
COMPONENTS = ("between kabupaten", "between kecamatan within kabupaten", "within kecamatan")


def _library(indicator: str, weighted: bool):
    """The decomposition computed here: desa values from the store joined to the desa table,
    weighted by the desa census 2010 population (desa without one dropped)."""
    desa = regions.desa().set_index("kode")
    y = store.tidy(indicator, level="desa", years=[YEAR]).set_index("region_code")["value"]
    frame = desa.join(y.rename("y"), how="inner")
    if weighted:
        pop = store.tidy("penduduk", level="desa", years=[2010]).set_index("region_code")["value"]
        frame = frame.join(pop.rename("w"), how="inner")
        frame = frame[frame["w"] > 0]
    boot = ineq.bootstrap_decomposition(
        frame["y"].to_numpy(),
        frame["w"].to_numpy() if weighted else None,
        {"kabupaten": frame["kab_kode"].to_numpy(), "kecamatan": frame["kec_kode"].to_numpy()},
        n_boot=data_disparity.N_BOOT,
        seed=data_disparity.SEED,
        method="basic",
    )
    return boot, frame, desa


@pytest.mark.parametrize("weighted", [False, True])
def test_data_wing_equals_the_library(needs_data, weighted):
    boot, frame, desa = _library("idm", weighted)
    result = data_desa_theil.three_level("idm", YEAR, weighted)
    parts = result["parts"]
    assert list(parts.index) == ["kabupaten", "kecamatan", "desa"]
    assert abs(parts["value"].sum() - result["total"]) <= 1e-12
    assert result["total"] == pytest.approx(boot.observed.total, rel=1e-12)
    for part, comp in zip(parts.index, COMPONENTS, strict=True):
        assert parts.loc[part, "value"] == pytest.approx(boot.intervals.loc[comp, "estimate"])
        assert parts.loc[part, "low"] == pytest.approx(boot.intervals.loc[comp, "low"])
        assert parts.loc[part, "high"] == pytest.approx(boot.intervals.loc[comp, "high"])
        share = boot.intervals.loc[f"share: {comp}"]
        assert parts.loc[part, "share"] == pytest.approx(share["estimate"])
        assert parts.loc[part, "share_low"] == pytest.approx(share["low"])
        assert parts.loc[part, "share_high"] == pytest.approx(share["high"])
    n_with_idm = len(store.tidy("idm", level="desa", years=[YEAR]))
    assert result["n_desa"] == len(frame)
    assert result["n_desa"] + result["n_unmatched"] == n_with_idm
    assert (result["n_unmatched"] > 0) == weighted
    assert result["n_kelurahan"] == int((desa["jenis"] == "kelurahan").sum())
    assert result["n_kecamatan"] == frame["kec_kode"].nunique()
    assert result["basis"] == ("census2010" if weighted else "")


def test_applies_only_to_desa_indices(needs_data):
    assert all(data_desa_theil.applies(i, YEAR) for i in ("idm", "iks", "ike", "ikl"))
    assert not data_desa_theil.applies("idm", YEAR - 1)  # no desa values that year
    assert not data_desa_theil.applies("pdrb_per_kapita", YEAR)  # no desa values at all
    assert not data_desa_theil.applies("jarak_smp_km", 2019)  # a distance, not an index
    assert not data_desa_theil.applies("status_idm", YEAR)  # a status code


def _fmt(v: float, decimals: int, lang: str) -> str:
    return format_number(v, decimals, lang)


@pytest.mark.parametrize(("lang", "weighting"), [("id", "pop"), ("en", "none")])
def test_page_shows_the_library_numbers(needs_data, lang, weighting):
    at = open_page("ketimpangan", query={"ind": "idm", "level": "kecamatan"}, lang=lang)
    assert_clean(at)
    at.radio(key="ketimpangan_weighting").set_value(weighting).run()
    at.segmented_control(key="ketimpangan_section").set_value("three").run()
    assert_clean(at)
    heading = translate("disparity.three.heading", lang)
    assert heading in [h.value for h in at.subheader]
    weighted = weighting == "pop"
    boot, frame, desa = _library("idm", weighted)
    table = at.dataframe[-1].value
    assert len(table) == 3
    rows = table.to_numpy().tolist()
    for row, comp in zip(rows, COMPONENTS, strict=True):
        value, share = boot.intervals.loc[comp], boot.intervals.loc[f"share: {comp}"]
        assert row[1] == _fmt(value["estimate"], 5, lang)
        assert row[2] == f"[{_fmt(value['low'], 5, lang)} ; {_fmt(value['high'], 5, lang)}]"
        assert row[3] == _fmt(100 * share["estimate"], 1, lang) + "%"
        low, high = _fmt(100 * share["low"], 1, lang), _fmt(100 * share["high"], 1, lang)
        assert row[4] == f"[{low}% ; {high}%]"
    # the sentence names the level with the largest share, and that share
    shares = boot.observed.levels["share"]
    largest = COMPONENTS.index(shares.idxmax())
    where = translate(f"disparity.three.where_{('kabupaten', 'kecamatan', 'desa')[largest]}", lang)
    text = " ".join(m.value for m in at.markdown)
    assert where in text and _fmt(100 * shares.max(), 1, lang) + "%" in text
    captions = " ".join(c.value for c in at.caption)
    n_kel = int((desa["jenis"] == "kelurahan").sum())
    assert _fmt(n_kel, 0, lang) in captions and "IDM" in captions
    assert _fmt(len(frame), 0, lang) + " desa" in captions
    total = f"{_fmt(boot.observed.total, 5, lang)} ["
    assert total in captions
    if weighted:
        n_unmatched = len(store.tidy("idm", level="desa", years=[YEAR])) - len(frame)
        assert translate("common.population_basis.census2010", lang) in captions
        assert f"{_fmt(n_unmatched, 0, lang)} desa" in captions


def test_section_absent_without_desa_values(needs_data):
    at = open_page("ketimpangan", query={"ind": "pdrb_per_kapita", "level": "kecamatan"})
    assert_clean(at)
    options = at.segmented_control(key="ketimpangan_section").options
    assert translate("disparity.section.lorenz", "id") in options
    assert translate("disparity.section.three", "id") not in options
