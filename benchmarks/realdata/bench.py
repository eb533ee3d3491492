"""Benchmark of issue 14's data: the whole build with sources 10-12, facility placement and
distances, and the size of the desa display layer (method and results in README.md)."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def full_build(repeats: int) -> list[float]:
    """Wall seconds of ``python -m pipeline build --force`` into an empty build and store."""
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "RBK_BUILD_DIR": f"{tmp}/build", "RBK_STORE_DIR": f"{tmp}/store"}
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "pipeline", "build", "--force", "--quiet"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - t0)
    return times


def placement(repeats: int) -> tuple[list[float], list[float]]:
    """Seconds of placing schools and puskesmas in desa plus the nearest distances (the
    inputs already read), and of the whole realdata transform."""
    from pipeline import facilities, realdata, sources

    paths = {fid: sources.fetch(fid, progress=False) for fid in realdata.INPUT_IDS}
    inputs = realdata.load(paths)
    kec_of_bps = dict(zip(inputs.kecamatan["kode_bps"], inputs.kecamatan["kode"], strict=True))
    desa = inputs.desa.drop(columns="geometry")
    place, transform = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        placed = realdata.place_all(inputs, kec_of_bps)
        facilities.desa_distances(desa, placed)
        place.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        realdata.transform(inputs)
        transform.append(time.perf_counter() - t0)
    return place, transform


def display_sizes() -> dict:
    """Bytes, gzip bytes and vertices of the desa display layer (province, each kabupaten)."""
    import regions

    def measure(path: Path) -> dict:
        raw = path.read_bytes()
        gj = json.loads(raw)
        vertices = sum(
            len(ring)
            for f in gj["features"]
            for poly in (
                f["geometry"]["coordinates"]
                if f["geometry"]["type"] == "MultiPolygon"
                else [f["geometry"]["coordinates"]]
            )
            for ring in poly
        )
        return {
            "features": len(gj["features"]),
            "bytes": len(raw),
            "gzip_bytes": len(gzip.compress(raw, 6)),
            "vertices": vertices,
        }

    out = {"province": measure(regions.display_path("desa"))}
    per_kab = {k: measure(regions.display_path("desa", k)) for k in regions.kabupaten()["kode"]}
    largest = max(per_kab, key=lambda k: per_kab[k]["bytes"])
    out["largest_kabupaten"] = {"kode": largest, **per_kab[largest]}
    out["median_kabupaten_bytes"] = statistics.median(v["bytes"] for v in per_kab.values())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.realdata")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    build = full_build(args.repeats)
    place, transform = placement(args.repeats)
    result = {
        "full_build_s": build,
        "full_build_median_s": statistics.median(build),
        "placement_and_distances_s": place,
        "placement_and_distances_median_s": statistics.median(place),
        "realdata_transform_s": transform,
        "realdata_transform_median_s": statistics.median(transform),
        "desa_display": display_sizes(),
        "load_average": os.getloadavg(),
    }
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0
