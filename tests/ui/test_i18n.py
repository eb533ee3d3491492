"""Translations: every key exists in both languages, in every area file; formatting helpers."""

from __future__ import annotations

import re
import string

import pytest

import i18n
from ui.i18n import fmt_number, plotly_separators, t


def test_every_area_file_exists_in_both_languages():
    areas = {lang: set(i18n.area_files(lang)) for lang in i18n.LANGS}
    assert areas["id"], "no translation files found"
    assert areas["id"] == areas["en"], f"area files differ: {areas}"


@pytest.mark.parametrize("area", sorted(i18n.area_files("id")))
def test_no_key_missing_in_either_language(area):
    keys = {
        lang: {k for k in i18n.catalog(lang) if k.split(".", 1)[0] == area} for lang in i18n.LANGS
    }
    assert keys["id"] - keys["en"] == set(), f"missing in en: {sorted(keys['id'] - keys['en'])}"
    assert keys["en"] - keys["id"] == set(), f"missing in id: {sorted(keys['en'] - keys['id'])}"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_placeholders_agree_between_languages():
    cat_id, cat_en = i18n.catalog("id"), i18n.catalog("en")
    bad = [k for k in cat_id if k in cat_en and _fields(cat_id[k]) != _fields(cat_en[k])]
    assert bad == []


def test_no_empty_translation():
    for lang in i18n.LANGS:
        assert [k for k, v in i18n.catalog(lang).items() if not v.strip()] == []


def test_unknown_key_is_visible_not_a_crash():
    assert t("nope.not.there", lang="en") == "nope.not.there"


def test_translations_differ_where_the_languages_do():
    assert t("shell.nav.beranda", lang="id") == "Beranda"
    assert t("shell.nav.beranda", lang="en") == "Overview"


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234567.891, 2, "id", "1.234.567,89"),
        (1234567.891, 2, "en", "1,234,567.89"),
        (0.5, 1, "id", "0,5"),
        (-12.25, 1, "id", "−12,2"),
        (None, 1, "id", "–"),
        (float("nan"), 1, "en", "–"),
        (999, 0, "id", "999"),
    ],
)
def test_fmt_number(value, decimals, lang, expected):
    assert fmt_number(value, decimals, lang=lang) == expected


def test_fmt_number_round_trips_through_indonesian_parsing():
    # Parse back the Indonesian text independently: drop dots, comma -> point.
    for x in (0.0, 1.5, 12345.678, 98765432.1):
        text = fmt_number(x, 3, lang="id")
        assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{3}", text)
        assert float(text.replace(".", "").replace(",", ".")) == pytest.approx(x, abs=5e-4)


def test_plotly_separators():
    assert plotly_separators("id") == ",."
    assert plotly_separators("en") == ".,"
