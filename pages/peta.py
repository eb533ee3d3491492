"""Peta: the choropleth map explorer (indicator, LISA clusters, need × coverage).

Data: :mod:`ui.data.maps`; texts, layers, view, summary and download table:
:mod:`ui.mapview`; the figure, shared by sessions: :func:`ui.petamap.peta_map`.
"""

from __future__ import annotations

import functools
import time

import streamlit as st

from i18n.text import escape_markdown, escape_plotly_html
from ui import badges, data, exports, mapsearch, maptable, mapview, petamap, state, warming
from ui.components import chart, plotly_map
from ui.data import maps as map_data
from ui.i18n import current_lang, fmt_number, t
from ui.sidebar import current_view, show_indicators, show_unavailable

MAP_KEY = "peta_map"
ADD_KEY = "peta_add_to_selection"
ZOOM_KEY = "peta_zoom"
SLIDER_KEY = "peta_year_slider"
PLAY_KEY = "peta_playing"
SEARCH_KEY = "peta_search"
#: The kecamatan the search zoomed the map to (None: the zoom box's view).
ZOOM_TO = "_rbk_peta_zoom_to"
PLAYED_AT = "_rbk_peta_played_at"
#: Seconds between two years while playing (a step takes longer only if a rerun does).
PLAY_STEP = 0.2

view = current_view()
lang = current_lang()
st.title(t("peta.page.title"))
if not view.indicator or view.year is None:
    show_unavailable(view.unavailable)
    st.stop()
level, year = view.level, int(view.year)
for notice in view.notices:
    st.info(notice)
desa_level = level == "desa"


def on_map_click() -> None:
    """Keep the clicked region in session state (before the rerun, so it is outlined)."""
    code = plotly_map.clicked_code(MAP_KEY)
    if not code:
        return
    if level == "kecamatan":
        state.select(str(code), add=bool(st.session_state.get(ADD_KEY)))
    elif level == "desa":
        st.session_state[state.DESA] = state.parse_param(state.DESA, str(code))
    else:
        st.session_state[state.KABUPATEN] = str(code)


def on_zoom_change() -> None:
    st.session_state[ZOOM_TO] = None
    value = st.session_state[ZOOM_KEY]
    st.session_state[state.KABUPATEN] = None if value == mapview.ALL else value


def on_search() -> None:
    """A kecamatan chosen in the search box: select it and zoom the map to it."""
    code = st.session_state.get(SEARCH_KEY)
    if code:
        state.select(str(code))
        # a new value on every choice: choosing the same kecamatan again zooms again
        st.session_state[ZOOM_TO] = f"{code}#{time.monotonic_ns()}"
        st.session_state[SEARCH_KEY] = None


def search_box() -> None:
    """Type a kecamatan's name, choose it: the map selects it and zooms to it."""
    options = map_data.search_options()
    st.selectbox(
        t("peta.search.label"),
        options=list(options),
        index=None,
        format_func=options.get,
        placeholder=t("peta.search.placeholder"),
        key=SEARCH_KEY,
        on_change=on_search,
    )


def current_map_view(zoom_kab: str | None) -> tuple[tuple[float, float, float, float], str]:
    """The map's view and its ``uirevision``: the searched kecamatan, else the zoom box's."""
    zoom_to = st.session_state.get(ZOOM_TO) if level == "kecamatan" else None
    bounds = map_data.kecamatan_bounds().get(zoom_to.split("#")[0]) if zoom_to else None
    if bounds:
        return mapsearch.focus_view(bounds), f"{level}|{zoom_kab or 'all'}|{zoom_to}"
    view_ = mapview.map_view(map_data.province_bounds(), map_data.kabupaten_bounds(), zoom_kab)
    return view_, f"{level}|{zoom_kab or 'all'}"


def on_year_slide() -> None:
    st.session_state[state.YEAR] = st.session_state[SLIDER_KEY]
    st.session_state[PLAY_KEY] = False


def on_play(years: list[int]) -> None:
    """Start or stop playing; playing from the last year starts again at the first."""
    ss = st.session_state
    ss[PLAY_KEY] = not ss.get(PLAY_KEY)
    if ss[PLAY_KEY] and ss.get(state.YEAR) == years[-1]:
        ss[state.YEAR] = years[0]
    ss[PLAYED_AT] = time.monotonic()


def year_player(years: list[int]) -> None:
    """A year slider with a play button (indicators with three or more years)."""
    if len(years) < 3:
        st.session_state[PLAY_KEY] = False
        return
    st.session_state[SLIDER_KEY] = year
    playing = bool(st.session_state.get(PLAY_KEY))
    s1, s2 = st.columns([3, 1], vertical_alignment="bottom")
    with s1:
        st.select_slider(
            t("peta.play.year"), options=years, key=SLIDER_KEY, on_change=on_year_slide
        )
    with s2:
        st.button(
            t("peta.play.stop" if playing else "peta.play.play"),
            icon=":material/stop:" if playing else ":material/play_arrow:",
            key="peta_play",
            on_click=on_play,
            args=(years,),
            width="stretch",
        )


def advance_player(years: list[int]) -> None:
    """While playing: show the next year on the next rerun (stop after the last year)."""
    ss = st.session_state
    if not ss.get(PLAY_KEY) or year not in years:
        return
    i = years.index(year)
    if i + 1 >= len(years):
        ss[PLAY_KEY] = False
    else:
        state.show_year_next(years[i + 1])
        time.sleep(max(0.0, PLAY_STEP - (time.monotonic() - ss.get(PLAYED_AT, 0.0))))
        ss[PLAYED_AT] = time.monotonic()
    st.rerun()


def draw_table_or_chart(which: str) -> None:
    """The Tabel or Grafik view of the map's values (same regions, classes and ranks)."""
    layer = petamap.layer(choice, imap, decimals, direction)
    rows = maptable.value_table(imap.table, layer, level=level, decimals=decimals, lang=lang)
    if which == "table":
        st.dataframe(
            maptable.styled_table(
                rows, decimals=decimals, unit=view.unit, direction=direction, lang=lang
            ),
            hide_index=True,
            column_config={t("peta.table.nama"): st.column_config.TextColumn(pinned=True)},
            height=560,
            key="peta_table",
        )
        st.caption(t("peta.table.caption", n=fmt_number(len(rows), 0, lang)))
        return
    bars = maptable.ranked_chart(
        rows,
        layer,
        title=title,
        unit=view.unit,
        decimals=decimals,
        direction=direction,
        lang=lang,
        selected=tuple(selected_codes),
    )
    if illustrative:
        badges.lift_badge(badges.badge_figure(bars, illustrative, lang))
    chart.plotly_chart(bars, filename="peta_grafik", key="peta_chart")


# --------------------------------------------------------------------------- controls
c1 = st.container()
c2, c3, c4 = st.columns([1.4, 1.0, 1.4])
if st.session_state[state.MAP_MODE] not in mapview.modes_for(level):
    st.session_state[state.MAP_MODE] = "indicator"
with c1:
    st.segmented_control(
        t("peta.mode.label"),
        options=list(state.MAP_MODES),
        format_func=lambda m: t(f"peta.mode.{m}", lang=lang),
        key=state.MAP_MODE,
        on_change=state.keep_choice,
        args=(state.MAP_MODE,),
        disabled=desa_level,
    )
    if desa_level:
        st.caption(t("peta.mode.desa_note"))
mode = st.session_state[state.MAP_MODE]
with c2:
    st.selectbox(
        t("peta.classification.label"),
        options=list(state.CLASSIFICATIONS),
        format_func=lambda m: t(f"peta.classification.{m}", lang=lang),
        key=state.CLASSIFICATION,
        disabled=mode != "indicator",
    )
method = st.session_state[state.CLASSIFICATION]
with c3:
    st.slider(
        t("peta.classification.n_classes"),
        min_value=3,
        max_value=9,
        key=state.N_CLASSES,
        disabled=mapview.k_fixed(mode, method),
    )
zoom = mapview.zoom_options(data.regions_table("kabupaten"))
st.session_state[ZOOM_KEY] = state.get(state.KABUPATEN) or mapview.ALL
if not desa_level:  # the desa map's kabupaten/kota is chosen in the sidebar
    with c4:
        st.selectbox(
            t("peta.zoom.label"),
            options=list(zoom),
            format_func=lambda k: mapview.zoom_label(k, zoom, lang),
            key=ZOOM_KEY,
            on_change=on_zoom_change,
        )
available_years = data.years(level, view.indicator)
with st.container():
    find, play = st.columns([2, 3], vertical_alignment="bottom")
    with find:
        if level == "kecamatan":
            search_box()
    with play:
        year_player(available_years)
breaks: tuple[float, ...] = tuple(state.get(state.USER_BREAKS) or ())
if mode == "indicator" and method == "user_defined":
    text = st.text_input(
        t("peta.classification.breaks"),
        value=mapview.breaks_text(breaks, lang),
        help=t("peta.classification.breaks_help"),
        key="peta_breaks_text",
    )
    parsed = mapview.parse_breaks(text, lang)
    if parsed is None:
        st.warning(t("peta.classification.breaks_invalid", text=text))
    else:
        breaks = parsed
        st.session_state[state.USER_BREAKS] = list(parsed)

# --------------------------------------------------------------------------- the map's data
k = int(st.session_state[state.N_CLASSES])
title = legend_title = ""  # the bivariate mode's; the others' come from petamap.titled
shown = [view.indicator]
need = coverage = years_used = None
fdr = False
# One container whatever the mode holds the mode's own widgets: the elements after it (the
# map) keep their place in the page, so the map element persists with the user's zoom.
mode_box = st.container()
if mode == "bivariate":
    options = data.indicators_for(level)
    names = mapview.indicator_names(data.catalogue(), lang)
    for key in (state.NEED, state.COVERAGE):
        st.session_state[key] = mapview.valid_choice(st.session_state.get(key), options)
    b1, b2 = mode_box.columns(2)
    with b1:
        st.selectbox(
            t("peta.bivariate.need"), options, format_func=lambda i: names.get(i, i), key=state.NEED
        )
    with b2:
        st.selectbox(
            t("peta.bivariate.coverage"),
            options,
            format_func=lambda i: names.get(i, i),
            key=state.COVERAGE,
        )
    need, coverage = st.session_state[state.NEED], st.session_state[state.COVERAGE]
    shown += [need, coverage]
    show_indicators(need, coverage)
    years_used = map_data.common_year(level, need, coverage, year)
    title, legend_title = (
        f"{escape_plotly_html(names[need])} × {escape_plotly_html(names[coverage])}",
        "",
    )
    mode_box.caption(mapview.bivariate_caption(names, need, coverage, years_used, lang))
elif mode == "lisa":
    fdr = mode_box.toggle("FDR (Benjamini–Hochberg)", key="peta_lisa_fdr")
zoom_kab = st.session_state.get(state.KABUPATEN)
desa = st.session_state.get(state.DESA)
selected_codes = mapview.selected_codes(level, state.selected(), zoom_kab, desa)
map_view, map_uirevision = current_map_view(zoom_kab)
choice = petamap.MapChoice(
    level=level,
    mode=mode,
    indicator=view.indicator,
    year=year,
    method=method,
    k=k,
    breaks=breaks,
    lang=lang,
    kab=zoom_kab if desa_level else None,
    fdr=fdr,
    need=need,
    coverage=coverage,
    years=years_used,
    selected=tuple(selected_codes),
    view=map_view,
    uirevision=map_uirevision,
    title=title,
    legend_title=legend_title,
    place=zoom.get(zoom_kab, "") if desa_level else "",
)
if mode != "bivariate":
    choice = petamap.titled(choice)
    if choice.mode != mode:  # LISA undefined for these values: the indicator map instead
        mode_box.info(t("peta.lisa.undefined"))
    mode, title = choice.mode, choice.title
# The map of each other indicator, as a change from this view asks for it, built while idle.
warming.peta(choice, st.session_state[state.MAP_MODE])
imap = petamap.map_data(choice)
# --------------------------------------------------------------------------- the map
# Built once per data stamp and choice, shared by every session (ui.petamap).
shared = petamap.peta_map(choice)
decimals, direction, illustrative = shared.decimals, shared.direction, shared.illustrative

left, right = st.columns([3, 1])
with left:
    st.segmented_control(
        t("peta.views.label"),
        options=list(state.PETA_VIEWS),
        format_func=lambda v: t(f"peta.views.{v}", lang=lang),
        key=state.PETA_VIEW,
        on_change=state.keep_choice,
        args=(state.PETA_VIEW,),
        label_visibility="collapsed",
    )
    shown_view = st.session_state[state.PETA_VIEW]
    with st.container():  # present with or without a badge: the map keeps its place
        badges.badge(illustrative)
    if shown_view == "map":
        # A persistent element: the user's zoom and pan survive indicator and year changes.
        plotly_map.plotly_map(
            shared.figure,
            key=MAP_KEY,
            config=chart.figure_config(lang, filename="peta", geo=True),
            revision=mapview.map_revision(
                mode, view.indicator, view.year, method, k, selected_codes
            ),
            on_click=on_map_click,
            lod=shared.lod,
        )
        if mode == "lisa":
            st.caption(
                mapview.moran_caption(imap.moran_i, imap.moran_p, map_data.LISA_PERMUTATIONS, lang)
            )
        st.caption(t("peta.legend.ranks_note") + " " + t("peta.download.png"))
        st.caption(shared.alt_text)
    else:
        draw_table_or_chart(shown_view)

# --------------------------------------------------------------------------- summary
with right:
    st.subheader(t("peta.summary.title"))
    if level == "kecamatan":
        st.toggle(t("peta.summary.add"), key=ADD_KEY, help=t("peta.summary.add_help"))
    focus = {"kecamatan": (state.selected() or [None])[0], "desa": desa}.get(level, zoom_kab)
    summary = mapview.focus_summary(
        imap.table,
        focus,
        level=level,
        mode=mode,
        decimals=decimals,
        year=view.year,
        unit=view.unit,
        lang=lang,
        direction=direction,
    )
    if summary is None:
        st.caption(t("peta.summary.none"))
    else:
        st.markdown(f"**{escape_markdown(summary.name)}**")
        if summary.place:
            st.caption(summary.place)
        if summary.value_text is not None:
            st.metric(summary.value_label, summary.value_text)
        for line in summary.lines:
            st.write(line)
        badges.badge(illustrative)
        if level == "desa":
            kec_kode = imap.table.set_index("code").loc[desa, "kec_kode"]
            if st.button(
                t("peta.summary.desa_profile"),
                key="peta_desa_profile",
                on_click=state.select,
                args=(kec_kode,),
            ):
                st.switch_page("pages/profil.py")
        if level == "kecamatan":
            others = mapview.also_selected(imap.table, state.selected())
            if others:
                st.caption(t("peta.summary.also_selected", names=", ".join(others)))
            st.page_link(
                "pages/profil.py", label=t("peta.summary.profile"), icon=":material/description:"
            )
            st.page_link(
                "pages/bandingkan.py",
                label=t("peta.summary.compare"),
                icon=":material/compare_arrows:",
            )
            if st.button(t("peta.summary.clear"), key="peta_clear"):
                state.clear_selection()
                st.rerun()

# --------------------------------------------------------------------------- downloads
st.subheader(t("peta.download.title"))
exports.download_buttons(
    functools.partial(mapview.export_table, imap.table, mode, view.indicator, year, view.unit, lang),
    mapview.export_name(view.indicator, level, view.year, lang),
    key="peta",
    illustrative="illustrative",
    sources=map_data.source_lines(shown),
)
advance_player(available_years)
