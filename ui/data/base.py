"""The data wing's core: the catalogue, values, regions and geometry, cached per data stamp.

Pages and builders never import ``store``, ``regions`` or ``analysis``: they call these
functions (and the page modules beside this one), which are cached with the one policy of
:mod:`ui.data.cache` and return copies, so callers may modify what they get. Every function
raises :class:`~ui.data.cache.DataUnavailable` (message key ``common.error.no_data``) when the
data has not been built or the store cannot be read, so a page can show a clear message
instead of a traceback.

Public functions
----------------
- :func:`catalogue` — the indicator catalogue (one row per indicator).
- :func:`indicator_meta` — one catalogue row as a dict.
- :func:`values` — tidy values ``region_code, year, value, illustrative`` of one indicator at
  one level (one year or all years).
- :func:`wide` — one year, several indicators, one column each, indexed by ``region_code``.
- :func:`years` — the years of an indicator at a level.
- :func:`regions_table` — the desa, kecamatan or kabupaten table (no geometry).
- :func:`neighbours` — ``{code: [codes]}`` queen neighbours.
- :func:`layer` — a GeoDataFrame (``"full"`` or ``"display"`` resolution).
- :func:`display_geojson` — the URL (``app/static/generated/...``) of the display (or
  overview) GeoJSON, copied once per content hash into ``static/generated/`` for Streamlit's
  static serving.
- :func:`available` — the active series at a level (``store.available``).
- :func:`sources` — the manifest's source files (id, title, licence, citation) for the footer.
- :func:`clear` — drop every cache (tests).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd

import manifest
import regions
import settings
import store
from analysis import spatial

from .cache import DataUnavailable, versioned

GENERATED_DIR = settings.STATIC_DIR / "generated"
STATIC_URL = "app/static"


# --------------------------------------------------------------------------- catalogue


@versioned
def catalogue() -> pd.DataFrame:
    """The indicator catalogue (``store.catalogue()``), one row per indicator.

    Returns
    -------
    DataFrame
        Columns ``id``, ``name_id``, ``name_en``, ``unit``, ``kind``, ``direction``
        (``higher_better``/``lower_better``/``neutral``), ``theme``, ``levels``,
        ``illustrative_levels`` and ``sources`` (lists of str), ``decimals``, ``notes`` ...
    """
    df = store.catalogue()
    df = df.rename_axis("id").reset_index()
    for col in ("levels", "illustrative_levels", "sources", "aliases"):
        if col in df.columns:
            df[col] = df[col].map(_as_list)
    return df


@versioned
def applicable(level: str, indicator: str) -> frozenset[str]:
    """Codes of ``level`` to which ``indicator`` applies (``regions.applicable_codes`` of its
    catalogue ``applies_to``): IDM is for desa, so a kecamatan of kelurahan only is "not
    applicable", never 0 and never "no data"."""
    cat = catalogue().set_index("id")
    applies_to = cat["applies_to"].get(indicator, "all") if "applies_to" in cat else "all"
    return regions.applicable_codes(applies_to or "all", level)


@versioned
def available(level: str) -> pd.DataFrame:
    """Active series at ``level`` (``store.available``): ``indicator``, ``years`` (tuple) ..."""
    return store.available(level).reset_index(drop=True)


def _as_list(value) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    return [str(v) for v in value]


@versioned
def indicator_meta(indicator: str) -> dict:
    """One catalogue row as a dict; raises ``KeyError`` for an unknown id.

    Cached on its own (a page asks for it a dozen times per run: a small dict is far cheaper
    to hand out than the whole catalogue frame)."""
    df = catalogue()
    row = df[df["id"] == indicator]
    if row.empty:
        raise KeyError(indicator)
    return row.iloc[0].to_dict()


@versioned
def indicator_names(lang: str) -> dict[str, str]:
    """``{id: name}`` of every indicator in ``lang`` (``"en"``: English, else Indonesian), in
    catalogue order (the pickers' labels)."""
    df = catalogue()
    return dict(zip(df["id"], df["name_en" if lang == "en" else "name_id"], strict=True))


def is_illustrative(indicator: str, level: str) -> bool:
    """Whether the indicator's values at ``level`` are illustrative (catalogue flag)."""
    try:
        return level in indicator_meta(indicator)["illustrative_levels"]
    except KeyError:
        return False


@versioned
def indicators_for(level: str) -> list[str]:
    """Indicator ids with active values at ``level``, in catalogue order."""
    have = set(available(level)["indicator"])
    return [i for i in catalogue()["id"] if i in have]


# --------------------------------------------------------------------------- values


@versioned
def values(level: str, indicator: str, year: int | None = None) -> pd.DataFrame:
    """Tidy values of one indicator at one level.

    Parameters
    ----------
    level : str
        ``kecamatan``, ``kabupaten`` or ``provinsi``.
    indicator : str
        Catalogue id.
    year : int, optional
        One year; None gives all years.

    Returns
    -------
    DataFrame
        Columns ``region_code`` (str), ``year`` (int), ``value`` (float), ``illustrative``
        (bool). Regions without a value are absent (never 0).
    """
    years_ = None if year is None else [int(year)]
    df = store.tidy(indicator, level=level, years=years_)
    cols = ["region_code", "year", "value", "illustrative"]
    return df[cols].sort_values(["year", "region_code"]).reset_index(drop=True)


@versioned
def wide(level: str, indicators: tuple[str, ...], year: int) -> pd.DataFrame:
    """One year, several indicators: one column per indicator, indexed by ``region_code``."""
    frames = []
    for ind in indicators:
        v = values(level, ind, int(year))
        frames.append(v.set_index("region_code")["value"].rename(ind))
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, axis=1)


@versioned
def years(level: str, indicator: str) -> list[int]:
    """The years in which ``indicator`` has values at ``level``, ascending."""
    av = available(level)
    row = av[av["indicator"] == indicator]
    return sorted(int(y) for y in row.iloc[0]["years"]) if len(row) else []


@versioned
def real_years(level: str, indicator: str) -> list[int]:
    """The years of ``indicator`` at ``level`` with at least one real (not generated) value.

    From the store's counts per year (:func:`available`): the sidebar asks for it on every
    change of indicator, and reading the whole series for it cost more than the map."""
    av = available(level)
    row = av[av["indicator"] == indicator]
    return sorted(int(y) for y in row.iloc[0]["real_years"]) if len(row) else []


def year_for(level: str, indicator: str, current: object = None) -> int | None:
    """The year a view of ``indicator`` shows: ``current`` if the indicator has values in it
    (a change of indicator keeps the year), else its latest year with real values, else its
    latest year; None when it has no values at ``level``.

    The sidebar's rule (:mod:`ui.sidebar`), and the one the maps warmed for a change of
    indicator follow (:func:`ui.warming.peta`)."""
    yrs = years(level, indicator)
    if not yrs:
        return None
    if current in yrs:
        return int(current)
    return (real_years(level, indicator) or yrs)[-1]


@versioned
def illustrative_only(level: str) -> set[str]:
    """Indicators whose every value at ``level`` is illustrative (generated, not statistics).

    An indicator with some real years (the 2010 census population of the kecamatan, say)
    counts as real; its illustrative years are badged in the year picker.
    """
    av = available(level)
    return set(av.loc[av["all_illustrative"].astype(bool), "indicator"])


@versioned
def manifest_records() -> list[dict]:
    """Every file of the sources manifest as a dict: ``id``, ``source``, ``repo``, ``commit``,
    ``path``, ``url``, ``sha256``, ``licence``, ``licence_file``, ``producer``, ``citation``,
    ``notes``."""
    return [dataclasses.asdict(f) for f in manifest.load_manifest().values()]


@versioned
def sources() -> pd.DataFrame:
    """Source files of the manifest: ``id``, ``title``, ``licence``, ``citation``, ``url``."""
    rows = [
        {
            "id": f.id,
            "title": f.repo,
            "licence": f.licence,
            "citation": f.citation,
            "url": f.url,
            "producer": f.producer,
        }
        for f in manifest.load_manifest().values()
    ]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- regions


@versioned
def regions_table(level: str) -> pd.DataFrame:
    """``regions.kecamatan()``, ``regions.kabupaten()`` or ``regions.desa()`` (attributes, no
    geometry); the desa table also has its kabupaten/kota's name (``kab_nama``)."""
    if level == "kecamatan":
        return regions.kecamatan().reset_index(drop=True)
    if level == "kabupaten":
        return regions.kabupaten().reset_index(drop=True)
    if level == "desa":
        kab_names = regions.kabupaten().set_index("kode")["nama"]
        desa = regions.desa()
        return desa.assign(kab_nama=desa["kab_kode"].map(kab_names)).reset_index(drop=True)
    raise ValueError(f"unknown level {level!r}")


@versioned
def neighbours(level: str) -> dict[str, list[str]]:
    """Queen-contiguity neighbours ``{code: [codes]}`` (empty list for islands)."""
    return regions.neighbours(level)


def contiguity_weights(level: str, codes: tuple[str, ...]):
    """Queen-contiguity weights among ``codes`` (islands joined to their nearest region).

    The one set-up of spatial weights for every Moran and LISA computation of the dashboard
    (:func:`analysis.spatial.weights_from_neighbours` with ``k_islands=1``).
    """
    table = regions_table(level).assign(kode=lambda d: d["kode"].astype(str))
    table = table.set_index("kode").reindex(list(codes))
    coords = table[["rep_lon", "rep_lat"]].to_numpy() if "rep_lon" in table.columns else None
    return spatial.weights_from_neighbours(
        neighbours(level), ids=list(codes), coords=coords, k_islands=1
    )


@versioned
def layer(level: str, resolution: str = "display"):
    """The GeoDataFrame of a level."""
    return regions.load_layer(level, resolution=resolution)


def publish_static(src: Path, stem: str, suffix: str) -> str:
    """Copy ``src`` into ``static/generated/`` under a content-hashed name; return its URL.

    The name changes whenever the content does, so browsers may cache it for good. The copy
    goes through a temporary file and an atomic rename, so a reader never sees half a file.
    """
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:12]
    name = f"{stem}.{digest}{suffix}"
    GENERATED_DIR.mkdir(parents=True, exist_ok=True)
    target = GENERATED_DIR / name
    if not target.exists():
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(target)
    return f"{STATIC_URL}/generated/{name}"


@versioned
def display_geojson(level: str, kab: str | None = None, overview: bool = False) -> str:
    """The URL of the display GeoJSON for Plotly (``geojson=`` of a choropleth trace).

    The file built by the pipeline (``data/build/geo/<level>_display.geojson``; for ``desa``
    the desa of one kabupaten/kota ``kab``, ``desa_display/<kab>.geojson``) is copied into
    ``static/generated/`` under a content-hashed name, so the browser fetches it once and
    caches it; a rebuild with new geometry changes the data stamp and gets a new name.
    ``overview`` asks for the coarser layer of a map of the whole province
    (``<level>_overview.geojson``, kecamatan and kabupaten/kota only).
    Raises ``regions.UnknownRegion`` for a ``kab`` that is not a kabupaten/kota.
    """
    if level == "desa" and kab and not overview:
        src = regions.display_path("desa", kab)
        stem = f"desa_display_{src.stem}"
    elif level in ("kecamatan", "kabupaten"):
        stem = f"{level}_{'overview' if overview else 'display'}"
        src = settings.GEO_DIR / f"{stem}.geojson"
    else:
        raise ValueError(
            f"no display layer for level {level!r}, overview={overview} (the desa layer is "
            "served per kabupaten, without an overview)"
        )
    if not src.exists():
        raise DataUnavailable(f"{src} missing")
    return publish_static(src, stem, ".geojson")


def display_geojson_path(level: str, kab: str | None = None, overview: bool = False) -> Path:
    """The local file behind :func:`display_geojson` (tests read it)."""
    return settings.ROOT / display_geojson(level, kab, overview).replace(STATIC_URL, "static", 1)


def clear() -> None:
    """Drop every cached value of this module."""
    for fn in (
        catalogue, available, values, wide, sources, regions_table, neighbours, layer,
        display_geojson,
    ):
        fn.clear()
