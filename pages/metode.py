"""Data & Metode: sources with licence and citation, the catalogue, methods, dataset versions."""

from __future__ import annotations

import streamlit as st

from ui import data, metode
from ui.data import metode as data_metode
from ui.i18n import t
from ui.sidebar import current_view

# Through the router (sidebar, footer, the store's messages), even on a fresh server's first
# deep link to this page.
lang = current_view().lang
st.title(t("metode.page.title"))
st.caption(t("metode.page.intro"))

# --------------------------------------------------------------------------- sources
st.subheader(t("metode.sources.heading"), anchor="sumber")
st.caption(t("metode.sources.intro"))
st.dataframe(
    metode.sources_display(data.manifest_records(), lang), hide_index=True, width="stretch"
)

# --------------------------------------------------------------------------- desa sources
st.subheader(t("metode.real.heading"), anchor="desa")
st.caption(t("metode.real.intro"))
for title, text in metode.real_sources(data.manifest_records(), lang):
    with st.expander(title, expanded=False):
        st.markdown(text)

# --------------------------------------------------------------------------- catalogue
st.subheader(t("metode.catalogue.heading"), anchor="katalog")
st.caption(t("metode.catalogue.intro"))
try:
    available = data_metode.available_series()
    cat = data.catalogue()
except data.DataUnavailable:
    available, cat = None, None
if available is None or available.empty:
    st.info(t("metode.catalogue.empty"))
else:
    st.dataframe(
        metode.catalogue_display(cat, available, lang),
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
    versions = data_metode.versions()
except data.DataUnavailable:
    versions = None
if versions is None or versions.empty:
    st.info(t("metode.versions.empty"))
else:
    st.dataframe(metode.versions_display(versions, lang), hide_index=True, width="stretch")
