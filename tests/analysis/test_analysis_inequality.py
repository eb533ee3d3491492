"""Tests of analysis.inequality: identities, PySAL equality, expanded population, properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from analysis_input_types import INPUT_TYPES, as_input  # noqa: F401 (fixture)
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from inequality.atkinson import Atkinson
from inequality.gini import Gini
from inequality.theil import Theil, TheilD, TheilDSim

from analysis import inequality as ineq

#: Relative and absolute tolerance for comparisons with PySAL on the same arrays (the formulas
#: are the same; only the order of floating-point summation differs).
PYSAL_RTOL = 1e-10
PYSAL_ATOL = 1e-12

@pytest.fixture(scope="module")
def incomes():
    """Sixty log-normal per-capita values and integer populations (seeded)."""
    rng = np.random.default_rng(20240601)
    y = rng.lognormal(mean=3.0, sigma=0.6, size=60)
    pop = rng.integers(1, 6, size=60)
    groups = np.repeat(np.arange(6), 10)
    return y, pop, groups


WEIGHTED = {
    "gini": ineq.gini,
    "williamson": ineq.williamson,
    "theil_t": ineq.theil_t,
    "theil_l": ineq.theil_l,
    "atkinson_05": lambda y, w: ineq.atkinson(y, 0.5, w),
    "atkinson_1": lambda y, w: ineq.atkinson(y, 1.0, w),
    "atkinson_2": lambda y, w: ineq.atkinson(y, 2.0, w),
    "cv": ineq.coefficient_of_variation,
    "palma": ineq.palma,
}

# --------------------------------------------------------------------------- identities


@pytest.mark.parametrize("name", sorted(WEIGHTED))
@pytest.mark.parametrize("value", [0.38, 1.0, 12345.6])
def test_equal_values_give_zero(name, value):
    y = [value] * 7
    w = [1, 2, 3, 4, 5, 6, 7]
    result = WEIGHTED[name](y, w)
    if name == "palma":  # equal shares: 10 % over 40 %
        assert result == pytest.approx(0.25, abs=1e-12)
    else:
        assert result == pytest.approx(0.0, abs=1e-12)


def test_equal_values_max_min_is_one():
    assert ineq.max_min_ratio([3.2] * 5) == 1.0


def test_theil_two_groups_identity():
    d = ineq.theil_decomposition([0, 0, 0, 10, 10, 10], None, [0, 0, 0, 1, 1, 1])
    assert d.total == pytest.approx(math.log(2), abs=1e-14)
    assert d.between == pytest.approx(math.log(2), abs=1e-14)
    assert d.within == pytest.approx(0.0, abs=1e-14)
    assert d.between_share == pytest.approx(1.0)
    assert (d.T, d.bg, d.wg) == (d.total, d.between, d.within)


@pytest.mark.parametrize("n", [2, 3, 5, 10, 37, 666])
def test_gini_one_rich_among_n(n):
    y = np.zeros(n)
    y[-1] = 5.0
    assert ineq.gini(y) == pytest.approx((n - 1) / n, abs=1e-12)


def test_williamson_hand_value():
    # mean 3, variance 0.75*1 + 0.25*9 = 3
    assert ineq.williamson([2, 6], [3, 1]) == pytest.approx(math.sqrt(3) / 3, abs=1e-14)


def test_palma_hand_value_with_split_region():
    # Five regions of equal population: bottom 40 % = two poorest, top 10 % = half the richest.
    y = [1, 2, 3, 4, 10]
    assert ineq.palma(y) == pytest.approx((10 / 2) / (1 + 2), abs=1e-12)


# --------------------------------------------------------------------------- PySAL equality


def test_equal_to_pysal_gini_theil(as_input, incomes):
    y, _, _ = incomes
    yy = as_input(y)
    assert ineq.gini(yy) == pytest.approx(Gini(y).g, rel=PYSAL_RTOL, abs=PYSAL_ATOL)
    assert ineq.theil_t(yy) == pytest.approx(float(Theil(y).T), rel=PYSAL_RTOL, abs=PYSAL_ATOL)
    for eps in (0.5, 1.0, 2.0):
        assert ineq.atkinson(yy, eps) == pytest.approx(
            Atkinson(y, eps).A, rel=PYSAL_RTOL, abs=PYSAL_ATOL
        )


def test_equal_to_pysal_theild(as_input, incomes):
    y, _, groups = incomes
    d = ineq.theil_decomposition(as_input(y), None, as_input(groups))
    ref = TheilD(y, groups)
    assert d.total == pytest.approx(float(ref.T), rel=PYSAL_RTOL, abs=PYSAL_ATOL)
    assert d.between == pytest.approx(float(ref.bg[0]), rel=PYSAL_RTOL, abs=PYSAL_ATOL)
    assert d.within == pytest.approx(float(ref.wg[0]), rel=PYSAL_RTOL, abs=PYSAL_ATOL)


def test_gini_zero_values_equal_pysal():
    y = np.array([0.0, 0.0, 1.0, 4.0, 9.0, 0.5])
    assert ineq.gini(y) == pytest.approx(Gini(y).g, rel=PYSAL_RTOL)
    assert ineq.theil_t(y) == pytest.approx(float(Theil(y).T), rel=1e-9)


@pytest.mark.parametrize("seed", [10, 12345])
def test_permutation_test_equals_pysal_theildsim(incomes, seed):
    y, _, groups = incomes
    y = y.copy()
    y[groups == 2] *= 1.6  # some real between-group difference
    np.random.seed(seed)
    ref = TheilDSim(y, groups, 199)
    ours = ineq.between_share_test(
        y, None, groups, permutations=199, seed=np.random.RandomState(seed)
    )
    assert ours.p_value == pytest.approx(float(ref.bg_pvalue[0]), abs=1e-15)
    assert ours.bg_pvalue == ours.p_value
    np.testing.assert_allclose(ours.simulated * ref.T, ref.bg[1:, 0], rtol=1e-9, atol=1e-13)


# --------------------------------------------------------------------------- weighted = expanded


@pytest.mark.parametrize("name", sorted(WEIGHTED))
def test_weighted_equals_expanded_population(name, incomes, as_input):
    y, pop, _ = incomes
    f = WEIGHTED[name]
    expanded = np.repeat(y, pop)
    ones = np.ones(expanded.size)
    assert f(as_input(y), as_input(pop)) == pytest.approx(f(expanded, ones), rel=1e-10)


def test_weighted_gini_equals_double_sum(incomes):
    y, pop, _ = incomes
    p = pop / pop.sum()
    mu = (p * y).sum()
    brute = (p[:, None] * p[None, :] * np.abs(y[:, None] - y[None, :])).sum() / (2 * mu)
    assert ineq.gini(y, pop) == pytest.approx(brute, rel=1e-12)
    # and the expanded population through PySAL
    assert ineq.gini(y, pop) == pytest.approx(Gini(np.repeat(y, pop)).g, rel=1e-10)


def test_weighted_decomposition_equals_expanded(incomes):
    y, pop, groups = incomes
    for kind in ("T", "L"):
        d = ineq.theil_decomposition(y, pop, groups, kind=kind)
        e = ineq.theil_decomposition(np.repeat(y, pop), None, np.repeat(groups, pop), kind=kind)
        assert d.total == pytest.approx(e.total, rel=1e-10)
        assert d.between == pytest.approx(e.between, rel=1e-10)
        assert d.within == pytest.approx(e.within, rel=1e-10)
        pd.testing.assert_frame_equal(
            d.contributions.drop(columns="n"), e.contributions.drop(columns="n"), rtol=1e-9
        )
    ref = TheilD(np.repeat(y, pop), np.repeat(groups, pop))
    d = ineq.theil_decomposition(y, pop, groups)
    assert d.between == pytest.approx(float(ref.bg[0]), rel=1e-10)


def test_decomposition_contributions_add_up(incomes):
    y, pop, groups = incomes
    for kind in ("T", "L"):
        d = ineq.theil_decomposition(y, pop, groups, kind=kind)
        c = d.contributions
        assert c["within"].sum() == pytest.approx(d.within, rel=1e-10)
        assert c["between"].sum() == pytest.approx(d.between, rel=1e-10)
        assert c["weight_share"].sum() == pytest.approx(1.0)
        assert c["value_share"].sum() == pytest.approx(1.0)
        assert c["n"].sum() == len(y)
        # each group's own index is the index computed on that group alone
        g0 = groups == 0
        own = ineq.theil_t(y[g0], pop[g0]) if kind == "T" else ineq.theil_l(y[g0], pop[g0])
        assert c.loc[0, "index"] == pytest.approx(own, rel=1e-12)


def test_theil_l_decomposition_hand_value():
    # L between = sum_g P_g ln(mu / mu_g)
    y, w, g = [1, 1, 4, 4], [1, 1, 1, 1], ["a", "a", "b", "b"]
    d = ineq.theil_decomposition(y, w, g, kind="L")
    assert d.between == pytest.approx(0.5 * math.log(2.5) + 0.5 * math.log(2.5 / 4))
    assert d.within == pytest.approx(0.0, abs=1e-15)


def test_nested_decomposition(incomes):
    y, pop, groups = incomes
    coarse = np.where(groups < 2, "madura", "mainland")
    d = ineq.theil_decomposition(y, pop, {"wilayah": coarse, "kabupaten": groups})
    assert list(d.levels.index) == [
        "between wilayah",
        "between kabupaten within wilayah",
        "within kabupaten",
    ]
    assert d.levels["value"].sum() == pytest.approx(d.total, rel=1e-12)
    assert d.levels["share"].sum() == pytest.approx(1.0)
    one = ineq.theil_decomposition(y, pop, coarse)
    fine = ineq.theil_decomposition(y, pop, groups)
    assert d.levels["value"].iloc[0] == pytest.approx(one.between, rel=1e-12)
    assert d.between == pytest.approx(fine.between, rel=1e-12)
    # the same as a DataFrame of groupings, and as a list of Series
    frame = pd.DataFrame({"wilayah": coarse, "kabupaten": groups})
    d2 = ineq.theil_decomposition(pd.Series(y), pd.Series(pop), frame)
    pd.testing.assert_frame_equal(d.levels, d2.levels)
    d3 = ineq.theil_decomposition(
        y, pop, [pd.Series(coarse, name="wilayah"), pd.Series(groups, name="kabupaten")]
    )
    pd.testing.assert_frame_equal(d.levels, d3.levels)


def test_nested_requires_nesting(incomes):
    y, pop, groups = incomes
    crossing = np.arange(60) % 2
    with pytest.raises(ValueError, match="not nested"):
        ineq.theil_decomposition(y, pop, {"a": crossing, "b": groups})


# --------------------------------------------------------------------------- input rules


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ineq.gini([1, np.nan, 3]), r"missing value\(s\) at position\(s\) 1"),
        (lambda: ineq.gini([1, None, 3]), "missing"),
        (lambda: ineq.gini(pd.Series([1, None, 3], index=["a", "b", "c"])), "position.*b"),
        (lambda: ineq.gini([1, np.inf]), "infinite"),
        (lambda: ineq.gini([1, -2, 3]), "negative"),
        (lambda: ineq.gini([0, 0, 0]), "zero"),
        (lambda: ineq.gini([]), "no values"),
        (lambda: ineq.gini([1, 2], [0, 0]), "sum to zero"),
        (lambda: ineq.gini([1, 2], [1, -1]), "negative weight"),
        (lambda: ineq.gini([1, 2], [1, 2, 3]), "lengths must match"),
        (lambda: ineq.gini(["a", "b"]), "numeric"),
        (lambda: ineq.theil_l([0, 1, 2]), "undefined at zero"),
        (lambda: ineq.atkinson([0, 1, 2], 1.0), "undefined at zero"),
        (lambda: ineq.atkinson([1, 2], -1), "epsilon"),
        (lambda: ineq.max_min_ratio([0, 1]), "smallest value"),
        (lambda: ineq.palma([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), "poorest 40"),
        (lambda: ineq.williamson([1, 2], None), "weights|pop"),
        (lambda: ineq.theil_decomposition([1, 2], None, [0, 1], kind="X"), "kind"),
        (lambda: ineq.theil_decomposition([1, 2], None, [0, None]), "missing label"),
    ],
)
def test_bad_input_raises_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_zero_weight_region_is_ignored():
    assert ineq.gini([1, 2, 100], [1, 1, 0]) == pytest.approx(ineq.gini([1, 2]))
    # Theil L accepts a zero value when its region has weight 0
    assert ineq.theil_l([0, 1, 2], [0, 1, 1]) == pytest.approx(ineq.theil_l([1, 2]))


def test_all_indices_matches_individual_functions(incomes):
    y, pop, _ = incomes
    r = ineq.all_indices(y, pop)
    assert r.gini == pytest.approx(ineq.gini(y, pop))
    assert r.williamson == pytest.approx(ineq.williamson(y, pop))
    assert r.theil_t == pytest.approx(ineq.theil_t(y, pop))
    assert r.theil_l == pytest.approx(ineq.theil_l(y, pop))
    assert r.atkinson_05 == pytest.approx(ineq.atkinson(y, 0.5, pop))
    assert r.atkinson_1 == pytest.approx(ineq.atkinson(y, 1, pop))
    assert r.palma == pytest.approx(ineq.palma(y, pop))
    assert r.max_min_ratio == pytest.approx(ineq.max_min_ratio(y))
    assert r.notes == ()


# --------------------------------------------------------------------------- inference


def test_bootstrap_is_seeded_and_vectorised_path_matches_loop(incomes):
    y, pop, _ = incomes
    a = ineq.bootstrap_ci("gini", y, pop, n_boot=200, seed=7)
    b = ineq.bootstrap_ci(ineq.gini, y, pop, n_boot=200, seed=7)
    c = ineq.bootstrap_ci(lambda yy, ww: ineq.gini(yy, ww), y, pop, n_boot=200, seed=7)
    np.testing.assert_array_equal(a.replicates, b.replicates)
    np.testing.assert_allclose(a.replicates, c.replicates, rtol=1e-12)
    assert a.low < a.estimate < a.high
    assert a.estimate == pytest.approx(ineq.gini(y, pop))
    assert a.se == pytest.approx(np.std(a.replicates, ddof=1))
    d = ineq.bootstrap_ci("gini", y, pop, n_boot=200, seed=8)
    assert not np.array_equal(a.replicates, d.replicates)


@pytest.mark.parametrize("name", ["theil_t", "theil_l", "atkinson", "palma", "williamson"])
def test_bootstrap_every_builtin_index(name, incomes):
    y, pop, _ = incomes
    ci = ineq.bootstrap_ci(name, y, pop, n_boot=100, seed=1, method="BCa")
    assert ci.low <= ci.estimate <= ci.high
    assert ci.replicates.shape == (100,)


def test_bootstrap_decomposition_replicates_are_consistent(incomes):
    y, pop, groups = incomes
    coarse = groups // 3
    b = ineq.bootstrap_decomposition(y, pop, {"c": coarse, "g": groups}, n_boot=300, seed=2)
    r = b.replicates
    np.testing.assert_allclose(r["between"] + r["within"], r["total"], rtol=1e-12)
    comps = r[list(b.observed.levels.index)].sum(axis=1)
    np.testing.assert_allclose(comps, r["total"], rtol=1e-10)
    iv = b.intervals
    assert (iv["low"] <= iv["high"]).all()
    assert iv.loc["total", "low"] < b.observed.total < iv.loc["total", "high"]
    # stratified: every group keeps its regions, so each replicate has all six groups
    assert b.stratified


def test_bootstrap_decomposition_replicate_equals_direct_computation(incomes):
    y, pop, groups = incomes
    b = ineq.bootstrap_decomposition(y, pop, groups, n_boot=5, seed=11, stratify=False)
    rng = np.random.default_rng(11)
    idx = rng.integers(0, y.size, size=(5, y.size))
    for r in range(5):
        d = ineq.theil_decomposition(y[idx[r]], pop[idx[r]], groups[idx[r]])
        assert b.replicates["total"].iloc[r] == pytest.approx(d.total, rel=1e-12)
        assert b.replicates["between"].iloc[r] == pytest.approx(d.between, rel=1e-12)


def test_permutation_test_detects_separation():
    y = np.concatenate([np.linspace(1, 2, 20), np.linspace(5, 6, 20)])
    g = np.repeat([0, 1], 20)
    t = ineq.between_share_test(y, None, g, permutations=499, seed=0)
    assert t.p_value == pytest.approx(1 / 500)
    rng = np.random.default_rng(0)
    t2 = ineq.between_share_test(rng.permutation(y), None, g, permutations=499, seed=0)
    assert t2.p_value > 0.05


# --------------------------------------------------------------------------- properties

values = st.lists(st.floats(0.1, 1000.0), min_size=2, max_size=25)
weights_for = lambda n: st.lists(st.integers(1, 9), min_size=n, max_size=n)  # noqa: E731


@st.composite
def data(draw):
    y = draw(values)
    w = draw(weights_for(len(y)))
    return np.array(y), np.array(w, dtype=float)


@settings(max_examples=60, deadline=None)
@given(data(), st.floats(0.01, 1e4))
def test_scale_invariance(d, k):
    y, w = d
    for name, f in WEIGHTED.items():
        assert f(y * k, w) == pytest.approx(f(y, w), rel=1e-7, abs=1e-10), name


@settings(max_examples=60, deadline=None)
@given(data(), st.data())
def test_splitting_a_region_into_identical_halves(d, pick):
    y, w = d
    i = pick.draw(st.integers(0, len(y) - 1))
    y2 = np.append(y, y[i])
    w2 = np.append(w, w[i] / 2)
    w2[i] = w[i] / 2
    for name, f in WEIGHTED.items():
        assert f(y2, w2) == pytest.approx(f(y, w), rel=1e-9, abs=1e-12), name


@settings(max_examples=60, deadline=None)
@given(data(), st.data(), st.floats(0.05, 0.45))
def test_transfer_principle(d, pick, frac):
    y, w = d
    order = np.argsort(y)
    i = pick.draw(st.integers(0, len(y) - 2))
    j = pick.draw(st.integers(i + 1, len(y) - 1))
    lo, hi = order[i], order[j]
    assume(y[hi] - y[lo] > 1e-3 * y[hi])
    # move income from the richer region to the poorer one, keeping their order
    amount = frac * (y[hi] - y[lo]) * min(w[lo], w[hi]) / 2
    y2 = y.copy()
    y2[lo] += amount / w[lo]
    y2[hi] -= amount / w[hi]
    assume(y2[lo] <= y2[hi])
    for name in ("gini", "theil_t", "theil_l", "atkinson_05", "atkinson_1", "atkinson_2", "cv"):
        f = WEIGHTED[name]
        assert f(y2, w) < f(y, w), name


@settings(max_examples=80, deadline=None)
@given(data())
def test_bounds(d):
    y, w = d
    p = w / w.sum()
    g = ineq.gini(y, w)
    assert 0 <= g < 1
    assert 0 <= ineq.theil_t(y, w) <= math.log(1 / p.min()) + 1e-12
    assert 0 <= ineq.theil_l(y, w)
    for eps in (0.5, 1, 2):
        assert 0 <= ineq.atkinson(y, eps, w) <= 1
    assert 0 <= ineq.coefficient_of_variation(y, w) <= math.sqrt((1 - p.min()) / p.min()) + 1e-9
    assert ineq.max_min_ratio(y) >= 1
    assert ineq.palma(y, w) >= 0.25 - 1e-12


@settings(max_examples=40, deadline=None)
@given(data(), st.data())
def test_decomposition_adds_up(d, pick):
    y, w = d
    groups = np.array(pick.draw(st.lists(st.integers(0, 3), min_size=len(y), max_size=len(y))))
    for kind in ("T", "L"):
        dec = ineq.theil_decomposition(y, w, groups, kind=kind)
        assert dec.between + dec.within == pytest.approx(dec.total, rel=1e-9, abs=1e-12)
        assert dec.between >= 0 and dec.within >= 0
        assert 0 <= dec.between_share <= 1


def test_bootstrap_decomposition_basic_interval_corrects_bias():
    # groups unrelated to the values: the between part is small and biased up in resamples
    rng = np.random.default_rng(4)
    y = rng.lognormal(size=200)
    g = rng.integers(0, 10, size=200)
    pct = ineq.bootstrap_decomposition(y, None, g, n_boot=400, seed=1)
    basic = ineq.bootstrap_decomposition(y, None, g, n_boot=400, seed=1, method="basic")
    est = pct.intervals.loc["between", "estimate"]
    reps = pct.replicates["between"]
    assert reps.mean() > est  # the upward bias
    q_lo, q_hi = reps.quantile(0.025), reps.quantile(0.975)
    assert basic.intervals.loc["between", "high"] == pytest.approx(2 * est - q_lo)
    assert basic.intervals.loc["between", "low"] == pytest.approx(max(2 * est - q_hi, 0.0))
    # the basic interval sits below the percentile one and reaches 0 (no real between part)
    assert basic.intervals.loc["between", "high"] < pct.intervals.loc["between", "low"]
    assert basic.intervals.loc["between", "low"] == 0.0
    with pytest.raises(ValueError, match="method"):
        ineq.bootstrap_decomposition(y, None, g, n_boot=10, method="bca")


def test_bootstrap_any_callable_without_weights(incomes):
    y, _, _ = incomes
    ci = ineq.bootstrap_ci(ineq.max_min_ratio, y, None, n_boot=200, seed=5)
    assert ci.estimate == pytest.approx(ineq.max_min_ratio(y))
    assert ci.high <= ci.estimate + 1e-12  # a resample never exceeds the full range
    assert (ci.replicates >= 1).all()
    with pytest.raises(ValueError, match="unknown index"):
        ineq.bootstrap_ci("variance", y)


def test_weighted_permutation_test_equals_direct_relabelling(incomes):
    y, pop, groups = incomes
    t = ineq.between_share_test(y, pop, groups, permutations=30, seed=np.random.RandomState(2))
    rs = np.random.RandomState(2)
    for r in range(30):
        perm = rs.permutation(y.size)
        d = ineq.theil_decomposition(y[perm], pop[perm], groups)
        assert t.simulated[r] == pytest.approx(d.between_share, rel=1e-10)
    obs = ineq.theil_decomposition(y, pop, groups).between_share
    assert t.p_value == pytest.approx((1 + (t.simulated >= obs - 1e-12).sum()) / 31)


def test_series_are_aligned_by_region_not_position(incomes):
    y, pop, groups = incomes
    idx = [f"35.{i:02d}" for i in range(len(y))]
    ys = pd.Series(y, index=idx)
    shuffled = np.random.default_rng(0).permutation(len(y))
    ws = pd.Series(pop, index=idx).iloc[shuffled]
    gs = pd.Series(groups, index=idx).iloc[shuffled]
    assert ineq.gini(ys, ws) == pytest.approx(ineq.gini(y, pop))
    assert ineq.williamson(ys, ws) == pytest.approx(ineq.williamson(y, pop))
    d = ineq.theil_decomposition(ys, ws, gs)
    assert d.between == pytest.approx(ineq.theil_decomposition(y, pop, groups).between)
    nested = ineq.theil_decomposition(ys, ws, {"c": gs // 3, "g": gs})
    assert nested.total == pytest.approx(d.total)
    b = ineq.bootstrap_ci("gini", ys, ws, n_boot=50, seed=1)
    assert b.estimate == pytest.approx(ineq.gini(y, pop))
    with pytest.raises(ValueError, match="regions differ"):
        ineq.gini(ys, ws.iloc[1:])
