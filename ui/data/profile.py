"""Data for Profil Kecamatan and its report: indicator rows, need/coverage gaps, peers, the
locator's shapes, the kecamatan's desa (values and shapes), cached per data stamp.

Rows are :func:`analysis.compare.indicator_rows`, gaps :func:`analysis.targeting.gap_rows`,
peers :func:`analysis.compare.peer_table`; the builders of :mod:`ui.profile` and
:mod:`ui.report` format them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

import regions
from analysis.compare import indicator_rows, peer_table
from analysis.ranking import normalise_direction, rank
from analysis.targeting import gap_rows
from i18n.text import display_name

from . import base as data
from . import compare as data_compare
from .cache import versioned

__all__ = [
    "COVERAGE_THEMES",
    "NEED_CHOICES",
    "DESA_INDICATORS",
    "coverage_indicators",
    "desa_frame",
    "desa_shapes",
    "desa_years",
    "gap_table",
    "indicator_table",
    "kabupaten_names",
    "locator_shapes",
    "need_indicators",
    "peer_rows",
    "region_row",
]

#: Catalogue themes whose percent indicators count as programme or service coverage.
COVERAGE_THEMES = ("perlindungan_sosial", "layanan_dasar", "kesehatan")
#: Desa values of the drill-down, in column order (IDM 2024 and distances to facilities).
DESA_INDICATORS = (
    "idm",
    "iks",
    "ike",
    "ikl",
    "status_idm",
    "jarak_smp_km",
    "jarak_puskesmas_km",
)
#: Need indicators offered, first available is the default.
NEED_CHOICES = ("persentase_penduduk_miskin", "tingkat_pengangguran_terbuka")


def coverage_indicators(cat: pd.DataFrame, level: str = "kecamatan") -> list[str]:
    """Percent indicators of the coverage themes with values at ``level``, higher = better.

    Parameters
    ----------
    cat : pandas.DataFrame
        The catalogue indexed by id (``kind``, ``direction``, ``theme``, ``levels``).
    """
    out = []
    for ind in data.indicators_for(level):
        if ind not in cat.index:
            continue
        row = cat.loc[ind]
        if (
            row.get("theme") in COVERAGE_THEMES
            and row.get("kind") == "percent"
            and normalise_direction(row.get("direction")) == "higher_better"
            and data.years(level, ind)
        ):
            out.append(ind)
    return out


def need_indicators(cat: pd.DataFrame, level: str = "kecamatan") -> list[str]:
    """The :data:`NEED_CHOICES` in the catalogue with values at ``level`` (first = default)."""
    return [n for n in NEED_CHOICES if n in cat.index and data.years(level, n)]


def region_row(code: str) -> dict:
    """The kecamatan's row of the regions table (``kode``, ``nama``, ``kode_bps``,
    ``kab_kode``, ``kab_nama``, ``area_km2``, ``n_desa``, ``n_kelurahan``, ``is_island`` ...).

    Raises ``KeyError`` for an unknown code.
    """
    kec = data.regions_table("kecamatan")
    kec["kode"] = kec["kode"].astype(str)
    row = kec.set_index("kode").loc[code].to_dict()
    row["kode"] = code
    return row


def kabupaten_names() -> dict[str, str]:
    """Kabupaten code → display name (``Kota Surabaya``)."""
    return {
        str(r.kode): display_name(r.nama) for r in data.regions_table("kabupaten").itertuples()
    }


@versioned
def indicator_table(code: str, level: str = "kecamatan") -> pd.DataFrame:
    """:func:`analysis.compare.indicator_rows` of one region for every indicator at its latest
    year, in theme order, with ``illustrative`` (catalogue or values) and ``decimals``."""
    cat = data_compare.catalogue_frame(level)
    groups = data_compare.groups_of(level) if level == "kecamatan" else pd.Series(dtype=object)
    values, kab, prov, longs = {}, {}, {}, []
    illustrative, prov_basis = {}, {}
    for ind in data_compare.ordered(data.indicators_for(level), cat):
        yrs = data.years(level, ind)
        if not yrs:
            continue
        frames = data_compare.indicator_frames(level, ind, yrs[-1])
        values[ind] = frames["values"]
        kab[ind] = frames["kab"]
        prov[ind] = frames["prov"]
        prov_basis[ind] = frames["prov_basis"]
        illustrative[ind] = frames["illustrative"]
        allyears = data.values(level, ind)
        longs.append(allyears[allyears["region_code"] == code].assign(indicator=ind))
    long = pd.concat(longs, ignore_index=True) if longs else None
    rows = indicator_rows(
        code, values, cat, groups=groups, group_values=kab, province_values=prov, long=long
    )
    if rows.empty:
        return rows
    rows["illustrative"] = rows["illustrative"] | rows["indicator"].map(illustrative).fillna(False)
    for col in ("prov_basis_id", "prov_basis_en", "prov_help_id", "prov_help_en"):
        rows[col] = rows["indicator"].map(lambda i, c=col: prov_basis.get(i, {}).get(c, ""))
    rows["decimals"] = rows["indicator"].map(
        lambda i: int(cat.at[i, "decimals"]) if "decimals" in cat.columns else 2
    )
    return rows


@versioned
def gap_table(code: str, need: str, level: str = "kecamatan") -> pd.DataFrame:
    """:func:`analysis.targeting.gap_rows` for every coverage indicator, each at the latest
    year it shares with the need, with ``year`` and ``illustrative``; sorted by priority.

    ``need_rank`` is ranked as on every page (:func:`analysis.ranking.rank`: 1 = best for the
    need's direction, i.e. the least need) among the ``n`` regions with both values; the
    priority (1 = largest gap) stays a separate column."""
    cat = data_compare.catalogue_frame(level)
    need_years = data.years(level, need)
    direction = normalise_direction(cat.at[need, "direction"]) if need in cat.index else ""
    parts = []
    for cov in coverage_indicators(cat, level):
        common = sorted(set(need_years) & set(data.years(level, cov)))
        if not common:
            continue
        year = common[-1]
        nv = data.values(level, need, year)
        cv = data.values(level, cov, year)
        rows = gap_rows(
            code,
            nv.set_index("region_code")["value"],
            {cov: cv.set_index("region_code")["value"]},
            need_higher_is_worse=direction != "higher_better",
        )
        both = pd.concat(
            {"need": nv.set_index("region_code")["value"],
             "cov": cv.set_index("region_code")["value"]}, axis=1
        ).dropna()
        if code in both.index:
            rows["need_rank"] = float(rank(both["need"], direction or "neutral")[code])
        rows["year"] = year
        rows["illustrative"] = bool(nv["illustrative"].any() or cv["illustrative"].any())
        parts.append(rows)
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True).sort_values("priority_rank").reset_index(drop=True)


def peer_rows(
    code: str, peers: Sequence[str], indicators: Sequence[str], level: str = "kecamatan"
) -> pd.DataFrame:
    """:func:`analysis.compare.peer_table` of the region and its peers on the indicators,
    each at its latest year."""
    wide = data_compare.wide_latest(level, list(indicators), None)
    return peer_table(code, peers, wide, data_compare.catalogue_frame(level))


@versioned
def locator_shapes(code: str) -> dict | None:
    """What the locator map of a kecamatan draws (the arguments of
    :func:`ui.profile.locator_svg`), or None for an unknown code.

    Returns
    -------
    dict or None
        ``geometries`` (code → polygon of every kecamatan of its kabupaten), ``focus``,
        ``context`` (its neighbours in other kabupaten), ``titles`` (code → display name)
        and ``view_codes`` (the focus and its neighbours, which the view fits).
    """
    layer = data.layer("kecamatan", "display")
    table = data.regions_table("kecamatan")
    kab_of = dict(zip(table["kode"].astype(str), table["kab_kode"].astype(str), strict=True))
    if code not in kab_of:
        return None
    codes = layer["kode"].astype(str)
    near = [code] + list(data.neighbours("kecamatan").get(code, []))
    same_kab = codes.map(kab_of) == kab_of[code]
    sub = layer[same_kab]
    around = layer[codes.isin(near) & ~same_kab]
    geoms = dict(zip(sub["kode"].astype(str), sub.geometry, strict=True))
    context = dict(zip(around["kode"].astype(str), around.geometry, strict=True))
    names = dict(zip(table["kode"].astype(str), table["nama"], strict=True))
    titles = {c: display_name(names.get(c, c)) for c in list(geoms) + list(context)}
    return {
        "geometries": geoms,
        "focus": code,
        "context": context,
        "titles": titles,
        "view_codes": near,
    }


@versioned
def desa_frame(code: str) -> pd.DataFrame:
    """The desa and kelurahan of one kecamatan with their values, one row each, by code.

    Returns
    -------
    pandas.DataFrame
        ``kode``, ``nama``, ``jenis`` (``desa``/``kelurahan``), ``applicable`` (IDM applies:
        a desa, never a kelurahan), then one float column per :data:`DESA_INDICATORS` id at its
        latest year at desa level (missing where there is no value; ``status_idm`` 1 mandiri
        … 5 sangat tertinggal); :func:`desa_years` gives the years.

    Raises ``regions.UnknownRegion`` (a ``KeyError``) for an unknown kecamatan code.
    """
    frame = regions.desa(code)[["kode", "nama", "jenis"]]
    frame["applicable"] = frame["kode"].isin(data.applicable("desa", "idm"))
    for ind, year in desa_years().items():
        v = data.values("desa", ind, year).set_index("region_code")["value"]
        frame[ind] = frame["kode"].map(v).astype(float)
    frame = frame.reindex(columns=["kode", "nama", "jenis", "applicable", *DESA_INDICATORS])
    return frame.sort_values("kode").reset_index(drop=True)


@versioned
def desa_years() -> dict[str, int]:
    """The latest year of each :data:`DESA_INDICATORS` id with desa values (id → year)."""
    return {ind: data.years("desa", ind)[-1] for ind in DESA_INDICATORS if data.years("desa", ind)}


@versioned
def desa_shapes(code: str) -> dict:
    """Desa code → display polygon (lon/lat) of one kecamatan's desa and kelurahan, for the
    report's inline SVG map (:func:`ui.profile_desa.desa_svg`)."""
    kab_kode = str(data.regions_table("kecamatan").set_index("kode").at[code, "kab_kode"])
    layer = regions.load_layer("desa", "display", kab_kode=kab_kode)
    mine = layer[layer["kode"].astype(str).str.startswith(code + ".")]
    return dict(zip(mine["kode"].astype(str), mine.geometry, strict=True))
