"""Which committed version each series shows: activation and rollback.

A committed version never changes; the ``active`` table points each ``(indicator, level)``
series at one version. Moving a pointer is one transaction, recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.engine import Connection

from . import audit, schema
from .engine import StoreError, get_engine, write_transaction


def set_active(conn: Connection, vid: int, series: Iterable[tuple[str, str]], actor, now) -> None:
    """Point every ``(indicator, level)`` of ``series`` at version ``vid``."""
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

    Raises
    ------
    StoreError
        ``no_version`` when there is no such version.
    """
    engine = get_engine(url)
    audit_id = audit.start(engine, actor, "activate", None, {"version_id": version_id})
    try:
        with write_transaction(engine) as conn:
            if (
                conn.execute(
                    select(schema.versions.c.id).where(schema.versions.c.id == version_id)
                ).first()
                is None
            ):
                raise StoreError("no_version", version_id=version_id)
            series = _series_of(conn, version_id)
            if indicators is not None:
                wanted = set(indicators)
                series = [s for s in series if s[0] in wanted]
            set_active(conn, version_id, series, actor, audit.now())
            audit.finish(conn, audit_id, "ok", version_id, {"series": series})
        return series
    except BaseException as exc:
        audit.failed(engine, audit_id, exc)
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
        ``no_active_version`` or ``no_earlier_version`` when there is nothing to roll back to.
    """
    engine = get_engine(url)
    detail = {"indicator": indicator, "level": level, "to_version": to_version}
    audit_id = audit.start(engine, actor, "rollback", None, detail)
    try:
        with write_transaction(engine) as conn:
            done = _rollback_in(conn, indicator, level, to_version, actor)
            restored = {f"{k[0]}/{k[1]}": t for k, t in done.items()}
            audit.finish(conn, audit_id, "ok", None, {"restored": restored})
        return done
    except BaseException as exc:
        audit.failed(engine, audit_id, exc)
        raise


def _rollback_in(conn, indicator, level, to_version, actor) -> dict[tuple[str, str], int]:
    a = schema.active
    stmt = select(a.c.level, a.c.version_id).where(a.c.indicator == indicator)
    if level is not None:
        stmt = stmt.where(a.c.level == level)
    current = conn.execute(stmt).all()
    if not current:
        raise StoreError("no_active_version", indicator=indicator)
    done = {}
    now = audit.now()
    for lv, active_id in current:
        target = _rollback_target(conn, indicator, lv, active_id, to_version)
        if target is None:
            raise StoreError("no_earlier_version", indicator=indicator, level=lv)
        set_active(conn, target, [(indicator, lv)], actor, now)
        done[(indicator, lv)] = target
    return done


def _rollback_target(conn, indicator: str, level: str, active_id: int, to_version) -> int | None:
    """``to_version`` when it holds the series, else the latest version before the active one."""
    v = schema.values
    if to_version is not None:
        holders = (
            select(v.c.version_id).where(v.c.indicator == indicator, v.c.level == level).distinct()
        )
        return to_version if to_version in set(conn.execute(holders).scalars()) else None
    return conn.execute(
        select(func.max(v.c.version_id)).where(
            v.c.indicator == indicator, v.c.level == level, v.c.version_id < active_id
        )
    ).scalar()
