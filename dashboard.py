"""Entry point: the router, the shared sidebar and the footer (no computation here)."""

from __future__ import annotations

import logging

import streamlit as st

import settings
from ui import data, sidebar, state
from ui.components.html_lang import set_html_lang
from ui.i18n import current_lang, t

# A local icon: Material/emoji icons would be fetched from a CDN.
st.set_page_config(
    page_title=t("shell.app.short"),
    page_icon=str(settings.STATIC_DIR / "favicon.png"),
    layout="wide",
)
state.init()
set_html_lang(current_lang())

PAGES = [
    ("pages/beranda.py", "beranda", ":material/home:", True),
    ("pages/peta.py", "peta", ":material/map:", False),
    ("pages/bandingkan.py", "bandingkan", ":material/compare_arrows:", False),
    ("pages/ketimpangan.py", "ketimpangan", ":material/balance:", False),
    ("pages/profil.py", "profil", ":material/description:", False),
    ("pages/metode.py", "metode", ":material/menu_book:", False),
    ("pages/unggah.py", "unggah", ":material/upload_file:", False),
]

page = st.navigation(
    [
        st.Page(path, title=t(f"shell.nav.{slug}"), icon=icon, url_path=slug, default=default)
        for path, slug, icon, default in PAGES
    ]
)
# Peta alone draws the desa/kelurahan level (one kabupaten/kota at a time).
view = sidebar.render(state.MAP_LEVELS if page.url_path == "peta" else state.LEVELS)
st.session_state["_rbk_view"] = view
try:
    page.run()
except data.DataUnavailable as exc:
    logging.getLogger("rbk").warning("data unavailable: %s", exc)
    sidebar.show_unavailable(exc.key)
except Exception:
    logging.getLogger("rbk").exception("page %s failed", page.url_path)
    st.error(t("common.error.unexpected"))
finally:
    sidebar.footer(view)
    state.write_url()
