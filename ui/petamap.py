"""Peta's map and Beranda's small map, built once per data stamp and choice and shared by
every session.

Most runs of ``/peta`` ask for a map some session has already drawn: a new session opening
the default view, or a change to an indicator others are looking at. The layer, the Plotly
figure and its JSON were about a third of a warm run (``benchmarks/load/README.md``), so they
are built once per :class:`MapChoice` and data stamp (:func:`ui.data.cache.versioned`, the
one cache policy) and every session receives the same prepared figure
(:func:`ui.components.plotly_map.prepared_figure`). A commit changes the stamp, so the next
run builds from the new data.

The page still reads the map's table (:func:`map_data`) for its summary, table and
downloads; that is a hit in the data wing's own cache.

Beranda, the page every session opens first, shows a smaller map of the same kind
(:func:`small_map`): it was more than half of a warm Beranda run before it was shared.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from i18n.text import escape_plotly_html
from ui import badges, data, maps, mapview
from ui.components import plotly_map
from ui.data import maps as map_data_wing
from ui.data.cache import versioned
from ui.i18n import t, unit_label


@dataclass(frozen=True)
class MapChoice:
    """Everything the map shows besides the data: hashable, so it keys the shared cache.

    ``kab`` is the kabupaten/kota the desa level draws (``None`` at the other levels);
    ``years`` the need and coverage years of the bivariate mode; ``title``,
    ``legend_title`` and ``place`` the texts, already escaped for Plotly.
    """

    level: str
    mode: str
    indicator: str
    year: int
    method: str
    k: int
    breaks: tuple[float, ...]
    lang: str
    kab: str | None = None
    fdr: bool = False
    need: str | None = None
    coverage: str | None = None
    years: tuple[int, int] | None = None
    selected: tuple[str, ...] = ()
    view: tuple[float, float, float, float] | None = None
    uirevision: str = "map"
    title: str = ""
    legend_title: str = ""
    place: str = ""


@dataclass(frozen=True)
class PetaMap:
    """The shared map: the prepared figure and what the page writes beside it."""

    figure: dict
    decimals: int
    direction: str
    illustrative: bool
    alt_text: str
    lod: dict | None = None


def map_data(choice: MapChoice):
    """The mode's map data (``ui.data.maps``: ``IndicatorMap``, ``LisaMap`` or
    ``BivariateMap``; ``None`` when LISA is undefined)."""
    if choice.mode == "bivariate":
        return map_data_wing.bivariate_map(
            choice.level, choice.need, choice.coverage, *choice.years, choice.lang
        )
    if choice.mode == "lisa":
        return map_data_wing.lisa_map(choice.level, choice.indicator, choice.year, choice.fdr)
    return map_data_wing.indicator_map(
        choice.level,
        choice.indicator,
        choice.year,
        choice.method,
        choice.k,
        choice.breaks,
        choice.lang,
        kab=choice.kab,
    )


def decimals_and_direction(choice: MapChoice, imap) -> tuple[int, str]:
    """Digits shown for the map's values, and the direction its colours follow (the need
    indicator's in the bivariate mode)."""
    decimals = maps.decimals_for(
        data.indicator_meta(choice.indicator), imap.table["value"].dropna()
    )
    shown = choice.need if choice.mode == "bivariate" else choice.indicator
    return decimals, data.indicator_meta(shown).get("direction", "neutral")


def layer(choice: MapChoice, imap, decimals: int, direction: str) -> maps.MapLayer:
    """The map's layer (also the rows of Peta's table and chart views)."""
    if choice.mode == "bivariate":
        need_meta, cov_meta = data.indicator_meta(choice.need), data.indicator_meta(choice.coverage)
        return mapview.bivariate_layer(imap.table, need_meta, cov_meta, choice.level, choice.lang)
    if choice.mode == "lisa":
        return mapview.lisa_layer(imap.table, decimals, choice.lang)
    labels = imap.classification.labels
    return mapview.indicator_layer(
        imap.table, labels, imap.method, direction, decimals, choice.lang
    )


def geometry(choice: MapChoice) -> tuple[str, str | None, dict | None]:
    """The GeoJSON URLs of the map's regions and of its outlines, and its level of detail
    (:func:`ui.mapview.level_of_detail`): a view of the whole province draws the overview
    layers; a zoomed view, and the desa map of one kabupaten/kota, the display layers."""
    outline_level = {"kecamatan": "kabupaten", "desa": "kecamatan"}.get(choice.level)
    whole = mapview.map_view(map_data_wing.province_bounds(), {}, None)
    overview = choice.level != "desa" and not mapview.needs_detail(choice.view, whole)
    layers = [(choice.level, choice.kab)] + ([(outline_level, None)] if outline_level else [])
    urls = [data.display_geojson(level, kab, overview) for level, kab in layers]
    detail = {}
    if overview:
        pairs = zip(urls, layers, strict=True)
        detail = {url: data.display_geojson(level, kab) for url, (level, kab) in pairs}
    return urls[0], (urls[1] if outline_level else None), mapview.level_of_detail(detail)


@versioned
def shared_map(choice: MapChoice) -> PetaMap:
    """The map of ``choice`` (a choice without a selection), built once per data stamp and
    shared by every session; :func:`peta_map` lays a session's selection on it."""
    imap = map_data(choice)
    decimals, direction = decimals_and_direction(choice, imap)
    regions_url, outline_url, lod = geometry(choice)
    fig = maps.map_figure(
        layer(choice, imap, decimals, direction),
        regions_url,
        level=choice.level,
        outline_url=outline_url,
        outline_codes=map_data_wing.outline_codes(choice.kab) if outline_url else (),
        view=choice.view,
        text=mapview.map_text(
            data.indicator_meta(choice.indicator),
            choice.lang,
            choice.title,
            choice.legend_title,
            choice.place,
        ),
        decimals=decimals,
        uirevision=choice.uirevision,
    )
    # The badge follows the values' own flags (the 2010 census population is real, later
    # years not).
    illustrative = bool(imap.table["illustrative"].any())
    badges.badge_figure(fig, illustrative, choice.lang)
    return PetaMap(
        figure=plotly_map.prepared_figure(fig),
        decimals=decimals,
        direction=direction,
        illustrative=illustrative,
        alt_text=mapview.map_alt_text(imap.table, decimals, choice.lang),
        lod=lod,
    )


def peta_map(choice: MapChoice) -> PetaMap:
    """The map of ``choice``: the shared map (:func:`shared_map`) with the selection outlined.

    Every kecamatan office opening the dashboard at its own kecamatan (``?kec=``) asks for a
    view no other session shares; only the outline of the selection is its own, so the rest
    is built once for all of them (:func:`with_selection`).
    """
    if not choice.selected:
        return shared_map(choice)
    shared = shared_map(replace(choice, selected=()))
    return replace(shared, figure=with_selection(shared.figure, choice.selected))


def with_selection(figure: dict, codes) -> dict:
    """A prepared figure (:func:`ui.components.plotly_map.prepared_figure`) with the trace
    ``selected`` (:func:`ui.maps.selected_trace`, on the regions of the ``values`` trace)
    where :func:`ui.maps.map_figure` puts it: above the map's own traces, before the
    legend's. ``figure`` itself is left as it is."""
    traces = figure["data"]
    regions_url = next(t["geojson"] for t in traces if t.get("name") == "values")
    trace = maps.selected_trace(regions_url, list(codes)).to_plotly_json()
    at = next((i for i, t in enumerate(traces) if t.get("type") == "scattergeo"), len(traces))
    return {**figure, "data": [*traces[:at], trace, *traces[at:]]}


def indicator_title(indicator: str, year: int, lang: str) -> str:
    """The title of the indicator map: "<name> (<unit>), <year>", escaped for Plotly."""
    meta = data.indicator_meta(indicator)
    name = meta["name_en"] if lang == "en" else meta["name_id"]
    unit = unit_label(meta.get("unit"), lang)
    return mapview.map_title(escape_plotly_html(name), escape_plotly_html(unit), year)


def titled(choice: MapChoice) -> MapChoice:
    """``choice`` of the indicator or LISA mode with its titles as Peta shows them: the
    indicator's title (:func:`indicator_title`), prefixed for a LISA map, whose legend needs no
    title. A LISA map undefined for the values (:func:`ui.data.maps.lisa_map` is None) falls
    back to the indicator map; the page then says why."""
    title = indicator_title(choice.indicator, choice.year, choice.lang)
    if choice.mode == "lisa":
        lisa = map_data_wing.lisa_map(choice.level, choice.indicator, choice.year, choice.fdr)
        if lisa is not None:
            lisa_title = t("peta.lisa.title", lang=choice.lang)
            return replace(choice, title=f"{lisa_title}: {title}", legend_title="")
    legend_title = t("peta.legend.title", lang=choice.lang)
    return replace(choice, mode="indicator", title=title, legend_title=legend_title)


def changed_indicator(choice: MapChoice, indicator: str, mode: str) -> MapChoice | None:
    """The choice of Peta's map after the user picks ``indicator`` in the sidebar, the page in
    ``mode`` ("indicator" or "lisa": the user's, which ``choice`` may have left for the
    indicator map, :func:`titled`): the year kept if ``indicator`` has values in it, else the
    sidebar's (:func:`ui.data.year_for`); None when it has no values at the level."""
    year = data.year_for(choice.level, indicator, choice.year)
    if year is None:
        return None
    return titled(replace(choice, mode=mode, indicator=indicator, year=year))


#: Height (px) of Beranda's small map.
SMALL_MAP_HEIGHT = 380


@versioned
def small_map(level: str, indicator: str, year: int, lang: str) -> PetaMap:
    """Beranda's small map of ``indicator`` (quantiles, five classes, the whole province in
    Peta's view), built once per data stamp and shared by every session.

    Peta's view of the province is given as ranges, not Plotly's ``fitbounds``, so the
    component paints this map before Plotly.js has come (``static/map_component.js``).
    """
    meta = data.indicator_meta(indicator)
    imap = map_data_wing.indicator_map(level, indicator, year, "quantiles", 5, (), lang)
    decimals = maps.decimals_for(meta, imap.table["value"].dropna())
    direction = meta.get("direction") or "neutral"
    labels = imap.classification.labels
    overview_url = data.display_geojson(level, overview=True)
    fig = maps.map_figure(
        mapview.indicator_layer(imap.table, labels, imap.method, direction, decimals, lang),
        overview_url,
        level=level,
        view=mapview.map_view(map_data_wing.province_bounds(), {}, None),
        text=mapview.map_text(meta, lang),
        decimals=decimals,
        height=SMALL_MAP_HEIGHT,
    )
    illustrative = bool(imap.table["illustrative"].any())
    badges.badge_figure(fig, illustrative, lang)
    return PetaMap(
        figure=plotly_map.prepared_figure(fig),
        decimals=decimals,
        direction=direction,
        illustrative=illustrative,
        alt_text=mapview.map_alt_text(imap.table, decimals, lang),
        lod=mapview.level_of_detail({overview_url: data.display_geojson(level)}),
    )
