"""The command line contract: ``python -m ingest FILE [--year] [--dry-run] [--json] [--values-out]``."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import store
from ingest import cli
from ingest.keys import Gazetteer

CORPUS = Path(__file__).resolve().parent / "corpus"
RUNNER = Path(__file__).resolve().parent / "cli_runner.py"
ISSUE_FIELDS = {"code", "row", "line", "column", "value", "message"}


@pytest.fixture
def env(new_store_url, monkeypatch, gazetteer):
    """A fresh store for the CLI and the crosswalk gazetteer."""
    url = new_store_url()
    monkeypatch.setenv("RBK_DATABASE_URL", url)
    monkeypatch.setattr(Gazetteer, "from_regions", classmethod(lambda cls: gazetteer))
    return url


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = cli.main([*map(str, argv), "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def n_versions(url) -> int:
    return len(store.versions(url=url))


def test_accepted_file_is_committed(env, capsys):
    code, rep = run_json(capsys, CORPUS / "id_semicolon_sep_hint.csv", "--year", 2024)
    assert code == 0
    assert rep["accepted"] is True and rep["rows"] == 3 and rep["matched"] == 3
    assert rep["committed"]["status"] == "created"
    s = store.series("penduduk", 2024, url=env)
    assert s["35.78.04"] == 153190 and s["35.78.09"] == 1107005 and s["35.78.08"] == 138452
    for issue in rep["warnings"]:
        assert ISSUE_FIELDS <= set(issue)


def test_dry_run_changes_nothing(env, capsys):
    before = n_versions(env)
    code, rep = run_json(capsys, CORPUS / "id_semicolon_sep_hint.csv", "--year", 2024, "--dry-run")
    assert code == 0 and rep["accepted"] and rep["committed"] is None
    assert n_versions(env) == before


def test_rejected_file_exit_1_with_located_errors(env, capsys):
    before = n_versions(env)
    code, rep = run_json(capsys, CORPUS / "scientific_codes.csv", "--year", 2024)
    assert code == 1 and rep["accepted"] is False
    assert [(e["code"], e["row"], e["line"], e["column"]) for e in rep["errors"]] == [
        ("scientific_code", 1, 2, "kode_bps"), ("scientific_code", 3, 4, "kode_bps")]
    for e in rep["errors"]:
        assert ISSUE_FIELDS <= set(e)
        assert e["value"] in ("3.57811E+06", "3,57810E+06")
        assert "notasi ilmiah" in e["message"]  # Bahasa Indonesia by default
        assert "scientific notation" in e["message_en"]
    assert n_versions(env) == before


def test_lang_en_message(env, capsys):
    code, rep = run_json(capsys, CORPUS / "scientific_codes.csv", "--year", 2024, "--lang", "en", "--dry-run")
    assert code == 1 and rep["errors"][0]["message"].startswith("Record 1, line 2, column 'kode_bps'")


def test_values_out_columns_and_values(env, capsys, tmp_path):
    out = tmp_path / "values.csv"
    code, rep = run_json(capsys, CORPUS / "wide_year_headers.csv", "--dry-run", "--values-out", out)
    assert code == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["region_code", "indicator", "source_column", "year", "value"]
    got = {(r[0], r[1], r[2], int(r[3]), float(r[4])) for r in rows[1:]}
    assert got == {("35.78.04", "ipm", "IPM 2022", 2022, 79.5), ("35.78.04", "ipm", "IPM 2023", 2023, 80.1),
                   ("35.78.04", "skor_inovasi", "skor_inovasi 2023", 2023, 3.0),
                   ("35.78.09", "ipm", "IPM 2022", 2022, 81.9), ("35.78.09", "ipm", "IPM 2023", 2023, 82.35),
                   ("35.78.09", "skor_inovasi", "skor_inovasi 2023", 2023, 4.0)}


def test_values_out_neutralises_formula_text(env, capsys, tmp_path):
    src = tmp_path / "f.csv"
    src.write_bytes(b"kode,=SUM(A1)\n35.78.04,3\n35.78.09,4\n")
    out = tmp_path / "values.csv"
    code, _ = run_json(capsys, src, "--dry-run", "--year", 2024, "--values-out", out)
    assert code == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert {r[2] for r in rows[1:]} == {"'=SUM(A1)"}


def test_unknown_columns_only_are_not_committed(env, capsys):
    before = n_versions(env)
    src = CORPUS / "wide_year_headers.csv"
    code, rep = run_json(capsys, src)
    assert code == 0
    assert rep["committed"]["status"] == "created"
    stored = store.tidy("ipm", level="kecamatan", url=env)
    assert set(stored["year"]) == {2022, 2023}
    assert "skor_inovasi" not in set(store.catalogue(url=env).index)
    assert n_versions(env) == before + 1


def test_value_escaped_and_at_most_80_chars(env, capsys, tmp_path):
    src = tmp_path / "long.csv"
    src.write_bytes(b"kode;ipm\n35.78.04;" + b"\x1b[31m" + b"9" * 300 + b"x\n")
    code, rep = run_json(capsys, src, "--year", 2024, "--dry-run")
    assert code == 1
    value = rep["errors"][0]["value"]
    assert len(value) <= 80 and "\x1b" not in value and value.startswith("\\x1b[31m")


@pytest.mark.parametrize("argv", [[], ["--year", "x", "f.csv"], ["--bogus", "f.csv"]])
def test_usage_errors_exit_2(argv, capsys):
    assert cli.main(argv) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_missing_file_is_usage_error(capsys, tmp_path):
    assert cli.main([str(tmp_path / "nope.csv")]) == 2
    assert cli.main([str(tmp_path)]) == 2


def test_size_limit_before_reading(env, capsys, tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.truncate(30_000_000)  # sparse: the limit must answer from the size alone
    code, rep = run_json(capsys, big)
    assert code == 1 and [e["code"] for e in rep["errors"]] == ["file_too_large"]
    code, rep = run_json(capsys, CORPUS / "id_semicolon_sep_hint.csv", "--max-mb", "0.0001", "--year", 2024)
    assert code == 1 and rep["errors"][0]["code"] == "file_too_large"


def test_human_output(env, capsys):
    code = cli.main([str(CORPUS / "unterminated_quote.csv"), "--year", "2024", "--dry-run"])
    out = capsys.readouterr().out
    assert code == 1 and "DITOLAK" in out and "baris berkas 3" in out.lower()


def test_subprocess_no_traceback_on_hostile_input(new_store_url):
    """Through a real process: the exit code and no traceback, for each corpus file."""
    env = {"RBK_DATABASE_URL": new_store_url(), "PATH": "/usr/bin:/bin"}
    for name, expect in [("binary.bin", 1), ("xml_entities.xlsx", 1), ("id_semicolon_sep_hint.csv", 0)]:
        proc = subprocess.run([sys.executable, str(RUNNER), str(CORPUS / name), "--year", "2024", "--json",
                               "--dry-run"], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == expect, proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout
        assert json.loads(proc.stdout)["accepted"] is (expect == 0)
