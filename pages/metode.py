"""Data & Metode: sources with licence and citation, the catalogue, methods, dataset versions."""

from __future__ import annotations

import streamlit as st

from ui import data, metode
from ui.i18n import current_lang, t

lang = current_lang()
st.title(t("metode.page.title"))
st.caption(t("metode.page.intro"))

# --------------------------------------------------------------------------- sources
st.subheader(t("metode.sources.heading"), anchor="sumber")
st.caption(t("metode.sources.intro"))
sources = metode.source_table(metode.cached_manifest())
order = ["source", "repo", "licence", "citation", "producer", "commit", "files", "notes"]
st.dataframe(
    sources[order].rename(columns={c: t(f"metode.sources.col_{c}") for c in order}),
    hide_index=True,
    width="stretch",
)

# --------------------------------------------------------------------------- catalogue
st.subheader(t("metode.catalogue.heading"), anchor="katalog")
st.caption(t("metode.catalogue.intro"))
try:
    available = metode.cached_available()
    cat = data.catalogue()
except data.DataUnavailable:
    available, cat = None, None
if available is None or available.empty:
    st.info(t("metode.catalogue.empty"))
else:
    table = metode.catalogue_table(cat, available, lang)
    totals = {"kecamatan": 666, "kabupaten": 38, "provinsi": 1}
    table["n_regions"] = [
        t("metode.catalogue.coverage", n=n, total=totals.get(lv, "?"))
        for n, lv in zip(table["n_regions"], table["level"], strict=True)
    ]
    table["status"] = table["status"].map(lambda s: t(f"metode.catalogue.status_{s}"))
    table["level"] = table["level"].map(lambda lv: t(f"common.level.{lv}"))
    table["direction"] = table["direction"].map(
        lambda d: t(f"common.direction.{'higher_worse' if d == 'lower_better' else d}")
    )
    st.dataframe(
        table.rename(
            columns={
                "id": t("metode.catalogue.col_id"),
                "name": t("metode.catalogue.col_name"),
                "level": t("metode.catalogue.col_level"),
                "status": t("metode.catalogue.col_status"),
                "unit": t("metode.catalogue.col_unit"),
                "direction": t("metode.catalogue.col_direction"),
                "years": t("metode.catalogue.col_years"),
                "n_regions": t("metode.catalogue.col_coverage"),
                "sources": t("metode.catalogue.col_sources"),
            }
        ),
        hide_index=True,
        width="stretch",
        height=420,
    )

# --------------------------------------------------------------------------- methods
st.subheader(t("metode.methods.heading"), anchor="metode")
st.caption(t("metode.methods.intro"))
for key, formula, reference in metode.METHODS:
    with st.expander(t(f"metode.method.{key}_name"), expanded=False):
        st.markdown(t(f"metode.method.{key}_text"))
        if formula:
            st.latex(formula)
        st.caption(f"{t('metode.methods.reference')}: {reference}")

# --------------------------------------------------------------------------- versions
st.subheader(t("metode.versions.heading"), anchor="versi")
st.caption(t("metode.versions.intro"))
try:
    versions = metode.cached_versions()
except data.DataUnavailable:
    versions = None
if versions is None or versions.empty:
    st.info(t("metode.versions.empty"))
else:
    cols = {
        "dataset": "dataset",
        "number": "number",
        "created_at": "created_at",
        "created_by": "created_by",
        "source": "source",
        "checksum": "checksum",
        "n_rows": "rows",
        "n_indicators": "indicators",
        "n_illustrative": "illustrative",
        "n_active_series": "active",
        "note": "note",
    }
    shown = versions[[c for c in cols if c in versions.columns]].copy()
    if "checksum" in shown.columns:
        shown["checksum"] = shown["checksum"].astype(str).str[:12]
    st.dataframe(
        shown.rename(columns={c: t(f"metode.versions.col_{v}") for c, v in cols.items()}),
        hide_index=True,
        width="stretch",
    )
