"""Run ``python -m ingest`` in a subprocess, with the crosswalk gazetteer when regions is not built.

Used by the subprocess tests (SIGKILL, concurrency, no traceback):
``python tests/ingest/cli_runner.py FILE [options]`` behaves exactly as ``python -m ingest``,
except that when ``regions`` has no build yet the kecamatan list comes from the crosswalk of
the source mirror (the same one the in-process tests use).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest.keys import Gazetteer  # noqa: E402

try:
    Gazetteer.from_regions()
except Exception:
    from conftest import crosswalk_frames  # noqa: E402

    _kec, _kab = crosswalk_frames()
    _gaz = Gazetteer(_kec, _kab)
    Gazetteer.from_regions = classmethod(lambda cls: _gaz)

sys.argv[0] = "python -m ingest"
runpy.run_module("ingest", run_name="__main__", alter_sys=True)
