"""PostgreSQL specifics of the store: immutable versions, one writer at a time, snapshot reads.

The tables are the portable ones of :mod:`store.schema`; what SQLite gets from its file lock
and triggers (:mod:`store.engine`) PostgreSQL gets from here:

* **Immutability.** Triggers refuse every ``UPDATE``, ``DELETE`` and ``TRUNCATE`` of committed
  values and versions, whoever sends it (raw SQL included): a failed commit is rolled back,
  never deleted. They are created (idempotently) when the engine first opens a store.
* **One writer at a time.** Every write transaction starts by taking one transaction-scoped
  advisory lock, as SQLite's ``BEGIN IMMEDIATE`` takes the write lock, so two commits or
  rollbacks never race on version numbers or ``active`` pointers (which would end in an
  ``IntegrityError``): the second waits, and after :func:`store.engine.busy_timeout` seconds
  (``lock_timeout``) gets the same "busy, try again" error as on SQLite.
* **One state per read.** A read transaction is ``REPEATABLE READ`` and read-only, so all
  its statements see one committed state (PostgreSQL's default, ``READ COMMITTED``, takes a
  new snapshot per statement).

Needs PostgreSQL >= 13 and the ``psycopg`` (3) driver; a ``postgresql://`` URL without a
driver uses it.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.url import URL
from sqlalchemy.exc import OperationalError

#: Key of the advisory lock every writer holds (``pg_advisory_xact_lock``; per database).
WRITE_LOCK_KEY = 0x52424B_57524954  # "RBK" "WRIT"

#: Execution options of a read transaction (one snapshot for all its statements).
READ_OPTIONS = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}

#: SQLSTATEs that mean "another writer holds the store": lock_not_available,
#: serialization_failure, deadlock_detected.
_BUSY_STATES = {"55P03", "40001", "40P01"}

_FUNCTION = "rbk_refuse_change"
_TABLES = {"values": '"values"', "versions": "versions"}
TRIGGER_NAMES = frozenset(
    f"{name}_immutable{suffix}" for name in _TABLES for suffix in ("", "_truncate")
)


def is_postgres(engine: Engine | Connection) -> bool:
    """Whether the engine (or connection) talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"


def driver_url(url: URL) -> URL:
    """``url`` with the psycopg (3) driver when it names none (``postgresql://``)."""
    if url.get_backend_name() == "postgresql" and "+" not in url.drivername:
        return url.set(drivername="postgresql+psycopg")
    return url


def install(conn: Connection) -> None:
    """Create (or replace) the immutability triggers; run inside the initialising transaction."""
    conn.exec_driver_sql(
        f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'committed versions are immutable' "
        "USING ERRCODE = 'restrict_violation', DETAIL = TG_OP || ' on ' || TG_TABLE_NAME; END $$"
    )
    for name, table in _TABLES.items():
        for trigger, when in (
            (f"{name}_immutable", "BEFORE UPDATE OR DELETE ON {t} FOR EACH ROW"),
            (f"{name}_immutable_truncate", "BEFORE TRUNCATE ON {t} FOR EACH STATEMENT"),
        ):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            conn.exec_driver_sql(
                f"CREATE TRIGGER {trigger} {when.format(t=table)} EXECUTE FUNCTION {_FUNCTION}()"
            )


def has_triggers(conn: Connection) -> bool:
    """Whether every immutability trigger exists (and is enabled)."""
    rows = conn.exec_driver_sql(
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
    ).all()
    return TRIGGER_NAMES <= {r[0] for r in rows}


def lock_writer(conn: Connection, timeout_seconds: float) -> None:
    """Take the store's write lock for this transaction, waiting at most ``timeout_seconds``."""
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(timeout_seconds * 1000))}")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def is_busy(exc: OperationalError) -> bool:
    """Whether ``exc`` says another writer held the store too long (or a deadlock was broken)."""
    return getattr(exc.orig, "sqlstate", None) in _BUSY_STATES
