"""Tests of analysis.convergence and analysis.typology."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis import convergence, inequality, typology

# --------------------------------------------------------------------------- sigma


@pytest.fixture(scope="module")
def panel():
    """Twenty regions over six years whose log dispersion shrinks by 10 % a year."""
    rng = np.random.default_rng(3)
    base = rng.normal(0, 0.6, size=20)
    years = list(range(2015, 2021))
    data = pd.DataFrame(
        {yr: np.exp(8 + base * 0.9 ** (yr - 2015)) for yr in years},
        index=[f"35.{i:02d}" for i in range(20)],
    )
    pop = pd.Series(rng.integers(100, 1000, size=20), index=data.index)
    return data, pop


def test_sigma_sd_log_hand_value():
    d = pd.DataFrame({2015: [1.0, 4.0], 2016: [2.0, 2.0]})
    s = convergence.sigma_convergence(d)
    assert s.values[2015] == pytest.approx(math.log(4) / 2)
    assert s.values[2016] == pytest.approx(0.0)
    assert s.p_value is None and s.change == pytest.approx(-math.log(4) / 2)


@pytest.mark.parametrize("index", ["sd_log", "cv", "gini", "theil_t", "theil_l", "williamson"])
def test_sigma_values_and_trend(panel, index):
    data, pop = panel
    s = convergence.sigma_convergence(data, pop, index=index)
    f = {
        "cv": inequality.coefficient_of_variation,
        "williamson": inequality.williamson,
        "gini": inequality.gini,
        "theil_t": inequality.theil_t,
        "theil_l": inequality.theil_l,
    }.get(index)
    for yr in data.columns:
        expected = (
            f(data[yr], pop) if f else math.sqrt(np.cov(np.log(data[yr]), aweights=pop, ddof=0))
        )
        assert s.values[yr] == pytest.approx(expected, rel=1e-10)
    reg = stats.linregress(np.array(data.columns, dtype=float), s.values.to_numpy())
    assert s.slope == pytest.approx(reg.slope) and s.p_value == pytest.approx(reg.pvalue)
    assert s.converging and s.slope < 0


def test_sigma_weights_per_year_frame(panel):
    data, pop = panel
    frame = pd.DataFrame({yr: pop for yr in data.columns})
    a = convergence.sigma_convergence(data, frame, index="cv")
    b = convergence.sigma_convergence(data, pop, index="cv")
    pd.testing.assert_series_equal(a.values, b.values)


def test_sigma_errors(panel):
    data, _ = panel
    with pytest.raises(ValueError, match="index"):
        convergence.sigma_convergence(data, index="variance")
    bad = data.copy()
    bad.iloc[2, 3] = np.nan
    with pytest.raises(ValueError, match=r"year 2018: .*missing"):
        convergence.sigma_convergence(bad)
    with pytest.raises(ValueError, match="two years"):
        convergence.sigma_convergence(data[[2015]])


# --------------------------------------------------------------------------- beta


def test_beta_equals_linregress(panel):
    data, _ = panel
    b = convergence.beta_convergence(data[2015], data[2020], years=5)
    x = np.log(data[2015].to_numpy())
    g = np.log(data[2020].to_numpy() / data[2015].to_numpy()) / 5
    ref = stats.linregress(x, g)
    assert b.beta == pytest.approx(ref.slope, rel=1e-10)
    assert b.intercept == pytest.approx(ref.intercept, rel=1e-10)
    assert b.se == pytest.approx(ref.stderr, rel=1e-8)
    assert b.p_value == pytest.approx(ref.pvalue, rel=1e-6)
    assert b.r2 == pytest.approx(ref.rvalue**2, rel=1e-10)
    assert b.converging and b.n == 20


def test_beta_speed_and_half_life_exact():
    # growth exactly a + beta*ln(y0): beta = -0.02 over T = 10 years
    y0 = np.array([1.0, 2.0, 5.0, 10.0, 20.0])
    beta, a, T = -0.02, 0.1, 10
    y1 = y0 * np.exp(T * (a + beta * np.log(y0)))
    b = convergence.beta_convergence(y0, y1, years=T)
    assert b.beta == pytest.approx(beta, abs=1e-12)
    lam = -math.log(1 + beta * T) / T
    assert b.speed == pytest.approx(lam) and b.half_life == pytest.approx(math.log(2) / lam)


def test_beta_weighted_equals_expanded_coefficients():
    rng = np.random.default_rng(1)
    y0 = rng.lognormal(2, 0.5, 15)
    y1 = y0 * rng.lognormal(0.3, 0.1, 15)
    w = rng.integers(1, 5, 15)
    a = convergence.beta_convergence(y0, y1, 4, w=w)
    e = convergence.beta_convergence(np.repeat(y0, w), np.repeat(y1, w), 4)
    assert a.beta == pytest.approx(e.beta, rel=1e-10)
    assert a.intercept == pytest.approx(e.intercept, rel=1e-10)


def test_conditional_beta_equals_dummy_regression():
    rng = np.random.default_rng(8)
    n = 40
    groups = np.repeat(["a", "b", "c", "d"], 10)
    y0 = rng.lognormal(2, 0.5, n)
    shift = pd.Series(groups).map({"a": 0.0, "b": 0.02, "c": -0.01, "d": 0.03}).to_numpy()
    y1 = y0 * np.exp(5 * (0.05 + shift - 0.015 * np.log(y0) + rng.normal(0, 0.003, n)))
    b = convergence.beta_convergence(y0, y1, 5, groups=groups)
    x = np.log(y0)
    g = np.log(y1 / y0) / 5
    D = pd.get_dummies(groups, drop_first=True).to_numpy(dtype=float)
    X = np.column_stack([np.ones(n), x, D])
    coef, *_ = np.linalg.lstsq(X, g, rcond=None)
    resid = g - X @ coef
    cov = resid @ resid / (n - X.shape[1]) * np.linalg.inv(X.T @ X)
    assert b.beta == pytest.approx(coef[1], rel=1e-9)
    assert b.se == pytest.approx(np.sqrt(cov[1, 1]), rel=1e-8)
    assert b.beta == pytest.approx(-0.015, abs=0.003)
    same = convergence.beta_convergence(y0, y1, 5, groups=["all"] * n)
    assert same.beta == pytest.approx(convergence.beta_convergence(y0, y1, 5).beta)


def test_beta_divergence_has_no_half_life():
    y0 = np.array([1.0, 2.0, 4.0, 8.0])
    b = convergence.beta_convergence(y0, y0**1.5, years=5)
    assert b.beta > 0 and b.half_life is None and not b.converging


@pytest.mark.parametrize(
    "args, match",
    [
        (([1, 0, 2], [1, 2, 3], 5), "y0"),
        (([1, 2, 3], [1, 2, 3], 0), "years"),
        (([1, 2, 3], [1, 2], 5), "lengths"),
        (([1, 2], [1, 2], 5), "three regions"),
        (([2, 2, 2], [1, 2, 3], 5), "all initial values are equal"),
    ],
)
def test_beta_errors(args, match):
    with pytest.raises(ValueError, match=match):
        convergence.beta_convergence(*args)


# --------------------------------------------------------------------------- Klassen


def test_klassen_labels_are_the_indonesian_ones():
    assert typology.LABELS_ID == {
        1: "Daerah maju dan tumbuh pesat",
        2: "Daerah maju tapi tertekan",
        3: "Daerah berkembang cepat",
        4: "Daerah relatif tertinggal",
    }


def test_klassen_quadrants_and_ties():
    growth = pd.Series({"a": 6.0, "b": 4.0, "c": 7.0, "d": 3.0, "e": 5.0})
    level = pd.Series({"e": 30.0, "d": 10.0, "c": 20.0, "b": 60.0, "a": 50.0})  # other order
    k = typology.klassen(growth, level, growth_ref=5.0, level_ref=30.0)
    assert k.quadrant.to_dict() == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 1}  # tie = high
    assert k.counts.tolist() == [2, 1, 1, 1]
    assert k.labels("en")["d"] == "Low income, low growth"
    assert k.label["b"] == "Daerah maju tapi tertekan"


def test_klassen_default_reference_is_weighted_mean():
    g, y, w = [1.0, 3.0], [10.0, 30.0], [3, 1]
    k = typology.klassen(g, y, w=w)
    assert k.growth_ref == pytest.approx(1.5) and k.level_ref == pytest.approx(15.0)
    assert k.quadrant.tolist() == [4, 1]


def test_klassen_errors():
    with pytest.raises(ValueError, match="different regions"):
        typology.klassen(pd.Series({"a": 1.0}), pd.Series({"b": 1.0}))
    with pytest.raises(ValueError, match="missing"):
        typology.klassen([1.0, np.nan], [1.0, 2.0])


def test_klassen_transitions():
    before = typology.klassen([6, 4, 7, 3], [50, 60, 20, 10], 5, 30)
    after = typology.klassen([4, 4, 7, 6], [50, 60, 40, 10], 5, 30)
    t = typology.klassen_transitions(before, after)
    assert t.matrix.to_numpy().sum() == 4 == t.n
    assert t.matrix.loc[1, 2] == 1 and t.matrix.loc[3, 1] == 1 and t.matrix.loc[4, 3] == 1
    assert sorted(t.changes.index) == [0, 2, 3]
    assert t.share_stayed == pytest.approx(0.25)
    probs = t.probabilities()
    assert probs.loc[[1, 2, 3, 4]].sum(axis=1).tolist() == [1.0, 1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="1, 2, 3 or 4"):
        typology.klassen_transitions(pd.Series([1, 5]), pd.Series([1, 2]))
