"""Helper run in a separate process by the store tests (not a test module).

Usage: python _worker.py URL ACTION JSON_ARGS

ACTION ``commit_pause``: commit a frame of ``n`` kecamatan values of two indicators (value
``v``) and, at checkpoint ``stage``, create the file ``marker`` and sleep ``sleep`` seconds
before continuing (the parent may kill it meanwhile).

ACTION ``read_loop``: read both indicators in one ``wide`` call repeatedly for ``seconds``
and print one JSON line: the sorted distinct (sum of first, sum of second) states seen.

ACTION ``race``: for each of ``rounds`` rounds, create ``<dir>/ready.<round>.<name>``, wait
for ``<dir>/go.<round>``, then do ``op`` at once (``commit``: a frame of ``n`` values
``v = base + round`` in dataset ``race``; ``rollback``: roll ``cakupan_pkh`` back one version)
and print one JSON line per round: ``{"round", "outcome", "type", "code"}`` where outcome is
``ok`` or the exception's class name.

ACTION ``commit_loop``: print ``ready``, then commit frames of ``n`` values ``v = base + i / 1000``
(i = 0, 1, ...) one after the other until killed.
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
    elif action == "race":
        race(url, args)
    elif action == "commit_loop":
        commit_loop(url, args)


def race(url: str, args: dict) -> None:
    folder = Path(args["dir"])
    for r in range(args["rounds"]):
        (folder / f"ready.{r}.{args['name']}").write_text("ready")
        go = folder / f"go.{r}"
        while not go.exists():
            time.sleep(0.001)
        outcome = {"round": r, "outcome": "ok", "type": None, "code": None}
        try:
            if args["op"] == "commit":
                v = args["base"] + r
                store.commit(frame(args["n"], v), dataset="race", actor=args["name"], url=url)
            elif args["op"] == "open":  # the first use of a new store, one per round
                store.check(args["urls"][r])
            else:
                store.rollback("cakupan_pkh", actor=args["name"], url=url)
        except Exception as exc:  # the test asserts which kinds are acceptable
            outcome.update(
                outcome=type(exc).__name__,
                type=type(exc).__name__,
                code=getattr(exc, "code", None),
                text=str(exc)[:300],
            )
        print(json.dumps(outcome), flush=True)


def commit_loop(url: str, args: dict) -> None:
    store.get_engine(url)
    print("ready", flush=True)
    i = 0
    while True:
        v = args["base"] + i / 1000  # cakupan_* are percentages
        store.commit(frame(args["n"], v), dataset="loop", actor="loop", url=url)
        i += 1


if __name__ == "__main__":
    main()
