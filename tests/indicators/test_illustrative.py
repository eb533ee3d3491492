"""Illustrative kecamatan values: exact consistency with the real figures, determinism,
East-Javanese structure, and their load into the store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from indicator_helpers import wide
from scipy.stats import spearmanr

import regions
import store
from pipeline import illustrative, statistics

RTOL = 1e-9


@pytest.fixture(scope="module")
def kec_pop(ill, real):
    pop = wide(ill, "penduduk", "kecamatan")
    pop[2010] = wide(real, "penduduk", "kecamatan")[2010]
    return pop.sort_index(axis=1)


def kab_of(index: pd.Index) -> pd.Index:
    """Kabupaten of each kecamatan through the regions API (not by cutting the code)."""
    return pd.Index(regions.kecamatan().set_index("kode").loc[index, "kab_kode"])


def test_population_is_whole_and_sums_to_the_real_totals(ill, real, kec_pop):
    """Illustrative kecamatan population sums to the real kabupaten value in EVERY year that
    has one (census 2010, BPS projections 2016-2021, the 2024 register)."""
    assert list(kec_pop.columns) == list(range(2010, 2025)) and kec_pop.notna().all().all()
    assert (kec_pop == kec_pop.round()).all().all() and (kec_pop > 0).all().all()
    sums = kec_pop.groupby(kab_of(kec_pop.index)).sum()
    kab = wide(real, "penduduk", "kabupaten")
    real_years = [y for y in kab.columns if kab[y].notna().all()]
    assert {2010, 2016, 2017, 2018, 2019, 2020, 2021, 2024} <= set(real_years)
    for year in real_years:
        pd.testing.assert_series_equal(
            sums[year], kab[year].round().astype(sums[year].dtype), check_names=False
        )
    assert sums[2024].sum() == 41_919_906
    # between two real years each kabupaten follows the geometric path between them
    path = illustrative.kabupaten_path(kab[real_years], [2012, 2023])
    pd.testing.assert_frame_equal(sums[[2012, 2023]], path, check_names=False, check_dtype=False)


def test_grdp_sums_equal_the_kabupaten_grdp_every_year(ill, real):
    kec = wide(ill, "pdrb_adhk", "kecamatan")
    kab = wide(real, "pdrb_adhk", "kabupaten")
    assert list(kec.columns) == list(range(2010, 2025)) and len(kec) == 666
    sums = kec.groupby(kab_of(kec.index)).sum()
    rel = ((sums - kab) / kab).abs()
    assert rel.max().max() < RTOL
    assert (kec > 0).all().all()


def test_grdp_per_capita_is_grdp_over_population(ill, kec_pop):
    gdp = wide(ill, "pdrb_adhk", "kecamatan")
    pc = wide(ill, "pdrb_per_kapita", "kecamatan")
    assert np.allclose(pc, gdp * 1e6 / kec_pop[gdp.columns], rtol=1e-12)


def weighted(values: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for year in values.columns:
        w = pop[min(year, 2024)]
        groups = kab_of(values.index)
        out[year] = (values[year] * w).groupby(groups).sum() / w.groupby(groups).sum()
    return pd.DataFrame(out)


def test_weighted_poverty_means_equal_the_real_kabupaten_rates(ill, real, kec_pop):
    kec = wide(ill, "persentase_penduduk_miskin", "kecamatan")
    kab = wide(real, "persentase_penduduk_miskin", "kabupaten")
    assert list(kec.columns) == list(range(2018, 2026))
    means = weighted(kec, kec_pop)
    assert (means - kab).abs().max().max() < 1e-9
    assert kec.min().min() > 0 and kec.max().max() < 100


def test_weighted_pbi_coverage_equals_the_real_kabupaten_values(ill, real, kec_pop):
    kec = wide(ill, "cakupan_pbi_jkn", "kecamatan")
    kab = wide(real, "cakupan_pbi_jkn", "kabupaten")
    means = weighted(kec[[2019, 2020]], kec_pop)
    assert (means - kab[[2019, 2020]]).abs().max().max() < 1e-9


@pytest.mark.parametrize(
    "indicator", [s.indicator for s in illustrative.COVERAGE if s.indicator != "cakupan_pbi_jkn"]
)
def test_generated_kabupaten_values_are_the_weighted_kecamatan_means(ill, kec_pop, indicator):
    kec = wide(ill, indicator, "kecamatan")
    kab = wide(ill, indicator, "kabupaten")
    assert list(kec.columns) == list(illustrative.COVERAGE_YEARS)
    assert (weighted(kec, kec_pop) - kab).abs().max().max() < 1e-9
    assert kec.min().min() > 0 and kec.max().max() < 100


def test_at_least_six_coverage_indicators_across_sectors(ill):
    cat = store.definitions.load_file()
    themes = {i.id: i.theme for i in cat}
    coverage = [s.indicator for s in illustrative.COVERAGE]
    assert len(coverage) >= 6
    assert {themes[c] for c in coverage} >= {"perlindungan_sosial", "layanan_dasar"}
    assert set(coverage) <= set(ill.loc[ill.level == "kecamatan", "indicator"])


def test_every_value_is_flagged_and_catalogued_illustrative(ill):
    assert ill["illustrative"].all()
    assert ill["note"].str.startswith("illustrative").all()
    cat = {i.id: i for i in store.definitions.load_file()}
    for ind in ill["indicator"].unique():
        assert "kecamatan" in cat[ind].illustrative_levels, ind


def test_regenerating_gives_identical_numbers(ill, real):
    again = illustrative.generate(regions.kecamatan(), real)
    pd.testing.assert_frame_equal(again, ill, check_exact=True)
    assert store.frame_checksum(again) == store.frame_checksum(ill)


def test_structure_looks_like_east_java(ill, kec_pop):
    kec = regions.kecamatan().set_index("kode")
    pov = wide(ill, "persentase_penduduk_miskin", "kecamatan")[2024]
    kab_mean = weighted(pov.to_frame(), kec_pop)[2024]
    dev = pov - kab_mean.reindex(kab_of(pov.index)).to_numpy()
    density = kec_pop[2010] / kec.loc[kec_pop.index, "area_km2"]
    # denser (more urban) kecamatan are less poor than their kabupaten
    rho, _ = spearmanr(np.log(density), dev)
    assert rho < -0.3
    # island kecamatan (Bawean, Kangean, Sapeken, Masalembu, Gili...) are poorer than theirs
    islands = kec.index[kec["is_island"]]
    assert len(islands) >= 5 and (dev[islands] > 0).mean() >= 0.8
    # richer per capita where poverty is lower, within kabupaten
    pc = wide(ill, "pdrb_per_kapita", "kecamatan")[2024]
    rho_pc, _ = spearmanr(pc, dev)
    assert rho_pc < -0.2
    # some kecamatan have high need and low coverage
    pkh = wide(ill, "cakupan_pkh", "kecamatan")[2024]
    high_need = pov >= pov.quantile(0.75)
    low_cov = pkh < pkh.groupby(kab_of(pkh.index)).transform("median").to_numpy()
    assert (high_need & low_cov).sum() >= 5


# --------------------------------------------------------------------------- the store load
def test_store_load_creates_two_versions_once(loaded_store):
    first, second = loaded_store["first"], loaded_store["second"]
    assert {k: v.status for k, v in first.items()} == {
        statistics.REAL_DATASET: "created",
        statistics.ILLUSTRATIVE_DATASET: "created",
    }
    assert second == {statistics.REAL_DATASET: None, statistics.ILLUSTRATIVE_DATASET: None}
    assert len(store.versions(url=loaded_store["url"])) == 2


def test_store_flags_and_codes(loaded_store, real):
    url = loaded_store["url"]
    assert store.is_illustrative("pdrb_adhk", level="kecamatan", url=url)
    assert not store.is_illustrative("pdrb_adhk", level="kabupaten", url=url)
    assert not store.is_illustrative("penduduk", level="kecamatan", year=2010, url=url)
    assert store.is_illustrative("penduduk", level="kecamatan", year=2015, url=url)
    s = store.series("penduduk", 2010, url=url)
    assert s.sum() == 37_476_757 and not s.attrs["illustrative"]
    kec = set(regions.kecamatan()["kode"])
    kab = set(regions.kabupaten()["kode"])
    for level, known in (("kecamatan", kec), ("kabupaten", kab), ("provinsi", {"35"})):
        codes = set(store.tidy(level=level, url=url)["region_code"])
        assert codes and codes <= known, level
    cov = store.coverage(sorted(kec), indicators="persentase_penduduk_miskin", url=url)
    assert (cov["n_missing"] == 0).all() and list(cov["year"]) == list(range(2018, 2026))
    gdp = store.wide("pdrb_adhk", level="kabupaten", url=url)
    expected = wide(real, "pdrb_adhk", "kabupaten")
    assert np.array_equal(gdp["pdrb_adhk"].to_numpy(), expected.to_numpy())


def test_an_unchanged_build_does_nothing(stats_dir):
    before = (stats_dir / "illustrative.parquet").stat().st_mtime_ns
    result = statistics.build(out_dir=stats_dir)
    assert result.skipped
    assert (stats_dir / "illustrative.parquet").stat().st_mtime_ns == before
