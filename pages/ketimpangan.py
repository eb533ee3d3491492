"""Placeholder so the router runs; the page's owner replaces this file."""

import streamlit as st

from ui.i18n import t

st.title(t("shell.nav.ketimpangan"))
