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
    "rank_best",
    "rank_cell",
    "rank_in",
    "rank_phrase",
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


def _neutral(direction: object) -> bool:
    text = str(direction or "neutral").strip().lower()
    return text in ("neutral", "none", "nan", "0", "")


def rank_cell(rank, n, lang: str | None = None) -> str:
    """A rank in a table cell: "97 dari 666" (``–`` without a rank); the column header
    says what 1 means (:func:`rank_best`).

    Examples
    --------
    >>> rank_cell(97.0, 666, "id"), rank_cell(3, 31, "en"), rank_cell(None, 31, "en")
    ('97 dari 666', '3 of 31', '–')
    """
    try:
        r, total = float(rank), float(n)
    except (TypeError, ValueError):
        return "–"
    if r != r or total != total:
        return "–"
    return t("common.rank.cell", lang=lang, rank=int(r), n=int(total))


def rank_best(direction: object = "higher_better", lang: str | None = None) -> str:
    """What rank 1 means: "1 = terbaik" (or "1 = tertinggi" for a neutral indicator)."""
    key = "best_neutral" if _neutral(direction) else "best"
    return t(f"common.rank.{key}", lang=lang)


def rank_phrase(rank, n, direction: object = "higher_better", lang: str | None = None) -> str:
    """The one way ranks are written in sentences and hovers.

    ``rank`` and ``n`` may be Plotly placeholders (``"%{customdata[1]}"``).

    Examples
    --------
    >>> rank_phrase(97, 666, "higher_worse", "id")
    'peringkat 97 dari 666, 1 = terbaik'
    >>> rank_phrase(3, 38, "neutral", "en")
    'rank 3 of 38, 1 = highest'
    """
    key = "phrase_neutral" if _neutral(direction) else "phrase"
    if not isinstance(rank, str):
        rank = int(rank)
    return t(f"common.rank.{key}", lang=lang, rank=rank, n=n)


def rank_in(place: str | None, rank, n, direction: object = "higher_better", lang=None) -> str:
    """":func:`rank_phrase` in a place": "Kota Surabaya: peringkat 5 dari 31, 1 = terbaik";
    ``place`` None means the province.

    Examples
    --------
    >>> rank_in(None, 97, 666, "higher_worse", "en")
    'East Java: rank 97 of 666, 1 = best'
    """
    place = place or t("common.rank.province", lang=lang)
    phrase = rank_phrase(rank, n, direction, lang)
    return t("common.rank.in_place", lang=lang, place=place, phrase=phrase)
