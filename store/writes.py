"""Writing to the store: commits (new versions), activation, rollback and the audit log.

Every change is one transaction. A commit inserts the version, its values and the new
``active`` pointers together, so a reader (which always reads through one statement joined
on ``active``) sees either the old or the new state of a series. Each attempt is written to
the audit log first with status ``started`` and updated in the same transaction as the
change; an attempt that dies with its process stays ``started`` (read: interrupted), one that
fails by exception becomes ``failed``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import and_, delete, func, select, tuple_
from sqlalchemy.engine import Connection, Engine

from . import definitions as cat
from . import schema
from .engine import StoreError, get_engine, read_connection, write_transaction

#: Columns a frame handed to :func:`commit` must have (``illustrative`` and ``note`` optional).
COLUMNS = ("region_code", "level", "indicator", "year", "value")
MODES = ("replace", "merge")
_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_CODE_LEVEL = {1: "provinsi", 2: "kabupaten", 3: "kecamatan", 4: "desa"}
_CHUNK = 50_000
#: How many problems a validation error lists in full.
MAX_DETAILS = 200


class StoreValidationError(StoreError):
    """The frame was refused; ``details`` lists each problem as a dict with a row number."""


@dataclass(frozen=True)
class CommitResult:
    """What :func:`commit` did.

    ``status`` is ``"created"`` (a new version, now active for every series it holds) or
    ``"duplicate"`` (the same content was committed before as ``version_id``; nothing changed).
    """

    status: str
    version_id: int
    dataset: str
    number: int
    checksum: str
    rows: int
    series: tuple[tuple[str, str], ...]
    message_en: str
    message_id: str

    @property
    def created(self) -> bool:
        return self.status == "created"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _checkpoint(stage: str) -> None:
    """A no-op between the steps of a commit; tests patch it to pause or crash a commit."""


# --------------------------------------------------------------------------- frames
def frame_checksum(frame: pd.DataFrame) -> str:
    """sha256 of a canonical form of a values frame (row order does not matter).

    Covers ``region_code``, ``level``, ``indicator``, ``year``, ``value``, ``illustrative``
    (default False) and ``note`` (default empty): rows sorted by indicator, level, year and
    region, then each column hashed in turn (text joined with a separator, numbers as
    little-endian int64/float64 bytes).
    """
    canon = pd.DataFrame(
        {
            "region_code": frame["region_code"].astype(str).to_numpy(),
            "level": frame["level"].astype(str).to_numpy(),
            "indicator": frame["indicator"].astype(str).to_numpy(),
            "year": pd.to_numeric(frame["year"]).astype("int64").to_numpy(),
            "value": pd.to_numeric(frame["value"]).astype("float64").to_numpy(),
            "illustrative": (
                frame["illustrative"].fillna(False).astype(bool).to_numpy()
                if "illustrative" in frame
                else False
            ),
            "note": (
                frame["note"].astype(object).where(frame["note"].notna(), "").astype(str).to_numpy()
                if "note" in frame
                else ""
            ),
        }
    )
    canon = canon.sort_values(["indicator", "level", "year", "region_code"], kind="stable")
    digest = hashlib.sha256(b"rbk-values-v2")
    for col in ("region_code", "level", "indicator", "note"):
        digest.update("\x1f".join(canon[col].tolist()).encode())
        digest.update(b"\x1e")
    digest.update(canon["year"].to_numpy("<i8").tobytes())
    digest.update(canon["value"].to_numpy("<f8").tobytes())
    digest.update(canon["illustrative"].to_numpy(bool).tobytes())
    return digest.hexdigest()


def _prepare(frame: pd.DataFrame, illustrative: bool | None) -> pd.DataFrame:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise StoreValidationError(
            f"The values frame lacks the column(s) {', '.join(missing)}.",
            f"Tabel nilai tidak memiliki kolom {', '.join(missing)}.",
        )
    out = pd.DataFrame(
        {
            "region_code": frame["region_code"].astype("string").str.strip(),
            "level": frame["level"].astype("string").str.strip(),
            "indicator": frame["indicator"].astype("string").str.strip(),
            "year": frame["year"],
            "value": pd.to_numeric(frame["value"], errors="coerce"),
        }
    )
    if "illustrative" in frame.columns and illustrative is None:
        out["illustrative"] = frame["illustrative"].fillna(False).astype(bool)
    else:
        out["illustrative"] = bool(illustrative)
    out["note"] = frame["note"].astype("string") if "note" in frame.columns else pd.NA
    out["_row"] = np.arange(1, len(frame) + 1)
    return out


def _validate(frame: pd.DataFrame, catalogue: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Check a prepared frame; returns the rows to store and the problems found."""
    problems: list[dict] = []

    def add(mask, code, en, id_, col):
        for row, value in zip(frame.loc[mask, "_row"], frame.loc[mask, col], strict=True):
            problems.append(
                {
                    "row": int(row),
                    "column": col,
                    "code": code,
                    "value": str(value)[:80],
                    "message_en": en,
                    "message_id": id_,
                }
            )

    code_ok = frame["region_code"].fillna("").str.fullmatch(_CODE.pattern).astype(bool)
    add(
        ~code_ok,
        "bad_code",
        "not a Kemendagri region code (e.g. 35.78.09)",
        "bukan kode wilayah Kemendagri (mis. 35.78.09)",
        "region_code",
    )
    depth = frame["region_code"].fillna("").str.count(r"\.") + 1
    wrong_level = code_ok & (depth.map(_CODE_LEVEL) != frame["level"])
    add(
        wrong_level,
        "level_mismatch",
        "the code does not belong to this level",
        "kode tidak sesuai dengan tingkat wilayah",
        "region_code",
    )
    known = frame["indicator"].isin(catalogue.index)
    add(
        ~known,
        "unknown_indicator",
        "indicator not in the catalogue",
        "indikator tidak ada dalam katalog",
        "indicator",
    )
    allowed = {f"{i}\x1f{lv}" for i, levels in catalogue["levels"].items() for lv in levels}
    combo = frame["indicator"].fillna("") + "\x1f" + frame["level"].fillna("")
    levels_ok = ~known | combo.isin(allowed)
    add(
        ~levels_ok,
        "level_not_allowed",
        "level not allowed for this indicator",
        "tingkat wilayah tidak diizinkan untuk indikator ini",
        "level",
    )
    year = pd.to_numeric(frame["year"], errors="coerce")
    year_ok = year.notna() & (year == year.round()) & year.between(1900, 2100)
    add(
        ~year_ok,
        "bad_year",
        "year must be a whole number between 1900 and 2100",
        "tahun harus bilangan bulat antara 1900 dan 2100",
        "year",
    )
    value = frame["value"]
    finite = value.notna() & np.isfinite(value.fillna(0.0))
    add(value.notna() & ~finite, "not_finite", "value is infinite", "nilai tak hingga", "value")
    lo = frame["indicator"].map(catalogue["valid_min"]).astype("float64")
    hi = frame["indicator"].map(catalogue["valid_max"]).astype("float64")
    out_of_range = finite & ((lo.notna() & (value < lo)) | (hi.notna() & (value > hi)))
    add(
        out_of_range,
        "out_of_range",
        "value outside the indicator's valid range",
        "nilai di luar rentang yang sah untuk indikator ini",
        "value",
    )
    keep = frame[finite].copy()
    keep["year"] = year[finite].astype("Int64")
    dup = keep.duplicated(["indicator", "level", "year", "region_code"], keep=False)
    add(
        frame.index.isin(keep.index[dup]),
        "duplicate",
        "the same region, indicator and year appear more than once",
        "wilayah, indikator dan tahun yang sama muncul lebih dari sekali",
        "region_code",
    )
    problems.sort(key=lambda p: (p["row"], p["column"]))
    return keep, problems


# --------------------------------------------------------------------------- audit
def _audit_start(engine: Engine, actor: str, action: str, dataset: str | None, detail: dict) -> int:
    with write_transaction(engine) as conn:
        return conn.execute(
            schema.audit.insert().values(
                at=_now(),
                actor=actor,
                action=action,
                dataset=dataset,
                version_id=None,
                status="started",
                detail=json.dumps(detail, ensure_ascii=False, default=str),
            )
        ).inserted_primary_key[0]


def _audit_finish(conn: Connection, audit_id: int, status: str, version_id=None, detail=None):
    values = {"status": status, "version_id": version_id}
    if detail is not None:
        values["detail"] = json.dumps(detail, ensure_ascii=False, default=str)
    conn.execute(schema.audit.update().where(schema.audit.c.id == audit_id).values(**values))


def _audit_failed(engine: Engine, audit_id: int, exc: BaseException) -> None:
    try:
        with write_transaction(engine) as conn:
            _audit_finish(conn, audit_id, "failed", detail={"error": str(exc)[:2000]})
    except Exception:  # the original error matters more than the audit update
        pass


# --------------------------------------------------------------------------- commit
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
    engine = get_engine(url)
    with read_connection(engine) as conn:
        catalogue = cat.read(conn)
    prepared = _prepare(frame, illustrative)
    rows, problems = _validate(prepared, catalogue)
    if problems:
        n = len(problems)
        raise StoreValidationError(
            f"{n} problem(s) in the values; nothing was stored. First: row {problems[0]['row']}, "
            f"{problems[0]['column']}: {problems[0]['message_en']}.",
            f"{n} masalah dalam nilai; tidak ada yang disimpan. Pertama: baris "
            f"{problems[0]['row']}, {problems[0]['column']}: {problems[0]['message_id']}.",
            details=problems[:MAX_DETAILS],
        )
    if rows.empty:
        raise StoreValidationError(
            "There are no values to store.", "Tidak ada nilai untuk disimpan."
        )
    rows = rows.drop(columns="_row")
    rows["year"] = rows["year"].astype("int64")
    digest = checksum or frame_checksum(rows)
    series = tuple(sorted(set(zip(rows["indicator"], rows["level"], strict=True))))
    audit_id = _audit_start(
        engine,
        actor,
        "commit",
        dataset,
        {"rows": len(rows), "checksum": digest, "mode": mode, "source": source},
    )
    try:
        with write_transaction(engine) as conn:
            result = _commit_in(
                conn,
                rows,
                series,
                dataset=dataset,
                actor=actor,
                note=note,
                source=source,
                checksum=digest,
                mode=mode,
                title=title,
            )
            _audit_finish(
                conn, audit_id, "ok" if result.created else "duplicate", result.version_id
            )
            _checkpoint("before_commit")
        return result
    except BaseException as exc:
        _audit_failed(engine, audit_id, exc)
        raise


def _commit_in(conn, rows, series, *, dataset, actor, note, source, checksum, mode, title):
    existing = conn.execute(
        select(
            schema.versions.c.id,
            schema.versions.c.number,
            schema.datasets.c.name,
            schema.versions.c.n_rows,
        )
        .join(schema.datasets, schema.datasets.c.id == schema.versions.c.dataset_id)
        .where(schema.versions.c.checksum == checksum)
    ).first()
    if existing is not None:
        vid, number, ds_name, n_rows = existing
        return CommitResult(
            "duplicate",
            vid,
            ds_name,
            number,
            checksum,
            n_rows,
            series,
            f"This content was already stored as version {number} of {ds_name!r} "
            f"(id {vid}); no new version was created.",
            f"Isi ini sudah tersimpan sebagai versi {number} dari {ds_name!r} (id {vid}); "
            f"tidak ada versi baru yang dibuat.",
        )
    now = _now()
    ds_id = conn.execute(
        select(schema.datasets.c.id).where(schema.datasets.c.name == dataset)
    ).scalar()
    if ds_id is None:
        ds_id = conn.execute(
            schema.datasets.insert().values(name=dataset, title=title or dataset, created_at=now)
        ).inserted_primary_key[0]
    number = (
        conn.execute(
            select(func.max(schema.versions.c.number)).where(schema.versions.c.dataset_id == ds_id)
        ).scalar()
        or 0
    ) + 1
    if mode == "merge":
        rows = _merge_with_active(conn, rows, series)
    years = rows["year"]
    vid = conn.execute(
        schema.versions.insert().values(
            dataset_id=ds_id,
            number=number,
            created_at=now,
            created_by=actor,
            checksum=checksum,
            source=source,
            note=note,
            mode=mode,
            n_rows=len(rows),
            n_regions=int(rows["region_code"].nunique()),
            n_indicators=int(rows["indicator"].nunique()),
            n_illustrative=int(rows["illustrative"].sum()),
            years=f"{years.min()}-{years.max()}"
            if years.min() != years.max()
            else str(years.min()),
        )
    ).inserted_primary_key[0]
    _checkpoint("version_inserted")
    _insert_values(conn, vid, rows)
    _checkpoint("values_inserted")
    _set_active(conn, vid, series, actor, now)
    _checkpoint("active_set")
    return CommitResult(
        "created",
        vid,
        dataset,
        number,
        checksum,
        len(rows),
        series,
        f"Stored version {number} of {dataset!r} (id {vid}): {len(rows):,} values in "
        f"{len(series)} series, now active.",
        f"Tersimpan versi {number} dari {dataset!r} (id {vid}): {len(rows):,} nilai dalam "
        f"{len(series)} seri, sekarang aktif.",
    )


def _merge_with_active(conn, rows: pd.DataFrame, series) -> pd.DataFrame:
    current = _active_rows(conn, series)
    if current.empty:
        return rows
    key = ["indicator", "level", "year", "region_code"]
    merged = pd.concat([rows, current], ignore_index=True)
    return merged.drop_duplicates(key, keep="first").reset_index(drop=True)


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
    return pd.DataFrame(
        data, columns=["region_code", "level", "indicator", "year", "value", "illustrative", "note"]
    )


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


def _set_active(conn: Connection, vid: int, series: Iterable[tuple[str, str]], actor, now):
    series = list(series)
    for start in range(0, len(series), 200):
        part = series[start : start + 200]
        conn.execute(
            delete(schema.active).where(
                tuple_(schema.active.c.indicator, schema.active.c.level).in_(part)
            )
        )
    conn.execute(
        schema.active.insert(),
        [
            {"indicator": i, "level": lv, "version_id": vid, "since": now, "by": actor}
            for i, lv in series
        ],
    )


# --------------------------------------------------------------------------- activation
def _series_of(conn, version_id: int) -> list[tuple[str, str]]:
    return [
        tuple(r)
        for r in conn.execute(
            select(schema.values.c.indicator, schema.values.c.level)
            .where(schema.values.c.version_id == version_id)
            .distinct()
        ).all()
    ]


def activate(
    version_id: int,
    *,
    actor: str,
    indicators: Iterable[str] | None = None,
    url: str | None = None,
) -> list[tuple[str, str]]:
    """Make a committed version the active one for its series (all, or those ``indicators``).

    Returns
    -------
    list of (indicator, level)
        The series whose active version changed to ``version_id``.
    """
    engine = get_engine(url)
    audit_id = _audit_start(engine, actor, "activate", None, {"version_id": version_id})
    try:
        with write_transaction(engine) as conn:
            if (
                conn.execute(
                    select(schema.versions.c.id).where(schema.versions.c.id == version_id)
                ).first()
                is None
            ):
                raise StoreError(
                    f"There is no version with id {version_id}.",
                    f"Tidak ada versi dengan id {version_id}.",
                )
            series = _series_of(conn, version_id)
            if indicators is not None:
                wanted = set(indicators)
                series = [s for s in series if s[0] in wanted]
            _set_active(conn, version_id, series, actor, _now())
            _audit_finish(conn, audit_id, "ok", version_id, {"series": series})
        return series
    except BaseException as exc:
        _audit_failed(engine, audit_id, exc)
        raise


def rollback(
    indicator: str,
    *,
    actor: str,
    level: str | None = None,
    to_version: int | None = None,
    url: str | None = None,
) -> dict[tuple[str, str], int]:
    """Make an earlier version of a series active again.

    Parameters
    ----------
    indicator : str
    actor : str
    level : str, optional
        Only this level (default: every level that has an active version).
    to_version : int, optional
        The version to restore (it must hold the series); by default the most recent
        version older than the active one that holds the series.

    Returns
    -------
    dict
        ``{(indicator, level): version_id now active}``.

    Raises
    ------
    StoreError
        When there is nothing to roll back to.
    """
    engine = get_engine(url)
    audit_id = _audit_start(
        engine,
        actor,
        "rollback",
        None,
        {"indicator": indicator, "level": level, "to_version": to_version},
    )
    try:
        with write_transaction(engine) as conn:
            a, v = schema.active, schema.values
            stmt = select(a.c.level, a.c.version_id).where(a.c.indicator == indicator)
            if level is not None:
                stmt = stmt.where(a.c.level == level)
            current = conn.execute(stmt).all()
            if not current:
                raise StoreError(
                    f"No active version of {indicator!r} to roll back.",
                    f"Tidak ada versi aktif {indicator!r} untuk dikembalikan.",
                )
            done = {}
            now = _now()
            for lv, active_id in current:
                holders = (
                    select(v.c.version_id)
                    .where(v.c.indicator == indicator, v.c.level == lv)
                    .distinct()
                )
                if to_version is not None:
                    target = (
                        to_version if to_version in set(conn.execute(holders).scalars()) else None
                    )
                else:
                    target = conn.execute(
                        select(func.max(v.c.version_id)).where(
                            v.c.indicator == indicator, v.c.level == lv, v.c.version_id < active_id
                        )
                    ).scalar()
                if target is None:
                    raise StoreError(
                        f"No earlier version of {indicator!r} ({lv}) to roll back to.",
                        f"Tidak ada versi sebelumnya dari {indicator!r} ({lv}).",
                    )
                _set_active(conn, target, [(indicator, lv)], actor, now)
                done[(indicator, lv)] = target
            _audit_finish(
                conn,
                audit_id,
                "ok",
                None,
                {"restored": {f"{k[0]}/{k[1]}": t for k, t in done.items()}},
            )
        return done
    except BaseException as exc:
        _audit_failed(engine, audit_id, exc)
        raise


# --------------------------------------------------------------------------- catalogue edits
def register_indicator(indicator: cat.Indicator, *, actor: str, url: str | None = None) -> None:
    """Add an indicator defined by an analyst (``origin = "upload"``) to the catalogue.

    Raises
    ------
    StoreError
        When the id exists already or an alias belongs to another indicator.
    """
    entry = {
        "id": indicator.id,
        "name_id": indicator.name_id,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "theme": indicator.theme,
        "levels": list(indicator.levels),
        "illustrative_levels": list(indicator.illustrative_levels),
        "valid_min": indicator.valid_min,
        "valid_max": indicator.valid_max,
    }
    problems = cat.validate_entry(entry, indicator.id)
    if problems:
        raise StoreError("; ".join(problems))
    engine = get_engine(url)
    audit_id = _audit_start(engine, actor, "register_indicator", None, {"id": indicator.id})
    try:
        with write_transaction(engine) as conn:
            if conn.execute(
                select(schema.indicators.c.id).where(schema.indicators.c.id == indicator.id)
            ).first():
                raise StoreError(
                    f"Indicator {indicator.id!r} exists already.",
                    f"Indikator {indicator.id!r} sudah ada.",
                )
            aliases = sorted({cat.normalise_alias(a) for a in (indicator.id, *indicator.aliases)})
            taken = conn.execute(
                select(schema.aliases).where(schema.aliases.c.alias.in_(aliases))
            ).all()
            if taken:
                raise StoreError(
                    "Alias(es) already used: " + ", ".join(f"{a} → {i}" for a, i in taken),
                    "Alias sudah dipakai: " + ", ".join(f"{a} → {i}" for a, i in taken),
                )
            row = cat._row(indicator)
            row["origin"] = "upload"
            conn.execute(schema.indicators.insert().values(**row))
            conn.execute(
                schema.aliases.insert(), [{"alias": a, "indicator": indicator.id} for a in aliases]
            )
            _audit_finish(conn, audit_id, "ok")
    except BaseException as exc:
        _audit_failed(engine, audit_id, exc)
        raise
