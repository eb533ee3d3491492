"""Fixtures for the real-data tests (issue 14): the ``realdata`` build, a loaded store and the
upstream source files read independently of the pipeline.

The build is the current one in ``settings.BUILD_DIR`` (``make data``); when it is missing or
stale, the step is built into a temporary folder. The store is a temporary SQLite file loaded
by the pipeline's store step.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import regions
import settings
import store
from pipeline import realdata, sources, statistics


def _mirror() -> Path:
    mirror = settings.sources_mirror() or settings.CACHE_DIR
    files = sources.manifest()
    missing = [i for i in realdata.INPUT_IDS if not (mirror / files[i].relpath).is_file()]
    if missing:
        pytest.fail(f"{mirror} lacks {missing[:3]}: set RBK_SOURCES or run `make data`")
    return mirror


@pytest.fixture(scope="session")
def mirror() -> Path:
    return _mirror()


@pytest.fixture(scope="session")
def source_file(mirror):
    files = sources.manifest()
    return lambda fid: mirror / files[fid].relpath


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    """``{"dir": realdata output folder, "reports": report folder}``, current inputs."""
    try:
        regions.kecamatan()
    except regions.GeographyMissing:
        pytest.fail("geography not built: run `python -m pipeline build` (make data)")
    if realdata.is_current() and (realdata.report_dir() / "realdata.md").is_file():
        return {"dir": realdata.out_dir(), "reports": realdata.report_dir()}
    tmp = tmp_path_factory.mktemp("realdata")
    realdata.build(where=tmp / "realdata", reports=tmp / "reports")
    return {"dir": tmp / "realdata", "reports": tmp / "reports"}


@pytest.fixture(scope="session")
def url(built, tmp_path_factory) -> str:
    """A temporary store holding the statistics and the realdata datasets."""
    stats = statistics.stats_dir()
    if not statistics.is_current():
        stats = tmp_path_factory.mktemp("stats")
        statistics.build(out_dir=stats)
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'rbk.sqlite'}"
    statistics.load(url=url, in_dir=stats, real_dir=built["dir"])
    return url


@pytest.fixture(scope="session")
def facilities_built(built) -> pd.DataFrame:
    return pd.read_parquet(built["dir"] / "facilities.parquet")


@pytest.fixture(scope="session")
def idm_source(source_file) -> dict:
    """Source 10 read with ``json`` alone: ``{desa code: record}`` and ``{kec code: record}``."""
    data = json.loads(source_file("idm_2024_35").read_text(encoding="utf-8"))
    desa, kec = {}, {}
    for k in data["kec"]:
        code = f"{k['k'][:2]}.{k['k'][2:4]}.{k['k'][4:6]}"
        kec[code] = k
        for rec in k["ds"]:
            desa[f"{code}.{rec[0]}"] = rec
    return {"desa": desa, "kec": kec}


@pytest.fixture(autouse=True)
def _dispose_engines():
    yield
    store.dispose_all()
