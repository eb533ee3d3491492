"""Builders for the Ketimpangan (disparity) page: tables and Plotly figures.

The numbers come from :mod:`analysis` (inequality, convergence, typology, spatial); this
module arranges them into display tables and figures (pure functions: data in, frame or
figure out). The heavy computations the page needs (bootstrap intervals, permutations)
are wrapped in ``st.cache_data`` in the ``cached_*`` functions at the end of the module,
so that changing page and coming back costs no recomputation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.data import versioned
from ui.text import display_name


def lorenz_points(y: Sequence[float], w: Sequence[float] | None = None) -> pd.DataFrame:
    """Points of the (population-weighted) Lorenz curve.

    Parameters
    ----------
    y : array-like
        Per-capita (or per-unit) value of each region, non-negative.
    w : array-like, optional
        Weight (population) of each region; equal weights when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``pop_share`` and ``value_share`` from (0, 0) to (1, 1), regions sorted by
        ``y`` ascending.

    Notes
    -----
    With regions sorted by yᵢ, the curve joins (Σ_{j≤i} wⱼ / Σw, Σ_{j≤i} wⱼyⱼ / Σ wy).
    Twice the area between it and the diagonal is the (weighted) Gini index.

    Examples
    --------
    >>> lorenz_points([1, 3]).round(3).values.tolist()
    [[0.0, 0.0], [0.5, 0.25], [1.0, 1.0]]
    """
    y = np.asarray(y, dtype=float)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=float)
    keep = np.isfinite(y) & np.isfinite(w)
    y, w = y[keep], w[keep]
    order = np.argsort(y, kind="stable")
    y, w = y[order], w[order]
    pop = np.concatenate([[0.0], np.cumsum(w) / w.sum()])
    val = np.concatenate([[0.0], np.cumsum(w * y) / (w * y).sum()])
    return pd.DataFrame({"pop_share": pop, "value_share": val})


def lorenz_gini(points: pd.DataFrame) -> float:
    """Gini index from Lorenz points (1 − 2 × area under the curve, trapezoids).

    Examples
    --------
    >>> round(lorenz_gini(lorenz_points([0, 0, 0, 1])), 6)
    0.75
    """
    x = points["pop_share"].to_numpy()
    v = points["value_share"].to_numpy()
    area = float(np.sum((x[1:] - x[:-1]) * (v[1:] + v[:-1]) / 2))
    return 1 - 2 * area


def lorenz_figure(
    curves: Mapping[str, pd.DataFrame],
    *,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    equality_label: str = "",
    separators: str = ",.",
) -> go.Figure:
    """Lorenz curve(s) with the line of equality.

    Parameters
    ----------
    curves : mapping
        Legend label → output of :func:`lorenz_points`.
    """
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name=equality_label,
            line={"dash": "dash", "color": "#888"},
            hoverinfo="skip",
        )
    )
    for label, pts in curves.items():
        fig.add_trace(
            go.Scatter(
                x=pts["pop_share"].tolist(),
                y=pts["value_share"].tolist(),
                mode="lines",
                name=label,
                hovertemplate="%{x:.1%} → %{y:.1%}<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        xaxis={"title": x_title, "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": y_title, "tickformat": ".0%", "range": [0, 1], "scaleanchor": "x"},
        height=460,
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        separators=separators,
    )
    return fig


def contributions_figure(
    contributions: pd.DataFrame,
    *,
    label_col: str = "label",
    value_col: str = "contribution",
    title: str = "",
    x_title: str = "",
    separators: str = ",.",
) -> go.Figure:
    """Horizontal bars of each group's contribution to the within-group Theil component."""
    frame = contributions.sort_values(value_col, ascending=True)
    fig = go.Figure(
        go.Bar(
            x=frame[value_col].tolist(),
            y=frame[label_col].tolist(),
            orientation="h",
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        height=max(300, 60 + 18 * len(frame)),
        margin={"l": 10, "r": 10, "t": 50, "b": 30},
        separators=separators,
    )
    return fig


def sigma_figure(
    series: pd.DataFrame,
    *,
    x_col: str = "year",
    y_cols: Sequence[str] = ("value",),
    names: Mapping[str, str] | None = None,
    title: str = "",
    y_title: str = "",
    separators: str = ",.",
) -> go.Figure:
    """Index of dispersion over the years (sigma convergence), one line per index."""
    fig = go.Figure()
    for col in y_cols:
        fig.add_trace(
            go.Scatter(
                x=[int(v) for v in series[x_col]],
                y=series[col].tolist(),
                mode="lines+markers",
                name=(names or {}).get(col, col),
            )
        )
    fig.update_layout(
        title=title,
        yaxis_title=y_title,
        xaxis={"dtick": 1, "tickformat": "d"},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        separators=separators,
    )
    return fig


def beta_figure(
    x: Sequence[float],
    growth: Sequence[float],
    labels: Sequence[str],
    *,
    intercept: float,
    slope: float,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    fit_label: str = "",
    separators: str = ",.",
) -> go.Figure:
    """Scatter of growth on log initial level with the fitted line (beta convergence)."""
    x = np.asarray(x, dtype=float)
    growth = np.asarray(growth, dtype=float)
    fig = go.Figure(
        go.Scatter(
            x=x.tolist(),
            y=growth.tolist(),
            mode="markers",
            text=list(labels),
            hovertemplate="%{text}<br>%{x:.3f}, %{y:.4f}<extra></extra>",
            name="",
            showlegend=False,
            marker={"size": 7, "opacity": 0.75},
        )
    )
    finite = x[np.isfinite(x)]
    if finite.size:
        xs = np.array([finite.min(), finite.max()])
        fig.add_trace(
            go.Scatter(
                x=xs.tolist(),
                y=(intercept + slope * xs).tolist(),
                mode="lines",
                name=fit_label,
                line={"color": "#d62728"},
            )
        )
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        separators=separators,
    )
    return fig


#: Colours of the four Klassen quadrants, by quadrant number 1..4.
KLASSEN_COLOURS = {1: "#1a9641", 2: "#a6d96a", 3: "#fdae61", 4: "#d7191c"}


def klassen_scatter(
    frame: pd.DataFrame,
    *,
    x_col: str,
    y_col: str,
    quadrant_col: str,
    label_col: str,
    quadrant_names: Mapping[int, str],
    x_ref: float,
    y_ref: float,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    separators: str = ",.",
) -> go.Figure:
    """Klassen quadrant scatter: level on x, growth on y, reference lines at the province.

    The level axis is logarithmic when every level is positive and the largest is more
    than 20 times the smallest (GRDP per capita: a few city kecamatan would otherwise
    squeeze the rest against the axis).
    """
    fig = go.Figure()
    for quadrant in sorted(quadrant_names):
        sub = frame[frame[quadrant_col] == quadrant]
        fig.add_trace(
            go.Scatter(
                x=sub[x_col].tolist(),
                y=sub[y_col].tolist(),
                mode="markers",
                name=quadrant_names[quadrant],
                text=sub[label_col].tolist(),
                marker={"color": KLASSEN_COLOURS.get(quadrant, "#777"), "size": 8},
                hovertemplate="%{text}<br>%{x:,.2f}; %{y:.2f}<extra></extra>",
            )
        )
    fig.add_vline(x=x_ref, line_dash="dash", line_color="#555")
    fig.add_hline(y=y_ref, line_dash="dash", line_color="#555")
    levels = pd.to_numeric(frame[x_col], errors="coerce").dropna()
    log_x = bool(len(levels)) and levels.min() > 0 and levels.max() / levels.min() > 20
    fig.update_layout(
        title=title,
        xaxis={"title": x_title, "type": "log" if log_x else "linear"},
        yaxis={"title": y_title, "domain": [0, 0.92]},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        separators=separators,
    )
    return fig


def klassen_map(
    codes: Sequence[str],
    quadrants: Sequence[int],
    hover: Sequence[str],
    quadrant_names: Mapping[int, str],
    *,
    geojson: str | dict,
    title: str = "",
) -> go.Figure:
    """Choropleth of the Klassen quadrants (discrete colours, one trace per quadrant).

    ``geojson`` is the static URL of the display layer (``app/static/...``), so the
    polygons travel to the browser once, or a GeoJSON dict in tests.
    """
    fig = go.Figure()
    codes = list(codes)
    quadrants = list(quadrants)
    hover = list(hover)
    for quadrant in sorted(quadrant_names):
        idx = [i for i, q in enumerate(quadrants) if q == quadrant]
        if not idx:
            continue
        colour = KLASSEN_COLOURS.get(quadrant, "#777")
        fig.add_trace(
            go.Choropleth(
                geojson=geojson,
                featureidkey="id",
                locations=[codes[i] for i in idx],
                z=[quadrant] * len(idx),
                text=[hover[i] for i in idx],
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                name=quadrant_names[quadrant],
                showlegend=True,
                hovertemplate="%{text}<extra>" + quadrant_names[quadrant] + "</extra>",
                marker={"line": {"width": 0.3, "color": "#fff"}},
            )
        )
    fig.update_geos(fitbounds="locations", visible=False, projection={"type": "mercator"})
    fig.update_layout(
        title=title,
        height=520,
        legend={"orientation": "h", "y": -0.05},
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
    )
    return fig


def transition_table(before: pd.Series, after: pd.Series, names: Mapping[int, str]) -> pd.DataFrame:
    """Counts of regions moving from one Klassen quadrant to another between two periods.

    Parameters
    ----------
    before, after : pandas.Series
        Quadrant (1–4) per region code for the first and second period.
    names : mapping
        Quadrant number → label.

    Returns
    -------
    pandas.DataFrame
        Rows = quadrant in the first period, columns = quadrant in the second, counts
        (regions present in both periods only), with every quadrant shown.

    Examples
    --------
    >>> b = pd.Series({"a": 1, "b": 2, "c": 2}); a = pd.Series({"a": 1, "b": 1, "c": 2})
    >>> transition_table(b, a, {1: "I", 2: "II"}).values.tolist()
    [[1, 0], [1, 1]]
    """
    both = pd.concat({"before": before, "after": after}, axis=1).dropna()
    table = pd.crosstab(both["before"].astype(int), both["after"].astype(int))
    order = sorted(names)
    table = table.reindex(index=order, columns=order, fill_value=0).astype(int)
    table.index = [names[q] for q in order]
    table.columns = [names[q] for q in order]
    return table


# --------------------------------------------------------------------------- computations

#: Indices of the table, in display order: (key, analysis.inequality name, needs weights).
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

N_BOOT = 1000
SEED = 20240601


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
    """
    from analysis import inequality as ineq

    y = np.asarray(y, dtype=float)
    w = None if w is None else np.asarray(w, dtype=float)
    rows = {}
    for key, name in INDICES:
        if name == "williamson" and w is None:
            continue
        try:
            if name == "max_min_ratio":
                ci = ineq.bootstrap_ci(ineq.max_min_ratio, y, None, n_boot=n_boot, seed=seed)
            elif (
                name == "coefficient_of_variation"
            ):  # always unweighted: Williamson is the weighted one
                ci = ineq.bootstrap_ci(name, y, None, n_boot=n_boot, seed=seed)
            elif name == "atkinson":
                ci = ineq.bootstrap_ci("atkinson", y, w, n_boot=n_boot, seed=seed, epsilon=0.5)
            else:
                ci = ineq.bootstrap_ci(name, y, w, n_boot=n_boot, seed=seed)
            rows[key] = {"estimate": ci.estimate, "low": ci.low, "high": ci.high, "note": ""}
        except ValueError as exc:
            estimate = np.nan
            try:  # the point estimate may exist even when some replicates are undefined
                fn = getattr(ineq, name)
                unweighted = name in ("max_min_ratio", "coefficient_of_variation")
                estimate = (
                    fn(y) if unweighted else (fn(y, w) if name == "williamson" else fn(y, w=w))
                )
            except ValueError:
                pass
            rows[key] = {"estimate": estimate, "low": np.nan, "high": np.nan, "note": str(exc)}
    return pd.DataFrame.from_dict(rows, orient="index")


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


def decomposition(frame: pd.DataFrame, grouping: str, level: str, weighted: bool, kind: str = "T"):
    """Theil decomposition of ``frame`` (from :func:`assemble_inputs`).

    At kecamatan level the user grouping (``jenis`` or ``wilayah``) and the kabupaten are
    nested (coarse to fine), so each kabupaten's contribution is reported; with
    ``grouping="kab_kode"`` only the kabupaten grouping is used.
    """
    from analysis import inequality as ineq

    w = frame["w"].to_numpy() if weighted else None
    if level == "kecamatan" and grouping != "kab_kode":
        groups = {grouping: frame[grouping].to_numpy(), "kab_kode": frame["kab_kode"].to_numpy()}
    else:
        groups = {grouping: frame[grouping].to_numpy()}
    return ineq.theil_decomposition(frame["y"].to_numpy(), w, groups, kind=kind)


# --------------------------------------------------------------------------- cached
# Keyed by (level, indicator, year, ...): changing page and coming back, or changing a
# display option, costs no recomputation.


@versioned
def population_year(level: str, year: int) -> int | None:
    """The population year used as weights for ``year`` (same year, else nearest)."""
    from ui import data

    years = data.years(level, "penduduk")
    if not years:
        return None
    return min(years, key=lambda y: (abs(y - int(year)), -y))


@versioned
def cached_inputs(level: str, indicator: str, year: int, weighted: bool) -> pd.DataFrame:
    """:func:`assemble_inputs` for one indicator and year (weights: population)."""
    from ui import data

    values = data.values(level, indicator, int(year))
    weights = None
    if weighted:
        pop_year = population_year(level, int(year))
        weights = data.values(level, "penduduk", pop_year) if pop_year else None
    return assemble_inputs(
        values, weights, data.regions_table(level), data.regions_table("kabupaten"), level
    )


@versioned
def cached_indices(level: str, indicator: str, year: int, weighted: bool) -> pd.DataFrame:
    """:func:`index_table` with bootstrap intervals (the page's heaviest step, cached)."""
    frame = cached_inputs(level, indicator, year, weighted)
    return index_table(frame["y"], frame["w"] if weighted else None)


@versioned
def cached_decomposition(
    level: str, indicator: str, year: int, weighted: bool, grouping: str, kind: str
) -> dict:
    """Theil decomposition as plain frames (``levels``, ``contributions``) and the
    permutation test of the chosen grouping's between-group share
    (:func:`analysis.inequality.between_share_test`, :data:`PERMUTATIONS` relabellings):
    ``p_value`` and ``tested_share`` (the share of that single grouping)."""
    from analysis import inequality as ineq

    frame = cached_inputs(level, indicator, year, weighted)
    d = decomposition(frame, grouping, level, weighted, kind)
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
    return {
        "p_value": p_value,
        "tested_share": tested_share,
        "total": d.total,
        "between": d.between,
        "within": d.within,
        "between_share": d.between_share,
        "levels": d.levels.reset_index(),
        "contributions": d.contributions.reset_index().rename(
            columns={d.contributions.index.name or "index": "group"}
        ),
    }


@versioned
def cached_sigma(level: str, indicator: str, weighted: bool) -> dict:
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
    from analysis import convergence
    from ui import data

    years = data.years(level, indicator)
    frames = {y: cached_inputs(level, indicator, y, weighted) for y in years}
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


def sigma_trend(sigma: dict, column: str) -> dict | None:
    """The trend of one index from :func:`cached_sigma` (None without a test)."""
    trend = sigma.get("trends", {}).get(column)
    if trend is None or trend["p"] is None:
        return None
    return trend


def _paired(level: str, indicator: str, start: int, end: int, weighted: bool) -> pd.DataFrame:
    """Regions with a positive value in both years: ``y0``, ``y1``, ``w0``, ``nama``."""
    f0 = cached_inputs(level, indicator, int(start), weighted)
    f1 = cached_inputs(level, indicator, int(end), weighted)
    both = pd.DataFrame({"y0": f0["y"], "y1": f1["y"], "w0": f0["w"], "w1": f1["w"]}).dropna()
    both = both[(both["y0"] > 0) & (both["y1"] > 0)]
    both["nama"] = f1["nama"].reindex(both.index)
    both["kab_nama"] = f1["kab_nama"].reindex(both.index)
    return both


@versioned
def cached_beta(level: str, indicator: str, start: int, end: int, weighted: bool) -> dict | None:
    """Beta convergence (:func:`analysis.convergence.beta_convergence`) between two years.

    Returns None when fewer than three regions have positive values in both years.
    """
    from analysis import convergence

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
        "labels": [
            _label(n, k, level) for n, k in zip(both["nama"], both["kab_nama"], strict=True)
        ],
    }


def _label(name, kab, level: str) -> str:

    if level == "kecamatan":
        return f"{display_name(name)} — {display_name(kab)}"
    return display_name(name)


def annual_growth(y0, y1, years: float):
    """Compound annual growth in percent: 100 ((y1/y0)^(1/T) − 1).

    Examples
    --------
    >>> round(float(annual_growth(100.0, 121.0, 2)), 6)
    10.0
    """
    return 100 * (
        np.power(np.asarray(y1, dtype=float) / np.asarray(y0, dtype=float), 1 / years) - 1
    )


def _province_refs(indicator: str, start: int, end: int) -> tuple[float | None, float | None]:
    from ui import data

    p0 = data.values("provinsi", indicator, int(start))
    p1 = data.values("provinsi", indicator, int(end))
    if p0.empty or p1.empty:
        return None, None
    v0, v1 = float(p0["value"].iloc[0]), float(p1["value"].iloc[0])
    if v0 <= 0 or v1 <= 0:
        return None, float(v1)
    return float(annual_growth(v0, v1, int(end) - int(start))), v1


def _klassen_period(level, indicator, start, end, weighted, lower_better):
    from analysis import typology

    both = _paired(level, indicator, start, end, weighted)
    if len(both) < 3:
        return None, None
    growth = pd.Series(
        annual_growth(both["y0"], both["y1"], int(end) - int(start)), index=both.index
    )
    level_s = both["y1"]
    growth_ref, level_ref = _province_refs(indicator, start, end)
    sign = -1.0 if lower_better else 1.0
    result = typology.klassen(
        sign * growth,
        sign * level_s,
        growth_ref=None if growth_ref is None else sign * growth_ref,
        level_ref=None if level_ref is None else sign * level_ref,
        w=both["w1"] if weighted else None,
    )
    frame = pd.DataFrame(
        {
            "level": level_s,
            "growth": growth,
            "quadrant": result.quadrant,
            "label": [
                _label(n, k, level) for n, k in zip(both["nama"], both["kab_nama"], strict=True)
            ],
        }
    )
    refs = {
        "growth_ref": sign * result.growth_ref,
        "level_ref": sign * result.level_ref,
        "province": growth_ref is not None and level_ref is not None,
    }
    return frame, refs


def middle_year(years, start: int, end: int) -> int | None:
    """The available year closest to the middle of (start, end), strictly inside.

    Examples
    --------
    >>> middle_year([2010, 2012, 2015, 2020], 2010, 2020), middle_year([2010, 2020], 2010, 2020)
    (2015, None)
    """
    inside = [int(y) for y in years if int(start) < int(y) < int(end)]
    if not inside:
        return None
    mid = (int(start) + int(end)) / 2
    return min(inside, key=lambda y: (abs(y - mid), y))


@versioned
def cached_klassen(
    level: str, indicator: str, start: int, end: int, weighted: bool, lower_better: bool
) -> dict | None:
    """Klassen typology over (start, end) and the transitions between its two halves.

    Level = value in ``end``; growth = compound annual growth (%) over the period;
    references = the province's value and growth when the store has them, else the
    (weighted) mean of the regions. For an indicator where lower is better the comparison
    is reversed (a low poverty rate falling fast is quadrant I).
    """
    from analysis import typology
    from ui import data

    frame, refs = _klassen_period(level, indicator, start, end, weighted, lower_better)
    if frame is None:
        return None
    out = {"frame": frame, **refs, "transitions": None}
    mid = middle_year(data.years(level, indicator), start, end)
    if mid is not None:
        first, _ = _klassen_period(level, indicator, start, mid, weighted, lower_better)
        second, _ = _klassen_period(level, indicator, mid, end, weighted, lower_better)
        if first is not None and second is not None:
            tr = typology.klassen_transitions(first["quadrant"], second["quadrant"])
            out["transitions"] = {
                "matrix": tr.matrix,
                "share_stayed": tr.share_stayed,
                "n": tr.n,
                "p1": f"{start}–{mid}",
                "p2": f"{mid}–{end}",
            }
    return out


def component_labels(levels: pd.DataFrame, tr, lang: str) -> pd.DataFrame:
    """Translate the component names of a (nested) decomposition.

    ``levels`` has a ``component`` column such as ``"between jenis"``,
    ``"between kab_kode within jenis"`` or ``"within kab_kode"`` (from
    :func:`analysis.inequality.theil_decomposition`); ``tr`` is :func:`ui.i18n.t`.
    """
    names = {
        "kab_kode": tr("disparity.decomp.group_kab", lang=lang),
        "jenis": tr("disparity.decomp.group_jenis", lang=lang),
        "wilayah": tr("disparity.decomp.group_wilayah", lang=lang),
    }

    def label(component: str) -> str:
        parts = component.split()
        if len(parts) == 4 and parts[0] == "between" and parts[2] == "within":
            return tr(
                "disparity.decomp.component_nested",
                lang=lang,
                a=names.get(parts[1], parts[1]),
                b=names.get(parts[3], parts[3]),
            )
        if len(parts) == 2 and parts[0] in ("between", "within"):
            return tr(
                f"disparity.decomp.component_{parts[0]}", lang=lang, a=names.get(parts[1], parts[1])
            )
        return component

    return pd.DataFrame(
        {
            "label": [label(c) for c in levels["component"]],
            "value": levels["value"].round(6),
            "share": (100 * levels["share"]).round(2),
        }
    )


def group_names(groups: pd.Series, level: str, grouping: str, tr) -> list[str]:
    """Display names of the finest groups of a decomposition (kabupaten names, or the
    translated ``jenis``/``wilayah`` labels)."""
    from ui import data

    finest = "kab_kode" if level == "kecamatan" else grouping
    if finest == "kab_kode":
        kab = data.regions_table("kabupaten")
        names = dict(zip(kab["kode"].astype(str), kab["nama"].map(display_name), strict=True))
        return [names.get(str(g), str(g)) for g in groups]
    return [tr(f"disparity.decomp.{finest}_{g}") for g in groups]


#: Permutations of the Moran's I test.
PERMUTATIONS = 999


@versioned
def cached_moran(level: str, indicator: str, year: int) -> dict | None:
    """Global Moran's I of the indicator (queen contiguity, islands → nearest), cached.

    Returns None when fewer than three regions have a value or every value is equal.
    """
    from analysis import spatial
    from ui import data

    values = data.values(level, indicator, int(year)).set_index("region_code")["value"]
    if values.nunique() < 2 or len(values) < 3:
        return None
    regions = data.regions_table(level).assign(kode=lambda d: d["kode"].astype(str))
    regions = regions.set_index("kode").reindex(values.index)
    coords = regions[["rep_lon", "rep_lat"]].to_numpy() if "rep_lon" in regions.columns else None
    weights = spatial.weights_from_neighbours(
        data.neighbours(level), ids=list(values.index), coords=coords, k_islands=1
    )
    result = spatial.moran(values, weights, permutations=PERMUTATIONS, seed=SEED)
    return {
        "I": result.I,
        "EI": result.EI,
        "z": result.z_sim,
        "p": result.p_sim,
        "n": result.n,
        "islands": len(weights.islands),
    }
