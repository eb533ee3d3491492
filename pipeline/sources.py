"""Acquire the upstream source files listed in ``data/sources.toml``.

Every file the pipeline reads comes through :func:`fetch`, which returns a verified local
copy under ``settings.CACHE_DIR`` (laid out ``<owner>/<repo>/<path>``). The copy is taken from
the local mirror when one is configured (``RBK_SOURCES`` or ``--sources DIR``), otherwise it is
downloaded from the pinned raw address; its sha256 is checked either way. A file that the
manifest does not list is refused.

The manifest itself (its model, validation and cache) is the bottom-layer module
:mod:`manifest`; its public names are re-exported here for the pipeline's callers.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

import settings
from manifest import (
    REQUIRED_FIELDS,
    ManifestError,
    SourceFile,
    load_manifest,
    manifest,
)
from pipeline.errors import PipelineError

__all__ = [
    "REQUIRED_FIELDS",
    "FETCHED",
    "ManifestError",
    "SourceError",
    "SourceFile",
    "cache_path",
    "fetch",
    "fetch_all",
    "load_manifest",
    "manifest",
    "sha256_of",
]

#: Seconds to wait for a network response, attempts per file, first back-off in seconds.
TIMEOUT = 30
ATTEMPTS = 3
BACKOFF = 2.0

_CHUNK = 1 << 20


class SourceError(PipelineError):
    """A source file could not be acquired or verified; the message says which and how to fix."""


#: Ids of the files handed out by :func:`fetch` in this process (for provenance and tests).
FETCHED: set[str] = set()


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def cache_path(file_id: str) -> Path:
    """Where the verified copy of ``file_id`` lives (it may not exist yet)."""
    return settings.CACHE_DIR / _entry(file_id).relpath


def _entry(file_id: str) -> SourceFile:
    files = manifest()
    if file_id not in files:
        raise SourceError(
            f"Source file {file_id!r} is not in the manifest {settings.MANIFEST}; "
            "add a [[file]] there (id, source, path, sha256; its source needs a [[source]] "
            "origin record) before the pipeline may read it."
        )
    return files[file_id]


def _mirror_dir(mirror: Path | str | None) -> Path | None:
    if mirror is not None:
        return Path(mirror)
    return settings.sources_mirror()


def fetch(file_id: str, *, mirror: Path | str | None = None, progress: bool = True) -> Path:
    """Return a verified local copy of a manifest file.

    Parameters
    ----------
    file_id : str
        The ``id`` of a ``[[file]]`` entry in ``data/sources.toml``.
    mirror : Path or str, optional
        A local mirror laid out ``<owner>/<repo>/<path>``; defaults to ``RBK_SOURCES``.
        When a mirror is configured it is the only place looked at (no download).
    progress : bool
        Show a progress bar while downloading.

    Returns
    -------
    Path
        The checksum-verified copy under ``<build dir>/sources/<owner>/<repo>/<path>``.

    Raises
    ------
    SourceError
        When the file is not in the manifest, is missing from the mirror, cannot be
        downloaded, or its sha256 differs from the manifest. The message names the file,
        where it looked and how to fix it.
    """
    entry = _entry(file_id)
    target = cache_path(file_id)
    mirror_dir = _mirror_dir(mirror)
    if mirror_dir is not None:
        source = mirror_dir / entry.relpath
        if not source.is_file():
            raise SourceError(
                f"Source file {entry.id!r} ({entry.repo}/{entry.path}) is missing from the "
                f"mirror: looked for {source}. Fix: restore the mirror (it must be laid out "
                "<owner>/<repo>/<path>), point RBK_SOURCES / --sources at a complete mirror, "
                "or unset RBK_SOURCES to download it."
            )
        if _cached_ok(target, entry, reference=source):
            FETCHED.add(entry.id)
            return target
        actual = sha256_of(source)
        if actual != entry.sha256:
            raise SourceError(
                f"Source file {entry.id!r} in the mirror is corrupted or truncated: {source} "
                f"has sha256 {actual}, the manifest expects {entry.sha256}. Fix: replace it "
                f"with the file from {entry.url}."
            )
        _atomic_copy(source, target, entry)
        FETCHED.add(entry.id)
        return target
    if _cached_ok(target, entry):
        FETCHED.add(entry.id)
        return target
    _download(entry, target, progress=progress)
    FETCHED.add(entry.id)
    return target


def fetch_all(ids=None, *, mirror: Path | str | None = None, progress: bool = True) -> dict:
    """Fetch several manifest files (all by default); returns ``{id: Path}``."""
    ids = list(manifest()) if ids is None else list(ids)
    return {i: fetch(i, mirror=mirror, progress=progress) for i in ids}


# A small side file records the size, mtime and sha256 of a verified cached copy, so that a
# rebuild with nothing changed does not hash 40 MB again.
def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def _cached_ok(target: Path, entry: SourceFile, reference: Path | None = None) -> bool:
    if not target.is_file():
        return False
    st = target.stat()
    stamp = _stamp_path(target)
    want = f"{entry.sha256} {st.st_size} {st.st_mtime_ns}"
    if reference is not None:
        rst = reference.stat()
        want += f" {rst.st_size} {rst.st_mtime_ns}"
    try:
        if stamp.read_text().strip() == want:
            return True
    except OSError:
        pass
    if reference is not None:
        # The mirror may have changed since the copy was made: verify the mirror file itself.
        return False
    if sha256_of(target) == entry.sha256:
        stamp.write_text(want)
        return True
    return False


def _write_stamp(target: Path, entry: SourceFile, reference: Path | None = None) -> None:
    st = target.stat()
    want = f"{entry.sha256} {st.st_size} {st.st_mtime_ns}"
    if reference is not None:
        rst = reference.stat()
        want += f" {rst.st_size} {rst.st_mtime_ns}"
    _stamp_path(target).write_text(want)


def _atomic_copy(source: Path, target: Path, entry: SourceFile) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _write_stamp(target, entry, reference=source)


def _download(entry: SourceFile, target: Path, *, progress: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    last_error: Exception | None = None
    for attempt in range(1, ATTEMPTS + 1):
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(fd)
        try:
            _download_once(entry, Path(tmp), progress=progress)
            actual = sha256_of(Path(tmp))
            if actual != entry.sha256:
                raise SourceError(
                    f"Source file {entry.id!r} downloaded from {entry.url} has sha256 {actual}, "
                    f"the manifest expects {entry.sha256}. The upstream file changed or the "
                    "download was damaged; fix the manifest or use a verified mirror "
                    "(RBK_SOURCES / --sources)."
                )
            os.replace(tmp, target)
            _write_stamp(target, entry)
            return
        except SourceError:
            raise
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            last_error = exc
            if attempt < ATTEMPTS:
                time.sleep(BACKOFF * 2 ** (attempt - 1))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    raise SourceError(
        f"Cannot download source file {entry.id!r} from {entry.url} after {ATTEMPTS} "
        f"attempts ({last_error}); no mirror is configured (RBK_SOURCES is unset) and there is "
        f"no verified copy at {target}. Fix: connect to the internet, or point RBK_SOURCES "
        "(or --sources DIR) at a mirror laid out <owner>/<repo>/<path>."
    )


def _download_once(entry: SourceFile, tmp: Path, *, progress: bool) -> None:
    request = urllib.request.Request(entry.url, headers={"User-Agent": "rbk-pipeline"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response, open(tmp, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            desc=f"download {entry.id}",
            disable=not progress,
            file=sys.stderr,
            leave=False,
        ) as bar:
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                bar.update(len(chunk))
