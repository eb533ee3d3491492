"""Data for Ketimpangan's three-level Theil decomposition of IDM (and IKS, IKE, IKL) over desa.

Between kabupaten/kota, between kecamatan within kabupaten/kota, and within kecamatan (between
its desa), each with a bootstrap interval, cached per data stamp.

Desa values come from the store (level ``desa``); kelurahan are outside IDM by design (not
applicable), so they are counted and left out. Weighted, each desa counts with its Sensus
Penduduk 2010 population where the census village is matched within its kecamatan; unmatched
desa are left out and counted.
"""

from __future__ import annotations

import pandas as pd

from analysis import inequality as ineq

from . import base as data
from .cache import versioned
from .disparity import N_BOOT, SEED, population_basis, population_year

#: Catalogue ``kind`` of the desa indicators that get the three-level decomposition (IDM, IKS,
#: IKE, IKL: indices with a value per desa; distances, areas and status codes do not).
KINDS = ("index",)

#: The parts in order, coarse to fine: between kabupaten, between kecamatan within kabupaten,
#: within kecamatan (between desa).
PARTS = ("kabupaten", "kecamatan", "desa")

#: Interval method: the basic (reverse percentile) bootstrap, which corrects the upward bias of
#: the between parts in resamples (see :func:`analysis.inequality.bootstrap_decomposition`).
METHOD = "basic"


def applies(indicator: str, year: int) -> bool:
    """Whether ``indicator`` has desa values in ``year`` and is an index (IDM, IKS, IKE, IKL)."""
    if indicator not in data.indicators_for("desa"):
        return False
    if data.indicator_meta(indicator).get("kind") not in KINDS:
        return False
    return int(year) in data.years("desa", indicator)


def desa_frame(values: pd.DataFrame, desa: pd.DataFrame, weights: pd.DataFrame | None):
    """One row per desa with a value (and a weight when weighted); the counts left out.

    Parameters
    ----------
    values : pandas.DataFrame
        ``region_code``, ``value`` of the indicator at desa level (one year).
    desa : pandas.DataFrame
        ``regions.desa()``: ``kode``, ``jenis``, ``kec_kode``, ``kab_kode``.
    weights : pandas.DataFrame, optional
        ``region_code``, ``value`` of the desa population; desa without one are left out.

    Returns
    -------
    (pandas.DataFrame, dict)
        The frame (index = desa code; ``y``, ``w``, ``kec_kode``, ``kab_kode``) and the counts
        ``n_kelurahan`` (outside the index), ``n_no_value`` (desa without a value) and
        ``n_unmatched`` (desa with a value but no population, left out when weighted).

    Examples
    --------
    >>> desa = pd.DataFrame({"kode": ["a", "b", "c", "d"], "jenis": ["desa"] * 3 + ["kelurahan"],
    ...                      "kec_kode": ["k1", "k1", "k2", "k2"], "kab_kode": ["K"] * 4})
    >>> values = pd.DataFrame({"region_code": ["a", "b", "c"], "value": [0.6, 0.7, 0.8]})
    >>> pop = pd.DataFrame({"region_code": ["a", "c"], "value": [100.0, 300.0]})
    >>> frame, counts = desa_frame(values, desa, pop)
    >>> list(frame.index), counts
    (['a', 'c'], {'n_kelurahan': 1, 'n_no_value': 0, 'n_unmatched': 1})
    """
    table = desa.set_index(desa["kode"].astype(str))
    y = values.set_index(values["region_code"].astype(str))["value"]
    y = y[y.index.isin(table.index)]
    is_desa = table["jenis"] == "desa"
    frame = pd.DataFrame({"y": y}).join(table[["kec_kode", "kab_kode"]])
    n_unmatched = 0
    if weights is not None:
        w = weights.set_index(weights["region_code"].astype(str))["value"]
        frame["w"] = w.reindex(frame.index)
        matched = frame["w"].notna() & (frame["w"] > 0)
        n_unmatched = int((~matched).sum())
        frame = frame[matched]
    else:
        frame["w"] = 1.0
    counts = {
        "n_kelurahan": int((~is_desa).sum()),
        "n_no_value": int((is_desa & ~table.index.isin(y.index)).sum()),
        "n_unmatched": n_unmatched,
    }
    return frame.sort_index(), counts


def parts_table(boot: ineq.DecompositionBootstrap) -> pd.DataFrame:
    """The three parts of a nested kabupaten → kecamatan bootstrap decomposition.

    Returns
    -------
    pandas.DataFrame
        Index :data:`PARTS`; ``value``, ``low``, ``high`` (the part) and ``share``,
        ``share_low``, ``share_high`` (its share of the total, 0-1).
    """
    iv = boot.intervals
    comps = list(boot.observed.levels.index)
    rows = {}
    for part, comp in zip(PARTS, comps, strict=True):
        value, share = iv.loc[comp], iv.loc[f"share: {comp}"]
        rows[part] = {
            "value": value["estimate"],
            "low": value["low"],
            "high": value["high"],
            "share": share["estimate"],
            "share_low": share["low"],
            "share_high": share["high"],
        }
    return pd.DataFrame.from_dict(rows, orient="index")


@versioned
def three_level(indicator: str, year: int, weighted: bool) -> dict | None:
    """Theil T of the indicator's desa values decomposed between kabupaten, between kecamatan
    within kabupaten and within kecamatan, with :data:`~ui.data.disparity.N_BOOT` bootstrap
    replicates (desa resampled within their kecamatan) and basic 95 % intervals.

    Returns None when the decomposition does not apply (:func:`applies`) or fewer than two
    desa remain, else ``parts`` (:func:`parts_table`), ``total`` with ``total_low`` and
    ``total_high``, the counts ``n_desa``, ``n_kecamatan``, ``n_kabupaten`` and those of
    :func:`desa_frame`, ``weighted``, ``pop_year`` and ``basis`` (a
    ``common.population_basis`` key) and ``n_boot``.
    """
    if not applies(indicator, year):
        return None
    pop_year = population_year("desa", int(year)) if weighted else None
    weighted = weighted and pop_year is not None
    weights = data.values("desa", "penduduk", pop_year) if weighted else None
    frame, counts = desa_frame(
        data.values("desa", indicator, int(year)), data.regions_table("desa"), weights
    )
    if len(frame) < 2:
        return None
    boot = ineq.bootstrap_decomposition(
        frame["y"].to_numpy(),
        frame["w"].to_numpy() if weighted else None,
        {"kabupaten": frame["kab_kode"].to_numpy(), "kecamatan": frame["kec_kode"].to_numpy()},
        "T",
        n_boot=N_BOOT,
        seed=SEED,
        method=METHOD,
    )
    total = boot.intervals.loc["total"]
    return {
        "parts": parts_table(boot),
        "total": float(total["estimate"]),
        "total_low": float(total["low"]),
        "total_high": float(total["high"]),
        "n_desa": len(frame),
        "n_kecamatan": int(frame["kec_kode"].nunique()),
        "n_kabupaten": int(frame["kab_kode"].nunique()),
        **counts,
        "weighted": weighted,
        "pop_year": pop_year,
        "basis": population_basis("desa", pop_year) if weighted else "",
        "n_boot": N_BOOT,
    }
