"""Run the dashboard as N Streamlit replicas behind nginx on loopback, or stop them.

    .venv/bin/python scripts/serve.py start [--replicas 2] [--port 8500] [--run-dir .run/serve]
    .venv/bin/python scripts/serve.py stop  [--run-dir .run/serve]

``make serve`` / ``make serve-stop`` call it. ``start`` launches the replicas on free loopback
ports (``streamlit run dashboard.py``), waits until each answers ``/_stcore/health``, writes
``nginx.conf`` from ``deploy/nginx.conf.in`` into the run directory and starts Debian's nginx
with it (``nginx -p RUN -c RUN/nginx.conf``); it prints the URL and returns, leaving them
running. The run directory holds their pids, ports and logs; ``stop`` ends them all. Every
replica reads the same store (``RBK_DATABASE_URL`` or the default SQLite file), so a commit
made through one is seen by the others at their next rerun (``ui.data.cache.stamp``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf.in"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
#: Streamlit's own static assets (js/, css/, media/ under /static/), served by nginx.
STREAMLIT_STATIC = (
    Path(importlib.util.find_spec("streamlit").submodule_search_locations[0]) / "static" / "static"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"not healthy after {timeout:.0f} s: {url}")


def start_replica(port: int, run: Path) -> int:
    log = open(run / f"replica-{port}.log", "w")  # noqa: SIM115 - stays open with the child
    cmd = [
        sys.executable, "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
    ]  # fmt: skip
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    return proc.pid


def nginx_user(run: Path) -> str:
    """Run the workers unprivileged when started as root; they only need the temp dirs."""
    if os.geteuid() != 0:
        return ""
    for name in ("www-data", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        for sub in (run / "tmp").iterdir():
            os.chown(sub, entry.pw_uid, entry.pw_gid)
        return f"user {name};"
    return ""


def write_config(run: Path, port: int, replicas: list[int]) -> Path:
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in replicas
    )
    text = (
        TEMPLATE.read_text()
        .replace("@USER@", nginx_user(run))
        .replace("@RUN@", str(run))
        .replace("@ROOT@", str(ROOT))
        .replace("@STREAMLIT_STATIC@", str(STREAMLIT_STATIC))
        .replace("@PORT@", str(port))
        .replace("@MAX_MB@", os.environ.get("RBK_UPLOAD_MAX_MB", "25"))
        .replace("@SERVERS@", servers)
    )
    conf = run / "nginx.conf"
    conf.write_text(text)
    return conf


def start(replicas: int, port: int, run: Path) -> dict:
    if not Path(NGINX).exists():
        raise SystemExit("nginx is not installed: run 'make serve' (as root it installs it).")
    if (run / "state.json").exists():
        stop(run)
    run.mkdir(parents=True, exist_ok=True)
    ports = [free_port() for _ in range(replicas)]
    pids = [start_replica(p, run) for p in ports]
    state = {"port": port, "replicas": dict(zip(map(str, ports), pids, strict=True))}
    (run / "state.json").write_text(json.dumps(state))
    for p in ports:
        wait_healthy(f"http://127.0.0.1:{p}/_stcore/health")
    conf = write_config(run, port, ports)
    subprocess.run([NGINX, "-t", "-q", "-p", str(run), "-c", str(conf)], check=True)
    subprocess.run([NGINX, "-p", str(run), "-c", str(conf)], check=True)
    wait_healthy(f"http://localhost:{port}/_stcore/health")
    return state


def stop(run: Path) -> None:
    state_file = run / "state.json"
    conf = run / "nginx.conf"
    if (run / "nginx.pid").exists():
        subprocess.run([NGINX, "-p", str(run), "-c", str(conf), "-s", "quit"], check=False)
    if state_file.exists():
        for pid in json.loads(state_file.read_text())["replicas"].values():
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        state_file.unlink()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--run-dir", type=Path, default=ROOT / ".run" / "serve")
    args = parser.parse_args(argv)
    run = args.run_dir.resolve()
    if args.action == "stop":
        stop(run)
        print("stopped")
        return
    state = start(args.replicas, args.port, run)
    ports = ", ".join(state["replicas"])
    print(f"http://localhost:{args.port}  (nginx; {args.replicas} replicas on {ports})")


if __name__ == "__main__":
    main()
