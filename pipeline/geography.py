"""Build the East Java geography (desa → kecamatan → kabupaten/kota) from the sources.

Load (sources 1, 2, 3) → clean the desa coverage → dissolve → attributes → write. The inputs
are read by :mod:`pipeline.geo_inputs`, the geometry is made by :mod:`pipeline.coverage`; this
module runs the step and writes the layers.

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
   (Plotly ``geo``), coordinates rounded; kecamatan and kabupaten/kota also get a coarser
   overview layer for maps of the whole province.

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
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

import settings
from pipeline import sources
from pipeline.coverage import (
    Progress,
    area_km2,
    component_sizes,
    display_geometries,
    dissolve,
    load_clean_desa,
    merge_gaps,
    no_progress,
    queen_neighbours,
    representative_points,
)
from pipeline.errors import GeographyError
from pipeline.geo_inputs import INPUT_IDS, read_big_areas, read_codes, read_crosswalk

__all__ = ["BUILD_VERSION", "GeographyError", "GeographyResult", "INPUT_IDS", "build", "is_current"]

#: Display layers: coverage simplification tolerance (degrees, about 150 m).
DISPLAY_TOLERANCE = {"desa": 0.001, "kecamatan": 0.0014, "kabupaten": 0.002}

#: Overview layers: the same regions simplified for a map of the whole province, where one
#: pixel is ~0.006° (~700 m); the map switches to the display layer once zoomed in
#: (``ui.mapview.DETAIL_ZOOM``). Half the vertices: less to fetch, parse and re-project.
OVERVIEW_TOLERANCE = {"kecamatan": 0.003, "kabupaten": 0.004}

#: The desa display layer: one file per kabupaten/kota (``desa_display/35.01.geojson``) for a
#: fast one-kabupaten map, and the whole province in one file.
DESA_DISPLAY_DIR = "desa_display"

#: A kecamatan whose contiguity component has at most this many kecamatan lies on a small
#: island (Bawean, Kangean, Sepudi, Masalembu, ...), not on Java or Madura.
ISLAND_COMPONENT_MAX = 5

#: Bump when the build's logic changes in a way that changes its output.
BUILD_VERSION = 8

OUTPUT_FILES = (
    "desa.parquet",
    "kecamatan.parquet",
    "kabupaten.parquet",
    "kecamatan_display.geojson",
    "kabupaten_display.geojson",
    "kecamatan_overview.geojson",
    "kabupaten_overview.geojson",
    "desa_display.geojson",
    "build.json",
)

#: Columns of the written layers (without geometry for kecamatan and kabupaten).
DESA_COLUMNS = [
    "kode",
    "nama",
    "kec_kode",
    "kab_kode",
    "jenis",
    "area_km2",
    "rep_lon",
    "rep_lat",
    "geometry",
]
KECAMATAN_COLUMNS = [
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

#: The code the build depends on (a change rebuilds), relative to the project root.
CODE_FILES = (
    "pipeline/geography.py",
    "pipeline/geo_inputs.py",
    "pipeline/coverage.py",
    "pipeline/sqlrows.py",
    "regions/names.py",
)


@dataclass
class GeographyResult:
    """What a geography build did."""

    skipped: bool
    seconds: float
    counts: dict
    notes: list


def _fingerprint() -> dict:
    files = sources.manifest()
    code = hashlib.sha256()
    for module in CODE_FILES:
        code.update((settings.ROOT / module).read_bytes())
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
    *, force: bool = False, geo_dir: Path | None = None, progress: Progress = no_progress
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
    """Load → transform → write (see the module's description)."""
    desa, stats = load_clean_desa(paths, progress)
    progress("reading codes, names, areas and the BPS crosswalk")
    codes = read_codes(paths)
    big = read_big_areas(paths)
    kec_cw, kab_cw, notes = read_crosswalk(paths, codes)

    desa, cleaned = _desa_layer(desa, codes, stats, progress)
    progress("dissolving desa → kecamatan → kabupaten/kota")
    kec_codes, kec_geoms = dissolve(cleaned, desa["kec_kode"].to_numpy())
    kab_codes, kab_geoms = dissolve(kec_geoms, np.array([c[:5] for c in kec_codes]))
    if len(kec_codes) != len(codes["kecamatan"]) or set(kec_codes) != set(codes["kecamatan"]):
        raise GeographyError(
            "the desa of source 1 do not make up the kecamatan of source 2: "
            f"{sorted(set(codes['kecamatan']) ^ set(kec_codes))[:6]}"
        )
    kec = _kecamatan_layer(desa, codes, kec_cw, kec_codes, kec_geoms, progress)
    kab = _kabupaten_layer(kec, codes, kab_cw, big, kab_codes, kab_geoms)
    progress("display layers (coverage simplification)")
    kec_display = display_geometries(kec_geoms, DISPLAY_TOLERANCE["kecamatan"])
    kab_display = display_geometries(kab_geoms, DISPLAY_TOLERANCE["kabupaten"])
    overview = {
        "kecamatan": display_geometries(kec_geoms, OVERVIEW_TOLERANCE["kecamatan"]),
        "kabupaten": display_geometries(kab_geoms, OVERVIEW_TOLERANCE["kabupaten"]),
    }
    desa_display = _desa_display(cleaned)

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
        desa=desa[DESA_COLUMNS],
        kec=kec,
        kec_geoms=kec_geoms,
        kab=kab,
        kab_geoms=kab_geoms,
        kec_display=kec_display,
        kab_display=kab_display,
        overview=overview,
        desa_display=desa_display,
        stamp={"fingerprint": _fingerprint(), "counts": counts, "notes": notes},
    )
    return GeographyResult(False, time.perf_counter() - t0, counts, notes)


def _desa_layer(
    desa: pd.DataFrame, codes: dict, stats: dict, progress: Progress
) -> tuple[pd.DataFrame, np.ndarray]:
    """The desa with their gaps merged, Kemendagri names, parents, ``jenis`` and area; also
    the merged polygons as an array. ``stats`` receives the counts of the gap merging."""
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
    desa["rep_lon"], desa["rep_lat"] = representative_points(cleaned)
    return desa, cleaned


def _desa_display(cleaned: np.ndarray) -> np.ndarray:
    """Simplified desa polygons. A desa too small to survive the rounding to 4 decimals (one
    of 0.0007 km² in Pacitan) is drawn as a 0.0002° square (about 22 m) on its point, so that
    every desa can be drawn and found."""
    simple = display_geometries(cleaned, DISPLAY_TOLERANCE["desa"])
    empty = np.flatnonzero(shapely.is_empty(simple))
    if len(empty):
        x, y = representative_points(cleaned[empty])
        x, y = np.round(x, 4), np.round(y, 4)
        boxes = shapely.box(x - 1e-4, y - 1e-4, x + 1e-4, y + 1e-4, ccw=False)
        simple[empty] = shapely.transform(boxes, lambda c: np.round(c, 4))
    return simple


def _kecamatan_layer(desa, codes, kec_cw, kec_codes, kec_geoms, progress) -> pd.DataFrame:
    """The kecamatan attributes: names, BPS code, parent, counts, area, point, neighbours."""
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
    kec["is_island"] = (
        component_sizes(list(kec_codes), list(kec["neighbours"])) <= ISLAND_COMPONENT_MAX
    )
    return kec[KECAMATAN_COLUMNS]


def _kabupaten_layer(kec, codes, kab_cw, big, kab_codes, kab_geoms) -> pd.DataFrame:
    """The kabupaten/kota attributes: names, BPS code, ``jenis``, counts, areas (computed and
    BIG's), point, neighbours."""
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
    return kab


def write_display(path: Path, codes, names, kab_names, geoms, parent: str = "kab_nama") -> None:
    """Write a display layer as compact GeoJSON (feature ``id`` = ``kode``; properties
    ``kode``, ``nama`` and ``parent``, the name of the region it belongs to)."""
    # json writes the shortest repr of each (already rounded) float: 112.7512, not 112.75120000001
    texts = [json.dumps(mapping(g), separators=(",", ":")) for g in geoms]
    feats = []
    for kode, nama, kab, gj in zip(codes, names, kab_names, texts, strict=True):
        props = json.dumps(
            {"kode": kode, "nama": nama, parent: kab}, ensure_ascii=False, separators=(",", ":")
        )
        feats.append(
            f'{{"type":"Feature","id":{json.dumps(kode)},"properties":{props},"geometry":{gj}}}'
        )
    path.write_text(
        '{"type":"FeatureCollection","features":[\n' + ",\n".join(feats) + "\n]}\n",
        encoding="utf-8",
    )


def _write_all(
    geo_dir: Path,
    *,
    desa,
    kec,
    kec_geoms,
    kab,
    kab_geoms,
    kec_display,
    kab_display,
    overview,
    desa_display,
    stamp,
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
        write_display(
            tmp / "kecamatan_overview.geojson",
            kec["kode"],
            kec["nama"],
            kec["kab_nama"],
            overview["kecamatan"],
        )
        write_display(
            tmp / "kabupaten_overview.geojson",
            kab["kode"],
            kab["nama"],
            kab["nama"],
            overview["kabupaten"],
        )
        _write_desa_display(tmp, desa, kec, desa_display)
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


def _write_desa_display(tmp: Path, desa: pd.DataFrame, kec: pd.DataFrame, geoms) -> None:
    """``desa_display.geojson`` (the province) and ``desa_display/<kab>.geojson``; the parent
    property is the kecamatan's name (``kec_nama``)."""
    kec_names = desa["kec_kode"].map(kec.set_index("kode")["nama"]).to_numpy()
    codes, names = desa["kode"].to_numpy(), desa["nama"].to_numpy()
    write_display(tmp / "desa_display.geojson", codes, names, kec_names, geoms, "kec_nama")
    (tmp / DESA_DISPLAY_DIR).mkdir()
    kab = desa["kab_kode"].to_numpy()
    for code in sorted(set(kab)):
        m = kab == code
        write_display(
            tmp / DESA_DISPLAY_DIR / f"{code}.geojson",
            codes[m],
            names[m],
            kec_names[m],
            geoms[m],
            "kec_nama",
        )


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
