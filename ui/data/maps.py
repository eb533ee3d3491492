"""Data of the Peta and Beranda maps: every region's value, classes, LISA clusters, need ×
coverage, and the geometry around them, cached per data stamp.

Frames come from :mod:`ui.data.base`; classes are :func:`analysis.classify.classify` (legend
labels written by the one number formatter, :func:`i18n.numbers.formatter`), ranks
:func:`analysis.ranking.rank`, clusters :func:`analysis.spatial.lisa` on
:func:`ui.data.base.contiguity_weights`, need × coverage
:func:`analysis.targeting.need_coverage`. The results are tables; the builders of
:mod:`ui.mapview` colour and draw them (:mod:`ui.maps`).

Every table has one row per region of the level (``code`` order), with ``code``, ``nama``,
``kab_kode``, ``kab_nama`` (a kabupaten is its own ``kab_*``), ``value`` (NaN when missing,
never 0), ``illustrative``, the ranks of the regions with a value (``rank_prov`` and ``n_prov``, and
for kecamatan ``rank_kab`` and ``n_kab``; 1 = best for the indicator's direction, as on every
page: :func:`analysis.ranking.rank`) and ``kelas`` (the class in words).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import spatial
from analysis.classify import Classification, classify
from analysis.ranking import rank
from analysis.targeting import need_coverage
from i18n import numbers

from . import base as data
from .cache import versioned

#: Permutations and seed of the LISA map's pseudo p-values and of its global Moran's I.
LISA_PERMUTATIONS = 999
LISA_SEED = 20240601


@versioned
def map_frame(level: str, indicator: str, year: int) -> pd.DataFrame:
    """Every region of ``level`` with its value for ``indicator`` and ``year`` (NaN if none).

    Returns
    -------
    DataFrame
        ``code``, ``nama``, ``kab_kode``, ``kab_nama`` (for a kabupaten, its own code and
        name; a desa also has ``kec_kode`` and ``kec_nama``), ``value``, ``illustrative``, ``applicable`` (False where the indicator does
        not apply, e.g. IDM in a kecamatan of kelurahan only); sorted by code.
    """
    regions = data.regions_table(level)
    if level == "kecamatan":
        base = regions[["kode", "nama", "kab_kode", "kab_nama"]]
    elif level == "desa":
        base = regions[["kode", "nama", "kec_kode", "kec_nama", "kab_kode", "kab_nama"]]
    else:
        base = regions[["kode", "nama"]].assign(kab_kode=regions["kode"], kab_nama=regions["nama"])
    base = base.rename(columns={"kode": "code"})
    vals = data.values(level, indicator, int(year))
    vals = vals.rename(columns={"region_code": "code"})[["code", "value", "illustrative"]]
    out = base.merge(vals, on="code", how="left")
    out["illustrative"] = out["illustrative"].astype("boolean").fillna(False).astype(bool)
    # a set lookup per code: Series.isin on Arrow strings converts every code of the set
    applies = data.applicable(level, indicator)
    out["applicable"] = [code in applies for code in out["code"].tolist()]
    return out.sort_values("code").reset_index(drop=True)


def with_ranks(frame: pd.DataFrame, level: str, direction: object = "neutral") -> pd.DataFrame:
    """``frame`` with the ranks of the regions that have a value: 1 = best for the
    indicator's ``direction`` (:func:`analysis.ranking.rank`; neutral: 1 = highest).

    ``rank_prov`` ranks in the province among ``n_prov`` regions with a value; for kecamatan
    and desa ``rank_kab`` ranks within the kabupaten (``kab_kode``) and ``n_kab`` counts the
    kabupaten's regions with a value. Regions without a value, and the kabupaten columns
    of a kabupaten map, are ``<NA>``.

    Examples
    --------
    >>> f = pd.DataFrame({"code": list("abcd"), "kab_kode": ["x", "x", "y", "y"],
    ...                   "value": [1.0, 3.0, None, 3.0]})
    >>> r = with_ranks(f, "kecamatan")
    >>> r["rank_prov"].tolist(), r["rank_kab"].tolist(), r["n_kab"].tolist()
    ([3, 1, <NA>, 1], [2, 1, <NA>, 1], [2, 2, <NA>, 1])
    >>> with_ranks(f, "kecamatan", "lower_better")["rank_prov"].tolist()
    [1, 2, <NA>, 2]
    """
    out = frame.copy()
    valid = out["value"].notna()
    values = out.loc[valid, "value"]
    for col in ("rank_prov", "n_prov", "rank_kab", "n_kab"):
        out[col] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[valid, "rank_prov"] = rank(values, direction)
    out.loc[valid, "n_prov"] = int(valid.sum())
    if level in ("kecamatan", "desa"):
        groups = out.loc[valid, "kab_kode"]
        out.loc[valid, "rank_kab"] = rank(values, direction, groups=groups)
        out.loc[valid, "n_kab"] = groups.map(groups.value_counts())
    return out


def _direction(indicator: str) -> str:
    """The catalogue direction of ``indicator`` (neutral when unknown)."""
    try:
        return str(data.indicator_meta(indicator).get("direction") or "neutral")
    except KeyError:
        return "neutral"


# --------------------------------------------------------------------------- indicator map


@dataclass(frozen=True)
class IndicatorMap:
    """A classified indicator map.

    Attributes
    ----------
    table : DataFrame
        The columns of the module's tables plus ``cls`` (class ``0 .. k-1``, NaN without a
        value) and ``kelas`` (the class's legend label).
    classification : analysis.classify.Classification
        Breaks, counts and legend labels (written in the interface language).
    method : str
        The method used (``user_defined`` without breaks falls back to ``quantiles``).
    """

    table: pd.DataFrame
    classification: Classification
    method: str


def classify_frame(
    frame: pd.DataFrame, method: str, k: int, breaks: Sequence[float], lang: str
) -> tuple[pd.DataFrame, Classification]:
    """Classify ``frame.value`` (:func:`analysis.classify.classify`).

    Labels are written by :func:`i18n.numbers.formatter` in ``lang`` with the classification's
    own decimals (the fewest that keep the breaks distinct). Returns the frame with a ``cls``
    column (NaN where no value) and the classification (without classes when no region has
    a value).
    """
    bins = list(breaks) if method == "user_defined" else None
    y = frame["value"].to_numpy(dtype=float)
    if np.isnan(y).all():  # e.g. IDM on the desa map of a kota of kelurahan only: no class
        empty = np.array([], dtype=float)
        c = Classification(method, empty, np.nan, np.full(y.size, -1), empty, empty, empty, (), y.size)
    else:
        c = classify(y, method, k, bins=bins)
        c = c.relabel(numbers.formatter(c.break_decimals, lang))
    out = frame.copy()
    yb = np.asarray(c.yb, dtype=float)
    yb[yb < 0] = np.nan
    out["cls"] = yb
    return out, c


@versioned
def indicator_map(
    level: str,
    indicator: str,
    year: int,
    method: str,
    k: int,
    breaks: tuple[float, ...],
    lang: str,
    kab: str | None = None,
) -> IndicatorMap:
    """The classified indicator map of one view.

    With ``kab`` (the desa map: one kabupaten/kota at a time) the table holds that
    kabupaten's regions only and the classes are those of its values; the ranks are still
    in the province and in the kabupaten.
    """
    frame = with_ranks(map_frame(level, indicator, year), level, _direction(indicator))
    if kab:
        frame = frame[frame["kab_kode"] == kab].reset_index(drop=True)
    if method == "user_defined" and not breaks:
        method = "quantiles"
    table, c = classify_frame(frame, method, k, breaks, lang)
    table["kelas"] = [c.labels[int(x)] if not pd.isna(x) else None for x in table["cls"]]
    return IndicatorMap(table, c, method)


# --------------------------------------------------------------------------- LISA


@dataclass(frozen=True)
class LisaMap:
    """A LISA cluster map.

    Attributes
    ----------
    table : DataFrame
        The module's columns plus ``cluster`` (``HH``, ``LL``, ``LH``, ``HL``, ``ns``; NaN
        without a value), ``p_sim``, and ``kelas`` (= ``cluster``).
    moran_i, moran_p : float
        Global Moran's I and its pseudo p-value.
    n_islands : int
        Regions without a contiguous neighbour (joined to the nearest one).
    """

    table: pd.DataFrame
    moran_i: float
    moran_p: float
    n_islands: int


@versioned
def lisa_map(level: str, indicator: str, year: int, fdr: bool) -> LisaMap | None:
    """Local Moran clusters (queen contiguity, islands joined to the nearest region).

    Regions without a value are left out of the weights. None when spatial autocorrelation
    is undefined (fewer than three values, or all values equal).
    """
    frame = map_frame(level, indicator, year)
    values = frame.dropna(subset=["value"]).set_index("code")["value"]
    if len(values) < 3 or values.nunique() < 2:
        return None
    weights = data.contiguity_weights(level, tuple(values.index))
    local = spatial.lisa(
        values, weights, permutations=LISA_PERMUTATIONS, fdr=fdr, seed=LISA_SEED
    ).frame()
    glob = spatial.moran(values, weights, permutations=LISA_PERMUTATIONS, seed=LISA_SEED)
    clusters = local.rename_axis("code").reset_index()[["code", "cluster", "p_sim"]]
    table = with_ranks(frame.merge(clusters, on="code", how="left"), level, _direction(indicator))
    table["kelas"] = table["cluster"]
    return LisaMap(table, float(glob.I), float(glob.p_sim), len(weights.islands))


# --------------------------------------------------------------------------- need × coverage


@dataclass(frozen=True)
class BivariateMap:
    """A need × coverage map.

    Attributes
    ----------
    table : DataFrame
        The module's columns for the need indicator (``value``), plus ``value_cov``,
        ``need_class`` and ``coverage_class`` (terciles 1–3), ``gap_score``,
        ``priority_rank``, ``description`` and ``kelas`` (= ``description``); ``illustrative``
        is true when either value is.
    need_year, coverage_year : int
        The years of the two indicators.
    """

    table: pd.DataFrame
    need_year: int
    coverage_year: int


def common_year(level: str, need: str, coverage: str, year: int) -> tuple[int, int] | None:
    """Years to use: ``year`` for both when possible, else the latest ≤ ``year`` of each
    (else the earliest of each). None when an indicator has no values."""
    result = []
    for ind in (need, coverage):
        yrs = data.years(level, ind)
        if not yrs:
            return None
        before = [y for y in yrs if y <= year]
        result.append(max(before) if before else min(yrs))
    return result[0], result[1]


@versioned
def bivariate_map(
    level: str, need: str, coverage: str, need_year: int, coverage_year: int, lang: str
) -> BivariateMap:
    """Terciles of need × coverage (:func:`analysis.targeting.need_coverage`), with the
    indicators' directions from the catalogue; ``description`` in ``lang``."""
    need_meta = data.indicator_meta(need)
    cov_meta = data.indicator_meta(coverage)
    nf = map_frame(level, need, need_year)
    cf = map_frame(level, coverage, coverage_year)[["code", "value", "illustrative"]]
    frame = nf.merge(cf, on="code", suffixes=("", "_cov"))
    both = frame.dropna(subset=["value", "value_cov"]).set_index("code")
    nc = need_coverage(
        both["value"],
        both["value_cov"],
        need_higher_is_worse=need_meta.get("direction") != "higher_better",
        coverage_higher_is_better=cov_meta.get("direction") != "lower_better",
    )
    result = nc.frame(lang).rename_axis("code").reset_index()
    table = frame.merge(result, on="code", how="left")
    table = with_ranks(table, level, need_meta.get("direction"))
    table["kelas"] = table["description"]
    table["illustrative"] = table["illustrative"] | table["illustrative_cov"].fillna(False)
    return BivariateMap(table, int(need_year), int(coverage_year))


# --------------------------------------------------------------------------- geometry, sources


@versioned
def kabupaten_bounds() -> dict[str, tuple[float, float, float, float]]:
    """``{kab_kode: (minx, miny, maxx, maxy)}`` from the kabupaten display GeoJSON."""
    geojson = json.loads(data.display_geojson_path("kabupaten").read_text())
    out = {}
    for feat in geojson["features"]:
        xs, ys = [], []
        _collect(feat["geometry"]["coordinates"], xs, ys)
        out[str(feat["id"])] = (min(xs), min(ys), max(xs), max(ys))
    return out


def search_labels(kecamatan: pd.DataFrame) -> dict[str, str]:
    """``{code: "<kecamatan> · <kabupaten/kota>"}`` sorted by name (a kecamatan name is only
    unique together with its kabupaten/kota).

    Examples
    --------
    >>> kec = pd.DataFrame({"kode": ["35.78.08", "35.01.01"], "nama": ["Gubeng", "Donorojo"],
    ...                     "kab_nama": ["Kota Surabaya", "Pacitan"]})
    >>> search_labels(kec)
    {'35.01.01': 'Donorojo · Pacitan', '35.78.08': 'Gubeng · Kota Surabaya'}
    """
    rows = kecamatan.sort_values(["nama", "kab_nama"])
    return {
        r.kode: f"{r.nama} · {r.kab_nama}" for r in rows[["kode", "nama", "kab_nama"]].itertuples()
    }


@versioned
def search_options() -> dict[str, str]:
    """The options of Peta's kecamatan search box (:func:`search_labels` of every kecamatan),
    computed once per data stamp rather than on every run."""
    return search_labels(data.regions_table("kecamatan"))


@versioned
def kecamatan_bounds() -> dict[str, tuple[float, float, float, float]]:
    """``{kode: (minx, miny, maxx, maxy)}`` from the kecamatan display GeoJSON (Peta's
    search zooms to a kecamatan)."""
    geojson = json.loads(data.display_geojson_path("kecamatan").read_text())
    out = {}
    for feat in geojson["features"]:
        xs, ys = [], []
        _collect(feat["geometry"]["coordinates"], xs, ys)
        out[str(feat["id"])] = (min(xs), min(ys), max(xs), max(ys))
    return out


def _collect(coords, xs, ys):
    if coords and isinstance(coords[0], int | float):
        xs.append(coords[0])
        ys.append(coords[1])
        return
    for c in coords:
        _collect(c, xs, ys)


def province_bounds() -> tuple[float, float, float, float]:
    """``(minx, miny, maxx, maxy)`` of all of East Java (every kabupaten/kota)."""
    b = kabupaten_bounds().values()
    return (min(x[0] for x in b), min(x[1] for x in b), max(x[2] for x in b), max(x[3] for x in b))


def outline_codes(kab: str | None = None) -> list[str]:
    """Codes of the 38 kabupaten/kota (for the outline trace of the kecamatan map), or with
    ``kab`` the kecamatan of that kabupaten/kota (the outlines of its desa map)."""
    if kab is None:
        return data.regions_table("kabupaten")["kode"].tolist()
    kec = data.regions_table("kecamatan")
    return kec.loc[kec["kab_kode"] == kab, "kode"].tolist()


@versioned
def source_lines(indicators: Sequence[str]) -> list[str]:
    """ "<repository> — <licence> — <citation>" for every source of the indicators (exports)."""
    src = data.sources().set_index("id")
    lines = []
    for ind in dict.fromkeys(indicators):
        try:
            meta = data.indicator_meta(ind)
        except KeyError:
            continue
        for sid in meta.get("sources") or []:
            if sid in src.index:
                row = src.loc[sid]
                lines.append(f"{row['title']} — {row['licence']} — {row['citation']}")
    return list(dict.fromkeys(lines))
