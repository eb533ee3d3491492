"""Real statistics against independent readings of the sources and published totals."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from indicator_helpers import wide

import regions
from pipeline import indicators, readers, sources, wilayah

SP2010_JATIM = 37_476_757
POP2024_JATIM = 41_919_906


@pytest.fixture(scope="module")
def census_by_kab():
    """SP2010 totals per kabupaten read straight from the CSV (independent of the pipeline)."""
    totals: dict[str, int] = {}
    prov = kab = None
    with open(sources.fetch("census2010_villages", progress=False), encoding="utf-8-sig") as fh:
        for rec in csv.DictReader(fh):
            prov = rec["Province Code"] or prov
            kab = rec["Regency/Municipality Code"] or kab
            if rec["Province Code"]:
                kab = rec["Regency/Municipality Code"]
            if prov == "35":
                totals[prov + kab] = totals.get(prov + kab, 0) + int(rec["Population"])
    kabs = regions.kabupaten().set_index("kode_bps")["kode"]
    return pd.Series({kabs[b]: v for b, v in totals.items()})


def test_sp2010_kecamatan_sum_to_the_census_total(real):
    pop = wide(real, "penduduk", "kecamatan")[2010]
    assert len(pop) == 666 and pop.notna().all()
    assert pop.sum() == SP2010_JATIM
    assert (pop > 0).all() and (pop == pop.round()).all()


def test_sp2010_each_kabupaten_sums_to_its_census_total(real, census_by_kab):
    pop = wide(real, "penduduk", "kecamatan")[2010]
    by_kab = pop.groupby(pop.index.str[:5]).sum()
    assert census_by_kab.sum() == SP2010_JATIM and len(census_by_kab) == 38
    pd.testing.assert_series_equal(
        by_kab.sort_index(), census_by_kab.sort_index().astype(float), check_names=False
    )
    kab = wide(real, "penduduk", "kabupaten")[2010]
    pd.testing.assert_series_equal(kab.sort_index(), by_kab.sort_index(), check_names=False)


def test_new_kecamatan_get_their_villages_population_from_the_parent(real):
    pop = wide(real, "penduduk", "kecamatan")[2010]
    for code in indicators.NEW_SINCE_2010:
        assert 20_000 < pop[code] < 80_000, code
    notes = real[(real.indicator == "penduduk") & (real.level == "kecamatan")].set_index(
        "region_code"
    )["note"]
    assert "Rogojampi" in notes["35.10.25"] and "Kabat" in notes["35.10.25"]


def test_population_2024_sums_to_the_published_total(real):
    kab = wide(real, "penduduk", "kabupaten")[2024]
    assert len(kab) == 38 and kab.sum() == POP2024_JATIM
    prov = wide(real, "penduduk", "provinsi")
    assert prov.loc["35", 2024] == POP2024_JATIM
    male = wide(real, "penduduk_laki_laki", "kabupaten")[2024]
    female = wide(real, "penduduk_perempuan", "kabupaten")[2024]
    assert ((male + female) == kab).all()


def test_every_code_resolves_to_a_region(real, ill):
    kec = set(regions.kecamatan()["kode"])
    kab = set(regions.kabupaten()["kode"])
    for frame in (real, ill):
        assert set(frame.loc[frame.level == "kecamatan", "region_code"]) <= kec
        assert set(frame.loc[frame.level == "kabupaten", "region_code"]) <= kab
        assert set(frame.loc[frame.level == "provinsi", "region_code"]) == {"35"}
        for code in frame.loc[frame.level == "kecamatan", "region_code"].unique()[:50]:
            assert regions.lookup(code)["kode"] == code


def test_bridging_matches_the_regions_api():
    wil = wilayah.read_wilayah(lambda fid: sources.fetch(fid, progress=False))
    ours = wil.kecamatan.set_index("kode")["kode_bps"].sort_index()
    theirs = regions.kecamatan().set_index("kode")["kode_bps"].sort_index()
    pd.testing.assert_series_equal(ours, theirs, check_names=False, check_dtype=False)


def test_grdp_follows_source_5_then_source_6(real):
    fetch = lambda fid: sources.fetch(fid, progress=False)  # noqa: E731
    wil = wilayah.read_wilayah(fetch)
    s5 = readers.grdp_districts(wil, fetch).set_index(["kode", "year"])
    s6 = readers.gdp_pc_514(wil, fetch).set_index(["kode", "year"])
    gdp = wide(real, "pdrb_adhk", "kabupaten")
    pc = wide(real, "pdrb_per_kapita", "kabupaten")
    assert list(gdp.columns) == list(range(2010, 2025)) and gdp.notna().all().all()
    assert gdp.loc["35.78", 2015] == s5.loc[("35.78", 2015), "gdp"]
    assert pc.loc["35.01", 2019] == s5.loc[("35.01", 2019), "gdp_pc"]
    assert pc.loc["35.01", 2024] == s6.loc[("35.01", 2024), "gdp_pc"] == 21707
    # totals after 2019 are per capita x population: the implied growth of 2020 is close to
    # BPS's published growth (source 7), which is what is stored for 2016-2021
    growth = wide(real, "pertumbuhan_ekonomi", "kabupaten")
    implied = (gdp[2020] / gdp[2019] - 1) * 100
    gap = (implied - growth[2020]).abs()
    assert gap.median() < 0.3 and gap.max() < 2.0
    assert growth.loc["35.01", 2020] == pytest.approx(-1.84)
    notes = real[(real.indicator == "pdrb_adhk") & (real.level == "kabupaten")]
    assert notes.loc[notes.year == 2015, "note"].str.contains("source 5").all()
    assert notes.loc[notes.year == 2023, "note"].str.contains("source 6").all()


def test_poverty_ipm_and_labour_come_from_their_sources(real):
    p0 = wide(real, "persentase_penduduk_miskin", "kabupaten")
    assert list(p0.columns) == list(range(2018, 2026)) and p0.shape[0] == 38
    assert p0.loc["35.26", 2018] == pytest.approx(19.59)  # Bangkalan, source 8 field `bps`
    ipm = wide(real, "ipm", "kabupaten")
    assert list(ipm.columns) == list(range(2016, 2022))
    assert ipm.loc["35.78", 2021] == pytest.approx(82.31)
    assert ipm.loc["35.01", 2016] == pytest.approx(65.74)
    tpt = wide(real, "tingkat_pengangguran_terbuka", "kabupaten")
    assert tpt.loc["35.01", 2019] == pytest.approx(0.91)
    pbi = wide(real, "cakupan_pbi_jkn", "kabupaten")
    assert pbi.loc["35.02", 2019] == pytest.approx(31.13)
    rs = wide(real, "jumlah_rumah_sakit", "kabupaten")
    assert rs.loc["35.01", 2018] == 3
    for ind in ("jumlah_rumah_sakit", "jumlah_puskesmas"):
        notes = real.loc[real.indicator == ind, "note"]
        assert notes.str.contains("may count villages").all()


def test_idm_counts_repaired_and_consistent_with_kemendagri(real):
    total = sum(wide(real, ind, "kabupaten")[2025] for ind in readers.IDM_CATEGORIES.values())
    kab = regions.kabupaten().set_index("kode")
    with_desa = kab.index[kab["n_desa"] > 0]
    assert len(with_desa) == 30 and set(total.index) == set(with_desa)
    pd.testing.assert_series_equal(
        total.sort_index(),
        kab.loc[with_desa, "n_desa"].sort_index().astype(float),
        check_names=False,
    )
    # the seven kabupaten that upstream labelled with their city's code are present ...
    for code in ("35.06", "35.05", "35.07", "35.13", "35.14", "35.16", "35.19"):
        assert code in total.index
    # ... and the cities themselves (no desa) are not
    assert not {"35.71", "35.72", "35.73", "35.74", "35.75", "35.76", "35.77"} & set(total.index)
    repaired = real[real.note.str.contains("re-coded", na=False)]
    assert set(repaired.region_code) == {
        "35.06",
        "35.05",
        "35.07",
        "35.13",
        "35.14",
        "35.16",
        "35.19",
    }


def test_province_values_are_labelled_aggregates(real):
    prov = real[real.level == "provinsi"]
    gdp = wide(real, "pdrb_adhk", "kabupaten").sum()
    assert np.allclose(wide(real, "pdrb_adhk", "provinsi").loc["35"], gdp, rtol=1e-12)
    notes = prov.set_index(["indicator", "year"])["note"]
    assert "population-weighted" in notes[("persentase_penduduk_miskin", 2020)]
    assert "source 2" in notes[("luas_wilayah", 2024)]
    assert prov.loc[prov.indicator == "luas_wilayah", "value"].iloc[0] == pytest.approx(48055.876)


def test_kecamatan_area_density_and_village_counts(real):
    kec = regions.kecamatan().set_index("kode")
    area = wide(real, "luas_wilayah", "kecamatan")[2025]
    assert np.allclose(area.sort_index(), kec["area_km2"].sort_index())
    dens = wide(real, "kepadatan_penduduk", "kecamatan")[2010]
    pop = wide(real, "penduduk", "kecamatan")[2010]
    assert np.allclose(dens, pop / area)
    desa = wide(real, "jumlah_desa", "kecamatan")[2025]
    kel = wide(real, "jumlah_kelurahan", "kecamatan")[2025]
    assert desa.sum() == 7721 and kel.sum() == 773


def test_grdp_totals_from_2020_stay_on_the_sp2020_population_basis(real):
    """Total / per capita is the population that turned BPS's per capita into a total: for
    every kabupaten/kota and 2020-2024 it is BPS's SP2020-basis projection (source 7, read
    here from the XLSX) for 2020-2021 and 2021 carried forward at its own 2020→2021 rate for
    2022-2024 — never the Dukcapil register count of 2024 (source 2)."""
    fetch = lambda fid: sources.fetch(fid, progress=False)  # noqa: E731
    wil = wilayah.read_wilayah(fetch)
    xlsx = pd.read_excel(sources.fetch("kesra_1", progress=False))
    xlsx["kode"] = [wil.kab_code(k, where="data_uas.xlsx") for k in xlsx["Kabupaten"]]
    sp2020 = xlsx.pivot(index="kode", columns="Tahun", values="Total")[[2020, 2021]].astype(float)
    for year in (2022, 2023, 2024):
        sp2020[year] = sp2020[2021] * (sp2020[2021] / sp2020[2020]) ** (year - 2021)
    gdp = wide(real, "pdrb_adhk", "kabupaten")
    pc = wide(real, "pdrb_per_kapita", "kabupaten")
    years = list(range(2020, 2025))
    implied = gdp[years] * 1e6 / pc[years]  # billion IDR / thousand IDR per person → people
    assert len(implied) == 38 and implied.notna().all().all()
    pd.testing.assert_frame_equal(
        implied.sort_index(),
        sp2020.loc[implied.index, years].sort_index(),
        rtol=1e-9,
        check_names=False,
    )
    register = wide(real, "penduduk", "kabupaten")[2024]  # source 2, Dukcapil 2024
    assert register.notna().sum() == 38
    rel = (implied[2024] / register.reindex(implied.index) - 1).abs()
    assert (rel > 1e-3).all(), rel.sort_values().head()
    notes = real[(real.indicator == "pdrb_adhk") & (real.level == "kabupaten")]
    later = notes[notes.year >= 2020]
    assert len(later) == 38 * 5 and later["note"].str.contains("SP2020 basis").all()
    assert not later["note"].str.contains("source 2|register|Dukcapil").any()
