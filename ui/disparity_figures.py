"""Plotly figures of the Ketimpangan (disparity) page, with every text passed in.

Pure functions: numbers, labels and titles in, a figure out (no translation, no data access).
:mod:`ui.disparity` supplies the page's labels and calls these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go


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


#: Colours of the four Klassen quadrants, by quadrant number 1..4: Okabe–Ito blue, sky blue,
#: orange, vermillion (the red/green pair merged under deuteranopia; these stay ≥ 15 ΔE apart
#: in CAM02-UCS under each simulated colour-vision deficiency, tests/ui/test_palettes.py).
KLASSEN_COLOURS = {1: "#0072B2", 2: "#56B4E9", 3: "#E69F00", 4: "#D55E00"}


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
    """Klassen quadrant scatter: level on x, growth on y, reference lines at the province;
    each point carries its region code (the frame's index) as ``customdata``.

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
                customdata=[[str(code)] for code in sub.index],
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


def shares_figure(
    parts: pd.DataFrame,
    *,
    labels: Sequence[str],
    x_title: str = "",
    interval_name: str = "",
    separators: str = ",.",
) -> go.Figure:
    """One horizontal bar per part of a decomposition, its share of the total (%), and its
    interval as a segment from its low to its high bound (drawn apart from the bar: a
    bias-corrected interval need not contain the estimate). ``parts`` has ``share``,
    ``share_low`` and ``share_high`` (0-1), in display order from the top."""
    share = (100 * parts["share"].to_numpy()).tolist()
    low = (100 * parts["share_low"].to_numpy()).tolist()
    high = (100 * parts["share_high"].to_numpy()).tolist()
    labels = list(labels)
    seg_x, seg_y = [], []
    for lab, lo, hi in zip(labels, low, high, strict=True):
        seg_x += [lo, hi, None]
        seg_y += [lab, lab, None]
    fig = go.Figure(
        [
            go.Bar(
                x=share,
                y=labels,
                orientation="h",
                marker_color="#56B4E9",
                customdata=np.column_stack([low, high]).tolist(),
                hovertemplate="%{y}: %{x:.1f}% [%{customdata[0]:.1f}% ; %{customdata[1]:.1f}%]"
                "<extra></extra>",
                showlegend=False,
            ),
            go.Scatter(
                x=seg_x,
                y=seg_y,
                mode="lines+markers",
                name=interval_name,
                line={"color": "#000", "width": 2},
                marker={"symbol": "line-ns-open", "size": 12, "color": "#000"},
                hoverinfo="skip",
            ),
        ]
    )
    fig.update_layout(
        xaxis={"title": x_title, "rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
        height=260,
        legend={"orientation": "h", "y": -0.35},
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        separators=separators,
    )
    return fig
