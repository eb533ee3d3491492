"""Benchmark of analysis/ against PySAL in the same process on the same data.

Run from the repository root:

    .venv/bin/python -m benchmarks.analysis            # default repeats
    .venv/bin/python -m benchmarks.analysis --quick    # fewer repeats

Each case is timed ``repeats`` times with ``time.perf_counter`` after one warm-up call; the
table reports the median (and min–max) in milliseconds, and the ratio ours / PySAL where PySAL
has the same measure (< 1 means ours is faster). The data are synthetic and seeded:
log-normal per-capita values, integer populations, 38 groups (like the kabupaten/kota), and a
rectangular lattice of 18 × 37 = 666 cells for the spatial cases.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis import classify as ours_classify  # noqa: E402
from analysis import inequality as ineq  # noqa: E402
from analysis import spatial  # noqa: E402


def timeit(fn, repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and process CPU milliseconds of ``repeats`` calls after one warm-up."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def _cell(wall: list[float], cpu: list[float]) -> str:
    return (
        f"{statistics.median(wall):.2f} ({min(wall):.2f}–{max(wall):.2f}) "
        f"/ {statistics.median(cpu):.2f}"
    )


def data(n: int, seed: int = 20240601):
    rng = np.random.default_rng(seed)
    y = rng.lognormal(mean=3.0, sigma=0.7, size=n)
    w = rng.integers(5_000, 150_000, size=n).astype(float)
    g = rng.integers(0, 38, size=n)
    return y, w, g


def cases(repeats: int):
    import esda
    import mapclassify
    from inequality.atkinson import Atkinson
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD, TheilDSim
    from libpysal.weights import lat2W

    y666, w666, g666 = data(666)
    y83k, w83k, _ = data(83_763)
    rng = np.random.default_rng(1)

    def pysal_indices(y):
        Gini(y)
        Theil(y)
        Atkinson(y, 0.5)
        Atkinson(y, 1.0)

    def our_shared_indices(y):  # the same four measures through our public functions
        ineq.gini(y)
        ineq.theil_t(y)
        ineq.atkinson(y, 0.5)
        ineq.atkinson(y, 1.0)

    def pysal_boot_decomposition():
        # PySAL has no bootstrap: the same 1,000 resamples decomposed one by one with TheilD
        idx = rng.integers(0, 666, size=(1000, 666))
        for r in idx:
            TheilD(y666[r], g666[r])

    w_lat = lat2W(18, 37)
    sw = spatial.weights_from_neighbours(w_lat.neighbors, ids=range(666))
    # a smooth surface plus noise, so that clusters exist
    rows, cols = np.divmod(np.arange(666), 37)
    ys = np.sin(rows / 4) + np.cos(cols / 6) + rng.normal(0, 0.5, 666)

    def esda_lisa():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            esda.Moran_Local(ys, sw.w, transformation="r", permutations=999, seed=1)

    return [
        # name, ours, pysal (or None), repeats
        (
            "Gini, Theil T, Atkinson 0.5 and 1 — 666 regions, unweighted",
            lambda: our_shared_indices(y666),
            lambda: pysal_indices(y666),
            repeats,
        ),
        (
            "all_indices (9 measures), 666 regions, unweighted",
            lambda: ineq.all_indices(y666),
            None,
            repeats,
        ),
        (
            "all_indices (9 measures), 666 regions, population-weighted",
            lambda: ineq.all_indices(y666, w666),
            None,
            repeats,
        ),
        ("gini, 666 regions", lambda: ineq.gini(y666), lambda: Gini(y666), repeats),
        ("theil_t, 666 regions", lambda: ineq.theil_t(y666), lambda: Theil(y666), repeats),
        (
            "Theil decomposition, 666 regions, 38 groups",
            lambda: ineq.theil_decomposition(y666, None, g666),
            lambda: TheilD(y666, g666),
            repeats,
        ),
        (
            "decomposition + 1,000 bootstrap replicates (PySAL: TheilD in a loop)",
            lambda: ineq.bootstrap_decomposition(
                y666, w666, g666, n_boot=1000, stratify=False, seed=1
            ),
            pysal_boot_decomposition,
            max(3, repeats // 2),
        ),
        (
            "between-share permutation test, 999 permutations (PySAL: TheilDSim)",
            lambda: ineq.between_share_test(y666, None, g666, permutations=999, seed=1),
            lambda: TheilDSim(y666, g666, 999),
            max(3, repeats // 2),
        ),
        (
            "bootstrap CI of the weighted Gini, 1,000 replicates",
            lambda: ineq.bootstrap_ci("gini", y666, w666, n_boot=1000, seed=1),
            None,
            max(3, repeats // 2),
        ),
        (
            "LISA, 666 regions, 999 permutations (PySAL: esda.Moran_Local)",
            lambda: spatial.lisa(ys, sw, permutations=999, seed=1),
            esda_lisa,
            repeats,
        ),
        (
            "global Moran, 666 regions, 999 permutations (PySAL: esda.Moran)",
            lambda: spatial.moran(ys, sw, permutations=999, seed=1),
            lambda: esda.Moran(ys, sw.w, permutations=999),
            repeats,
        ),
        (
            "Gini, Theil T, Atkinson 0.5 and 1 — 83,763 regions, unweighted",
            lambda: our_shared_indices(y83k),
            lambda: pysal_indices(y83k),
            repeats,
        ),
        (
            "all_indices (9 measures), 83,763 regions, unweighted",
            lambda: ineq.all_indices(y83k),
            None,
            repeats,
        ),
        (
            "all_indices (9 measures), 83,763 regions, population-weighted",
            lambda: ineq.all_indices(y83k, w83k),
            None,
            repeats,
        ),
        (
            "Fisher-Jenks k=5, 666 values (PySAL: mapclassify.FisherJenks, no numba)",
            lambda: ours_classify.classify(y666, "fisher_jenks", k=5),
            lambda: mapclassify.FisherJenks(y666, k=5),
            max(3, repeats // 2),
        ),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="3 repeats")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else args.repeats
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, repeats={repeats}, "
        f"load average at start {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| case | ours: wall median ms (min–max) / CPU median ms "
        "| PySAL: wall median ms (min–max) / CPU median ms | ratio ours/PySAL (wall, CPU) |"
    )
    print("|---|---:|---:|---:|")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for name, ours, ref, n in cases(repeats):
            aw, ac = timeit(ours, n)
            if ref is None:
                print(f"| {name} | {_cell(aw, ac)} | – | – |", flush=True)
                continue
            bw, bc = timeit(ref, n)
            rw = statistics.median(aw) / statistics.median(bw)
            rc = statistics.median(ac) / max(statistics.median(bc), 1e-9)
            print(
                f"| {name} | {_cell(aw, ac)} | {_cell(bw, bc)} | {rw:.2f}, {rc:.2f} |", flush=True
            )
    print(f"\nload average at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
