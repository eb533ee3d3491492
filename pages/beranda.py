"""Beranda: the overview of the chosen indicator and year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import badges, data, maps, mapview, overview, state
from ui.components import plotly_map
from ui.data import disparity as data_disparity
from ui.i18n import current_lang, fmt_number, fmt_percent, t
from ui.sidebar import current_view

view = current_view()
lang = current_lang()
st.title(t("beranda.page.title"))
if not view.indicator or view.year is None:
    st.info(t("common.error.no_data"))
    st.stop()

level, indicator, year = view.level, view.indicator, int(view.year)


def on_small_map_click() -> None:
    """A click on the small map selects the kecamatan (carried to Peta, Profil, Bandingkan)."""
    code = plotly_map.clicked_code("beranda_map")
    if code and level == "kecamatan":
        state.select(code)


frame = mapview.map_frame(level, indicator, year)
decimals = mapview.decimals_for(view.meta, frame["value"].dropna())
unit = f" {view.unit}" if view.unit else ""
level_word = t(f"beranda.level.{level}")
st.markdown(
    t(
        "beranda.page.intro",
        indicator=f"**{view.name()}**",
        year=year,
        n=len(frame),
        level=level_word,
    )
)
illustrative = bool(frame["illustrative"].any())  # the values' own flags
badges.badge(illustrative)
years = data.years(level, indicator)
previous_year = max((y for y in years if y < year), default=None)

# --------------------------------------------------------------------------- headline figures
cols = st.columns(4)
prov = data.values("provinsi", indicator, year)
with cols[0]:
    if prov.empty:
        st.metric(t("beranda.province.value", year=year), "–")
        st.caption(t("beranda.province.none"))
    else:
        value = float(prov["value"].iloc[0])
        delta = None
        if previous_year is not None:
            before = data.values("provinsi", indicator, previous_year)
            if not before.empty:
                change = value - float(before["value"].iloc[0])
                # st.metric reads the direction from a leading ASCII "-"
                delta = fmt_number(change, decimals, lang).replace("−", "-")
        st.metric(
            t("beranda.province.value", year=year),
            f"{fmt_number(value, decimals, lang)}{unit}",
            delta=delta,
            delta_color={"higher_better": "normal", "lower_better": "inverse"}.get(
                (view.meta or {}).get("direction"), "off"
            ),
            help=t("beranda.province.delta_help", year=previous_year) if delta else None,
        )

weighted = overview.weighted_kind(view.meta)
valid = frame["value"].dropna()
if (valid < 0).any():
    with cols[1]:
        st.info(t("beranda.inequality.negative"))
    indices = None
else:
    indices = data_disparity.indices(level, indicator, year, weighted)
    n_used = len(data_disparity.inputs(level, indicator, year, weighted))
    pop_year = data_disparity.population_year(level, year) if weighted else None
    weighting = (
        t("beranda.inequality.weighted", year=pop_year)
        if weighted
        else t("beranda.inequality.unweighted")
    )
    help_text = t(
        "beranda.inequality.help",
        n=n_used,
        level=level_word,
        weighting=weighting,
        n_boot=data_disparity.N_BOOT,
    )
    for col, key, label in (
        (cols[1], "gini", "beranda.inequality.gini"),
        (cols[2], "williamson", "beranda.inequality.williamson"),
        (cols[3], "theil_t", "beranda.inequality.theil"),
    ):
        with col:
            if key not in indices.index:
                st.metric(t(label), "–", help=t("beranda.inequality.williamson_needs_weights"))
                continue
            row = indices.loc[key]
            if pd.isna(row["estimate"]):
                st.metric(t(label), t("beranda.inequality.undefined"), help=row["note"])
                continue
            st.metric(t(label), fmt_number(row["estimate"], 3, lang), help=help_text)
            if not pd.isna(row["low"]):
                st.caption(
                    t(
                        "beranda.inequality.ci",
                        low=fmt_number(row["low"], 3, lang),
                        high=fmt_number(row["high"], 3, lang),
                    )
                )

# --------------------------------------------------------------------------- decomposition
if level == "kecamatan" and indices is not None:
    d = data_disparity.decomposition(level, indicator, year, weighted, "kab_kode", "T")
    share = float(d["between_share"])
    st.subheader(t("beranda.decomposition.title"))
    between = fmt_percent(100 * share, 1, lang)
    within = fmt_percent(100 * (1 - share), 1, lang)
    st.progress(
        min(max(share, 0.0), 1.0),
        text=f"{t('beranda.decomposition.between')}: {between} · "
        f"{t('beranda.decomposition.within')}: {within}",
    )
    st.caption(t("beranda.decomposition.caption", between=between, within=within))

# --------------------------------------------------------------------------- top/bottom + map
left, right = st.columns([1.1, 1])
value_col = badges.label(f"{t('common.word.value')}{unit and f' ({view.unit})'}", illustrative)
columns = {
    "rank": t("beranda.rank.rank"),
    "nama": t("common.word.name"),
    "kab_nama": t("common.word.kabupaten"),
    "value": value_col,
}
if level == "kabupaten":
    columns.pop("kab_nama")
top, bottom = overview.top_bottom(frame, 10)
with left:
    for table, key in ((top, "beranda.rank.top"), (bottom, "beranda.rank.bottom")):
        st.markdown(f"**{t(key, level=level_word)}**")
        shown = table[list(columns)].rename(columns=columns)
        shown[value_col] = [fmt_number(v, decimals, lang) for v in shown[value_col]]
        st.dataframe(shown, hide_index=True, width="stretch")
with right:
    st.markdown(f"**{t('beranda.map.title')}**")
    imap = mapview.indicator_map(level, indicator, year, "quantiles", 5, (), lang)
    small = maps.map_figure(
        imap.layer,
        data.display_geojson(level),
        level=level,
        text=mapview.map_text(view.meta, lang),
        decimals=decimals,
        height=380,
    )
    badges.badge_figure(small, illustrative, lang)
    plotly_map.plotly_map(
        small,
        key="beranda_map",
        config=maps.PLOTLY_CONFIG,
        revision=f"{indicator}|{year}|{level}",
        on_click=on_small_map_click,
    )
    st.page_link("pages/peta.py", label=t("beranda.map.open"), icon=":material/map:")

# --------------------------------------------------------------------------- change
if previous_year is None:
    st.subheader(t("beranda.change.title", year="–"))
    st.caption(t("beranda.change.none"))
else:
    st.subheader(t("beranda.change.title", year=previous_year))
    before = mapview.map_frame(level, indicator, previous_year)
    ch = overview.changes(before, frame)
    up, down = int((ch["diff"] > 0).sum()), int((ch["diff"] < 0).sum())
    st.write(t("beranda.change.summary", up=up, down=down, same=len(ch) - up - down, n=len(ch)))
    direction = (view.meta or {}).get("direction", "neutral")
    better, worse = overview.improvement_counts(ch["diff"], direction)
    if direction != "neutral":
        st.caption(f"{t('beranda.change.better', n=better)} · {t('beranda.change.worse', n=worse)}")
    badges.badge(illustrative or bool(before["illustrative"].any()))
    cc = {
        "nama": t("common.word.name"),
        "kab_nama": t("common.word.kabupaten"),
        "previous": badges.label(
            t("beranda.change.previous", year=previous_year), bool(before["illustrative"].any())
        ),
        "value": badges.label(t("beranda.change.current", year=year), illustrative),
        "diff": t("beranda.change.diff"),
    }
    if level == "kabupaten":
        cc.pop("kab_nama")
    c1, c2 = st.columns(2)
    for col, asc, key in (
        (c1, False, "beranda.change.largest_up"),
        (c2, True, "beranda.change.largest_down"),
    ):
        part = ch.sort_values(["diff", "code"], ascending=[asc, True]).head(5)
        part = part[part["diff"] > 0] if not asc else part[part["diff"] < 0]
        shown = part[list(cc)].rename(columns=cc)
        for c in (cc["previous"], cc["value"], cc["diff"]):
            shown[c] = [fmt_number(v, decimals, lang) for v in shown[c]]
        with col:
            st.markdown(f"**{t(key)}**")
            if shown.empty:
                st.caption(t("beranda.change.no_rows"))
            else:
                st.dataframe(shown, hide_index=True, width="stretch")
