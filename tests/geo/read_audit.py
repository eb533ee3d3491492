"""Run ``python -m pipeline build`` while recording every file opened or listed.

Used by ``test_geo_reads.py``: ``python read_audit.py OUT.json build --force ...``. Writes
``{"status": exit status, "events": [[event, path], ...]}``.
"""

from __future__ import annotations

import json
import os
import sys

EVENTS: list[list[str]] = []


def _hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        EVENTS.append(["open", os.fsdecode(args[0])])
    elif event in ("os.listdir", "os.scandir", "glob.glob") and args:
        EVENTS.append([event, os.fsdecode(args[0]) if args[0] is not None else "."])


if __name__ == "__main__":
    out = sys.argv[1]
    sys.addaudithook(_hook)
    from pipeline.cli import main

    status = main(sys.argv[2:])
    with open(out, "w") as fh:
        json.dump({"status": status, "events": EVENTS}, fh)
