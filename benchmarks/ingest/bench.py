"""Benchmark of uploads (``ingest/``): validate + commit, a million rows, bombs and limits.

Run from the repository root (after ``python -m pipeline build``)::

    .venv/bin/python -m benchmarks.ingest            # all cases, 5 repeats
    .venv/bin/python -m benchmarks.ingest --quick    # 3 repeats, the million rows once

Cases (each timed with ``time.perf_counter``; the table gives the median and min–max):

1. ``666 rows validate+commit``: a wide CSV of the 666 kecamatan × 5 catalogue indicators
   (Indonesian format, ``;``), validated against the built regions and catalogue and committed
   (merge mode) into a fresh SQLite store in a temporary folder. New random values each repeat.
2. ``666 rows validate``: the same without the commit.
3. ``1M rows: default limit``: ``python -m ingest`` logic on the 33 MB long file (1,000,000
   records) with the default 25 MB limit: the rejection, answered from the file's size.
4. ``1M rows: validate``: the same file validated with the limit raised to 100 MB, in a child
   process so that its peak memory (``ru_maxrss``) is its own.
5. ``zip bomb (ratio)``: an XLSX whose sheet is 20 MB of blanks compressed to ~20 kB.
6. ``zip bomb (250 MB)``: an XLSX expanding to 250 MB (ratio limit lifted, size limit hits).
7. ``200 MB file``: a sparse 200 MB file through the CLI (the size check before reading).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import statistics as stats
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import store  # noqa: E402
from ingest import (  # noqa: E402
    Gazetteer,
    Limits,
    Options,
    cli,  # noqa: E402
    commit,
    validate_bytes,
)

INDICATORS = ["akses_smp", "cakupan_pkh", "tpak", "rasio_elektrifikasi", "akses_sanitasi_layak"]


def wide_666(kecamatan, seed: int) -> bytes:
    rnd = random.Random(seed)
    lines = ["kode;kecamatan;kabupaten;" + ";".join(INDICATORS)]
    for r in kecamatan.itertuples():
        vals = [f"{rnd.uniform(1, 99):.2f}".replace(".", ",") for _ in INDICATORS]
        lines.append(f"{r.kode};{r.nama};{r.kab_nama};" + ";".join(vals))
    return ("\n".join(lines) + "\n").encode()


def long_million(path: Path, kecamatan) -> None:
    rnd = random.Random(7)
    inds = INDICATORS + ["ipm", "persentase_penduduk_miskin", "cakupan_bpnt"]
    codes = list(kecamatan["kode"])
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("kode;indikator;tahun;nilai\n")
        for ind in inds:
            for year in range(1901, 2101):
                for code in codes:
                    if n == 1_000_000:
                        return
                    fh.write(f"{code};{ind};{year};" + f"{rnd.uniform(1, 99):.2f}".replace(".", ",") + "\n")
                    n += 1


def bomb(mb: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1 << 20)
            for _ in range(mb):
                part.write(chunk)
    return buf.getvalue()


def timed(fn, repeats: int) -> list[float]:
    out = []
    for i in range(repeats):
        t0 = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t0)
    return out


CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
import store
from ingest import Gazetteer, Limits, Options, validate_bytes
gaz = Gazetteer.from_regions(); cat = store.catalogue()
data = open({path!r}, "rb").read()
t0 = time.perf_counter()
res = validate_bytes(data, options=Options(limits=Limits(max_bytes=100_000_000)), catalogue=cat, gazetteer=gaz)
dt = time.perf_counter() - t0
print(json.dumps({{"seconds": dt, "accepted": res.accepted, "values": len(res.values),
                   "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.ingest")
    p.add_argument("--quick", action="store_true")
    args = p.parse_args(argv)
    repeats = 3 if args.quick else 5
    big_repeats = 1 if args.quick else 3
    gaz = Gazetteer.from_regions()
    import regions

    kec = regions.kecamatan()
    rows: list[tuple[str, list[float], str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        url = f"sqlite:///{tmp / 'bench.sqlite'}"
        os.environ["RBK_DATABASE_URL"] = url  # nothing may reach the real store
        cat = store.catalogue(url=url)

        def validate_commit(i):
            res = validate_bytes(wide_666(kec, 100 + i), filename="b.csv", options=Options(year=2024),
                                 catalogue=cat, gazetteer=gaz)
            assert res.accepted
            r = commit(res, actor="bench", url=url)
            assert r.created

        # warm-up (engine, imports)
        validate_commit(99)
        rows.append(("666 rows × 5 indicators: validate + commit", timed(validate_commit, repeats), ""))

        def validate_only(i):
            assert validate_bytes(wide_666(kec, 200 + i), options=Options(year=2024), catalogue=cat,
                                  gazetteer=gaz).accepted

        rows.append(("666 rows × 5 indicators: validate", timed(validate_only, repeats), ""))

        path = tmp / "long.csv"
        long_million(path, kec)
        size_mb = path.stat().st_size / 1e6
        os.environ["RBK_DATABASE_URL"] = url

        def million_default(i):
            with open(os.devnull, "w") as devnull:
                saved, sys.stdout = sys.stdout, devnull
                try:
                    assert cli.main([str(path), "--json", "--dry-run"]) == 1
                finally:
                    sys.stdout = saved

        rows.append((f"1,000,000 rows ({size_mb:.0f} MB): rejected by the default 25 MB limit",
                     timed(million_default, repeats), ""))
        child = []
        rss = []
        for _ in range(big_repeats):
            out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
                                 capture_output=True, text=True, check=True, env=dict(os.environ))
            res = json.loads(out.stdout.strip().splitlines()[-1])
            assert res["accepted"] and res["values"] == 1_000_000
            child.append(res["seconds"])
            rss.append(res["maxrss_mb"])
        rows.append(("1,000,000 rows: validate (limit 100 MB)", child,
                     f"peak RSS {stats.median(rss):,.0f} MB (process incl. imports)"))

        small_bomb = bomb(20)

        def ratio_bomb(i):
            res = validate_bytes(small_bomb, options=Options(year=2024), gazetteer=gaz)
            assert [e.code for e in res.report.errors] == ["xlsx_ratio"]

        rows.append((f"zip bomb, ratio ({len(small_bomb) / 1e3:.0f} kB → 20 MB)", timed(ratio_bomb, repeats), ""))
        big_bomb = bomb(250)

        def size_bomb(i):
            res = validate_bytes(big_bomb, options=Options(year=2024, limits=Limits(max_xlsx_ratio=1e9)),
                                 gazetteer=gaz)
            assert [e.code for e in res.report.errors] == ["xlsx_expanded_too_large"]

        rows.append((f"zip bomb, expanded size ({len(big_bomb) / 1e3:.0f} kB → 250 MB)",
                     timed(size_bomb, repeats), ""))
        sparse = tmp / "big.csv"
        with open(sparse, "wb") as fh:
            fh.truncate(200_000_000)

        def file_200mb(i):
            with open(os.devnull, "w") as devnull:
                saved, sys.stdout = sys.stdout, devnull
                try:
                    assert cli.main([str(sparse), "--json"]) == 1
                finally:
                    sys.stdout = saved

        rows.append(("200 MB file through the CLI: rejected by size", timed(file_200mb, repeats), ""))
        store.dispose_all()
    print(f"python {platform.python_version()} · {platform.machine()} · load {os.getloadavg()[0]:.1f} · "
          f"{os.cpu_count()} CPUs · maxrss of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    print(f"{'case':<62} {'median':>10} {'min–max':>18}  note")
    for name, times, note in rows:
        med = stats.median(times)
        print(f"{name:<62} {med:>9.3f}s {min(times):>8.3f}–{max(times):.3f}s  {note} (n={len(times)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
