"""Connections to the store: SQLite in WAL mode by default, any SQLAlchemy URL otherwise.

SQLite notes
------------
Python's ``sqlite3`` module opens transactions lazily, only before a write, so two SELECTs
inside one SQLAlchemy transaction could see two different database states. The engine here
takes over transaction control (SQLAlchemy's documented pysqlite recipe): the driver is put in
autocommit mode and every SQLAlchemy ``begin()`` emits ``BEGIN`` itself, ``BEGIN IMMEDIATE``
for writers so that the write lock is taken at the start (a second writer waits up to
``RBK_STORE_BUSY_TIMEOUT`` seconds, then gets :class:`StoreBusyError`). WAL mode lets readers
in other processes keep reading the last committed state while a writer works.

PostgreSQL gets the same guarantees (one writer at a time, one snapshot per read, immutable
versions) from :mod:`store.postgres`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError

import settings
from i18n import Bilingual

from . import cache, definitions, postgres, schema
from .messages import Message

_ENGINES: dict[str, Engine] = {}
_STORE_IDS: dict[int, str] = {}
_LOCK = threading.Lock()


class StoreError(Bilingual, RuntimeError):
    """A store operation was refused: ``code`` and ``params`` say why.

    The text is never built here: :meth:`message` translates ``store.error.<code>`` through
    the locale files (``i18n/locales/<lang>/store.toml``); ``message_id`` and ``message_en``
    are that text in Bahasa Indonesia and English, safe to show a user. ``str(exc)`` is the
    English text. ``details`` lists row problems (see :class:`StoreValidationError`).

    Examples
    --------
    >>> err = StoreError("no_version", version_id=7)
    >>> err.code, err.message_en
    ('no_version', 'There is no version with id 7.')
    """

    def __init__(self, code: str, /, *, details=None, **params):
        self.code = code
        self.params = params
        self.details = list(details or [])
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        """The message in ``lang`` (``"id"`` or ``"en"``)."""
        return Message(f"store.error.{self.code}", tuple(self.params.items())).text(lang)

    def __reduce__(self):  # pickled with its code and parameters, not its English text
        return (_restore_error, (type(self), self.code, self.details, self.params))



def _restore_error(cls, code: str, details: list, params: dict) -> StoreError:
    return cls(code, details=details, **params)


class StoreBusyError(StoreError):
    """Another process holds the write lock; retrying a little later will succeed."""


class StoreValidationError(StoreError):
    """The frame was refused; ``details`` lists each problem as a dict with a row number."""


def busy_timeout() -> float:
    """Seconds a writer waits for another writer (``RBK_STORE_BUSY_TIMEOUT``, default 15)."""
    try:
        return float(os.environ.get("RBK_STORE_BUSY_TIMEOUT", "15"))
    except ValueError:
        return 15.0


def is_sqlite(engine: Engine | Connection) -> bool:
    """Whether the engine (or connection) talks to SQLite."""
    return engine.dialect.name == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    timeout_ms = int(busy_timeout() * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised indirectly
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        _use_wal(cursor, timeout_ms / 1000)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - exercised indirectly
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _use_wal(cursor, timeout: float) -> None:
    """Put the SQLite file in WAL mode (kept in the file: once set, every later connection
    finds it so and writes nothing).

    Two processes opening a new store at the same moment both try to switch it, and SQLite
    answers the second "database is locked" at once, without its busy handler (3 times in 30
    such races here); that one waits and looks again, as a writer waits for the lock, up to
    ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default :func:`settings.database_url`), created once per URL.

    The first use creates the tables and loads the catalogue from ``store/catalogue.toml``.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL; ``RBK_DATABASE_URL`` / ``RBK_STORE_DIR`` decide the default.

    Returns
    -------
    sqlalchemy.engine.Engine
    """
    url = url or settings.database_url()
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is not None:
            return engine
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": busy_timeout()})
            _configure_sqlite(engine)
        else:
            engine = create_engine(postgres.driver_url(parsed), pool_pre_ping=True)
        _initialise(engine)
        _ENGINES[url] = engine
        return engine


def dispose_all() -> None:
    """Close every pooled connection (tests call this between temporary stores)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _STORE_IDS.clear()
    cache.clear()


@contextmanager
def write_transaction(engine: Engine):
    """One all-or-nothing write transaction, holding the write lock from its start.

    Raises
    ------
    StoreBusyError
        When another process kept the store locked longer than :func:`busy_timeout`.
    """
    try:
        with engine.connect() as conn:
            if is_sqlite(engine):
                conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                if postgres.is_postgres(engine):
                    postgres.lock_writer(conn, busy_timeout())
                yield conn
    except OperationalError as exc:
        if _is_lock_error(exc):
            raise busy_error() from exc
        raise


@contextmanager
def read_connection(engine: Engine):
    """A connection whose statements all see one committed state of the store."""
    with engine.connect() as conn:
        if postgres.is_postgres(engine):
            conn = conn.execution_options(**postgres.READ_OPTIONS)
        with conn.begin():
            yield conn


def busy_error() -> StoreBusyError:
    """The error raised when another writer holds the store."""
    return StoreBusyError("busy", seconds=busy_timeout())


def _is_lock_error(exc: OperationalError) -> bool:
    if postgres.is_busy(exc):
        return True
    text = str(exc.orig if exc.orig is not None else exc).lower()
    return "locked" in text or "busy" in text or "could not obtain lock" in text


def _initialise(engine: Engine) -> None:
    """Create the tables and load the catalogue, taking the write lock only when needed.

    A reader opening an up-to-date store never writes, so it is not blocked by a writer.
    """
    try:
        if _up_to_date(engine, definitions.catalogue_digest()):
            return
        with write_transaction(engine) as conn:
            schema.metadata.create_all(conn)
            row = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
            ).first()
            if row is None:
                conn.execute(
                    schema.meta.insert().values(
                        key="schema_version", value=str(schema.SCHEMA_VERSION)
                    )
                )
            elif int(row[0]) != schema.SCHEMA_VERSION:
                _migrate(conn, engine, int(row[0]))
            if is_sqlite(engine):
                for statement in _IMMUTABLE_TRIGGERS:
                    conn.exec_driver_sql(statement)
            elif postgres.is_postgres(engine):
                postgres.install(conn)
            if (
                conn.execute(
                    select(schema.meta.c.value).where(schema.meta.c.key == "store_id")
                ).first()
                is None
            ):
                conn.execute(schema.meta.insert().values(key="store_id", value=uuid.uuid4().hex))
            definitions.sync(conn)
    except BaseException:
        engine.dispose()
        raise


def _migrate(conn, engine: Engine, found: int) -> None:
    """Bring a store of an older schema version up to :data:`schema.SCHEMA_VERSION` in place."""
    if found > schema.SCHEMA_VERSION or any(
        v not in schema.MIGRATIONS for v in range(found, schema.SCHEMA_VERSION)
    ):
        raise _schema_mismatch(engine, found)
    for version in range(found, schema.SCHEMA_VERSION):
        for statement in schema.MIGRATIONS[version]:
            conn.exec_driver_sql(statement)
    conn.execute(
        schema.meta.update()
        .where(schema.meta.c.key == "schema_version")
        .values(value=str(schema.SCHEMA_VERSION))
    )


def _schema_mismatch(engine: Engine, found) -> StoreError:
    return StoreError(
        "schema_mismatch", url=repr(engine.url), found=found, expected=schema.SCHEMA_VERSION
    )


def _up_to_date(engine: Engine, catalogue_digest: str) -> bool:
    with read_connection(engine) as conn:
        if not inspect(conn).has_table("meta"):
            return False
        facts = dict(conn.execute(select(schema.meta.c.key, schema.meta.c.value)).all())
    version = facts.get("schema_version")
    if version is not None and int(version) > schema.SCHEMA_VERSION:
        raise _schema_mismatch(engine, version)
    return (
        version is not None
        and int(version) == schema.SCHEMA_VERSION
        and "store_id" in facts
        and _has_triggers(engine)
        and facts.get("catalogue_sha256") == catalogue_digest
    )


#: SQLite triggers that refuse any change to committed values and versions (defence in depth:
#: the API never updates or deletes them; a failed transaction is rolled back, not deleted).
_IMMUTABLE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {name}_immutable_{op.lower()} BEFORE {op} ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'committed versions are immutable'); END"
    for name, table in (("values", '"values"'), ("versions", "versions"))
    for op in ("UPDATE", "DELETE")
]
_TRIGGER_NAMES = {
    f"{name}_immutable_{op}" for name in ("values", "versions") for op in ("update", "delete")
}


def _has_triggers(engine: Engine) -> bool:
    """Whether the immutability triggers exist (SQLite here, PostgreSQL in :mod:`.postgres`)."""
    with read_connection(engine) as conn:
        if postgres.is_postgres(engine):
            return postgres.has_triggers(conn)
        if not is_sqlite(engine):
            return True
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {r[0] for r in rows.all()}
    return _TRIGGER_NAMES <= names


def store_id(engine: Engine) -> str:
    """The random identity of the store behind ``engine`` (part of every cache key)."""
    sid = _STORE_IDS.get(id(engine))
    if sid is None:
        with read_connection(engine) as conn:
            sid = conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "store_id")
            ).scalar_one()
        _STORE_IDS[id(engine)] = sid
    return sid
