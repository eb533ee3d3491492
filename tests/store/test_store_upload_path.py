"""The analyst's path through the store: new indicators and values in one transaction,
and the last upload wins (an earlier content uploaded again becomes active again)."""

from __future__ import annotations

import pytest
from store_helpers import kecamatan_frame

import store
from store import writes

NEW = store.Indicator(
    id="skor_inovasi",
    name_id="Skor inovasi",
    name_en="Innovation score",
    unit="skor",
    kind="index",
    direction="higher_better",
    theme="lainnya",
    levels=("kecamatan",),
    valid_min=0,
    valid_max=10,
)


@pytest.fixture
def catalogue_rows(backend):
    """Rows of the catalogue table for an indicator (plain SQL, not through the store)."""

    def count(url: str, indicator: str) -> int:
        mark = "%s" if backend.postgres else "?"
        with backend.raw(url) as conn:
            return conn.exec_driver_sql(
                f"SELECT count(*) FROM indicators WHERE id = {mark}", (indicator,)).scalar()

    return count


def test_refused_commit_of_a_new_indicator_leaves_no_catalogue_entry(store_url, catalogue_rows):
    frame = kecamatan_frame("skor_inovasi", [3.0, 42.0])  # 42 is above valid_max = 10
    with pytest.raises(store.StoreValidationError) as err:
        store.commit(frame, dataset="u", actor="ana", new_indicators=[NEW])
    assert {(p["row"], p["code"]) for p in err.value.details} == {(2, "out_of_range")}
    assert "skor_inovasi" not in store.catalogue().index
    assert catalogue_rows(store_url, "skor_inovasi") == 0
    assert store.resolve_alias("skor_inovasi") is None
    assert store.versions().empty
    # its audit entry is the only trace
    log = store.audit_log()
    assert log["action"].tolist() == ["commit"] and log["status"].tolist() == ["failed"]
    assert log["detail"].iloc[0]["new_indicators"] == ["skor_inovasi"]


def test_commit_failing_half_way_leaves_no_catalogue_entry(store_url, monkeypatch, catalogue_rows):
    def boom(stage):
        if stage == "values_inserted":
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(writes, "_checkpoint", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.commit(kecamatan_frame("skor_inovasi", [3.0]), dataset="u", actor="ana",
                     new_indicators=[NEW])
    assert catalogue_rows(store_url, "skor_inovasi") == 0
    assert store.versions().empty


def test_new_indicator_and_its_values_are_committed_together(store_url):
    result = store.commit(kecamatan_frame("skor_inovasi", [3.0, 4.5]), dataset="u", actor="ana",
                          new_indicators=[NEW])
    assert result.created
    entry = store.catalogue().loc["skor_inovasi"]
    assert entry["origin"] == "upload" and entry["valid_max"] == 10
    assert store.series("skor_inovasi", 2024).tolist() == [3.0, 4.5]
    log = store.audit_log()
    assert log["action"].tolist() == ["commit"] and log["status"].tolist() == ["ok"]
    # an indicator that exists already is refused, and the values with it
    with pytest.raises(store.StoreError) as err:
        store.commit(kecamatan_frame("skor_inovasi", [9.0]), dataset="u", actor="ana",
                     new_indicators=[NEW])
    assert err.value.code == "indicator_exists"
    assert store.series("skor_inovasi", 2024).tolist() == [3.0, 4.5]


def test_a_wrong_definition_is_refused_before_anything_is_written(store_url):
    bad = store.Indicator(**{**NEW.__dict__, "direction": "sideways"})
    with pytest.raises(store.StoreError) as err:
        store.commit(kecamatan_frame("skor_inovasi", [3.0]), dataset="u", actor="ana",
                     new_indicators=[bad])
    assert err.value.code == "invalid_indicator"
    assert "skor_inovasi" not in store.catalogue().index


# --------------------------------------------------------------------------- last upload wins
def values_of(indicator: str) -> dict:
    return store.series(indicator, 2024).to_dict()


def commits_in_log() -> list[str]:
    """Statuses of the commit entries of the audit log, oldest first."""
    log = store.audit_log()
    return log[log["action"] == "commit"]["status"].tolist()[::-1]


def test_a_b_a_leaves_a_active_and_the_log_shows_all_three(store_url):
    a = kecamatan_frame("cakupan_pkh", [10.0, 20.0, 30.0])
    b = kecamatan_frame("cakupan_pkh", [11.0, 21.0, 31.0])
    first = store.commit(a, dataset="u", actor="ana")
    store.commit(b, dataset="u", actor="ana")
    again = store.commit(a, dataset="u", actor="ana")
    assert values_of("cakupan_pkh") == {"35.01.01": 10.0, "35.01.02": 20.0, "35.01.03": 30.0}
    assert again.status == "restored" and again.same_as == first.number
    assert again.version_id == first.version_id  # the earlier version holds exactly A
    assert len(store.versions()) == 2
    assert commits_in_log() == ["ok", "ok", "restored"]
    assert "version 1" in again.message_en and "versi 1" in again.message_id
    # the same content once more, while active: nothing changes
    same = store.commit(a, dataset="u", actor="ana")
    assert same.status == "duplicate" and len(store.versions()) == 2
    assert commits_in_log() == ["ok", "ok", "restored", "duplicate"]


def test_a_b_a_in_merge_mode_keeps_what_b_added_elsewhere(store_url):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0, 2.0, 3.0, 4.0]), dataset="base", actor="t")
    a = kecamatan_frame("cakupan_pkh", [10.0, 20.0])  # regions 1-2
    b = kecamatan_frame("cakupan_pkh", [11.0, 21.0, 31.0])  # regions 1-3
    first = store.commit(a, dataset="u", actor="ana", mode="merge")
    store.commit(b, dataset="u", actor="ana", mode="merge")
    again = store.commit(a, dataset="u", actor="ana", mode="merge")
    # A over what was active (B over A over the base)
    expected = {"35.01.01": 10.0, "35.01.02": 20.0, "35.01.03": 31.0, "35.01.04": 4.0}
    assert values_of("cakupan_pkh") == expected
    assert again.status == "restored" and again.same_as == first.number
    assert again.version_id not in (first.version_id,) and len(store.versions()) == 4
    assert commits_in_log() == ["ok", "ok", "ok", "restored"]
    # and A-B-A once more ends in the same values, through the version made the first time
    store.commit(b, dataset="u", actor="ana", mode="merge")
    once_more = store.commit(a, dataset="u", actor="ana", mode="merge")
    assert values_of("cakupan_pkh") == expected
    assert once_more.version_id == again.version_id and len(store.versions()) == 4


def test_a_b_a_in_merge_mode_over_the_same_regions_reactivates_a(store_url):
    store.commit(kecamatan_frame("cakupan_pkh", [1.0, 2.0, 3.0]), dataset="base", actor="t")
    a = kecamatan_frame("cakupan_pkh", [10.0, 20.0])
    first = store.commit(a, dataset="u", actor="ana", mode="merge")
    store.commit(kecamatan_frame("cakupan_pkh", [11.0, 21.0]), dataset="u", actor="ana",
                 mode="merge")
    again = store.commit(a, dataset="u", actor="ana", mode="merge")
    assert values_of("cakupan_pkh") == {"35.01.01": 10.0, "35.01.02": 20.0, "35.01.03": 3.0}
    assert again.version_id == first.version_id and len(store.versions()) == 3
