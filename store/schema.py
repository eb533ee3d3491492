"""Tables of the indicator store (SQLAlchemy Core, portable between SQLite and PostgreSQL).

Values are kept in long form, one row per ``(version, indicator, level, year, region)``.
A version is immutable once committed; the table ``active`` says which version of each
``(indicator, level)`` series the dashboard shows.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

#: Levels a value may have (``desa`` is accepted for future village-level uploads).
LEVELS = ("provinsi", "kabupaten", "kecamatan", "desa")

#: Bump when the tables change; add the statements that bring the previous version up to it
#: to :data:`MIGRATIONS`. A store from an older version is migrated in place (its uploads are
#: kept); a store from a newer version of this code is refused.
SCHEMA_VERSION = 3  # 2: indicators.applies_to; 3: signin_failures

#: ``{from_version: statements}`` run in one transaction to reach ``from_version + 1``
#: (plain SQL that SQLite and PostgreSQL both accept).
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE indicators ADD COLUMN applies_to VARCHAR(16) NOT NULL DEFAULT 'all'",),
    # a new table only: ``metadata.create_all`` (run before the migrations) creates it
    2: (),
}

metadata = MetaData()

#: Key/value facts about the store itself (schema version, catalogue checksum).
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

#: The indicator catalogue (seeded from ``store/catalogue.toml``; uploads may add rows).
indicators = Table(
    "indicators",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name_id", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("unit", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("direction", String(16), nullable=False),
    Column("theme", String(32), nullable=False),
    Column("levels", String(128), nullable=False),
    Column("illustrative_levels", String(128), nullable=False, default=""),
    Column("valid_min", Float),
    Column("valid_max", Float),
    Column("decimals", Integer, nullable=False, default=1),
    # Text: the source list of the facility indicators exceeds 256 characters (PostgreSQL
    # enforces lengths; SQLite never did, so no store needs a migration for this)
    Column("sources", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("origin", String(16), nullable=False, default="catalogue"),
    # "all", or "desa": not applicable to kelurahan (nor to units made only of kelurahan)
    Column("applies_to", String(16), nullable=False, default="all"),
)

#: Column names analysts use for an indicator (normalised: lower case, ``_`` separators).
aliases = Table(
    "aliases",
    metadata,
    Column("alias", String(128), primary_key=True),
    Column("indicator", String(64), ForeignKey("indicators.id"), nullable=False),
)

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("title", Text, nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("mode", String(16), nullable=False, default="replace"),
    Column("n_rows", Integer, nullable=False),
    Column("n_regions", Integer, nullable=False),
    Column("n_indicators", Integer, nullable=False),
    Column("n_illustrative", Integer, nullable=False, default=0),
    Column("years", String(32), nullable=False, default=""),
    UniqueConstraint("checksum", name="uq_versions_checksum"),
    UniqueConstraint("dataset_id", "number", name="uq_versions_number"),
)

values = Table(
    "values",
    metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), primary_key=True),
    Column("indicator", String(64), primary_key=True),
    Column("level", String(16), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("region_code", String(16), primary_key=True),
    Column("value", Float, nullable=False),
    Column("illustrative", Boolean, nullable=False, default=False),
    Column("note", Text),
    sqlite_with_rowid=False,
)

#: Which version of each ``(indicator, level)`` series is shown.
active = Table(
    "active",
    metadata,
    Column("indicator", String(64), primary_key=True),
    Column("level", String(16), primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
    Column("since", String(32), nullable=False),
    Column("by", String(128), nullable=False),
)

#: Every attempt to change the store, successful or not.
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("dataset", String(128)),
    Column("version_id", Integer),
    Column("status", String(16), nullable=False),
    Column("detail", Text, nullable=False, default=""),
)

#: Failed sign-ins of the dashboard's analysts, one row per failure and kind (``account``: the
#: user name tried, ``address``: the client address), kept for the lockout window
#: (:mod:`store.signin`); old rows are pruned on every write.
signin_failures = Table(
    "signin_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),
    Column("key", String(256), nullable=False),
    Column("at", Float, nullable=False),  # seconds since the epoch (UTC)
)

Index("ix_versions_dataset", versions.c.dataset_id)
Index("ix_signin_failures_key", signin_failures.c.kind, signin_failures.c.key, signin_failures.c.at)
Index("ix_audit_at", audit.c.at)
