"""Inputs of the geography build (sources 1, 2 and 3), read as data and checked.

- :func:`read_desa_file` / :func:`parse_desa_files`: the desa/kelurahan polygons of source 1,
  from the SQL ``INSERT`` rows (never executed); ``path`` holds ``[lat, lng]`` pairs, swapped
  to lon/lat.
- :func:`read_codes`, :func:`read_big_areas`: Kemendagri 2025 codes and names of every level
  and the BIG areas of source 2.
- :func:`read_crosswalk`: the BPS code of each kecamatan and kabupaten/kota from the bridging
  table of source 3, every pair checked by name (:func:`regions.names.name_key`).

A malformed row or a misaligned crosswalk raises :class:`pipeline.errors.GeographyError`
naming the file, the line or the codes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from pipeline import sources
from pipeline.errors import GeographyError
from pipeline.sqlrows import read_inserts
from regions.names import kabupaten_key, name_key

#: Kabupaten/kota codes of East Java (source 1 has one desa file per code).
KAB_CODES = tuple(f"35.{i:02d}" for i in range(1, 30)) + tuple(f"35.{i}" for i in range(71, 80))

#: The only accepted name differences between BPS (crosswalk) and Kemendagri (source 2), by
#: Kemendagri kecamatan code: BPS name. Any other difference stops the build, because it would
#: mean the crosswalk is misaligned.
KNOWN_BPS_NAME_DIFFERENCES = {
    "35.07.04": "SUMBERMANJING",  # Kemendagri: Sumbermanjing Wetan
    "35.11.19": "IJEN",  # Kemendagri: Sempol
    "35.16.14": "GEDEK",  # Kemendagri: Gedeg
    "35.22.12": "SUMBEREJO",  # Kemendagri: Sumberrejo
    "35.29.08": "GILIGENTENG",  # Kemendagri: Giliginting
    "35.71.02": "KOTA KEDIRI",  # Kemendagri: Kota
}


DESA_FILES = tuple(f"boundaries_kel_{k}" for k in KAB_CODES)
INPUT_IDS = DESA_FILES + ("wilayah", "wilayah_luas", "crosswalk_kecamatan", "crosswalk_kabkota")

_DESA_CODE = re.compile(r"^35\.\d\d\.\d\d\.[12]\d{3}$")


def _to_lonlat(coords: np.ndarray) -> np.ndarray:
    return coords[:, ::-1]


def read_desa_file(path: Path, kab: str, label: str) -> tuple[list[str], list[str], np.ndarray]:
    """Parse one desa file of source 1 into codes, names and lon/lat polygons.

    Raises
    ------
    GeographyError
        When a row is malformed: a bad code, a code of another kabupaten, or a ``path`` that
        is not a polygon; the message names the file, line and code.
    """
    data = read_inserts(path, "wilayah_boundaries", label=label)
    cols = data.columns
    if cols[:2] != ("kode", "nama") or "path" not in cols:
        raise GeographyError(f"{label}: unexpected columns {cols}")
    ip = cols.index("path")
    kodes: list[str] = []
    names: list[str] = []
    geojson: list[str] = []
    for row, line in zip(data.rows, data.lines, strict=True):
        kode, nama, path_ = row[0], row[1], row[ip]
        if (
            not isinstance(kode, str)
            or not _DESA_CODE.match(kode)
            or not kode.startswith(kab + ".")
        ):
            raise GeographyError(
                f"{label}, line {line}: malformed row: code {kode!r} is not a desa code of {kab}"
            )
        if not isinstance(nama, str) or not nama.strip():
            raise GeographyError(f"{label}, line {line}: malformed row {kode}: empty name")
        if not isinstance(path_, str) or not path_.startswith("[["):
            raise GeographyError(f"{label}, line {line}: malformed row {kode}: no polygon path")
        kind = "MultiPolygon" if path_.startswith("[[[[") else "Polygon"
        kodes.append(kode)
        names.append(nama)
        geojson.append(f'{{"type":"{kind}","coordinates":{path_}}}')
    del data
    geoms = shapely.from_geojson(geojson, on_invalid="ignore")
    bad = [i for i, g in enumerate(geoms) if g is None or g.is_empty]
    if bad:
        i = bad[0]
        raise GeographyError(
            f"{label}, line {_line_of_code(path, kodes[i])}: malformed row {kodes[i]}: the path "
            f"is not a list of [lat, lng] rings ({len(bad)} such rows)"
        )
    return kodes, names, shapely.transform(geoms, _to_lonlat)


def _line_of_code(path: Path, kode: str) -> int | str:
    for n, line in enumerate(Path(path).open(encoding="utf-8"), start=1):
        if f"'{kode}'" in line:
            return n
    return "?"


def parse_desa_files(items: list[tuple[str, str, str]]) -> tuple[list, list, np.ndarray]:
    """Parse desa files ``(kab, path, label)`` into codes, names and lon/lat polygons."""
    kodes: list[str] = []
    names: list[str] = []
    parts = []
    for kab, path, label in items:
        k, n, g = read_desa_file(Path(path), kab, label)
        kodes += k
        names += n
        parts.append(g)
    geoms = np.concatenate(parts) if parts else np.array([], dtype=object)
    return kodes, names, geoms


def read_codes(paths: dict[str, Path]) -> dict[str, dict[str, str]]:
    """Kemendagri 2025 codes → names of East Java from source 2, by level."""
    data = read_inserts(
        paths["wilayah"], "wilayah", label=sources.manifest()["wilayah"].path, prefix="35."
    )
    levels: dict[str, dict[str, str]] = {"kabupaten": {}, "kecamatan": {}, "desa": {}}
    for kode, nama in data.rows:
        if not isinstance(kode, str) or not kode.startswith("35."):
            continue
        level = {5: "kabupaten", 8: "kecamatan", 13: "desa"}.get(len(kode))
        if level:
            levels[level][kode] = nama
    return levels


def read_big_areas(paths: dict[str, Path]) -> dict[str, float]:
    """Kabupaten/kota (and province ``35``) areas in km² from BIG (source 2)."""
    data = read_inserts(paths["wilayah_luas"], label=sources.manifest()["wilayah_luas"].path)
    ik, il = data.columns.index("kode"), data.columns.index("luas")
    return {
        r[ik]: float(r[il])
        for r in data.rows
        if isinstance(r[ik], str) and r[ik].split(".")[0] == "35"
    }


def _dagri_code(raw: str) -> str:
    """Format a crosswalk Kemendagri code ``357809`` as ``35.78.09`` (same code, dotted)."""
    raw = str(raw).strip()
    return ".".join(raw[i : i + 2] for i in range(0, len(raw), 2))


def read_crosswalk(paths: dict[str, Path], codes: dict[str, dict[str, str]]):
    """BPS codes and names for each kecamatan and kabupaten, through source 3.

    Each pair is checked by name: the BPS name must equal the Kemendagri name (compared with
    :func:`regions.names.name_key`; a kabupaten/kota without its ``Kabupaten``/``Kota``
    prefix) or be one of :data:`KNOWN_BPS_NAME_DIFFERENCES`; any other difference means the
    table is misaligned and stops the build.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, list of str)
        Kecamatan ``kode, kode_bps, nama_bps``; kabupaten ``kode, kode_bps``; notes.
    """
    kec = _crosswalk_table(paths, "crosswalk_kecamatan")
    kab = _crosswalk_table(paths, "crosswalk_kabkota")
    kec, notes = _kecamatan_pairs(kec, codes["kecamatan"])
    _check_kabupaten_pairs(kab, codes["kabupaten"])
    for kode, bps_name in KNOWN_BPS_NAME_DIFFERENCES.items():
        notes.append(
            f"name difference kept: {kode} {codes['kecamatan'].get(kode)!r} = BPS {bps_name!r}"
        )
    return kec[["kode", "kode_bps", "nama_bps"]], kab[["kode", "kode_bps"]], notes


def _crosswalk_table(paths: dict[str, Path], fid: str) -> pd.DataFrame:
    """The East Java rows of one bridging table, with the dotted Kemendagri code ``kode``."""
    frame = pd.read_csv(paths[fid], dtype=str)
    missing = {"kode_bps", "nama_bps", "kode_dagri", "nama_dagri"} - set(frame.columns)
    if missing:
        raise GeographyError(f"{sources.manifest()[fid].path}: missing columns {sorted(missing)}")
    frame = frame[frame["kode_dagri"].str.startswith("35")].copy()
    frame["kode"] = frame["kode_dagri"].map(_dagri_code)
    return frame


def _kecamatan_pairs(kec: pd.DataFrame, known: dict[str, str]) -> tuple[pd.DataFrame, list]:
    """Check the kecamatan pairs (one-to-one, same names); returns those of Kemendagri 2025
    and notes on codes missing from either side."""
    notes: list[str] = []
    label = sources.manifest()["crosswalk_kecamatan"].path
    for col in ("kode", "kode_bps"):
        dup = kec[col].duplicated(keep=False)
        if dup.any():
            raise GeographyError(f"{label}: {col} not one-to-one: {sorted(kec.loc[dup, col])[:6]}")
    lacking = sorted(set(known) - set(kec["kode"]))
    if lacking:
        # Kecamatan created after the 2020 crosswalk would have no BPS code: kept, with none.
        notes.append(f"{len(lacking)} kecamatan have no BPS code in the crosswalk: {lacking}")
    extra = sorted(set(kec["kode"]) - set(known))
    if extra:
        notes.append(f"crosswalk kecamatan not in Kemendagri 2025 (ignored): {extra}")
        kec = kec[kec["kode"].isin(known)]
    for r in kec.itertuples():
        if name_key(r.nama_bps) == name_key(known[r.kode]):
            continue
        if KNOWN_BPS_NAME_DIFFERENCES.get(r.kode) == r.nama_bps:
            continue
        raise GeographyError(
            f"{label}: BPS {r.kode_bps} {r.nama_bps!r} is paired with Kemendagri {r.kode} "
            f"{known[r.kode]!r}; the names differ and the difference is not a known one. "
            "Check the crosswalk before trusting its codes."
        )
    return kec, notes


def _check_kabupaten_pairs(kab: pd.DataFrame, known: dict[str, str]) -> None:
    """Each kabupaten/kota pair names the same region, and all 38 are there."""
    label = sources.manifest()["crosswalk_kabkota"].path
    for r in kab.itertuples():
        name = known.get(r.kode)
        if name is None or name_key(r.nama_bps) != name_key(kabupaten_key(name)[1]):
            raise GeographyError(
                f"{label}: BPS {r.kode_bps} {r.nama_bps!r} is paired with Kemendagri "
                f"{r.kode} {name!r}; check the crosswalk before trusting its codes."
            )
    if set(kab["kode"]) != set(known):
        raise GeographyError(f"{label}: does not list the 38 kabupaten/kota of East Java")
