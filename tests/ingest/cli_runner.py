"""Run ``python -m ingest`` in a subprocess, with the crosswalk gazetteer when regions is not built.

Used by the subprocess tests (SIGKILL, concurrency, no traceback):
``python tests/ingest/cli_runner.py FILE [options]`` behaves exactly as ``python -m ingest``,
except that when ``regions`` has no build yet the kecamatan list comes from the crosswalk of
the source mirror (the same one the in-process tests use).
"""

from __future__ import annotations

import os
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    """Patch the gazetteer (and the pause hook) when needed, then run ``python -m ingest``."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ingest.keys import Gazetteer

    try:
        Gazetteer.from_regions()
    except Exception:
        from conftest import crosswalk_frames

        _kec, _kab = crosswalk_frames()
        _gaz = Gazetteer(_kec, _kab)
        Gazetteer.from_regions = classmethod(lambda cls: _gaz)

    # Test hook: pause a commit at one of the store's checkpoints (store.writes._checkpoint), say so
    # on stderr, and wait until the release file exists (or forever, to be killed there).
    _stage = os.environ.get("INGEST_TEST_PAUSE_AT")
    if _stage:
        import store.writes

        def _pause(stage: str, _orig=store.writes._checkpoint) -> None:
            if stage == _stage:
                print(f"PAUSED {stage}", file=sys.stderr, flush=True)
                release = os.environ.get("INGEST_TEST_RELEASE", "")
                while not (release and os.path.exists(release)):
                    time.sleep(0.05)
            _orig(stage)

        store.writes._checkpoint = _pause

    sys.argv[0] = "python -m ingest"
    runpy.run_module("ingest", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
