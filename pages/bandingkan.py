"""Bandingkan: compare 2–8 kecamatan or kabupaten/kota on every chosen indicator."""

from __future__ import annotations

import streamlit as st

from ui import badges, compare, data, exports, sidebar, state
from ui.components import chart
from ui.data import compare as data_compare
from ui.i18n import current_lang, fmt_number, plotly_separators, rank_cell, t

PREFIX = "bandingkan_"
REGIONS_KEY = PREFIX + "regions"
INDICATORS_KEY = PREFIX + "indicators"
SYNCED_KEY = PREFIX + "synced"
PREFERRED = (
    "persentase_penduduk_miskin",
    "pdrb_per_kapita",
    "ipm",
    "kepadatan_penduduk",
    "cakupan_pkh",
    "akses_air_minum_layak",
)

view = sidebar.current_view()
lang = current_lang()
level = view.level
st.title(t("compare.page.title"))
st.caption(t("compare.page.intro"))

cat = data_compare.catalogue_frame(level)
available = data_compare.ordered_indicators(level)
options = compare.region_options(data.regions_table(level), level)
code_to_label = {code: label for label, code in options.items()}
names = compare.indicator_names(cat, lang)


def _short_label(code: str) -> str:
    return compare.short_label(code_to_label.get(code, code))


def _from_map() -> list[str]:
    kab_of = data_compare.groups_of("kecamatan") if level == "kabupaten" else {}
    chosen = compare.in_level(state.selected(), level, kab_of)
    return [c for c in chosen if c in code_to_label][: state.MAX_SELECTED]


# The map's selection fills the list whenever it changed since we last looked.
map_now = tuple(_from_map()) + (level,)
if st.session_state.get(SYNCED_KEY) != map_now or REGIONS_KEY not in st.session_state:
    st.session_state[REGIONS_KEY] = list(map_now[:-1])
    st.session_state[SYNCED_KEY] = map_now
else:
    st.session_state[REGIONS_KEY] = [c for c in st.session_state[REGIONS_KEY] if c in code_to_label]


def _suggest() -> None:
    chosen = st.session_state.get(REGIONS_KEY) or []
    if not chosen:
        st.session_state[PREFIX + "msg"] = t("compare.page.peers_none")
        return
    room = state.MAX_SELECTED - len(chosen)
    peers = data_compare.suggest_peers(level, chosen[0], n=max(room, 0))
    added = [p for p in peers if p not in chosen][:room]
    st.session_state[REGIONS_KEY] = chosen + added
    st.session_state[PREFIX + "msg"] = t(
        "compare.page.peers_added", n=len(added), name=_short_label(chosen[0])
    )
    _remember()


def _use_map() -> None:
    st.session_state[REGIONS_KEY] = _from_map()
    _remember()


def _remember() -> None:
    # Kecamatan chosen here become the shared selection (first = focus of Profil).
    if level == "kecamatan":
        st.session_state[state.SELECTED] = list(st.session_state[REGIONS_KEY])
        st.session_state[SYNCED_KEY] = tuple(st.session_state[REGIONS_KEY]) + (level,)


st.multiselect(
    t("compare.page.regions"),
    options=list(code_to_label),
    format_func=lambda c: code_to_label.get(c, c),
    key=REGIONS_KEY,
    max_selections=state.MAX_SELECTED,
    placeholder=t("common.picker.choose_many"),
    help=t("compare.page.regions_help"),
    on_change=_remember,
    # Enter adds only the highlighted region: no "Select N matches" entry (which Enter
    # chose first), and typing "Gubeng" lists the names that contain it, not fuzzy matches.
    select_all=False,
    filter_mode="contains",
)
b1, b2, _ = st.columns([1, 1, 3])
b1.button(t("compare.page.from_map"), help=t("compare.page.from_map_help"), on_click=_use_map)
b2.button(t("compare.page.peers"), help=t("compare.page.peers_help"), on_click=_suggest)
if st.session_state.get(PREFIX + "msg"):
    st.caption(st.session_state.pop(PREFIX + "msg"))

if INDICATORS_KEY not in st.session_state:
    st.session_state[INDICATORS_KEY] = compare.default_indicators(
        view.indicator, available, PREFERRED
    )
else:
    st.session_state[INDICATORS_KEY] = [
        i for i in st.session_state[INDICATORS_KEY] if i in available
    ]
st.multiselect(
    t("compare.page.indicators"),
    options=available,
    # ``lang`` bound now: AppTest calls format functions outside the script run
    format_func=lambda i: badges.label(names.get(i, i), bool(cat.at[i, "illustrative"]), lang),
    key=INDICATORS_KEY,
    placeholder=t("common.picker.choose_many"),
)

chosen = list(st.session_state[REGIONS_KEY])
indicators = list(st.session_state[INDICATORS_KEY])
if len(chosen) < 2:
    st.info(t("compare.page.need_two"))
    st.stop()
if not indicators:
    st.info(t("compare.page.no_indicators"))
    st.stop()

table = data_compare.build_comparison(level, chosen, indicators, view.year)
sidebar.show_indicators(*indicators)  # the footer names their sources
labels = {c: _short_label(c) for c in chosen}
decimals = compare.decimals_of(cat, indicators)
headers = compare.headers(lang)
any_illustrative = bool(table["illustrative"].any())

st.subheader(t("compare.section.table"))
badges.badge(any_illustrative)
st.caption(t("compare.page.year_note", year=view.year) + " " + t("common.rank.note"))
shown = compare.display_table(
    table,
    labels,
    names,
    decimals,
    headers,
    fmt=lambda v, d: fmt_number(v, d, lang=lang),
    badge_text=badges.text(),
    rank_fmt=lambda r, n: rank_cell(r, n, lang),
)
if level == "kabupaten":  # no kabupaten above a kabupaten
    shown = shown.drop(columns=[headers[k] for k in compare.KABUPATEN_ONLY])
st.dataframe(shown, hide_index=True, width="stretch")

export = compare.export_table(table, {c: code_to_label.get(c, c) for c in chosen}, names, headers)
sources = data_compare.source_lines(indicators, cat)
exports.download_buttons(
    export,
    f"bandingkan_{level}",
    key="bandingkan",
    illustrative="illustrative",
    sources=sources,
    sheet_name="bandingkan",
)

sep = plotly_separators(lang)
st.subheader(t("compare.section.bars"))
titles = compare.panel_titles(table, indicators, names, badges.text())
fig = compare.bars_figure(
    table, indicators, labels, titles, reference_label=t("compare.chart.province"), separators=sep
)
badges.badge_figure(fig, any_illustrative)
badges.lift_badge(fig)
st.caption(t("compare.chart.province_line"))
chart.plotly_chart(fig, key=PREFIX + "bars", filename="bandingkan")

st.subheader(t("compare.section.normalised"))
st.caption(t("compare.section.normalised_note"))
scores = data_compare.scores(level, chosen, indicators, view.year)
fig = compare.normalised_figure(
    scores, labels, names, axis_title=t("compare.chart.score"), separators=sep
)
badges.badge_figure(fig, any_illustrative)
badges.lift_badge(fig)
chart.plotly_chart(fig, key=PREFIX + "normalised", filename="bandingkan")

st.subheader(t("compare.section.trend"))
trend_ind = st.selectbox(
    t("compare.section.trend_indicator"),
    options=indicators,
    format_func=lambda i: names.get(i, i),
    key=PREFIX + "trend_indicator",
)
long = data_compare.long_values(level, chosen, [trend_ind])
trend = compare.trend_frame(long, chosen, trend_ind)
if len(trend.index) < 2:
    st.caption(t("compare.section.trend_none"))
else:
    ill = bool(long["illustrative"].any())
    fig = compare.trend_figure(
        trend,
        labels,
        title=badges.label(names.get(trend_ind, trend_ind), ill),
        unit=str(cat.at[trend_ind, "unit"] or ""),
        separators=sep,
    )
    badges.badge_figure(fig, ill)
    badges.lift_badge(fig)
    chart.plotly_chart(fig, key=PREFIX + "trend", filename="bandingkan")
