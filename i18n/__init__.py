"""Translations for every interface of the project (dashboard and command lines).

The bottom layer beside :mod:`settings`: it imports nothing else of ours, so ``store``,
``ingest`` and their command lines can raise message *codes with parameters* and have them
translated here, exactly as the dashboard does.

Translations live in TOML files ``i18n/locales/<lang>/<area>.toml`` (``lang`` is ``id``, the
default, or ``en``). A key is ``<area>.<table>.<name>``: the file name is the first part, then
the TOML tables. For example ``i18n/locales/id/peta.toml`` containing::

    [legend]
    no_data = "Tidak ada data"

defines ``peta.legend.no_data``. Each area file must exist in both languages with the same
keys (``tests/ui/test_i18n.py`` checks every area file). Values are ``str.format`` templates:
``translate("peta.summary.rank", "id", rank=3, n=666)``.

Numbers are formatted by :mod:`i18n.numbers`, the one number formatter of the project.
"""

from __future__ import annotations

import tomllib
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


def translate(key: str, lang: str = DEFAULT_LANG, /, **params) -> str:
    """Translate ``key`` into ``lang``, filling the template's ``{placeholders}``.

    Returns the key itself (visibly wrong, never a crash) when it is missing in both
    languages.

    Examples
    --------
    >>> translate("shell.level.kecamatan", "en")
    'Kecamatan (666)'
    """
    lang = lang if lang in LANGS else DEFAULT_LANG
    text = catalog(lang).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG).get(key, key)
    return text.format(**params) if params else text


def unit_label(unit: str | None, lang: str = DEFAULT_LANG) -> str:
    """A catalogue unit in ``lang`` (``common.unit.<unit>``; unknown units, e.g. from an
    upload, are shown as stored).

    Examples
    --------
    >>> unit_label("jiwa/km2", "en")
    'people/km²'
    >>> unit_label("kg", "en")
    'kg'
    """
    if not unit:
        return ""
    text = catalog(lang if lang in LANGS else DEFAULT_LANG).get(f"common.unit.{unit}")
    return text if text is not None else unit


class Bilingual:
    """Mixin for anything with ``message(lang)``: the two languages as properties."""

    __slots__ = ()

    def message(self, lang: str = DEFAULT_LANG) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def message_id(self) -> str:
        """The message in Bahasa Indonesia."""
        return self.message("id")

    @property
    def message_en(self) -> str:
        """The message in English."""
        return self.message("en")
