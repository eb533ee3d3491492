"""The indicator store: versions, atomic commits, concurrent readers, rollback, catalogue."""

from __future__ import annotations

import json
import os
import signal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from store_helpers import ROOT, kecamatan_frame, run_worker, wait_for

import store
from store import writes


# --------------------------------------------------------------------------- round trip
def test_commit_then_read_returns_the_values(store_url):
    values = [1.5, 2.25, 3.0]
    result = store.commit(kecamatan_frame("cakupan_pkh", values), dataset="d", actor="t")
    assert result.status == "created" and result.number == 1 and result.rows == 3
    s = store.series("cakupan_pkh", 2024)
    assert list(s.index) == ["35.01.01", "35.01.02", "35.01.03"]
    assert s.tolist() == values
    assert s.attrs["illustrative"] is False
    t = store.tidy("cakupan_pkh", years=[2024])
    assert t["value"].tolist() == values and t["year"].dtype == np.int64
    w = store.wide(["cakupan_pkh"], years=2024)
    assert w["cakupan_pkh"].tolist() == values


def test_wide_multiindex_and_illustrative_attrs(store_url):
    f = pd.concat([kecamatan_frame("cakupan_pkh", [1, 2], year=y) for y in (2020, 2021)])
    store.commit(f, dataset="d", actor="t", illustrative=True)
    store.commit(kecamatan_frame("ipm", [70, 71], year=2020), dataset="e", actor="t")
    w = store.wide(["cakupan_pkh", "ipm"], years=[2020, 2021])
    assert w.loc["35.01.02", ("cakupan_pkh", 2021)] == 2
    assert w.loc["35.01.01", ("ipm", 2020)] == 70
    assert w.attrs["illustrative"] == {"cakupan_pkh": True, "ipm": False}
    assert store.is_illustrative("cakupan_pkh") and not store.is_illustrative("ipm")


def test_same_content_twice_creates_one_version(store_url):
    f = kecamatan_frame("cakupan_pkh", [1, 2, 3])
    first = store.commit(f, dataset="d", actor="t")
    # same rows in another order are the same content
    second = store.commit(f.iloc[::-1], dataset="d", actor="t")
    assert second.status == "duplicate" and second.version_id == first.version_id
    assert len(store.versions()) == 1
    # the same file checksum is a duplicate even under another dataset name
    store.commit(kecamatan_frame("ipm", [70]), dataset="x", actor="t", checksum="ab" * 32)
    again = store.commit(kecamatan_frame("ipm", [71]), dataset="y", actor="t", checksum="ab" * 32)
    assert again.status == "duplicate"
    assert store.series("ipm", 2024).tolist() == [70]
    assert list(store.audit_log()["status"][:2]) == ["duplicate", "ok"]


def test_invalid_frame_is_refused_with_every_problem_located(store_url):
    f = pd.DataFrame(
        {
            "region_code": ["35.01.01", "3501010", "35.01.02", "35.01.03", "35.01.03", "35.01"],
            "level": ["kecamatan"] * 6,
            "indicator": [
                "cakupan_pkh",
                "cakupan_pkh",
                "tidak_ada",
                "cakupan_pkh",
                "cakupan_pkh",
                "cakupan_pkh",
            ],
            "year": [2024] * 6,
            "value": [101.0, 5, 5, 5, 6, 5],
        }
    )
    with pytest.raises(store.StoreValidationError) as err:
        store.commit(f, dataset="d", actor="t")
    codes = {(p["row"], p["code"]) for p in err.value.details}
    assert codes == {
        (1, "out_of_range"),
        (2, "bad_code"),
        (3, "unknown_indicator"),
        (4, "duplicate"),
        (5, "duplicate"),
        (6, "level_mismatch"),
    }
    assert err.value.message_id.startswith("6 masalah")
    assert store.versions().empty


def test_missing_values_are_dropped_not_zeroed(store_url):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0, np.nan, 3.0]), dataset="d", actor="t")
    s = store.series("cakupan_pkh", 2024)
    assert list(s.index) == ["35.01.01", "35.01.03"]


# --------------------------------------------------------------------------- atomicity
def test_exception_half_way_leaves_previous_state(store_url, monkeypatch, backend):
    store.commit(kecamatan_frame("cakupan_pkh", [1, 2, 3]), dataset="d", actor="t")
    before = store.tidy()

    def boom(stage):
        if stage == "values_inserted":
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(writes, "_checkpoint", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.commit(kecamatan_frame("cakupan_pkh", [7, 8, 9, 10]), dataset="d", actor="t")
    pd.testing.assert_frame_equal(store.tidy(), before)
    assert len(store.versions()) == 1
    log = store.audit_log()
    assert log["status"].iloc[0] == "failed" and "disk on fire" in log["detail"].iloc[0]["error"]
    with backend.raw(store_url) as con:
        assert con.exec_driver_sql('SELECT count(*) FROM "values"').scalar() == 3


@pytest.mark.parametrize(
    "stage", ["version_inserted", "values_inserted", "active_set", "before_commit"]
)
def test_sigkill_half_way_leaves_previous_state(store_url, tmp_path, stage, backend):
    store.commit(kecamatan_frame("cakupan_pkh", [1, 2, 3]), dataset="d", actor="t")
    before = store.tidy()
    marker = tmp_path / "paused"
    proc = run_worker(
        store_url,
        "commit_pause",
        {"n": 2000, "v": 5.0, "stage": stage, "marker": str(marker), "sleep": 60},
    )
    wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    pd.testing.assert_frame_equal(store.tidy(), before)
    assert len(store.versions()) == 1
    with backend.raw(store_url) as con:
        if not backend.postgres:
            assert con.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert con.exec_driver_sql('SELECT count(*) FROM "values"').scalar() == 3
    # the interrupted attempt is in the audit log, and the store takes the next commit
    assert "started" in set(store.audit_log()["status"])
    assert store.commit(kecamatan_frame("cakupan_pkh", [4]), dataset="d", actor="t").created


def test_reader_in_another_process_sees_old_or_new_never_a_mixture(store_url, tmp_path):
    old = run_worker(
        store_url, "commit_pause", {"n": 300, "v": 1.0, "stage": "never", "marker": "-", "sleep": 0}
    )
    assert old.wait(60) == 0, old.stderr.read()
    marker = tmp_path / "paused"
    writer = run_worker(
        store_url,
        "commit_pause",
        {"n": 400, "v": 2.0, "stage": "values_inserted", "marker": str(marker), "sleep": 1.5},
    )
    reader = run_worker(store_url, "read_loop", {"seconds": 4.0})
    wait_for(marker, writer)
    # while the writer is inside its transaction this process sees the old state
    assert store.wide(["cakupan_pkh"], years=2020)["cakupan_pkh"].sum() == 300
    assert writer.wait(60) == 0, writer.stderr.read()
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    seen = {tuple(s) for s in json.loads(out)["seen"]}
    assert seen <= {(300.0, 300.0, 300), (800.0, 800.0, 400)}, seen
    assert (800.0, 800.0, 400) in seen  # the reader did observe the commit land
    assert store.wide(["cakupan_pkh"], years=2020)["cakupan_pkh"].sum() == 800


def test_second_writer_gets_a_clear_retry_message(store_url, tmp_path):
    store.get_engine()  # created with RBK_STORE_BUSY_TIMEOUT=1 from the fixture
    marker = tmp_path / "paused"
    writer = run_worker(
        store_url,
        "commit_pause",
        {"n": 100, "v": 3.0, "stage": "values_inserted", "marker": str(marker), "sleep": 4},
    )
    wait_for(marker, writer)
    with pytest.raises(store.StoreBusyError) as err:
        store.commit(kecamatan_frame("ipm", [70]), dataset="d", actor="t")
    assert "coba lagi" in err.value.message_id and "try again" in err.value.message_en
    assert writer.wait(60) == 0
    assert store.commit(kecamatan_frame("ipm", [70]), dataset="d", actor="t").created


# --------------------------------------------------------------------------- versions
def test_rollback_restores_the_earlier_active_version(store_url):
    v1 = store.commit(kecamatan_frame("cakupan_pkh", [1, 2]), dataset="d", actor="t")
    v2 = store.commit(kecamatan_frame("cakupan_pkh", [5, 6, 7]), dataset="d", actor="t")
    assert v2.number == 2
    assert store.series("cakupan_pkh", 2024).tolist() == [5, 6, 7]
    done = store.rollback("cakupan_pkh", actor="t")
    assert done == {("cakupan_pkh", "kecamatan"): v1.version_id}
    assert store.series("cakupan_pkh", 2024).tolist() == [1, 2]
    # committed versions are kept unchanged; v2 can be made active again
    assert store.version_values(v2.version_id)["value"].tolist() == [5, 6, 7]
    store.activate(v2.version_id, actor="t")
    assert store.series("cakupan_pkh", 2024).tolist() == [5, 6, 7]
    store.rollback("cakupan_pkh", actor="t", to_version=v1.version_id)
    with pytest.raises(store.StoreError):
        store.rollback("cakupan_pkh", actor="t")  # nothing older than v1
    assert store.series("cakupan_pkh", 2024).tolist() == [1, 2]
    actions = store.audit_log()["action"].tolist()
    assert actions.count("rollback") == 3 and actions.count("activate") == 1


def test_series_of_one_indicator_at_two_levels_are_independent(store_url):
    store.commit(kecamatan_frame("penduduk", [10, 20]), dataset="kec", actor="t")
    kab = pd.DataFrame(
        {
            "region_code": ["35.01"],
            "level": "kabupaten",
            "indicator": "penduduk",
            "year": 2024,
            "value": [30],
        }
    )
    store.commit(kab, dataset="kab", actor="t")
    assert store.series("penduduk", 2024).sum() == 30
    assert store.series("penduduk", 2024, level="kabupaten").tolist() == [30]
    av = store.available()
    assert set(zip(av["indicator"], av["level"], strict=True)) == {
        ("penduduk", "kecamatan"),
        ("penduduk", "kabupaten"),
    }


def test_merge_keeps_other_years_and_regions(store_url):
    base = pd.concat([kecamatan_frame("cakupan_pkh", [1, 2, 3], year=y) for y in (2023, 2024)])
    store.commit(base, dataset="d", actor="t", illustrative=True)
    update = kecamatan_frame("cakupan_pkh", [9.5], year=2024, start=2)
    result = store.commit(update, dataset="u", actor="t", mode="merge")
    t = store.tidy("cakupan_pkh")
    assert len(t) == 6 and result.rows == 6
    row = t[(t.region_code == "35.01.02") & (t.year == 2024)].iloc[0]
    assert row["value"] == 9.5 and not row["illustrative"]
    assert t["illustrative"].sum() == 5
    av = store.available().set_index("indicator").loc["cakupan_pkh"]
    assert av["years"] == (2023, 2024) and av["real_years"] == (2024,)
    assert av["illustrative"] and not av["all_illustrative"]


def test_diff_reports_added_changed_unchanged(store_url):
    store.commit(kecamatan_frame("cakupan_pkh", [1, 2]), dataset="d", actor="t")
    d = store.diff(kecamatan_frame("cakupan_pkh", [1, 5, 7]))
    assert d["status"].tolist() == ["changed", "unchanged", "added"]
    assert d["change"].iloc[0] == 3


def test_coverage_lists_missing_regions(store_url):
    store.commit(kecamatan_frame("cakupan_pkh", [1, 2]), dataset="d", actor="t")
    cov = store.coverage(["35.01.01", "35.01.02", "35.01.03"], indicators="cakupan_pkh")
    row = cov.iloc[0]
    assert (row.n_present, row.n_missing, row.missing) == (2, 1, ("35.01.03",))


# --------------------------------------------------------------------------- catalogue
def test_catalogue_aliases_resolve_exactly(store_url):
    assert store.resolve_alias("Jumlah Penduduk") == "penduduk"
    assert store.resolve_alias("population") == "penduduk"
    for name in ("persen_miskin", "P0", "poverty_rate", "persentase_penduduk_miskin"):
        assert store.resolve_alias(name) == "persentase_penduduk_miskin"
    for name in ("luas", "Luas (km2)", "luas_wilayah"):
        assert store.resolve_alias(name) == "luas_wilayah"
    assert store.resolve_alias("penduduk miskinn") is None


def test_register_indicator_for_an_upload(store_url):
    ind = store.Indicator(
        id="rasio_guru_murid",
        name_id="Rasio guru-murid",
        name_en="Pupil-teacher ratio",
        unit="murid/guru",
        kind="ratio",
        direction="lower_better",
        theme="lainnya",
        levels=("kecamatan",),
        aliases=("rasio guru murid",),
        valid_min=0,
    )
    store.register_indicator(ind, actor="ana")
    assert store.catalogue().loc["rasio_guru_murid", "origin"] == "upload"
    assert store.resolve_alias("Rasio Guru Murid") == "rasio_guru_murid"
    store.commit(kecamatan_frame("rasio_guru_murid", [15.0]), dataset="g", actor="ana")
    with pytest.raises(store.StoreError):
        store.register_indicator(ind, actor="ana")


def test_readme_documents_every_indicator_and_public_function():
    text = (ROOT / "store" / "README.md").read_text(encoding="utf-8")
    for ind in store.definitions.load_file():
        assert f"`{ind.id}`" in text, ind.id
    for name in store.__all__:
        if callable(getattr(store, name)) and not isinstance(getattr(store, name), type):
            assert f"{name}(" in text, name


def test_values_round_trip_exactly_and_wide_matches_tidy(store_url):
    rng = np.random.default_rng(3)
    values = rng.normal(size=40) * 10.0 ** rng.integers(-6, 9, size=40)
    values = np.abs(values)
    f = pd.concat(
        [
            kecamatan_frame("cakupan_pkh", np.minimum(values[:20], 99.9), year=2020),
            kecamatan_frame("pdrb_adhk", values[20:], year=2021),
        ]
    )
    store.commit(f, dataset="d", actor="t")
    t = store.tidy()
    got = t.set_index(["indicator", "year", "region_code"])["value"]
    want = f.set_index(["indicator", "year", "region_code"])["value"]
    assert (got.sort_index() == want.sort_index()).all()  # bit-identical, no rounding
    w = store.wide()
    pivot = t.pivot(index="region_code", columns=["indicator", "year"], values="value")
    pd.testing.assert_frame_equal(
        w,
        pivot.sort_index(axis=1),
        check_names=False,
        check_column_type=False,
        check_index_type=False,
    )
    w1 = store.wide(years=2021)
    assert list(w1.columns) == ["pdrb_adhk"] and w1["pdrb_adhk"].notna().sum() == 20


def test_a_recreated_store_at_the_same_place_is_not_served_from_the_cache(store_url, backend):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0]), dataset="d", actor="t")
    assert store.series("cakupan_pkh", 2024).tolist() == [1.0]
    backend.recreate(store_url)
    store.commit(kecamatan_frame("cakupan_pkh", [2.0]), dataset="d", actor="t")
    assert store.series("cakupan_pkh", 2024).tolist() == [2.0]


def test_committed_versions_cannot_be_changed_even_with_raw_sql(store_url, backend):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0, 2.0]), dataset="d", actor="t")
    statements = [
        'UPDATE "values" SET value = 9',
        'DELETE FROM "values"',
        "UPDATE versions SET note = 'x'",
        "DELETE FROM versions",
    ]
    if backend.postgres:  # SQLite has no TRUNCATE
        statements += ['TRUNCATE "values"', "TRUNCATE versions CASCADE"]
    for sql in statements:  # each in its own connection and transaction, as a client would
        with pytest.raises(DBAPIError, match="immutable"), backend.raw(store_url) as con:
            con.exec_driver_sql(sql)
    with backend.raw(store_url) as con:
        assert con.exec_driver_sql('SELECT count(*) FROM "values"').scalar() == 2
        assert con.exec_driver_sql('SELECT sum(value) FROM "values"').scalar() == 3.0
    assert store.series("cakupan_pkh", 2024).tolist() == [1.0, 2.0]


def test_catalogue_sources_are_manifest_ids():
    from pipeline import sources

    manifest = set(sources.load_manifest())
    prefixes = {m.rsplit(".", 1)[0] for m in manifest}  # boundaries_kel_35 (one per kabupaten)
    for ind in store.definitions.load_file():
        for sid in ind.sources:
            assert sid in manifest or sid in prefixes, (ind.id, sid)


def test_docstring_examples_of_the_store_and_statistics_modules():
    import doctest

    from pipeline import indicators
    from store import definitions, query, writes

    for module in (definitions, query, writes, indicators):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__
    assert doctest.testmod(definitions).attempted >= 3


def test_stamp_follows_commits_and_rollbacks(store_url):
    # every cache above the store is keyed by this stamp: it must change with the active
    # values and come back when a rollback restores the earlier version
    store.commit(kecamatan_frame("ipm", [70.0, 71.0]), dataset="a", actor="test", url=store_url)
    first = store.stamp(store_url)
    assert store.stamp(store_url) == first
    store.commit(kecamatan_frame("ipm", [72.0, 73.0]), dataset="b", actor="test", url=store_url)
    second = store.stamp(store_url)
    assert second != first
    store.rollback("ipm", level="kecamatan", actor="test", url=store_url)
    assert store.stamp(store_url) == first


def _set_schema_version(backend, url: str, version: int, drop_applies_to=False) -> None:
    store.dispose_all()
    with backend.raw(url) as con:
        if drop_applies_to:
            con.exec_driver_sql("ALTER TABLE indicators DROP COLUMN applies_to")
        con.execute(
            text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": str(version)}
        )
        con.exec_driver_sql("UPDATE meta SET value = 'stale' WHERE key = 'catalogue_sha256'")


def _columns(backend, url: str, table: str) -> set[str]:
    with backend.raw(url) as con:
        return {c["name"] for c in inspect(con).get_columns(table)}


def test_a_store_of_the_previous_schema_is_migrated_and_keeps_its_uploads(store_url, backend):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0, 2.0]), dataset="d", actor="ana")
    _set_schema_version(backend, store_url, 1, drop_applies_to=True)
    assert "applies_to" not in _columns(backend, store_url, "indicators")  # a version-1 table
    assert store.series("cakupan_pkh", 2024).tolist() == [1.0, 2.0]
    cat = store.catalogue()
    assert cat.loc["idm", "applies_to"] == "desa" and cat.loc["cakupan_pkh", "applies_to"] == "all"
    with backend.raw(store_url) as con:
        version = "SELECT value FROM meta WHERE key = 'schema_version'"
        assert con.exec_driver_sql(version).scalar() == "3"


def test_a_store_of_a_newer_schema_is_refused_with_a_message(store_url, backend):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0]), dataset="d", actor="ana")
    _set_schema_version(backend, store_url, 99)
    with pytest.raises(store.StoreError) as err:
        store.series("cakupan_pkh", 2024)
    assert err.value.code == "schema_mismatch" and "99" in str(err.value)
