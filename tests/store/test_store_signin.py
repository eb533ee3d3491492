"""Sign-in lockout kept in the store: per account and per address, across sessions and restarts."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import kecamatan_frame

import store
from store.signin import Policy, record_failure, record_refused, record_success, seconds_locked

ROOT = Path(__file__).resolve().parents[2]
POLICY = Policy(max_failures=5, window=900.0, lock=900.0)
T0 = 1_800_000_000.0  # a fixed clock: seconds since the epoch


def fail(account, address, at, policy=POLICY):
    return record_failure(account, address, now=at, policy=policy)


def locked(account, address, at, policy=POLICY):
    return seconds_locked(account, address, now=at, policy=policy)


def test_five_failures_in_the_window_lock_the_account_from_any_address(store_url):
    for i in range(4):
        assert fail("ana", "10.0.0.1", T0 + 60 * i) == 0  # four failures lock nothing
    assert locked("ana", "10.0.0.1", T0 + 240) == 0
    assert fail("ana", "10.0.0.2", T0 + 300) == 900  # the fifth, within 15 minutes
    # locked for 15 minutes from the fifth failure, whichever address asks, any letter case
    assert locked("ana", "192.168.1.9", T0 + 300) == 900
    assert locked("ANA ", "192.168.1.9", T0 + 1199) == 1
    assert locked("ana", "192.168.1.9", T0 + 1200) == 0
    assert locked("budi", "192.168.1.9", T0 + 600) == 0  # another account from a fresh address


def test_failures_spread_wider_than_the_window_never_lock(store_url):
    for i in range(12):  # one every 4 minutes: never 5 within 15 minutes
        assert fail("ana", f"10.0.0.{i}", T0 + 240 * i) == 0


def test_five_failures_from_one_address_lock_the_address_for_every_account(store_url):
    for i, account in enumerate(["ana", "budi", "citra", "dewi"]):
        assert fail(account, "10.9.9.9", T0 + i) == 0
    assert fail("eko", "10.9.9.9", T0 + 4) == 900
    assert locked("ana", "10.9.9.9", T0 + 10) > 0  # a real account, from that address
    assert locked("ana", "10.1.1.1", T0 + 10) == 0  # the same account elsewhere: one failure


def test_a_success_clears_the_account_failures_and_everything_is_audited(store_url):
    for i in range(4):
        fail("ana", "10.0.0.1", T0 + i)
    record_success("ana", "10.0.0.1", now=T0 + 10)
    assert fail("ana", "10.0.0.3", T0 + 11) == 0  # counting starts again for the account
    for i in range(4):
        fail("ana", "10.0.0.3", T0 + 12 + i)
    record_refused("ana", "10.0.0.3", 899, now=T0 + 20)
    log = store.audit_log()
    log = log[log["action"] == "sign_in"]
    assert log["status"].tolist()[::-1] == ["failed"] * 4 + ["ok"] + ["failed"] * 5 + ["locked"]
    assert log["detail"].iloc[0] == {"address": "10.0.0.3", "locked_seconds": 899,
                                     "at_epoch": T0 + 20}
    assert log["detail"].iloc[1]["locked_seconds"] == 900
    assert store.versions().empty and "signin" not in store.stamp()  # no data changed


def test_the_lock_survives_a_restart_and_holds_in_another_process(store_url):
    now = time.time()
    for i in range(5):
        fail("ana", None, now - 10 + i)  # no address: a local connection
    store.dispose_all()  # "restart": every connection closed, the store opened again
    assert 880 < locked("ana", None, now) <= 900
    code = ("import store; from store.signin import seconds_locked; "
            "print(seconds_locked('ana', '10.0.0.7'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60, check=True)
    assert 880 < float(out.stdout.strip().splitlines()[-1]) <= 900


def test_the_policy_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("RBK_SIGNIN_MAX_FAILURES", "3")
    monkeypatch.setenv("RBK_SIGNIN_WINDOW_SECONDS", "60")
    monkeypatch.setenv("RBK_SIGNIN_LOCK_SECONDS", "120")
    assert Policy.from_env() == Policy(3, 60.0, 120.0)
    monkeypatch.setenv("RBK_SIGNIN_MAX_FAILURES", "many")
    monkeypatch.setenv("RBK_SIGNIN_LOCK_SECONDS", "-5")
    assert Policy.from_env() == Policy(5, 60.0, 900.0)


def test_old_failures_are_pruned(store_url, backend):
    fail("ana", "10.0.0.1", T0)
    fail("budi", "10.0.0.2", T0 + 2000)  # more than window + lock later
    with backend.raw(store_url) as conn:
        keys = sorted(conn.exec_driver_sql("SELECT key FROM signin_failures").scalars())
    assert keys == ["10.0.0.2", "budi"]


def test_a_version_2_store_gets_the_table_and_keeps_its_uploads(store_url, backend):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0, 2.0]), dataset="d", actor="ana")
    store.dispose_all()
    with backend.raw(store_url) as conn:  # what version 2 of this code left behind
        conn.exec_driver_sql("DROP TABLE signin_failures")
        conn.exec_driver_sql("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    assert store.series("cakupan_pkh", 2024).tolist() == [1.0, 2.0]
    assert fail("ana", "10.0.0.1", T0) == 0
    with backend.raw(store_url) as conn:
        version = "SELECT value FROM meta WHERE key = 'schema_version'"
        assert conn.exec_driver_sql(version).scalar() == "3"
        assert conn.exec_driver_sql("SELECT count(*) FROM signin_failures").scalar() == 2


@pytest.mark.parametrize("n", [1, 3])
def test_locked_until_against_a_brute_force_count(n):
    """Every prefix of a random failure sequence: locked iff some n failures fall within
    the window, until the latest such failure + lock (counted by brute force)."""
    rnd = random.Random(n)
    policy = Policy(max_failures=n, window=100.0, lock=50.0)
    times = sorted(rnd.uniform(0, 1000) for _ in range(30))
    for k in range(1, len(times) + 1):
        seen = times[:k]
        ends = [t + policy.lock for t in seen
                if sum(1 for u in seen if t - policy.window < u <= t) >= n]
        assert store.signin.locked_until(seen, policy) == (max(ends) if ends else 0)
