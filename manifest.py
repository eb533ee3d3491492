"""The sources manifest (``data/sources.toml``): one origin record per source, files by checksum.

As OWID's snapshots do, each upstream source is described once, by an origin record
(``[[source]]``: ``number``, ``title``, ``repo``, ``commit``, ``producer``, ``licence``,
``licence_file``, ``citation``, ``notes``), and each file the project reads by a short entry
(``[[file]]``: ``id``, ``source`` — the number of its origin record —, ``path``, ``sha256``,
and ``notes`` only where a file needs its own). A file's download address is derived:
``https://raw.githubusercontent.com/<repo>/<commit>/<path>``.

:func:`load_manifest` validates the whole file (every problem is reported with the record it
is in) and returns one :class:`SourceFile` per file, its origin's fields filled in, so that
callers see every file with its provenance. This module is a bottom layer: it imports only
:mod:`settings` and the standard library; the pipeline (``pipeline.sources``) acquires the
files, the dashboard shows their provenance.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import settings

__all__ = [
    "FILE_FIELDS",
    "RAW_URL",
    "REQUIRED_FIELDS",
    "SOURCE_FIELDS",
    "ManifestError",
    "Source",
    "SourceFile",
    "load_manifest",
    "load_origins",
    "manifest",
]

#: The download address of a file, from its origin's repository and commit.
RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"

#: Fields of an origin record (``[[source]]``); all required, only ``licence_file`` may be
#: empty (no licence file upstream).
SOURCE_FIELDS = (
    "number",
    "title",
    "repo",
    "commit",
    "producer",
    "licence",
    "licence_file",
    "citation",
    "notes",
)

#: Required fields of a file entry (``[[file]]``); ``notes`` is optional.
FILE_FIELDS = ("id", "source", "path", "sha256")
_OPTIONAL_FILE_FIELDS = ("notes",)

#: The fields of every :class:`SourceFile` (what callers see of a file).
REQUIRED_FIELDS = (
    "id",
    "source",
    "repo",
    "commit",
    "path",
    "url",
    "sha256",
    "licence",
    "licence_file",
    "producer",
    "citation",
    "notes",
)

_SHA256 = re.compile(r"[0-9a-f]{64}")
_COMMIT = re.compile(r"[0-9a-f]{40}")
_REPO = re.compile(r"[\w.-]+/[\w.-]+")


class ManifestError(ValueError):
    """The manifest cannot be read or is invalid; the message names the file and the record."""


@dataclass(frozen=True)
class Source:
    """One origin record: where a source comes from, who made it, its licence and citation."""

    number: int
    title: str
    repo: str
    commit: str
    producer: str
    licence: str
    licence_file: str
    citation: str
    notes: str


@dataclass(frozen=True)
class SourceFile:
    """One upstream file of the manifest, with the provenance of its source filled in."""

    id: str
    source: int
    repo: str
    commit: str
    path: str
    url: str
    sha256: str
    licence: str
    licence_file: str
    producer: str
    citation: str
    notes: str

    @property
    def relpath(self) -> Path:
        """Location inside a mirror or the cache: ``<owner>/<repo>/<path>``."""
        return Path(self.repo) / self.path


def _fields(entry: dict, required: tuple, optional: tuple, where: str) -> None:
    """Refuse missing, empty (except ``licence_file``) and unknown fields of one record."""
    missing = [k for k in required if k not in entry]
    empty = [
        k
        for k in (*required, *optional)
        if k in entry and k != "licence_file" and str(entry[k]).strip() == ""
    ]
    if missing or empty:
        raise ManifestError(f"{where}: missing fields {missing}, empty fields {empty}")
    unknown = set(entry) - set(required) - set(optional)
    if unknown:
        raise ManifestError(f"{where}: unknown fields {sorted(unknown)}")


def _origins(records: list, path: Path) -> dict[int, Source]:
    """Validate the ``[[source]]`` records; returns them by number."""
    out: dict[int, Source] = {}
    for i, entry in enumerate(records, start=1):
        where = f"{path}, [[source]] #{i} (source {entry.get('number', '?')})"
        _fields(entry, SOURCE_FIELDS, (), where)
        number = entry["number"]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise ManifestError(f"{where}: number must be a positive integer")
        if not _REPO.fullmatch(entry["repo"]):
            raise ManifestError(f"{where}: repo must be <owner>/<name>, not {entry['repo']!r}")
        if not _COMMIT.fullmatch(entry["commit"]):
            raise ManifestError(f"{where}: commit must be 40 lower-case hex digits (pinned)")
        if number in out:
            raise ManifestError(f"{where}: source number {number} repeats")
        out[number] = Source(**{k: entry[k] for k in SOURCE_FIELDS})
    return out


def _file(entry: dict, origins: dict[int, Source], where: str) -> SourceFile:
    """Validate one ``[[file]]`` entry and fill in its origin."""
    _fields(entry, FILE_FIELDS, _OPTIONAL_FILE_FIELDS, where)
    if not _SHA256.fullmatch(str(entry["sha256"])):
        raise ManifestError(f"{where}: sha256 must be 64 lower-case hex digits")
    origin = origins.get(entry["source"])
    if origin is None:
        raise ManifestError(
            f"{where}: source {entry['source']!r} has no [[source]] origin record; "
            "describe the source (repo, commit, producer, licence, citation) before its files"
        )
    notes = origin.notes + (f" {entry['notes']}" if "notes" in entry else "")
    return SourceFile(
        id=entry["id"],
        source=origin.number,
        repo=origin.repo,
        commit=origin.commit,
        path=entry["path"],
        url=RAW_URL.format(repo=origin.repo, commit=origin.commit, path=entry["path"]),
        sha256=entry["sha256"],
        licence=origin.licence,
        licence_file=origin.licence_file,
        producer=origin.producer,
        citation=origin.citation,
        notes=notes,
    )


def _read(path: Path | None) -> tuple[dict[int, Source], dict[str, SourceFile]]:
    path = Path(path or settings.MANIFEST)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"Cannot read the sources manifest {path}: {exc}") from exc
    unknown = set(data) - {"source", "file"}
    if unknown:
        raise ManifestError(f"{path}: unknown tables {sorted(unknown)} (only [[source]], [[file]])")
    origins = _origins(data.get("source", []), path)
    files: dict[str, SourceFile] = {}
    for i, entry in enumerate(data.get("file", []), start=1):
        where = f"{path}, [[file]] #{i} ({entry.get('id', '?')})"
        record = _file(entry, origins, where)
        if record.id in files:
            raise ManifestError(f"{where}: id {record.id!r} repeats")
        files[record.id] = record
    if not files:
        raise ManifestError(f"The sources manifest {path} lists no [[file]] entries")
    unused = sorted(set(origins) - {f.source for f in files.values()})
    if unused:
        raise ManifestError(f"{path}: [[source]] records without any [[file]]: {unused}")
    return origins, files


def load_manifest(path: Path | None = None) -> dict[str, SourceFile]:
    """Read and validate the manifest.

    Parameters
    ----------
    path : Path, optional
        The manifest file; ``settings.MANIFEST`` by default.

    Returns
    -------
    dict of str to SourceFile
        The files by id, in manifest order, each with the fields of its origin record.

    Raises
    ------
    ManifestError
        When the file cannot be read, a field is missing, empty or unknown, an id or a source
        number repeats, a checksum or commit is malformed, a file names a source without an
        origin record, or an origin record has no file. The message names the record.

    Examples
    --------
    >>> import tempfile
    >>> text = '''
    ... [[source]]
    ... number = 1
    ... title = "Region codes"
    ... repo = "owner/repo"
    ... commit = "0123456789abcdef0123456789abcdef01234567"
    ... producer = "A producer"
    ... licence = "MIT"
    ... licence_file = "LICENSE"
    ... citation = "A producer, region codes"
    ... notes = "Codes of 2025."
    ...
    ... [[file]]
    ... id = "codes"
    ... source = 1
    ... path = "db/codes.sql"
    ... sha256 = "%s"
    ... ''' % ("ab" * 32)
    >>> def load(text):
    ...     with tempfile.TemporaryDirectory() as tmp:
    ...         path = Path(tmp) / "sources.toml"
    ...         _ = path.write_text(text, encoding="utf-8")
    ...         return load_manifest(path)
    >>> files = load(text)
    >>> files["codes"].url
    'https://raw.githubusercontent.com/owner/repo/0123456789abcdef0123456789abcdef01234567/db/codes.sql'
    >>> files["codes"].licence, str(files["codes"].relpath)
    ('MIT', 'owner/repo/db/codes.sql')
    >>> load(text.replace("source = 1", "source = 2"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    manifest.ManifestError: ...sources.toml, [[file]] #1 (codes): source 2 has no [[source]] \
origin record; ...
    """
    return _read(path)[1]


def load_origins(path: Path | None = None) -> dict[int, Source]:
    """The origin records of the (validated) manifest, by source number."""
    return _read(path)[0]


@lru_cache(maxsize=1)
def manifest() -> dict[str, SourceFile]:
    """The project's manifest (``settings.MANIFEST``), read once per process."""
    return load_manifest()
