"""Build the East Java geography (desa → kecamatan → kabupaten/kota) from the sources.

Load (sources 1, 2, 3) → clean the desa coverage → dissolve → attributes → write.

1. The desa/kelurahan polygons of source 1 are read from the SQL ``INSERT`` rows as data (never
   executed); ``path`` holds ``[lat, lng]`` pairs, swapped to lon/lat.
2. Polygons are made valid, then one clean coverage is made with GEOS's coverage cleaner
   (overlaps go to the polygon with the longest shared border, vertices along shared edges
   become identical); the micro-gaps left between desa (holes of the union) are merged into the
   neighbour sharing the longest edge with them.
3. Desa are dissolved into kecamatan and kecamatan into kabupaten/kota with a coverage union,
   so neighbours share exact edges at every level.
4. Codes and names come from source 2 (Kemendagri 2025), BPS codes from the crosswalk of
   source 3 (never by digit arithmetic); areas are measured on an Albers equal-area projection
   centred on East Java; neighbours are queen contiguity (islands get none).
5. Display layers are simplified with a coverage-aware simplifier, exterior rings clockwise
   (Plotly ``geo``), coordinates rounded.

Everything is written to a temporary directory and swapped into ``settings.GEO_DIR`` only when
the whole build succeeded; ``build.json`` records the input checksums so that a rebuild with the
same inputs does nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

import settings
from pipeline import sources
from pipeline.errors import PipelineError
from pipeline.sqlrows import read_inserts

#: Albers equal-area conic fitted to East Java (standard parallels 8.4 °S and 6.6 °S).
EQUAL_AREA_CRS = (
    "+proj=aea +lat_1=-8.4 +lat_2=-6.6 +lat_0=-7.5 +lon_0=112.6 +datum=WGS84 +units=m +no_defs"
)

#: Kabupaten/kota codes of East Java (source 1 has one desa file per code).
KAB_CODES = tuple(f"35.{i:02d}" for i in range(1, 30)) + tuple(f"35.{i}" for i in range(71, 80))

#: Holes of the desa union smaller than this (km²) are gaps between desa and are merged into a
#: neighbour; larger holes would be kept as holes (there are none in the current source).
MAX_GAP_KM2 = 1.0

#: Work split for cleaning in two processes: kabupaten/kota west of about 112.45 °E (about half
#: of the vertices). Any split gives a clean coverage; a compact one keeps the seam short.
WEST_KABUPATEN = frozenset(
    "35.01 35.02 35.03 35.04 35.05 35.06 35.17 35.18 35.19 35.20 35.21 35.22 35.23 35.24 "
    "35.71 35.72 35.76 35.77".split()
)

#: Display layers: coverage simplification tolerance (degrees, about 150 m) and rounding.
DISPLAY_TOLERANCE = {"kecamatan": 0.0014, "kabupaten": 0.002}
DISPLAY_DECIMALS = 4

#: A kecamatan whose contiguity component has at most this many kecamatan lies on a small
#: island (Bawean, Kangean, Sepudi, Masalembu, ...), not on Java or Madura.
ISLAND_COMPONENT_MAX = 5

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

#: Bump when the build's logic changes in a way that changes its output.
BUILD_VERSION = 6

DESA_FILES = tuple(f"boundaries_kel_{k}" for k in KAB_CODES)
INPUT_IDS = DESA_FILES + ("wilayah", "wilayah_luas", "crosswalk_kecamatan", "crosswalk_kabkota")

OUTPUT_FILES = (
    "desa.parquet",
    "kecamatan.parquet",
    "kabupaten.parquet",
    "kecamatan_display.geojson",
    "kabupaten_display.geojson",
    "build.json",
)

_DESA_CODE = re.compile(r"^35\.\d\d\.\d\d\.[12]\d{3}$")


class GeographyError(PipelineError):
    """The geography cannot be built from the sources as they are."""


@dataclass
class GeographyResult:
    """What a geography build did."""

    skipped: bool
    seconds: float
    counts: dict
    notes: list


Progress = Callable[[str], None]


def _noop(_: str) -> None:
    pass


# ----------------------------------------------------------------------------------- inputs


def _norm(name: str) -> str:
    return re.sub(r"[^A-Z]", "", str(name).upper())


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


def _parse_part(items: list[tuple[str, str, str]]) -> tuple[list, list, np.ndarray]:
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


def _valid_and_clean(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """Make polygons valid (polygonal parts) and one clean coverage; also counts the invalid."""
    invalid = int((~shapely.is_valid(geoms)).sum())
    geoms = _polygonal(shapely.make_valid(geoms, method="structure", keep_collapsed=False))
    return shapely.coverage_clean(geoms), invalid


# The worker process parses its half first (so that a malformed row anywhere stops the build
# before the long cleaning starts), keeps the polygons here, then cleans them on request.
_WORKER_HALF: dict = {}


def _worker_parse(items):
    kodes, names, geoms = _parse_part(items)
    _WORKER_HALF["geoms"] = geoms
    return kodes, names


def _worker_clean():
    cleaned, invalid = _valid_and_clean(_WORKER_HALF.pop("geoms"))
    return shapely.to_wkb(cleaned), invalid


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def load_clean_desa(
    paths: dict[str, Path], progress: Progress = _noop
) -> tuple[pd.DataFrame, dict]:
    """Read the desa polygons of source 1 and make them one clean coverage (without gaps
    merged yet).

    With two or more cores the province is cleaned as two halves in two processes (west and
    east, a work split only); the desa along the seam between the halves are then cleaned
    together once more, and the edges around the seam are checked to form a valid coverage
    (else the whole province is cleaned in one piece).

    Returns
    -------
    (pandas.DataFrame, dict)
        ``kode, nama_src, geometry`` (lon/lat) in file order, and counts.
    """
    manifest = sources.manifest()
    items = [
        (kab, str(paths[f"boundaries_kel_{kab}"]), manifest[f"boundaries_kel_{kab}"].path)
        for kab in KAB_CODES
    ]
    west = [it for it in items if it[0] in WEST_KABUPATEN]
    east = [it for it in items if it[0] not in WEST_KABUPATEN]
    stats: dict = {}
    progress("reading desa polygons (SQL rows as data) and cleaning the coverage")
    if _workers() >= 2:
        import multiprocessing as mp

        # one worker process for the east half; leaving the block terminates it, also when
        # the west half fails
        with mp.get_context("fork").Pool(1) as pool:
            parsed = pool.apply_async(_worker_parse, (east,))
            kw, nw, gw = _parse_part(west)
            ke, ne = parsed.get()
            cleaning = pool.apply_async(_worker_clean)
            gw, iw = _valid_and_clean(gw)
            ge, ie = cleaning.get()
        ge = shapely.from_wkb(ge)
        kodes, names = kw + ke, nw + ne
        geoms = np.concatenate([gw, ge])
        stats["invalid_input"] = iw + ie
        progress("cleaning the seam between the two halves")
        wi, ei = shapely.STRtree(ge).query(gw, predicate="intersects")
        seam = np.r_[np.unique(wi), len(gw) + np.unique(ei)]
        stats["seam"] = int(len(seam))
        geoms[seam] = shapely.coverage_clean(geoms[seam])
        around = np.unique(shapely.STRtree(geoms).query(geoms[seam], predicate="intersects")[1])
        if not shapely.is_empty(shapely.coverage_invalid_edges(geoms[around])).all():
            progress("seam not clean: cleaning the whole coverage in one piece")
            geoms = shapely.coverage_clean(geoms)
            stats["seam_fallback"] = True
    else:
        kodes, names, geoms = _parse_part(west + east)
        geoms, stats["invalid_input"] = _valid_and_clean(geoms)
    frame = pd.DataFrame({"kode": kodes, "nama_src": names, "geometry": geoms})
    dup = frame["kode"].duplicated()
    if dup.any():
        raise GeographyError(f"source 1: desa code {frame.loc[dup, 'kode'].iloc[0]} occurs twice")
    return frame, stats


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

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, list of str)
        Kecamatan ``kode, kode_bps, nama_bps``; kabupaten ``kode, kode_bps``; notes.
    """
    notes: list[str] = []
    kec = pd.read_csv(paths["crosswalk_kecamatan"], dtype=str)
    kab = pd.read_csv(paths["crosswalk_kabkota"], dtype=str)
    for frame, fid in ((kec, "crosswalk_kecamatan"), (kab, "crosswalk_kabkota")):
        missing = {"kode_bps", "nama_bps", "kode_dagri", "nama_dagri"} - set(frame.columns)
        if missing:
            raise GeographyError(
                f"{sources.manifest()[fid].path}: missing columns {sorted(missing)}"
            )
    kec = kec[kec["kode_dagri"].str.startswith("35")].copy()
    kab = kab[kab["kode_dagri"].str.startswith("35")].copy()
    kec["kode"] = kec["kode_dagri"].map(_dagri_code)
    kab["kode"] = kab["kode_dagri"].map(_dagri_code)
    label = sources.manifest()["crosswalk_kecamatan"].path
    for col in ("kode", "kode_bps"):
        dup = kec[col].duplicated(keep=False)
        if dup.any():
            raise GeographyError(f"{label}: {col} not one-to-one: {sorted(kec.loc[dup, col])[:6]}")
    known = codes["kecamatan"]
    lacking = sorted(set(known) - set(kec["kode"]))
    if lacking:
        # Kecamatan created after the 2020 crosswalk would have no BPS code: kept, with none.
        notes.append(f"{len(lacking)} kecamatan have no BPS code in the crosswalk: {lacking}")
    extra = sorted(set(kec["kode"]) - set(known))
    if extra:
        notes.append(f"crosswalk kecamatan not in Kemendagri 2025 (ignored): {extra}")
        kec = kec[kec["kode"].isin(known)]
    for r in kec.itertuples():
        if _norm(r.nama_bps) == _norm(known[r.kode]):
            continue
        if KNOWN_BPS_NAME_DIFFERENCES.get(r.kode) == r.nama_bps:
            continue
        raise GeographyError(
            f"{label}: BPS {r.kode_bps} {r.nama_bps!r} is paired with Kemendagri {r.kode} "
            f"{known[r.kode]!r}; the names differ and the difference is not a known one. "
            "Check the crosswalk before trusting its codes."
        )
    kab_label = sources.manifest()["crosswalk_kabkota"].path
    for r in kab.itertuples():
        name = codes["kabupaten"].get(r.kode)
        if name is None or _norm(r.nama_bps) != _norm(re.sub(r"^(Kabupaten|Kota) ", "", name)):
            raise GeographyError(
                f"{kab_label}: BPS {r.kode_bps} {r.nama_bps!r} is paired with Kemendagri "
                f"{r.kode} {name!r}; check the crosswalk before trusting its codes."
            )
    if set(kab["kode"]) != set(codes["kabupaten"]):
        raise GeographyError(f"{kab_label}: does not list the 38 kabupaten/kota of East Java")
    for kode, bps_name in KNOWN_BPS_NAME_DIFFERENCES.items():
        notes.append(f"name difference kept: {kode} {known.get(kode)!r} = BPS {bps_name!r}")
    return kec[["kode", "kode_bps", "nama_bps"]], kab[["kode", "kode_bps"]], notes


# ---------------------------------------------------------------------------------- geometry


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygonal parts of each geometry (after make_valid)."""
    types = shapely.get_type_id(geoms)
    odd = np.flatnonzero(~np.isin(types, (3, 6)))
    if len(odd) == 0:
        return geoms
    geoms = geoms.copy()
    for i in odd:  # only the few geometry collections that make_valid returned
        parts = shapely.get_parts(geoms[i])
        polys = [p for p in shapely.get_parts(parts) if p.geom_type == "Polygon"]
        geoms[i] = shapely.MultiPolygon(polys) if len(polys) != 1 else polys[0]
    return geoms


def _equal_area(geoms: np.ndarray) -> np.ndarray:
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)

    def fwd(c: np.ndarray) -> np.ndarray:
        x, y = tr.transform(c[:, 0], c[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, fwd)


def area_km2(geoms) -> np.ndarray:
    """Area in km² of lon/lat geometries on the East Java Albers equal-area projection."""
    return shapely.area(_equal_area(np.asarray(geoms, dtype=object))) / 1e6


def _holes(union) -> np.ndarray:
    parts = shapely.get_parts(union)
    n = shapely.get_num_interior_rings(parts)
    owner = np.repeat(np.arange(len(parts)), n)
    index = np.concatenate([np.arange(k) for k in n]) if len(n) else np.array([], int)
    rings = shapely.get_interior_ring(parts[owner], index)
    return shapely.polygons(rings)


def _segments(geoms: np.ndarray) -> pd.DataFrame:
    """All ring segments of ``geoms``: endpoints in canonical order, owner index, length."""
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, coord_of = shapely.get_coordinates(rings, return_index=True)
    owner = part_of[ring_of[coord_of]]
    same = coord_of[1:] == coord_of[:-1]
    a, b, owner = coords[:-1][same], coords[1:][same], owner[:-1][same]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo = np.where(swap[:, None], b, a)
    hi = np.where(swap[:, None], a, b)
    return pd.DataFrame(
        {
            "x1": lo[:, 0],
            "y1": lo[:, 1],
            "x2": hi[:, 0],
            "y2": hi[:, 1],
            "owner": owner,
            "length": np.hypot(hi[:, 0] - lo[:, 0], hi[:, 1] - lo[:, 1]),
        }
    )


def _longest_shared_edge(gaps: np.ndarray, polys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each gap, the polygon sharing the longest edge with it.

    The gaps are holes of the coverage union, so their vertices are the polygons' own
    vertices: shared edges are found by matching identical segments (no geometric predicate).
    Returns ``(gap_index, polygon_index)`` for the gaps that share an edge.
    """
    seg = _segments(gaps).merge(
        _segments(polys), on=["x1", "y1", "x2", "y2"], suffixes=("_gap", "_poly")
    )
    shared = seg.groupby(["owner_gap", "owner_poly"], sort=False)["length_gap"].sum().reset_index()
    shared = shared.sort_values(
        ["owner_gap", "length_gap", "owner_poly"], ascending=[True, False, True]
    )
    best = shared.drop_duplicates("owner_gap")
    return best["owner_gap"].to_numpy(), best["owner_poly"].to_numpy()


def merge_gaps(cleaned: np.ndarray, progress: Progress = _noop) -> tuple[np.ndarray, dict]:
    """Merge the micro-gaps of a clean coverage into the neighbour sharing the longest edge.

    Parameters
    ----------
    cleaned : numpy.ndarray of shapely geometries
        A clean coverage (no overlaps, matched edges) in lon/lat.

    Returns
    -------
    (numpy.ndarray, dict)
        The polygons with their gaps merged (same order) and counts of what was done.
    """
    stats: dict = {}
    progress("merging gaps between desa into a neighbour")
    union = shapely.coverage_union_all(cleaned)
    holes = _holes(union)
    hole_area = area_km2(holes)
    gaps = holes[hole_area < MAX_GAP_KM2]
    stats["gaps"] = int(len(gaps))
    stats["gaps_km2"] = float(hole_area[hole_area < MAX_GAP_KM2].sum())
    stats["holes_kept"] = int((hole_area >= MAX_GAP_KM2).sum())
    if len(gaps):
        # Where the cleaner left an unmatched edge, a hole of the union can cover a sliver of
        # a polygon: cut that sliver out of the gap so that merging it creates no overlap.
        poly_i, gap_i = shapely.STRtree(gaps).query(cleaned, predicate="overlaps")
        stats["gaps_trimmed"] = int(len(np.unique(gap_i)))
        for d, g in zip(poly_i, gap_i, strict=True):
            gaps[g] = shapely.difference(gaps[g], cleaned[d])
        gaps = gaps[~shapely.is_empty(gaps)]
        gi, di = _longest_shared_edge(gaps, cleaned)
        stats["gaps_unassigned"] = int(len(gaps) - len(gi))
        # one row per receiving desa: [desa, gap, gap, ..., None, ...], unioned row-wise in C
        order = np.argsort(di, kind="stable")
        gi, di = gi[order], di[order]
        receivers, start, count = np.unique(di, return_index=True, return_counts=True)
        table = np.full((len(receivers), count.max() + 1), None, dtype=object)
        table[:, 0] = cleaned[receivers]
        row = np.repeat(np.arange(len(receivers)), count)
        table[row, np.arange(len(di)) - np.repeat(start, count) + 1] = gaps[gi]
        out = cleaned.copy()
        out[receivers] = shapely.coverage_union_all(table, axis=1)
        cleaned = out
    return cleaned, stats


def dissolve(geoms: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coverage-union ``geoms`` by ``keys``; returns ``(sorted unique keys, geometries)``.

    The groups are laid out as the rows of a table padded with ``None`` and unioned row by row
    in one call.
    """
    order = np.argsort(keys, kind="stable")
    k, g = keys[order], geoms[order]
    uniq, start, count = np.unique(k, return_index=True, return_counts=True)
    table = np.full((len(uniq), count.max()), None, dtype=object)
    table[np.repeat(np.arange(len(uniq)), count), np.arange(len(k)) - np.repeat(start, count)] = g
    return uniq, shapely.coverage_union_all(table, axis=1)


def queen_neighbours(codes: np.ndarray, geoms: np.ndarray) -> list[list[str]]:
    """Queen-contiguity neighbours (sharing at least one boundary point) of each polygon.

    The polygons form a clean coverage (neighbours share exact edges), so two polygons are
    queen neighbours exactly when they intersect.
    """
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    out: list[list[str]] = [[] for _ in codes]
    for i, j in zip(left, right, strict=True):
        out[i].append(codes[j])
    return [sorted(n) for n in out]


def _components(codes: list[str], neighbours: list[list[str]]) -> np.ndarray:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    pos = {c: i for i, c in enumerate(codes)}
    rows = [pos[c] for c, ns in zip(codes, neighbours, strict=True) for _ in ns]
    cols = [pos[n] for ns in neighbours for n in ns]
    m = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(codes), len(codes)))
    _, labels = connected_components(m, directed=False)
    sizes = np.bincount(labels)
    return sizes[labels]


def representative_points(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each polygon (lon, lat)."""
    pts = shapely.point_on_surface(geoms)
    return shapely.get_x(pts), shapely.get_y(pts)


def display_geometries(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Coverage-simplified, rounded, clockwise-exterior polygons for Plotly ``geo``."""
    simple = shapely.coverage_simplify(geoms, tolerance)
    # snap-rounding to the grid keeps every polygon valid (plain rounding could not)
    rounded = shapely.set_precision(simple, 10.0**-DISPLAY_DECIMALS)
    # the grid points as the nearest doubles to their decimal form (short JSON numbers)
    rounded = shapely.transform(rounded, lambda c: np.round(c, DISPLAY_DECIMALS))
    return shapely.orient_polygons(rounded, exterior_cw=True)


def write_display(path: Path, codes, names, kab_names, geoms) -> None:
    """Write a display layer as compact GeoJSON (feature ``id`` = ``kode``)."""
    from shapely.geometry import mapping

    # json writes the shortest repr of each (already rounded) float: 112.7512, not 112.75120000001
    texts = [json.dumps(mapping(g), separators=(",", ":")) for g in geoms]
    feats = []
    for kode, nama, kab, gj in zip(codes, names, kab_names, texts, strict=True):
        props = json.dumps(
            {"kode": kode, "nama": nama, "kab_nama": kab}, ensure_ascii=False, separators=(",", ":")
        )
        feats.append(
            f'{{"type":"Feature","id":{json.dumps(kode)},"properties":{props},"geometry":{gj}}}'
        )
    path.write_text(
        '{"type":"FeatureCollection","features":[\n' + ",\n".join(feats) + "\n]}\n",
        encoding="utf-8",
    )


# ------------------------------------------------------------------------------------- build


def _fingerprint() -> dict:
    files = sources.manifest()
    code = hashlib.sha256()
    for module in ("geography.py", "sqlrows.py"):
        code.update((Path(__file__).parent / module).read_bytes())
    return {
        "build_version": BUILD_VERSION,
        "code_sha256": code.hexdigest(),
        "inputs": {fid: files[fid].sha256 for fid in INPUT_IDS},
    }


def is_current(geo_dir: Path | None = None) -> bool:
    """True when ``geo_dir`` holds a complete build made from the current inputs and code."""
    geo_dir = Path(geo_dir or settings.GEO_DIR)
    try:
        stamp = json.loads((geo_dir / "build.json").read_text())
    except (OSError, ValueError):
        return False
    if any(not (geo_dir / f).is_file() for f in OUTPUT_FILES):
        return False
    return stamp.get("fingerprint") == _fingerprint()


def build(
    *, force: bool = False, geo_dir: Path | None = None, progress: Progress = _noop
) -> GeographyResult:
    """Build the geography layers into ``geo_dir`` (``settings.GEO_DIR``).

    Parameters
    ----------
    force : bool
        Rebuild even when the inputs are unchanged.
    geo_dir : Path, optional
        Output directory; replaced as a whole only when the build succeeded.
    progress : callable, optional
        Called with a short description of each stage.

    Returns
    -------
    GeographyResult

    Raises
    ------
    PipelineError
        A source is missing, corrupted or malformed (the last good build stays in place).
    """
    t0 = time.perf_counter()
    geo_dir = Path(geo_dir or settings.GEO_DIR)
    with _exclusive(geo_dir, progress):
        progress("acquiring sources")
        paths = {fid: sources.fetch(fid) for fid in INPUT_IDS}
        if not force and is_current(geo_dir):
            stamp = json.loads((geo_dir / "build.json").read_text())
            return GeographyResult(True, time.perf_counter() - t0, stamp.get("counts", {}), [])
        return _build(paths, geo_dir, progress, t0)


@contextlib.contextmanager
def _exclusive(geo_dir: Path, progress: Progress):
    """One geography build at a time per output directory (others wait, then usually find
    the build current)."""
    geo_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(geo_dir.parent / f".{geo_dir.name}.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress("waiting for another geography build to finish")
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build(paths: dict[str, Path], geo_dir: Path, progress: Progress, t0: float):
    desa, stats = load_clean_desa(paths, progress)
    progress("reading codes, names, areas and the BPS crosswalk")
    codes = read_codes(paths)
    big = read_big_areas(paths)
    kec_cw, kab_cw, notes = read_crosswalk(paths, codes)

    missing = sorted(set(codes["desa"]) - set(desa["kode"]))
    unknown = sorted(set(desa["kode"]) - set(codes["desa"]))
    if missing or unknown:
        raise GeographyError(
            f"source 1 and source 2 disagree on desa codes: {len(missing)} without polygon "
            f"({missing[:5]}), {len(unknown)} unknown to Kemendagri 2025 ({unknown[:5]})"
        )

    cleaned, gap_stats = merge_gaps(desa["geometry"].to_numpy(), progress)
    stats.update(gap_stats)
    desa["geometry"] = cleaned
    desa["nama"] = desa["kode"].map(codes["desa"])
    desa["kec_kode"] = desa["kode"].str[:8]
    desa["kab_kode"] = desa["kode"].str[:5]
    desa["jenis"] = np.where(desa["kode"].str[9] == "1", "kelurahan", "desa")
    progress("measuring areas (Albers equal-area)")
    desa["area_km2"] = area_km2(cleaned)

    progress("dissolving desa → kecamatan → kabupaten/kota")
    kec_codes, kec_geoms = dissolve(cleaned, desa["kec_kode"].to_numpy())
    kab_codes, kab_geoms = dissolve(kec_geoms, np.array([c[:5] for c in kec_codes]))
    if len(kec_codes) != len(codes["kecamatan"]) or set(kec_codes) != set(codes["kecamatan"]):
        raise GeographyError(
            "the desa of source 1 do not make up the kecamatan of source 2: "
            f"{sorted(set(codes['kecamatan']) ^ set(kec_codes))[:6]}"
        )

    counts_desa = desa.groupby("kec_kode")["jenis"].value_counts().unstack(fill_value=0)
    kec = pd.DataFrame({"kode": kec_codes})
    kec["nama"] = kec["kode"].map(codes["kecamatan"])
    kec = kec.merge(kec_cw, on="kode", how="left")
    kec["kab_kode"] = kec["kode"].str[:5]
    kec["kab_nama"] = kec["kab_kode"].map(codes["kabupaten"])
    kec["n_desa"] = kec["kode"].map(counts_desa.get("desa", 0)).fillna(0).astype(int)
    kec["n_kelurahan"] = kec["kode"].map(counts_desa.get("kelurahan", 0)).fillna(0).astype(int)
    kec["area_km2"] = area_km2(kec_geoms)
    kec["rep_lon"], kec["rep_lat"] = representative_points(kec_geoms)
    progress("queen contiguity")
    kec["neighbours"] = queen_neighbours(kec_codes, kec_geoms)
    kec["is_island"] = _components(list(kec_codes), list(kec["neighbours"])) <= ISLAND_COMPONENT_MAX
    kec = kec[
        [
            "kode",
            "nama",
            "kode_bps",
            "nama_bps",
            "kab_kode",
            "kab_nama",
            "n_desa",
            "n_kelurahan",
            "area_km2",
            "rep_lon",
            "rep_lat",
            "neighbours",
            "is_island",
        ]
    ]

    kab = pd.DataFrame({"kode": kab_codes})
    kab["nama"] = kab["kode"].map(codes["kabupaten"])
    kab = kab.merge(kab_cw, on="kode", how="left")
    kab["jenis"] = np.where(kab["nama"].str.startswith("Kota "), "kota", "kabupaten")
    kab["n_kecamatan"] = kab["kode"].map(kec.groupby("kab_kode").size()).astype(int)
    kab["n_desa"] = kab["kode"].map(kec.groupby("kab_kode")["n_desa"].sum()).astype(int)
    kab["n_kelurahan"] = kab["kode"].map(kec.groupby("kab_kode")["n_kelurahan"].sum()).astype(int)
    kab["area_km2"] = area_km2(kab_geoms)
    kab["area_big_km2"] = kab["kode"].map(big)
    kab["rep_lon"], kab["rep_lat"] = representative_points(kab_geoms)
    kab["neighbours"] = queen_neighbours(kab_codes, kab_geoms)

    progress("display layers (coverage simplification)")
    kec_display = display_geometries(kec_geoms, DISPLAY_TOLERANCE["kecamatan"])
    kab_display = display_geometries(kab_geoms, DISPLAY_TOLERANCE["kabupaten"])

    progress("writing layers")
    counts = {
        "kabupaten": int(len(kab)),
        "kota": int((kab["jenis"] == "kota").sum()),
        "kecamatan": int(len(kec)),
        "desa": int((desa["jenis"] == "desa").sum()),
        "kelurahan": int((desa["jenis"] == "kelurahan").sum()),
        "area_km2": float(kab["area_km2"].sum()),
        **stats,
    }
    _write_all(
        geo_dir,
        desa=desa[["kode", "nama", "kec_kode", "kab_kode", "jenis", "area_km2", "geometry"]],
        kec=kec,
        kec_geoms=kec_geoms,
        kab=kab,
        kab_geoms=kab_geoms,
        kec_display=kec_display,
        kab_display=kab_display,
        stamp={"fingerprint": _fingerprint(), "counts": counts, "notes": notes},
    )
    return GeographyResult(False, time.perf_counter() - t0, counts, notes)


def _write_all(
    geo_dir: Path, *, desa, kec, kec_geoms, kab, kab_geoms, kec_display, kab_display, stamp
):
    import geopandas as gpd

    geo_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=geo_dir.parent, prefix=f".{geo_dir.name}.tmp-"))
    tmp.chmod(0o755)  # mkdtemp makes it private; the layers are served to the dashboard
    try:
        gpd.GeoDataFrame(desa, geometry="geometry", crs="EPSG:4326").to_parquet(
            tmp / "desa.parquet", index=False
        )
        gpd.GeoDataFrame(kec, geometry=list(kec_geoms), crs="EPSG:4326").to_parquet(
            tmp / "kecamatan.parquet", index=False
        )
        gpd.GeoDataFrame(kab, geometry=list(kab_geoms), crs="EPSG:4326").to_parquet(
            tmp / "kabupaten.parquet", index=False
        )
        write_display(
            tmp / "kecamatan_display.geojson",
            kec["kode"],
            kec["nama"],
            kec["kab_nama"],
            kec_display,
        )
        write_display(
            tmp / "kabupaten_display.geojson", kab["kode"], kab["nama"], kab["nama"], kab_display
        )
        (tmp / "build.json").write_text(json.dumps(stamp, indent=1, ensure_ascii=False))
        _swap(tmp, geo_dir)
    except OSError as exc:
        raise GeographyError(
            f"cannot write the geography layers to {geo_dir}: {exc} (the last good build, if "
            "any, is left in place)"
        ) from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Replace directory ``target`` by ``new`` (two renames; the old build survives a failure)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
