"""Indicators defined by analysts: added to the catalogue in the store (``origin = "upload"``).

Built-in indicators come from ``store/catalogue.toml`` (:mod:`store.definitions`); an upload
may add its own, which live only in the store and survive catalogue reloads.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
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
    check(indicator)
    engine = get_engine(url)
    audit_id = audit.start(engine, actor, "register_indicator", None, {"id": indicator.id})
    try:
        with write_transaction(engine) as conn:
            insert(conn, indicator)
            audit.finish(conn, audit_id, "ok")
    except BaseException as exc:
        audit.failed(engine, audit_id, exc)
        raise


def check(indicator: cat.Indicator) -> None:
    """Refuse an entry with a wrong field (``invalid_indicator``) before anything is written."""
    problems = cat.validate_entry(_entry(indicator), indicator.id)
    if problems:
        raise StoreError("invalid_indicator", problems="; ".join(problems))


def catalogue_with(catalogue: pd.DataFrame, new: Sequence[cat.Indicator]) -> pd.DataFrame:
    """``catalogue`` (as :func:`store.definitions.read` gives it) with the ``new`` entries added.

    What a frame is checked against when its commit registers new indicators: the entries
    are written only inside the commit's transaction (:func:`insert`).
    """
    new = [i for i in new if i.id not in catalogue.index]  # an existing id: refused by insert
    if not new:
        return catalogue
    rows = pd.DataFrame([cat._row(i) | {"origin": "upload"} for i in new]).set_index("id")
    for col in ("levels", "illustrative_levels", "sources"):
        rows[col] = [tuple(x for x in str(v).split(",") if x) for v in rows[col]]
    rows["illustrative"] = [bool(v) for v in rows["illustrative_levels"]]
    rows["aliases"] = [tuple(i.aliases) for i in new]
    return pd.concat([catalogue, rows[catalogue.columns]])


def insert(conn, indicator: cat.Indicator) -> None:
    """Add ``indicator`` (``origin = "upload"``) inside the caller's write transaction.

    Raises
    ------
    StoreError
        ``indicator_exists`` or ``alias_taken``; the caller's transaction is then rolled back.
    """
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
