"""Analyst credentials: bcrypt hashes, the helper command, unknown users and bad hashes."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from ui import auth

ROOT = Path(__file__).resolve().parents[2]


def test_hash_helper_prints_a_table_that_verifies():
    proc = subprocess.run([sys.executable, "-m", "ui.auth", "hash", "budi"], input="rahasia-panjang-1\n",
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    secrets = tomllib.loads(proc.stdout)
    assert secrets["rbk_analysts"]["budi"]["password_hash"].startswith("$2b$12$")
    assert auth.verify("budi", "rahasia-panjang-1", secrets).username == "budi"
    assert auth.verify("budi", "rahasia-panjang-2", secrets) is None


def test_hash_helper_refuses_short_passwords_and_bad_usage():
    short = subprocess.run([sys.executable, "-m", "ui.auth", "hash"], input="pendek\n", capture_output=True,
                           text=True, cwd=ROOT, timeout=60)
    assert short.returncode == 1 and "password_hash" not in short.stdout
    usage = subprocess.run([sys.executable, "-m", "ui.auth"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert usage.returncode == 2


def test_unknown_user_and_malformed_hash_are_refused(tmp_path, monkeypatch):
    secrets = {"rbk_analysts": {"ana": {"password_hash": auth.hash_password("benar-sekali-1", 4)},
                                "rusak": {"password_hash": "bukan-hash"}}}
    assert auth.verify("siapa", "benar-sekali-1", secrets) is None
    assert auth.verify("rusak", "bukan-hash", secrets) is None
    assert auth.verify(" ana ", "benar-sekali-1", secrets).username == "ana"
    f = tmp_path / "s.toml"
    f.write_text(f'[rbk_analysts.ana]\npassword_hash = "{secrets["rbk_analysts"]["ana"]["password_hash"]}"\n')
    monkeypatch.setenv("RBK_SECRETS_FILE", str(f))
    assert set(auth.analysts()) == {"ana"}
    monkeypatch.setenv("RBK_SECRETS_FILE", str(tmp_path / "missing.toml"))
    assert auth.analysts() == {}


def _hash(args, password):
    return subprocess.run([sys.executable, "-m", "ui.auth", "hash", *args], input=password + "\n",
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_hash_helper_refuses_user_names_that_could_inject_toml():
    for name in ['ana"]\n[rbk_analysts.eve', "ana b", "ana]", "", "a" * 65, "ana=1"]:
        proc = _hash([name], "rahasia-panjang-1")
        assert proc.returncode == 1, name
        assert "password_hash" not in proc.stdout and "letters, digits" in proc.stderr


def test_hash_helper_refuses_passwords_over_72_bytes_with_a_message():
    proc = _hash(["ana"], "é" * 37)  # 74 bytes, 37 characters
    assert proc.returncode == 1 and "72 bytes" in proc.stderr and proc.stdout == ""
    ok = _hash(["ana"], "k" * 72)
    assert ok.returncode == 0


def test_hash_helper_writes_a_well_formed_entry_for_dotted_names():
    proc = _hash(["ana.b-2_x"], "rahasia-panjang-1")
    assert proc.returncode == 0, proc.stderr
    secrets = tomllib.loads(proc.stdout)
    assert list(secrets["rbk_analysts"]) == ["ana.b-2_x"]
    assert auth.verify("ana.b-2_x", "rahasia-panjang-1", secrets).username == "ana.b-2_x"


def test_readme_and_notice_name_the_virtualenv_python():
    from i18n import translate

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/python -m ui.auth hash" in readme
    for lang in ("id", "en"):
        assert ".venv/bin/python -m ui.auth hash" in translate("unggah.auth.no_accounts", lang)
