"""The indicator catalogue: ``store/catalogue.toml`` checked and mirrored into the store.

The TOML file is the reviewed source of truth for the built-in indicators. Uploads may add
indicators of their own through :func:`register_indicator` (``origin = "upload"``); those
live only in the store and survive catalogue reloads.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from . import schema

CATALOGUE_FILE = Path(__file__).with_name("catalogue.toml")

KINDS = ("count", "percent", "money", "index", "density", "area", "years", "ratio", "other")
DIRECTIONS = ("higher_better", "lower_better", "neutral")
THEMES = (
    "kependudukan",
    "wilayah",
    "ekonomi",
    "kemiskinan",
    "pembangunan_manusia",
    "ketenagakerjaan",
    "perlindungan_sosial",
    "layanan_dasar",
    "kesehatan",
    "desa",
    "lainnya",
)
#: What an indicator applies to: every region, or desa only (IDM: never kelurahan, so a
#: kelurahan-only kecamatan is "not applicable"; see ``regions.applicable_codes``).
APPLIES_TO = ("all", "desa")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_REQUIRED = ("id", "name_id", "name_en", "unit", "kind", "direction", "theme", "levels")


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry (see ``store/README.md`` for the meaning of each field)."""

    id: str
    name_id: str
    name_en: str
    unit: str
    kind: str
    direction: str
    theme: str
    levels: tuple[str, ...]
    illustrative_levels: tuple[str, ...] = ()
    valid_min: float | None = None
    valid_max: float | None = None
    decimals: int = 1
    sources: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())
    notes: str = ""
    origin: str = "catalogue"
    applies_to: str = "all"

    @property
    def illustrative(self) -> bool:
        """Whether the default values of this indicator are generated at some level."""
        return bool(self.illustrative_levels)


def normalise_alias(name: str) -> str:
    """The form in which column names are compared with aliases.

    Lower case, accents and NBSP removed, runs of spaces, dots, dashes and slashes become
    one ``_``, surrounding ``_`` dropped.

    Examples
    --------
    >>> normalise_alias("  Jumlah Penduduk ")
    'jumlah_penduduk'
    >>> normalise_alias("Luas (km2)")
    'luas_km2'
    >>> normalise_alias("P0")
    'p0'
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^0-9a-z]+", "_", text.lower())
    return text.strip("_")


def _problem(where: str, text: str) -> str:
    return f"{where}: {text}"


def validate_entry(entry: dict, where: str = "indicator") -> list[str]:
    """Problems with one catalogue entry (empty when it is valid)."""
    problems = []
    for key in _REQUIRED:
        if key not in entry or entry[key] in (None, "", []):
            problems.append(_problem(where, f"field {key!r} is missing"))
    if problems:
        return problems
    if not _ID.match(entry["id"]):
        problems.append(_problem(where, f"id {entry['id']!r} is not short snake_case"))
    if entry["kind"] not in KINDS:
        problems.append(_problem(where, f"kind {entry['kind']!r} not in {KINDS}"))
    if entry["direction"] not in DIRECTIONS:
        problems.append(_problem(where, f"direction {entry['direction']!r} not in {DIRECTIONS}"))
    if entry["theme"] not in THEMES:
        problems.append(_problem(where, f"theme {entry['theme']!r} not in {THEMES}"))
    levels = list(entry["levels"])
    for level in levels + list(entry.get("illustrative_levels", [])):
        if level not in schema.LEVELS:
            problems.append(_problem(where, f"level {level!r} not in {schema.LEVELS}"))
    for level in entry.get("illustrative_levels", []):
        if level not in levels:
            problems.append(_problem(where, f"illustrative level {level!r} not in its levels"))
    if entry.get("applies_to", "all") not in APPLIES_TO:
        problems.append(_problem(where, f"applies_to {entry['applies_to']!r} not in {APPLIES_TO}"))
    lo, hi = entry.get("valid_min"), entry.get("valid_max")
    for name, bound in (("valid_min", lo), ("valid_max", hi)):
        if bound is not None and (not isinstance(bound, int | float) or not math.isfinite(bound)):
            problems.append(_problem(where, f"{name} must be a finite number"))
    if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
        problems.append(_problem(where, "valid_min is above valid_max"))
    return problems


def load_file(path: Path = CATALOGUE_FILE) -> list[Indicator]:
    """Read and check the catalogue file.

    Raises
    ------
    ValueError
        Listing every problem (bad field, duplicate id, alias claimed twice).
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = data.get("indicator", [])
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_alias: dict[str, str] = {}
    result = []
    for i, entry in enumerate(entries, start=1):
        where = f"{path.name} indicator #{i} ({entry.get('id', '?')})"
        problems += validate_entry(entry, where)
        if entry.get("id") in seen_ids:
            problems.append(_problem(where, "duplicate id"))
        seen_ids.add(entry.get("id"))
        aliases = []
        for alias in [entry.get("id", "")] + list(entry.get("aliases", [])):
            norm = normalise_alias(alias)
            owner = seen_alias.get(norm)
            if owner is not None and owner != entry.get("id"):
                problems.append(_problem(where, f"alias {alias!r} already belongs to {owner}"))
            seen_alias[norm] = entry.get("id")
            if norm not in aliases:
                aliases.append(norm)
        if not problems:
            result.append(
                Indicator(
                    id=entry["id"],
                    name_id=entry["name_id"],
                    name_en=entry["name_en"],
                    unit=entry["unit"],
                    kind=entry["kind"],
                    direction=entry["direction"],
                    theme=entry["theme"],
                    levels=tuple(entry["levels"]),
                    illustrative_levels=tuple(entry.get("illustrative_levels", ())),
                    valid_min=entry.get("valid_min"),
                    valid_max=entry.get("valid_max"),
                    decimals=int(entry.get("decimals", 1)),
                    sources=tuple(entry.get("sources", ())),
                    aliases=tuple(aliases),
                    notes=" ".join(str(entry.get("notes", "")).split()),
                    applies_to=entry.get("applies_to", "all"),
                )
            )
    if problems:
        raise ValueError("Invalid indicator catalogue:\n" + "\n".join(problems))
    return result


def _row(ind: Indicator) -> dict:
    return {
        "id": ind.id,
        "name_id": ind.name_id,
        "name_en": ind.name_en,
        "unit": ind.unit,
        "kind": ind.kind,
        "direction": ind.direction,
        "theme": ind.theme,
        "levels": ",".join(ind.levels),
        "illustrative_levels": ",".join(ind.illustrative_levels),
        "valid_min": ind.valid_min,
        "valid_max": ind.valid_max,
        "decimals": ind.decimals,
        "sources": ",".join(ind.sources),
        "notes": ind.notes,
        "origin": ind.origin,
        "applies_to": ind.applies_to,
    }


def catalogue_digest(path: Path = CATALOGUE_FILE) -> str:
    """sha256 of the catalogue file (the store reloads the catalogue when it changes)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync(conn: Connection, path: Path = CATALOGUE_FILE) -> bool:
    """Mirror the catalogue file into the store when it changed; True when rows were written.

    Built-in rows are replaced; indicators registered by uploads are kept (an upload
    indicator whose id the file now defines becomes a built-in one).
    """
    digest = catalogue_digest(path)
    row = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "catalogue_sha256")
    ).first()
    if row is not None and row[0] == digest:
        return False
    entries = load_file(path)
    builtin_ids = [e.id for e in entries]
    conn.execute(delete(schema.aliases).where(schema.aliases.c.indicator.in_(builtin_ids)))
    old_builtin = conn.execute(
        select(schema.indicators.c.id).where(schema.indicators.c.origin == "catalogue")
    ).scalars()
    stale = set(old_builtin) - set(builtin_ids)
    if stale:  # keep them (values may refer to them) but mark them as no longer built in
        conn.execute(
            schema.indicators.update()
            .where(schema.indicators.c.id.in_(stale))
            .values(origin="retired")
        )
    conn.execute(delete(schema.indicators).where(schema.indicators.c.id.in_(builtin_ids)))
    conn.execute(schema.indicators.insert(), [_row(e) for e in entries])
    # a built-in alias wins over one that an upload registered earlier
    builtin_aliases = [{"alias": a, "indicator": e.id} for e in entries for a in e.aliases]
    names = [r["alias"] for r in builtin_aliases]
    for start in range(0, len(names), 500):
        conn.execute(
            delete(schema.aliases).where(schema.aliases.c.alias.in_(names[start : start + 500]))
        )
    conn.execute(schema.aliases.insert(), builtin_aliases)
    conn.execute(delete(schema.meta).where(schema.meta.c.key == "catalogue_sha256"))
    conn.execute(schema.meta.insert().values(key="catalogue_sha256", value=digest))
    return True


def read(conn: Connection) -> pd.DataFrame:
    """The catalogue as a DataFrame indexed by indicator id (list-valued columns as tuples)."""
    rows = conn.execute(select(schema.indicators).order_by(schema.indicators.c.id)).mappings().all()
    alias_rows = conn.execute(select(schema.aliases)).all()
    by_ind: dict[str, list[str]] = {}
    for alias, ind in alias_rows:
        by_ind.setdefault(ind, []).append(alias)
    frame = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in schema.indicators.c])
    for col in ("levels", "illustrative_levels", "sources"):
        frame[col] = [tuple(x for x in str(v).split(",") if x) for v in frame[col]]
    frame["illustrative"] = [bool(v) for v in frame["illustrative_levels"]]
    frame["aliases"] = [tuple(sorted(by_ind.get(i, ()))) for i in frame["id"]]
    return frame.set_index("id")


def to_indicator(row: pd.Series) -> Indicator:
    """A catalogue row (from :func:`read`) as an :class:`Indicator`."""
    return Indicator(
        id=row.name,
        name_id=row["name_id"],
        name_en=row["name_en"],
        unit=row["unit"],
        kind=row["kind"],
        direction=row["direction"],
        theme=row["theme"],
        levels=tuple(row["levels"]),
        illustrative_levels=tuple(row["illustrative_levels"]),
        valid_min=None if pd.isna(row["valid_min"]) else float(row["valid_min"]),
        valid_max=None if pd.isna(row["valid_max"]) else float(row["valid_max"]),
        decimals=int(row["decimals"]),
        sources=tuple(row["sources"]),
        aliases=tuple(row["aliases"]),
        notes=row["notes"],
        origin=row["origin"],
        applies_to=row.get("applies_to", "all") or "all",
    )
