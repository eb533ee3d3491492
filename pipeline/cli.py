"""Command line of the pipeline: ``python -m pipeline build``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from manifest import ManifestError
from pipeline.errors import PipelineError
from pipeline.steps import STEPS, Context


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline", description="Build data/build/ from the sources manifest."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="acquire the sources and run the build steps")
    build.add_argument(
        "--sources",
        metavar="DIR",
        type=Path,
        help="local mirror laid out <owner>/<repo>/<path> (default: $RBK_SOURCES, else download)",
    )
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    build.add_argument("--only", nargs="+", metavar="STEP", help="run only these steps")
    build.add_argument("--quiet", action="store_true", help="no progress display")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 build failed, 2 usage)."""
    args = _parser().parse_args(argv)
    if args.sources is not None:
        if not args.sources.is_dir():
            print(f"error: --sources {args.sources} is not a directory", file=sys.stderr)
            return 2
        os.environ["RBK_SOURCES"] = str(args.sources.resolve())

    steps = STEPS
    if args.only:
        names = {s.name for s in STEPS}
        unknown = sorted(set(args.only) - names)
        if unknown:
            print(f"error: unknown steps {unknown}; steps are {sorted(names)}", file=sys.stderr)
            return 2
        steps = [s for s in STEPS if s.name in args.only]

    t0 = time.perf_counter()
    for i, step in enumerate(steps, start=1):
        head = f"[{i}/{len(steps)} {step.name}]"
        start = time.perf_counter()

        def progress(message: str, head: str = head, start: float = start) -> None:
            if not args.quiet:
                print(f"{head} {time.perf_counter() - start:6.1f} s  {message}", file=sys.stderr)

        try:
            summary = step.run(Context(force=args.force, progress=progress))
        except (PipelineError, ManifestError) as exc:
            print(f"{head} FAILED: {exc}", file=sys.stderr)
            print("The last good build is left in place.", file=sys.stderr)
            return 1
        print(f"{head} {summary}", file=sys.stderr)
    print(f"build done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0
