"""Writers at the same moment and writers killed mid-commit, on SQLite and on PostgreSQL.

Each test runs on the backend under test (``make test`` SQLite, ``make test-postgres``
PostgreSQL). Outcomes are checked against what the rules allow: two simultaneous commits
both succeed one after the other, or one is told "busy, try again"; never an IntegrityError
or any other raw database error. The store's consistency is read back with raw SQL.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time

import pandas as pd
import pytest
from store_helpers import run_worker, wait_for

import store

IND = ("cakupan_pkh", "cakupan_bpnt")
STAGES = ["version_inserted", "values_inserted", "active_set", "before_commit"]
#: Kills of a committing process per test (the issue asks for 25).
KILLS = 25


def kecamatan_pair(v: float) -> pd.DataFrame:
    """Value ``v`` for both indicators in ten kecamatan (one commit's content)."""
    codes = [f"35.01.{i:02d}" for i in range(1, 11)]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "region_code": codes,
                    "level": "kecamatan",
                    "indicator": ind,
                    "year": 2020,
                    "value": v,
                }
            )
            for ind in IND
        ],
        ignore_index=True,
    )


def problems(backend, url: str) -> list[str]:
    """What is inconsistent in the store at ``url``, read with raw SQL (empty: nothing)."""
    found = []
    with backend.raw(url) as con:
        sql = con.exec_driver_sql
        for vid, n_rows in sql("SELECT id, n_rows FROM versions").all():
            n = sql(f'SELECT count(*) FROM "values" WHERE version_id = {int(vid)}').scalar()
            if n != n_rows:
                found.append(f"version {vid}: {n} values stored, {n_rows} declared")
        orphans = sql(
            'SELECT count(*) FROM "values" WHERE version_id NOT IN (SELECT id FROM versions)'
        ).scalar()
        if orphans:
            found.append(f"{orphans} values without a version")
        dangling = sql(
            "SELECT a.indicator, a.level FROM active a WHERE NOT EXISTS (SELECT 1 FROM "
            '"values" v WHERE v.version_id = a.version_id AND v.indicator = a.indicator '
            "AND v.level = a.level)"
        ).all()
        found += [f"active {i}/{lv} points at a version without it" for i, lv in dangling]
        numbers = sql("SELECT dataset_id, number FROM versions ORDER BY dataset_id, number").all()
        by_dataset: dict[int, list[int]] = {}
        for ds, number in numbers:
            by_dataset.setdefault(ds, []).append(number)
        for ds, got in by_dataset.items():
            if got != list(range(1, len(got) + 1)):
                found.append(f"dataset {ds}: version numbers {got}")
    return found


def active_state(backend, url: str) -> set[tuple[str, float]]:
    """The distinct (indicator, value) pairs active for the two indicators of the workers."""
    with backend.raw(url) as con:
        rows = con.exec_driver_sql(
            'SELECT DISTINCT v.indicator, v.value FROM "values" v JOIN active a ON '
            "a.version_id = v.version_id AND a.indicator = v.indicator AND a.level = v.level "
            "WHERE v.indicator IN ('cakupan_pkh', 'cakupan_bpnt')"
        ).all()
    return {(i, float(v)) for i, v in rows}


def race(
    url, tmp_path, op: str, rounds: int, between=lambda r: None, **extra
) -> list[list[dict]]:
    """Two worker processes doing ``op`` at the same moment, ``rounds`` times; their outcomes
    per round (``extra`` goes to the workers' arguments)."""
    workers = [
        run_worker(
            url,
            "race",
            {
                "dir": str(tmp_path),
                "rounds": rounds,
                "op": op,
                "name": name,
                "n": 300,
                "base": base,
                **extra,
            },
        )
        for name, base in (("a", 10), ("b", 40))
    ]
    for r in range(rounds):
        for name, proc in zip("ab", workers, strict=True):
            wait_for(tmp_path / f"ready.{r}.{name}", proc, timeout=120)
        between(r)
        (tmp_path / f"go.{r}").write_text("go")
    outcomes = []
    for proc in workers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outcomes.append([json.loads(line) for line in out.splitlines()])
    return [list(pair) for pair in zip(*outcomes, strict=True)]


def test_two_processes_opening_a_new_store_at_once_both_get_it(store_url, tmp_path, backend):
    """The first use of a store creates it (WAL mode on SQLite, tables, catalogue). The dashboard
    and a command-line commit, say, doing that at the same moment both get the store: on
    SQLite the second switch to WAL mode was answered "database is locked" at once (a raw
    error, 3 times in 30 such races) before it waited for the first."""
    rounds = 20
    urls = [backend.new_url(f"opened-{r}") for r in range(rounds)]
    for pair in race(store_url, tmp_path, "open", rounds, urls=urls):
        for o in pair:
            assert o["outcome"] == "ok", o
    store.dispose_all()
    for url in urls:
        store.check(url)


def test_two_simultaneous_commits_succeed_in_turn_or_one_is_told_to_retry(
    store_url, tmp_path, backend
):
    rounds = 10
    per_round = race(store_url, tmp_path, "commit", rounds)
    created = 0
    for pair in per_round:
        for o in pair:
            # never an IntegrityError (nor any raw database error): done, or "busy, try again"
            assert o["outcome"] == "ok" or (o["code"] == "busy"), o
        created += sum(o["outcome"] == "ok" for o in pair)
    assert created >= rounds  # at least one of each pair got through
    versions = store.versions()
    assert len(versions) == created
    assert sorted(versions["number"]) == list(range(1, created + 1))
    assert problems(backend, store_url) == []
    # the active values are exactly one commit's, the last one
    (v,) = {value for _, value in active_state(backend, store_url)}
    assert len(active_state(backend, store_url)) == 2 and v in (10 + rounds - 1, 40 + rounds - 1)


def test_simultaneous_rollbacks_succeed_in_turn_or_say_why_not(store_url, tmp_path, backend):
    ids = []
    for v in (1.0, 2.0, 3.0):  # three versions of the two series
        ids.append(store.commit(kecamatan_pair(v), dataset="d", actor="t").version_id)

    def reactivate_latest(_round):
        store.activate(ids[-1], actor="t")

    per_round = race(store_url, tmp_path, "rollback", 5, between=reactivate_latest)
    for pair in per_round:
        for o in pair:  # never an IntegrityError: done, busy, or nothing older to go back to
            assert o["outcome"] == "ok" or o["code"] in ("busy", "no_earlier_version"), o
    assert problems(backend, store_url) == []
    # after the last round: one rollback per success, from version 3
    done = sum(o["outcome"] == "ok" for o in per_round[-1])
    assert done >= 1
    expected = 3.0 - done
    assert {v for i, v in active_state(backend, store_url) if i == "cakupan_pkh"} == {expected}


@pytest.mark.slow
def test_a_committing_process_killed_25_times_leaves_no_partial_version(
    store_url, tmp_path, backend
):
    """SIGKILL at each checkpoint of a commit in turn, and at random moments of a stream of
    commits: after every kill the store holds only whole versions, the active values are
    exactly one commit's, and the next commit goes through."""
    rng = random.Random(12)
    store.commit(kecamatan_pair(1.0), dataset="d", actor="t")
    for k in range(KILLS):
        before = len(store.versions())
        if k % 2 == 0:  # at a checkpoint, inside the transaction
            stage = STAGES[(k // 2) % len(STAGES)]
            marker = tmp_path / f"paused.{k}"
            proc = run_worker(
                store_url,
                "commit_pause",
                {"n": 2000, "v": 50.0 + k, "stage": stage, "marker": str(marker), "sleep": 60},
            )
            wait_for(marker, proc, timeout=120)
        else:  # at a random moment of a stream of commits
            proc = run_worker(store_url, "commit_loop", {"n": 2000, "base": float(k)})
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.0, 1.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        proc.stdout.close()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        assert problems(backend, store_url) == [], f"after kill {k}"
        state = active_state(backend, store_url)
        assert len(state) == 2 and len({v for _, v in state}) == 1, (k, state)
        if k % 2 == 0:
            assert len(store.versions()) == before, f"kill {k} at {stage} left a version"
    assert store.commit(kecamatan_pair(5.0), dataset="d", actor="t").created
    assert {v for _, v in active_state(backend, store_url)} == {5.0}
    assert problems(backend, store_url) == []
