"""Peta: the choropleth map explorer (indicator, LISA clusters, need × coverage).

Data: :mod:`ui.data.maps`; texts, layers, view, summary and download table:
:mod:`ui.mapview`; the figure: :func:`ui.maps.map_figure`.
"""

from __future__ import annotations

import streamlit as st

from i18n.text import escape_markdown, escape_plotly_html
from ui import badges, data, exports, maps, mapview, state
from ui.components import chart, plotly_map
from ui.data import maps as map_data
from ui.i18n import current_lang, t
from ui.sidebar import current_view, show_indicators

MAP_KEY = "peta_map"
ADD_KEY = "peta_add_to_selection"
ZOOM_KEY = "peta_zoom"

view = current_view()
lang = current_lang()
st.title(t("peta.page.title"))
if not view.indicator or view.year is None:
    st.info(t("common.error.no_data"))
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
    value = st.session_state[ZOOM_KEY]
    st.session_state[state.KABUPATEN] = None if value == mapview.ALL else value


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

# --------------------------------------------------------------------------- data and layer
k = int(st.session_state[state.N_CLASSES])
title = mapview.map_title(escape_plotly_html(view.name()), escape_plotly_html(view.unit), view.year)
legend_title = t("peta.legend.title")
shown = [view.indicator]
if mode == "bivariate":
    options = data.indicators_for(level)
    names = mapview.indicator_names(data.catalogue(), lang)
    for key in (state.NEED, state.COVERAGE):
        st.session_state[key] = mapview.valid_choice(st.session_state.get(key), options)
    b1, b2 = st.columns(2)
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
    imap = map_data.bivariate_map(level, need, coverage, *years_used, lang)
    title, legend_title = f"{escape_plotly_html(names[need])} × {escape_plotly_html(names[coverage])}", ""
    st.caption(mapview.bivariate_caption(names, need, coverage, years_used, lang))
elif mode == "lisa":
    fdr = st.toggle("FDR (Benjamini–Hochberg)", key="peta_lisa_fdr")
    imap = map_data.lisa_map(level, view.indicator, year, fdr)
    if imap is None:
        st.info(t("peta.lisa.undefined"))
        mode = "indicator"
    else:
        title, legend_title = f"{t('peta.lisa.title')}: {title}", ""
zoom_kab = st.session_state.get(state.KABUPATEN)
if mode == "indicator":
    imap = map_data.indicator_map(
        level, view.indicator, year, method, k, breaks, lang, kab=zoom_kab if desa_level else None
    )
decimals = maps.decimals_for(view.meta, imap.table["value"].dropna())
direction = (view.meta or {}).get("direction", "neutral")
if mode == "bivariate":
    need_meta, cov_meta = data.indicator_meta(need), data.indicator_meta(coverage)
    direction = need_meta.get("direction", "neutral")
    layer = mapview.bivariate_layer(imap.table, need_meta, cov_meta, level, lang)
elif mode == "lisa":
    layer = mapview.lisa_layer(imap.table, decimals, lang)
else:
    labels = imap.classification.labels
    layer = mapview.indicator_layer(imap.table, labels, imap.method, direction, decimals)

# --------------------------------------------------------------------------- figure
desa = st.session_state.get(state.DESA)
selected_codes = mapview.selected_codes(level, state.selected(), zoom_kab, desa)
outline_level = {"kecamatan": "kabupaten", "desa": "kecamatan"}.get(level)
fig = maps.map_figure(
    layer,
    data.display_geojson(level, zoom_kab if desa_level else None),
    level=level,
    outline_url=data.display_geojson(outline_level) if outline_level else None,
    outline_codes=map_data.outline_codes(zoom_kab if desa_level else None) if outline_level else (),
    selected=selected_codes,
    view=mapview.map_view(map_data.province_bounds(), map_data.kabupaten_bounds(), zoom_kab),
    text=mapview.map_text(
        view.meta, lang, title, legend_title, zoom.get(zoom_kab, "") if desa_level else ""
    ),
    decimals=decimals,
    uirevision=f"{level}|{zoom_kab or 'all'}",
)
# Badge from the values' own flags (e.g. the 2010 census population is real, later years not).
illustrative = bool(imap.table["illustrative"].any())
badges.badge_figure(fig, illustrative, lang)

left, right = st.columns([3, 1])
with left:
    badges.badge(illustrative)
    # A persistent element: the user's zoom and pan survive indicator and year changes.
    plotly_map.plotly_map(
        fig,
        key=MAP_KEY,
        config=chart.figure_config(lang, filename="peta", geo=True),
        revision=mapview.map_revision(mode, view.indicator, view.year, method, k, selected_codes),
        on_click=on_map_click,
    )
    if mode == "lisa":
        st.caption(
            mapview.moran_caption(imap.moran_i, imap.moran_p, map_data.LISA_PERMUTATIONS, lang)
        )
    st.caption(t("peta.legend.ranks_note") + " " + t("peta.download.png"))
    st.caption(mapview.map_alt_text(imap.table, decimals, lang))

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
    mapview.export_table(imap.table, mode, view.indicator, year, view.unit, lang),
    mapview.export_name(view.indicator, level, view.year, lang),
    key="peta",
    illustrative="illustrative",
    sources=map_data.source_lines(shown),
)
