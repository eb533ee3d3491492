"""Ketimpangan (disparity): builders against the analysis library, and the page via AppTest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import inequality as ineq
from ui import disparity

RNG = np.random.default_rng(7)
Y = RNG.lognormal(3.0, 0.6, 60)
W = RNG.integers(5_000, 150_000, 60).astype(float)


@pytest.mark.parametrize("weighted", [False, True])
def test_lorenz_area_gives_the_library_gini(weighted):
    w = W if weighted else None
    pts = disparity.lorenz_points(Y, w)
    assert pts.iloc[0].tolist() == [0.0, 0.0] and pts.iloc[-1].tolist() == pytest.approx([1, 1])
    assert disparity.lorenz_gini(pts) == pytest.approx(ineq.gini(Y, w=w), rel=1e-9)


def test_index_table_estimates_equal_the_library():
    table = disparity.index_table(Y, W, n_boot=200)
    assert table.loc["gini", "estimate"] == pytest.approx(ineq.gini(Y, w=W), rel=1e-12)
    assert table.loc["theil_t", "estimate"] == pytest.approx(ineq.theil_t(Y, w=W), rel=1e-12)
    assert table.loc["theil_l", "estimate"] == pytest.approx(ineq.theil_l(Y, w=W), rel=1e-12)
    assert table.loc["williamson", "estimate"] == pytest.approx(ineq.williamson(Y, W), rel=1e-12)
    assert table.loc["max_min", "estimate"] == pytest.approx(Y.max() / Y.min())
    # the CV is the unweighted one (its weighted version is the Williamson index)
    assert table.loc["cv", "estimate"] == pytest.approx(Y.std() / Y.mean(), rel=1e-9)
    ok = table.dropna(subset=["low"])
    assert (ok["low"] <= ok["estimate"] + 1e-12).all() and (ok["estimate"] <= ok["high"] + 1e-12).all()


def test_index_table_unweighted_has_no_williamson_and_explains_zeros():
    y = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    table = disparity.index_table(y, None, n_boot=50)
    assert "williamson" not in table.index
    assert np.isnan(table.loc["theil_l", "estimate"]) and table.loc["theil_l", "note"]
    assert table.loc["gini", "estimate"] == pytest.approx(ineq.gini(y))


def _inputs():
    values = pd.DataFrame(
        {"region_code": ["35.01.01", "35.01.02", "35.78.01", "35.26.01"], "value": [1.0, 2.0, 8.0, 0.5]}
    )
    weights = pd.DataFrame(
        {"region_code": ["35.01.01", "35.01.02", "35.78.01"], "value": [10.0, 20.0, 30.0]}
    )
    regions = pd.DataFrame(
        {
            "kode": ["35.01.01", "35.01.02", "35.78.01", "35.26.01"],
            "nama": ["A", "B", "C", "D"],
            "kab_kode": ["35.01", "35.01", "35.78", "35.26"],
        }
    )
    kab = pd.DataFrame(
        {"kode": ["35.01", "35.78", "35.26"], "nama": ["PACITAN", "KOTA SURABAYA", "BANGKALAN"],
         "jenis": ["kabupaten", "kota", "kabupaten"]}
    )
    return values, weights, regions, kab


def test_assemble_inputs_drops_unweighted_and_groups():
    values, weights, regions, kab = _inputs()
    frame = disparity.assemble_inputs(values, weights, regions, kab, "kecamatan")
    assert list(frame.index) == ["35.01.01", "35.01.02", "35.78.01"]  # D has no weight
    assert frame.loc["35.78.01", "jenis"] == "kota"
    unweighted = disparity.assemble_inputs(values, None, regions, kab, "kecamatan")
    assert unweighted.loc["35.26.01", "wilayah"] == "madura"
    assert unweighted.loc["35.01.01", "wilayah"] == "mainland"


def test_nested_decomposition_matches_the_library():
    values, weights, regions, kab = _inputs()
    frame = disparity.assemble_inputs(values, weights, regions, kab, "kecamatan")
    d = disparity.decomposition(frame, "jenis", "kecamatan", weighted=True)
    ref = ineq.theil_decomposition(
        frame["y"].to_numpy(), frame["w"].to_numpy(),
        {"jenis": frame["jenis"].to_numpy(), "kab_kode": frame["kab_kode"].to_numpy()},
    )
    assert d.total == pytest.approx(ref.total) and d.between == pytest.approx(ref.between)
    assert list(d.contributions.index) == ["35.01", "35.78"]


def test_component_labels_translate_nested_names():
    levels = pd.DataFrame(
        {"component": ["between jenis", "between kab_kode within jenis", "within kab_kode"],
         "value": [0.1, 0.2, 0.3], "share": [1 / 6, 2 / 6, 3 / 6]}
    )
    from ui.i18n import t

    out = disparity.component_labels(levels, t, "id")
    assert out["label"].tolist() == [
        "antar kota vs kabupaten",
        "antar kabupaten/kota di dalam kota vs kabupaten",
        "dalam kabupaten/kota",
    ]
    assert out["share"].sum() == pytest.approx(100.0)


def test_transition_table_counts_moves():
    before = pd.Series({"a": 1, "b": 4, "c": 4, "d": 2})
    after = pd.Series({"a": 1, "b": 3, "c": 4, "e": 1})
    table = disparity.transition_table(before, after, {1: "I", 2: "II", 3: "III", 4: "IV"})
    assert table.loc["IV", "III"] == 1 and table.loc["IV", "IV"] == 1 and table.loc["I", "I"] == 1
    assert int(table.to_numpy().sum()) == 3  # d and e are in one period only
