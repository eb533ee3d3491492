"""Benchmark of the geography build (issue 2).

Measures, each as the median of ``--repeats`` runs (default 3):

* a full build from the mirror into an empty temporary build directory
  (``python -m pipeline build --only geography --force``: copying the sources into the cache,
  parsing, cleaning, dissolving, writing), wall time and peak memory;
* a rebuild with nothing changed (same command without ``--force``), wall time;

and the sizes (bytes) and vertex counts of the display and overview layers of the last run.

Peak memory is the largest total proportional set size (PSS: pages shared copy-on-write
between the build process and its forked worker counted once) of the two processes together,
sampled every 20 ms from ``/proc/<pid>/smaps_rollup`` (Linux). CPU time (user + system of the
build and its worker) is reported too, because wall time on a shared machine depends on load.

Run: ``RBK_SOURCES=../shared/data/sources python -m benchmarks.geography [--repeats N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _mem_kb(pid: int) -> int:
    """Proportional set size (shared copy-on-write pages counted once across processes)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            out += [int(c) for c in text]
    except OSError:
        pass
    return out


def run_build(build_dir: Path, force: bool) -> tuple[float, float, float]:
    """Run one build; returns (wall s, peak memory MB of the process tree, CPU s)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, RBK_BUILD_DIR=str(build_dir), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "pipeline", "build", "--only", "geography", "--quiet"]
    if force:
        cmd.append("--force")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        pids = [proc.pid]
        i = 0
        while i < len(pids):
            pids += _children(pids[i])
            i += 1
        peak = max(peak, sum(_mem_kb(p) for p in pids))
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    err = proc.stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{err}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, peak / 1024, cpu


def layer_stats(geo_dir: Path) -> dict:
    import shapely

    out = {}
    for level in ("kecamatan", "kabupaten"):
        full = __import__("geopandas").read_parquet(geo_dir / f"{level}.parquet")
        for kind in ("display", "overview"):
            path = geo_dir / f"{level}_{kind}.geojson"
            gj = json.loads(path.read_text(encoding="utf-8"))
            geoms = [shapely.geometry.shape(f["geometry"]) for f in gj["features"]]
            out[path.name] = {
                "bytes": path.stat().st_size,
                "gzip_bytes": len(__import__("gzip").compress(path.read_bytes(), 6)),
                "vertices": int(shapely.get_num_coordinates(geoms).sum()),
                "full_vertices": int(shapely.get_num_coordinates(full.geometry.values).sum()),
            }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if not os.environ.get("RBK_SOURCES"):
        print("note: RBK_SOURCES is not set; the build will download the sources", file=sys.stderr)

    full, peaks, cpus, rebuild = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="rbk-bench-geo-") as tmp:
        for i in range(args.repeats):
            build = Path(tmp) / f"run{i}"
            wall, peak, cpu = run_build(build, force=True)
            full.append(wall)
            peaks.append(peak)
            cpus.append(cpu)
            wall2, _, _ = run_build(build, force=False)
            rebuild.append(wall2)
            print(
                f"run {i + 1}: full {wall:.1f} s (CPU {cpu:.1f} s), peak {peak:.0f} MB, "
                f"no-change {wall2:.2f} s, load {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
            )
        stats = layer_stats(Path(tmp) / f"run{args.repeats - 1}" / "geo")
    load = os.getloadavg()
    result = {
        "repeats": args.repeats,
        "cpus": len(os.sched_getaffinity(0)),
        "load_average_1_5_15": [round(x, 2) for x in load],
        "full_build_s_median": round(statistics.median(full), 2),
        "full_build_s_runs": [round(x, 2) for x in full],
        "full_build_cpu_s_median": round(statistics.median(cpus), 2),
        "peak_pss_mb_median": round(statistics.median(peaks), 1),
        "peak_pss_mb_runs": [round(x, 1) for x in peaks],
        "no_change_rebuild_s_median": round(statistics.median(rebuild), 2),
        "no_change_rebuild_s_runs": [round(x, 2) for x in rebuild],
        "layers": stats,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0
