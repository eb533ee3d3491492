"""Beranda: the overview of the chosen indicator and year.

Data: :mod:`ui.data.maps` and :mod:`ui.data.disparity`; headline cells, rankings and
changes: :mod:`ui.overview`; the small map, shared by every session: :func:`ui.petamap.small_map`.
"""

from __future__ import annotations

import streamlit as st

from i18n.text import escape_markdown
from ui import badges, data, disparity, maps, overview, petamap, state, warming
from ui.components import chart, plotly_map
from ui.data import disparity as data_disparity
from ui.data import maps as map_data
from ui.data import province
from ui.i18n import current_lang, t
from ui.sidebar import current_view, show_unavailable

view = current_view()
lang = current_lang()
st.title(t("beranda.page.title"))
if not view.indicator or view.year is None:
    show_unavailable(view.unavailable)
    st.stop()

level, indicator, year = view.level, view.indicator, int(view.year)
direction = (view.meta or {}).get("direction")


def on_small_map_click() -> None:
    """A click on the small map selects the kecamatan (carried to Peta, Profil, Bandingkan)."""
    code = plotly_map.clicked_code("beranda_map")
    if code and level == "kecamatan":
        state.select(code)


def draw_metric(cell: overview.Metric) -> None:
    st.metric(
        cell.label, cell.value, delta=cell.delta, delta_color=cell.delta_color, help=cell.help
    )
    if cell.caption:
        st.caption(cell.caption)


frame = map_data.map_frame(level, indicator, year)
decimals = maps.decimals_for(view.meta, frame["value"].dropna())
level_word = t(f"beranda.level.{level}")
st.markdown(
    t(
        "beranda.page.intro",
        indicator=f"**{escape_markdown(view.name())}**",
        year=year,
        n=int(frame["applicable"].sum()),
        level=level_word,
    )
    + (
        " " + t("beranda.page.not_applicable", n=int((~frame["applicable"]).sum()), level=level_word)
        if not frame["applicable"].all()
        else ""
    )
)
illustrative = bool(frame["illustrative"].any())  # the values' own flags
badges.badge(illustrative)
previous_year = overview.previous_year(data.years(level, indicator), year)

# --------------------------------------------------------------------------- headline figures
cols = st.columns(4)
# BPS's published figure where one exists (with its period and source), else the aggregate
# computed here, labelled so; the change only between two figures of the same basis.
now = province.figure(indicator, year)
before = province.figure(indicator, previous_year)
with cols[0]:
    draw_metric(
        overview.province_metric(
            now.value,
            before.value if before.kind == now.kind else None,
            year=year,
            previous=previous_year,
            decimals=decimals,
            unit=view.unit,
            direction=direction,
            lang=lang,
            basis=province.basis_text(now, lang),
            method=province.method_text(now, lang),
        )
    )
    if now.illustrative:
        badges.badge(True)

weighted = overview.weighted_kind(view.meta)
undefined = disparity.inequality_undefined(frame["value"])
if undefined:
    with cols[1]:
        st.info(t(f"beranda.inequality.{undefined}"))
    indices = None
else:
    indices = data_disparity.indices(level, indicator, year, weighted)
    pop_year = data_disparity.population_year(level, year) if weighted else None
    help_text = overview.inequality_help(
        len(data_disparity.inputs(level, indicator, year, weighted)),
        level_word,
        pop_year,
        weighted,
        data_disparity.N_BOOT,
        lang,
        basis=data_disparity.population_basis(level, pop_year),
    )
    for col, cell in zip(
        cols[1:], overview.inequality_metrics(indices, help_text, lang), strict=True
    ):
        with col:
            draw_metric(cell)
    # an index weighted by illustrative population is badged like an illustrative value
    if weighted and not illustrative and data_disparity.weights_illustrative(level, year):
        with cols[1]:
            badges.badge(True)
            st.caption(t("common.population_basis.weights_illustrative"))

# --------------------------------------------------------------------------- decomposition
if level == "kecamatan" and indices is not None:
    d = data_disparity.decomposition(level, indicator, year, weighted, "kab_kode", "T")
    split = overview.decomposition(float(d["between_share"]), lang)
    st.subheader(t("beranda.decomposition.title"))
    st.progress(split.share, text=split.text)
    st.caption(split.caption)

# --------------------------------------------------------------------------- top/bottom + map
left, right = st.columns([1.1, 1])
with left:
    ranking = overview.rank_tables(
        frame,
        level=level,
        level_word=level_word,
        decimals=decimals,
        unit=view.unit,
        illustrative=illustrative,
        lang=lang,
    )
    if ranking.same:
        st.info(ranking.same)
    for heading, table, note in ranking.tables:
        st.markdown(f"**{heading}**")
        st.dataframe(table, hide_index=True, width="stretch")
        if note:
            st.caption(note)
with right:
    st.markdown(f"**{t('beranda.map.title')}**")
    small = petamap.small_map(level, indicator, year, lang)  # shared by every session
    plotly_map.plotly_map(
        small.figure,
        key="beranda_map",
        config=chart.figure_config(lang, filename="beranda", geo=True),
        revision=f"{indicator}|{year}|{level}",
        on_click=on_small_map_click,
        lod=small.lod,
    )
    st.page_link("pages/peta.py", label=t("beranda.map.open"), icon=":material/map:")
# Every other indicator's figures, tables and map, as a change from here asks for them,
# built while the server is idle (ui.warming).
warming.beranda(level, indicator, year, lang)

# --------------------------------------------------------------------------- change
if previous_year is None:
    st.subheader(t("beranda.change.title", year="–"))
    st.caption(t("beranda.change.none"))
else:
    st.subheader(t("beranda.change.title", year=previous_year))
    before = map_data.map_frame(level, indicator, previous_year)
    before_illustrative = bool(before["illustrative"].any())
    ch = overview.changes(before, frame)
    text, caption = overview.change_summary(ch, direction or "neutral", lang)
    st.write(text)
    if caption:
        st.caption(caption)
    badges.badge(illustrative or before_illustrative)
    tables = overview.change_tables(
        ch,
        level=level,
        decimals=decimals,
        years=(previous_year, year),
        illustrative=(before_illustrative, illustrative),
        lang=lang,
    )
    # one below the other at full width: side by side, five columns were cut at 1440 px
    for heading, shown in tables:
        st.markdown(f"**{heading}**")
        if shown.empty:
            st.caption(t("beranda.change.no_rows"))
        else:
            st.dataframe(shown, hide_index=True, width="stretch")
