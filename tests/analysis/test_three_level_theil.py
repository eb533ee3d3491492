"""Three-level (desa in kecamatan in kabupaten) Theil decomposition (Akita 2003).

The library's nested decomposition is checked against a computation written here with loops
over the groups and plain numpy logs, and its two upper parts against the two-level
decomposition of the kecamatan aggregates.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import inequality as ineq
from analysis.inequality import inference


def _villages(seed: int):
    """Nested synthetic desa: 6 kabupaten, 3-7 kecamatan each, 1-15 desa each."""
    rng = np.random.default_rng(seed)
    kab, kec, y, w = [], [], [], []
    for k in range(6):
        level_k = rng.uniform(0.5, 0.8)
        for c in range(int(rng.integers(3, 8))):
            level_c = level_k * rng.uniform(0.85, 1.15)
            for _ in range(int(rng.integers(1, 16))):
                kab.append(f"K{k}")
                kec.append(f"K{k}.C{c}")
                y.append(level_c * rng.uniform(0.8, 1.2))
                w.append(rng.integers(300, 9000))
    return np.array(kab), np.array(kec), np.array(y), np.array(w, dtype=float)


def _brute(y, w, kab, kec, kind):
    """The three parts by loops over groups: between kabupaten, between kecamatan within
    kabupaten, within kecamatan (Theil T: output-weighted; Theil L: population-weighted)."""
    p = w / w.sum()
    mu = float(np.sum(p * y))
    b_kab = b_kec = within = 0.0
    for k in np.unique(kab):
        in_k = kab == k
        pk = p[in_k].sum()
        mu_k = float(np.sum(p[in_k] * y[in_k]) / pk)
        if kind == "T":
            b_kab += pk * (mu_k / mu) * math.log(mu_k / mu)
        else:
            b_kab += pk * math.log(mu / mu_k)
        for c in np.unique(kec[in_k]):
            in_c = kec == c
            pc = p[in_c].sum()
            mu_c = float(np.sum(p[in_c] * y[in_c]) / pc)
            r = y[in_c] / mu_c
            if kind == "T":
                b_kec += pc * (mu_c / mu) * math.log(mu_c / mu_k)
                own = float(np.sum(p[in_c] / pc * r * np.log(r)))
                within += pc * (mu_c / mu) * own
            else:
                b_kec += pc * math.log(mu_k / mu_c)
                within += pc * float(np.sum(p[in_c] / pc * -np.log(r)))
    r = y / mu
    total = float(np.sum(p * r * np.log(r))) if kind == "T" else float(np.sum(-p * np.log(r)))
    return total, [b_kab, b_kec, within]


@pytest.mark.parametrize("kind", ["T", "L"])
@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("seed", [1, 7])
def test_three_parts_equal_brute_force_and_add_up(kind, weighted, seed):
    kab, kec, y, w = _villages(seed)
    d = ineq.theil_decomposition(
        y, w if weighted else None, {"kabupaten": kab, "kecamatan": kec}, kind=kind
    )
    parts = d.levels["value"].to_numpy()
    assert list(d.levels.index) == [
        "between kabupaten",
        "between kecamatan within kabupaten",
        "within kecamatan",
    ]
    assert abs(parts.sum() - d.total) <= 1e-12
    total, brute = _brute(y, w if weighted else np.ones_like(y), kab, kec, kind)
    assert d.total == pytest.approx(total, rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(parts, brute, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(d.levels["share"].to_numpy(), np.array(brute) / total, rtol=1e-9)
    assert all(b > 0 for b in brute)  # every level holds some inequality in these data


@pytest.mark.parametrize("kind", ["T", "L"])
@pytest.mark.parametrize("weighted", [True, False])
def test_upper_parts_equal_two_level_on_kecamatan_aggregates(kind, weighted):
    """Between kabupaten + between kecamatan within kabupaten is the whole inequality of the
    kecamatan aggregates: each kecamatan's weighted mean with its summed weight (the desa
    count when unweighted, not one per kecamatan) decomposed between/within kabupaten."""
    kab, kec, y, w = _villages(3)
    weights = w if weighted else np.ones_like(y)
    three = ineq.theil_decomposition(
        y, weights if weighted else None, {"kabupaten": kab, "kecamatan": kec}, kind=kind
    )
    codes = np.unique(kec)
    kec_w = np.array([weights[kec == c].sum() for c in codes])
    kec_y = np.array([np.sum(weights[kec == c] * y[kec == c]) for c in codes]) / kec_w
    kec_kab = np.array([kab[kec == c][0] for c in codes])
    two = ineq.theil_decomposition(kec_y, kec_w, kec_kab, kind=kind)
    parts = three.levels["value"]
    assert two.total == pytest.approx(parts.iloc[0] + parts.iloc[1], rel=1e-12)
    assert two.between == pytest.approx(parts.iloc[0], rel=1e-12)
    assert two.within == pytest.approx(parts.iloc[1], rel=1e-10)
    # one unit per kecamatan (weights ignored) is a different measure: not equal
    one_each = ineq.theil_decomposition(kec_y, None, kec_kab, kind=kind)
    assert one_each.total != pytest.approx(two.total, rel=1e-6)


def test_bootstrap_gives_each_level_a_share_interval():
    kab, kec, y, w = _villages(5)
    b = ineq.bootstrap_decomposition(
        y, w, {"kabupaten": kab, "kecamatan": kec}, n_boot=200, seed=4, method="basic"
    )
    reps = b.replicates
    comps = list(b.observed.levels.index)
    share_cols = [f"share: {c}" for c in comps]
    np.testing.assert_allclose(reps[share_cols].sum(axis=1), 1.0, rtol=1e-12)
    for c in comps:
        np.testing.assert_allclose(reps[f"share: {c}"], reps[c] / reps["total"], rtol=1e-12)
        row = b.intervals.loc[f"share: {c}"]
        assert row["estimate"] == pytest.approx(b.observed.levels.loc[c, "share"], rel=1e-12)
        q_lo, q_hi = reps[f"share: {c}"].quantile([0.025, 0.975])
        est = row["estimate"]
        assert row["low"] == pytest.approx(max(2 * est - q_hi, 0.0))
        assert row["high"] == pytest.approx(min(2 * est - q_lo, 1.0))


def test_replicates_do_not_depend_on_the_block_size(monkeypatch):
    kab, kec, y, w = _villages(2)
    groups = {"kabupaten": kab, "kecamatan": kec}
    whole = ineq.bootstrap_decomposition(y, w, groups, n_boot=60, seed=9)
    monkeypatch.setattr(inference, "BLOCK", y.size * 7)  # blocks of 7 replicates
    blocks = ineq.bootstrap_decomposition(y, w, groups, n_boot=60, seed=9)
    np.testing.assert_allclose(blocks.replicates.to_numpy(), whole.replicates.to_numpy())
