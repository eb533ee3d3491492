"""The store raises codes with parameters; every code has a template in both languages.

Templates live in ``i18n/locales/{id,en}/store.toml``: ``store.error.<code>`` (StoreError),
``store.problem.<code>`` (one refused row), ``store.result.<status>`` (CommitResult).
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pandas as pd
import pytest

import i18n
import store
from store.messages import Message

ROOT = Path(__file__).resolve().parents[2]
RAISED = re.compile(r"""Store(?:Validation|Busy)?Error\(\s*["']([a-z_]+)["']""")
PROBLEM = re.compile(r"""problems\.add\([^\n]*?,\s*["']([a-z_]+)["'],\s*["'][a-z_]+["']\)""")
RESULT = re.compile(r"""CommitResult\(\s*["']([a-z_]+)["']""")


def used_keys() -> set[str]:
    keys = set()
    for path in sorted((ROOT / "store").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        keys |= {f"store.error.{c}" for c in RAISED.findall(text)}
        keys |= {f"store.problem.{c}" for c in PROBLEM.findall(text)}
        keys |= {f"store.result.{c}" for c in RESULT.findall(text)}
    return keys


def test_the_scan_finds_the_codes():
    # guards the next test against a pattern that silently stops matching
    assert {"store.error.busy", "store.error.invalid_values", "store.error.no_earlier_version",
            "store.problem.bad_code", "store.problem.duplicate", "store.result.created",
            "store.result.duplicate"} <= used_keys()


def test_every_code_raised_has_a_template_in_both_languages():
    for lang in i18n.LANGS:
        missing = sorted(used_keys() - set(i18n.catalog(lang)))
        assert not missing, (lang, missing)


def test_the_problem_codes_of_a_refused_frame_have_templates():
    frame = pd.DataFrame({"region_code": ["35.78.09", "x"], "level": "kecamatan",
                          "indicator": ["ipm", "nope"], "year": [2024, 3000], "value": [1e9, 1.0]})
    rows, problems = store.frames.validate(store.frames.prepare(frame, None), _catalogue())
    assert {p["code"] for p in problems} >= {"bad_code", "unknown_indicator", "bad_year", "out_of_range"}
    for p in problems:
        assert f"store.problem.{p['code']}" in used_keys()
        assert p["message_en"] != p["message_id"] and "{" not in p["message_en"] + p["message_id"]


def _catalogue() -> pd.DataFrame:
    return pd.DataFrame({"levels": [("kecamatan",)], "valid_min": [0.0], "valid_max": [100.0]},
                        index=pd.Index(["ipm"]))


def test_error_text_comes_from_the_code_in_each_language():
    err = store.StoreError("no_earlier_version", indicator="ipm", level="kecamatan")
    assert err.code == "no_earlier_version" and err.params == {"indicator": "ipm", "level": "kecamatan"}
    assert err.message_en == "No earlier version of 'ipm' (kecamatan) to roll back to." == str(err)
    assert err.message_id == "Tidak ada versi sebelumnya dari 'ipm' (kecamatan)."
    assert err.message("en") == err.message_en


def test_a_nested_message_is_translated_into_the_same_language():
    err = store.StoreValidationError("invalid_values", count=2, row=1, column="year",
                                     first=Message.of("store.problem.bad_year"))
    assert err.message_id.startswith("2 masalah") and err.message_id.endswith("antara 1900 dan 2100.")
    assert err.message_en.endswith("year must be a whole number between 1900 and 2100.")


@pytest.mark.parametrize("cls", [store.StoreError, store.StoreBusyError, store.StoreValidationError])
def test_errors_survive_pickling_with_their_code(cls):
    err = cls("busy", details=[{"row": 1}], seconds=3.0)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls and back.code == "busy" and back.details == [{"row": 1}]
    assert back.message_id == err.message_id


def test_commit_result_message_in_both_languages():
    res = store.CommitResult("created", 7, "d", 2, "abc", 1234, (("ipm", "kecamatan"),))
    assert res.message_en == "Stored version 2 of 'd' (id 7): 1,234 values in 1 series, now active."
    assert res.message_id == "Tersimpan versi 2 dari 'd' (id 7): 1,234 nilai dalam 1 seri, sekarang aktif."
