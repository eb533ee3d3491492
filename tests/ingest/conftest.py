"""Fixtures of the ingest tests.

``gazetteer`` is built independently of :mod:`regions`: straight from the BPS–Kemendagri
bridging table of the source mirror (data source 3, ``csv/kecamatan.csv`` and
``csv/kabkota.csv``), so key resolution is checked against the published crosswalk rather than
against our own build. ``store_url`` is a fresh SQLite store in a temporary directory.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest

from ingest.keys import Gazetteer

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
CROSSWALK = "zakiego/Kode-Wilayah-Administrasi-Indonesia-Relasi-BPS-Kemendagri/csv"


def _mirror() -> Path:
    base = os.environ.get("RBK_SOURCES") or str(ROOT.parent / "shared" / "data" / "sources")
    path = Path(base) / CROSSWALK
    if not path.is_dir():
        build = ROOT / "data" / "build" / "sources" / CROSSWALK
        if build.is_dir():
            return build
        pytest.fail(f"the crosswalk (data source 3) is needed: not found under {path} or {build}")
    return path


def _dot(code: str) -> str:
    return ".".join([code[:2], code[2:4], code[4:6]][: (len(code) // 2)])


def crosswalk_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kecamatan, kabupaten) frames of East Java from the crosswalk, in the ``regions`` layout."""
    base = _mirror()
    kab_rows = []
    with open(base / "kabkota.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["kode_bps"].startswith("35"):
                kab_rows.append({"kode": _dot(r["kode_dagri"]), "nama": r["nama_dagri"].title(),
                                 "kode_bps": r["kode_bps"]})
    kab = pd.DataFrame(kab_rows)
    kab_names = dict(zip(kab["kode"], kab["nama"], strict=True))
    rows = []
    with open(base / "kecamatan.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["kode_bps"].startswith("35"):
                kode = _dot(r["kode_dagri"])
                rows.append({"kode": kode, "nama": r["nama_dagri"].title(), "kode_bps": r["kode_bps"],
                             "nama_bps": r["nama_bps"].title(), "kab_kode": kode[:5],
                             "kab_nama": kab_names[kode[:5]]})
    return pd.DataFrame(rows), kab


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    kec, kab = crosswalk_frames()
    assert len(kec) == 666 and len(kab) == 38
    return Gazetteer(kec, kab)


@pytest.fixture(scope="session")
def kecamatan_frame() -> pd.DataFrame:
    return crosswalk_frames()[0]


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory) -> pd.DataFrame:
    """The indicator catalogue as the store serves it (a fresh temporary store)."""
    import store

    url = f"sqlite:///{tmp_path_factory.mktemp('catalogue') / 'cat.sqlite'}"
    return store.catalogue(url=url)
