"""Helper run in a separate process by the store tests (not a test module).

Usage: python _worker.py URL ACTION JSON_ARGS

ACTION ``commit_pause``: commit a frame of ``n`` kecamatan values of two indicators (value
``v``) and, at checkpoint ``stage``, create the file ``marker`` and sleep ``sleep`` seconds
before continuing (the parent may kill it meanwhile).

ACTION ``read_loop``: read both indicators in one ``wide`` call repeatedly for ``seconds``
and print one JSON line: the sorted distinct (sum of first, sum of second) states seen.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd

import store
from store import writes

IND = ("cakupan_pkh", "cakupan_bpnt")


def frame(n: int, v: float) -> pd.DataFrame:
    codes = [f"35.{1 + i // 50:02d}.{1 + i % 50:02d}" for i in range(n)]
    parts = [
        pd.DataFrame(
            {"region_code": codes, "level": "kecamatan", "indicator": ind, "year": 2020, "value": v}
        )
        for ind in IND
    ]
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    url, action, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    if action == "commit_pause":

        def pause(stage: str) -> None:
            if stage == args["stage"]:
                Path(args["marker"]).write_text("paused")
                time.sleep(args["sleep"])

        writes._checkpoint = pause
        result = store.commit(
            frame(args["n"], args["v"]), dataset="worker", actor="worker", url=url
        )
        print(json.dumps({"status": result.status, "version_id": result.version_id}))
    elif action == "read_loop":
        seen = set()
        end = time.monotonic() + args["seconds"]
        reads = 0
        while time.monotonic() < end:
            w = store.wide(list(IND), level="kecamatan", years=2020, url=url)
            seen.add(
                tuple(round(float(w[c].sum()), 6) if c in w else None for c in IND) + (len(w),)
            )
            reads += 1
        print(json.dumps({"seen": sorted(seen, key=str), "reads": reads}))


if __name__ == "__main__":
    main()
