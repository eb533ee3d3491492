"""Benchmark of the indicator store (``store/``): loading and the dashboard's reads.

Run from the repository root (after ``python -m pipeline build``):

    .venv/bin/python -m benchmarks.store                 # all cases
    .venv/bin/python -m benchmarks.store --quick         # fewer repeats, smaller national store
    .venv/bin/python -m benchmarks.store --skip-national

Cases
-----
1. ``load default``: the pipeline's store step (``pipeline.statistics.load``) into a fresh
   SQLite store in a temporary folder: creating the tables, loading the catalogue, validating
   and committing both datasets (~87,000 values). Repeated with a new folder each time.
2. Reads on the default store: ``series`` (one indicator, 666 kecamatan, one year — what the
   map asks for), ``tidy`` of the same, and ``wide`` of every kecamatan indicator × every year.
3. A synthetic East-Java-sized store (666 kecamatan, 50 indicators, 15 years): ``series``,
   ``wide`` of 30 indicators × 15 years, and the commit of 50 × 15 × 666 values.
4. A synthetic national-scale store (7,277 kecamatan, 83,763 desa, 50 indicators at kecamatan
   level and ``--desa-indicators`` at desa level, 15 years): the same reads, to show how the
   cost grows with the size of the store.

Reads are timed warm: one call first (engine created, pages cached), then ``repeats`` calls
with ``time.perf_counter``; the table gives the median and min-max in milliseconds. The
"cold" cases clear the in-process series cache (``store/cache.py``) before every call, so
they measure the database fetch.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics as stats
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import store  # noqa: E402
from store import cache  # noqa: E402

IND_KEC = "persentase_penduduk_miskin"


def timeit(fn, repeats: int) -> list[float]:
    fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def row(name: str, times: list[float], extra: str = "") -> str:
    return (
        f"| {name} | {stats.median(times):,.1f} | {min(times):,.1f}–{max(times):,.1f} | "
        f"{len(times)} | {extra} |"
    )


def _url(folder: Path) -> str:
    return f"sqlite:///{folder / 'rbk.sqlite'}"


def bench_default(repeats: int, out: list[str]) -> None:
    from pipeline import statistics

    if not statistics.is_current():
        out.append("| default store | skipped: run `python -m pipeline build` first | | | |")
        return
    loads = []
    keep = None
    for i in range(max(3, repeats // 10)):
        folder = Path(tempfile.mkdtemp(prefix="rbk-bench-"))
        t0 = time.perf_counter()
        results = statistics.load(url=_url(folder))
        loads.append((time.perf_counter() - t0) * 1000)
        assert all(r is not None and r.created for r in results.values())
        store.dispose_all()
        if i == 0:
            keep = folder
        else:
            shutil.rmtree(folder, ignore_errors=True)
    n = sum(
        len(pd.read_parquet(statistics.stats_dir() / f))
        for f in ("real.parquet", "illustrative.parquet")
    )
    out.append(row("load all default data into a fresh store", loads, f"{n:,} values"))
    url = _url(keep)
    out.append(
        row(
            f"default: series({IND_KEC!r}, 2024) — 666 kecamatan",
            timeit(lambda: store.series(IND_KEC, 2024, url=url), repeats),
        )
    )
    out.append(
        row(
            "default: tidy(one indicator, one year)",
            timeit(lambda: store.tidy(IND_KEC, years=2024, url=url), repeats),
        )
    )
    av = store.available(level="kecamatan", url=url)
    w = store.wide(list(av["indicator"]), url=url)
    out.append(
        row(
            f"default: wide(all {len(av)} kecamatan indicators, all years)",
            timeit(lambda: store.wide(list(av["indicator"]), url=url), repeats),
            f"{w.shape[0]} × {w.shape[1]}",
        )
    )
    store.dispose_all()
    shutil.rmtree(keep, ignore_errors=True)


def synthetic_codes(n_kec: int, n_desa: int) -> tuple[list[str], list[str]]:
    """Kemendagri-shaped codes: 34 provinces, kabupaten of ~20 kecamatan, desa spread evenly."""
    kec = []
    provinces = [
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        21,
        31,
        32,
        33,
        34,
        35,
        36,
        51,
        52,
        53,
        61,
        62,
        63,
        64,
        65,
        71,
        72,
        73,
        74,
        75,
        76,
        81,
        82,
        91,
        92,
    ]
    per_prov = -(-n_kec // len(provinces))
    for p in provinces:
        for j in range(per_prov):
            if len(kec) == n_kec:
                break
            kec.append(f"{p}.{1 + j // 20:02d}.{1 + j % 20:02d}")
    per_kec = n_desa / n_kec
    desa = []
    for i, k in enumerate(kec):
        n = int((i + 1) * per_kec) - int(i * per_kec)
        desa += [f"{k}.{2001 + d}" for d in range(n)]
    return kec, desa


def register_synthetic(url: str, n: int) -> list[str]:
    ids = [f"bench_ind_{i:02d}" for i in range(n)]
    known = set(store.catalogue(url=url).index)
    for i in ids:
        if i not in known:
            store.register_indicator(
                store.Indicator(
                    id=i,
                    name_id=i,
                    name_en=i,
                    unit="%",
                    kind="percent",
                    direction="neutral",
                    theme="lainnya",
                    levels=("kecamatan", "desa"),
                ),
                actor="bench",
                url=url,
            )
    return ids


def build_synthetic(
    url: str, codes_kec, codes_desa, n_ind: int, n_desa_ind: int, years: range
) -> tuple[list[str], float]:
    """Commit one version per indicator (as uploads would); returns ids and seconds."""
    ids = register_synthetic(url, n_ind)
    rng = np.random.default_rng(7)
    t0 = time.perf_counter()
    for k, ind in enumerate(ids):
        parts = [("kecamatan", codes_kec)]
        if k < n_desa_ind:
            parts.append(("desa", codes_desa))
        frames = []
        for level, codes in parts:
            n = len(codes)
            frames.append(
                pd.DataFrame(
                    {
                        "region_code": np.tile(np.asarray(codes, dtype=object), len(years)),
                        "level": level,
                        "indicator": ind,
                        "year": np.repeat(np.asarray(list(years)), n),
                        "value": rng.uniform(0, 100, n * len(years)),
                    }
                )
            )
        store.commit(
            pd.concat(frames, ignore_index=True), dataset=f"bench_{ind}", actor="bench", url=url
        )
    return ids, time.perf_counter() - t0


def bench_synthetic(
    label: str, n_kec: int, n_desa: int, n_desa_ind: int, repeats: int, out: list[str]
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rbk-bench-"))
    url = _url(folder)
    try:
        years = range(2010, 2025)
        codes_kec, codes_desa = synthetic_codes(n_kec, n_desa)
        ids, secs = build_synthetic(url, codes_kec, codes_desa, 50, n_desa_ind, years)
        n_rows = 50 * 15 * n_kec + n_desa_ind * 15 * len(codes_desa)
        size = os.path.getsize(folder / "rbk.sqlite") / 2**20
        out.append(
            f"| {label}: build (50 commits) | {secs * 1000:,.0f} | | 1 | "
            f"{n_rows:,} values, {size:,.0f} MB |"
        )
        one = ids[3]
        out.append(
            row(
                f"{label}: series(one indicator, one year) — {n_kec:,} kecamatan",
                timeit(lambda: store.series(one, 2024, url=url), repeats),
            )
        )
        out.append(
            row(
                f"{label}: tidy(one indicator, one year)",
                timeit(lambda: store.tidy(one, years=2024, url=url), repeats),
            )
        )
        out.append(
            row(
                f"{label}: series, cold (series cache cleared before each call)",
                timeit(
                    lambda: (cache.clear(), store.series(one, 2024, url=url)), max(3, repeats // 5)
                ),
            )
        )
        out.append(
            row(
                f"{label}: wide(30 indicators × 15 years), cold",
                timeit(lambda: (cache.clear(), store.wide(ids[:30], url=url)), 3),
            )
        )
        w = store.wide(ids[:30], url=url)
        out.append(
            row(
                f"{label}: wide(30 indicators × 15 years)",
                timeit(lambda: store.wide(ids[:30], url=url), max(3, repeats // 10)),
                f"{w.shape[0]:,} × {w.shape[1]}",
            )
        )
        if n_desa_ind:
            out.append(
                row(
                    f"{label}: series(one indicator, one year) — {len(codes_desa):,} desa",
                    timeit(
                        lambda: store.series(ids[0], 2024, level="desa", url=url),
                        max(3, repeats // 5),
                    ),
                )
            )
        frame = store.version_values(int(store.versions(url=url)["version_id"].iloc[-1]), url=url)
        frame = frame[frame["level"] == "kecamatan"].assign(value=lambda f: f["value"] + 1)
        t0 = time.perf_counter()
        store.commit(frame, dataset="bench_again", actor="bench", url=url)
        out.append(
            f"| {label}: commit one indicator × 15 years ({len(frame):,} values) | "
            f"{(time.perf_counter() - t0) * 1000:,.0f} | | 1 | |"
        )
    finally:
        store.dispose_all()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--desa-indicators", type=int, default=2)
    args = parser.parse_args(argv)
    repeats = 15 if args.quick else 50
    out = ["| case | median ms | min–max ms | runs | size |", "|---|---|---|---|---|"]
    bench_default(repeats, out)
    bench_synthetic("Jatim-sized", 666, 8_494, 0, repeats, out)
    if not args.skip_national:
        bench_synthetic("national", 7_277, 83_763, args.desa_indicators, repeats, out)
    print(
        f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs"
    )
    print("\n".join(out))
    return 0
