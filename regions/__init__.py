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
    "desa",
    "kecamatan",
    "kabupaten",
    "applies",
    "applicable_codes",
    "display_path",
    "lookup",
    "to_bps",
    "to_kemendagri",
    "kecamatan_of",
    "load_layer",
    "neighbours",
    "clear_cache",
]

LEVELS = ("desa", "kecamatan", "kabupaten")

#: What an indicator applies to (catalogue field ``applies_to``): ``all`` regions, or only
#: ``desa`` (not kelurahan), as IDM: a kelurahan, or a kecamatan/kabupaten made only of
#: kelurahan, has no value because the indicator does not apply (not applicable), which is
#: neither 0 nor missing data.
APPLIES_TO = ("all", "desa")

#: SP2010 population per desa, written by the ``realdata`` build step (optional: without it
#: ``penduduk_2010`` is missing everywhere).
DESA_POPULATION = Path("realdata") / "desa_penduduk.parquet"
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
    _desa_frame.cache_clear()
    applicable_codes.cache_clear()


@lru_cache(maxsize=1)
def _desa_frame() -> pd.DataFrame:
    frame = _frame("desa")
    kec_names = _frame("kecamatan").set_index("kode")["nama"]
    frame = frame.assign(kec_nama=frame["kec_kode"].map(kec_names))
    pop_path = settings.BUILD_DIR / DESA_POPULATION
    pop = pd.read_parquet(pop_path) if pop_path.is_file() else pd.DataFrame(columns=["kode"])
    penduduk = pop.set_index("kode")["penduduk_2010"] if len(pop) else pd.Series(dtype=float)
    frame["penduduk_2010"] = frame["kode"].map(penduduk).astype("Int64")
    columns = ["kode", "nama", "jenis", "kec_kode", "kec_nama", "kab_kode", "area_km2"]
    return frame[[*columns, "rep_lon", "rep_lat", "penduduk_2010"]].sort_values("kode")


def desa(kec_kode: str | None = None) -> pd.DataFrame:
    """The 8,494 desa/kelurahan (or those of one kecamatan) without geometry.

    Returns
    -------
    pandas.DataFrame
        ``kode`` (Kemendagri, ``35.01.06.2004``), ``nama``, ``jenis`` (``desa`` or
        ``kelurahan``), ``kec_kode``, ``kec_nama``, ``kab_kode``, ``area_km2`` (computed from
        the cleaned boundaries on an equal-area projection, not an official area),
        ``rep_lon``, ``rep_lat`` (a point inside the desa, the origin of its distances),
        ``penduduk_2010`` (Sensus Penduduk 2010, matched by name within the kecamatan;
        missing ``<NA>`` where no census village matches), sorted by ``kode``.

    Raises
    ------
    UnknownRegion
        When ``kec_kode`` is not a kecamatan of East Java.
    """
    frame = _desa_frame()
    if kec_kode is not None:
        frame = frame[frame["kec_kode"] == _normalise(kec_kode)]
        if frame.empty:
            raise UnknownRegion(f"{kec_kode!r} is not a kecamatan code of East Java")
    return frame.reset_index(drop=True).copy()


@lru_cache(maxsize=16)
def applicable_codes(applies_to: str, level: str) -> frozenset[str]:
    """The codes of ``level`` to which an indicator with ``applies_to`` applies.

    ``all``: every region. ``desa``: desa (not kelurahan); kecamatan and kabupaten/kota with
    at least one desa; the province. A region outside the set has no value because the
    indicator does not apply there (show "tidak berlaku" / "not applicable", not 0 and not
    "no data").
    """
    if applies_to not in APPLIES_TO:
        raise ValueError(f"applies_to must be one of {APPLIES_TO}, not {applies_to!r}")
    if level == "provinsi":
        return frozenset({"35"})
    if level not in LEVELS:
        raise ValueError(f"level must be one of {(*LEVELS, 'provinsi')}, not {level!r}")
    frame = _frame(level)
    if applies_to == "all":
        return frozenset(frame["kode"])
    has_desa = frame["jenis"] == "desa" if level == "desa" else frame["n_desa"] > 0
    return frozenset(frame.loc[has_desa, "kode"])


def applies(applies_to: str, code: str) -> bool:
    """Whether an indicator with ``applies_to`` applies to the region ``code`` (any level).

    Examples
    --------
    >>> applies("all", "35.78.09")  # doctest: +SKIP
    True
    >>> applies("desa", "35.78.09")  # a kecamatan of Kota Surabaya: kelurahan only  # doctest: +SKIP
    False
    """
    code = _normalise(code)
    level = {2: "provinsi", 5: "kabupaten", 8: "kecamatan", 13: "desa"}.get(len(code))
    if level is None:
        raise UnknownRegion(f"{code!r} is not a region code of East Java")
    return code in applicable_codes(applies_to, level)


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


def load_layer(level: str, resolution: str = "full", kab_kode: str | None = None):
    """A layer as a GeoDataFrame (EPSG:4326).

    Parameters
    ----------
    level : {"desa", "kecamatan", "kabupaten"}
    resolution : {"full", "display"}
        ``full`` reads the GeoParquet layer with all attributes; ``display`` reads the
        simplified GeoJSON (properties ``kode, nama`` and ``kab_nama``, or ``kec_nama`` for
        desa).
    kab_kode : str, optional
        Desa display only: the desa of one kabupaten/kota (a small file, fast to load).
    """
    import geopandas as gpd

    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if resolution == "full":
        layer = gpd.read_parquet(_path(f"{level}.parquet"))
        if kab_kode is not None:
            layer = layer[layer["kode"].str.startswith(_normalise(kab_kode) + ".")]
        return layer.reset_index(drop=True)
    if resolution == "display":
        return gpd.read_file(display_path(level, kab_kode))
    raise ValueError(f"resolution must be 'full' or 'display', not {resolution!r}")


def display_path(level: str, kab_kode: str | None = None) -> Path:
    """Path of a display GeoJSON (for serving as a file): ``kecamatan``, ``kabupaten`` or
    ``desa`` (the whole province, or with ``kab_kode`` the desa of one kabupaten/kota)."""
    if level not in LEVELS:
        raise ValueError(f"no display layer for {level!r}")
    if kab_kode is None:
        return _path(f"{level}_display.geojson")
    if level != "desa":
        raise ValueError("only the desa display layer is split by kabupaten/kota")
    kab_kode = _normalise(kab_kode)
    if not re.fullmatch(r"35\.\d\d", kab_kode):
        raise UnknownRegion(f"{kab_kode!r} is not a kabupaten/kota code of East Java")
    path = settings.GEO_DIR / "desa_display" / f"{kab_kode}.geojson"
    if not path.is_file() and (settings.GEO_DIR / "desa_display").is_dir():
        raise UnknownRegion(f"{kab_kode!r} is not a kabupaten/kota code of East Java")
    return _path(f"desa_display/{kab_kode}.geojson")


def neighbours(level: str = "kecamatan") -> dict[str, list[str]]:
    """Queen-contiguity neighbours by code (an island kecamatan may have none; desa have no
    neighbour table)."""
    if level not in ("kecamatan", "kabupaten"):
        raise ValueError(f"neighbours exist for kecamatan and kabupaten, not {level!r}")
    frame = _frame(level)
    return {k: list(v) for k, v in zip(frame["kode"], frame["neighbours"], strict=True)}
