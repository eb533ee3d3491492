"""Indicators defined by analysts: added to the catalogue in the store (``origin = "upload"``).

Built-in indicators come from ``store/catalogue.toml`` (:mod:`store.definitions`); an upload
may add its own, which live only in the store and survive catalogue reloads.
"""

from __future__ import annotations

from sqlalchemy import select

from . import audit, schema
from . import definitions as cat
from .engine import StoreError, get_engine, write_transaction


def _entry(indicator: cat.Indicator) -> dict:
    return {
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


def register_indicator(indicator: cat.Indicator, *, actor: str, url: str | None = None) -> None:
    """Add an indicator defined by an analyst (``origin = "upload"``) to the catalogue.

    Raises
    ------
    StoreError
        ``invalid_indicator`` (a field is wrong), ``indicator_exists`` (the id exists
        already) or ``alias_taken`` (an alias belongs to another indicator).
    """
    problems = cat.validate_entry(_entry(indicator), indicator.id)
    if problems:
        raise StoreError("invalid_indicator", problems="; ".join(problems))
    engine = get_engine(url)
    audit_id = audit.start(engine, actor, "register_indicator", None, {"id": indicator.id})
    try:
        with write_transaction(engine) as conn:
            _insert(conn, indicator)
            audit.finish(conn, audit_id, "ok")
    except BaseException as exc:
        audit.failed(engine, audit_id, exc)
        raise


def _insert(conn, indicator: cat.Indicator) -> None:
    if conn.execute(
        select(schema.indicators.c.id).where(schema.indicators.c.id == indicator.id)
    ).first():
        raise StoreError("indicator_exists", indicator=indicator.id)
    aliases = sorted({cat.normalise_alias(a) for a in (indicator.id, *indicator.aliases)})
    taken = conn.execute(select(schema.aliases).where(schema.aliases.c.alias.in_(aliases))).all()
    if taken:
        raise StoreError("alias_taken", aliases=", ".join(f"{a} → {i}" for a, i in taken))
    row = cat._row(indicator)
    row["origin"] = "upload"
    conn.execute(schema.indicators.insert().values(**row))
    conn.execute(
        schema.aliases.insert(), [{"alias": a, "indicator": indicator.id} for a in aliases]
    )
