"""Tests of analysis.classify: agreement with mapclassify, labels, determinism, missing values."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pandas as pd
import pytest
from analysis_input_types import INPUT_TYPES, as_input  # noqa: F401 (fixture)
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.classify import METHODS, classify, fisher_jenks_breaks
from i18n import numbers

RTOL = 1e-12

@pytest.fixture(scope="module")
def skewed():
    return np.random.default_rng(42).lognormal(mean=1.0, sigma=0.8, size=666)


_REF_CACHE: dict = {}


def _mc(y, method, **kw):
    key = (y.tobytes(), method, repr(sorted(kw.items())))
    if key not in _REF_CACHE:  # mapclassify's Fisher-Jenks takes ~1 s without numba
        _REF_CACHE[key] = _mc_uncached(y, method, **kw)
    return _REF_CACHE[key]


def _mc_uncached(y, method, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "quantiles": lambda: mapclassify.Quantiles(y, k=kw.get("k", 5)),
            "fisher_jenks": lambda: mapclassify.FisherJenks(y, k=kw.get("k", 5)),
            "equal_interval": lambda: mapclassify.EqualInterval(y, k=kw.get("k", 5)),
            "std_mean": lambda: mapclassify.StdMean(y),
            "box_plot": lambda: mapclassify.BoxPlot(y),
            "user_defined": lambda: mapclassify.UserDefined(y, kw["bins"]),
        }[method]()


@pytest.mark.parametrize("method", METHODS)
def test_breaks_and_classes_equal_mapclassify(method, skewed, as_input):
    kw = {"bins": [1.0, 2.5, 5.0]} if method == "user_defined" else {}
    ours = classify(as_input(skewed), method, **kw)
    ref = _mc(skewed, method, **kw)
    np.testing.assert_allclose(ours.bins, ref.bins, rtol=RTOL)
    np.testing.assert_array_equal(ours.yb, ref.yb)
    np.testing.assert_array_equal(ours.counts, ref.counts)
    assert ours.k == len(ref.bins) == len(ours.labels)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("k", [3, 5, 7])
def test_fisher_jenks_equals_mapclassify(seed, k):
    y = np.random.default_rng(seed).gamma(2.0, 3.0, size=150)
    np.testing.assert_allclose(
        fisher_jenks_breaks(y, k), _mc(y, "fisher_jenks", k=k).bins, rtol=RTOL
    )


def test_fisher_jenks_is_optimal_on_small_data():
    # brute force over every split of 8 sorted values into 3 classes
    y = np.array([1.0, 1.5, 2.0, 6.0, 6.5, 9.0, 9.2, 20.0])

    def ssd(parts):
        return sum(((p - p.mean()) ** 2).sum() for p in parts)

    best = min(ssd([y[:a], y[a:b], y[b:]]) for a in range(1, 7) for b in range(a + 1, 8))
    breaks = fisher_jenks_breaks(y, 3)
    cls = np.searchsorted(breaks, y)
    assert ssd([y[cls == c] for c in range(3)]) == pytest.approx(best)


@pytest.mark.parametrize("method", METHODS)
def test_deterministic(method, skewed):
    kw = {"bins": [2.0]} if method == "user_defined" else {}
    a, b = classify(skewed, method, **kw), classify(skewed.copy(), method, **kw)
    np.testing.assert_array_equal(a.bins, b.bins)
    np.testing.assert_array_equal(a.yb, b.yb)
    assert a.labels == b.labels


def test_one_value_class_is_not_a_range():
    y = [0.38] * 10 + [0.4, 0.5, 0.9, 1.2, 3.0]
    c = classify(y, "quantiles", k=5)
    assert c.labels[0] == "0.38"
    assert all("0.38 – 0.38" not in label for label in c.labels)
    for label in c.labels:
        if "–" in label:
            a, b = (s.strip() for s in label.split("–"))
            assert a != b


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0.1, 0.38, 0.38, 0.38, 1.0, 2.5, 2.5, 7.0]), min_size=3, max_size=40),
    st.sampled_from(["quantiles", "fisher_jenks", "equal_interval", "std_mean", "box_plot"]),
    st.integers(2, 7),
)
def test_labels_never_repeat_a_bound(values, method, k):
    c = classify(values, method, k=k)
    for label in c.labels:
        if " – " in label:
            a, b = label.split(" – ")
            assert a != b, c.labels
    assert len(c.labels) == c.k
    assert c.counts.sum() == len(values)


def test_indonesian_formatter_and_custom_formatter():
    y = [1234.4, 1800.0, 2500.0, 3500.25, 6000.0, 10000.0]
    plain = classify(y, "user_defined", bins=[2000, 5000])
    assert plain.break_decimals == 0
    assert plain.labels == ("1,234 – 2,000", "2,000 – 5,000", "5,000 – 10,000")
    indonesian = numbers.formatter(plain.break_decimals, "id")
    c = classify(y, "user_defined", bins=[2000, 5000], formatter=indonesian)
    assert c.labels == ("1.234 – 2.000", "2.000 – 5.000", "5.000 – 10.000")
    c2 = c.relabel(numbers.formatter(1, "id"))
    assert c2.labels == ("1.234,4 – 2.000,0", "2.000,0 – 5.000,0", "5.000,0 – 10.000,0")
    c3 = classify(y, "user_defined", bins=[2000, 5000], formatter=lambda v: f"Rp{v:.0f}")
    assert c3.labels[0] == "Rp1234 – Rp2000"
    np.testing.assert_array_equal(c2.yb, c.yb)
    # negative bounds take the formatter's minus sign (U+2212), not a hyphen
    neg = classify([-1500.5, -200.0, 300.0], "equal_interval", k=2, formatter=indonesian)
    assert neg.labels[0].startswith("\u22121.500") and "-" not in "".join(neg.labels)


def test_decimals_grow_until_breaks_are_distinct():
    y = [0.101, 0.102, 0.103, 0.104, 0.105, 0.106]
    c = classify(y, "equal_interval", k=5)
    bounds = [p for label in c.labels for p in label.split(" – ")]
    assert len(set(c.labels)) == c.k
    assert all(len(b.split(".")[1]) >= 3 for b in bounds)


def test_missing_values_get_class_minus_one():
    s = pd.Series([1.0, None, 3.0, np.nan, 5.0, 7.0])
    c = classify(s, "quantiles", k=2)
    assert c.n_missing == 2
    assert (c.yb[[1, 3]] == -1).all()
    assert c.counts.sum() == 4


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"values": [1, np.inf], "method": "quantiles"}, "infinite"),
        ({"values": [np.nan, None], "method": "quantiles"}, "every value is missing"),
        ({"values": [1, 2], "method": "jenks"}, "method"),
        ({"values": [1, 2], "method": "user_defined"}, "bins"),
        ({"values": [1, 2], "method": "user_defined", "bins": [3, 2]}, "increasing"),
        ({"values": ["a", "b"], "method": "quantiles"}, "numeric"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        classify(**kwargs)


def test_fewer_distinct_values_than_classes():
    c = classify([1, 1, 2, 2], "fisher_jenks", k=5)
    assert c.k == 2
    assert c.labels == ("1.00", "2.00")
    c = classify([4, 4, 4], "quantiles", k=5)
    assert c.k == 1 and c.labels == ("4.00",)


def test_box_map_legend(skewed):
    c = classify(skewed, "box_plot")
    assert c.k == 6
    legend = c.legend()
    assert list(legend.columns) == ["lower", "upper", "count", "label"]
    # no lower outliers in log-normal data: the empty first class reads "< fence"
    assert c.counts[0] == 0 and c.labels[0].startswith("< ")
    # the displayed lower bound of the second class is the data minimum, not the fence
    assert c.labels[1].startswith(f"{skewed.min():.2f}")
