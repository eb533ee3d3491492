"""Profil Kecamatan: the camat's coordination sheet for one kecamatan, with its report."""

from __future__ import annotations

import streamlit as st

from i18n.text import display_name, escape_markdown
from ui import badges, compare, data, exports, profile, profile_desa, report, sidebar, state
from ui.components.chart import plotly_chart
from ui.data import compare as data_compare
from ui.data import profile as data_profile
from ui.i18n import current_lang, t

PREFIX = "profil_"
KEC_KEY = PREFIX + "kec"
NEED_KEY = PREFIX + "need"
SCOPE_KEY = PREFIX + "scope"

view = sidebar.current_view()
lang = current_lang()
st.title(t("profile.page.title"))
st.caption(t("profile.page.intro"))

kec = data.regions_table("kecamatan")
kec["kode"] = kec["kode"].astype(str)
options = compare.region_options(kec, "kecamatan")
code_to_label = {code: label for label, code in options.items()}
cat = data_compare.catalogue_frame("kecamatan")
names = compare.indicator_names(cat, lang)

# The focus is the first selected kecamatan (map click, URL ?kec=, Bandingkan, or this box).
selected = state.selected()
focus = selected[0] if selected else None
if focus is not None and focus not in code_to_label:
    st.warning(t("profile.page.unknown_code", code=focus))
    focus = None
if st.session_state.get(KEC_KEY) != focus:
    st.session_state[KEC_KEY] = focus


def _choose() -> None:
    code = st.session_state.get(KEC_KEY)
    if code:
        state.select(code, add=True)


st.selectbox(
    t("profile.page.choose"),
    options=list(code_to_label),
    format_func=lambda c: code_to_label.get(c, c),
    key=KEC_KEY,
    index=None,
    placeholder=t("common.picker.choose_one"),
    on_change=_choose,
)
if focus is None:
    st.info(t("profile.page.none"))
    st.stop()

row = data_profile.region_row(focus)
name = display_name(row["nama"])
kab_name = data_profile.kabupaten_names().get(
    str(row["kab_kode"]), display_name(row.get("kab_nama"))
)
neighbour_codes = list(data.neighbours("kecamatan").get(focus, []))
neighbour_names = [compare.short_label(code_to_label.get(c, c)) for c in neighbour_codes]

st.header(f"{name} — {kab_name}")

# --------------------------------------------------------------------------- identity
st.subheader(t("profile.identity.heading"))
left, right = st.columns([3, 2])
with left:
    metrics = profile.identity_metrics(row, len(neighbour_codes), lang)
    for cell, (label, value) in zip(st.columns(3) + st.columns(3), metrics, strict=True):
        cell.metric(label, value)
    st.markdown(f"**{t('profile.identity.kabupaten')}:** {kab_name} ({row['kab_kode']})")
    st.markdown(
        f"**{t('profile.identity.neighbours')}:** "
        + (", ".join(neighbour_names) if neighbour_names else t("profile.identity.no_neighbours"))
    )
    if bool(row.get("is_island")):
        st.caption(t("profile.identity.island", k=len(neighbour_codes)))
with right:
    shapes = data_profile.locator_shapes(focus)
    svg = profile.locator_svg(**shapes) if shapes else ""
    if svg:
        st.markdown(f"<div data-testid='profil-locator'>{svg}</div>", unsafe_allow_html=True)
        st.caption(t("profile.identity.locator", kab=kab_name))

# --------------------------------------------------------------------------- desa
st.subheader(t("profile.desa.heading"))
desa = data_profile.desa_frame(focus)
sidebar.show_indicators(*data_profile.desa_years())  # the footer names their sources
st.caption(profile_desa.intro(desa, name=name, lang=lang))
table_col, map_col = st.columns([3, 2])
with table_col:
    desa_table = profile_desa.desa_table(desa, lang=lang)
    st.dataframe(
        profile_desa.desa_styler(desa_table, lang=lang),
        hide_index=True,
        width="stretch",
        key=PREFIX + "desa_table",
        column_config={t("profile.desa.col_nama"): st.column_config.Column(pinned=True)},
    )
    st.caption(t("profile.desa.distance_note"))
with map_col:
    desa_fig = profile_desa.desa_map_figure(
        desa,
        data.display_geojson("desa", str(row["kab_kode"])),
        lang=lang,
        outline_url=data.display_geojson("kecamatan"),
        kecamatan=focus,
    )
    plotly_chart(desa_fig, key=PREFIX + "desa_map", filename=f"desa_{focus}")
    st.caption(profile_desa.map_caption(desa, name=name, lang=lang))
exports.download_buttons(
    profile_desa.export_table(desa, lang=lang),
    f"profil_{focus}_desa",
    key=PREFIX + "desa",
    sources=data_compare.source_lines(list(data_profile.desa_years()), cat),
    sheet_name="desa",
    labels=(t("profile.desa.csv"), t("profile.desa.xlsx")),
)

# --------------------------------------------------------------------------- indicators
st.subheader(t("profile.indicators.heading"))
rows = data_profile.indicator_table(focus)
sidebar.show_indicators(*rows["indicator"])  # the footer names their sources
rows = rows.assign(name=rows["indicator"].map(lambda i: names.get(i, i)))
any_illustrative = bool(rows["illustrative"].any()) if len(rows) else False
badges.badge(any_illustrative)
st.caption(t("profile.indicators.note"))
shown = profile.display_rows(rows, lang=lang, badge_text=badges.text())
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={
        t("profile.indicators.col_sparkline"): st.column_config.LineChartColumn(
            t("profile.indicators.col_sparkline"), width="small"
        )
    },
)
export = profile.export_rows(rows, lang=lang)
sources = data_compare.source_lines(list(rows["indicator"]), cat)
exports.download_buttons(
    export,
    f"profil_{focus}_indikator",
    key="profil",
    illustrative="illustrative",
    sources=sources,
    sheet_name="profil",
    labels=(t("profile.download.csv"), t("profile.download.xlsx")),
)

# --------------------------------------------------------------------------- gaps
st.subheader(t("profile.gaps.heading"))
needs = data_profile.need_indicators(cat)
need = None
gaps = None
if not needs:
    st.caption(t("profile.gaps.none"))
else:
    need = st.selectbox(
        t("profile.gaps.need_choice"), needs, format_func=lambda i: names.get(i, i), key=NEED_KEY
    )
    gaps = data_profile.gap_table(focus, need)
    if gaps.empty:
        st.caption(t("profile.gaps.none"))
        gaps = None
    else:
        badges.badge(bool(gaps["illustrative"].any()))
        need_name = escape_markdown(names.get(need, need))
        st.caption(t("profile.gaps.intro", need=need_name, n=int(gaps["n"].max())))
        shown_gaps = profile.with_sentences(
            gaps,
            kecamatan=name,
            need=need,
            names=names,
            need_unit=str(cat.at[need, "unit"] or ""),
            lang=lang,
        )
        for g in shown_gaps.to_dict("records"):
            # the sentences carry indicator names from the catalogue: text, not Markdown
            if g["flag"]:
                st.warning(escape_markdown(g["sentence"]), icon=":material/priority_high:")
            else:
                st.markdown(f"- {escape_markdown(g['sentence'])}")
        st.dataframe(profile.display_gaps(shown_gaps, lang=lang), hide_index=True, width="stretch")

# --------------------------------------------------------------------------- peers
st.subheader(t("profile.peers.heading"))
scope = (
    st.segmented_control(
        t("profile.peers.scope"),
        options=["all", "kabupaten", "neighbours"],
        format_func=lambda s: t(
            {
                "all": "profile.peers.scope_all",
                "kabupaten": "profile.peers.scope_kab",
                "neighbours": "profile.peers.scope_neighbours",
            }[s]
        ),
        default="all",
        key=SCOPE_KEY,
    )
    or "all"
)
peers = data_compare.suggest_peers("kecamatan", focus, n=5, within=None if scope == "all" else scope)
peer_rows = None
peer_names = [compare.short_label(code_to_label.get(p, p)) for p in peers]
if not peers:
    st.caption(t("profile.peers.none"))
else:
    st.write(t("profile.peers.intro", names=", ".join(peer_names)))
    peer_rows = data_profile.peer_rows(focus, peers, list(rows["indicator"]))
    peer_rows = peer_rows.merge(
        rows[["indicator", "name", "decimals", "illustrative"]], on="indicator"
    )
    st.dataframe(
        profile.display_peers(peer_rows, lang=lang, badge_text=badges.text()),
        hide_index=True,
        width="stretch",
    )

    def _open_compare() -> None:
        st.session_state[state.SELECTED] = [focus] + peers[: state.MAX_SELECTED - 1]
        st.session_state[state.LEVEL] = "kecamatan"

    if st.button(t("profile.peers.open_compare"), on_click=_open_compare):
        st.switch_page("pages/bandingkan.py")

# --------------------------------------------------------------------------- report
st.subheader(t("profile.download.heading"))
src = data.sources()
source_records = profile.source_records(list(rows["indicator"]), cat, src)
report_langs = ["id"] if lang == "id" else ["id", "en"]
# a wrapping row of buttons as wide as their labels (a column would cut them)
buttons = st.container(horizontal=True, wrap=True)
for rl in report_langs:
    html = report.report_html(
        rl,
        region=row,
        kab_name=kab_name,
        neighbours=neighbour_names,
        rows=rows,
        catalogue=cat,
        gaps=gaps,
        need=need,
        peers=peer_rows,
        peer_names=peer_names,
        sources=source_records,
        locator_svg=svg,
        desa=desa,
        desa_shapes=data_profile.desa_shapes(focus),
    )
    buttons.download_button(
        t("profile.download.button" if rl == "id" else "profile.download.button_en"),
        html.encode("utf-8"),
        file_name=report.report_filename(row, rl),
        mime="text/html",
        help=t("profile.download.help"),
        icon=":material/download:",
        key=f"{PREFIX}report_{rl}",
        wrap=True,
    )
