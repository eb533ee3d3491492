"""The dashboard's side of :mod:`i18n`: the session's language, and short names for pages.

Translations and numbers are :mod:`i18n` and :mod:`i18n.numbers`; this module only adds the
current session's language (``st.session_state["lang"]``, see :mod:`ui.state`) as the default.
"""

from __future__ import annotations

import streamlit as st

import i18n
from i18n import DEFAULT_LANG, LANG_NAMES, LANGS, catalog
from i18n import numbers as _numbers
from i18n.numbers import auto_decimals, d3_format

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "LANG_NAMES",
    "auto_decimals",
    "catalog",
    "current_lang",
    "d3_format",
    "fmt_number",
    "fmt_percent",
    "plotly_separators",
    "t",
    "unit_label",
]


def current_lang() -> str:
    """The language of the current session, else the default (outside a Streamlit run)."""
    try:
        lang = st.session_state.get("lang", DEFAULT_LANG)
    except Exception:  # no script run context: plain scripts, doctests
        lang = DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **kwargs) -> str:
    """Translate ``key`` into the session's (or the given) language (:func:`i18n.translate`).

    Examples
    --------
    >>> t("shell.level.kecamatan", lang="en")
    'Kecamatan (666)'
    """
    return i18n.translate(key, lang or current_lang(), **kwargs)


def unit_label(unit: str | None, lang: str | None = None) -> str:
    """A catalogue unit in the session's (or the given) language (:func:`i18n.unit_label`)."""
    return i18n.unit_label(unit, lang or current_lang())


def fmt_number(value, decimals: int = 2, lang: str | None = None, missing: str = "–") -> str:
    """:func:`i18n.numbers.format_number` in the session's (or the given) language.

    Examples
    --------
    >>> fmt_number(1234567.891, 2, lang="id")
    '1.234.567,89'
    """
    return _numbers.format_number(value, decimals, lang or current_lang(), missing)


def fmt_percent(value, decimals: int = 1, lang: str | None = None) -> str:
    """:func:`i18n.numbers.format_percent` in the session's (or the given) language."""
    return _numbers.format_percent(value, decimals, lang or current_lang())


def plotly_separators(lang: str | None = None) -> str:
    """The Plotly ``separators`` of the session's (or the given) language."""
    return _numbers.plotly_separators(lang or current_lang())
