"""Build step ``realdata``: IDM 2024 per desa, school and puskesmas access, desa population.

Load (sources 10, 11, 12 and 4, with the geography built from sources 1-3) → transform
(:mod:`pipeline.idm`, :mod:`pipeline.facilities`, :mod:`pipeline.desa`) → write
``data/build/realdata/`` (``values.parquet``: long rows of three datasets; ``desa_penduduk.parquet``
read by :func:`regions.desa`; ``facilities.parquet``: every school and puskesmas with where it
was placed; ``build.json``: fingerprint and counts) and the build report
``data/build/reports/realdata.md`` with its lists (:mod:`pipeline.realreport`).

Datasets (committed by the ``store`` step)
------------------------------------------
``idm_desa_2024``
    IDM, IKS, IKE, IKL per desa and their means per kecamatan, kabupaten/kota and province;
    status per desa; shares and counts of desa by status. Kelurahan have no value (not
    applicable: catalogue ``applies_to = "desa"``).
``akses_layanan_2019``
    Distances from each desa to the nearest SD, SMP, SMA/SMK and puskesmas; counts, counts per
    10,000 people (SP2010) and the share of desa within reach, per kecamatan, kabupaten/kota
    and province.
``desa_wilayah``
    SP2010 population of the desa matched by name, and the desa areas computed from the
    boundaries.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import regions
import settings
from pipeline import desa as desa_pop
from pipeline import facilities, idm, indicators, readers, realreport, realrows, sources
from pipeline.errors import PipelineError
from pipeline.wilayah import Wilayah

SCHOOL_IDS = tuple(f"schools_05{k:02d}00" for k in (*range(1, 30), *range(60, 69)))
INPUT_IDS = ("idm_2024_35", *SCHOOL_IDS, "faskes_2019", "census2010_villages")
BUILD_VERSION = 1
_HERE = Path(__file__).resolve().parent
CODE_FILES = tuple(
    _HERE / f
    for f in ("realdata.py", "realrows.py", "realreport.py", "idm.py", "facilities.py", "desa.py")
) + (_HERE / "indicators.py", _HERE / "readers.py", settings.ROOT / "regions" / "names.py")
OUTPUT_FILES = ("values.parquet", "desa_penduduk.parquet", "facilities.parquet", "build.json")


def out_dir() -> Path:
    """Where the step writes (``settings.BUILD_DIR / "realdata"``)."""
    return Path(settings.BUILD_DIR) / "realdata"


def report_dir() -> Path:
    """Where the build reports go (``settings.BUILD_DIR / "reports"``)."""
    return Path(settings.BUILD_DIR) / "reports"


def fingerprint() -> dict:
    """What the step depends on: source checksums, the geography build, this code."""
    files = sources.manifest()
    code = hashlib.sha256()
    for path in CODE_FILES:
        code.update(path.read_bytes())
    geo_stamp = settings.GEO_DIR / "build.json"
    geo = hashlib.sha256(geo_stamp.read_bytes()).hexdigest() if geo_stamp.is_file() else None
    return {
        "build_version": BUILD_VERSION,
        "code_sha256": code.hexdigest(),
        "geography": geo,
        "inputs": {fid: files[fid].sha256 for fid in INPUT_IDS},
    }


def is_current(where: Path | None = None) -> bool:
    """True when ``where`` holds outputs built from the current inputs and code."""
    where = Path(where or out_dir())
    try:
        stamp = json.loads((where / "build.json").read_text())
    except (OSError, ValueError):
        return False
    if not all((where / f).is_file() for f in OUTPUT_FILES):
        return False
    return stamp.get("fingerprint") == fingerprint()


@dataclass(frozen=True)
class Inputs:
    """What the step reads: the sources and the geography."""

    idm: idm.IdmSource
    schools: pd.DataFrame
    puskesmas: pd.DataFrame
    villages: pd.DataFrame
    desa: object  # GeoDataFrame of the desa layer (with rep_lon, rep_lat)
    kecamatan: pd.DataFrame
    kabupaten: pd.DataFrame


def load(paths: dict[str, Path], progress=lambda m: None) -> Inputs:
    """Read sources 10, 11, 12 and 4 and the built geography.

    Raises
    ------
    PipelineError
        A source is malformed (the message names the file) or the geography is not built.
    """
    try:
        regions.clear_cache()
        layer = regions.load_layer("desa")
        kec, kab = regions.kecamatan(), regions.kabupaten()
    except regions.GeographyMissing as exc:
        raise PipelineError(str(exc)) from exc
    progress("reading IDM 2024 (source 10), schools (11), puskesmas (12), SP2010 villages (4)")
    try:
        src = idm.read_idm(paths["idm_2024_35"], "idm_2024_35 (data/idm/prov/35.json)")
        schools = facilities.read_schools([paths[i] for i in SCHOOL_IDS])
        pusk = facilities.read_puskesmas(paths["faskes_2019"])
        villages = readers.census_villages(lambda fid: paths[fid])
    except (idm.IdmError, facilities.FacilityError, ValueError, KeyError) as exc:
        raise PipelineError(str(exc)) from exc
    return Inputs(src, schools, pusk, villages, layer, kec, kab)


def wilayah_of(inputs: Inputs) -> Wilayah:
    """The names and codes of the geography in the form :mod:`pipeline.indicators` uses."""
    desa = pd.DataFrame(inputs.desa.drop(columns="geometry"))
    kab = inputs.kabupaten[["kode", "nama", "jenis", "kode_bps"]].assign(key="")
    kec = inputs.kecamatan[["kode", "nama", "kab_kode", "kode_bps"]]
    return Wilayah(
        kabupaten=kab, kecamatan=kec, desa=desa[["kode", "nama", "kec_kode", "kab_kode", "jenis"]]
    )


@dataclass
class Result:
    """What the transform produced (every frame is also written or reported)."""

    rows: pd.DataFrame  # long rows with a ``dataset`` column
    desa_pop: pd.Series
    unmatched_pop: pd.DataFrame
    placed: pd.DataFrame  # schools and puskesmas with their placement
    idm_unknown: pd.DataFrame
    idm_mismatch: list
    counts: dict


def transform(inputs: Inputs, progress=lambda m: None) -> Result:
    """IDM aggregates, facility placement and distances, desa population, as long rows."""
    desa = pd.DataFrame(inputs.desa.drop(columns="geometry"))
    matched, unknown = idm.match_geography(inputs.idm.desa, desa)
    kec_idm = idm.aggregate(matched, "kec_kode")
    mismatch = idm.check_against_source(kec_idm, inputs.idm.kecamatan)
    kec_of_bps = {
        b: k
        for k, b in zip(inputs.kecamatan["kode"], inputs.kecamatan["kode_bps"], strict=True)
        if isinstance(b, str)
    }
    progress("placing schools and puskesmas in desa; distances on a transverse Mercator")
    placed = place_all(inputs, kec_of_bps)
    distances = facilities.desa_distances(desa, placed)
    progress("SP2010 population per desa (name within kecamatan)")
    pop, unmatched = desa_pop.desa_population(desa, inputs.villages, kec_of_bps)
    wil = wilayah_of(inputs)
    kec_pop = indicators.census_kecamatan(wil, inputs.villages).set_index("kode")["penduduk"]
    kab_pop = indicators.census_kabupaten(wil, inputs.villages).set_index("kode")["penduduk"]
    rows = realrows.all_rows(
        realrows.Frames(desa, matched, placed, distances, pop, kec_pop, kab_pop)
    )
    counts = realreport.counts(inputs, matched, unknown, placed, pop, desa)
    return Result(rows, pop, unmatched, placed, unknown, mismatch, counts)


def place_all(inputs: Inputs, kec_of_bps: dict[str, str]) -> pd.DataFrame:
    """Schools and puskesmas placed in the desa layer; puskesmas also get ``kec_by_code``
    (the kecamatan their BPS code names, through the crosswalk; empty when unknown)."""
    schools = facilities.place(inputs.schools.reset_index(drop=True), inputs.desa)
    pusk = facilities.place(inputs.puskesmas.reset_index(drop=True), inputs.desa)
    pusk["kec_by_code"] = pusk["kec_bps"].map(kec_of_bps).fillna("")
    schools["kec_by_code"] = ""
    placed = pd.concat([schools, pusk], ignore_index=True)
    for col in ("form", "status", "kab_registry", "kec_bps"):
        placed[col] = placed[col].fillna("")
    return placed


def build(
    *,
    force: bool = False,
    where: Path | None = None,
    reports: Path | None = None,
    progress=lambda m: None,
) -> dict:
    """Run the step into ``where`` (``out_dir()``), the report into ``reports``
    (``report_dir()``); returns the counts (``skipped`` True when nothing changed).

    Raises
    ------
    PipelineError
        A source is missing, changed or malformed; the geography is not built; IDM's kecamatan
        means disagree with the source's own. The last good build stays in place.
    """
    t0 = time.perf_counter()
    where = Path(where or out_dir())
    progress("acquiring sources 10-12 and 4")
    try:
        paths = {fid: sources.fetch(fid, progress=False) for fid in INPUT_IDS}
    except sources.SourceError as exc:
        raise PipelineError(str(exc)) from exc
    if not force and is_current(where):
        stamp = json.loads((where / "build.json").read_text())
        return {**stamp["counts"], "skipped": True, "seconds": time.perf_counter() - t0}
    result = transform(load(paths, progress), progress)
    if result.idm_mismatch:
        raise PipelineError(
            "idm_2024_35: kecamatan means differ from the source's own: "
            + "; ".join(result.idm_mismatch[:5])
        )
    progress("writing values and the build report")
    _write(where, result)
    realreport.write(Path(reports or report_dir()), result)
    return {**result.counts, "skipped": False, "seconds": time.perf_counter() - t0}


def _write(where: Path, result: Result) -> None:
    tmp = where.with_name(f".{where.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        result.rows.to_parquet(tmp / "values.parquet", index=False)
        pd.DataFrame(
            {"kode": result.desa_pop.index, "penduduk_2010": result.desa_pop.to_numpy()}
        ).to_parquet(tmp / "desa_penduduk.parquet", index=False)
        result.placed.to_parquet(tmp / "facilities.parquet", index=False)
        stamp = {"fingerprint": fingerprint(), "counts": result.counts}
        (tmp / "build.json").write_text(json.dumps(stamp, indent=1))
        old = where.with_name(f".{where.name}.old-{os.getpid()}")
        if where.exists():
            os.replace(where, old)
        os.replace(tmp, where)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    regions.clear_cache()  # regions.desa() reads desa_penduduk.parquet


def datasets(where: Path | None = None) -> dict[str, pd.DataFrame]:
    """The datasets to commit to the store, ``{name: long frame}`` (empty when not built)."""
    where = Path(where or out_dir())
    path = where / "values.parquet"
    if not path.is_file():
        return {}
    rows = pd.read_parquet(path)
    cols = ["region_code", "level", "indicator", "year", "value", "illustrative", "note"]
    return {name: g[cols].reset_index(drop=True) for name, g in rows.groupby("dataset", sort=True)}


def source_of(where: Path | None = None) -> str:
    """The inputs of the last build, for the store's version records."""
    where = Path(where or out_dir())
    stamp = json.loads((where / "build.json").read_text())
    return ", ".join(f"{k}@{v[:12]}" for k, v in stamp["fingerprint"]["inputs"].items())


def _step(ctx) -> str:
    c = build(force=ctx.force, progress=ctx.progress)
    if c["skipped"]:
        return f"unchanged inputs, nothing to do ({c['seconds']:.1f} s)"
    return realreport.summary(c) + f" in {c['seconds']:.1f} s"


def build_steps(step_class) -> list:
    """The step appended to ``pipeline.steps.STEPS``."""
    return [
        step_class(
            "realdata",
            _step,
            "IDM 2024 per desa, schools and puskesmas placed, distances, desa population "
            "(sources 10-12, 4)",
        )
    ]
