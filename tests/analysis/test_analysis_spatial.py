"""Tests of analysis.spatial on a synthetic lattice (no pipeline data needed)."""

from __future__ import annotations

import warnings

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import lat2W
from shapely.geometry import box

from analysis import spatial

NROW = NCOL = 8

#: Tolerance for comparisons with esda on the same arrays (same formulas, different
#: summation order).
PYSAL_RTOL = 1e-10
PYSAL_ATOL = 1e-12


@pytest.fixture(scope="module")
def grid():
    """An 8×8 grid of unit squares (ids 'r-c') plus one island far to the east, in metres."""
    cells, ids = [], []
    for r in range(NROW):
        for c in range(NCOL):
            cells.append(box(c * 1000, r * 1000, (c + 1) * 1000, (r + 1) * 1000))
            ids.append(f"{r}-{c}")
    cells.append(box(20_000, 3_000, 21_000, 4_000))
    ids.append("island")
    # place it in UTM zone 49S near Surabaya so that a geographic copy has a UTM zone
    frame = gpd.GeoDataFrame({"kode": ids}, geometry=cells, crs="EPSG:32749")
    return frame.set_geometry(frame.translate(690_000, 9_190_000))


@pytest.fixture(scope="module")
def queen(grid):
    return spatial.queen_weights(grid, id_col="kode", k_islands=2)


@pytest.fixture(scope="module")
def values(grid):
    """A smooth east-west trend plus noise: clear positive autocorrelation."""
    rng = np.random.default_rng(5)
    cols = np.array([int(i.split("-")[1]) if i != "island" else 9 for i in grid["kode"]])
    return cols * 2.0 + rng.normal(0, 1.5, size=len(cols))


def test_queen_matches_lattice_and_flags_island(queen):
    ref = lat2W(NROW, NCOL, rook=False)
    for i in range(NROW * NCOL):
        r, c = divmod(i, NCOL)
        expected = {f"{j // NCOL}-{j % NCOL}" for j in ref.neighbors[i]}
        got = set(queen.neighbours[f"{r}-{c}"]) - {"island"}
        assert got == expected
    assert queen.islands == ("island",)
    # joined to its two nearest cells (column 7, rows 3 and 2 or 4), symmetrically
    nb = queen.neighbours["island"]
    assert len(nb) == 2 and all(n.endswith("-7") for n in nb)
    for n in nb:
        assert "island" in queen.neighbours[n]
    assert queen.method == "queen" and queen.k == 2


def test_queen_equals_libpysal_queen(grid, queen):
    from libpysal.weights import Queen

    ref = Queen.from_dataframe(grid, ids=list(grid["kode"]), use_index=False, silence_warnings=True)
    for i in grid["kode"]:
        if i == "island":
            continue
        assert set(queen.neighbours[i]) - {"island"} == set(ref.neighbors[i])
    assert ref.islands == ["island"]


def test_geographic_crs_is_projected_for_islands(grid):
    sw = spatial.queen_weights(grid.to_crs("EPSG:4326"), id_col="kode", k_islands=1)
    assert sw.islands == ("island",)
    assert sw.neighbours["island"] in (["3-7"], ["2-7"], ["4-7"])


def test_knn_weights_symmetric(grid):
    sw = spatial.knn_weights(grid, k=4, id_col="kode")
    nb = sw.neighbours
    assert all(len(v) >= 4 for v in nb.values())
    assert all(i in nb[j] for i, js in nb.items() for j in js)
    assert sw.islands == ()


def test_weights_from_neighbours_with_coords():
    nb = {"a": ["b"], "b": ["a"], "c": []}
    with pytest.raises(ValueError, match="coordinates"):
        spatial.weights_from_neighbours(nb)
    sw = spatial.weights_from_neighbours(nb, coords=[[0, 0], [1, 0], [5, 0]])
    assert sw.islands == ("c",) and sw.neighbours["c"] == ["b"]


@pytest.fixture(params=["list", "ndarray", "series", "column"])
def as_input(request, queen):
    """Input types; a Series is indexed by the weights' ids (it is aligned by id)."""
    return {
        "list": lambda a: [float(v) for v in a],
        "ndarray": lambda a: np.asarray(a, dtype=float),
        "series": lambda a: pd.Series(a, index=list(queen.ids)),
        "column": lambda a: np.asarray(a, dtype=float).reshape(-1, 1),
    }[request.param]


def _brute_moran(y, neighbours, ids):
    z = y - y.mean()
    pos = {i: n for n, i in enumerate(ids)}
    num = sum(z[pos[i]] * z[pos[j]] / len(neighbours[i]) for i in ids for j in neighbours[i])
    return len(y) / len(y) * num / (z @ z)  # row-standardised: S0 = n


def test_moran_equals_esda_and_brute_force(queen, values, as_input):
    r = spatial.moran(as_input(values), queen, permutations=199, seed=3)
    np.random.seed(3)
    ref = esda.Moran(values, queen.w, transformation="r", permutations=199)
    assert r.I == pytest.approx(ref.I, rel=PYSAL_RTOL, abs=PYSAL_ATOL)
    assert r.EI == pytest.approx(-1 / (len(values) - 1))
    assert r.z_norm == pytest.approx(ref.z_norm, rel=PYSAL_RTOL)
    assert r.p_norm == pytest.approx(ref.p_norm, rel=1e-8)
    assert r.p_sim == pytest.approx(ref.p_sim)
    assert r.I == pytest.approx(_brute_moran(values, queen.neighbours, queen.ids), rel=1e-12)
    assert r.I > 0.3 and r.p_sim == pytest.approx(1 / 200)


def test_moran_scatter_is_z_and_the_neighbours_mean_with_slope_i(queen, values):
    """Each point: the standardised value and the plain mean of its neighbours' standardised
    values (brute force over the neighbour lists); the least-squares slope is esda's I."""
    frame = spatial.moran_scatter(pd.Series(values, index=list(queen.ids)), queen)
    z = (values - values.mean()) / values.std()
    zs = dict(zip(queen.ids, z, strict=True))
    assert frame.index.tolist() == list(queen.ids)
    assert frame["z"].to_numpy() == pytest.approx(z)
    for i, nb in queen.neighbours.items():
        assert frame.at[i, "lag"] == pytest.approx(np.mean([zs[j] for j in nb]), rel=1e-12)
    slope = float(frame["z"] @ frame["lag"] / (frame["z"] @ frame["z"]))
    ref = esda.Moran(values, queen.w, transformation="r", permutations=0)
    assert slope == pytest.approx(ref.I, rel=1e-10)


def test_moran_leaves_global_rng_alone(queen, values):
    np.random.seed(99)
    expected = np.random.random()
    np.random.seed(99)
    spatial.moran(values, queen, permutations=9)
    assert np.random.random() == expected


def test_lisa_equals_esda(queen, values, as_input):
    r = spatial.lisa(as_input(values), queen, permutations=199, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.Moran_Local(values, queen.w, transformation="r", permutations=199, seed=4)
    np.testing.assert_allclose(r.Is, ref.Is, rtol=PYSAL_RTOL, atol=PYSAL_ATOL)
    np.testing.assert_array_equal(r.q, ref.q)
    np.testing.assert_allclose(r.p_sim, ref.p_sim, rtol=1e-6)  # esda: single precision
    exact = np.rint(ref.p_sim * 200) / 200
    expected = np.where(exact <= 0.05, pd.Series(ref.q).map(spatial.CLUSTER_LABELS), "ns")
    np.testing.assert_array_equal(r.labels, expected)
    # a high east and a low west: HH clusters in column 7 and LL in column 0 exist
    f = r.frame()
    assert {"HH", "LL"} <= set(f["cluster"])
    assert all(i.endswith(("-6", "-7", "-5")) or i == "island" for i in f.index[f.cluster == "HH"])


def test_lisa_fdr_is_stricter(queen, values):
    plain = spatial.lisa(values, queen, permutations=999, seed=1)
    strict = spatial.lisa(values, queen, permutations=999, seed=1, fdr=True)
    assert strict.threshold == pytest.approx(esda.fdr(plain.p_sim, 0.05))
    assert strict.threshold <= 0.05
    assert strict.significant.sum() <= plain.significant.sum()
    assert set(np.flatnonzero(strict.significant)) <= set(np.flatnonzero(plain.significant))
    assert strict.fdr and not plain.fdr


def test_series_is_aligned_by_id(queen, values):
    s = pd.Series(values, index=list(queen.ids))
    shuffled = s.sample(frac=1.0, random_state=0)
    a = spatial.lisa(s, queen, permutations=99, seed=2)
    b = spatial.lisa(shuffled, queen, permutations=99, seed=2)
    np.testing.assert_array_equal(a.labels, b.labels)
    with pytest.raises(ValueError, match="no value for region"):
        spatial.moran(s.drop("0-0"), queen)


@pytest.mark.parametrize(
    "y, match",
    [
        (lambda n: np.r_[np.nan, np.ones(n - 1)], "missing"),
        (lambda n: np.ones(n), "all values are equal"),
        (lambda n: np.arange(n - 1.0), "values for"),
    ],
)
def test_bad_values(queen, y, match):
    with pytest.raises(ValueError, match=match):
        spatial.lisa(y(queen.n), queen)


def test_robustness_flags(grid, queen, values):
    knn = spatial.knn_weights(grid, k=6, id_col="kode")
    r = spatial.lisa_robustness(values, queen, knn, permutations=199, seed=6)
    assert list(r.columns) == ["cluster_queen", "cluster_knn", "p_queen", "p_knn", "robust"]
    same = (r.cluster_queen == r.cluster_knn) & (r.cluster_queen != "ns")
    pd.testing.assert_series_equal(r["robust"], same, check_names=False)
    assert r["robust"].any()
    assert (r.cluster_queen != r.cluster_knn).any()  # the check has something to say
