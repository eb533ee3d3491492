"""Schools (source 11) and puskesmas (source 12): read, placed, listed, distances."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyproj
import pytest

import regions
import store
from pipeline import facilities, realdata
from pipeline.realreport import school_kabupaten


def test_all_schools_read_and_at_least_99_percent_placed(facilities_built, source_file, built):
    n = sum(
        len(recs)
        for fid in realdata.SCHOOL_IDS
        for recs in json.loads(source_file(fid).read_text(encoding="utf-8")).values()
    )
    schools = facilities_built[facilities_built["kind"] != "puskesmas"]
    assert n == len(schools) == 27807
    placed = schools["desa_kode"] != ""
    assert placed.mean() >= 0.99
    listed = pd.read_csv(built["reports"] / "realdata_facilities_unplaced.csv", dtype=str)
    assert set(schools.loc[~placed, "id"]) <= set(listed["id"])
    assert set(listed["place_note"]) <= {"no coordinates", "outside East Java"}


def test_a_facility_without_coordinates_is_never_placed(facilities_built):
    no_xy = facilities_built["lon"].isna() | facilities_built["lat"].isna()
    assert no_xy.sum() > 0  # the registry has some
    assert (facilities_built.loc[no_xy, "desa_kode"] == "").all()
    assert (facilities_built.loc[no_xy, "place_note"] == "no coordinates").all()
    assert not ((facilities_built["lon"] == 0) | (facilities_built["lat"] == 0)).any()


def test_zero_or_missing_coordinates_are_not_points():
    desa = regions.load_layer("desa")
    pts = pd.DataFrame(
        {
            "lon": [facilities._coordinate(v) for v in ("0", "", None, "112.7512")],
            "lat": [facilities._coordinate(v) for v in ("0", "-7.2", "x", "-7.2575")],
        }
    )
    out = facilities.place(pts, desa)
    assert out["place_note"].tolist()[:3] == ["no coordinates"] * 3
    assert out["desa_kode"].iloc[3].startswith("35.78.")  # central Surabaya


def test_per_kabupaten_differences_are_the_listed_border_cases(facilities_built, built):
    per_kab = pd.read_csv(
        built["reports"] / "realdata_schools_per_kabupaten.csv", dtype={"kab_kode": str}
    )
    other = pd.read_csv(built["reports"] / "realdata_schools_other_kabupaten.csv", dtype=str)
    unplaced = pd.read_csv(built["reports"] / "realdata_facilities_unplaced.csv", dtype=str)
    schools = facilities_built[facilities_built["kind"] != "puskesmas"].set_index("id")
    registry = school_kabupaten(schools.reset_index(), regions.kabupaten()).to_numpy()
    schools = schools.assign(kab_by_registry=registry)
    gone = schools.loc[schools.index.isin(unplaced["id"])].groupby("kab_by_registry").size()
    out = other.groupby("kab_by_registry").size()
    into = other.groupby("kab_kode").size()
    for row in per_kab.itertuples():
        expected = (
            row.registry
            - gone.get(row.kab_kode, 0)
            - out.get(row.kab_kode, 0)
            + into.get(row.kab_kode, 0)
        )
        assert row.placed == expected, row.kab_kode
    assert other["reason"].str.contains("border|far from").all()
    assert (registry != "").all()


def test_puskesmas_read_mapped_through_the_crosswalk_and_mostly_in_their_kecamatan(
    facilities_built, built
):
    pusk = facilities_built[facilities_built["kind"] == "puskesmas"]
    assert len(pusk) == 941
    assert (pusk["kec_by_code"] != "").all()
    assert (pusk["kec_by_code"] == pusk["kec_bps"].map(regions.to_kemendagri)).all()
    # never by reading the digits as a Kemendagri code
    digits = (
        pusk["kec_bps"].str[:2] + "." + pusk["kec_bps"].str[2:4] + "." + pusk["kec_bps"].str[5:7]
    )
    assert (digits != pusk["kec_by_code"]).sum() > 500
    placed = pusk[pusk["desa_kode"] != ""]
    inside = placed["kec_kode"] == placed["kec_by_code"]
    assert len(placed) == 936 and inside.sum() == 859 and inside.mean() >= 0.90
    listed = pd.read_csv(built["reports"] / "realdata_puskesmas_other_kecamatan.csv", dtype=str)
    assert set(listed["id"]) == set(placed.loc[~inside, "id"])
    assert (listed["counted_in"].str.contains("code")).all()


def test_puskesmas_counts_follow_the_code(url, facilities_built):
    pusk = facilities_built[facilities_built["kind"] == "puskesmas"]
    want = pusk.groupby("kec_by_code").size()
    got = store.tidy("jumlah_puskesmas_2019", level="kecamatan", url=url).set_index("region_code")[
        "value"
    ]
    assert len(got) == 666 and got.sum() == 941
    assert (got.reindex(want.index) == want).all()


@pytest.mark.parametrize("kind", ["smp", "puskesmas"])
def test_nearest_distance_equals_brute_force_for_20_random_desa(url, facilities_built, kind):
    desa = regions.desa().sample(20, random_state=14)
    points = facilities_built[
        (facilities_built["kind"] == kind) & (facilities_built["desa_kode"] != "")
    ]
    to_m = pyproj.Transformer.from_crs("EPSG:4326", facilities.METRIC_CRS, always_xy=True)
    fx, fy = to_m.transform(points["lon"].to_numpy(), points["lat"].to_numpy())
    dx, dy = to_m.transform(desa["rep_lon"].to_numpy(), desa["rep_lat"].to_numpy())
    brute = np.array(
        [np.sqrt((fx - x) ** 2 + (fy - y) ** 2).min() for x, y in zip(dx, dy, strict=True)]
    )
    got = store.tidy(f"jarak_{kind}_km", level="desa", url=url).set_index("region_code")["value"]
    assert np.abs(got.reindex(desa["kode"]).to_numpy() * 1000 - brute).max() <= 1.0


def test_distance_crosses_kabupaten_borders(url):
    # the projection is metric: 1 km east at the centre is 1 km
    to_m = pyproj.Transformer.from_crs("EPSG:4326", facilities.METRIC_CRS, always_xy=True)
    geod = pyproj.Geod(ellps="WGS84")
    lon2, lat2, _ = geod.fwd(112.5, -7.5, 90, 1000)
    (x1, x2), (y1, y2) = to_m.transform([112.5, lon2], [-7.5, lat2])
    assert abs(np.hypot(x2 - x1, y2 - y1) - 1000) < 0.5


def test_access_shares_use_the_thresholds(url):
    dist = store.tidy("jarak_smp_km", level="desa", url=url).set_index("region_code")["value"]
    share = store.tidy("persen_desa_smp_3km", level="kecamatan", url=url).set_index("region_code")[
        "value"
    ]
    kec = dist.groupby(dist.index.str[:8]).apply(lambda s: 100 * (s <= 3.0).mean())
    assert np.allclose(share.reindex(kec.index), kec)
    cat = store.catalogue(url=url)
    assert "3 km" in cat.loc["persen_desa_smp_3km", "name_id"]
    assert "5 km" in cat.loc["persen_desa_puskesmas_5km", "name_en"]


def test_per_10000_uses_the_sp2010_population(url):
    n = store.tidy("jumlah_smp", level="kecamatan", url=url).set_index("region_code")["value"]
    pop = store.tidy("penduduk", level="kecamatan", years=[2010], url=url)
    pop = pop[~pop["illustrative"]].set_index("region_code")["value"]
    ratio = store.tidy("smp_per_10rb", level="kecamatan", url=url).set_index("region_code")["value"]
    assert np.allclose(ratio.reindex(n.index), 1e4 * n / pop.reindex(n.index))
    assert "SP2010" in store.catalogue(url=url).loc["smp_per_10rb", "name_id"]
