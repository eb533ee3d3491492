"""Ketimpangan: inequality indices, Lorenz, Theil decomposition, convergence, Klassen, Moran."""

from __future__ import annotations

import streamlit as st

from ui import badges, data, disparity, exports, maps, sidebar
from ui.data import disparity as data_disparity
from ui.i18n import current_lang, fmt_number, plotly_separators, t

PREFIX = "ketimpangan_"

view = sidebar.current_view()
lang = current_lang()
level, indicator, year = view.level, view.indicator, view.year
sep = plotly_separators(lang)
st.title(t("disparity.page.title"))
if indicator is None or year is None:
    st.info(t("common.error.no_data"))
    st.stop()
name = view.name()
st.caption(
    t("disparity.page.intro", indicator=name, level=t(f"common.level.{level}").lower(), year=year)
)
st.page_link("pages/metode.py", label=t("disparity.page.method_link"), icon=":material/menu_book:")

weighted = (
    st.radio(
        t("disparity.page.weighting"),
        options=["pop", "none"],
        format_func=lambda k: t(f"disparity.page.weight_{k}"),
        horizontal=True,
        key=PREFIX + "weighting",
    )
    == "pop"
)
if weighted and data_disparity.population_year(level, year) is None:
    weighted = False
frame = data_disparity.inputs(level, indicator, int(year), weighted)
if weighted:
    sidebar.show_indicators("penduduk")  # the weights' source is named in the footer
if frame.empty:
    st.info(t("disparity.page.no_values", indicator=name, year=year))
    st.stop()
if (frame["y"] < 0).any():
    st.warning(t("disparity.page.negative", indicator=name, year=year))
    st.stop()
illustrative = view.illustrative or bool(
    data.values(level, indicator, int(year))["illustrative"].any()
)
weighting_help = t("disparity.help.weighting_pop" if weighted else "disparity.help.weighting_none")
pop_year = data_disparity.population_year(level, year) if weighted else None
notes = [
    t(
        "disparity.page.n_regions",
        n=len(frame),
        weighting=t(f"disparity.page.weight_{'pop' if weighted else 'none'}"),
    )
]
if weighted and pop_year != int(year):
    notes.append(t("disparity.page.weight_missing", year=year, used=pop_year))
badges.badge(illustrative)
st.caption(" ".join(notes))

# --------------------------------------------------------------------------- indices
st.subheader(t("disparity.index.heading"))
table = data_disparity.indices(level, indicator, int(year), weighted)
cols = st.columns(4)
for n, (key, row) in enumerate(table.iterrows()):
    help_text = t(f"disparity.help.{key}", weighting=weighting_help)
    if row["note"]:
        value = t("disparity.index.undefined")
        delta = None
        help_text += f"\n\n{row['note']}"
    else:
        value = fmt_number(row["estimate"], 3, lang=lang)
        delta = None
        if row["low"] == row["low"]:  # not NaN
            value_ci = f"[{fmt_number(row['low'], 3, lang=lang)} ; {fmt_number(row['high'], 3, lang=lang)}]"
            delta = value_ci
    cols[n % 4].metric(
        t(f"disparity.index.{key}"),
        value,
        delta=delta,
        delta_color="off",
        delta_arrow="off",
        help=help_text,
        border=True,
    )
st.caption(t("disparity.index.ci_note", n=data_disparity.N_BOOT))
export = table.reset_index().rename(columns={"index": "id"})
export.insert(1, t("disparity.index.col_index"), [t(f"disparity.index.{k}") for k in export["id"]])
export[t("disparity.index.col_formula")] = [
    t(f"disparity.help.{k}", weighting=weighting_help) for k in export["id"]
]
export = export.rename(
    columns={
        "estimate": t("disparity.index.col_estimate"),
        "low": t("disparity.index.col_low"),
        "high": t("disparity.index.col_high"),
        "note": t("disparity.index.col_note"),
    }
)
with st.expander(t("disparity.export.heading")):
    st.dataframe(export.drop(columns=["id"]), hide_index=True, width="stretch")
    exports.download_buttons(
        export,
        f"ketimpangan_{indicator}_{year}",
        key="ketimpangan",
        illustrative=illustrative,
        sheet_name="ketimpangan",
    )

# --------------------------------------------------------------------------- sections
# One analysis at a time below the indices: each section costs only its own charts.
SECTIONS = ("lorenz", "convergence", "klassen", "moran")
section = (
    st.segmented_control(
        t("disparity.section.label"),
        options=list(SECTIONS),
        format_func=lambda k: t(f"disparity.section.{k}"),
        default="lorenz",
        required=True,
        key=PREFIX + "section",
    )
    or "lorenz"
)
years = data.years(level, indicator)
if section in ("convergence", "klassen") and len(years) >= 2:
    start, end = st.select_slider(
        t("disparity.beta.period"),
        options=years,
        value=(years[0], years[-1]),
        key=PREFIX + "period",
    )
    if start == end:
        start, end = years[0], years[-1]

if section == "lorenz":
    # --------------------------------------------------------------------------- Lorenz
    left, right = st.columns(2)
    with left:
        st.subheader(t("disparity.lorenz.heading"), help=t("disparity.lorenz.help"))
        pts = disparity.lorenz_points(frame["y"], frame["w"] if weighted else None)
        fig = disparity.lorenz_figure(
            {t("disparity.lorenz.curve", year=year): pts},
            x_title=t("disparity.lorenz.x" if weighted else "disparity.lorenz.x_unweighted"),
            y_title=t("disparity.lorenz.y"),
            equality_label=t("disparity.lorenz.equality"),
            separators=sep,
        )
        badges.badge_figure(fig, illustrative)
        badges.lift_badge(fig)
        st.plotly_chart(fig, width="stretch", key=PREFIX + "lorenz")

    # --------------------------------------------------------------------------- Theil
    with right:
        st.subheader(t("disparity.decomp.heading"), help=t("disparity.decomp.help"))
        groupings = (["kab_kode"] if level == "kecamatan" else []) + ["jenis", "wilayah"]
        labels = {"kab_kode": "group_kab", "jenis": "group_jenis", "wilayah": "group_wilayah"}
        g1, g2 = st.columns([2, 1])
        grouping = g1.selectbox(
            t("disparity.decomp.grouping"),
            groupings,
            format_func=lambda g: t(f"disparity.decomp.{labels[g]}"),
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
        dec = data_disparity.decomposition(level, indicator, int(year), weighted, grouping, kind)
        m1, m2 = st.columns(2)
        m3, m4 = st.columns(2)
        m1.metric(
            t("disparity.decomp.total"),
            fmt_number(dec["total"], 4, lang=lang),
            help=t("disparity.decomp.help"),
        )
        m2.metric(
            t("disparity.decomp.between"),
            fmt_number(dec["between"], 4, lang=lang),
            help=t("disparity.decomp.help"),
        )
        m3.metric(
            t("disparity.decomp.within"),
            fmt_number(dec["within"], 4, lang=lang),
            help=t("disparity.decomp.help"),
        )
        m4.metric(
            t("disparity.decomp.share"),
            fmt_number(100 * dec["between_share"], 1, lang=lang) + "%",
            help=t("disparity.decomp.help"),
        )
        if dec["p_value"] is not None:
            st.caption(
                t(
                    "disparity.decomp.test",
                    group=t(f"disparity.decomp.{labels[grouping]}"),
                    share=fmt_number(100 * dec["tested_share"], 1, lang=lang),
                    p=fmt_number(dec["p_value"], 3, lang=lang),
                    perm=data_disparity.PERMUTATIONS,
                )
            )
        comp = disparity.component_labels(dec["levels"], t, lang)
        comp["value"] = [fmt_number(v, 4, lang=lang) for v in comp["value"]]
        comp["share"] = [fmt_number(v, 1, lang=lang) + "%" for v in comp["share"]]
        st.dataframe(
            comp.rename(
                columns={
                    "label": t("disparity.decomp.col_component"),
                    "value": t("disparity.decomp.col_value"),
                    "share": t("disparity.decomp.col_share"),
                }
            ),
            hide_index=True,
            width="stretch",
        )

    contrib = dec["contributions"]
    group_names = data_disparity.group_names(contrib["group"], level, grouping, t)
    contrib = contrib.assign(label=group_names)
    st.markdown(f"**{t('disparity.decomp.contrib')}**")
    fig = disparity.contributions_figure(
        contrib, value_col="within", x_title=t("disparity.decomp.contrib_x"), separators=sep
    )
    badges.badge_figure(fig, illustrative)
    badges.lift_badge(fig)
    st.plotly_chart(fig, width="stretch", key=PREFIX + "contrib")

if section == "convergence":
    # --------------------------------------------------------------------------- sigma
    st.subheader(t("disparity.sigma.heading"), help=t("disparity.sigma.help"))
    sigma = data_disparity.sigma(level, indicator, weighted)
    series = sigma["series"]
    if len(series) < 2:
        st.caption(t("disparity.sigma.single_year"))
    else:
        index_names = {
            "gini": t("disparity.index.gini"),
            "theil_t": t("disparity.index.theil_t"),
            "cv": t("disparity.index.williamson" if weighted else "disparity.index.cv"),
        }
        cols_present = [c for c in ("cv", "gini", "theil_t") if c in series.columns]
        fig = disparity.sigma_figure(
            series,
            y_cols=cols_present,
            names=index_names,
            y_title=t("disparity.sigma.y"),
            separators=sep,
        )
        badges.badge_figure(fig, illustrative)
        badges.lift_badge(fig)
        st.plotly_chart(fig, width="stretch", key=PREFIX + "sigma")
        for col in cols_present:
            trend = disparity.sigma_trend(sigma, col)
            if trend is None:
                continue
            verdict = (
                "no_trend"
                if trend["p"] >= 0.05
                else ("converging" if trend["slope"] < 0 else "diverging")
            )
            st.caption(
                t(
                    "disparity.sigma.trend",
                    index=index_names[col],
                    slope=fmt_number(trend["slope"], 5, lang=lang),
                    p=fmt_number(trend["p"], 3, lang=lang),
                    verdict=t(f"disparity.sigma.{verdict}"),
                )
            )

    # --------------------------------------------------------------------------- beta
    if len(years) >= 2:
        st.subheader(t("disparity.beta.heading"), help=t("disparity.beta.help"))
        beta = data_disparity.beta(level, indicator, int(start), int(end), weighted)
        if beta is not None:
            b1, b2, b3, b4, b5 = st.columns(5)
            help_beta = t("disparity.beta.help")
            b1.metric(
                t("disparity.beta.beta"), fmt_number(beta["beta"], 4, lang=lang), help=help_beta
            )
            b2.metric(t("disparity.beta.se"), fmt_number(beta["se"], 4, lang=lang), help=help_beta)
            b3.metric(t("disparity.beta.p"), fmt_number(beta["p"], 3, lang=lang), help=help_beta)
            speed = beta["speed"]
            b4.metric(
                t("disparity.beta.speed"),
                fmt_number(100 * speed, 2, lang=lang) + "%"
                if speed is not None
                else t("disparity.beta.none"),
                help=help_beta,
            )
            half = beta["half_life"]
            b5.metric(
                t("disparity.beta.half_life"),
                t("disparity.beta.years", value=fmt_number(half, 1, lang=lang))
                if half
                else t("disparity.beta.none"),
                help=help_beta,
            )
            fig = disparity.beta_figure(
                beta["x"],
                beta["growth"],
                beta["labels"],
                intercept=beta["intercept"],
                slope=beta["beta"],
                x_title=t("disparity.beta.x", start=start),
                y_title=t("disparity.beta.y", start=start, end=end),
                fit_label=t("disparity.beta.fit"),
                separators=sep,
            )
            badges.badge_figure(fig, illustrative)
            badges.lift_badge(fig)
            st.plotly_chart(fig, width="stretch", key=PREFIX + "beta")

if section == "klassen" and len(years) < 2:
    st.caption(t("disparity.sigma.single_year"))
if section == "klassen" and len(years) >= 2:
    # ----------------------------------------------------------------------- Klassen
    st.subheader(
        t("disparity.klassen.heading"), help=t("disparity.klassen.help", start=start, end=end)
    )
    lower_better = (view.meta or {}).get("direction") == "lower_better"
    kl = data_disparity.klassen(level, indicator, int(start), int(end), weighted, lower_better)
    if kl is not None:
        qnames = {q: t(f"disparity.klassen.q{q}") for q in (1, 2, 3, 4)}
        frame_k = kl["frame"]
        k1, k2 = st.columns(2)
        with k1:
            fig = disparity.klassen_scatter(
                frame_k,
                x_col="level",
                y_col="growth",
                quadrant_col="quadrant",
                label_col="label",
                quadrant_names=qnames,
                x_ref=kl["level_ref"],
                y_ref=kl["growth_ref"],
                x_title=t("disparity.klassen.x", end=end),
                y_title=t("disparity.klassen.y", start=start, end=end),
                separators=sep,
            )
            badges.badge_figure(fig, illustrative)
            badges.lift_badge(fig)
            st.plotly_chart(fig, width="stretch", key=PREFIX + "klassen")
        with k2:
            fig = disparity.klassen_map(
                list(frame_k.index),
                frame_k["quadrant"].tolist(),
                frame_k["label"].tolist(),
                qnames,
                geojson=data.display_geojson(level),
                title=t("disparity.klassen.map"),
            )
            badges.badge_figure(fig, illustrative)
            badges.lift_badge(fig)
            st.plotly_chart(
                fig, width="stretch", key=PREFIX + "klassen_map", config=maps.PLOTLY_CONFIG
            )
        if kl["transitions"] is None:
            st.caption(t("disparity.klassen.transitions_none"))
        else:
            tr = kl["transitions"]
            st.markdown(f"**{t('disparity.klassen.transitions', p1=tr['p1'], p2=tr['p2'])}**")
            matrix = tr["matrix"].copy()
            matrix.index = [qnames[q] for q in matrix.index]
            matrix.columns = [qnames[q] for q in matrix.columns]
            st.dataframe(matrix, width="stretch")

if section == "moran":
    # --------------------------------------------------------------------------- Moran
    st.subheader(
        t("disparity.moran.heading"), help=t("disparity.moran.help", perm=data_disparity.PERMUTATIONS)
    )
    moran = data_disparity.moran(level, indicator, int(year))
    if moran is not None:
        c1, c2, c3, c4 = st.columns(4)
        help_moran = t("disparity.moran.help", perm=data_disparity.PERMUTATIONS)
        c1.metric(t("disparity.moran.i"), fmt_number(moran["I"], 3, lang=lang), help=help_moran)
        c2.metric(
            t("disparity.moran.expected"), fmt_number(moran["EI"], 4, lang=lang), help=help_moran
        )
        c3.metric(t("disparity.moran.z"), fmt_number(moran["z"], 2, lang=lang), help=help_moran)
        c4.metric(t("disparity.moran.p"), fmt_number(moran["p"], 3, lang=lang), help=help_moran)
        if moran["p"] < 0.05:
            st.caption(
                t(
                    "disparity.moran.positive"
                    if moran["I"] > moran["EI"]
                    else "disparity.moran.negative"
                )
            )
        else:
            st.caption(t("disparity.moran.random"))
