"""Every issue code the code can emit has a message in both languages and is documented.

Messages are templates in ``i18n/locales/{id,en}/ingest.toml`` (keys ``ingest.message.<code>``);
the code only emits codes with parameters.
"""

from __future__ import annotations

import re
from pathlib import Path

import i18n
from ingest.messages import KEY_PREFIX, format_name, render, suggestion

ROOT = Path(__file__).resolve().parents[2]
EMIT = re.compile(r"""\.(?:error|warn)\(\s*["']([a-z_]+)["']""")
CODE_IN_TUPLE = re.compile(
    r"""Resolved\(None,\s*["']([a-z_]+)["']|problems\.append\(\(\s*["']([a-z_]+)["']|return \(["']([a-z_]+)["'],"""
)
#: Locale keys written out in the code, and prefixes completed at run time (f"ingest.x.{lang}").
KEY_LITERAL = re.compile(r"""["'](ingest\.[a-z_]+\.[a-z_]+)["']""")
KEY_PREFIX_LITERAL = re.compile(r"""f["'](ingest\.[a-z_]+)\.\{""")


def sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted((ROOT / "ingest").glob("*.py"))}


def emitted_codes() -> set[str]:
    codes = set()
    for text in sources().values():
        codes |= set(EMIT.findall(text))
        for groups in CODE_IN_TUPLE.findall(text):
            codes.update(g for g in groups if g)
    codes |= set(re.findall(r'return "([a-z_]+)"', (ROOT / "ingest" / "numbers.py").read_text()))
    return codes - {"both", "bad", "missing", "xlsx", "zip", "ole", "empty", "text"}


def messages(lang: str) -> dict[str, str]:
    """``code -> template`` of the issue messages in ``lang``."""
    return {k[len(KEY_PREFIX):]: v for k, v in i18n.catalog(lang).items() if k.startswith(KEY_PREFIX)}


def test_the_scan_finds_the_codes():
    # guards the test below against a pattern that silently stops matching
    assert {"scientific_code", "code_name_mismatch", "missing_key", "unknown_kabupaten", "overflow",
            "commit_busy", "mixed_number_format", "duplicate_region"} <= emitted_codes()


def test_every_emitted_code_has_both_messages():
    for lang in i18n.LANGS:
        missing = sorted(emitted_codes() - set(messages(lang)))
        assert not missing, (lang, missing)
    msg_id, msg_en = messages("id"), messages("en")
    for code in msg_id:
        assert msg_id[code].strip() and msg_en[code].strip() and msg_id[code] != msg_en[code], code


def used_keys() -> set[str]:
    """Locale keys the code names: written out, or completed at run time from a prefix (the
    number formats by locale, the command line's texts by the names passed to ``_text``)."""
    used = set()
    for path, text in sources().items():
        used |= set(KEY_LITERAL.findall(text))
        for prefix in KEY_PREFIX_LITERAL.findall(text):
            if prefix.startswith("ingest.format_"):
                used |= {f"{prefix}.{locale}" for locale in ("id", "en")}
            elif prefix == "ingest.cli":
                used |= {f"{prefix}.{name}" for name in re.findall(r'_text\(\s*"([a-z_]+)"', text)}
                used |= {f"{prefix}.{name}" for pair in re.findall(r'_text\(\s*"([a-z_]+)" if .+? else "([a-z_]+)"', text)
                         for name in pair}
            else:
                raise AssertionError(f"{path.name}: key prefix {prefix!r} not checked by this test")
    return used


def test_every_locale_key_used_in_the_code_exists_in_both_languages():
    used = used_keys()
    assert {"ingest.suggest.did_you_mean", "ingest.format_name.en", "ingest.cli.summary",
            "ingest.cli.accepted", "ingest.cli.rejected", "ingest.location.row"} <= used
    for lang in i18n.LANGS:
        missing = sorted(used - set(i18n.catalog(lang)))
        assert not missing, (lang, missing)


def test_every_code_is_documented():
    doc = (ROOT / "docs" / "upload.md").read_text(encoding="utf-8")
    undocumented = sorted(c for c in messages("id") if f"`{c}`" not in doc)
    assert not undocumented, undocumented


def test_placeholders_agree_between_languages():
    field = re.compile(r"{([a-z_]+)")
    msg_id, msg_en = messages("id"), messages("en")
    for code in msg_id:
        assert set(field.findall(msg_id[code])) == set(field.findall(msg_en[code])), code


def test_location_prefix():
    msg_id, msg_en = render("missing_key", row=2, line=7, column="kode")
    assert msg_id.startswith("Baris data 2, baris berkas 7, kolom «kode»: ")
    assert msg_en.startswith("Record 2, line 7, column 'kode': ")


def test_parameters_that_are_messages_follow_the_language():
    msg_id, msg_en = render("unknown_name", value="Sukolila", kabupaten="Kota Surabaya",
                            suggest=suggestion(["35.78.09 Sukolilo (Kota Surabaya)"]))
    assert msg_id.endswith("Mungkin maksudnya: 35.78.09 Sukolilo (Kota Surabaya)?")
    assert msg_en.endswith("Did you mean: 35.78.09 Sukolilo (Kota Surabaya)?")
    msg_id, msg_en = render("number_format_assumed", value="1.234", locale=format_name("id"),
                            delimiter="';'", example="1234.0")
    assert msg_id.startswith("Format angka Indonesia dipakai")
    assert msg_en.startswith("The Indonesian number format is used")
