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

#: Indicators preferred as the first view when the URL names none: the first one that has
#: real (not illustrative) values at the level. IDM 2024 first; before it is built, the HDI
#: (kabupaten) or the 2010 census population and density (kecamatan).
PREFERRED_DEFAULT = ("idm", "ipm", "kepadatan_penduduk", "penduduk")

#: The heading option of an indicator picker: the illustrative indicators follow it.
HEADING = "__illustrative__"


@dataclass(frozen=True)
class View:
    """The shared choices of the sidebar, resolved against the data."""

    lang: str
    level: str
    indicator: str | None
    year: int | None
    meta: dict | None
    #: Whether the chosen year's values are all generated (None: not known, use the catalogue).
    year_illustrative: bool | None = None
    #: Messages for the page about a choice that could not be kept (e.g. from a bad link).
    notices: tuple[str, ...] = ()
    #: The message a page shows when there is nothing to show (``indicator`` is None): why.
    unavailable: str = "common.error.no_data"

    @property
    def illustrative(self) -> bool:
        """Whether the chosen indicator is illustrative at the chosen level (in the chosen
        year: the 2010 census population of the kecamatan is real, later years are not)."""
        if self.year_illustrative is not None:
            return self.year_illustrative
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


def grouped_options(options: list[str], illustrative: set[str]) -> list[str]:
    """Real indicators first, then :data:`HEADING`, then the illustrative ones (each group in
    the given order); no heading when one group is empty.

    Examples
    --------
    >>> grouped_options(["a", "b", "c"], {"a"})
    ['b', 'c', '__illustrative__', 'a']
    >>> grouped_options(["a", "b"], set())
    ['a', 'b']
    """
    real = [o for o in options if o not in illustrative]
    generated = [o for o in options if o in illustrative]
    return real + [HEADING] + generated if real and generated else real + generated


def default_indicator(options: list[str], illustrative: set[str]) -> str | None:
    """The first preferred real indicator, else the first real one, else the first one.

    Examples
    --------
    >>> default_indicator(["poverty", "penduduk", "ipm"], {"poverty"})
    'ipm'
    >>> default_indicator(["poverty", "area"], {"poverty"})
    'area'
    """
    real = [o for o in options if o not in illustrative and o != HEADING]
    preferred = [p for p in PREFERRED_DEFAULT if p in real]
    return (preferred or real or [o for o in options if o != HEADING] or [None])[0]


def after_heading(options: list[str], value: str) -> str:
    """The option a picker keeps when the heading is chosen: the first one after it."""
    if value != HEADING or HEADING not in options:
        return value
    i = options.index(HEADING)
    return options[i + 1] if i + 1 < len(options) else options[0]


def picker_label(names: dict[str, str], illustrative: set[str], lang: str):
    """A ``format_func`` for indicator pickers: the name in ``lang`` (``names``:
    :func:`ui.data.indicator_names` of ``lang``), the heading's text, and the illustrative
    badge of an indicator in ``illustrative``."""

    def label(ind: str) -> str:
        if ind == HEADING:
            return t("common.picker.illustrative_heading", lang=lang)
        name = names[ind]
        if ind in illustrative:
            name += f" · {t('common.badge.illustrative', lang=lang)}"
        return name

    return label


def _resolve_indicator(level: str, notices: list[str]) -> list[str]:
    illustrative = data.illustrative_only(level)
    options = grouped_options(data.indicators_for(level), illustrative)
    ss = st.session_state
    current = ss.get(state.INDICATOR)
    if current == HEADING:
        ss[state.INDICATOR] = after_heading(options, current)
    elif options and current not in options:
        ss[state.INDICATOR] = default_indicator(options, illustrative)
        if level == "desa" and current:
            lang = current_lang()
            names = data.indicator_names(lang)
            name = picker_label(names, set(), lang)
            notices.append(
                t(
                    "shell.sidebar.no_desa_values",
                    indicator=name(current) if current in names else current,
                    shown=name(ss[state.INDICATOR]),
                )
            )
    return options


def _desa_kabupaten(lang: str, notices: list[str]) -> None:
    """The kabupaten/kota picker of the desa level (one kabupaten at a time); an unknown
    code (from a link) falls back to the first kabupaten/kota with a notice."""
    kab = data.regions_table("kabupaten")
    names = dict(zip(kab["kode"], kab["nama"], strict=True))
    ss = st.session_state
    current = ss.get(state.KABUPATEN)
    if current not in names:
        if current:
            notices.append(t("shell.sidebar.unknown_kabupaten", code=current))
        ss[state.KABUPATEN] = next(iter(names))
    st.selectbox(
        t("shell.sidebar.kabupaten", lang=lang),
        options=list(names),
        format_func=names.get,
        key=state.KABUPATEN,
    )


def _resolve_year(level: str, indicator: str) -> tuple[list[int], list[int]]:
    yrs = data.years(level, indicator)
    real = data.real_years(level, indicator) if yrs else []
    ss = st.session_state
    if yrs and ss.get(state.YEAR) not in yrs:  # the latest year of real data first
        ss[state.YEAR] = data.year_for(level, indicator, ss.get(state.YEAR))
    return yrs, real


# long: one widget after another, in the order the sidebar shows them
def render(levels: tuple[str, ...] = state.LEVELS) -> View:
    """Draw the shared sidebar and return the resolved view.

    ``levels`` are the levels the page offers (Peta adds ``desa``, with a kabupaten/kota
    picker: one kabupaten at a time); a level the page does not offer falls back to
    kecamatan. Never raises for missing data: without a catalogue only language and level
    are shown.
    """
    notices: list[str] = []
    if st.session_state.get(state.LEVEL) not in levels:
        st.session_state[state.LEVEL] = levels[0]
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
            options=list(levels),
            format_func=lambda lv: t(f"shell.level.{lv}", lang=lang),
            key=state.LEVEL,
        )
        level = st.session_state[state.LEVEL]
        try:
            if level == "desa":
                _desa_kabupaten(lang, notices)
            options = _resolve_indicator(level, notices)
        except data.DataUnavailable as exc:
            return View(lang, level, None, None, None, unavailable=exc.key)
        if not options:
            return View(lang, level, None, None, None)
        # ``lang`` is bound now: AppTest calls format functions outside the script run.
        label = picker_label(data.indicator_names(lang), data.illustrative_only(level), lang)
        st.selectbox(
            t("shell.sidebar.indicator"),
            options=options,
            format_func=label,
            key=state.INDICATOR,
            on_change=_skip_heading,
            args=(options,),
        )
        indicator = st.session_state[state.INDICATOR]
        yrs, real = _resolve_year(level, indicator)
        if yrs:
            badge = t("common.badge.illustrative", lang=lang)
            st.selectbox(
                t("shell.sidebar.year"),
                options=yrs[::-1],
                key=state.YEAR,
                format_func=lambda y: str(y) if y in real else f"{y} · {badge}",
            )
        else:
            st.caption(t("shell.sidebar.no_years"))
        meta = data.indicator_meta(indicator)
        year = st.session_state.get(state.YEAR)
        return View(
            lang, level, indicator, year, meta, year not in real, notices=tuple(notices)
        )


def _skip_heading(options: list[str]) -> None:
    """``on_change`` of the indicator picker: choosing the heading chooses the first
    illustrative indicator after it."""
    ss = st.session_state
    ss[state.INDICATOR] = after_heading(options, ss.get(state.INDICATOR))


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


#: Seconds between two checks whether an unreachable store is back.
RETRY_EVERY = 5


def show_unavailable(key: str) -> None:
    """Say why the page has nothing to show (the message ``key`` of
    :class:`ui.data.DataUnavailable`). While the store is unreachable, check it every
    :data:`RETRY_EVERY` seconds and run the page again once it is back: no reload, no restart.
    """
    if key != data.DataUnavailable.UNREACHABLE:
        st.info(t(key))
        return
    st.warning(t(key), icon=":material/cloud_off:")
    _retry_store()


@st.fragment(run_every=RETRY_EVERY)
def _retry_store() -> None:
    try:
        data.stamp()
    except data.DataUnavailable:
        return
    st.rerun(scope="app")


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
        others = metas[1:] if view.meta else metas
        if view.illustrative or any(
            view.level in (meta.get("illustrative_levels") or []) for meta in others
        ):
            lines.append(t("shell.footer.illustrative"))
    st.caption(f"**{t('shell.footer.title')}** · " + " · ".join(lines))
