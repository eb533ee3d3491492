"""Ketimpangan: inequality indices, Lorenz, Theil decomposition, convergence, Klassen, Moran.

A thin script: widgets and session state here, numbers from :mod:`ui.data.disparity`, texts,
tables and figures from the builders of :mod:`ui.disparity`.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from i18n.text import escape_markdown, escape_plotly_html
from ui import badges, data, desa_theil, disparity, exports, linked, sidebar, state
from ui.components import chart
from ui.data import desa_theil as data_desa_theil
from ui.data import disparity as data_disparity
from ui.data import maps as map_data
from ui.i18n import current_lang, t

PREFIX = "ketimpangan_"

# The section functions below read the page's settings (view, lang, level, indicator, year,
# weighted, frame, illustrative, years), which the script at the end sets before calling them.


def show_metrics(columns, metrics: list[disparity.Metric]) -> None:
    """Draw the cards in the columns, wrapping onto the columns again after the last one."""
    for n, m in enumerate(metrics):
        boxed = {"delta": m.delta, "delta_color": "off", "delta_arrow": "off", "border": True}
        columns[n % len(columns)].metric(
            m.label, m.value, help=m.help, **(boxed if m.boxed else {})
        )


def show_chart(fig, key: str, flag: bool | None = None, **kwargs) -> None:
    """Draw a figure with the illustrative badge (the page's, or ``flag``) above its plot."""
    badges.badge_figure(fig, illustrative if flag is None else flag)
    badges.lift_badge(fig)
    chart.plotly_chart(fig, key=PREFIX + key, **kwargs)


def brush(key: str, valid: frozenset[str]) -> None:
    """``on_select`` of a linked chart: its selection becomes the page's brushed regions."""
    value = st.session_state.get(PREFIX + key)
    selection = value.get("selection") if value is not None else None
    st.session_state[state.BRUSHED] = linked.codes_from_selection(selection, valid)


def clear_brush() -> None:
    st.session_state[state.BRUSHED] = []


def linked_charts(scatter, region_map, names: dict[str, str], keys: tuple[str, str],
                  flag: bool | None = None) -> None:
    """The scatter and the map side by side, linked: a selection in either (box, lasso or
    click) is kept in ``state.BRUSHED`` and highlighted in both."""
    valid = frozenset(names)
    brushed = [c for c in state.brushed() if c in valid]
    linked.highlight_scatter(scatter, brushed)
    linked.highlight_map(region_map, brushed, data.display_geojson(level))
    for column, fig, key in zip(st.columns(2), (scatter, region_map), keys, strict=True):
        with column:
            show_chart(fig, key, flag=flag, on_select=partial(brush, key, valid),
                       selection_mode=linked.SELECTION_MODES)
    st.caption(t("disparity.linked.hint"))
    caption = linked.selection_caption(names, brushed, lang)
    if caption:
        st.caption(escape_markdown(caption))  # region names are data
        st.button(t("disparity.linked.clear"), key=PREFIX + keys[0] + "_clear",
                  on_click=clear_brush)


def indices_section() -> None:
    st.subheader(t("disparity.index.heading"))
    table = data_disparity.indices(level, indicator, year, weighted)
    show_metrics(st.columns(4), disparity.index_metrics(table, weighted, lang))
    st.caption(t("disparity.index.ci_note", n=data_disparity.N_BOOT))
    export = disparity.index_export(table, weighted, lang)
    with st.expander(t("disparity.export.heading")):
        st.dataframe(disparity.index_display(export, lang), hide_index=True, width="stretch")
        exports.download_buttons(
            export,
            f"ketimpangan_{indicator}_{year}",
            key="ketimpangan",
            illustrative=illustrative,
            sheet_name="ketimpangan",
        )


def lorenz_section() -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(t("disparity.lorenz.heading"), help=t("disparity.lorenz.help"))
        points = data_disparity.lorenz_curve(level, indicator, year, weighted)
        show_chart(disparity.lorenz_chart(points, year, weighted, lang), "lorenz")
    with right:
        st.subheader(t("disparity.decomp.heading"), help=t("disparity.decomp.help"))
        g1, g2 = st.columns([2, 1])
        grouping = g1.selectbox(
            t("disparity.decomp.grouping"),
            disparity.grouping_options(level),
            format_func=lambda g: disparity.grouping_label(g, lang),
            key=PREFIX + "grouping",
        )
        kind = g2.selectbox(
            t("disparity.decomp.kind"),
            ["T", "L"],
            format_func=lambda k: f"Theil {k}",
            key=PREFIX + "kind",
        )
        if kind == "L" and (frame["y"] <= 0).any():
            st.caption(t("disparity.help.theil_l", weighting=""))
            kind = "T"
        dec = data_disparity.decomposition(level, indicator, year, weighted, grouping, kind)
        m1, m2 = st.columns(2)
        m3, m4 = st.columns(2)
        show_metrics([m1, m2, m3, m4], disparity.decomposition_metrics(dec, lang, grouping))
        test = disparity.decomposition_test(dec, grouping, data_disparity.PERMUTATIONS, lang)
        if test is not None:
            st.caption(test)
        table = disparity.component_table(dec["levels"], lang)
        st.dataframe(table, hide_index=True, width="stretch")
    st.markdown(f"**{t('disparity.decomp.contrib')}**")
    show_chart(disparity.contributions_chart(dec, level, grouping, lang), "contrib")


def convergence_section(start: int, end: int) -> None:
    st.subheader(t("disparity.sigma.heading"), help=t("disparity.sigma.help"))
    sigma = data_disparity.sigma(level, indicator, weighted)
    if len(sigma["series"]) < 2:
        st.caption(t("disparity.sigma.single_year"))
    else:
        show_chart(disparity.sigma_chart(sigma["series"], weighted, lang), "sigma")
        for caption in disparity.sigma_captions(sigma, weighted, lang):
            st.caption(caption)
    if len(years) < 2:
        return
    st.subheader(t("disparity.beta.heading"), help=t("disparity.beta.help"))
    beta = data_disparity.beta(level, indicator, start, end, weighted)
    if beta is not None:
        show_metrics(st.columns(5), disparity.beta_metrics(beta, lang))
        st.caption(disparity.beta_verdict(beta, lang))
        show_chart(disparity.beta_chart(beta, level, start, end, lang), "beta")


def klassen_section() -> None:
    """Klassen typology of GRDP (Klaassen 1965; Sjafrizal 2008), whatever the sidebar shows:
    its own growth period (default the last five years) and province reference."""
    k_years = data_disparity.klassen_years(level)
    if not k_years:
        st.caption(t("disparity.sigma.single_year"))
        return
    first, last = data_disparity.default_klassen_period(k_years)
    start, end = first, last
    if len(k_years) >= 2:
        start, end = st.select_slider(
            t("disparity.klassen.period"), options=k_years, value=(first, last),
            key=PREFIX + "klassen_period",
        )
    reference = st.radio(
        t("disparity.klassen.reference"),
        options=["published", "computed"],
        format_func=lambda r: t(f"disparity.klassen.ref_{r}", lang=lang),
        horizontal=True,
        key=PREFIX + "klassen_reference",
    )
    st.subheader(
        t("disparity.klassen.heading"), help=t("disparity.klassen.help", start=start, end=end)
    )
    kl = data_disparity.klassen(level, int(start), int(end), reference)
    if kl is None:
        return
    sidebar.show_indicators("pdrb_adhk", "pdrb_per_kapita", "pertumbuhan_ekonomi")
    for note in disparity.klassen_notes(kl, lang):
        st.caption(note)
    geojson = data.display_geojson(level)
    scatter, quadrant_map = disparity.klassen_charts(kl, level, start, end, geojson, lang)
    frame = kl["frame"]
    names = dict(zip(frame.index.astype(str), disparity.region_labels(
        frame["nama"], frame["kab_nama"], level), strict=True))
    linked_charts(scatter, quadrant_map, names, ("klassen", "klassen_map"), kl["illustrative"])
    transitions = kl["transitions"]
    if transitions is None:
        st.caption(t("disparity.klassen.transitions_none"))
        return
    st.markdown(f"**{disparity.transitions_heading(transitions, lang)}**")
    names = disparity.quadrant_names(lang)
    st.dataframe(disparity.transition_table(transitions["matrix"], names), width="stretch")


def moran_section() -> None:
    help_text = t("disparity.moran.help", perm=data_disparity.PERMUTATIONS)
    st.subheader(t("disparity.moran.heading"), help=help_text)
    moran = data_disparity.moran(level, indicator, year)
    if moran is None:
        return
    show_metrics(st.columns(4), disparity.moran_metrics(moran, data_disparity.PERMUTATIONS, lang))
    st.caption(disparity.moran_verdict(moran, lang))
    points = moran["scatter"]
    labels = disparity.region_labels(points["nama"], points["kab_nama"], level)
    plot_name = escape_plotly_html(view.name())
    scatter = linked.moran_scatter(points, labels, moran["I"], indicator=plot_name, lang=lang)
    imap = map_data.indicator_map(level, indicator, year, "quantiles", 5, (), lang)
    region_map = linked.indicator_map(
        imap, view.meta, data.display_geojson(level), level=level, lang=lang,
        title=t("disparity.moran.map", indicator=plot_name, year=year),
    )
    st.markdown(f"**{t('disparity.moran.scatter')}**")
    names = dict(zip(points.index.astype(str), labels, strict=True))
    linked_charts(scatter, region_map, names, ("moran_scatter", "moran_map"))


def three_level_section() -> None:
    """Theil T over desa, decomposed between kabupaten, between kecamatan within kabupaten
    and within kecamatan (shown for indicators with desa values: IDM, IKS, IKE, IKL)."""
    st.subheader(t("disparity.three.heading"), help=t("disparity.three.help"))
    result = data_desa_theil.three_level(indicator, year, weighted)
    if result is None:
        st.info(t("disparity.page.no_values", indicator=name, year=year))
        return
    if result["weighted"]:
        sidebar.show_indicators("penduduk")
    st.markdown(escape_markdown(desa_theil.sentence(result, view.name(), lang)))
    st.dataframe(desa_theil.parts_table(result, lang), hide_index=True, width="stretch")
    show_chart(desa_theil.shares_chart(result, lang), "three_level")
    for note in desa_theil.notes(result, lang):
        st.caption(note)


# --------------------------------------------------------------------------- the page
view = sidebar.current_view()
lang = current_lang()
level, indicator = view.level, view.indicator
st.title(t("disparity.page.title"))
if indicator is None or view.year is None:
    sidebar.show_unavailable(view.unavailable)
    st.stop()
year = int(view.year)
name = escape_markdown(view.name())  # shown in Markdown (caption, alerts) only
st.caption(disparity.intro(name, level, year, lang))
st.page_link("pages/metode.py", label=t("disparity.page.method_link"), icon=":material/menu_book:")

weighted = (
    st.radio(
        t("disparity.page.weighting"),
        options=["pop", "none"],
        format_func=lambda k: disparity.weighting_label(k == "pop", lang),
        horizontal=True,
        key=PREFIX + "weighting",
    )
    == "pop"
)
pop_year = data_disparity.population_year(level, year) if weighted else None
weighted = weighted and pop_year is not None
frame = data_disparity.inputs(level, indicator, year, weighted)
if weighted:
    sidebar.show_indicators("penduduk")  # the weights' source is named in the footer
if frame.empty:
    st.info(t("disparity.page.no_values", indicator=name, year=year))
    st.stop()
undefined = disparity.inequality_undefined(frame["y"])
if undefined:
    notice = st.warning if undefined == "negative" else st.info
    notice(t(f"disparity.page.{undefined}", indicator=name, year=year))
    st.stop()
illustrative = view.illustrative or bool(data.values(level, indicator, year)["illustrative"].any())
# an index weighted by illustrative population is badged like an illustrative value
weights_generated = weighted and data_disparity.weights_illustrative(level, year)
illustrative = illustrative or weights_generated
badges.badge(illustrative)
basis = data_disparity.population_basis(level, pop_year) if weighted else ""
st.caption(disparity.weighting_note(len(frame), weighted, year, pop_year, lang, basis))
if weights_generated:
    st.caption(t("common.population_basis.weights_illustrative"))

indices_section()

# One analysis at a time below the indices: each section costs only its own charts.
section = (
    st.segmented_control(
        t("disparity.section.label"),
        options=list(disparity.SECTIONS)
        + (["three"] if data_desa_theil.applies(indicator, year) else []),
        format_func=lambda k: t(f"disparity.section.{k}", lang=lang),
        default="lorenz",
        required=True,
        key=PREFIX + "section",
    )
    or "lorenz"
)
years = data.years(level, indicator)
start, end = (years[0], years[-1]) if years else (year, year)
if section == "convergence" and len(years) >= 2:
    start, end = st.select_slider(
        t("disparity.beta.period"),
        options=years,
        value=(years[0], years[-1]),
        key=PREFIX + "period",
    )
    if start == end:
        start, end = years[0], years[-1]
start, end = int(start), int(end)

if section == "lorenz":
    lorenz_section()
elif section == "convergence":
    convergence_section(start, end)
elif section == "klassen":
    klassen_section()
elif section == "moran":
    moran_section()
elif section == "three":
    three_level_section()
