"""Bad input stops the build with a located message, exit status 1, last good build kept."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys

import pytest
from geo_helpers import tree_digest

import settings
from pipeline import coverage, geography, sources
from pipeline.cli import main

FIRST = "boundaries_kel_35.01"


def _run(capsys, *args):
    status = main(["build", *args])
    return status, capsys.readouterr().err


def _assert_kept(sandbox, before):
    assert tree_digest(sandbox["geo"]) == before
    leftovers = [
        p.name
        for p in sandbox["build"].iterdir()
        if p.name.startswith(".") and not p.name.endswith(".lock")
    ]
    assert leftovers == []


def test_no_change_rebuild_does_nothing(sandbox, capsys):
    before = tree_digest(sandbox["geo"])
    mtimes = {p: p.stat().st_mtime_ns for p in sandbox["geo"].iterdir()}
    result = geography.build(progress=lambda _: None)
    assert result.skipped
    assert tree_digest(sandbox["geo"]) == before
    assert {p: p.stat().st_mtime_ns for p in sandbox["geo"].iterdir()} == mtimes


def test_corrupted_source(sandbox, capsys):
    entry = sources.manifest()[FIRST]
    link = sandbox["mirror"] / entry.relpath
    data = link.read_bytes()
    link.unlink()
    link.write_bytes(data[: len(data) // 2])  # truncated download
    before = tree_digest(sandbox["geo"])
    status, err = _run(capsys, "--sources", str(sandbox["mirror"]))
    assert status == 1
    assert FIRST in err and str(link) in err and "sha256" in err and "corrupted" in err
    _assert_kept(sandbox, before)


def test_missing_mirror_file(sandbox, capsys):
    entry = sources.manifest()["crosswalk_kecamatan"]
    (sandbox["mirror"] / entry.relpath).unlink()
    before = tree_digest(sandbox["geo"])
    status, err = _run(capsys, "--force")
    assert status == 1
    assert "crosswalk_kecamatan" in err and "missing from the mirror" in err
    assert str(sandbox["mirror"] / entry.relpath) in err and "RBK_SOURCES" in err
    _assert_kept(sandbox, before)


def test_no_network(sandbox, capsys, monkeypatch):
    monkeypatch.delenv("RBK_SOURCES")
    monkeypatch.setattr(sources, "BACKOFF", 0.0)

    def offline(*args, **kwargs):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", offline)
    before = tree_digest(sandbox["geo"])
    status, err = _run(capsys, "--force")
    assert status == 1
    assert FIRST in err and "Cannot download" in err and "raw.githubusercontent.com" in err
    assert "Network is unreachable" in err and "RBK_SOURCES" in err
    _assert_kept(sandbox, before)


BAD_ROWS = {
    "truncated path": lambda line: line[: len(line) // 2] + "\n",
    "missing value": lambda line: line.replace(",'Widoro',", ",", 1),
    "not a polygon": lambda line: line.split(",'[[")[0] + ",'[[[-8.1,110.9]]]'),\n",
    "foreign code": lambda line: line.replace("'35.01.01.2001'", "'35.02.01.2001'", 1),
}


@pytest.mark.parametrize("problem", sorted(BAD_ROWS))
def test_malformed_sql_row(sandbox, capsys, monkeypatch, problem):
    entry = sources.manifest()[FIRST]
    link = sandbox["mirror"] / entry.relpath
    lines = link.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.lstrip().startswith("('35.01.01.2001'"))
    lines[i] = BAD_ROWS[problem](lines[i])
    crafted = "".join(lines).encode("utf-8")
    link.unlink()
    link.write_bytes(crafted)
    # a manifest that vouches for the crafted file, so the damage reaches the parser
    manifest = settings.MANIFEST.read_text(encoding="utf-8").replace(
        entry.sha256, hashlib.sha256(crafted).hexdigest()
    )
    (sandbox["tmp"] / "sources.toml").write_text(manifest, encoding="utf-8")
    monkeypatch.setattr(settings, "MANIFEST", sandbox["tmp"] / "sources.toml")
    sources.manifest.cache_clear()
    before = tree_digest(sandbox["geo"])
    status, err = _run(capsys)
    assert status == 1
    assert entry.path in err, err
    assert f"line {i + 1}:" in err or f"line {i + 2}:" in err, err
    assert "malformed" in err
    _assert_kept(sandbox, before)


def test_exit_status_of_the_command(sandbox):
    """The real command exits non-zero with the message on stderr (no traceback)."""
    entry = sources.manifest()["wilayah"]
    (sandbox["mirror"] / entry.relpath).unlink()
    env = dict(os.environ, RBK_BUILD_DIR=str(sandbox["build"]), PYTHONPATH=str(settings.ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--sources", str(sandbox["mirror"])],
        cwd=settings.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "wilayah" in proc.stderr and "missing from the mirror" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert json.loads((sandbox["geo"] / "build.json").read_text())["counts"]["kecamatan"] == 666


def test_malformed_row_in_the_worker_half(sandbox, capsys, monkeypatch):
    """A file read by the worker process (east half) is reported the same way, promptly."""
    fid = "boundaries_kel_35.29"
    entry = sources.manifest()[fid]
    assert "35.29" not in coverage.WEST_KABUPATEN
    link = sandbox["mirror"] / entry.relpath
    lines = link.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.lstrip().startswith("('35.29."))
    lines[i] = lines[i].replace("'35.29.", "'35.28.", 1)
    crafted = "".join(lines).encode("utf-8")
    link.unlink()
    link.write_bytes(crafted)
    manifest = settings.MANIFEST.read_text(encoding="utf-8").replace(
        entry.sha256, hashlib.sha256(crafted).hexdigest()
    )
    (sandbox["tmp"] / "sources.toml").write_text(manifest, encoding="utf-8")
    monkeypatch.setattr(settings, "MANIFEST", sandbox["tmp"] / "sources.toml")
    sources.manifest.cache_clear()
    before = tree_digest(sandbox["geo"])
    status, err = _run(capsys, "--force")
    assert status == 1
    assert entry.path in err and f"line {i + 1}:" in err and "not a desa code of 35.29" in err
    _assert_kept(sandbox, before)


def test_usage_errors(tmp_path, capsys):
    assert main(["build", "--sources", str(tmp_path / "nowhere")]) == 2
    assert "is not a directory" in capsys.readouterr().err
    assert main(["build", "--only", "geografi"]) == 2
    assert "unknown steps ['geografi']" in capsys.readouterr().err
