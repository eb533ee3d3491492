"""Backups (``make backup``, ``python -m store.backup``): a restored store equals the original,
table by table and row by row, on the backend under test (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError
from store_helpers import kecamatan_frame, run_worker, wait_for

import store
from store import backup


def tables(backend, url: str) -> dict[str, list[tuple]]:
    """Every table of the database at ``url`` (as the database lists them) with all its rows,
    sorted, read with raw SQL."""
    with backend.raw(url) as con:
        names = inspect(con).get_table_names()
        return {
            name: sorted(
                (tuple(r) for r in con.exec_driver_sql(f'SELECT * FROM "{name}"').all()),
                key=repr,
            )
            for name in names
        }


def fill(url: str) -> None:
    """Versions, a rollback, an analyst's indicator and audit entries: every table in use."""
    store.commit(kecamatan_frame("cakupan_pkh", [1.5, 2.25, 3.0]), dataset="a", actor="ana")
    store.commit(kecamatan_frame("cakupan_pkh", [4.0, 5.0]), dataset="a", actor="ana")
    store.commit(kecamatan_frame("ipm", [70.125], year=2023), dataset="b", actor="budi")
    store.rollback("cakupan_pkh", actor="ana")
    store.register_indicator(
        store.Indicator(
            id="skor_uji",
            name_id="Skor uji",
            name_en="Test score",
            unit="skor",
            kind="index",
            direction="higher_better",
            theme="lainnya",
            levels=("kecamatan",),
        ),
        actor="ana",
    )
    store.commit(kecamatan_frame("skor_uji", [9.0]), dataset="c", actor="ana")


def test_backup_and_restore_give_back_every_table_row_for_row(store_url, backend, tmp_path):
    fill(store_url)
    original = tables(backend, store_url)
    assert {"values", "versions", "active", "audit", "indicators", "aliases", "meta"} <= set(
        original
    )
    assert len(original["versions"]) == 4 and len(original["audit"]) >= 5
    assert backup.main(["create", "--url", store_url, "--out", str(tmp_path / "bk")]) == 0
    (path,) = (tmp_path / "bk").iterdir()
    assert path.suffix == (".pgdump" if backend.postgres else ".sqlite")
    target = backend.new_url("restored")
    assert backup.main(["restore", str(path), "--to", target]) == 0
    assert tables(backend, target) == original
    # the restored store works as the original: same stamp, same values, still immutable
    assert store.stamp(target) == store.stamp(store_url)
    assert store.series("cakupan_pkh", 2024, url=target).tolist() == [1.5, 2.25, 3.0]
    with pytest.raises(DBAPIError, match="immutable"), backend.raw(target) as con:
        con.exec_driver_sql('UPDATE "values" SET value = 0')
    assert tables(backend, target) == original


def test_a_backup_taken_during_a_commit_holds_the_state_before_it(store_url, backend, tmp_path):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0, 2.0]), dataset="d", actor="t")
    before = tables(backend, store_url)
    marker = tmp_path / "paused"
    writer = run_worker(
        store_url,
        "commit_pause",
        {"n": 500, "v": 7.0, "stage": "values_inserted", "marker": str(marker), "sleep": 60},
    )
    try:
        wait_for(marker, writer, timeout=120)
        path = backup.create(store_url, tmp_path / "bk")  # online: the writer holds its lock
    finally:
        writer.kill()
        writer.communicate(timeout=30)
    target = backend.new_url("restored")
    backup.restore(path, target)
    restored = tables(backend, target)
    # the audit entry of the writer's attempt ("started") was committed before its values
    assert {k: v for k, v in restored.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
    assert len(restored["audit"]) == len(before["audit"]) + 1


def test_restore_refuses_a_store_that_holds_tables_and_changes_nothing(
    store_url, backend, tmp_path, capsys
):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0]), dataset="d", actor="t")
    path = backup.create(store_url, tmp_path / "bk")
    other = backend.new_url("other")
    store.commit(kecamatan_frame("ipm", [70.0]), dataset="e", actor="t", url=other)
    kept = tables(backend, other)
    assert backup.main(["restore", str(path), "--to", other]) == 1
    err = capsys.readouterr().err
    assert "sudah berisi tabel" in err and "Traceback" not in err
    assert tables(backend, other) == kept
    with pytest.raises(backup.BackupError) as exc:
        backup.restore(path, other)
    assert exc.value.code == "not_empty" and "Nothing was changed" in exc.value.message_en
    wrong = tmp_path / ("x.sqlite" if backend.postgres else "x.pgdump")
    wrong.write_bytes(b"not a backup")
    with pytest.raises(backup.BackupError) as exc:
        backup.restore(wrong, backend.new_url("third"))
    assert exc.value.code == "wrong_kind"
