"""Data for Ketimpangan and Beranda: inequality indices with intervals, decompositions,
Lorenz points, convergence, Klassen typology and Moran's I of one indicator, cached per data
stamp.

Computations are :mod:`analysis` functions on frames from :mod:`ui.data.base`; results are
frames and dicts of numbers, region codes and raw names, which the builders of
:mod:`ui.disparity` label, format and draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import convergence, lorenz, periods, spatial, typology
from analysis import inequality as ineq

from . import base as data
from . import province as data_province
from .cache import versioned

#: Indices of the table, in display order: (key, name of the :mod:`analysis.inequality` function).
INDICES = (
    ("gini", "gini"),
    ("williamson", "williamson"),
    ("theil_t", "theil_t"),
    ("theil_l", "theil_l"),
    ("atkinson", "atkinson"),
    ("cv", "coefficient_of_variation"),
    ("palma", "palma"),
    ("max_min", "max_min_ratio"),
)


#: Kemendagri codes of the four kabupaten on Madura (the rest of East Java is "mainland").
MADURA = ("35.26", "35.27", "35.28", "35.29")


#: Bootstrap replicates of the index intervals.
N_BOOT = 1000

#: Seed of every bootstrap and permutation (reproducible numbers on every rerun).
SEED = 20240601

#: Permutations of the between-share and Moran's I tests.
PERMUTATIONS = 999

#: Indices computed without weights even when the page weights by population (the
#: Williamson index is the weighted coefficient of variation).
UNWEIGHTED = ("max_min_ratio", "coefficient_of_variation")


def index_table(y, w=None, *, n_boot: int = N_BOOT, seed: int = SEED) -> pd.DataFrame:
    """Every inequality index of :mod:`analysis.inequality` with a bootstrap interval.

    Parameters
    ----------
    y : array-like
        Value of each region (non-negative).
    w : array-like, optional
        Weights (population); ``None`` counts each region once. The Williamson index
        needs weights and is left out without them; the coefficient of variation and the
        max/min ratio are always unweighted (the Williamson index is the weighted CV).
    n_boot, seed : int
        Bootstrap replicates (regions resampled with their weights) and seed.

    Returns
    -------
    pandas.DataFrame
        Index = key of :data:`INDICES`; columns ``estimate``, ``low``, ``high`` (95 %
        percentile interval) and ``note`` (why an index is undefined, else empty). An
        undefined index (e.g. Theil L with a zero value) has NaN and its note.

    Examples
    --------
    >>> table = index_table([1.0, 2.0, 3.0, 4.0], n_boot=20)
    >>> round(float(table.loc["gini", "estimate"]), 6), "williamson" in table.index
    (0.25, False)
    """
    y = np.asarray(y, dtype=float)
    w = None if w is None else np.asarray(w, dtype=float)
    rows = {}
    for key, name in INDICES:
        if name == "williamson" and w is None:
            continue
        weights = None if name in UNWEIGHTED else w
        options = {"epsilon": 0.5} if name == "atkinson" else {}
        # the max/min ratio has no vectorised core: bootstrap_ci takes it as a callable
        index = ineq.max_min_ratio if name == "max_min_ratio" else name
        try:
            ci = ineq.bootstrap_ci(index, y, weights, n_boot=n_boot, seed=seed, **options)
            rows[key] = {"estimate": ci.estimate, "low": ci.low, "high": ci.high, "note": ""}
        except ValueError as exc:
            estimate = _point_estimate(name, y, weights)
            rows[key] = {"estimate": estimate, "low": np.nan, "high": np.nan, "note": str(exc)}
    return pd.DataFrame.from_dict(rows, orient="index")


def _point_estimate(name: str, y: np.ndarray, w: np.ndarray | None) -> float:
    """The index alone, NaN when undefined: it may exist when some replicates are not."""
    fn = getattr(ineq, name)
    try:
        if name in UNWEIGHTED:
            return fn(y)
        return fn(y, w) if name == "williamson" else fn(y, w=w)
    except ValueError:
        return np.nan


def assemble_inputs(
    values: pd.DataFrame,
    weights: pd.DataFrame | None,
    regions: pd.DataFrame,
    kabupaten: pd.DataFrame,
    level: str,
) -> pd.DataFrame:
    """One row per region with a value: ``y``, ``w``, and the groupings.

    Parameters
    ----------
    values : pandas.DataFrame
        ``region_code``, ``value`` of the indicator (one year).
    weights : pandas.DataFrame, optional
        ``region_code``, ``value`` of the population; regions without a weight are dropped.
    regions : pandas.DataFrame
        The level's regions (``kode``, ``nama``, and ``kab_kode`` for kecamatan).
    kabupaten : pandas.DataFrame
        The kabupaten table (``kode``, ``nama``, ``jenis``).
    level : str
        ``"kecamatan"`` or ``"kabupaten"``.

    Returns
    -------
    pandas.DataFrame
        Index = region code; ``y``, ``w`` (1.0 when unweighted), ``nama``, ``kab_kode``,
        ``kab_nama``, ``jenis`` (kabupaten/kota) and ``wilayah`` (madura/mainland).
    """
    frame = values.set_index("region_code")[["value"]].rename(columns={"value": "y"})
    if weights is not None:
        frame["w"] = weights.set_index("region_code")["value"].reindex(frame.index)
    else:
        frame["w"] = 1.0
    frame = frame.dropna()
    reg = regions.assign(kode=regions["kode"].astype(str)).set_index("kode")
    frame["nama"] = reg["nama"].reindex(frame.index)
    if level == "kecamatan":
        frame["kab_kode"] = reg["kab_kode"].astype(str).reindex(frame.index)
    else:
        frame["kab_kode"] = frame.index
    kab = kabupaten.assign(kode=kabupaten["kode"].astype(str)).set_index("kode")
    frame["kab_nama"] = kab["nama"].reindex(frame["kab_kode"]).to_numpy()
    frame["jenis"] = kab["jenis"].reindex(frame["kab_kode"]).to_numpy()
    frame["wilayah"] = np.where(frame["kab_kode"].isin(MADURA), "madura", "mainland")
    return frame


def frame_decomposition(
    frame: pd.DataFrame, grouping: str, level: str, weighted: bool, kind: str = "T"
) -> ineq.TheilDecomposition:
    """Theil decomposition of ``frame`` (from :func:`assemble_inputs`).

    At kecamatan level the user grouping (``jenis`` or ``wilayah``) and the kabupaten are
    nested (coarse to fine), so each kabupaten's contribution is reported; with
    ``grouping="kab_kode"`` only the kabupaten grouping is used.
    """
    w = frame["w"].to_numpy() if weighted else None
    if level == "kecamatan" and grouping != "kab_kode":
        groups = {grouping: frame[grouping].to_numpy(), "kab_kode": frame["kab_kode"].to_numpy()}
    else:
        groups = {grouping: frame[grouping].to_numpy()}
    return ineq.theil_decomposition(frame["y"].to_numpy(), w, groups, kind=kind)


@versioned
def population_year(level: str, year: int) -> int | None:
    """The population year used as weights for ``year``: the nearest year with a real
    (not illustrative) population at ``level`` — at kecamatan level the 2010 census — else
    the nearest year of any population. Real values are never weighted by generated ones."""
    years = data.years(level, "penduduk")
    real = [y for y in years if not data.values(level, "penduduk", y)["illustrative"].any()]
    return periods.nearest_year(real or years, int(year))


def population_basis(level: str, year: int | None) -> str:
    """The basis of the population of ``level`` in ``year`` (the weights' basis): an i18n key
    suffix of ``common.population_basis``.

    One basis per year, never chained silently: the census 2010 (SP2010); BPS projections on
    the SP2010 basis (2016-2019) and on the SP2020 basis (2020-2021); the Dukcapil register
    (2024, Kemendagri); at kecamatan level every year but 2010 is illustrative.

    Examples
    --------
    >>> population_basis("kabupaten", 2018), population_basis("kecamatan", 2018)
    ('projection_sp2010', 'illustrative')
    """
    if year is None:
        return ""
    year = int(year)
    if year == 2010:
        return "census2010"
    if level == "kecamatan":
        return "illustrative"
    if year >= 2024:
        return "register"
    return "projection_sp2020" if year >= 2020 else "projection_sp2010"


def weights_illustrative(level: str, year: int) -> bool:
    """Whether the population weights used for ``year`` are illustrative values (an index
    weighted by them is badged like an illustrative value)."""
    pop_year = population_year(level, int(year))
    if pop_year is None:
        return False
    return bool(data.values(level, "penduduk", pop_year)["illustrative"].any())


@versioned
def inputs(level: str, indicator: str, year: int, weighted: bool) -> pd.DataFrame:
    """:func:`assemble_inputs` for one indicator and year (weights: population)."""
    values = data.values(level, indicator, int(year))
    weights = None
    if weighted:
        pop_year = population_year(level, int(year))
        weights = data.values(level, "penduduk", pop_year) if pop_year else None
    return assemble_inputs(
        values, weights, data.regions_table(level), data.regions_table("kabupaten"), level
    )


@versioned
def indices(level: str, indicator: str, year: int, weighted: bool) -> pd.DataFrame:
    """:func:`index_table` with bootstrap intervals (the page's heaviest step, cached)."""
    frame = inputs(level, indicator, year, weighted)
    return index_table(frame["y"], frame["w"] if weighted else None)


@versioned
def lorenz_curve(level: str, indicator: str, year: int, weighted: bool) -> pd.DataFrame:
    """:func:`analysis.lorenz.lorenz_points` of the page's inputs (population-weighted or not)."""
    frame = inputs(level, indicator, year, weighted)
    return lorenz.lorenz_points(frame["y"], frame["w"] if weighted else None)


@versioned
def decomposition(
    level: str, indicator: str, year: int, weighted: bool, grouping: str, kind: str
) -> dict:
    """Theil decomposition as plain frames (``levels``, ``contributions``) and the
    permutation test of the chosen grouping's between-group share
    (:func:`analysis.inequality.between_share_test`, :data:`PERMUTATIONS` relabellings):
    ``p_value`` and ``tested_share`` (the share of that single grouping).

    ``contributions`` has a ``group`` column (the finest group: a kabupaten code at kecamatan
    level, else the ``jenis`` or ``wilayah`` value) and ``nama``, the kabupaten's raw name
    when the group is a kabupaten code (else missing)."""
    frame = inputs(level, indicator, year, weighted)
    d = frame_decomposition(frame, grouping, level, weighted, kind)
    try:
        test = ineq.between_share_test(
            frame["y"].to_numpy(),
            frame["w"].to_numpy() if weighted else None,
            frame[grouping].to_numpy(),
            kind,
            permutations=PERMUTATIONS,
            seed=SEED,
        )
        p_value, tested_share = test.p_value, test.between_share
    except ValueError:
        p_value, tested_share = None, None
    contributions = d.contributions.reset_index().rename(
        columns={d.contributions.index.name or "index": "group"}
    )
    kab = data.regions_table("kabupaten")
    names = dict(zip(kab["kode"].astype(str), kab["nama"], strict=True))
    contributions["nama"] = [names.get(str(g)) for g in contributions["group"]]
    return {
        "p_value": p_value,
        "tested_share": tested_share,
        "total": d.total,
        "between": d.between,
        "within": d.within,
        "between_share": d.between_share,
        "levels": d.levels.reset_index(),
        "contributions": contributions,
    }


@versioned
def sigma(level: str, indicator: str, weighted: bool) -> dict:
    """Sigma convergence (:func:`analysis.convergence.sigma_convergence`) of three indices.

    Regions with a value in every year are used (a balanced panel), weighted by each
    year's population when ``weighted``.

    Returns
    -------
    dict
        ``series`` (frame: ``year`` and one column per index key ``cv``, ``gini``,
        ``theil_t``; ``cv`` is the Williamson index when weighted) and ``trends``
        ({key: {"slope", "p", "converging"}}); empty with fewer than two years.
    """
    years = data.years(level, indicator)
    frames = {y: inputs(level, indicator, y, weighted) for y in years}
    frames = {y: f for y, f in frames.items() if len(f)}
    if len(frames) < 2:
        return {"series": pd.DataFrame(columns=["year", "cv", "gini", "theil_t"]), "trends": {}}
    common = sorted(set.intersection(*(set(f.index) for f in frames.values())))
    table = pd.DataFrame({y: f.loc[common, "y"] for y, f in frames.items()})
    weights = pd.DataFrame({y: f.loc[common, "w"] for y, f in frames.items()}) if weighted else None
    series = pd.DataFrame({"year": [int(y) for y in table.columns]})
    trends = {}
    for key, index in (
        ("cv", "williamson" if weighted else "cv"),
        ("gini", "gini"),
        ("theil_t", "theil_t"),
    ):
        try:
            result = convergence.sigma_convergence(table, weights, index=index)
        except ValueError:
            continue
        series[key] = result.values.to_numpy()
        trends[key] = {"slope": result.slope, "p": result.p_value, "converging": result.converging}
    return {"series": series, "trends": trends}


def _paired(level: str, indicator: str, start: int, end: int, weighted: bool) -> pd.DataFrame:
    """Regions with a positive value in both years: ``y0``, ``y1``, ``w0``, ``nama``."""
    f0 = inputs(level, indicator, int(start), weighted)
    f1 = inputs(level, indicator, int(end), weighted)
    both = pd.DataFrame({"y0": f0["y"], "y1": f1["y"], "w0": f0["w"], "w1": f1["w"]}).dropna()
    both = both[(both["y0"] > 0) & (both["y1"] > 0)]
    both["nama"] = f1["nama"].reindex(both.index)
    both["kab_nama"] = f1["kab_nama"].reindex(both.index)
    return both


@versioned
def beta(level: str, indicator: str, start: int, end: int, weighted: bool) -> dict | None:
    """Beta convergence (:func:`analysis.convergence.beta_convergence`) between two years.

    Returns None when fewer than three regions have positive values in both years, else the
    result's numbers, ``x`` (log initial level) and ``growth`` per region, and the regions'
    raw ``nama`` and ``kab_nama`` in the same order.
    """
    both = _paired(level, indicator, start, end, weighted)
    if len(both) < 3 or int(end) <= int(start):
        return None
    try:
        r = convergence.beta_convergence(
            both["y0"],
            both["y1"],
            years=int(end) - int(start),
            w=both["w0"] if weighted else None,
        )
    except ValueError:
        return None
    return {
        "beta": r.beta,
        "intercept": r.intercept,
        "se": r.se,
        "p": r.p_value,
        "r2": r.r2,
        "n": r.n,
        "speed": r.speed,
        "half_life": r.half_life,
        "converging": r.converging,
        "x": np.asarray(r.x),
        "growth": np.asarray(r.growth),
        "nama": both["nama"].tolist(),
        "kab_nama": both["kab_nama"].tolist(),
    }


#: The Klassen typology's series (Klaassen 1965; Sjafrizal 2008): growth of real GRDP (not
#: per capita) and GRDP per capita, both at constant 2010 prices.
GROWTH, GDP, PER_CAPITA = "pertumbuhan_ekonomi", "pdrb_adhk", "pdrb_per_kapita"

#: Years of growth averaged by default (the literature's five-year period).
KLASSEN_YEARS = 5


def _wide(level: str, indicator: str) -> pd.DataFrame:
    if indicator not in data.indicators_for(level):
        return pd.DataFrame()
    v = data.values(level, indicator)
    return v.pivot(index="region_code", columns="year", values="value")


@versioned
def grdp_growth(level: str) -> pd.DataFrame:
    """Yearly real GRDP growth (%) per region (rows) and year (columns): the store's growth
    series where it has one (BPS's published kabupaten growth, else computed by the
    pipeline), else the year-on-year change of ``pdrb_adhk`` between consecutive years."""
    gdp = _wide(level, GDP).sort_index(axis=1)
    computed = pd.DataFrame(index=gdp.index)
    for y0, y1 in zip(gdp.columns[:-1], gdp.columns[1:], strict=True):
        if y1 == y0 + 1:
            computed[y1] = (gdp[y1] / gdp[y0] - 1.0) * 100.0
    stored = _wide(level, GROWTH)
    if stored.empty:
        return computed
    return stored.combine_first(computed).sort_index(axis=1)


def klassen_years(level: str) -> list[int]:
    """The years with a GRDP growth rate for at least three regions at ``level``."""
    g = grdp_growth(level)
    return [int(y) for y in g.columns if g[y].notna().sum() >= 3]


def default_klassen_period(years: list[int]) -> tuple[int, int]:
    """The last :data:`KLASSEN_YEARS` growth years (all of them when fewer).

    Examples
    --------
    >>> default_klassen_period(list(range(2011, 2025)))
    (2020, 2024)
    """
    return years[max(0, len(years) - KLASSEN_YEARS)], years[-1]


def _references(years: list[int], reference: str) -> dict:
    """The province's growth (published by BPS, or computed here) and per capita references."""
    pub = data_province.published_growth()
    missing = [y for y in years if y not in pub.index]
    computed = _wide("provinsi", GROWTH)
    comp = computed.reindex(columns=years).iloc[0] if not computed.empty else pd.Series()
    use_published = reference == "published" and not missing
    growth_ref = float(pub.reindex(years).mean()) if use_published else float(comp.mean())
    pc = _wide("provinsi", PER_CAPITA)
    level_ref = float(pc.reindex(columns=years).iloc[0].mean()) if not pc.empty else np.nan
    return {
        "growth_ref": growth_ref,
        "level_ref": level_ref,
        "growth_basis": "published" if use_published else "computed",
        "published_missing": missing,
        "published_notes": sorted({data_province.published_growth_note(y) for y in years} - {""}),
    }


def _klassen_years(level: str, years: list[int], reference: str):
    growth = typology.mean_growth(grdp_growth(level), years)
    per_capita = _wide(level, PER_CAPITA).reindex(columns=years).dropna().mean(axis=1)
    codes = growth.index.intersection(per_capita.index)
    if len(codes) < 3:
        return None, None
    refs = _references(years, reference)
    if not np.isfinite(refs["growth_ref"]) or not np.isfinite(refs["level_ref"]):
        return None, None
    result = typology.klassen(
        growth[codes], per_capita[codes], growth_ref=refs["growth_ref"], level_ref=refs["level_ref"]
    )
    names = data.regions_table(level).assign(kode=lambda d: d["kode"].astype(str))
    names = names.set_index("kode").reindex(codes)
    kab = names["kab_nama"] if "kab_nama" in names.columns else pd.Series("", index=codes)
    frame = pd.DataFrame(
        {
            "level": per_capita[codes],
            "growth": growth[codes],
            "quadrant": result.quadrant,
            "nama": names["nama"],
            "kab_nama": kab,
        }
    )
    return frame, refs


def _klassen_illustrative(level: str, years: list[int]) -> bool:
    return any(
        bool(data.values(level, ind, y)["illustrative"].any())
        for ind in (GDP, PER_CAPITA)
        if ind in data.indicators_for(level)
        for y in years
    )


@versioned
def klassen(level: str, start: int, end: int, reference: str = "published") -> dict | None:
    """Klassen typology of the regions over the growth years ``start``..``end``.

    Growth = the region's real GRDP growth averaged over the period
    (:func:`analysis.typology.mean_growth`); level = its GRDP per capita (constant 2010
    prices) averaged over the same years. References: ``reference="published"`` takes BPS's
    published growth of the province averaged over the same years (when every year has
    one; else the computed one, and ``published_missing`` lists the years lacking),
    ``"computed"`` the growth of the summed GRDP of the 38 kabupaten/kota; the per-capita
    reference is the province's computed per capita (the reference table holds no
    constant-price per capita).

    Returns None with fewer than three regions, else ``frame`` (index = region code;
    ``level``, ``growth``, ``quadrant``, raw ``nama`` and ``kab_nama``), ``growth_ref``,
    ``level_ref``, ``growth_basis`` (``published``/``computed``), ``published_missing``,
    ``published_notes`` (what each published growth is), ``years``, ``illustrative`` and
    ``transitions`` (None, or the quadrant ``matrix`` between the period's two halves with
    ``share_stayed``, ``n`` and the growth years ``start``–``mid`` and ``next``–``end`` of
    the halves).
    """
    years = [y for y in klassen_years(level) if int(start) <= y <= int(end)]
    if not years:
        return None
    frame, refs = _klassen_years(level, years, reference)
    if frame is None:
        return None
    out = {
        "frame": frame, **refs, "years": years, "province": True, "transitions": None,
        "illustrative": _klassen_illustrative(level, years),
    }
    half = len(years) // 2
    if half >= 1 and len(years) - half >= 1 and len(years) >= 2:
        first, _ = _klassen_years(level, years[:half], reference)
        second, _ = _klassen_years(level, years[half:], reference)
        if first is not None and second is not None:
            tr = typology.klassen_transitions(first["quadrant"], second["quadrant"])
            out["transitions"] = {
                "matrix": tr.matrix,
                "share_stayed": tr.share_stayed,
                "n": tr.n,
                "start": years[0],
                "mid": years[half - 1],
                "next": years[half],
                "end": years[-1],
            }
    return out


@versioned
def moran(level: str, indicator: str, year: int) -> dict | None:
    """Global Moran's I of the indicator (queen contiguity, islands → nearest), cached.

    Returns None when fewer than three regions have a value or every value is equal; else
    the statistics and ``scatter`` (index = region code; standardised value ``z``, its
    spatial ``lag``, raw ``nama`` and ``kab_nama``: the Moran scatter).
    """
    values = data.values(level, indicator, int(year)).set_index("region_code")["value"]
    if values.nunique() < 2 or len(values) < 3:
        return None
    weights = data.contiguity_weights(level, tuple(values.index))
    result = spatial.moran(values, weights, permutations=PERMUTATIONS, seed=SEED)
    scatter = spatial.moran_scatter(values, weights)
    names = data.regions_table(level).assign(kode=lambda d: d["kode"].astype(str))
    names = names.set_index("kode").reindex(scatter.index)
    scatter["nama"] = names["nama"]
    scatter["kab_nama"] = names["kab_nama"] if "kab_nama" in names.columns else ""
    return {
        "scatter": scatter,
        "I": result.I,
        "EI": result.EI,
        "z": result.z_sim,
        "p": result.p_sim,
        "n": result.n,
        "islands": len(weights.islands),
    }
