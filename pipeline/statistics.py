"""Build steps for the statistics: real values, illustrative values, and the store load.

``statistics`` writes ``data/build/stats/{real,illustrative}.parquet`` (plus ``build.json``
with the fingerprint of its inputs: the source checksums, the geography build and this
code); it does nothing when the fingerprint is unchanged. ``store`` commits them to the
indicator store as two datasets; a dataset whose content is already stored creates no new
version.

Datasets
--------
``statistik_resmi``
    Real statistics (sources 2, 4-9 and the computed kecamatan areas).
``nilai_ilustratif``
    The illustrative values, plus the real rows of every ``(indicator, level)`` series that
    also has illustrative years (kecamatan ``penduduk`` and ``kepadatan_penduduk`` 2010), so
    that each series lives in exactly one dataset. Each row keeps its own ``illustrative``
    flag.
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
import store
from pipeline import illustrative, indicators, realdata, realrows, sources
from pipeline.errors import PipelineError, StatisticsError

#: Manifest files the statistics read.
INPUT_IDS = (
    "wilayah",
    "wilayah_luas",
    "wilayah_penduduk",
    "crosswalk_kabkota",
    "crosswalk_kecamatan",
    "census2010_villages",
    "grdp_districts",
    "gdp_pc_514",
    "kesra_1",
    "kesra_2",
    "kesra_3",
    "kesra_4",
    "poverty_kabupaten",
    "idm_desa_status",
)
BUILD_VERSION = 1
REAL_DATASET = "statistik_resmi"
ILLUSTRATIVE_DATASET = "nilai_ilustratif"
_HERE = Path(__file__).resolve().parent
CODE_FILES = (
    _HERE / "wilayah.py",
    _HERE / "readers.py",
    _HERE / "indicators.py",
    _HERE / "illustrative.py",
    _HERE / "statistics.py",
    _HERE / "sqlrows.py",
    settings.ROOT / "regions" / "names.py",
    settings.ROOT / "store" / "catalogue.toml",
    settings.ROOT / "store" / "writes.py",  # frame_checksum, recorded in build.json
)


def stats_dir() -> Path:
    """Where the statistics are written (``settings.BUILD_DIR / "stats"``)."""
    return Path(settings.BUILD_DIR) / "stats"


def fingerprint() -> dict:
    """What the statistics depend on: source checksums, the geography build, this code."""
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


@dataclass(frozen=True)
class StatisticsResult:
    """What :func:`build` did."""

    skipped: bool
    seconds: float
    rows_real: int
    rows_illustrative: int


def is_current(out_dir: Path | None = None) -> bool:
    """True when ``out_dir`` holds statistics built from the current inputs and code."""
    out_dir = Path(out_dir or stats_dir())
    try:
        stamp = json.loads((out_dir / "build.json").read_text())
    except (OSError, ValueError):
        return False
    if not all((out_dir / f).is_file() for f in ("real.parquet", "illustrative.parquet")):
        return False
    return stamp.get("fingerprint") == fingerprint()


def build(*, force: bool = False, out_dir: Path | None = None, progress=lambda m: None):
    """Compute the real statistics and the illustrative values into ``out_dir``.

    Raises
    ------
    PipelineError
        A source is missing or malformed, the geography is not built, or a generated code
        does not resolve to a region. The last good build stays in place.
    """
    t0 = time.perf_counter()
    out_dir = Path(out_dir or stats_dir())
    progress("acquiring sources")
    try:
        for fid in INPUT_IDS:
            sources.fetch(fid, progress=False)
    except sources.SourceError as exc:
        raise PipelineError(str(exc)) from exc
    if not force and is_current(out_dir):
        stamp = json.loads((out_dir / "build.json").read_text())
        return StatisticsResult(
            True, time.perf_counter() - t0, stamp["rows_real"], stamp["rows_illustrative"]
        )
    try:
        regions.clear_cache()
        kec = regions.kecamatan()
        kab = regions.kabupaten()
    except regions.GeographyMissing as exc:
        raise PipelineError(str(exc)) from exc
    progress("reading the statistics of sources 2 and 4-9")
    try:
        real = indicators.build(areas=kec.set_index("kode")["area_km2"])
    except StatisticsError as exc:
        raise PipelineError(str(exc)) from exc
    progress("generating the illustrative kecamatan values")
    ill = illustrative.generate(kec, real)
    real["illustrative"] = False
    _check_codes(pd.concat([real, ill]), set(kec["kode"]), set(kab["kode"]))
    stamp = {"fingerprint": fingerprint(), "rows_real": len(real), "rows_illustrative": len(ill)}
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        real.to_parquet(tmp / "real.parquet", index=False)
        ill.to_parquet(tmp / "illustrative.parquet", index=False)
        (tmp / "build.json").write_text(json.dumps(stamp, indent=1))
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return StatisticsResult(False, time.perf_counter() - t0, len(real), len(ill))


def _check_codes(frame: pd.DataFrame, kec: set[str], kab: set[str]) -> None:
    known = {"kecamatan": kec, "kabupaten": kab, "provinsi": {"35"}}
    bad = [
        (lv, c)
        for lv, codes in frame.groupby("level")["region_code"]
        for c in sorted(set(codes) - known.get(lv, set()))
    ]
    if bad:
        raise PipelineError(f"statistics refer to unknown regions: {bad[:10]}")


def datasets(real: pd.DataFrame, ill: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Split the rows into the two datasets so that each series lives in exactly one."""
    mixed = set(zip(ill["indicator"], ill["level"], strict=True))
    key = pd.Series(list(zip(real["indicator"], real["level"], strict=True)), index=real.index)
    moved = key.isin(mixed)
    cols = ["region_code", "level", "indicator", "year", "value", "illustrative", "note"]
    return {
        REAL_DATASET: real.loc[~moved, cols].reset_index(drop=True),
        ILLUSTRATIVE_DATASET: pd.concat([ill[cols], real.loc[moved, cols]], ignore_index=True),
    }


TITLES = {
    REAL_DATASET: "Statistik resmi (BPS, Kemendagri, BIG, Open Data Jatim) / official statistics",
    ILLUSTRATIVE_DATASET: "Nilai ilustratif kecamatan (dibangkitkan) / illustrative values",
    realrows.IDM_DATASET: "Indeks Desa Membangun 2024 per desa (Kemendesa PDTT) / village index",
    realrows.ACCESS_DATASET: "Akses sekolah dan puskesmas 2019 (Kemendikbud, Kemenkes) / access",
    realrows.DESA_DATASET: "Desa: penduduk SP2010 dan luas terhitung / desa population and area",
}


def load(
    *,
    url: str | None = None,
    in_dir: Path | None = None,
    real_dir: Path | None = None,
    progress=lambda m: None,
) -> dict:
    """Commit the built statistics and the ``realdata`` datasets (from ``real_dir``, default
    :func:`pipeline.realdata.out_dir`; none when it is not built) to the store; returns
    ``{dataset: CommitResult | None}`` (None: that content is already stored)."""
    in_dir = Path(in_dir or stats_dir())
    try:
        real = pd.read_parquet(in_dir / "real.parquet")
        ill = pd.read_parquet(in_dir / "illustrative.parquet")
        stamp = json.loads((in_dir / "build.json").read_text())
    except (OSError, ValueError) as exc:
        raise PipelineError(
            f"{in_dir}: statistics not built ({exc}); run the statistics step first"
        ) from exc
    inputs = stamp["fingerprint"]["inputs"]
    own = ", ".join(f"{k}@{v[:12]}" for k, v in inputs.items())
    frames = {name: (frame, own) for name, frame in datasets(real, ill).items()}
    real_dir = Path(real_dir or realdata.out_dir())
    frames.update(
        {n: (f, realdata.source_of(real_dir)) for n, f in realdata.datasets(real_dir).items()}
    )
    results = {}
    try:
        stored = set(store.versions(url=url).get("checksum", pd.Series(dtype=str)))
        for name, (frame, source) in frames.items():
            checksum = stamp.get("checksums", {}).get(name) or store.frame_checksum(frame)
            if checksum in stored:
                results[name] = None
                continue
            progress(f"committing {name} ({len(frame):,} values)")
            results[name] = store.commit(
                frame,
                dataset=name,
                actor="pipeline",
                source=source,
                checksum=checksum,
                note="python -m pipeline build; method in data/README.md",
                title=TITLES[name],
                url=url,
            )
    except store.StoreError as exc:
        raise PipelineError(exc.message_en) from exc
    return results


def _statistics_step(ctx) -> str:
    result = build(force=ctx.force, progress=ctx.progress)
    if result.skipped:
        return f"unchanged inputs, nothing to do ({result.seconds:.1f} s)"
    return (
        f"{result.rows_real:,} real and {result.rows_illustrative:,} illustrative values "
        f"in {result.seconds:.1f} s"
    )


def _store_step(ctx) -> str:
    t0 = time.perf_counter()
    results = load(progress=ctx.progress)
    done = [f"{name} v{r.number} ({r.rows:,} values)" for name, r in results.items() if r]
    if not done:
        return f"store already holds these values, nothing to do ({time.perf_counter() - t0:.1f} s)"
    return "committed " + ", ".join(done) + f" in {time.perf_counter() - t0:.1f} s"


def build_steps(step_class) -> list:
    """The steps appended to ``pipeline.steps.STEPS`` (the class is passed in, so that this
    module does not import ``pipeline.steps``)."""
    return [
        step_class(
            "statistics",
            _statistics_step,
            "real statistics (sources 2, 4-9) and illustrative kecamatan values",
        ),
        step_class(
            "store", _store_step, "load the statistics into the indicator store (versioned)"
        ),
    ]
