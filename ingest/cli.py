"""``python -m ingest FILE [--year YEAR] [--dry-run] [--json] [--values-out OUT.csv]``.

Contract (tools rely on it; see ``docs/upload.md``):

- exit 0 when the file is accepted (warnings allowed; committed unless ``--dry-run``),
  1 when it is rejected (or the store refuses the commit), 2 for a usage error; never a
  traceback;
- ``--json`` prints ``{"accepted", "rows", "matched", "errors", "warnings", ...}`` to stdout,
  each issue with ``code``, ``row``, ``line``, ``column``, ``value`` and ``message``;
- ``--values-out`` writes ``region_code, indicator, source_column, year, value`` as CSV;
- ``--dry-run`` changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys

import store
from ingest.commit import DEFAULT_DATASET, commit
from ingest.limits import Limits
from ingest.report import Report
from ingest.specs import Options, Result, empty_values
from ingest.validate import validate_bytes
from store.messages import Message

EXIT_ACCEPTED, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
VALUES_OUT_COLUMNS = ["region_code", "indicator", "source_column", "year", "value"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m ingest``."""
    p = _Parser(prog="python -m ingest",
                description="Validate (and commit) an indicator file of the 666 kecamatan of East Java.")
    p.add_argument("file", help="CSV/TSV/TXT or XLSX file (the kind is decided from the content)")
    p.add_argument("--year", type=int, help="year of the values of a wide file without a year column")
    p.add_argument("--dry-run", action="store_true", help="validate only; change nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    p.add_argument("--values-out", metavar="OUT.csv", help="write the validated values as CSV")
    p.add_argument("--sheet", help="worksheet of an XLSX (name or 0-based index)")
    p.add_argument("--locale", choices=("auto", "id", "en"), default="auto",
                   help="number format: auto (decided from the file), id (1.234,5) or en (1,234.5)")
    p.add_argument("--lang", choices=("id", "en"), default=os.environ.get("RBK_LANG", "id"),
                   help="language of the messages (field 'message'); both are in the JSON")
    p.add_argument("--actor", default=os.environ.get("USER") or "cli", help="who commits (audit log)")
    p.add_argument("--dataset", default=None, help="dataset name of the new version")
    p.add_argument("--max-mb", type=float, default=None, help="file size limit in MB (default 25)")
    return p


def _neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_values(path: str, values) -> None:
    """Write the validated values (CLI ``--values-out``); text cells neutralised for spreadsheets."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(VALUES_OUT_COLUMNS)
        for rec in values[VALUES_OUT_COLUMNS].itertuples(index=False, name=None):
            code, ind, col, year, value = rec
            w.writerow([_neutralise(code), _neutralise(ind), _neutralise(col), int(year), repr(float(value))])


def _text(key: str, lang: str, **params) -> str:
    return Message.of(f"ingest.cli.{key}", **params).text(lang)


def _print_human(report, meta, lang: str, committed: dict | None, out) -> None:
    verdict = _text("accepted" if report.accepted else "rejected", lang)
    print(_text("summary", lang, name=meta.get("filename") or "", verdict=verdict, rows=report.rows,
                matched=report.matched, errors=report.error_count(), warnings=report.warning_count()),
          file=out)
    for issue in report.errors:
        print(_text("error", lang, message=issue.message(lang)), file=out)
    for issue in report.warnings:
        print(_text("warning", lang, message=issue.message(lang)), file=out)
    if committed:
        print(committed["message_id"] if lang == "id" else committed["message_en"], file=out)


class _UsageError(Exception):
    """A problem with the command line itself (exit 2): the message goes to stderr."""


def _limits(args) -> Limits:
    if args.max_mb is None:
        return Limits()
    if args.max_mb <= 0:
        build_parser().error("--max-mb must be positive")
    return Limits(max_bytes=int(args.max_mb * 1_000_000))


def _validate_file(args, limits: Limits) -> Result:
    """Validate the file of the command line (refused by size before reading a byte)."""
    path = args.file
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise _UsageError(f"cannot read {path!r}: {exc.strerror}") from exc
    if not os.path.isfile(path):
        raise _UsageError(f"{path!r} is not a file")
    filename = os.path.basename(path)
    if size > limits.max_bytes:
        report = Report()
        report.error("file_too_large", size_mb=f"{size / 1e6:,.1f}", limit_mb=f"{limits.max_bytes / 1e6:,.0f}")
        return Result(report, empty_values(), [], {"filename": filename, "size": size})
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.max_bytes + 1)
    except OSError as exc:
        raise _UsageError(f"cannot read {path!r}: {exc.strerror}") from exc
    catalogue, problem = _catalogue()
    options = Options(year=args.year, sheet=args.sheet, locale=args.locale, limits=limits)
    result = validate_bytes(data, filename=filename, options=options, catalogue=catalogue)
    if problem is not None:
        result.meta["catalogue_checked"] = False
        if args.dry_run:  # validate without the catalogue, and say so
            result.report.warn("catalogue_skipped", reason=_reason(problem))
        else:  # nothing can be stored: the file is not accepted for a commit
            result.report.error("store_unavailable", reason=_reason(problem))
    return result


def _catalogue():
    """``(catalogue, None)``, or ``(None, the store's error)`` when the store cannot be used
    (missing, read-only and out of date, truncated, overwritten, busy)."""
    try:
        store.check()
        with store.guard():
            return store.catalogue(), None
    except store.StoreError as exc:
        return None, exc


def _reason(exc: store.StoreError) -> Message:
    """The store's error as a message parameter (translated into the report's language)."""
    return Message.of(f"store.error.{exc.code}", **exc.params)


def _commit(args, result: Result) -> dict | None:
    """Commit an accepted file unless ``--dry-run``; the ``committed`` record of the contract."""
    report = result.report
    if not report.accepted or args.dry_run:
        return None
    if result.store_frame().empty:
        report.warn("nothing_to_store")
        return None
    try:
        with store.guard(write=True):
            res = commit(result, actor=args.actor, dataset=args.dataset or DEFAULT_DATASET)
        found = store.stored_rows(res.version_id)  # read back: "stored" only when it is there
    except Exception as exc:
        _store_failure(report, exc)
        return None
    if found != res.rows:
        report.error("commit_unverified", number=res.number, found=found, rows=res.rows)
        return None
    return {"status": res.status, "version_id": res.version_id, "dataset": res.dataset,
            "number": res.number, "rows": res.rows, "message_id": res.message_id,
            "message_en": res.message_en}


def run(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (never raises on bad input)."""
    args = build_parser().parse_args(argv)
    limits = _limits(args)
    try:
        result = _validate_file(args, limits)
    except _UsageError as exc:
        print(f"python -m ingest: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    report = result.report
    committed = _commit(args, result)
    if args.values_out:
        try:
            write_values(args.values_out, result.values if report.accepted else empty_values())
        except OSError as exc:
            print(f"python -m ingest: error: cannot write {args.values_out!r}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    meta = {k: v for k, v in result.meta.items() if k in
            ("filename", "kind", "encoding", "delimiter", "sheet", "shape", "locale", "sha256", "size")}
    if args.json:
        out = report.as_dict(args.lang)
        out["file"] = meta
        out["committed"] = committed
        out["dry_run"] = bool(args.dry_run)
        out["catalogue_checked"] = result.meta.get("catalogue_checked", True)
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
    else:
        _print_human(report, meta, args.lang, committed, sys.stdout)
    return EXIT_ACCEPTED if report.accepted else EXIT_REJECTED


def _store_failure(report, exc: Exception) -> None:
    if isinstance(exc, store.StoreBusyError):
        report.error("commit_busy")
    elif isinstance(exc, store.StoreUnavailable):
        report.error("store_unavailable", reason=_reason(exc))
    elif isinstance(exc, store.StoreError):
        report.error("store_error", reason=_reason(exc))
        for d in exc.details[:50]:
            report.error("store_error", row=d.get("row"), column=d.get("column"), value=d.get("value"),
                         reason=d.get("message_en", ""))
    else:
        report.error("internal_error", reason=type(exc).__name__)


def main(argv: list[str] | None = None) -> int:
    """Entry point: :func:`run` with a last guard so that no traceback ever reaches the user."""
    code = EXIT_REJECTED
    try:
        code = run(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly, keep the verdict
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return code
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        print("python -m ingest: interrupted; nothing was stored", file=sys.stderr)
        return EXIT_REJECTED
    except Exception as exc:
        msg = {"accepted": False, "rows": 0, "matched": 0, "warnings": [], "errors": [{
            "code": "internal_error", "row": None, "line": None, "column": None, "value": None,
            "message": f"Internal error ({type(exc).__name__}); nothing was stored."}]}
        if argv is not None and "--json" in argv or "--json" in sys.argv:
            print(json.dumps(msg))
        else:
            print(msg["errors"][0]["message"], file=sys.stderr)
        return EXIT_REJECTED
