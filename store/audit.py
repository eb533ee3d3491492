"""The audit log of writes: every attempt is recorded before it starts and closed with it.

An attempt is written with status ``started`` in a transaction of its own, then set to its
outcome (``ok``, ``duplicate``) in the same transaction as the change; one that fails by
exception becomes ``failed``; one that dies with its process stays ``started`` (read:
interrupted).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.engine import Connection, Engine

from . import schema
from .engine import write_transaction


def now() -> str:
    """The current UTC time as stored (ISO 8601, milliseconds, ``Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def start(engine: Engine, actor: str, action: str, dataset: str | None, detail: dict) -> int:
    """Record an attempt as ``started`` (own transaction); return its audit id."""
    with write_transaction(engine) as conn:
        return conn.execute(
            schema.audit.insert().values(
                at=now(),
                actor=actor,
                action=action,
                dataset=dataset,
                version_id=None,
                status="started",
                detail=json.dumps(detail, ensure_ascii=False, default=str),
            )
        ).inserted_primary_key[0]


def finish(conn: Connection, audit_id: int, status: str, version_id=None, detail=None) -> None:
    """Set the outcome of an attempt, inside the transaction of the change."""
    values = {"status": status, "version_id": version_id}
    if detail is not None:
        values["detail"] = json.dumps(detail, ensure_ascii=False, default=str)
    conn.execute(schema.audit.update().where(schema.audit.c.id == audit_id).values(**values))


def failed(engine: Engine, audit_id: int, exc: BaseException, detail: dict | None = None) -> None:
    """Mark an attempt ``failed`` with its error (best effort: the error itself matters more).

    ``detail`` (what the attempt was about) is kept beside the error.
    """
    try:
        with write_transaction(engine) as conn:
            finish(conn, audit_id, "failed", detail={**(detail or {}), "error": str(exc)[:2000]})
    except Exception:  # the original error matters more than the audit update
        pass
