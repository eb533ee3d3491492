"""Committing values: each commit is a new immutable version, written in one transaction.

A commit inserts the version, its values, the new ``active`` pointers and the outcome of its
audit entry together, so a reader (which always reads through one statement joined on
``active``) sees either the old or the new state of a series. The audit entry itself is
opened just before, in a transaction of its own (:mod:`store.audit`). Activation and
rollback are in :mod:`store.activation`, analysts' indicators in :mod:`store.register`,
the checks of a frame in :mod:`store.frames`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.engine import Connection

from i18n import Bilingual

from . import audit, frames, schema
from . import definitions as cat
from .activation import activate, rollback, set_active
from .engine import (
    StoreValidationError,
    get_engine,
    read_connection,
    write_transaction,
)
from .frames import COLUMNS, frame_checksum
from .messages import Message
from .register import catalogue_with, check, insert, register_indicator

MODES = ("replace", "merge")
_ROW_COLUMNS = ["region_code", "level", "indicator", "year", "value", "illustrative", "note"]
_CHUNK = 50_000
#: How many problems a validation error lists in full.
MAX_DETAILS = 200

__all__ = [
    "COLUMNS",
    "MODES",
    "CommitResult",
    "StoreValidationError",
    "activate",
    "commit",
    "frame_checksum",
    "register_indicator",
    "rollback",
]


@dataclass(frozen=True)
class CommitResult(Bilingual):
    """What :func:`commit` did.

    ``status`` is ``"created"`` (a new version, now active for every series it holds),
    ``"duplicate"`` (the same content was committed before as ``version_id`` and is still
    active; nothing changed) or ``"restored"`` (the same content was committed before as
    version ``same_as``, then replaced by another upload: the last upload wins, so its values
    are active again, in version ``version_id``). :meth:`message` (``message_id``,
    ``message_en``) says so in words, translated from ``store.result.<status>``.
    """

    status: str
    version_id: int
    dataset: str
    number: int
    checksum: str
    rows: int
    series: tuple[tuple[str, str], ...]
    same_as: int | None = None

    @property
    def created(self) -> bool:
        return self.status == "created"

    def message(self, lang: str = "id") -> str:
        """What happened, in ``lang`` (``"id"`` or ``"en"``)."""
        return Message.of(
            f"store.result.{self.status}",
            number=self.number,
            dataset=self.dataset,
            version_id=self.version_id,
            rows=self.rows,
            series=len(self.series),
            same_as=self.same_as,
        ).text(lang)



def _checkpoint(stage: str) -> None:
    """A no-op between the steps of a commit; tests patch it to pause or crash a commit."""


def commit(
    frame: pd.DataFrame,
    *,
    dataset: str,
    actor: str,
    note: str = "",
    source: str = "",
    checksum: str | None = None,
    illustrative: bool | None = None,
    mode: str = "replace",
    title: str = "",
    new_indicators: Sequence[cat.Indicator] = (),
    url: str | None = None,
) -> CommitResult:
    """Store a values frame as a new immutable version of ``dataset``, in one transaction.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long form with columns ``region_code`` (Kemendagri: ``35``, ``35.78``, ``35.78.09``),
        ``level`` (``provinsi``/``kabupaten``/``kecamatan``/``desa``), ``indicator`` (a
        catalogue id), ``year``, ``value``; optional ``illustrative`` (bool per row) and
        ``note`` (text per row). Rows with a missing value are dropped (missing stays missing).
    dataset : str
        Name of the dataset the version belongs to (created on first use).
    actor : str
        Who commits (user name, or ``pipeline``).
    note, source : str
        Free text kept with the version (``source``: file name or source ids).
    checksum : str, optional
        sha256 of the uploaded file; by default one is computed from the frame's content.
        A checksum already in the store makes this a ``duplicate``: nothing changes.
    illustrative : bool, optional
        Flag every row as illustrative (True) or real (False); None uses the frame's
        ``illustrative`` column (default False).
    mode : {"replace", "merge"}
        ``replace``: the new version holds exactly these rows for each ``(indicator, level)``
        it touches. ``merge``: it holds the currently active rows of those series overlaid
        with these rows (other years and regions are kept).
    title : str
        Title of the dataset when it is created.
    new_indicators : sequence of Indicator
        Analysts' indicators to add to the catalogue (``origin = "upload"``) in the same
        transaction as the values: the frame is checked against the catalogue plus these, and
        a refused or failed commit leaves no catalogue entry (only its audit entry).
    url : str, optional
        Store URL (default :func:`settings.database_url`).

    Returns
    -------
    CommitResult

    Raises
    ------
    StoreValidationError
        The frame has problems (all listed in ``.details``); nothing was stored.
    StoreBusyError
        Another process is writing; nothing was stored, try again.

    Examples
    --------
    >>> import pandas as pd, store
    >>> df = pd.DataFrame({"region_code": ["35.78.09"], "level": ["kecamatan"],
    ...                    "indicator": ["persentase_penduduk_miskin"], "year": [2024],
    ...                    "value": [4.2]})
    >>> result = store.commit(df, dataset="upload_miskin", actor="ana")  # doctest: +SKIP
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if not dataset or not str(dataset).strip():
        raise ValueError("dataset must be a non-empty name")
    new_indicators = tuple(new_indicators)
    for indicator in new_indicators:
        check(indicator)
    engine = get_engine(url)
    detail = {"rows": len(frame), "checksum": checksum, "mode": mode, "source": source}
    if new_indicators:
        detail["new_indicators"] = [i.id for i in new_indicators]
    audit_id = audit.start(engine, actor, "commit", dataset, detail)
    try:
        rows = _checked_rows(engine, frame, illustrative, new_indicators)
        digest = checksum or frame_checksum(rows)
        series = tuple(sorted(set(zip(rows["indicator"], rows["level"], strict=True))))
        version = {"dataset": dataset, "actor": actor, "note": note, "source": source,
                   "checksum": digest, "mode": mode, "title": title}
        with write_transaction(engine) as conn:
            result = _commit_in(conn, rows, series, **version)
            for indicator in new_indicators if result.created else ():
                insert(conn, indicator)
            status = "ok" if result.created else result.status
            detail |= {"rows": len(rows), "checksum": digest}
            if result.same_as is not None:
                detail["same_as"] = result.same_as
            audit.finish(conn, audit_id, status, result.version_id, detail)
            _checkpoint("before_commit")
        return result
    except BaseException as exc:
        audit.failed(engine, audit_id, exc, detail)
        raise


def _checked_rows(engine, frame: pd.DataFrame, illustrative: bool | None,
                  new_indicators: Sequence[cat.Indicator] = ()) -> pd.DataFrame:
    """The rows of ``frame`` to store, or :class:`StoreValidationError` listing every problem."""
    with read_connection(engine) as conn:
        catalogue = catalogue_with(cat.read(conn), new_indicators)
    rows, problems = frames.validate(frames.prepare(frame, illustrative), catalogue)
    if problems:
        first = problems[0]
        raise StoreValidationError(
            "invalid_values",
            details=problems[:MAX_DETAILS],
            count=len(problems),
            row=first["row"],
            column=first["column"],
            first=Message.of(f"store.problem.{first['code']}"),
        )
    if rows.empty:
        raise StoreValidationError("no_values")
    rows = rows.drop(columns="_row")
    rows["year"] = rows["year"].astype("int64")
    return rows


def _commit_in(conn, rows, series, *, dataset, actor, note, source, checksum, mode, title):
    existing = _version_with(conn, checksum)
    if existing is not None:
        return _again(conn, existing, rows, series, actor=actor, mode=mode, version=dict(
            dataset=dataset, note=note, source=source, title=title))
    if mode == "merge":
        rows = _merge_with_active(conn, rows, series)
    return _create(conn, rows, series, dataset=dataset, actor=actor, note=note, source=source,
                   checksum=checksum, mode=mode, title=title)


def _create(conn, rows, series, *, dataset, actor, note, source, checksum, mode, title):
    """Insert ``rows`` (already merged) as a new version, active for ``series``."""
    now = audit.now()
    ds_id, number = _next_number(conn, dataset, title or dataset, now)
    vid = _insert_version(
        conn,
        rows,
        dataset_id=ds_id,
        number=number,
        created_at=now,
        created_by=actor,
        checksum=checksum,
        source=source,
        note=note,
        mode=mode,
    )
    _checkpoint("version_inserted")
    _insert_values(conn, vid, rows)
    _checkpoint("values_inserted")
    set_active(conn, vid, series, actor, now)
    _checkpoint("active_set")
    return CommitResult("created", vid, dataset, number, checksum, len(rows), series)


def _version_with(conn, checksum: str):
    """``(id, number, dataset name, n_rows)`` of the version stored with ``checksum``, or None."""
    return conn.execute(
        select(
            schema.versions.c.id,
            schema.versions.c.number,
            schema.datasets.c.name,
            schema.versions.c.n_rows,
        )
        .join(schema.datasets, schema.datasets.c.id == schema.versions.c.dataset_id)
        .where(schema.versions.c.checksum == checksum)
    ).first()


def _again(conn, existing, rows, series, *, actor, mode, version) -> CommitResult:
    """Content committed before: the last upload wins.

    When the earlier version is still the active one of every series, nothing changes
    (``duplicate``). Otherwise the values this commit would produce (the rows, or in ``merge``
    mode the rows over today's active values) become active again (``restored``): the earlier
    version itself when it holds exactly those values, else a version made for them before,
    else a new version (its checksum derived from the content's and the values').
    """
    vid, number, ds_name, n_rows = existing
    checksum = _checksum_of(conn, vid)
    if _active_everywhere(conn, vid, series):
        return CommitResult("duplicate", vid, ds_name, number, checksum, n_rows, series)
    target = _merge_with_active(conn, rows, series) if mode == "merge" else rows
    target_sum = frame_checksum(target)
    again = None
    if frame_checksum(_version_rows(conn, vid, series)) == target_sum:
        again = existing
    else:
        derived = hashlib.sha256(f"{checksum}:{target_sum}".encode()).hexdigest()
        again = _version_with(conn, derived)
    if again is None:
        done = _create(conn, target, series, actor=actor, checksum=derived, mode=mode, **version)
        return replace(done, status="restored", same_as=number)
    set_active(conn, again[0], series, actor, audit.now())
    return CommitResult("restored", again[0], again[2], again[1], checksum, again[3], series,
                        same_as=number)


def _checksum_of(conn, vid: int) -> str:
    return conn.execute(
        select(schema.versions.c.checksum).where(schema.versions.c.id == vid)
    ).scalar_one()


def _active_everywhere(conn, vid: int, series) -> bool:
    """Whether version ``vid`` is the active one of every ``(indicator, level)`` of ``series``."""
    a = schema.active
    pointers = conn.execute(
        select(a.c.indicator, a.c.level, a.c.version_id).where(
            tuple_(a.c.indicator, a.c.level).in_(list(series))
        )
    ).all()
    return len(pointers) == len(series) and all(p[2] == vid for p in pointers)


def _version_rows(conn, vid: int, series) -> pd.DataFrame:
    """The values of version ``vid`` in ``series`` (the columns a checksum covers)."""
    v = schema.values
    stmt = select(
        v.c.region_code, v.c.level, v.c.indicator, v.c.year, v.c.value, v.c.illustrative,
        v.c.note,
    ).where(v.c.version_id == vid, tuple_(v.c.indicator, v.c.level).in_(list(series)))
    return pd.DataFrame(conn.execute(stmt).all(), columns=_ROW_COLUMNS)


def _next_number(conn, dataset: str, title: str, now: str) -> tuple[int, int]:
    """The dataset's id (created on first use) and the number of its next version."""
    ds_id = conn.execute(
        select(schema.datasets.c.id).where(schema.datasets.c.name == dataset)
    ).scalar()
    if ds_id is None:
        ds_id = conn.execute(
            schema.datasets.insert().values(name=dataset, title=title, created_at=now)
        ).inserted_primary_key[0]
    last = conn.execute(
        select(func.max(schema.versions.c.number)).where(schema.versions.c.dataset_id == ds_id)
    ).scalar()
    return ds_id, (last or 0) + 1


def _insert_version(conn, rows: pd.DataFrame, **fields) -> int:
    """Insert the version row with the counts of ``rows``; return its id."""
    years = rows["year"]
    span = f"{years.min()}-{years.max()}" if years.min() != years.max() else str(years.min())
    return conn.execute(
        schema.versions.insert().values(
            **fields,
            n_rows=len(rows),
            n_regions=int(rows["region_code"].nunique()),
            n_indicators=int(rows["indicator"].nunique()),
            n_illustrative=int(rows["illustrative"].sum()),
            years=span,
        )
    ).inserted_primary_key[0]


def _merge_with_active(conn, rows: pd.DataFrame, series) -> pd.DataFrame:
    current = _active_rows(conn, series)
    if current.empty:
        return rows
    key = ["indicator", "level", "year", "region_code"]
    new = set(zip(*(rows[k].tolist() for k in key), strict=True))
    kept = [k not in new for k in zip(*(current[k].tolist() for k in key), strict=True)]
    return pd.concat([rows, current[kept]], ignore_index=True)


def _active_rows(conn, series) -> pd.DataFrame:
    v, a = schema.values, schema.active
    stmt = (
        select(
            v.c.region_code,
            v.c.level,
            v.c.indicator,
            v.c.year,
            v.c.value,
            v.c.illustrative,
            v.c.note,
        )
        .join(
            a,
            and_(
                a.c.version_id == v.c.version_id,
                a.c.indicator == v.c.indicator,
                a.c.level == v.c.level,
            ),
        )
        .where(tuple_(a.c.indicator, a.c.level).in_(list(series)))
    )
    data = conn.execute(stmt).all()
    columns = list(zip(*data, strict=True)) if data else [()] * len(_ROW_COLUMNS)
    return pd.DataFrame(dict(zip(_ROW_COLUMNS, map(list, columns), strict=True)))


def _insert_values(conn: Connection, vid: int, rows: pd.DataFrame) -> None:
    notes = rows["note"].astype(object).where(rows["note"].notna(), None)
    records = list(
        zip(
            [vid] * len(rows),
            rows["indicator"].astype(str).tolist(),
            rows["level"].astype(str).tolist(),
            rows["year"].astype(int).tolist(),
            rows["region_code"].astype(str).tolist(),
            rows["value"].astype(float).tolist(),
            rows["illustrative"].astype(bool).tolist(),
            notes.tolist(),
            strict=True,
        )
    )
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        'INSERT INTO "values" (version_id, indicator, level, year, region_code, value, '
        f"illustrative, note) VALUES ({', '.join([mark] * 8)})"
    )
    for start in range(0, len(records), _CHUNK):
        conn.exec_driver_sql(sql, records[start : start + _CHUNK])
