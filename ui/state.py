"""Session-state keys, their defaults, and their mirror in the URL query parameters.

Every page reads the shared view state through these keys (``st.session_state[KEY]``); no
other module invents session-state keys for shared state. The canonical keys are:

=================  ===============  ==========  ===========================================
key                default          URL param   meaning
=================  ===============  ==========  ===========================================
``lang``           ``"id"``         ``lang``    interface language (``id``/``en``)
``level``          ``"kecamatan"``  ``level``   ``kecamatan`` or ``kabupaten`` (``desa`` on
                                                Peta only, one kabupaten at a time)
``indicator``      ``None``         ``ind``     indicator id of the catalogue (None: the
                                                sidebar picks the default)
``year``           ``None``         ``year``    int; None: latest year of the indicator
``classification`` ``"quantiles"``  ``cls``     scheme id, see ``CLASSIFICATIONS``
``n_classes``      ``5``            ``k``       number of classes (3–9)
``user_breaks``    ``[]``           ``breaks``  upper bounds for ``user_defined`` (``1.5;3``)
``map_mode``       ``"indicator"``  ``mode``    ``indicator``, ``lisa`` or ``bivariate``
``selected``       ``[]``           ``kec``     selected kecamatan codes ``35.78.09``
                                                (``kec=35.78.09,35.78.08``), first = focus
``kabupaten``      ``None``         ``kab``     chosen kabupaten ``35.78`` (zoom/filter;
                                                the desa map's kabupaten)
``desa``           ``None``         ``desa``    the desa selected on the desa map
                                                (``35.78.09.1001``)
``need_indicator`` poverty rate     ``need``    need indicator of the bivariate map
``coverage_...``   ``cakupan_pkh``  ``cov``     coverage indicator of the bivariate map
``brushed``        ``[]``           ``brush``   regions brushed in Ketimpangan's linked views
                                                (kecamatan or kabupaten codes, any number)
=================  ===============  ==========  ===========================================

How URL sync works (``dashboard.py`` calls these, pages do not):

1. :func:`init` runs first on every rerun. On the first run of a session it reads
   ``st.query_params`` (a deep link), validates each value (bad values are dropped, never an
   error) and writes them into session state; then it fills missing keys with defaults and
   "pins" every key (re-assigning it) so that Streamlit does not discard the value of a widget
   that is not rendered on the current page.
2. Widgets use these keys directly as their ``key=`` (the sidebar's selectboxes, the Peta
   page's classification ...), so a widget change updates the state.
3. :func:`write_url` runs last on every rerun and writes the state into ``st.query_params``
   (defaults are left out to keep links short). Streamlit drops query parameters on a page
   switch; the next rerun writes them back, so the URL always reproduces the view
   (the page itself is the URL path).

Selections made on the map are stored in ``selected``; Bandingkan and Profil read it.
A brush (box or lasso) in Ketimpangan's linked views selects many regions at once, of either
level, so it has its own key ``brushed`` (``selected`` keeps at most :data:`MAX_SELECTED`
kecamatan, the first being Profil's focus).
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from ui.i18n import DEFAULT_LANG, LANGS

LEVELS: tuple[str, ...] = ("kecamatan", "kabupaten")
#: Levels of the Peta page: the shared ones and the desa/kelurahan (one kabupaten at a time).
MAP_LEVELS: tuple[str, ...] = (*LEVELS, "desa")
CLASSIFICATIONS: tuple[str, ...] = (
    "quantiles",
    "fisher_jenks",
    "equal_interval",
    "std_mean",
    "box_plot",
    "user_defined",
)
MAP_MODES: tuple[str, ...] = ("indicator", "lisa", "bivariate")

LANG = "lang"
LEVEL = "level"
INDICATOR = "indicator"
YEAR = "year"
CLASSIFICATION = "classification"
N_CLASSES = "n_classes"
USER_BREAKS = "user_breaks"
MAP_MODE = "map_mode"
SELECTED = "selected"
KABUPATEN = "kabupaten"
NEED = "need_indicator"
COVERAGE = "coverage_indicator"
DESA = "desa"
BRUSHED = "brushed"

#: Defaults of every shared key (lists are copied on use; never mutate these).
DEFAULTS: dict[str, Any] = {
    LANG: DEFAULT_LANG,
    LEVEL: "kecamatan",
    INDICATOR: None,
    YEAR: None,
    CLASSIFICATION: "quantiles",
    N_CLASSES: 5,
    USER_BREAKS: [],
    MAP_MODE: "indicator",
    SELECTED: [],
    KABUPATEN: None,
    NEED: "persentase_penduduk_miskin",
    COVERAGE: "cakupan_pkh",
    DESA: None,
    BRUSHED: [],
}

#: Session-state key -> URL query parameter name.
URL_PARAMS: dict[str, str] = {
    LANG: "lang",
    LEVEL: "level",
    INDICATOR: "ind",
    YEAR: "year",
    CLASSIFICATION: "cls",
    N_CLASSES: "k",
    USER_BREAKS: "breaks",
    MAP_MODE: "mode",
    SELECTED: "kec",
    KABUPATEN: "kab",
    NEED: "need",
    COVERAGE: "cov",
    DESA: "desa",
    BRUSHED: "brush",
}

KEC_CODE = re.compile(r"^35\.\d{2}\.\d{2}$")
KAB_CODE = re.compile(r"^35\.\d{2}$")
DESA_CODE = re.compile(r"^35\.\d{2}\.\d{2}\.[12]\d{3}$")
INDICATOR_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_SELECTED = 8
#: At most every kecamatan of the province in a brush.
MAX_BRUSHED = 666

_URL_LOADED = "_rbk_url_loaded"


def parse_param(key: str, raw: str) -> Any:
    """Parse and validate one query-parameter value; ``None`` when it is not valid.

    Parameters
    ----------
    key : str
        A session-state key of :data:`DEFAULTS`.
    raw : str
        The text from the URL.

    Examples
    --------
    >>> parse_param("selected", "35.78.09,35.78.08,bad")
    ['35.78.09', '35.78.08']
    >>> parse_param("level", "desa"), parse_param("level", "dusun") is None
    ('desa', True)
    >>> parse_param("year", "2020")
    2020
    """
    raw = (raw or "").strip()
    if key == LANG:
        return raw if raw in LANGS else None
    if key == LEVEL:
        return raw if raw in MAP_LEVELS else None
    if key in (INDICATOR, NEED, COVERAGE):
        return raw if INDICATOR_ID.match(raw) else None
    if key == YEAR:
        return int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2100 else None
    if key == CLASSIFICATION:
        return raw if raw in CLASSIFICATIONS else None
    if key == N_CLASSES:
        return int(raw) if raw.isdigit() and 3 <= int(raw) <= 9 else None
    if key == USER_BREAKS:
        try:
            values = sorted({float(x) for x in raw.split(";") if x.strip()})
        except ValueError:
            return None
        return values[:9] or None
    if key == MAP_MODE:
        return raw if raw in MAP_MODES else None
    if key == SELECTED:
        codes = [c for c in raw.split(",") if KEC_CODE.match(c.strip())]
        return list(dict.fromkeys(c.strip() for c in codes))[:MAX_SELECTED] or None
    if key == KABUPATEN:
        return raw if KAB_CODE.match(raw) else None
    if key == DESA:
        return raw if DESA_CODE.match(raw) else None
    if key == BRUSHED:
        codes = (c.strip() for c in raw.split(","))
        valid = [c for c in codes if KEC_CODE.match(c) or KAB_CODE.match(c)]
        return list(dict.fromkeys(valid))[:MAX_BRUSHED] or None
    raise KeyError(key)


def format_param(key: str, value: Any) -> str:
    """The URL text of a state value (inverse of :func:`parse_param`)."""
    if key in (SELECTED, BRUSHED):
        return ",".join(value)
    if key == USER_BREAKS:
        return ";".join(f"{v:g}" for v in value)
    return str(value)


def init() -> None:
    """Fill session state from the URL (first run of a session) and defaults; pin all keys."""
    ss = st.session_state
    if not ss.get(_URL_LOADED):
        params = st.query_params
        for key, name in URL_PARAMS.items():
            if name in params:
                value = parse_param(key, params.get(name, ""))
                if value is not None:
                    ss[key] = value
        ss[_URL_LOADED] = True
    for key, default in DEFAULTS.items():
        if key not in ss:
            ss[key] = list(default) if isinstance(default, list) else default
        else:
            # Re-assigning keeps a widget's value when its widget is not on this page.
            ss[key] = ss[key]
        if ss[key] is not None:
            ss[_LAST + key] = ss[key]


def write_url() -> None:
    """Write the shared state into ``st.query_params`` (non-default values only)."""
    ss = st.session_state
    wanted: dict[str, str] = {}
    for key, name in URL_PARAMS.items():
        value = ss.get(key, DEFAULTS[key])
        if value is None or value == DEFAULTS[key] or value == []:
            continue
        wanted[name] = format_param(key, value)
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


_LAST = "_rbk_last_"


def keep_choice(key: str) -> None:
    """``on_change`` callback of a segmented control: clicking the chosen option again
    would deselect it (None); keep the previous choice instead."""
    ss = st.session_state
    if ss.get(key) is None:
        ss[key] = ss.get(_LAST + key, DEFAULTS[key])
    else:
        ss[_LAST + key] = ss[key]


def get(key: str) -> Any:
    """The session's value of a shared key (its default when unset)."""
    return st.session_state.get(key, DEFAULTS[key])


def selected() -> list[str]:
    """Selected kecamatan codes (first = the focus of Profil and the map's summary)."""
    return list(get(SELECTED) or [])


def select(code: str, add: bool = False) -> None:
    """Select a kecamatan: make it the focus (``add=False``) or add it to the selection."""
    if not KEC_CODE.match(code or ""):
        return
    current = [c for c in selected() if c != code]
    st.session_state[SELECTED] = ([code] + current)[:MAX_SELECTED] if add else [code]


def brushed() -> list[str]:
    """Codes brushed in the linked views (scatter or map), in the order they came."""
    return list(get(BRUSHED) or [])


def clear_selection() -> None:
    """Remove every selected kecamatan."""
    st.session_state[SELECTED] = []
