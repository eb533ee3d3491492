"""The shared sidebar (language, level, indicator, year) and the footer.

``dashboard.py`` calls :func:`render` before the page runs and :func:`footer` after it.
Pages read the choices from session state (:mod:`ui.state`) or from the :class:`View` that
:func:`current_view` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui import data, state
from ui.i18n import LANG_NAMES, LANGS, current_lang, t, unit_label

#: Indicators preferred as the first view when the URL names none (first one that exists).
PREFERRED_DEFAULT = ("persentase_penduduk_miskin", "kepadatan_penduduk", "penduduk")


@dataclass(frozen=True)
class View:
    """The shared choices of the sidebar, resolved against the data."""

    lang: str
    level: str
    indicator: str | None
    year: int | None
    meta: dict | None

    @property
    def illustrative(self) -> bool:
        """Whether the chosen indicator is illustrative at the chosen level."""
        return bool(self.meta) and self.level in (self.meta.get("illustrative_levels") or [])

    def name(self, lang: str | None = None) -> str:
        """The indicator's name in the given (default: session) language."""
        if not self.meta:
            return ""
        return self.meta["name_en"] if (lang or self.lang) == "en" else self.meta["name_id"]

    @property
    def unit(self) -> str:
        """The indicator's unit in the interface language."""
        return unit_label((self.meta or {}).get("unit"), self.lang)


def indicator_label(row: dict, lang: str | None = None) -> str:
    """The name of a catalogue row in the session language (used in selectboxes)."""
    return row["name_en"] if (lang or current_lang()) == "en" else row["name_id"]


def _resolve_indicator(level: str) -> list[str]:
    options = data.indicators_for(level)
    ss = st.session_state
    if options and ss.get(state.INDICATOR) not in options:
        preferred = [p for p in PREFERRED_DEFAULT if p in options]
        ss[state.INDICATOR] = preferred[0] if preferred else options[0]
    return options


def _resolve_year(level: str, indicator: str) -> list[int]:
    yrs = data.years(level, indicator)
    ss = st.session_state
    if yrs and ss.get(state.YEAR) not in yrs:
        ss[state.YEAR] = yrs[-1]
    return yrs


def render() -> View:
    """Draw the shared sidebar and return the resolved view.

    Never raises for missing data: without a catalogue only language and level are shown.
    """
    with st.sidebar:
        st.segmented_control(
            t("shell.sidebar.language"),
            options=list(LANGS),
            format_func=lambda code: LANG_NAMES[code],
            key=state.LANG,
            selection_mode="single",
            on_change=state.keep_choice,
            args=(state.LANG,),
        )
        lang = current_lang()  # bound now: AppTest calls format functions outside the run
        st.selectbox(
            t("shell.sidebar.level"),
            options=list(state.LEVELS),
            format_func=lambda lv: t(f"shell.level.{lv}", lang=lang),
            key=state.LEVEL,
        )
        level = st.session_state[state.LEVEL]
        try:
            options = _resolve_indicator(level)
        except data.DataUnavailable:
            return View(lang, level, None, None, None)
        if not options:
            return View(lang, level, None, None, None)
        cat = data.catalogue().set_index("id")

        def label(ind: str) -> str:
            # ``lang`` is bound now: AppTest calls format functions outside the script run.
            row = cat.loc[ind]
            name = row["name_en"] if lang == "en" else row["name_id"]
            if level in row["illustrative_levels"]:
                name += f" · {t('common.badge.illustrative', lang=lang)}"
            return name

        st.selectbox(
            t("shell.sidebar.indicator"), options=options, format_func=label, key=state.INDICATOR
        )
        indicator = st.session_state[state.INDICATOR]
        yrs = _resolve_year(level, indicator)
        if yrs:
            st.selectbox(t("shell.sidebar.year"), options=yrs[::-1], key=state.YEAR)
        else:
            st.caption(t("shell.sidebar.no_years"))
        meta = data.indicator_meta(indicator)
        return View(lang, level, indicator, st.session_state.get(state.YEAR), meta)


def current_view() -> View:
    """The view of the current rerun (set by ``dashboard.py``).

    The first run of a fresh server on a deep link (``/peta``) is run by Streamlit's legacy
    ``pages/`` mode without the router; that run is redone through the router.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager

        if PagesManager.uses_pages_directory:
            PagesManager.uses_pages_directory = False
            st.rerun()
    except ImportError:  # pragma: no cover - another Streamlit version
        pass
    view = st.session_state.get("_rbk_view")
    if view is None:  # a page run on its own (e.g. AppTest.from_file on a page)
        view = render()
    return view


#: Session key where a page lists further indicators it shows (reset on every run).
SHOWN_KEY = "_rbk_shown_indicators"


def show_indicators(*indicators: str) -> None:
    """Tell the footer that the page also shows these indicators (their sources are named)."""
    shown = st.session_state.setdefault(SHOWN_KEY, [])
    shown.extend(i for i in indicators if i not in shown)


def footer(view: View) -> None:
    """Sources and licences of what is shown, and the illustrative-data notice."""
    st.divider()
    lines = [t("shell.footer.geometry")]
    indicators = ([view.indicator] if view.meta else []) + list(st.session_state.get(SHOWN_KEY, []))
    st.session_state[SHOWN_KEY] = []
    metas = []
    for ind in dict.fromkeys(indicators):
        try:
            metas.append(data.indicator_meta(ind))
        except (KeyError, data.DataUnavailable):
            continue
    if metas:
        try:
            src = data.sources().set_index("id")
        except data.DataUnavailable:
            src = None
        parts = []
        for sid in (sid for meta in metas for sid in (meta.get("sources") or [])):
            if src is not None and sid in src.index:
                row = src.loc[sid]
                licence = row.get("licence") or t("shell.footer.licence_unknown")
                parts.append(f"{row.get('title') or sid} ({licence})")
            else:
                parts.append(sid)
        parts = list(dict.fromkeys(parts))  # several files of one repository: named once
        if parts:
            lines.insert(0, t("shell.footer.shown", sources="; ".join(parts)))
        if any(view.level in (meta.get("illustrative_levels") or []) for meta in metas):
            lines.append(t("shell.footer.illustrative"))
    st.caption(f"**{t('shell.footer.title')}** · " + " · ".join(lines))
