"""Tests of analysis.targeting, analysis.peers and analysis.composite."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import composite, peers, targeting

# --------------------------------------------------------------------------- targeting


@pytest.fixture(scope="module")
def nine():
    idx = [f"35.01.{i:02d}" for i in range(1, 10)]
    need = pd.Series([9, 8, 7, 6, 5, 4, 3, 2, 1], index=idx, dtype=float)  # poverty %
    cov = pd.Series([10, 40, 90, 20, 50, 80, 30, 60, 70], index=idx, dtype=float)  # coverage %
    return need, cov


def test_scores_are_percentile_ranks(nine):
    need, cov = nine
    r = targeting.need_coverage(need, cov)
    expected_need = (need.rank() - 1) / 8
    expected_cov = (cov.rank() - 1) / 8
    pd.testing.assert_series_equal(r.need_score, expected_need, check_names=False)
    pd.testing.assert_series_equal(r.gap_score, expected_need - expected_cov, check_names=False)
    assert r.gap_score.between(-1, 1).all()


def test_priority_rank_orders_by_gap(nine):
    need, cov = nine
    r = targeting.need_coverage(need, cov)
    assert sorted(r.priority_rank) == list(range(1, 10))
    by_rank = r.gap_score.loc[r.priority_rank.sort_values().index].to_numpy()
    assert (np.diff(by_rank) <= 0).all()
    assert r.priority_rank.idxmin() == "35.01.01"  # highest need, lowest coverage


def test_bivariate_classes_are_balanced_terciles(nine):
    need, cov = nine
    r = targeting.need_coverage(need, cov)
    assert r.need_class.value_counts().sort_index().tolist() == [3, 3, 3]
    assert r.coverage_class.value_counts().sort_index().tolist() == [3, 3, 3]
    assert r.bivariate_class["35.01.01"] == "3-1"
    assert r.bivariate_class["35.01.03"] == "3-3"
    f = r.frame("id")
    assert f.iloc[0]["description"] == "kebutuhan tinggi, cakupan rendah"
    assert r.frame("en").iloc[0]["description"] == "high need, low coverage"


def test_alignment_and_directions(nine):
    need, cov = nine
    a = targeting.need_coverage(need, cov)
    b = targeting.need_coverage(need, cov.sample(frac=1, random_state=1))
    pd.testing.assert_series_equal(a.gap_score, b.gap_score)
    # an IPM-like need indicator (higher is better) reverses the need score
    c = targeting.need_coverage(-need, cov, need_higher_is_worse=False)
    pd.testing.assert_series_equal(a.gap_score, c.gap_score)
    d = targeting.need_coverage(need, 100 - cov, coverage_higher_is_better=False)
    pd.testing.assert_series_equal(a.gap_score, d.gap_score)


def test_z_method(nine):
    need, cov = nine
    r = targeting.need_coverage(need, cov, method="z")
    z = lambda s: (s - s.mean()) / s.std(ddof=0)  # noqa: E731
    np.testing.assert_allclose(r.gap_score, z(need) - z(cov))


def test_ties_share_a_class():
    r = targeting.need_coverage([5, 5, 5, 1, 9, 2], [1, 2, 3, 4, 5, 6])
    assert len(set(r.need_class.iloc[:3])) == 1


def test_gap_rows_of_every_region_match_the_bivariate_map(nine):
    need, cov = nine
    result = targeting.need_coverage(need, cov)
    for code in need.index:
        row = targeting.gap_rows(code, need, {"pkh": cov}).iloc[0]
        words = targeting.LEVEL_WORDS
        assert row["need_level"] == words[int(result.need_class[code])]
        assert row["coverage_level"] == words[int(result.coverage_class[code])]
        assert row["priority_rank"] == result.priority_rank[code]
        assert bool(row["flag"]) == (result.bivariate_class[code] == "3-1")
        # need rank 1 = highest poverty; coverage rank 1 = highest coverage
        assert row["need_rank"] == 1 + (need > need[code]).sum()
        assert row["coverage_rank"] == 1 + (cov > cov[code]).sum()


def test_gap_rows_low_value_means_need_and_missing_values_are_left_out(nine):
    need, cov = nine
    ipm = need.copy()
    ipm.iloc[1] = np.nan  # 35.01.02 has no value: not counted, its row is unknown
    rows = targeting.gap_rows("35.01.09", ipm, {"pkh": cov}, need_higher_is_worse=False)
    row = rows.iloc[0]
    # the lowest IPM (1) is the most need among the 8 with a value
    assert row["n"] == 8 and row["need_rank"] == 1 and row["need_level"] == "high"
    missing = targeting.gap_rows("35.01.02", ipm, {"pkh": cov, "bpjs": cov}).iloc[0]
    assert missing["need_level"] == "unknown" and math.isnan(missing["need_rank"])


def test_gap_rows_sorted_by_priority():
    idx = list("abcd")
    need = pd.Series([4.0, 3.0, 2.0, 1.0], index=idx)
    good = pd.Series([20.0, 30.0, 40.0, 10.0], index=idx)  # c best covered: gap -2/3, 4th
    poor = pd.Series([20.0, 30.0, 10.0, 40.0], index=idx)  # c least covered: gap 1/3, 2nd
    rows = targeting.gap_rows("c", need, {"good": good, "poor": poor})
    assert rows["coverage"].tolist() == ["poor", "good"]
    assert rows["priority_rank"].tolist() == [2.0, 4.0]
    assert rows["gap_score"].tolist() == pytest.approx([1 / 3, -2 / 3])


@pytest.mark.parametrize(
    "need, cov, match",
    [
        ([1, np.nan, 3], [1, 2, 3], "missing"),
        ([1, 2, 3], [1, 2], "lengths"),
        (
            pd.Series([1.0, 2, 3], index=list("abc")),
            pd.Series([1.0, 2, 3], index=list("abd")),
            "different regions",
        ),
        ([1, 2], [1, 2], "three regions"),
    ],
)
def test_targeting_errors(need, cov, match):
    with pytest.raises(ValueError, match=match):
        targeting.need_coverage(need, cov)


# --------------------------------------------------------------------------- peers


@pytest.fixture(scope="module")
def indicators():
    rng = np.random.default_rng(7)
    idx = [f"35.{k:02d}.{i:02d}" for k in (1, 2) for i in range(1, 11)]
    return pd.DataFrame(
        {"ipm": rng.normal(70, 4, 20), "miskin": rng.normal(12, 3, 20), "const": 1.0},
        index=idx,
    )


def test_peers_equal_brute_force(indicators):
    code = "35.01.03"
    got = peers.peers(indicators, code, n=5)
    z = (indicators - indicators.mean()) / indicators.std(ddof=0)
    z["const"] = 0.0
    d = np.sqrt(((z - z.loc[code]) ** 2).mean(axis=1)).drop(code).sort_values(kind="stable")
    assert got.index.tolist() == d.index[:5].tolist()
    np.testing.assert_allclose(got["distance"], d.iloc[:5])
    assert got["rank"].tolist() == [1, 2, 3, 4, 5]
    assert code not in got.index


def test_peers_restrictions_and_weights(indicators):
    code = "35.01.03"
    groups = pd.Series(indicators.index.str[:5], index=indicators.index)
    within = peers.peers(indicators, code, n=20, groups=groups)
    assert len(within) == 9 and all(c.startswith("35.01") for c in within.index)
    cand = ["35.02.01", "35.02.02", "35.01.03"]
    assert set(peers.peers(indicators, code, n=5, candidates=cand).index) == set(cand[:2])
    only_ipm = peers.peers(indicators, code, n=3, weights={"ipm": 1.0})
    gaps = (indicators["ipm"] - indicators.loc[code, "ipm"]).abs().drop(code)
    assert only_ipm.index.tolist() == gaps.sort_values().index[:3].tolist()


def test_peers_errors(indicators):
    with pytest.raises(ValueError, match="not in the data"):
        peers.peers(indicators, "99.99.99")
    bad = indicators.copy()
    bad.iloc[4, 0] = np.nan
    with pytest.raises(ValueError, match="35.01.05"):
        peers.peers(bad, "35.01.01")


# --------------------------------------------------------------------------- composite


@pytest.fixture(scope="module")
def dims():
    return pd.DataFrame(
        {"ipm": [60.0, 65.0, 70.0, 75.0, 80.0], "miskin": [25.0, 5.0, 15.0, 10.0, 20.0]},
        index=list("abcde"),
    )


def test_normalise_methods(dims):
    mm = composite.normalise(dims, "minmax", {"miskin": -1})
    assert mm["ipm"].tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert mm["miskin"].tolist() == [0, 1, 0.5, 0.75, 0.25]
    z = composite.normalise(dims, "zscore", {"miskin": "lower_is_better"})
    np.testing.assert_allclose(z["miskin"], -(dims.miskin - 15) / dims.miskin.std(ddof=0))
    gp = composite.normalise(dims, "goalpost", goalposts={"ipm": (0, 100), "miskin": (0, 50)})
    assert gp["ipm"].tolist() == [0.6, 0.65, 0.7, 0.75, 0.8]


def test_composite_weights_and_ranks(dims):
    r = composite.composite_index(dims, {"ipm": 3, "miskin": 1}, {"miskin": -1})
    mm = composite.normalise(dims, "minmax", {"miskin": -1})
    np.testing.assert_allclose(r.score, 0.75 * mm.ipm + 0.25 * mm.miskin)
    assert r.weights.tolist() == [0.75, 0.25]
    assert r.rank.tolist() == list(r.score.rank(ascending=False, method="min").astype(int))


def test_geometric_aggregation(dims):
    gp = {"ipm": (0, 100), "miskin": (0, 50)}
    r = composite.composite_index(
        dims, directions={"miskin": -1}, method="goalpost", goalposts=gp, aggregation="geometric"
    )
    v = composite.normalise(dims, "goalpost", {"miskin": -1}, gp)
    np.testing.assert_allclose(r.score, np.sqrt(v.ipm * v.miskin))
    with pytest.raises(ValueError, match="geometric"):
        composite.composite_index(dims, aggregation="geometric")  # min-max has zeros


def test_rank_stability(dims):
    w = {"ipm": 3, "miskin": 2}  # no tie in the composite scores
    tight = composite.rank_stability(dims, w, {"miskin": -1}, concentration=1e9, seed=0)
    assert (tight.frame["width"] == 0).all()
    assert (tight.frame["rank"] == tight.frame["median_rank"]).all()
    loose = composite.rank_stability(dims, directions={"miskin": -1}, concentration=2, seed=0)
    assert loose.frame["width"].sum() > 0
    assert (loose.frame["rank_low"] <= loose.frame["rank"]).all()
    np.testing.assert_allclose(loose.weight_draws.mean(), [0.5, 0.5], atol=0.05)
    zero = composite.rank_stability(dims, {"ipm": 1, "miskin": 0}, n_draws=50)
    assert (zero.weight_draws["miskin"] == 0).all()


def test_rank_stability_ranks_are_recomputable(dims):
    rs = composite.rank_stability(dims, directions={"miskin": -1}, n_draws=20, seed=3)
    for d in range(20):
        w = rs.weight_draws.iloc[d].to_dict()
        r = composite.composite_index(dims, w, {"miskin": -1})
        assert r.rank.tolist() == rs.ranks[:, d].tolist()


def test_ipm_formula_by_hand():
    uhh, hls, rls, x = 70.0, 13.0, 8.0, 10_000.0
    i = ((uhh - 20) / 65) * ((hls / 18 + rls / 15) / 2)
    i *= math.log(x * 1000 / 1_007_436) / math.log(26_572_352 / 1_007_436)
    assert composite.ipm([uhh], [hls], [rls], [x])[0] == pytest.approx(100 * i ** (1 / 3))
    assert composite.ipm([uhh], [hls], [rls], [x * 1000], pengeluaran_unit="rupiah")[
        0
    ] == pytest.approx(100 * i ** (1 / 3))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "rank"}, "method"),
        ({"directions": {"ipm": 0}}, "directions"),
        ({"directions": {"gdp": 1}}, "not an indicator"),
        ({"weights": {"ipm": -1}}, "weights"),
        ({"method": "goalpost"}, "goalposts"),
    ],
)
def test_composite_errors(dims, kwargs, match):
    with pytest.raises(ValueError, match=match):
        composite.composite_index(dims, **kwargs)


def test_composite_missing_value_is_located(dims):
    bad = dims.copy()
    bad.loc["c", "miskin"] = np.nan
    with pytest.raises(ValueError, match=r"'miskin'.*c"):
        composite.composite_index(bad)


def test_constant_column_rejected():
    d = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 3.0]})
    for method in ("minmax", "zscore"):
        with pytest.raises(ValueError, match="'b' is constant"):
            composite.normalise(d, method)
