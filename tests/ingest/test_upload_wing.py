"""The upload page's data wing (``ui.data.upload``) against a copy of the built store:
a new indicator is registered only together with its values."""

from __future__ import annotations

import pytest
from test_page import app_env  # noqa: F401 (a fixture: a copy of the built store)

import store
from store import writes
from ui.data import upload as upload_data

DATA = b"kode;skor_inovasi\n35.78.04;3\n35.78.09;4\n"
SPEC = {"id": "skor_inovasi", "name_id": "Skor inovasi", "name_en": "Innovation score",
        "unit": "skor", "kind": "index", "direction": "higher_better", "valid_min": 0.0,
        "valid_max": 10.0}


@pytest.fixture
def wing_store(app_env):  # noqa: F811
    upload_data.catalogue.clear()
    yield app_env
    upload_data.catalogue.clear()


@pytest.fixture
def has_entry(backend):
    """Whether the catalogue table holds ``indicator`` (read with plain SQL, not the store)."""

    def check(url: str, indicator: str) -> bool:
        with backend.raw(url) as conn:
            sql = "SELECT count(*) FROM indicators WHERE id = %s" if backend.postgres else \
                "SELECT count(*) FROM indicators WHERE id = ?"
            return conn.exec_driver_sql(sql, (indicator,)).scalar() > 0

    return check


def validated():
    result = upload_data.validate(DATA, "inovasi.csv", year=2024, sheet=None, locale="auto",
                                  mapping={"skor_inovasi": "skor_inovasi"},
                                  new={"skor_inovasi": SPEC})
    assert result.accepted, result.report.errors
    return result


def test_a_commit_that_fails_registers_no_new_indicator(wing_store, monkeypatch, has_entry):
    result = validated()

    def boom(stage):
        if stage == "values_inserted":
            raise RuntimeError("disk full")

    monkeypatch.setattr(writes, "_checkpoint", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        upload_data.commit(result, {"skor_inovasi": SPEC}, actor="ana")
    assert not has_entry(wing_store, "skor_inovasi")
    log = store.audit_log(url=wing_store)
    assert "register_indicator" not in set(log["action"])
    assert log.iloc[0]["action"] == "commit" and log.iloc[0]["status"] == "failed"


def test_a_commit_registers_the_new_indicator_with_its_values(wing_store, has_entry):
    done = upload_data.commit(validated(), {"skor_inovasi": SPEC}, actor="ana")
    assert done.created
    assert has_entry(wing_store, "skor_inovasi")
    s = store.series("skor_inovasi", 2024, url=wing_store)
    assert s.to_dict() == {"35.78.04": 3.0, "35.78.09": 4.0}
