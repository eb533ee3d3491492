"""Uploads and the store: SIGKILL in the middle of a commit, two commits at once, readers
during a commit, and random input that must never raise nor change the store."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

import store
from ingest import Options, cli, validate_bytes
from ingest.keys import Gazetteer

RUNNER = Path(__file__).resolve().parent / "cli_runner.py"
STAGES = ["version_inserted", "values_inserted", "active_set", "before_commit"]


def wide_file(path: Path, kecamatan, indicators: list[str], seed: int) -> dict:
    """A wide CSV of every kecamatan × ``indicators`` (percent-like values); returns the values."""
    rnd = random.Random(seed)
    values = {}
    lines = ["kode;" + ";".join(indicators)]
    for kode in kecamatan["kode"]:
        row = []
        for ind in indicators:
            v = round(rnd.uniform(1, 99), 2)
            values[(kode, ind)] = v
            row.append(f"{v:.2f}".replace(".", ","))
        lines.append(kode + ";" + ";".join(row))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return values


def consistency(url: str) -> list[str]:
    """Problems of a store: versions whose rows are not all there, active pointers to nothing."""
    eng = create_engine(url)
    problems = []
    with eng.connect() as c:
        for vid, n_rows in c.execute(text("SELECT id, n_rows FROM versions")):
            n = c.execute(text('SELECT COUNT(*) FROM "values" WHERE version_id = :v'), {"v": vid}).scalar()
            if n != n_rows:
                problems.append(f"version {vid}: {n} rows stored, {n_rows} declared")
        orphans = c.execute(text('SELECT COUNT(*) FROM "values" WHERE version_id NOT IN (SELECT id FROM versions)')).scalar()
        if orphans:
            problems.append(f"{orphans} values without a version")
        dangling = c.execute(text("SELECT COUNT(*) FROM active WHERE version_id NOT IN (SELECT id FROM versions)")).scalar()
        if dangling:
            problems.append(f"{dangling} active pointers to no version")
    eng.dispose()
    return problems


def spawn(args, url, **extra_env):
    env = dict(os.environ, RBK_DATABASE_URL=url, **extra_env)
    return subprocess.Popen([sys.executable, str(RUNNER), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def wait_paused(proc, stage):
    seen = []
    for line in proc.stderr:  # skip any warning printed before the pause
        if line.strip() == f"PAUSED {stage}":
            return
        seen.append(line)
    raise AssertionError(f"the commit never reached {stage}: {''.join(seen)}")


@pytest.fixture
def url(new_store_url):
    u = new_store_url()
    store.catalogue(url=u)  # create the schema and catalogue
    return u


INDS = ["ipm", "persentase_penduduk_miskin", "tpak", "akses_smp", "cakupan_pkh", "rasio_elektrifikasi"]


def test_sigkill_during_commit_never_leaves_a_partial_version(url, tmp_path, kecamatan_frame):
    first = wide_file(tmp_path / "a.csv", kecamatan_frame, INDS, 1)
    proc = spawn([tmp_path / "a.csv", "--year", 2024], url)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    base_versions = len(store.versions(url=url))
    for i, stage in enumerate(STAGES):
        wide_file(tmp_path / f"b{i}.csv", kecamatan_frame, INDS, 10 + i)
        proc = spawn([tmp_path / f"b{i}.csv", "--year", 2024], url, INGEST_TEST_PAUSE_AT=stage)
        wait_paused(proc, stage)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        store.dispose_all()
        assert consistency(url) == []
        assert len(store.versions(url=url)) == base_versions
        s = store.series("ipm", 2024, url=url)
        assert len(s) == 666 and all(s[k] == first[(k, "ipm")] for k in s.index)
    # a random moment too, then a clean run still commits completely
    for i in range(1):
        wide_file(tmp_path / f"c{i}.csv", kecamatan_frame, INDS, 20 + i)
        proc = spawn([tmp_path / f"c{i}.csv", "--year", 2024], url)
        try:
            proc.wait(timeout=random.uniform(1.0, 3.0))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        assert consistency(url) == []
    last = wide_file(tmp_path / "d.csv", kecamatan_frame, INDS, 99)
    proc = spawn([tmp_path / "d.csv", "--year", 2024], url)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    s = store.series("tpak", 2024, url=url)
    assert all(s[k] == last[(k, "tpak")] for k in s.index) and len(s) == 666
    assert consistency(url) == []


def test_two_commits_at_once_and_a_reader_in_between(url, tmp_path, kecamatan_frame):
    a = wide_file(tmp_path / "a.csv", kecamatan_frame, ["ipm"], 1)
    b = wide_file(tmp_path / "b.csv", kecamatan_frame, ["tpak"], 2)
    release = tmp_path / "release"
    p1 = spawn([tmp_path / "a.csv", "--year", 2024, "--json"], url, INGEST_TEST_PAUSE_AT="values_inserted",
               INGEST_TEST_RELEASE=str(release))
    wait_paused(p1, "values_inserted")
    # p1 holds the write lock with its values inserted: a reader sees the old state (nothing)
    assert store.series("ipm", 2024, url=url).empty
    p2 = spawn([tmp_path / "b.csv", "--year", 2024, "--json"], url)
    release.write_text("go")
    out1, err1 = p1.communicate(timeout=120)
    out2, err2 = p2.communicate(timeout=120)
    assert p1.returncode == 0, err1
    # the second either waited its turn, or was told clearly to retry
    assert p2.returncode == 0 or '"commit_busy"' in out2, out2 + err2
    ipm = store.series("ipm", 2024, url=url)
    assert len(ipm) == 666 and all(ipm[k] == a[(k, "ipm")] for k in ipm.index)
    if p2.returncode == 0:
        tpak = store.series("tpak", 2024, url=url)
        assert len(tpak) == 666 and all(tpak[k] == b[(k, "tpak")] for k in tpak.index)
    assert consistency(url) == []


csv_cell = st.one_of(
    st.sampled_from(["35.78.04", "3578080", "35.78.9", "3.57811E+06", "Wonokromo", "Kota Surabaya", "ipm",
                     "penduduk", "1.234", "1,234", "12,5", "-", "…", "NaN", "inf", "=1+1", "2024", "kode",
                     "kecamatan", "kabupaten", "tahun", "nilai", "indikator", "\u00a0", "", '"', '""']),
    st.text(alphabet="0123456789.,;-+eE \"'\t\r\nabcKk\u00a0\u0661", max_size=12),
)


@st.composite
def csv_shaped(draw):
    delim = draw(st.sampled_from([",", ";", "\t", "|"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows = draw(st.lists(st.lists(csv_cell, min_size=1, max_size=6), min_size=1, max_size=12))
    text_ = ending.join(delim.join(r) for r in rows)
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text_.encode(enc, errors="replace")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=3000), csv_shaped()))
def test_random_input_never_raises(data, gazetteer):
    result = validate_bytes(data, options=Options(year=2024), catalogue=None, gazetteer=gazetteer)
    assert result.accepted or result.values.empty
    for issue in result.report.errors + result.report.warnings:
        assert issue.message_id and issue.message_en
        assert issue.value is None or len(issue.value) <= 80


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=2000), csv_shaped()))
def test_random_input_never_changes_the_store(data, tmp_path_factory, monkeypatch, gazetteer, backend):
    tmp = tmp_path_factory.mktemp("prop")
    u = backend.new_url(tmp.name)
    monkeypatch.setenv("RBK_DATABASE_URL", u)
    monkeypatch.setattr(Gazetteer, "from_regions", classmethod(lambda cls: gazetteer))
    before = len(store.versions(url=u))
    f = tmp / "upload.bin"
    f.write_bytes(data)
    code = cli.main([str(f), "--json"])
    assert code in (0, 1)
    if code == 1:
        assert len(store.versions(url=u)) == before
    store.dispose_all()


def test_commit_writes_only_to_the_given_store(new_store_url, monkeypatch, gazetteer, catalogue):
    from ingest import commit

    default = new_store_url("default")
    other = new_store_url("other")
    monkeypatch.setenv("RBK_DATABASE_URL", default)
    store.catalogue(url=default)
    res = validate_bytes(b"kode;ipm\n35.78.04;80\n", options=Options(year=2024), catalogue=catalogue,
                         gazetteer=gazetteer)
    result = commit(res, actor="uji", url=other)
    assert result.created
    assert len(store.versions(url=other)) == 1 and store.versions(url=default).empty
    store.dispose_all()
