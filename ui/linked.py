"""Linked views of the Ketimpangan page (GeoDa-style brushing).

A box, lasso or click in the Klassen or Moran scatter selects regions; the map beside it
outlines the same regions, and a selection on the map highlights them in the scatter. The
page keeps the selection in session state and the URL (:data:`ui.state.BRUSHED`, ``brush=``)
and redraws both charts from it on every rerun; a selection made in either chart arrives as
Streamlit's selection state and is read by :func:`codes_from_selection`.

Pure functions: figures, frames and region codes in, figures and texts out. Colour is never
the only cue: selected points are larger with a thick dark outline, the others dimmed;
selected regions get a thick outline on the map, the others dimmed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from i18n import translate
from i18n.numbers import d3_format, format_number, plotly_separators
from ui import maps, mapview

#: What a person may do in the linked charts (``st.plotly_chart(selection_mode=...)``).
SELECTION_MODES = ("points", "box", "lasso")
#: Marker size and outline width of a point, and of a selected point.
POINT_SIZE, SELECTED_SIZE = 8, 14
POINT_LINE, SELECTED_LINE = 0.5, 2.5
SELECTED_LINE_COLOR = "#111111"
#: Opacity of the points and regions outside a selection (1 when nothing is selected).
DIMMED = 0.3
#: Names listed in the selection caption before "and n more".
NAMES_SHOWN = 12


def _code(value) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value)


def codes_from_selection(selection: Mapping | None, valid: Iterable[str]) -> list[str]:
    """The region codes of Streamlit's selection state of a linked chart, in order, once each.

    A scatter point carries its code as ``customdata``, a map region as ``location`` (its
    ``customdata`` are hover rows); codes that are not among ``valid`` (e.g. the kabupaten
    outlines of a kecamatan map) are dropped.

    Examples
    --------
    >>> sel = {"points": [{"customdata": ["35.78.09"]}, {"location": "35.78.08"},
    ...                   {"location": "35.78"}, {"customdata": "35.78.09"},
    ...                   {"customdata": ["Gubeng", 1.5], "location": "35.78.07"}]}
    >>> codes_from_selection(sel, {"35.78.09", "35.78.08", "35.78.07"})
    ['35.78.09', '35.78.08', '35.78.07']
    >>> codes_from_selection(None, {"35.78.09"})
    []
    """
    valid = set(valid)
    codes = []
    for point in (selection or {}).get("points") or []:
        # a map's customdata holds hover rows, not codes: its location is the code
        found = (_code(point.get(k)) for k in ("customdata", "location"))
        code = next((c for c in found if c in valid), None)
        if code is not None and code not in codes:
            codes.append(code)
    return codes


def _trace_codes(trace) -> list[str] | None:
    custom = getattr(trace, "customdata", None)
    if custom is None or trace.type != "scatter" or "markers" not in (trace.mode or ""):
        return None
    return [_code(c) for c in custom]


def highlight_scatter(fig: go.Figure, selected: Sequence[str]) -> go.Figure:
    """Mark the points of ``selected`` codes in every marker trace that carries codes as
    ``customdata``: larger, with a thick dark outline; the other points dimmed. A drag on the
    plot draws a selection box."""
    chosen = set(selected)
    for trace in fig.data:
        codes = _trace_codes(trace)
        if codes is None:
            continue
        hit = np.array([c in chosen for c in codes], dtype=bool)
        trace.marker.size = np.where(hit, SELECTED_SIZE, POINT_SIZE).tolist()
        trace.marker.line = {
            "width": np.where(hit, SELECTED_LINE, POINT_LINE).tolist(),
            "color": np.where(hit, SELECTED_LINE_COLOR, "#ffffff").tolist(),
        }
        # dimming through Plotly's selection styles (the legend keeps full colour)
        trace.selectedpoints = np.flatnonzero(hit).tolist() if chosen else None
        trace.selected = {"marker": {"opacity": 1.0}}
        trace.unselected = {"marker": {"opacity": DIMMED}}
    fig.update_layout(dragmode="select", clickmode="event+select", legend_itemsizing="constant")
    return fig


def highlight_map(fig: go.Figure, selected: Sequence[str], geojson: str | dict) -> go.Figure:
    """Outline the regions of ``selected`` codes on a choropleth (trace ``selected``, drawn
    on top) and dim the other regions of every coloured trace."""
    chosen = set(selected)
    for trace in fig.data:
        if trace.type != "choropleth" or trace.name in ("outlines", "selected"):
            continue
        if trace.locations is None or trace.hoverinfo == "skip":
            continue
        # A choropleth takes one opacity per trace: per region, the selection styles do it.
        hit = [i for i, c in enumerate(trace.locations) if str(c) in chosen]
        trace.selectedpoints = hit if chosen else None
        trace.selected = {"marker": {"opacity": 1.0}}
        trace.unselected = {"marker": {"opacity": DIMMED}}
    if chosen:
        # dark, not Peta's cyan: it must show on every class colour, sky blue included
        fig.add_trace(maps.selected_trace(geojson, list(selected), SELECTED_LINE_COLOR, 1.5))
    return fig


def selection_caption(names: Mapping[str, str], selected: Sequence[str], lang: str) -> str | None:
    """"3 regions selected: A, B, C" (the first :data:`NAMES_SHOWN`, then "and n more"), or
    None when nothing of ``names`` is selected.

    Examples
    --------
    >>> selection_caption({"a": "Gubeng", "b": "Tugu"}, ["b", "a", "x"], "en")
    '2 regions selected: Tugu, Gubeng'
    >>> selection_caption({"a": "Gubeng"}, ["a"], "id")
    '1 wilayah dipilih: Gubeng'
    """
    shown = [names[c] for c in selected if c in names]
    if not shown:
        return None
    listed = ", ".join(shown[:NAMES_SHOWN])
    if len(shown) > NAMES_SHOWN:
        more = format_number(len(shown) - NAMES_SHOWN, 0, lang)
        listed += " " + translate("disparity.linked.more", lang, n=more)
    if len(shown) == 1:
        return translate("disparity.linked.selected_one", lang, names=listed)
    n = format_number(len(shown), 0, lang)
    return translate("disparity.linked.selected", lang, n=n, names=listed)


def moran_scatter(scatter: pd.DataFrame, labels: Sequence[str], moran_i: float, *,
                  indicator: str, lang: str) -> go.Figure:
    """The Moran scatter of :func:`ui.data.disparity.moran`: standardised value ``z`` against
    its spatial lag, the axes at 0 and the line of slope Moran's I through the origin; each
    point carries its region code as ``customdata``."""
    z = scatter["z"].to_numpy(dtype=float)
    fig = go.Figure(
        go.Scatter(
            x=z.tolist(),
            y=scatter["lag"].astype(float).tolist(),
            mode="markers",
            customdata=[[str(c)] for c in scatter.index],
            text=list(labels),
            name="",
            showlegend=False,
            marker={"size": POINT_SIZE, "color": "#0072B2"},
            hovertemplate="%{text}<br>z = %{x:.2f}; "
            + translate("disparity.moran.lag_short", lang)
            + " = %{y:.2f}<extra></extra>",
        )
    )
    xs = [float(np.nanmin(z)), float(np.nanmax(z))]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=[moran_i * x for x in xs],
            mode="lines",
            name=translate("disparity.moran.fit", lang, i=format_number(moran_i, 3, lang)),
            line={"color": "#D55E00"},
            hoverinfo="skip",
        )
    )
    fig.add_vline(x=0, line_dash="dash", line_color="#555")
    fig.add_hline(y=0, line_dash="dash", line_color="#555")
    fig.update_layout(
        xaxis={"title": translate("disparity.moran.x", lang, indicator=indicator),
               "tickformat": d3_format(1)},
        yaxis={"title": translate("disparity.moran.y", lang), "domain": [0, 0.92]},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        height=520,
        separators=plotly_separators(lang),
    )
    return fig


def indicator_map(
    imap, meta: Mapping | None, geojson: str, *, level: str, title: str, lang: str
) -> go.Figure:
    """The small map of the indicator beside the Moran scatter: Peta's quintile map
    (``ui.data.maps.IndicatorMap`` of ``quantiles``, 5 classes), titled ``title``, without
    the kabupaten outlines (dark lines there would read as selected regions)."""
    decimals = maps.decimals_for(meta, imap.table["value"].dropna())
    direction = (meta or {}).get("direction", "neutral")
    layer = mapview.indicator_layer(
        imap.table, imap.classification.labels, imap.method, direction, decimals
    )
    fig = maps.map_figure(
        layer,
        geojson,
        level=level,
        text=mapview.map_text(meta, lang, title=title),
        decimals=decimals,
        height=520,
        uirevision=f"moran|{level}",
    )
    # room above the title for the illustrative badge (ui.badges.lift_badge)
    return fig.update_layout(margin={"t": 50})
