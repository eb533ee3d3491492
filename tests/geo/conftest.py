"""Fixtures for the geography tests.

Tests of the layers read the build in ``data/build/geo`` (``make test`` builds it first).
Bad-input tests build into a temporary directory from a crafted mirror of symlinks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import settings
from pipeline import sources


def _need_build() -> Path:
    geo = settings.GEO_DIR
    if not (geo / "build.json").is_file():
        pytest.fail(f"no geography build in {geo}: run `make data` (python -m pipeline build)")
    return geo


@pytest.fixture(scope="session")
def geo_dir() -> Path:
    return _need_build()


@pytest.fixture(scope="session")
def layers(geo_dir):
    import geopandas as gpd

    return {
        lvl: gpd.read_parquet(geo_dir / f"{lvl}.parquet")
        for lvl in ("desa", "kecamatan", "kabupaten")
    }


@pytest.fixture(scope="session")
def real_mirror() -> Path:
    """A directory laid out <owner>/<repo>/<path> holding the geography's source files.

    ``RBK_SOURCES`` when set, else the verified cache of the last build.
    """
    from pipeline.geography import INPUT_IDS

    mirror = settings.sources_mirror() or settings.CACHE_DIR
    files = sources.manifest()
    missing = [i for i in INPUT_IDS if not (mirror / files[i].relpath).is_file()]
    if missing:
        pytest.fail(f"{mirror} lacks {missing[:3]}: set RBK_SOURCES or run `make data`")
    return mirror


@pytest.fixture
def sandbox(tmp_path, monkeypatch, real_mirror, geo_dir):
    """A temporary build directory holding a copy of the last good geography build, and a
    crafted mirror of symlinks to the real files (tests then damage one of them)."""
    build = tmp_path / "build"
    monkeypatch.setattr(settings, "BUILD_DIR", build)
    monkeypatch.setattr(settings, "GEO_DIR", build / "geo")
    monkeypatch.setattr(settings, "CACHE_DIR", build / "sources")
    shutil.copytree(geo_dir, build / "geo")
    mirror = tmp_path / "mirror"
    for f in sources.manifest().values():
        if not (real_mirror / f.relpath).is_file():
            continue
        target = mirror / f.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to((real_mirror / f.relpath).resolve())
    monkeypatch.setenv("RBK_SOURCES", str(mirror))
    sources.manifest.cache_clear()
    yield {"build": build, "geo": build / "geo", "mirror": mirror, "tmp": tmp_path}
    sources.manifest.cache_clear()
