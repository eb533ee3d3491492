"""Fixtures: the built statistics (from ``make data``, else built into a temporary folder)."""

from __future__ import annotations

import pandas as pd
import pytest

import regions
import store
from pipeline import statistics


@pytest.fixture(scope="session")
def stats_dir(tmp_path_factory):
    """A folder with real.parquet / illustrative.parquet built from the current inputs."""
    try:
        regions.kecamatan()
    except regions.GeographyMissing:
        pytest.skip("geography not built: run `python -m pipeline build` (make data)")
    if statistics.is_current():
        return statistics.stats_dir()
    out = tmp_path_factory.mktemp("stats")
    statistics.build(out_dir=out)
    return out


@pytest.fixture(scope="session")
def real(stats_dir) -> pd.DataFrame:
    return pd.read_parquet(stats_dir / "real.parquet")


@pytest.fixture(scope="session")
def ill(stats_dir) -> pd.DataFrame:
    return pd.read_parquet(stats_dir / "illustrative.parquet")


@pytest.fixture(scope="session")
def loaded_store(stats_dir, tmp_path_factory):
    """A temporary store loaded by the pipeline's store step (session-wide, read-only)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'rbk.sqlite'}"
    none = tmp_path_factory.mktemp("no_realdata")  # the realdata datasets: tests/realdata
    first = statistics.load(url=url, in_dir=stats_dir, real_dir=none)
    second = statistics.load(url=url, in_dir=stats_dir, real_dir=none)
    return {"url": url, "first": first, "second": second}


@pytest.fixture(autouse=True)
def _dispose_engines():
    yield
    store.dispose_all()
