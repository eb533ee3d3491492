"""The East Java geography for the rest of the code: codes, names, crosswalk and layers.

Everything is read from the layers that ``python -m pipeline build`` writes to
``settings.GEO_DIR`` (see ``docs/architecture.md``). Kecamatan are keyed by their Kemendagri
code (``35.78.09``); the BPS code (``3578080``) is an attribute, and conversion between the two
goes only through the crosswalk built from source 3, never by digit arithmetic.

Frames are read once per process and returned as copies, so callers may modify them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

import settings

__all__ = [
    "GeographyMissing",
    "UnknownRegion",
    "kecamatan",
    "kabupaten",
    "lookup",
    "to_bps",
    "to_kemendagri",
    "kecamatan_of",
    "load_layer",
    "neighbours",
    "clear_cache",
]

LEVELS = ("desa", "kecamatan", "kabupaten")
_KEC_KEMENDAGRI = re.compile(r"^35\.\d\d\.\d\d$")
_KEC_BPS = re.compile(r"^35\d{5}$")


class GeographyMissing(FileNotFoundError):
    """The geography layers have not been built (run ``python -m pipeline build``)."""


class UnknownRegion(KeyError):
    """A code that is not a kecamatan/kabupaten of East Java."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else ""


def _path(name: str) -> Path:
    path = settings.GEO_DIR / name
    if not path.is_file():
        raise GeographyMissing(
            f"{path} does not exist: build the geography with `python -m pipeline build` "
            "(or `make data`)."
        )
    return path


@lru_cache(maxsize=4)
def _frame(level: str) -> pd.DataFrame:
    import pyarrow.parquet as pq

    path = _path(f"{level}.parquet")
    columns = [c for c in pq.read_schema(path).names if c != "geometry"]
    frame = pd.read_parquet(path, columns=columns)
    if "neighbours" in frame.columns:
        frame["neighbours"] = frame["neighbours"].map(lambda v: [str(x) for x in v])
    return frame


def clear_cache() -> None:
    """Forget the frames read so far (after a rebuild, or in tests)."""
    _frame.cache_clear()
    _bps_index.cache_clear()


def kecamatan() -> pd.DataFrame:
    """The 666 kecamatan without geometry (columns as in ``docs/architecture.md``).

    Returns
    -------
    pandas.DataFrame
        ``kode, nama, kode_bps, nama_bps, kab_kode, kab_nama, n_desa, n_kelurahan, area_km2,
        rep_lon, rep_lat, neighbours, is_island``, sorted by ``kode``.
    """
    return _frame("kecamatan").copy()


def kabupaten() -> pd.DataFrame:
    """The 38 kabupaten/kota without geometry, sorted by ``kode``."""
    return _frame("kabupaten").copy()


@lru_cache(maxsize=1)
def _bps_index() -> dict[str, str]:
    kec = _frame("kecamatan")
    return {b: k for k, b in zip(kec["kode"], kec["kode_bps"], strict=True) if isinstance(b, str)}


def _normalise(code) -> str:
    return str(code).strip()


def lookup(code: str) -> pd.Series:
    """The row of a kecamatan given its Kemendagri (``35.78.09``) or BPS (``3578080``) code.

    Raises
    ------
    UnknownRegion
        When the code is not a kecamatan of East Java.

    Examples
    --------
    >>> lookup("3578080")["nama"]  # doctest: +SKIP
    'Sukolilo'
    """
    code = _normalise(code)
    kode = to_kemendagri(code) if _KEC_BPS.match(code) else code
    kec = _frame("kecamatan")
    hit = kec.index[kec["kode"] == kode]
    if len(hit) != 1:
        raise UnknownRegion(f"{code!r} is not a kecamatan code of East Java")
    return kec.loc[hit[0]].copy()


def to_bps(code: str) -> str:
    """BPS code of a kecamatan from its Kemendagri code, through the crosswalk."""
    code = _normalise(code)
    kec = _frame("kecamatan")
    hit = kec.loc[kec["kode"] == code, "kode_bps"]
    if len(hit) != 1 or not isinstance(hit.iloc[0], str):
        raise UnknownRegion(f"{code!r} is not a Kemendagri kecamatan code with a BPS code")
    return hit.iloc[0]


def to_kemendagri(bps_code: str) -> str:
    """Kemendagri code of a kecamatan from its BPS code, through the crosswalk."""
    code = _normalise(bps_code)
    try:
        return _bps_index()[code]
    except KeyError:
        raise UnknownRegion(f"{code!r} is not a BPS kecamatan code of East Java") from None


def kecamatan_of(kab_kode: str) -> pd.DataFrame:
    """The kecamatan of one kabupaten/kota (``35.78``), sorted by code."""
    kab_kode = _normalise(kab_kode)
    kec = _frame("kecamatan")
    rows = kec[kec["kab_kode"] == kab_kode]
    if rows.empty:
        raise UnknownRegion(f"{kab_kode!r} is not a kabupaten/kota code of East Java")
    return rows.reset_index(drop=True).copy()


def load_layer(level: str, resolution: str = "full"):
    """A layer as a GeoDataFrame (EPSG:4326).

    Parameters
    ----------
    level : {"desa", "kecamatan", "kabupaten"}
    resolution : {"full", "display"}
        ``full`` reads the GeoParquet layer with all attributes; ``display`` reads the
        simplified GeoJSON (kecamatan and kabupaten only; properties ``kode, nama, kab_nama``).
    """
    import geopandas as gpd

    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if resolution == "full":
        return gpd.read_parquet(_path(f"{level}.parquet"))
    if resolution == "display":
        if level == "desa":
            raise ValueError("there is no display layer for desa")
        return gpd.read_file(_path(f"{level}_display.geojson"))
    raise ValueError(f"resolution must be 'full' or 'display', not {resolution!r}")


def display_path(level: str) -> Path:
    """Path of the display GeoJSON of ``kecamatan`` or ``kabupaten`` (for serving as a file)."""
    if level not in ("kecamatan", "kabupaten"):
        raise ValueError(f"no display layer for {level!r}")
    return _path(f"{level}_display.geojson")


def neighbours(level: str = "kecamatan") -> dict[str, list[str]]:
    """Queen-contiguity neighbours by code (an island kecamatan may have none)."""
    if level not in ("kecamatan", "kabupaten"):
        raise ValueError(f"neighbours exist for kecamatan and kabupaten, not {level!r}")
    frame = _frame(level)
    return {k: list(v) for k, v in zip(frame["kode"], frame["neighbours"], strict=True)}
