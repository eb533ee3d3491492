"""Geometry of the geography build: one clean desa coverage, dissolved, measured, simplified.

- :func:`load_clean_desa` parses the desa polygons of source 1 (:mod:`pipeline.geo_inputs`)
  and makes them one clean coverage with GEOS's coverage cleaner (overlaps go to the polygon
  with the longest shared border, vertices along shared edges become identical), in two
  processes when there are two cores.
- :func:`merge_gaps` merges the micro-gaps left between desa (holes of the union) into the
  neighbour sharing the longest edge with them.
- :func:`dissolve` unions desa into kecamatan and kecamatan into kabupaten/kota as coverages,
  so neighbours share exact edges at every level.
- :func:`area_km2` measures on an Albers equal-area projection centred on East Java;
  :func:`queen_neighbours` finds contiguity (islands get none); :func:`display_geometries`
  simplifies for display (coverage-aware, exterior rings clockwise for Plotly ``geo``).
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from pipeline import sources
from pipeline.errors import GeographyError
from pipeline.geo_inputs import KAB_CODES, parse_desa_files

#: Albers equal-area conic fitted to East Java (standard parallels 8.4 °S and 6.6 °S).
EQUAL_AREA_CRS = (
    "+proj=aea +lat_1=-8.4 +lat_2=-6.6 +lat_0=-7.5 +lon_0=112.6 +datum=WGS84 +units=m +no_defs"
)

#: Holes of the desa union smaller than this (km²) are gaps between desa and are merged into a
#: neighbour; larger holes would be kept as holes (there are none in the current source).
MAX_GAP_KM2 = 1.0

#: Work split for cleaning in two processes: kabupaten/kota west of about 112.45 °E (about half
#: of the vertices). Any split gives a clean coverage; a compact one keeps the seam short.
WEST_KABUPATEN = frozenset(
    "35.01 35.02 35.03 35.04 35.05 35.06 35.17 35.18 35.19 35.20 35.21 35.22 35.23 35.24 "
    "35.71 35.72 35.76 35.77".split()
)

#: Display layers: rounding of the coordinates (decimal places, about 11 m).
DISPLAY_DECIMALS = 4

#: Reports a stage of the build (a short description) to the progress display.
Progress = Callable[[str], None]


def no_progress(_: str) -> None:
    """The default ``progress``: report nothing."""


def _valid_and_clean(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """Make polygons valid (polygonal parts) and one clean coverage; also counts the invalid."""
    invalid = int((~shapely.is_valid(geoms)).sum())
    geoms = _polygonal(shapely.make_valid(geoms, method="structure", keep_collapsed=False))
    return shapely.coverage_clean(geoms), invalid


# The worker process parses its half first (so that a malformed row anywhere stops the build
# before the long cleaning starts), keeps the polygons here, then cleans them on request.
_WORKER_HALF: dict = {}


def _worker_parse(items):
    kodes, names, geoms = parse_desa_files(items)
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
    paths: dict[str, Path], progress: Progress = no_progress
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
        # one worker process for the east half; leaving the block terminates it, also when
        # the west half fails
        with mp.get_context("fork").Pool(1) as pool:
            parsed = pool.apply_async(_worker_parse, (east,))
            kw, nw, gw = parse_desa_files(west)
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
        kodes, names, geoms = parse_desa_files(west + east)
        geoms, stats["invalid_input"] = _valid_and_clean(geoms)
    frame = pd.DataFrame({"kode": kodes, "nama_src": names, "geometry": geoms})
    dup = frame["kode"].duplicated()
    if dup.any():
        raise GeographyError(f"source 1: desa code {frame.loc[dup, 'kode'].iloc[0]} occurs twice")
    return frame, stats


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


def merge_gaps(cleaned: np.ndarray, progress: Progress = no_progress) -> tuple[np.ndarray, dict]:
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


def component_sizes(codes: list[str], neighbours: list[list[str]]) -> np.ndarray:
    """For each code, the number of codes in its contiguity component.

    Examples
    --------
    >>> component_sizes(["a", "b", "c"], [["b"], ["a"], []]).tolist()
    [2, 2, 1]
    """
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
