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


# --------------------------------------------------------------------------- cached
# Keyed by (level, indicator, year, ...): changing page and coming back, or changing a
# display option, costs no recomputation.


def sigma_trend(sigma: dict, column: str) -> dict | None:
    """The trend of one index from :func:`cached_sigma` (None without a test)."""
    trend = sigma.get("trends", {}).get(column)
    if trend is None or trend["p"] is None:
        return None
    return trend


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


