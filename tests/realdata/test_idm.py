"""IDM 2024 (source 10): desa values, kecamatan means, "not applicable", status counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

import regions
import store


def test_every_desa_value_equals_the_source(url, idm_source):
    for column, position in (("idm", 2), ("iks", 3), ("ike", 4), ("ikl", 5), ("status_idm", 6)):
        got = store.tidy(column, level="desa", url=url).set_index("region_code")["value"]
        want = pd.Series({k: float(r[position]) for k, r in idm_source["desa"].items()})
        assert len(want) == 7721
        assert got.sort_index().index.equals(want.sort_index().index), column
        assert (got.reindex(want.index) == want).all(), column


def test_kecamatan_mean_equals_the_source_m(url, idm_source):
    got = store.tidy("idm", level="kecamatan", url=url).set_index("region_code")["value"]
    want = pd.Series({k: float(r["m"]) for k, r in idm_source["kec"].items()})
    assert len(want) == 603 and set(got.index) == set(want.index)
    assert np.allclose(got.reindex(want.index), want, atol=1e-4, rtol=0)


def test_kabupaten_mean_is_over_desa_not_over_kecamatan(url, idm_source):
    desa = pd.DataFrame(
        [(k[:5], float(r[2])) for k, r in idm_source["desa"].items()], columns=["kab", "idm"]
    )
    want = desa.groupby("kab")["idm"].mean()
    got = store.tidy("idm", level="kabupaten", url=url).set_index("region_code")["value"]
    assert (
        np.allclose(got.reindex(want.index), want, atol=1e-12) and len(got) == len(want) == 30
    )  # 29 kabupaten and Kota Batu


def test_exactly_the_kelurahan_only_kecamatan_are_not_applicable(url):
    kec = regions.kecamatan()
    kelurahan_only = set(kec.loc[kec["n_desa"] == 0, "kode"])
    assert len(kelurahan_only) == 63
    assert set(kec["kode"]) - regions.applicable_codes("desa", "kecamatan") == kelurahan_only
    cat = store.catalogue(url=url)
    for ind in ("idm", "iks", "ike", "ikl", "persen_desa_tertinggal", "desa_mandiri"):
        assert cat.loc[ind, "applies_to"] == "desa"
        rows = store.tidy(ind, level="kecamatan", url=url)
        # not 0 and not a "missing" row: no value at all where it does not apply
        assert kelurahan_only.isdisjoint(rows["region_code"]), ind
        assert set(rows["region_code"]) == set(kec["kode"]) - kelurahan_only, ind
    assert not regions.applies("desa", "35.78.09")  # Sukolilo, Kota Surabaya
    assert regions.applies("all", "35.78.09")
    assert cat.loc["jarak_smp_km", "applies_to"] == "all"


def test_kelurahan_have_no_idm_and_desa_all_have_one(url):
    desa = regions.desa()
    have = set(store.tidy("idm", level="desa", url=url)["region_code"])
    assert have == set(desa.loc[desa["jenis"] == "desa", "kode"])
    assert have == regions.applicable_codes("desa", "desa")


def test_status_counts_per_kabupaten_equal_source_9_2024(url):
    for ind in (
        "desa_mandiri",
        "desa_maju",
        "desa_berkembang",
        "desa_tertinggal",
        "desa_sangat_tertinggal",
    ):
        kec = store.tidy(ind, level="kecamatan", years=[2024], url=url)
        summed = kec.groupby(kec["region_code"].str[:5])["value"].sum()
        source9 = store.tidy(ind, level="kabupaten", years=[2024], url=url)
        source9 = source9.set_index("region_code")["value"]
        assert len(source9) == 30
        assert (summed.reindex(source9.index).fillna(0) == source9).all(), ind


def test_shares_follow_the_counts(url):
    counts = {
        s: store.tidy(f"desa_{s}", level="kecamatan", url=url).set_index("region_code")["value"]
        for s in ("mandiri", "maju", "berkembang", "tertinggal", "sangat_tertinggal")
    }
    total = sum(counts.values())
    share = store.tidy("persen_desa_tertinggal", level="kecamatan", url=url)
    share = share.set_index("region_code")["value"]
    want = 100 * (counts["tertinggal"] + counts["sangat_tertinggal"]) / total
    assert np.allclose(share.reindex(want.index), want)
