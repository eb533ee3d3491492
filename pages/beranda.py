"""Beranda: the overview of the chosen indicator and year."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

st.title(t("shell.nav.beranda"))
