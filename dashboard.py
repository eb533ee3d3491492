"""Entry point: the router, the shared sidebar and the footer (no computation here)."""

from __future__ import annotations

import logging

import streamlit as st

import settings
from ui import data, sidebar, state
from ui.components.html_lang import set_html_lang
from ui.i18n import current_lang, t

PAGES = [
    ("pages/beranda.py", "beranda", ":material/home:", True),
    ("pages/peta.py", "peta", ":material/map:", False),
    ("pages/bandingkan.py", "bandingkan", ":material/compare_arrows:", False),
    ("pages/ketimpangan.py", "ketimpangan", ":material/balance:", False),
    ("pages/profil.py", "profil", ":material/description:", False),
    ("pages/metode.py", "metode", ":material/menu_book:", False),
    ("pages/unggah.py", "unggah", ":material/upload_file:", False),
]

# Streamlit serves the default page at "/" only: "/beranda" (typed like "/peta", or a link
# written by hand) would open Streamlit's own "Page not found" dialog, in English. A hidden
# page at this path sends the visitor to "/" with the same query (language, view).
HOME_ALIAS = "beranda"


def main() -> None:
    # A local icon: Material/emoji icons would be fetched from a CDN.
    st.set_page_config(
        page_title=t("shell.app.short"),
        page_icon=str(settings.STATIC_DIR / "favicon.png"),
        layout="wide",
    )
    state.init()
    set_html_lang(current_lang())

    pages = [
        # the default page is served at "/"; its own path is never shown (see HOME_ALIAS)
        st.Page(
            path,
            title=t(f"shell.nav.{slug}"),
            icon=icon,
            url_path=f"{slug}-home" if default else slug,
            default=default,
        )
        for path, slug, icon, default in PAGES
    ]
    alias = st.Page(
        lambda: None, title=t("shell.nav.beranda"), url_path=HOME_ALIAS, visibility="hidden"
    )
    page = st.navigation([*pages, alias])
    if page.url_path == HOME_ALIAS:
        st.switch_page(pages[0], query_params=st.query_params.to_dict())
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


# Nothing is warmed in the background while a run lasts (ui.data.cache.Warmer).
with data.warmer.running():
    main()
