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
