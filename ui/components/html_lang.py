"""Set ``<html lang>`` to the session's language (screen readers, hyphenation, translation
tools): Streamlit's page says ``lang="en"`` whatever the content.

A tiny ``st.components.v2`` component with no visible output; its script runs in the page
itself (not in an iframe) and sets ``document.documentElement.lang``.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function (component) {
  const lang = component.data && component.data.lang;
  if (lang) document.documentElement.lang = lang;
}
"""

_component = st.components.v2.component("rbk_html_lang", js=_JS)


def set_html_lang(lang: str) -> None:
    """Make ``<html lang>`` ``lang`` (``id`` or ``en``) in the browser."""
    _component(key="rbk_html_lang", data={"lang": lang}, height=0)
