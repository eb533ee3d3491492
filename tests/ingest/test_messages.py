"""Every issue code the code can emit has messages in both languages and is documented."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.messages import MESSAGES, render

ROOT = Path(__file__).resolve().parents[2]
EMIT = re.compile(r"""\.(?:error|warn)\(\s*["']([a-z_]+)["']""")
CODE_IN_TUPLE = re.compile(r"""Resolved\(None,\s*["']([a-z_]+)["']|problems\.append\(\(\s*["']([a-z_]+)["']""")


def emitted_codes() -> set[str]:
    codes = set()
    for path in [*(ROOT / "ingest").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        codes |= set(EMIT.findall(text))
        for a, b in CODE_IN_TUPLE.findall(text):
            codes.add(a or b)
    codes |= set(re.findall(r'return "([a-z_]+)"', (ROOT / "ingest" / "numbers.py").read_text()))
    return codes - {"both", "bad", "missing", "xlsx", "zip", "ole", "empty", "text"}


def test_every_emitted_code_has_both_messages():
    missing = sorted(emitted_codes() - set(MESSAGES))
    assert not missing, missing
    for code, (msg_id, msg_en) in MESSAGES.items():
        assert msg_id.strip() and msg_en.strip() and msg_id != msg_en, code


def test_every_code_is_documented():
    doc = (ROOT / "docs" / "upload.md").read_text(encoding="utf-8")
    undocumented = sorted(c for c in MESSAGES if f"`{c}`" not in doc)
    assert not undocumented, undocumented


def test_placeholders_agree_between_languages():
    field = re.compile(r"{([a-z_]+)}")

    def names(text):  # a field ending in _id / _en is the same field in the other language
        return {re.sub(r"_(id|en)$", "", f) for f in field.findall(text)}

    for code, (msg_id, msg_en) in MESSAGES.items():
        assert names(msg_id) == names(msg_en), code


def test_location_prefix():
    msg_id, msg_en = render("missing_key", row=2, line=7, column="kode")
    assert msg_id.startswith("Baris data 2, baris berkas 7, kolom «kode»: ")
    assert msg_en.startswith("Record 2, line 7, column 'kode': ")
