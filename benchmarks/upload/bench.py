"""Benchmark: validate and commit a 666-row file through the Unggah Data page in Chromium.

Run from the project root after ``make data``::

    .venv/bin/python benchmarks/upload/bench.py [--runs 5]

It starts ``streamlit run dashboard.py`` (the browser tests' harness) on a copy of the built
store and a temporary credentials file, signs in through the form in Debian's Chromium, and
then, ``--runs`` times, uploads a new 666-row file (every kecamatan, one indicator, a
``tahun`` column, values different each time) as a person does:

``validate``
    from choosing the file in the file input until the report and the commit button are
    shown and the page has settled;
``confirm``
    from the click on the confirmation checkbox until settled;
``commit``
    from the click on "Simpan sebagai versi baru" until the success message is shown and the
    page has settled.

For each action it counts the script runs the server made (``script_finished`` messages on
the page's websocket). The table gives the median and the min–max of the runs.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_harness import launch_browser, start_server, stop_server  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

import regions  # noqa: E402
import settings  # noqa: E402
from ui.auth import hash_password  # noqa: E402

PASSWORD = "kata-sandi-bench-42"
INDICATOR = "akses_smp"
QUIET_MS = 300
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]');
  const now = performance.now();
  if (!idle) { window.__rbkIdle = null; return false; }
  if (!window.__rbkIdle) { window.__rbkIdle = now; return false; }
  return now - window.__rbkIdle >= QUIET;
}""".replace("QUIET", str(QUIET_MS))


def file_666(codes: list[str], seed: int) -> bytes:
    """Every kecamatan with a value of the indicator for 2024 (Indonesian number format)."""
    rnd = random.Random(seed)
    lines = [f"kode;tahun;{INDICATOR}"]
    lines += [f"{code};2024;" + f"{rnd.uniform(40, 99):.2f}".replace(".", ",") for code in codes]
    return ("\n".join(lines) + "\n").encode()


def settled(page, until: str | None = None, timeout: float = 60_000) -> float:
    """Wait until ``until`` (a text) is shown and the page is idle for the quiet window;
    return the time the quiet window started (``perf_counter`` scale)."""
    if until:
        page.get_by_text(until).first.wait_for(timeout=timeout)
    page.evaluate("() => { window.__rbkIdle = null; }")
    page.wait_for_function(IDLE_JS, timeout=timeout, polling=20)
    return time.perf_counter() - QUIET_MS / 1000


def server_env(tmp: Path) -> dict[str, str]:
    src = Path(settings.database_url().removeprefix("sqlite:///"))
    dst = tmp / "store.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[rbk_analysts.ana]\nname = "Ana"\npassword_hash = '
                       f'"{hash_password(PASSWORD, 4)}"\n')
    return {"RBK_DATABASE_URL": f"sqlite:///{dst}", "RBK_SECRETS_FILE": str(secrets)}


def one_run(page, runs_seen: list[int], data: bytes) -> dict[str, tuple[float, int]]:
    """Time the three actions of one upload; ``runs_seen[0]`` counts finished script runs."""
    out = {}
    start, before = time.perf_counter(), runs_seen[0]
    page.set_input_files("input[type=file]", files=[
        {"name": "akses_smp.csv", "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name="Simpan sebagai versi baru").wait_for(timeout=60_000)
    out["validate"] = (settled(page) - start, runs_seen[0] - before)
    start, before = time.perf_counter(), runs_seen[0]
    page.get_by_text("Saya sudah memeriksa laporan").click()
    out["confirm"] = (settled(page) - start, runs_seen[0] - before)
    start, before = time.perf_counter(), runs_seen[0]
    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    out["commit"] = (settled(page, until="sekarang aktif") - start, runs_seen[0] - before)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    codes = sorted(regions.kecamatan()["kode"])
    assert len(codes) == 666
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(Path(tmp))
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            proc, base = start_server()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        try:
            with sync_playwright() as pw:
                browser = launch_browser(pw)
                results = drive(browser, base, codes, args.runs)
                browser.close()
        finally:
            stop_server(proc)
    report(results)
    return 0


def drive(browser, base: str, codes: list[str], runs: int) -> list[dict]:
    page = browser.new_context(viewport={"width": 1400, "height": 950}, locale="id-ID").new_page()
    runs_seen = [0]

    def on_socket(ws):
        def count(payload):
            if isinstance(payload, bytes):
                if ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished":
                    runs_seen[0] += 1

        ws.on("framereceived", count)

    page.on("websocket", on_socket)
    page.goto(f"{base}/unggah")
    settled(page, until="Nama pengguna")
    page.get_by_label("Nama pengguna").fill("ana")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
    settled(page)
    results = []
    for i in range(runs + 1):  # the first is a warm-up
        result = one_run(page, runs_seen, file_666(codes, seed=i))
        if i:
            results.append(result)
        print(f"run {i}{' (warm-up)' if not i else ''}: " + ", ".join(
            f"{k} {t:.2f} s / {n} run(s)" for k, (t, n) in result.items()), flush=True)
    return results


def report(results: list[dict]) -> None:
    print(f"\nload average {os.getloadavg()[0]:.1f}; {len(results)} runs")
    print(f"{'action':<10} {'median':>8} {'min–max':>14}  script runs per action")
    for action in ("validate", "confirm", "commit"):
        times = [r[action][0] for r in results]
        counts = sorted({r[action][1] for r in results})
        print(f"{action:<10} {statistics.median(times):>7.2f}s {min(times):>6.2f}–{max(times):.2f}s"
              f"  {', '.join(map(str, counts))}")
    total = [r["validate"][0] + r["commit"][0] for r in results]
    print(f"{'val+commit':<10} {statistics.median(total):>7.2f}s {min(total):>6.2f}–{max(total):.2f}s")


if __name__ == "__main__":
    raise SystemExit(main())
