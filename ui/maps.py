"""Pure map figure builders: tidy data in, Plotly figure out (no Streamlit here).

The polygons never travel inside the figure: every choropleth trace names its GeoJSON by URL
(``geojson="app/static/generated/<level>_display.<hash>.geojson"``, see
``ui.data.display_geojson``), which the browser fetches once and caches. A rerun sends
only codes, class numbers and the values needed by the hover. Names come from the GeoJSON's
``properties`` (``%{properties.nama}``), not from per-point data.

A map of the whole province names the coarser overview layers (``<level>_overview``) instead,
and the map component swaps in the display layers when zoomed in
(:func:`ui.mapview.level_of_detail`).

Drawing is fully offline: the ``geo`` subplot hides every base layer and its topojson is the
empty local file ``static/topojson/world_110m.json`` (``topojsonURL`` of
:func:`ui.components.chart.figure_config`, which every figure's config comes from).

Traces of a map figure, bottom to top (tests rely on the ``name`` of each):

``values``      choropleth of the regions with a value; ``z`` is the class number, colours
                are a discrete scale; ``customdata`` = value, province rank, kabupaten rank,
                regions in the kabupaten.
``no_data``     choropleth of the regions without a value, grey, hover "no data".
``outlines``    kabupaten/kota borders (transparent fill, no hover) on top.
``selected``    thick outline of the selected regions (no hover).
``legend:<i>``  one empty ``scattergeo`` per legend entry (square marker, the class range).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import diverging, sample_colorscale, sequential

from i18n.numbers import auto_decimals

NO_DATA_COLOR = "#a3a3a3"
#: Regions where the indicator does not apply (IDM in a kecamatan of kelurahan only): a pale
#: neutral, distinct from "no data" and from every class colour.
NOT_APPLICABLE_COLOR = "#ece8df"
OUTLINE_COLOR = "#3a3a3a"
SELECTED_COLOR = "#00c2ff"
EDGE_COLOR = "#ffffff"

#: Sequential palettes by indicator direction (darker = higher value).
SEQUENTIAL = {
    "lower_better": sequential.OrRd,  # higher is worse: red
    "higher_better": sequential.YlGnBu,  # higher is better: blue-green
    "neutral": sequential.Purples,
}
#: Diverging palettes (z-scores, standard-deviation and box maps), low -> high.
DIVERGING = {
    "lower_better": diverging.RdBu[::-1],  # high = red (worse)
    "higher_better": diverging.RdBu,  # high = blue (better)
    "neutral": diverging.PuOr,
}
#: LISA cluster colours: Okabe–Ito (GeoDa's red/blue roles, colour-blind safe: every pair
#: stays ≥ 15 ΔE apart in CAM02-UCS under simulated deuteranopia, protanopia and
#: tritanopia, tests/ui/test_palettes.py); the legend and hover name each cluster.
LISA_COLORS = {
    "HH": "#D55E00",  # vermillion: high among high
    "LL": "#0072B2",  # blue: low among low
    "LH": "#56B4E9",  # sky blue: low among high
    "HL": "#E69F00",  # orange: high among low
    "ns": "#eeeeee",
}
LISA_ORDER = ("HH", "LL", "LH", "HL", "ns")
#: IDM status of a desa (1 mandiri … 5 sangat tertinggal), an ordered palette: the ends of
#: ColorBrewer RdBu as the diverging maps use it for "higher is better" (red = sangat
#: tertinggal, blue = mandiri) with a gold middle instead of RdBu's near-white, so berkembang
#: stays apart from :data:`NOT_APPLICABLE_COLOR` (kelurahan) and :data:`NO_DATA_COLOR`. Every
#: pair, those two included, stays ≥ 14 ΔE apart in CAM02-UCS under simulated deuteranopia,
#: protanopia and tritanopia (tests/ui/test_palettes.py).
IDM_STATUS_COLORS = {
    5: "#b2182b",  # sangat tertinggal
    4: "#ef8a62",  # tertinggal
    3: "#f6c141",  # berkembang
    2: "#67a9cf",  # maju
    1: "#2166ac",  # mandiri
}
#: Bivariate 3x3 palette, index = need_class * 3 + coverage_class (need low->high, coverage
#: low->high): a multiply blend of an orange need ramp (ColorBrewer PuOr #e66101) and a
#: blue coverage ramp (RdBu #2166ac), after J. Stevens' construction. High need with low
#: coverage (the priority cell) is the strong orange. Every pair stays ≥ 17 ΔE apart in
#: CAM02-UCS under simulated deuteranopia, protanopia and tritanopia (Stevens' pink/teal
#: palette fell to 4: tests/ui/test_palettes.py); the legend and hover say the cell in words.
BIVARIATE_COLORS = (
    "#f0f0f0", "#90b2d6", "#2166ac",
    "#f2b080", "#897b6b", "#1f4656",
    "#e66101", "#824401", "#1e2701",
)  # fmt: skip


def class_colors(n: int, direction: str = "neutral", diverging_scale: bool = False) -> list[str]:
    """``n`` colours for ordered classes, low to high value, following the direction.

    Parameters
    ----------
    n : int
        Number of classes (≥ 1).
    direction : str
        ``higher_better``, ``lower_better`` or ``neutral`` (catalogue field).
    diverging_scale : bool
        A diverging scale (z-scores, standard deviations, box map) instead of a sequential one.

    Examples
    --------
    >>> len(class_colors(5, "lower_better"))
    5

    One class (every region has the same value) is neither high nor low: it takes the
    neutral scale's colour whatever the direction, not the red of "higher is worse".

    >>> class_colors(1, "lower_better") == class_colors(1, "neutral")
    True
    """
    table = DIVERGING if diverging_scale else SEQUENTIAL
    if n == 1:
        return [sample_colorscale(table["neutral"], [0.6])[0]]
    scale = table.get(direction, table["neutral"])
    lo, hi = (0.0, 1.0) if diverging_scale else (0.12, 1.0)
    return sample_colorscale(scale, list(np.linspace(lo, hi, n)))


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: its label and colour; ``shown=False`` leaves an empty class out of
    the legend (a z-score or box map's class beyond the data) while its colour keeps its
    place on the scale."""

    label: str
    color: str
    shown: bool = True


@dataclass(frozen=True)
class MapLayer:
    """What a map shows, independent of how it is drawn.

    Attributes
    ----------
    codes : list of str
        Regions with a value, in drawing order.
    classes : list of int
        Class number of each region (index into ``legend``).
    legend : list of LegendEntry
        One entry per class, in legend order (class 0 first).
    customdata : list of list
        Per region: value (rounded), province rank, kabupaten rank, number in kabupaten.
    no_data : list of str
        Regions drawn grey as "no data" (never as zero).
    not_applicable : list of str
        Regions where the indicator does not apply, drawn pale as "not applicable".
    hovertemplate : str, optional
        Replaces the standard hover (value and ranks) when the customdata differ.
    """

    codes: list[str]
    classes: list[int]
    legend: list[LegendEntry]
    customdata: list[list] = field(default_factory=list)
    no_data: list[str] = field(default_factory=list)
    hovertemplate: str | None = None
    not_applicable: list[str] = field(default_factory=list)


def layer_from_classes(
    frame: pd.DataFrame,
    all_codes: Sequence[str],
    legend: Sequence[LegendEntry],
    decimals: int = 2,
) -> MapLayer:
    """Build a :class:`MapLayer` from a frame with ``code``, ``value``, ``cls`` columns.

    Regions of ``all_codes`` missing from ``frame`` (or with a missing value or class) become
    ``no_data``, or ``not_applicable`` where the frame's ``applicable`` column is False. The hover shows the frame's ranks: ``rank_prov`` (1 = best for the direction),
    ``rank_kab`` and ``n_kab`` when the frame has them (``ui.data.maps.with_ranks``).

    Examples
    --------
    >>> f = pd.DataFrame({"code": ["a", "b", "c"], "value": [2.345, None, 1.0],
    ...                   "cls": [1, None, 0], "rank_prov": [1, None, 2]})
    >>> layer = layer_from_classes(f, ["a", "b", "c", "d"], [], decimals=1)
    >>> layer.codes, layer.classes, layer.no_data
    (['a', 'c'], [1, 0], ['b', 'd'])
    >>> layer.customdata
    [[2.3, 1, None, None], [1.0, 2, None, None]]
    >>> f["applicable"] = [True, False, True]
    >>> layer = layer_from_classes(f, ["a", "b", "c", "d"], [], decimals=1)
    >>> layer.no_data, layer.not_applicable
    (['d'], ['b'])
    """
    wanted = set(all_codes)
    values = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    classes = frame["cls"].to_numpy(dtype=float, na_value=np.nan)
    ranks = [_ints(frame, col) for col in ("rank_prov", "rank_kab", "n_kab")]
    keep = [
        i
        for i, code in enumerate(frame["code"].tolist())
        if code in wanted and not (np.isnan(values[i]) or np.isnan(classes[i]))
    ]
    codes = frame["code"].to_numpy(dtype=object)[keep].tolist()
    have = set(codes)
    off = set(not_applicable_codes(frame)) - have
    return MapLayer(
        codes=codes,
        classes=[int(classes[i]) for i in keep],
        legend=list(legend),
        customdata=[[round(float(values[i]), decimals), *(r[i] for r in ranks)] for i in keep],
        no_data=[c for c in all_codes if c not in have and c not in off],
        not_applicable=[c for c in all_codes if c in off],
    )


def not_applicable_codes(frame: pd.DataFrame) -> list[str]:
    """Codes whose ``applicable`` column is False (none when the frame has no such column)."""
    if "applicable" not in frame.columns:
        return []
    return frame.loc[~frame["applicable"].astype(bool), "code"].tolist()


def _ints(frame: pd.DataFrame, column: str) -> list[int | None]:
    """A column of whole numbers as ints, None where missing (or when there is no column)."""
    if column not in frame.columns:
        return [None] * len(frame)
    x = frame[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return [None if v != v else int(v) for v in x.tolist()]


def decimals_for(meta: dict | None, values) -> int:
    """Digits to show: the catalogue's ``decimals``, else a guess from the magnitudes.

    Examples
    --------
    >>> decimals_for({"decimals": 1}, [1234.5]), decimals_for({}, [0.12, 0.5])
    (1, 3)
    """
    if meta and meta.get("decimals") is not None and not pd.isna(meta.get("decimals")):
        return int(meta["decimals"])
    return auto_decimals(list(values))


@dataclass(frozen=True)
class MapText:
    """Translated texts of a map figure (the builder knows no language)."""

    value_label: str = "Nilai"
    unit: str = ""
    #: Hover lines of the ranks, with ``{rank}``, ``{n}`` (and ``{place}``, the kabupaten).
    rank_prov: str = "Jawa Timur: peringkat {rank} dari {n}, 1 = terbaik"
    rank_kab: str = "{place}: peringkat {rank} dari {n}, 1 = terbaik"
    of: str = "dari"
    no_data: str = "Tidak ada data"
    not_applicable: str = "Tidak berlaku"
    legend_title: str = ""
    title: str = ""
    separators: str = ",."
    #: The kecamatan line of a desa's hover, with ``{name}``.
    kecamatan: str = "Kec. {name}"
    #: The kabupaten/kota of a desa map (its ranks are within it), already escaped.
    place: str = ""


def parent_line(level: str, text: MapText) -> str | None:
    """The hover line under a region's name: its kabupaten (kecamatan), its kecamatan (desa).

    Examples
    --------
    >>> parent_line("desa", MapText()), parent_line("kabupaten", MapText()) is None
    ('Kec. %{properties.kec_nama}', True)
    """
    if level == "kecamatan":
        return "%{properties.kab_nama}"
    if level == "desa":
        return text.kecamatan.format(name="%{properties.kec_nama}")
    return None


def _hovertemplate(text: MapText, decimals: int, n_total: int, level: str) -> str:
    unit = f" {text.unit}" if text.unit else ""
    parent = parent_line(level, text)
    lines = ["<b>%{properties.nama}</b>", *([parent] if parent else [])]
    lines.append(f"{text.value_label}: %{{customdata[0]:,.{decimals}f}}{unit}")
    if level != "desa":  # a desa map shows one kabupaten: its ranks are within it
        lines.append(text.rank_prov.format(rank="%{customdata[1]}", n=n_total))
    if level in ("kecamatan", "desa"):
        place = text.place if level == "desa" else "%{properties.kab_nama}"
        lines.append(
            text.rank_kab.format(place=place, rank="%{customdata[2]}", n="%{customdata[3]}")
        )
    return "<br>".join(lines) + "<extra></extra>"


def _discrete_scale(colors: Sequence[str]) -> list[list]:
    n = len(colors)
    if n == 1:
        return [[0, colors[0]], [1, colors[0]]]
    scale = []
    for i, c in enumerate(colors):
        scale.append([i / n, c])
        scale.append([(i + 1) / n, c])
    return scale


def map_figure(
    layer: MapLayer,
    geojson_url: str,
    *,
    level: str = "kecamatan",
    outline_url: str | None = None,
    outline_codes: Sequence[str] = (),
    selected: Sequence[str] = (),
    view: tuple[float, float, float, float] | None = None,
    text: MapText | None = None,
    decimals: int = 2,
    height: int = 620,
    show_legend: bool = True,
    hover: bool = True,
    uirevision: str = "map",
) -> go.Figure:
    """The choropleth figure of a :class:`MapLayer`.

    Parameters
    ----------
    layer : MapLayer
        Codes, classes, legend, hover data and no-data regions.
    geojson_url : str
        URL of the display GeoJSON of ``level`` (feature ``id`` = region code).
    level : str
        ``kecamatan``, ``kabupaten`` or ``desa`` (the hover's line under the name:
        :func:`parent_line`; a desa's ranks are those in its kabupaten, ``text.place``).
    outline_url : str, optional
        URL of the kabupaten GeoJSON drawn as outlines on top (kecamatan maps).
    outline_codes : sequence of str
        The kabupaten codes to outline (all 38 normally).
    selected : sequence of str
        Codes outlined as selected.
    view : tuple, optional
        ``(lon_min, lon_max, lat_min, lat_max)`` to zoom to; default: fit every region.
    text : MapText, optional
        Translated labels and Plotly ``separators``.
    decimals : int
        Digits of the value in the hover.
    height : int
        Pixel height.
    show_legend : bool
        Draw the class legend.
    hover : bool
        Hover labels on the regions (off for the small overview map).
    uirevision : str
        Plotly ``uirevision`` (keeps zoom while the figure is unchanged).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    text = text or MapText()
    fig = go.Figure()
    template = layer.hovertemplate or _hovertemplate(text, decimals, len(layer.codes), level)
    fig.add_trace(values_trace(layer, geojson_url, template if hover else None))
    parent = parent_line(level, text)
    if layer.no_data:
        fig.add_trace(no_data_trace(layer.no_data, geojson_url, text, parent, hover))
    if layer.not_applicable:
        fig.add_trace(
            no_data_trace(
                layer.not_applicable, geojson_url, text, parent, hover, not_applicable=True
            )
        )
    if outline_url and outline_codes:
        fig.add_trace(
            _outline_trace("outlines", outline_url, list(outline_codes), OUTLINE_COLOR, 1.1)
        )
    if selected:
        fig.add_trace(selected_trace(geojson_url, selected))
    if show_legend:
        for trace in legend_traces(layer, text.no_data, text.not_applicable):
            fig.add_trace(trace)
    fig.update_layout(map_layout(text, view, height, uirevision))
    return fig


def values_trace(layer: MapLayer, geojson_url: str, hovertemplate: str | None) -> go.Choropleth:
    """The ``values`` trace: regions with a value, ``z`` = class on a discrete colour scale.

    ``hovertemplate=None`` switches the hover off (the small overview map).
    """
    colors = [e.color for e in layer.legend]
    return go.Choropleth(
        name="values",
        geojson=geojson_url,
        featureidkey="id",
        locations=layer.codes,
        z=layer.classes,
        zmin=-0.5,
        zmax=len(colors) - 0.5,
        colorscale=_discrete_scale(colors or ["#cccccc"]),
        showscale=False,
        # one object array: Plotly checks it as a whole, where it walks a list of lists
        # element by element (about a fifth of the figure's build)
        customdata=np.asarray(layer.customdata, dtype=object),
        hovertemplate=hovertemplate,
        hoverinfo=None if hovertemplate else "skip",
        **_region_style(),
    )


def no_data_trace(
    codes: Sequence[str],
    geojson_url: str,
    text: MapText,
    parent: str | None,
    hover: bool = True,
    not_applicable: bool = False,
) -> go.Choropleth:
    """The ``no_data`` trace: regions without a value, grey, hover "no data" (never 0); with
    ``not_applicable`` the ``not_applicable`` trace, pale, hover "not applicable"; ``parent``
    is the line under the name (:func:`parent_line`)."""
    template = "<b>%{properties.nama}</b><br>"
    if parent:
        template += f"{parent}<br>"
    color = NOT_APPLICABLE_COLOR if not_applicable else NO_DATA_COLOR
    words = text.not_applicable if not_applicable else text.no_data
    return go.Choropleth(
        name="not_applicable" if not_applicable else "no_data",
        geojson=geojson_url,
        featureidkey="id",
        locations=list(codes),
        z=[0] * len(codes),
        colorscale=[[0, color], [1, color]],
        showscale=False,
        hovertemplate=(template + words + "<extra></extra>") if hover else None,
        hoverinfo=None if hover else "skip",
        **_region_style(),
    )


def _region_style() -> dict:
    # white edges; selections never fade the regions (the map keeps its own selection)
    return {
        "marker": {"line": {"color": EDGE_COLOR, "width": 0.3}},
        "selected": {"marker": {"opacity": 1}},
        "unselected": {"marker": {"opacity": 1}},
        "showlegend": False,
    }


def legend_traces(
    layer: MapLayer, no_data_label: str, not_applicable_label: str = "Tidak berlaku"
) -> list[go.Scattergeo]:
    """One empty ``scattergeo`` per legend entry (a square marker and the class label), plus
    "no data" when the layer has regions without a value and "not applicable" when it has
    regions where the indicator does not apply; ``meta`` = ``legend:<i>``."""
    entries = list(layer.legend)
    if layer.no_data:
        entries.append(LegendEntry(no_data_label, NO_DATA_COLOR))
    if layer.not_applicable:
        entries.append(LegendEntry(not_applicable_label, NOT_APPLICABLE_COLOR))
    return [
        go.Scattergeo(
            name=entry.label,
            legendgroup=f"legend:{i}",
            lon=[None],
            lat=[None],
            mode="markers",
            marker={
                "symbol": "square",
                "size": 13,
                "color": entry.color,
                "line": {"color": "#777777", "width": 0.5},
            },
            hoverinfo="skip",
            showlegend=True,
            meta=f"legend:{i}",
        )
        for i, entry in enumerate(entries)
        if entry.shown
    ]


def geo_layout(view: tuple[float, float, float, float] | None) -> dict:
    """The ``geo`` subplot: no base layers, Mercator, zoomed to ``view`` or fitted.

    Examples
    --------
    >>> geo_layout(None)["fitbounds"]
    'locations'
    >>> g = geo_layout((112.0, 113.0, -8.0, -7.0))
    >>> g["fitbounds"], g["center"]
    (False, {'lon': 112.5, 'lat': -7.5})
    """
    geo = {
        "visible": False,
        "projection": {"type": "mercator"},
        "bgcolor": "rgba(0,0,0,0)",
    }
    if view:
        lon0, lon1, lat0, lat1 = view
        geo.update(
            fitbounds=False,
            lonaxis={"range": [lon0, lon1]},
            lataxis={"range": [lat0, lat1]},
            center={"lon": (lon0 + lon1) / 2, "lat": (lat0 + lat1) / 2},
        )
    else:
        geo["fitbounds"] = "locations"
    return geo


def map_layout(
    text: MapText, view: tuple[float, float, float, float] | None, height: int, uirevision: str
) -> dict:
    """The layout of a map figure: geo subplot, title, separators, horizontal legend below."""
    return {
        "geo": geo_layout(view),
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 30 if text.title else 4, "b": 0},
        "separators": text.separators,
        "font": {"family": '"Source Sans", "Source Sans Pro", sans-serif'},
        "title": {"text": text.title, "x": 0.01, "font": {"size": 14}} if text.title else None,
        "legend": {
            "title": {"text": text.legend_title, "side": "left"},
            "orientation": "h",
            "x": 0.0,
            "y": 0.0,
            "xanchor": "left",
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.85)",
            "itemclick": False,
            "itemdoubleclick": False,
            "font": {"size": 11},
        },
        "dragmode": "pan",
        "uirevision": uirevision,
        "clickmode": "event+select",
        "paper_bgcolor": "rgba(0,0,0,0)",
    }


def selected_trace(
    geojson_url: str | dict,
    codes: Sequence[str],
    color: str = SELECTED_COLOR,
    width: float = 3.5,
) -> go.Choropleth:
    """The trace ``selected``: a thick outline around each region of ``codes``."""
    return _outline_trace("selected", geojson_url, list(codes), color, width)


def _outline_trace(name, url, locations, color, width) -> go.Choropleth:
    return go.Choropleth(
        name=name,
        geojson=url,
        featureidkey="id",
        locations=locations,
        z=[0] * len(locations),
        **_outline_style(color, width),
    )


def _outline_style(color, width) -> dict:
    return {
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "showscale": False,
        "hoverinfo": "skip",
        "marker": {"line": {"color": color, "width": width}},
        "selected": {"marker": {"opacity": 1}},
        "unselected": {"marker": {"opacity": 1}},
        "showlegend": False,
    }


def bounds_view(bounds: tuple[float, float, float, float], pad: float = 0.15):
    """A ``view`` for :func:`map_figure` around ``(minx, miny, maxx, maxy)`` with padding.

    Examples
    --------
    >>> bounds_view((112.0, -7.5, 113.0, -7.0), pad=0.1)
    (111.9, 113.1, -7.55, -6.95)
    """
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return (
        round(minx - dx, 6),
        round(maxx + dx, 6),
        round(miny - dy, 6),
        round(maxy + dy, 6),
    )
