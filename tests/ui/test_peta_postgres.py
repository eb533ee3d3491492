"""The Peta page drawn from a PostgreSQL store (``make test-postgres``; skipped on SQLite,
where tests/ui/test_peta_page.py draws it from the built SQLite store).

The store is a copy of the built one loaded into PostgreSQL the way ``pipeline build`` loads
any store (:func:`pipeline.statistics.load`, see tests/conftest.py), plus one value committed
here that the SQLite store does not have, so the map can only show it if it reads PostgreSQL.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from apptest_helpers import assert_clean, data_ready, figures, open_page, trace

import settings
import store

INDICATOR, REGION, SENTINEL = "persentase_penduduk_miskin", "35.78.09", 42.42


@pytest.fixture
def pg_store(backend, built_store, monkeypatch):
    if not backend.postgres:
        pytest.skip("PostgreSQL only: run `make test-postgres`")
    url = backend.built_copy(built_store)
    monkeypatch.setenv("RBK_DATABASE_URL", url)
    store.dispose_all()
    reason = data_ready()  # the geography, and the copy (never the server's own database)
    if reason:
        pytest.fail(reason)
    yield url
    store.dispose_all()


def active_values(backend, url: str, year: int) -> pd.Series:
    """The active kecamatan values of INDICATOR in ``year``, read with raw SQL."""
    with backend.raw(url) as con:
        rows = con.exec_driver_sql(
            'SELECT v.region_code, v.value FROM "values" v JOIN active a ON '
            "a.version_id = v.version_id AND a.indicator = v.indicator AND a.level = v.level "
            f"WHERE v.indicator = '{INDICATOR}' AND v.level = 'kecamatan' AND v.year = {year}"
        ).all()
    return pd.Series({code: value for code, value in rows})


def test_peta_draws_the_666_kecamatan_from_postgresql(pg_store, backend):
    with backend.raw(pg_store) as con:
        year = con.exec_driver_sql(
            f"SELECT max(year) FROM \"values\" WHERE indicator = '{INDICATOR}' "
            "AND level = 'kecamatan'"
        ).scalar()
    one = pd.DataFrame(
        {
            "region_code": [REGION],
            "level": "kecamatan",
            "indicator": INDICATOR,
            "year": year,
            "value": [SENTINEL],
        }
    )
    store.commit(one, dataset="uji_peta_pg", actor="uji", mode="merge", illustrative=True)
    values = active_values(backend, pg_store, year)
    assert values[REGION] == SENTINEL and len(values) > 600

    at = open_page("peta", query={"ind": INDICATOR, "year": str(year), "level": "kecamatan"})
    assert_clean(at)
    fig = next(f for f in figures(at) if trace(f, "values"))
    drawn = list(trace(fig, "values")["locations"])
    for name in ("no_data", "not_applicable"):
        if trace(fig, name):
            drawn += list(trace(fig, name)["locations"])
    geo = json.loads((settings.GEO_DIR / "kecamatan_display.geojson").read_text())
    assert sorted(drawn) == sorted(str(f["id"]) for f in geo["features"]) and len(drawn) == 666
    tr = trace(fig, "values")
    hover = pd.Series([c[0] for c in tr["customdata"]], index=tr["locations"])
    assert set(hover.index) == set(values.index)
    assert (hover.sort_index() - values.sort_index().round(3)).abs().max() <= 0.01
    assert hover[REGION] == pytest.approx(SENTINEL)
