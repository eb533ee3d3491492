"""Backups of the store while the dashboard runs, and their restore into a new store.

``python -m store.backup create [--url URL] [--out DIR]`` (``make backup``) writes one
consistent copy of the store (default :func:`settings.database_url`) to
``DIR/rbk-<UTC time>.sqlite`` or ``.pgdump`` (default ``backups/``);
``python -m store.backup restore FILE --to URL`` restores it. Messages are in ``--lang``
(``RBK_LANG``, default ``id``); the exit code is 0 on success, 1 otherwise.

SQLite
    The online backup API (:meth:`sqlite3.Connection.backup`) copies the database in one
    step under a read transaction: writers elsewhere go on, the copy is one committed state.
PostgreSQL
    ``pg_dump --format=custom`` (one snapshot of the database) and ``pg_restore
    --single-transaction --exit-on-error``. The clients come with Debian's
    ``postgresql-client``; their major version must not be older than the server's.

A restore never overwrites anything: the target must be a new SQLite file or an empty
PostgreSQL database (``createdb``); point ``RBK_DATABASE_URL`` at it afterwards. A backup is
written under a temporary name and renamed when complete, so a file named ``rbk-*`` is whole.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url

import settings
from i18n import Bilingual

from .messages import Message
from .postgres import driver_url

SUFFIXES = {"sqlite": ".sqlite", "postgresql": ".pgdump"}


class BackupError(Bilingual, RuntimeError):
    """A backup or restore was refused or failed; nothing was changed (``backup.error.<code>``)."""

    def __init__(self, code: str, /, **params):
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        """The message in ``lang`` (``"id"`` or ``"en"``)."""
        return Message(f"backup.error.{self.code}", tuple(self.params.items())).text(lang)


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _backend(url: URL) -> str:
    name = url.get_backend_name()
    if name not in SUFFIXES:
        raise BackupError("unsupported", store=_shown(url))
    return name


def create(url: str | None = None, out_dir: Path | None = None) -> Path:
    """Write a backup of the store at ``url`` into ``out_dir``; return the file's path.

    Raises
    ------
    BackupError
        No store at ``url``, or the copy failed (no file is left under the final name).
    """
    parsed = make_url(url or settings.database_url())
    kind = _backend(parsed)
    out_dir = Path(out_dir or settings.ROOT / "backups")
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = out_dir / f"rbk-{stamp}{SUFFIXES[kind]}"
    partial = final.with_name(final.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if kind == "sqlite":
            _sqlite_backup(parsed, partial)
        else:
            _run("pg_dump", ["--format=custom", f"--file={partial}"], parsed)
        partial.replace(final)
    finally:
        partial.unlink(missing_ok=True)
    return final


def _sqlite_backup(url: URL, dest: Path) -> None:
    source = Path(url.database or "")
    if not source.is_file():
        raise BackupError("no_store", store=_shown(url))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)  # all pages in one step: one committed state
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("copy_failed", path=str(dest), detail="integrity_check")
    except sqlite3.Error as exc:
        raise BackupError("copy_failed", path=str(dest), detail=str(exc)) from exc
    finally:
        dst.close()
        src.close()


def restore(path: Path | str, url: str) -> None:
    """Restore the backup ``path`` into the new, empty store at ``url``.

    Raises
    ------
    BackupError
        The target holds tables already, is of the other backend, or the restore failed
        (a PostgreSQL restore is one transaction; a SQLite one is written under a temporary
        name first): the target is unchanged.
    """
    path = Path(path)
    parsed = make_url(url)
    kind = _backend(parsed)
    if not path.is_file():
        raise BackupError("no_backup", path=str(path))
    if path.suffix != SUFFIXES[kind]:
        raise BackupError("wrong_kind", path=str(path), store=_shown(parsed))
    if not _empty(parsed):
        raise BackupError("not_empty", store=_shown(parsed))
    if kind == "postgresql":
        _run(
            "pg_restore",
            ["--no-owner", "--exit-on-error", "--single-transaction", str(path)],
            parsed,
            database_flag=True,
        )
        return
    target = Path(parsed.database)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        partial.replace(target)
    except sqlite3.Error as exc:
        raise BackupError("copy_failed", path=str(path), detail=str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)


def _empty(url: URL) -> bool:
    """Whether the target holds no table (a missing SQLite file is empty)."""
    if url.get_backend_name() == "sqlite":
        target = Path(url.database or "")
        if not target.exists() or target.stat().st_size == 0:
            return True
    engine = create_engine(driver_url(url))
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _run(tool: str, args: list[str], url: URL, database_flag: bool = False) -> None:
    """Run a PostgreSQL client on the database of ``url`` (the password only in its env)."""
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError("no_tool", tool=tool)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    conn = [f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}"]
    if url.username:
        conn.append(f"--username={url.username}")
    conn.append(f"--dbname={url.database}")
    proc = subprocess.run(
        [exe, *conn, "--no-password", *args], env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise BackupError("tool_failed", tool=tool, detail=proc.stderr.strip()[-1000:])


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring); returns the exit code."""
    p = argparse.ArgumentParser(prog="python -m store.backup", description=__doc__.split("\n")[0])
    p.add_argument("--lang", choices=("id", "en"), default=os.environ.get("RBK_LANG", "id"))
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("create", help="write a backup of the store")
    c.add_argument("--url", help="store URL (default: RBK_DATABASE_URL or data/store)")
    c.add_argument("--out", type=Path, help="folder of the backups (default: backups/)")
    r = sub.add_parser("restore", help="restore a backup into a new, empty store")
    r.add_argument("file", type=Path)
    r.add_argument("--to", required=True, help="URL of the new, empty store")
    args = p.parse_args(argv)
    try:
        if args.command == "create":
            path = create(args.url, args.out)
            size = f"{path.stat().st_size / 1e6:.1f} MB"
            print(Message.of("backup.created", path=str(path), size=size).text(args.lang))
        else:
            restore(args.file, args.to)
            shown = _shown(make_url(args.to))
            print(Message.of("backup.restored", path=str(args.file), store=shown).text(args.lang))
    except BackupError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
