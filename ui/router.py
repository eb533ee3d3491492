"""Make every page run through the project's router (``dashboard.py``'s ``st.navigation``).

Because the project keeps its page scripts in ``pages/``, Streamlit starts each server in its
old "pages directory" mode: until some session has run ``dashboard.py`` (which calls
``st.navigation`` and so leaves that mode for the whole process), a request for ``/unggah``
runs ``pages/unggah.py`` on its own, under Streamlit's default page list of raw file names,
without the language switch, sidebar or footer. :func:`ensure_router` notices that case at the
top of a page script, leaves the old mode (as ``st.navigation`` does) and reruns: the rerun
executes ``dashboard.py``, whose navigation resolves the same URL path to the same page.
"""

from __future__ import annotations

import streamlit as st
from streamlit import config

# Streamlit's own flag for the old mode; st.navigation sets it to False the same way.
from streamlit.runtime.pages_manager import PagesManager


def outside_router() -> bool:
    """Whether this script run is Streamlit's pages-directory mode (no ``dashboard.py``).

    Always False under ``streamlit.testing`` (AppTest puts every run back into that mode by
    construction; a rerun there would drop the widget event under test).
    """
    if config.get_option("global.appTest"):
        return False
    return bool(PagesManager.uses_pages_directory)


def ensure_router() -> None:
    """Call first in a page script: rerun through ``dashboard.py`` when it did not route."""
    if outside_router():
        PagesManager.uses_pages_directory = False
        st.rerun()
