"""The built layers: counts, validity, clean coverage, areas, contiguity (issue 2 acceptance)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely
from geo_helpers import EQUAL_AREA

from pipeline import sources

TOTAL_BIG_KM2 = 48055.9
KM2 = 1e6
MAX_GAP_OVERLAP_KM2 = 0.01


def test_counts(layers):
    kab, kec, desa = layers["kabupaten"], layers["kecamatan"], layers["desa"]
    assert len(kab) == 38
    assert (kab["jenis"] == "kabupaten").sum() == 29 and (kab["jenis"] == "kota").sum() == 9
    assert len(kec) == 666 and kec["kode"].is_unique
    assert len(desa) == 8494 and desa["kode"].is_unique
    assert (desa["jenis"] == "desa").sum() == 7721 and (desa["jenis"] == "kelurahan").sum() == 773
    assert kec["n_desa"].sum() == 7721 and kec["n_kelurahan"].sum() == 773
    assert kab["n_kecamatan"].sum() == 666 and kab["n_desa"].sum() == 7721
    # counts per kecamatan recomputed from the desa layer
    per_kec = desa.groupby("kec_kode")["jenis"].value_counts().unstack(fill_value=0)
    kec_i = kec.set_index("kode")
    assert (per_kec["desa"].reindex(kec_i.index, fill_value=0) == kec_i["n_desa"]).all()
    assert (per_kec["kelurahan"].reindex(kec_i.index, fill_value=0) == kec_i["n_kelurahan"]).all()
    # kota are exactly the codes 35.7x and named "Kota ..."
    kota = kab[kab["jenis"] == "kota"]
    assert set(kota["kode"]) == {f"35.{i}" for i in range(71, 80)}
    assert kota["nama"].str.startswith("Kota ").all()


def test_desa_kind_follows_the_code(layers):
    desa = layers["desa"]
    fourth = desa["kode"].str.split(".").str[3].str[0]
    assert ((fourth == "1") == (desa["jenis"] == "kelurahan")).all()
    assert (desa["kec_kode"] == desa["kode"].str[:8]).all()


def test_codes_and_names_come_from_source_2(layers):
    """Names checked against source 2 read here with a plain regex (not the pipeline parser)."""
    text = sources.fetch("wilayah").read_text(encoding="utf-8")
    names = dict(re.findall(r"\('(35\.\d\d(?:\.\d\d)?)','((?:[^']|'')*)'\)", text))
    names = {k: v.replace("''", "'") for k, v in names.items()}
    for level in ("kecamatan", "kabupaten"):
        frame = layers[level]
        assert dict(zip(frame["kode"], frame["nama"], strict=True)) == {
            k: v for k, v in names.items() if len(k) == (8 if level == "kecamatan" else 5)
        }


@pytest.mark.parametrize("level", ["kabupaten", "kecamatan", "desa"])
def test_geometries_valid_and_a_clean_coverage(layers, level):
    geoms = layers[level].geometry.values
    assert layers[level].crs.to_epsg() == 4326
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}
    # a valid coverage: no overlaps and vertices on shared edges identical
    assert bool(shapely.coverage_is_valid(geoms))


@pytest.mark.parametrize("level", ["kabupaten", "kecamatan"])
def test_no_overlap_between_neighbours(layers, level):
    geoms = layers[level].to_crs(EQUAL_AREA).geometry.values
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]])) / KM2
    assert keep.sum() > len(geoms)  # there are neighbours at all
    assert overlap.max() <= MAX_GAP_OVERLAP_KM2


@pytest.mark.parametrize("level", ["kabupaten", "kecamatan", "desa"])
def test_no_gap_between_neighbours(layers, level):
    """Holes of the union at each level are gaps between neighbours: none above 0.01 km²."""
    geoms = layers[level].to_crs(EQUAL_AREA).geometry.values
    union = shapely.union_all(geoms) if level == "kabupaten" else shapely.coverage_union_all(geoms)
    parts = shapely.get_parts(union)
    holes = [
        shapely.area(shapely.Polygon(shapely.get_interior_ring(p, i))) / KM2
        for p in parts
        for i in range(shapely.get_num_interior_rings(p))
    ]
    assert max(holes, default=0.0) <= MAX_GAP_OVERLAP_KM2


def test_levels_nest_exactly(layers):
    kab, kec, desa = layers["kabupaten"], layers["kecamatan"], layers["desa"]
    by_kec = desa.groupby("kec_kode")["area_km2"].sum()
    assert np.allclose(kec.set_index("kode")["area_km2"], by_kec.reindex(kec["kode"]), rtol=1e-6)
    by_kab = kec.groupby("kab_kode")["area_km2"].sum()
    assert np.allclose(kab.set_index("kode")["area_km2"], by_kab.reindex(kab["kode"]), rtol=1e-6)


def test_total_area_matches_big(layers):
    kab = layers["kabupaten"].to_crs(EQUAL_AREA)
    total = shapely.area(kab.geometry.values).sum() / KM2
    assert abs(total / TOTAL_BIG_KM2 - 1) <= 0.005
    assert abs(layers["kabupaten"]["area_km2"].sum() / TOTAL_BIG_KM2 - 1) <= 0.005


def test_each_kabupaten_area_within_2_percent_of_big(layers):
    """BIG areas read here from source 2 with a plain regex; our area on another CRS."""
    text = sources.fetch("wilayah_luas").read_text(encoding="utf-8")
    big = {k: float(v) for k, v in re.findall(r"\('(35\.\d\d)','[^']*',([\d.]+)\)", text)}
    assert len(big) == 38
    kab = layers["kabupaten"].to_crs(EQUAL_AREA)
    ours = dict(zip(kab["kode"], shapely.area(kab.geometry.values) / KM2, strict=True))
    off = {k: ours[k] / big[k] - 1 for k in big}
    assert max(abs(v) for v in off.values()) <= 0.02, off
    assert np.allclose(kab.set_index("kode")["area_big_km2"].reindex(list(big)), list(big.values()))


def test_area_column_is_equal_area(layers):
    kec = layers["kecamatan"]
    other = shapely.area(kec.to_crs(EQUAL_AREA).geometry.values) / KM2
    assert np.allclose(kec["area_km2"], other, rtol=2e-3)


def test_coordinates_are_lon_lat(layers):
    minx, miny, maxx, maxy = layers["kabupaten"].total_bounds
    assert 110.8 < minx < maxx < 116.3 and -8.8 < miny < maxy < -5.0
    kec = layers["kecamatan"]
    pts = shapely.points(kec["rep_lon"], kec["rep_lat"])
    assert shapely.contains(kec.geometry.values, pts).all()


def test_neighbours_are_queen_contiguity(layers):
    from libpysal.graph import Graph

    for level in ("kabupaten", "kecamatan"):
        frame = layers[level]
        nb = dict(zip(frame["kode"], frame["neighbours"], strict=True))
        for k, ns in nb.items():
            assert k not in ns
            for n in ns:
                assert k in nb[n], (level, k, n)
    kab = layers["kabupaten"].set_index("kode")
    graph = Graph.build_contiguity(kab, rook=False)
    adj = graph.adjacency.reset_index()
    adj = adj[adj["weight"] > 0]
    expected = {k: sorted(adj.loc[adj["focal"] == k, "neighbor"]) for k in kab.index}
    assert {k: sorted(v) for k, v in zip(kab.index, kab["neighbours"], strict=True)} == expected


def test_island_kecamatan(layers):
    kec = layers["kecamatan"]
    sumenep_gresik = kec[kec["kab_kode"].isin(["35.29", "35.25"])].set_index("nama")
    islands = [
        "Sangkapura",
        "Tambak",
        "Masalembu",
        "Sapeken",
        "Kangayan",
        "Ra'as",
        "Arjasa",
        "Giliginting",
    ]
    for name in islands:
        assert name in sumenep_gresik.index, name
        row = sumenep_gresik.loc[name]
        assert bool(row["is_island"]), name
    nb = dict(zip(kec["kode"], kec["neighbours"], strict=True))
    # Bawean: Sangkapura and Tambak neighbour each other and nothing else
    sang = sumenep_gresik.loc["Sangkapura", "kode"]
    tamb = sumenep_gresik.loc["Tambak", "kode"]
    assert list(nb[sang]) == [tamb] and list(nb[tamb]) == [sang]
    for name in ("Masalembu", "Sapeken", "Ra'as", "Giliginting"):
        assert list(nb[sumenep_gresik.loc[name, "kode"]]) == []
    # mainland kecamatan are not islands; Arjasa of Situbondo (same name) is mainland
    assert not kec.loc[(kec["kab_kode"] == "35.12") & (kec["nama"] == "Arjasa"), "is_island"].item()
    assert kec["is_island"].sum() < 20
