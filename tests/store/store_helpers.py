"""Helpers shared by the store tests (a uniquely named module, not conftest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("_worker.py")


def kecamatan_frame(indicator: str, values, year: int = 2024, start: int = 1) -> pd.DataFrame:
    """A commit-ready frame for kecamatan 35.01.01, 35.01.02, ... with the given values."""
    codes = [
        f"35.{1 + (i // 20):02d}.{1 + i % 20:02d}"
        for i in range(start - 1, start - 1 + len(values))
    ]
    return pd.DataFrame(
        {
            "region_code": codes,
            "level": "kecamatan",
            "indicator": indicator,
            "year": year,
            "value": list(values),
        }
    )


def run_worker(url, action, args, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, action, json.dumps(args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def wait_for(path: Path, proc, timeout=30.0):
    end = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"worker ended early: {proc.stderr.read()}")
        if time.monotonic() > end:
            raise AssertionError("worker never reached its pause")
        time.sleep(0.02)
