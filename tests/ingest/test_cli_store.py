"""``python -m ingest`` and the store: the last upload wins, and no success is reported that the
store did not make durable."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

import store
from ingest import cli
from ingest.keys import Gazetteer

A = "kode;penduduk\n35.78.04;1000\n35.78.09;2000\n"
B = "kode;penduduk\n35.78.04;1100\n35.78.09;2100\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path, monkeypatch, gazetteer):
    """A fresh store for the CLI and the crosswalk gazetteer."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("RBK_DATABASE_URL", url)
    monkeypatch.setattr(Gazetteer, "from_regions", classmethod(lambda cls: gazetteer))
    store.dispose_all()
    yield url
    store.dispose_all()


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = cli.main([*map(str, argv), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_b_a_through_the_cli_makes_a_active_again_and_says_so(env, tmp_path, capsys):
    a, b = write(tmp_path, "a.csv", A), write(tmp_path, "b.csv", B)
    statuses = []
    for path in (a, b, a):
        code, rep = run_json(capsys, path, "--year", 2024)
        assert code == 0 and rep["accepted"]
        statuses.append(rep["committed"]["status"])
    assert statuses == ["created", "created", "restored"]
    assert "active again" in rep["committed"]["message_en"]
    assert "aktif kembali" in rep["committed"]["message_id"]
    s = store.series("penduduk", 2024, url=env)
    assert s.to_dict() == {"35.78.04": 1000.0, "35.78.09": 2000.0}
    log = store.audit_log(url=env)
    assert log[log["action"] == "commit"]["status"].tolist()[::-1] == ["ok", "ok", "restored"]
    # the human report says it too, in the chosen language
    cli.main([b, "--year", "2024"])
    capsys.readouterr()
    assert cli.main([a, "--year", "2024", "--lang", "en"]) == 0
    assert "the last upload wins" in capsys.readouterr().out


# --------------------------------------------------------------------------- no false success
RUNNER = Path(__file__).resolve().parent / "cli_runner.py"


@pytest.fixture
def stored(tmp_path):
    """A real store file holding one upload (A), closed and checkpointed: every byte is in it."""
    path = tmp_path / "store" / "rbk.sqlite"
    proc = cli_process(f"sqlite:///{path}", write(tmp_path, "a.csv", A))
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def cli_process(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {"RBK_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "RBK_STORE_BUSY_TIMEOUT": "2"}
    return subprocess.run([sys.executable, str(RUNNER), *args, "--year", "2024"],
                          capture_output=True, text=True, env=env, timeout=180, cwd=ROOT)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def truncate(path: Path) -> str:
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)
    return f"sqlite:///{path}"


def overwrite_header(path: Path) -> str:
    with open(path, "r+b") as fh:
        fh.write(b"this is no database!")
    return f"sqlite:///{path}"


def overwrite_pages(path: Path) -> str:
    """Random bytes over the second half of the file: the header is intact, the tables not."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(random.Random(11).randbytes(size - size // 2))
    return f"sqlite:///{path}"


def read_only(path: Path) -> str:
    # the tests may run as root, for whom chmod does not stop a write: SQLite's own read-only mode
    return f"sqlite:///file:{path}?mode=ro&uri=true"


BROKEN = {"read_only": read_only, "truncated": truncate, "header_overwritten": overwrite_header,
          "pages_overwritten": overwrite_pages}


@pytest.mark.parametrize("damage", sorted(BROKEN))
def test_a_broken_store_exits_1_with_a_located_message_and_stores_nothing(stored, tmp_path, damage):
    url = BROKEN[damage](stored)
    before = digest(stored)
    b = write(tmp_path, "b.csv", B)
    proc = cli_process(url, b, "--json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["accepted"] is False and rep["committed"] is None
    assert [e["code"] for e in rep["errors"]] == ["store_unavailable"]
    assert str(stored) in rep["errors"][0]["message_en"]  # located: which store
    assert str(stored) in rep["errors"][0]["message_id"]
    human = cli_process(url, b, "--lang", "en")
    assert human.returncode == 1 and "ACCEPTED" not in human.stdout and "Stored" not in human.stdout
    assert str(stored) in human.stdout and "Traceback" not in human.stderr
    assert digest(stored) == before  # nothing written to the file
    if damage == "read_only":  # still readable: A's values, B's are not there
        assert store.series("penduduk", 2024, url=f"sqlite:///{stored}").to_dict() == {
            "35.78.04": 1000.0, "35.78.09": 2000.0}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file permissions; the "
                    "read-only URI case above makes the store read-only for root too")
def test_a_store_file_without_write_permission(stored, tmp_path):
    stored.chmod(0o444)
    stored.parent.chmod(0o555)
    try:
        proc = cli_process(f"sqlite:///{stored}", write(tmp_path, "b.csv", B), "--json")
    finally:
        stored.parent.chmod(0o755)
        stored.chmod(0o644)
    assert proc.returncode == 1
    rep = json.loads(proc.stdout)
    assert rep["committed"] is None and rep["errors"][0]["code"] == "store_unavailable"


def test_dry_run_without_a_usable_store_says_the_catalogue_checks_were_skipped(stored, tmp_path):
    url = overwrite_header(stored)
    proc = cli_process(url, write(tmp_path, "b.csv", B), "--json", "--dry-run")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["catalogue_checked"] is False and rep["committed"] is None
    skipped = [w for w in rep["warnings"] if w["code"] == "catalogue_skipped"]
    assert len(skipped) == 1 and str(stored) in skipped[0]["message_en"]
    assert "Catalogue checks were skipped" in skipped[0]["message_en"]
    assert "Pemeriksaan katalog dilewati" in skipped[0]["message_id"]
    healthy = cli_process(f"sqlite:///{tmp_path / 'fresh.sqlite'}", str(tmp_path / "b.csv"),
                          "--json", "--dry-run")
    assert json.loads(healthy.stdout)["catalogue_checked"] is True


def test_a_store_that_cannot_be_created_exits_1(tmp_path):
    blocker = tmp_path / "not_a_directory"
    blocker.write_text("x")
    proc = cli_process(f"sqlite:///{blocker / 'rbk.sqlite'}", write(tmp_path, "a.csv", A), "--json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["committed"] is None and rep["errors"][0]["code"] == "store_unavailable"


# --------------------------------------------------------------------------- full disk
def full_disk(limit_bytes: int):
    """``preexec_fn``: no file of the child may grow past ``limit_bytes`` (``RLIMIT_FSIZE``),
    and the write that would fails with an error (``SIGXFSZ`` ignored) as on a full disk."""
    import resource
    import signal

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return apply


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as on Linux")
def test_a_full_disk_fails_the_commit_whole_with_a_message(stored, tmp_path, kecamatan_frame):
    """The store's write-ahead log cannot grow past 96 kB: the write-ahead log and the shared
    memory file are created, the commit of 666 values runs out of room half-way through."""
    rows = "\n".join(f"{code};{1000 + i}" for i, code in enumerate(kecamatan_frame["kode"]))
    big = write(tmp_path, "big.csv", f"kode;penduduk\n{rows}\n")
    env = {"RBK_DATABASE_URL": f"sqlite:///{stored}", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, str(RUNNER), big, "--year", "2025", "--json"],
        capture_output=True, text=True, env=env, timeout=180, cwd=ROOT,
        preexec_fn=full_disk(48 * 1024),
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["accepted"] is False and rep["committed"] is None
    assert [e["code"] for e in rep["errors"]] == ["store_unavailable"]
    assert str(stored) in rep["errors"][0]["message_en"]
    assert "cannot be written" in rep["errors"][0]["message_en"]
    assert "Nothing was stored" in rep["errors"][0]["message_en"]
    assert "tidak dapat ditulisi" in rep["errors"][0]["message_id"]
    # nothing of the failed commit is stored: A alone, no 2025 values, no new version, and the
    # file passes SQLite's integrity check
    store.check(f"sqlite:///{stored}")
    assert store.series("penduduk", 2024, url=f"sqlite:///{stored}").to_dict() == {
        "35.78.04": 1000.0, "35.78.09": 2000.0}
    assert store.series("penduduk", 2025, url=f"sqlite:///{stored}").empty
    assert len(store.versions(url=f"sqlite:///{stored}")) == 1
    # with room again the same file commits: the failure left nothing half-written behind
    again = cli_process(f"sqlite:///{stored}", big, "--json")
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.fixture
def small_tablespace(backend):
    """PostgreSQL: a fresh store whose tables live on a 4 MB tmpfs (a tablespace), and a
    function that fills that file system to the last byte (the server's disk is full).

    Needs the server on this machine and root to mount a tmpfs (``make test-postgres`` as CI
    runs it); the database is dropped before the tablespace, the tablespace before the mount.
    """
    if not backend.postgres:
        pytest.skip("PostgreSQL only (SQLite: test_a_full_disk_fails_the_commit_whole_with_a_message)")
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs for the tablespace needs root")
    url = backend.new_url()
    with backend.raw(url) as conn:
        data_dir = conn.exec_driver_sql("SHOW data_directory").scalar_one()
    owner = os.stat(data_dir).st_uid  # the server's OS user
    parent = Path(tempfile.mkdtemp(prefix="rbk-ts-", dir="/tmp"))
    parent.chmod(0o755)
    mount = parent / "ts"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size=4m,mode=0700,uid={owner}", "tmpfs",
                           str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    name = f"rbk_small_{os.getpid()}"
    database = make_url(url).database
    try:
        backend.admin(f"CREATE TABLESPACE {name} LOCATION '{mount}'")
        backend.admin(f'ALTER DATABASE "{database}" SET default_tablespace = {name}')
        filler = mount / "filler"

        def fill() -> None:
            with open(filler, "wb") as fh:
                try:
                    while True:
                        fh.write(b"\0" * 65536)
                        fh.flush()
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
            assert shutil.disk_usage(mount).free < 65536

        yield url, fill, filler
    finally:
        backend.remove(url)
        backend.admin(f"DROP TABLESPACE IF EXISTS {name}")
        subprocess.run(["umount", str(mount)], check=False)
        shutil.rmtree(parent, ignore_errors=True)


def test_a_full_disk_on_postgresql_fails_the_commit_whole_with_a_message(
        small_tablespace, backend, tmp_path, kecamatan_frame):
    """The same assertions as on SQLite: the server cannot extend the values table (its
    tablespace's file system is full), the commit fails whole, with a message naming the store,
    and the same file commits once there is room again."""
    url, fill, filler = small_tablespace
    first = cli_process(url, write(tmp_path, "a.csv", A))
    assert first.returncode == 0, first.stdout + first.stderr
    with backend.raw(url) as conn:
        spaces = conn.exec_driver_sql(
            "SELECT DISTINCT t.spcname FROM pg_class c JOIN pg_tablespace t ON t.oid = c.reltablespace"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
        ).scalars().all()
    assert spaces and all(s.startswith("rbk_small_") for s in spaces)  # the store is on the tmpfs
    store.dispose_all()
    fill()
    rows = "\n".join(f"{code};{1000 + i}" for i, code in enumerate(kecamatan_frame["kode"]))
    big = write(tmp_path, "big.csv", f"kode;penduduk\n{rows}\n")
    env = {"RBK_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, str(RUNNER), big, "--year", "2025", "--json"],
                          capture_output=True, text=True, env=env, timeout=180, cwd=ROOT)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["accepted"] is False and rep["committed"] is None
    assert [e["code"] for e in rep["errors"]] == ["store_unavailable"]
    assert make_url(url).database in rep["errors"][0]["message_en"]
    assert "cannot be written" in rep["errors"][0]["message_en"]
    assert "No space left on device" in rep["errors"][0]["message_en"]
    assert "Nothing was stored" in rep["errors"][0]["message_en"]
    assert "tidak dapat ditulisi" in rep["errors"][0]["message_id"]
    # nothing of the failed commit is stored
    store.check(url)
    assert store.series("penduduk", 2024, url=url).to_dict() == {
        "35.78.04": 1000.0, "35.78.09": 2000.0}
    assert store.series("penduduk", 2025, url=url).empty
    assert len(store.versions(url=url)) == 1
    store.dispose_all()
    # with room again the same file commits
    filler.unlink()
    again = subprocess.run([sys.executable, str(RUNNER), big, "--year", "2025", "--json"],
                           capture_output=True, text=True, env=env, timeout=180, cwd=ROOT)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(store.series("penduduk", 2025, url=url)) == len(kecamatan_frame)
