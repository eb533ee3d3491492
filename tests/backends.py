"""The store backend under test: SQLite by default, PostgreSQL under ``make test-postgres``.

A pytest plugin (the root ``conftest.py`` loads it), not a conftest: a ``tests/conftest.py``
would clash with the folders' own ``conftest`` modules under ``--doctest-modules``.

One suite, two backends. A test that needs a store asks ``new_store_url()`` for a fresh,
empty one. With ``RBK_DATABASE_URL`` naming a PostgreSQL server when pytest starts (as
``scripts/test_postgres.sh`` sets it, pointing at a throwaway cluster), every such store is a
new database on that server, dropped after the test; otherwise it is a SQLite file in the
test's temporary directory. Tests never write to the store ``RBK_DATABASE_URL`` names itself:
before this file they deleted the variable so that a developer's configured store could not
be touched (and so none of them ever ran on PostgreSQL); now they derive fresh databases from
the server it names and point ``RBK_DATABASE_URL`` at those.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

import settings
import store

#: The server the suite runs against (None: SQLite).
_SERVER = os.environ.get("RBK_DATABASE_URL", "").strip()
SERVER_URL = make_url(_SERVER) if _SERVER.startswith("postgresql") else None
if SERVER_URL is not None and "+" not in SERVER_URL.drivername:
    SERVER_URL = SERVER_URL.set(drivername="postgresql+psycopg")
#: The store built by ``python -m pipeline build`` (read before any test changes the variables).
BUILT_STORE_URL = (
    f"sqlite:///{Path(os.environ.get('RBK_STORE_DIR') or settings.ROOT / 'data' / 'store')}"
    "/rbk.sqlite"
)


def _admin(sql: str) -> None:
    engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _database_name() -> str:
    return f"rbk_test_{uuid.uuid4().hex[:16]}"


class Backend:
    """Fresh stores of the backend under test, removed at the end of the test (or session)."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.databases: list[str] = []

    @property
    def postgres(self) -> bool:
        """Whether the stores are PostgreSQL databases."""
        return SERVER_URL is not None

    def new_url(self, name: str = "store", template: str | None = None) -> str:
        """A fresh, empty store (a SQLite file ``<tmp>/<name>.sqlite`` or a new database; on
        PostgreSQL a copy of the database ``template`` when given)."""
        if SERVER_URL is None:
            return f"sqlite:///{self.tmp_path / f'{name}.sqlite'}"
        db = _database_name()
        _admin(f'CREATE DATABASE "{db}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.databases.append(db)
        return SERVER_URL.set(database=db).render_as_string(hide_password=False)

    def built_copy(self, built: str) -> str:
        """A copy of the built store (``built``: the :func:`built_store` fixture's value)."""
        if SERVER_URL is None:
            dst = self.tmp_path / "built-copy.sqlite"
            with sqlite3.connect(make_url(built).database) as a, sqlite3.connect(dst) as b:
                a.backup(b)
            return f"sqlite:///{dst}"
        return self.new_url(template=make_url(built).database)

    def remove(self, url: str) -> None:
        """Remove the store at ``url`` entirely (the file, or the database)."""
        store.dispose_all()
        if SERVER_URL is None:
            Path(make_url(url).database).unlink()
        else:
            _admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def recreate(self, url: str) -> None:
        """Remove the store at ``url`` and leave an empty one at the same place."""
        self.remove(url)
        if SERVER_URL is not None:
            _admin(f'CREATE DATABASE "{make_url(url).database}"')

    @contextmanager
    def raw(self, url: str):
        """A plain SQLAlchemy connection to ``url`` in one transaction, without any of the
        store's own settings (raw SQL, as any other client would send it)."""
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                yield conn
        finally:
            engine.dispose()

    def admin(self, sql: str) -> None:
        """Run ``sql`` on the PostgreSQL server outside any transaction (``CREATE TABLESPACE``
        and the like)."""
        _admin(sql)

    def close(self) -> None:
        store.dispose_all()
        for db in self.databases:
            _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        self.databases.clear()


@pytest.fixture
def backend(tmp_path):
    """The :class:`Backend` of this test: ``backend.new_url()`` gives a fresh store."""
    made = Backend(tmp_path)
    yield made
    made.close()


@pytest.fixture
def new_store_url(backend):
    """``new_store_url(name="store")``: the URL of a fresh, empty store (see :class:`Backend`)."""
    return backend.new_url


@pytest.fixture(scope="session")
def built_store():
    """The URL of the store built by ``python -m pipeline build`` on the backend under test
    (read only: tests work on ``backend.built_copy(built_store)``). On PostgreSQL it is a
    database loaded once per session the way the pipeline loads any store
    (:func:`pipeline.statistics.load`), then used as the template of each copy."""
    if SERVER_URL is None:
        if not Path(make_url(BUILT_STORE_URL).database).exists():
            pytest.fail(f"the built store is needed ({BUILT_STORE_URL}); run `make data`")
        yield BUILT_STORE_URL
        return
    from pipeline import statistics

    made = Backend(Path("."))
    url = made.new_url()
    try:
        statistics.load(url=url)
    except statistics.PipelineError as exc:
        made.close()
        pytest.fail(f"the built statistics are needed ({exc}); run `make data`")
    store.dispose_all()  # a template database must have no open connection
    yield url
    made.close()
