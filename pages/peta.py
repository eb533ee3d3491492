"""Peta: the choropleth map explorer (indicator, LISA clusters, need × coverage)."""

from __future__ import annotations

import streamlit as st

from ui import badges, data, exports, maps, mapview, state
from ui.components import plotly_map
from ui.i18n import current_lang, fmt_number, t
from ui.sidebar import current_view, show_indicators

MAP_KEY = "peta_map"
ADD_KEY = "peta_add_to_selection"

view = current_view()
lang = current_lang()
st.title(t("peta.page.title"))
if not view.indicator or view.year is None:
    st.info(t("common.error.no_data"))
    st.stop()


def parse_breaks(text: str) -> tuple[float, ...] | None:
    """Class bounds typed by the user (``5; 10,5; 20`` in Bahasa Indonesia); None if invalid."""
    parts = [p.strip() for p in text.split(";") if p.strip()]
    try:
        values = [
            float(p.replace(".", "").replace(",", ".") if lang == "id" else p.replace(",", ""))
            for p in parts
        ]
    except ValueError:
        return None
    return tuple(sorted(set(values)))


def on_map_click() -> None:
    """Keep the clicked region in session state (before the rerun, so it is outlined)."""
    code = plotly_map.clicked_code(MAP_KEY)
    if not code:
        return
    if view.level == "kecamatan":
        state.select(str(code), add=bool(st.session_state.get(ADD_KEY)))
    else:
        st.session_state[state.KABUPATEN] = str(code)


# --------------------------------------------------------------------------- controls
c1 = st.container()
c2, c3, c4 = st.columns([1.4, 1.0, 1.4])
with c1:
    st.segmented_control(
        t("peta.mode.label"),
        options=list(state.MAP_MODES),
        format_func=lambda m: t(f"peta.mode.{m}", lang=lang),
        key=state.MAP_MODE,
        on_change=state.keep_choice,
        args=(state.MAP_MODE,),
    )
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
        disabled=mode != "indicator" or method in ("std_mean", "box_plot", "user_defined"),
    )
kab_table = data.regions_table("kabupaten")
kab_names = dict(zip(kab_table["kode"], kab_table["nama"], strict=True))
ALL = "all"


def on_zoom_change() -> None:
    value = st.session_state[ZOOM_KEY]
    st.session_state[state.KABUPATEN] = None if value == ALL else value


ZOOM_KEY = "peta_zoom"
st.session_state[ZOOM_KEY] = state.get(state.KABUPATEN) or ALL
with c4:
    st.selectbox(
        t("peta.zoom.label"),
        options=[ALL, *kab_names],
        format_func=lambda k: t("peta.zoom.all", lang=lang) if k == ALL else kab_names.get(k, k),
        key=ZOOM_KEY,
        on_change=on_zoom_change,
    )
breaks: tuple[float, ...] = tuple(state.get(state.USER_BREAKS) or ())
if mode == "indicator" and method == "user_defined":
    default_text = "; ".join(fmt_number(b, 2, lang).rstrip("0").rstrip(",.") for b in breaks)
    text = st.text_input(
        t("peta.classification.breaks"),
        value=default_text,
        help=t("peta.classification.breaks_help"),
        key="peta_breaks_text",
    )
    parsed = parse_breaks(text)
    if parsed is None:
        st.warning(t("peta.classification.breaks_invalid", text=text))
    else:
        breaks = parsed
        st.session_state[state.USER_BREAKS] = list(parsed)

# --------------------------------------------------------------------------- data and figure
level = view.level
k = int(st.session_state[state.N_CLASSES])
title = f"{view.name()} ({view.unit}), {view.year}" if view.unit else f"{view.name()}, {view.year}"
legend_title = t("peta.legend.title")
if mode == "bivariate":
    options = data.indicators_for(level)
    cat = data.catalogue().set_index("id")

    def ind_name(ind: str) -> str:
        return cat.loc[ind, "name_en"] if lang == "en" else cat.loc[ind, "name_id"]

    for key in (state.NEED, state.COVERAGE):
        if st.session_state.get(key) not in options and options:
            st.session_state[key] = options[0]
    b1, b2 = st.columns(2)
    with b1:
        st.selectbox(t("peta.bivariate.need"), options, format_func=ind_name, key=state.NEED)
    with b2:
        st.selectbox(
            t("peta.bivariate.coverage"), options, format_func=ind_name, key=state.COVERAGE
        )
    need, coverage = st.session_state[state.NEED], st.session_state[state.COVERAGE]
    show_indicators(need, coverage)
    years_used = mapview.common_year(level, need, coverage, int(view.year))
    imap = mapview.bivariate_map(level, need, coverage, *years_used, lang)
    title = f"{ind_name(need)} × {ind_name(coverage)}"
    legend_title = ""
    st.caption(
        t(
            "peta.bivariate.years",
            need=ind_name(need),
            need_year=years_used[0],
            coverage=ind_name(coverage),
            coverage_year=years_used[1],
        )
        + " "
        + t("peta.bivariate.note")
    )
elif mode == "lisa":
    fdr = st.toggle("FDR (Benjamini–Hochberg)", key="peta_lisa_fdr")
    imap = mapview.lisa_map(level, view.indicator, int(view.year), fdr, lang)
    if imap is None:
        st.info(t("peta.lisa.undefined"))
        mode = "indicator"
    else:
        title = f"{t('peta.lisa.title')}: {title}"
        legend_title = ""
if mode == "indicator":
    imap = mapview.indicator_map(level, view.indicator, int(view.year), method, k, breaks, lang)
layer = imap.layer
zoom_kab = st.session_state.get(state.KABUPATEN)
map_view = mapview.province_view()
if zoom_kab:
    bounds = mapview.kabupaten_bounds().get(zoom_kab)
    map_view = maps.bounds_view(bounds) if bounds else map_view
selected_codes = state.selected() if level == "kecamatan" else ([zoom_kab] if zoom_kab else [])
fig = maps.map_figure(
    layer,
    data.display_geojson(level),
    level=level,
    outline_url=data.display_geojson("kabupaten") if level == "kecamatan" else None,
    outline_codes=mapview.outline_codes() if level == "kecamatan" else (),
    selected=selected_codes,
    view=map_view,
    text=mapview.map_text(view.meta, lang, title=title, legend_title=legend_title),
    decimals=mapview.decimals_for(view.meta, imap.table["value"].dropna()),
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
        config=maps.PLOTLY_CONFIG,
        revision=f"{mode}|{view.indicator}|{view.year}|{method}|{k}|{','.join(selected_codes)}",
        on_click=on_map_click,
    )
    if mode == "lisa":
        st.caption(
            t(
                "peta.lisa.moran",
                i=fmt_number(imap.moran_i, 3, lang),
                p=fmt_number(imap.moran_p, 3, lang),
                perms=mapview.LISA_PERMUTATIONS,
            )
        )
    st.caption(t("peta.legend.ranks_note") + " " + t("peta.download.png"))

# --------------------------------------------------------------------------- summary
with right:
    st.subheader(t("peta.summary.title"))
    if level == "kecamatan":
        st.toggle(t("peta.summary.add"), key=ADD_KEY, help=t("peta.summary.add_help"))
    table = imap.table.set_index("code")
    focus = (state.selected() or [None])[0] if level == "kecamatan" else zoom_kab
    if not focus or focus not in table.index:
        st.caption(t("peta.summary.none"))
    else:
        row = table.loc[focus]
        st.markdown(f"**{row['nama']}**")
        if level == "kecamatan":
            st.caption(f"{row['kab_nama']} · {focus}")
        decimals = mapview.decimals_for(view.meta, table["value"].dropna())
        if row["value"] != row["value"]:  # NaN
            st.write(t("peta.summary.no_value"))
        else:
            st.metric(
                t("peta.summary.value", year=view.year),
                f"{fmt_number(row['value'], decimals, lang)} {view.unit}",
            )
            valid = table["value"].dropna()
            rank = int((valid > row["value"]).sum() + 1)
            st.write(t("peta.summary.rank_province", rank=rank, n=len(valid)))
            if level == "kecamatan":
                same = table[table["kab_kode"] == row["kab_kode"]]["value"].dropna()
                st.write(
                    t(
                        "peta.summary.rank_kabupaten",
                        kabupaten=row["kab_nama"],
                        rank=int((same > row["value"]).sum() + 1),
                        n=len(same),
                    )
                )
            if mode == "bivariate" and isinstance(row["kelas"], str):
                st.write(t("peta.summary.bivariate", cell=row["kelas"]))
                st.write(f"{t('peta.bivariate.priority')}: {int(row['priority_rank'])}")
            elif mode == "lisa" and isinstance(row["kelas"], str):
                st.write(t("peta.summary.lisa", cluster=t(f"peta.lisa.{row['kelas']}", lang=lang)))
            elif isinstance(row["kelas"], str):
                st.write(t("peta.summary.class", label=row["kelas"]))
        badges.badge(illustrative)
        if level == "kecamatan":
            others = [c for c in state.selected()[1:] if c in table.index]
            if others:
                st.caption(
                    t(
                        "peta.summary.also_selected",
                        names=", ".join(table.loc[c, "nama"] for c in others),
                    )
                )
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
out = imap.table.rename(columns={"code": "kode"})
cols = ["kode", "nama", "kab_kode", "kab_nama", "value", "kelas"]
if mode == "lisa":
    cols.append("p_sim")
if mode == "bivariate":
    cols += ["value_cov", "need_class", "coverage_class", "gap_score", "priority_rank"]
out = out[cols].assign(indikator=view.indicator, tahun=int(view.year), satuan=view.unit)
out["illustrative"] = imap.table["illustrative"].to_numpy()
out = out.rename(columns={"value": "nilai"})
sources = mapview.source_lines([view.indicator] + ([need, coverage] if mode == "bivariate" else []))
name = f"{t('peta.download.filename')}_{view.indicator}_{level}_{view.year}"
exports.download_buttons(out, name, key="peta", illustrative="illustrative", sources=sources)
