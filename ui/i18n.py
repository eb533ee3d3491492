"""Translations and number formatting for the dashboard.

Translations live in TOML files ``ui/locales/<lang>/<area>.toml`` (``lang`` is ``id``, the
default, or ``en``). A key is ``<area>.<table>.<name>``: the file name is the first part, then
the TOML tables. For example ``ui/locales/id/peta.toml`` containing::

    [legend]
    no_data = "Tidak ada data"

defines ``peta.legend.no_data``. Each area file must exist in both languages with the same
keys (``tests/ui/test_i18n.py`` checks every area file). Values are ``str.format`` templates:
``t("peta.summary.rank", rank=3, n=666)``.

The current language is ``st.session_state["lang"]`` (see :mod:`ui.state`).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"

#: Languages of the interface; the first is the default.
LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"

#: Names of the languages in the language switch (each in its own language).
LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def _flatten(prefix: str, table: dict, out: dict[str, str], source: Path) -> None:
    for name, value in table.items():
        key = f"{prefix}.{name}"
        if isinstance(value, dict):
            _flatten(key, value, out, source)
        elif isinstance(value, str):
            out[key] = value
        else:
            raise ValueError(f"{source}: {key} must be a string, not {type(value).__name__}")


@cache
def catalog(lang: str) -> dict[str, str]:
    """All translations of one language, keyed ``<area>.<table>.<name>``.

    Parameters
    ----------
    lang : str
        ``"id"`` or ``"en"``.

    Returns
    -------
    dict
        Flat mapping of key to template string.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    out: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as fh:
            _flatten(path.stem, tomllib.load(fh), out, path)
    return out


def area_files(lang: str) -> dict[str, Path]:
    """The area files of a language, by area name (file stem)."""
    return {p.stem: p for p in sorted((LOCALES_DIR / lang).glob("*.toml"))}


def missing_keys() -> dict[str, list[str]]:
    """Keys present in one language and missing in another, by language.

    Returns
    -------
    dict
        ``{lang: [keys missing in lang]}``; empty lists when complete.
    """
    all_keys = set().union(*(catalog(lang).keys() for lang in LANGS))
    return {lang: sorted(all_keys - catalog(lang).keys()) for lang in LANGS}


def current_lang() -> str:
    """The language of the current session (``st.session_state["lang"]``), else the default."""
    try:
        import streamlit as st

        lang = st.session_state.get("lang", DEFAULT_LANG)
    except Exception:  # outside a Streamlit run (plain scripts, doctests)
        lang = DEFAULT_LANG
    return lang if lang in LANGS else DEFAULT_LANG


def t(key: str, lang: str | None = None, **kwargs) -> str:
    """Translate ``key`` into the current (or given) language.

    Parameters
    ----------
    key : str
        ``<area>.<table>.<name>``.
    lang : str, optional
        Force a language; default: the session's.
    **kwargs
        Values for the template's ``{placeholders}``.

    Returns
    -------
    str
        The translation; the key itself (visibly wrong, never a crash) when it is missing.

    Examples
    --------
    >>> t("shell.level.kecamatan", lang="en")
    'Kecamatan (666)'
    """
    lang = lang or current_lang()
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG).get(key, key)
    return text.format(**kwargs) if kwargs else text


def unit_label(unit: str | None, lang: str | None = None) -> str:
    """A catalogue unit in the interface language (``common.unit.<unit>``; unknown units,
    e.g. from an upload, are shown as stored).

    Examples
    --------
    >>> unit_label("jiwa/km2", lang="en")
    'people/km²'
    >>> unit_label("kg", lang="en")
    'kg'
    """
    if not unit:
        return ""
    text = catalog(lang or current_lang()).get(f"common.unit.{unit}")
    return text if text is not None else unit


# --------------------------------------------------------------------------- numbers

#: Plotly ``layout.separators`` per language: decimal mark then thousands separator.
PLOTLY_SEPARATORS = {"id": ",.", "en": ".,"}


def plotly_separators(lang: str | None = None) -> str:
    """The Plotly ``separators`` string for a language (``",."`` in Bahasa Indonesia)."""
    return PLOTLY_SEPARATORS[lang or current_lang()]


def fmt_number(value, decimals: int = 2, lang: str | None = None, missing: str = "–") -> str:
    """Format a number with the language's decimal mark and thousands separator.

    Parameters
    ----------
    value : float or int or None
        The number; None or NaN gives ``missing``.
    decimals : int
        Digits after the decimal mark.
    lang : str, optional
        Default: the session's language.
    missing : str
        Shown for a missing value (never ``0``).

    Examples
    --------
    >>> fmt_number(1234567.891, 2, lang="id")
    '1.234.567,89'
    >>> fmt_number(1234567.891, 1, lang="en")
    '1,234,567.9'
    >>> fmt_number(float("nan"), lang="id")
    '–'
    """
    if value is None:
        return missing
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return missing
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    text = f"{x:,.{decimals}f}"
    if (lang or current_lang()) == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if text.startswith("-"):
        text = "−" + text[1:]
    return text


def fmt_percent(value, decimals: int = 1, lang: str | None = None) -> str:
    """A value already in percent, formatted with ``%`` (``12,3%`` in Bahasa Indonesia)."""
    text = fmt_number(value, decimals, lang)
    return text if text == "–" else f"{text}%"


def auto_decimals(values: Iterable[float]) -> int:
    """A sensible number of decimals for a set of values (0 for large magnitudes, up to 3).

    Examples
    --------
    >>> auto_decimals([1200.0, 35000.0])
    0
    >>> auto_decimals([0.12, 0.48])
    3
    """
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return 0
    spread = max(finite)
    if spread >= 1000:
        return 0
    if spread >= 100:
        return 1
    if spread >= 1:
        return 2
    return 3


def d3_format(decimals: int) -> str:
    """A d3 number format (Plotly ``hovertemplate``/``tickformat``) with thousands grouping."""
    return f",.{decimals}f"
