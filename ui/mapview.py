"""Map data for the Peta and Beranda pages: loaders + analysis -> :class:`ui.maps.MapLayer`.

The Streamlit-facing glue between the cached loaders, ``analysis.classify``,
``analysis.spatial`` and ``analysis.targeting``, and the pure figure builders of
:mod:`ui.maps`. Results are cached per ``(level, indicator, year, scheme, ...)`` so a rerun that
changes nothing recomputes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ui import data, maps
from ui.data import versioned
from ui.i18n import auto_decimals, plotly_separators, t, unit_label

DIVERGING_METHODS = {"std_mean", "box_plot"}


@versioned
def map_frame(level: str, indicator: str, year: int) -> pd.DataFrame:
    """Every region of ``level`` with its value for ``indicator`` and ``year`` (NaN if none).

    Columns: ``code``, ``nama``, ``kab_kode``, ``kab_nama`` (kecamatan only), ``value``,
    ``illustrative``.
    """
    regions = data.regions_table(level)
    if level == "kecamatan":
        base = regions[["kode", "nama", "kab_kode", "kab_nama"]]
    else:
        base = regions[["kode", "nama"]].assign(kab_kode=regions["kode"], kab_nama=regions["nama"])
    base = base.rename(columns={"kode": "code"})
    vals = data.values(level, indicator, int(year))
    vals = vals.rename(columns={"region_code": "code"})[["code", "value", "illustrative"]]
    out = base.merge(vals, on="code", how="left")
    out["illustrative"] = out["illustrative"].astype("boolean").fillna(False).astype(bool)
    return out.sort_values("code").reset_index(drop=True)


def decimals_for(meta: dict | None, values) -> int:
    """Digits to show: the catalogue's ``decimals``, else a guess from the magnitudes."""
    if meta and meta.get("decimals") is not None and not pd.isna(meta.get("decimals")):
        return int(meta["decimals"])
    return auto_decimals(list(values))


@dataclass(frozen=True)
class IndicatorMap:
    """An indicator map: the layer, the classification, and the table behind it."""

    layer: maps.MapLayer
    classification: object
    table: pd.DataFrame


def classify_frame(
    frame: pd.DataFrame,
    method: str,
    k: int,
    breaks: tuple[float, ...],
    direction: str,
    decimals: int,
    lang: str,
):
    """Classify ``frame.value`` with ``analysis.classify`` and colour the classes.

    Returns the frame with a ``cls`` column (NaN where no value), the legend entries and the
    classification object.
    """
    from analysis.classify import classify

    dec, thou = (",", ".") if lang == "id" else (".", ",")
    kwargs = {"decimal_sep": dec, "thousands_sep": thou}
    if method == "user_defined":
        kwargs["bins"] = list(breaks)
    c = classify(frame["value"].to_numpy(dtype=float), method, k, **kwargs)
    colors = maps.class_colors(c.k, direction, diverging_scale=method in DIVERGING_METHODS)
    legend = [maps.LegendEntry(label, color) for label, color in zip(c.labels, colors, strict=True)]
    out = frame.copy()
    yb = np.asarray(c.yb, dtype=float)
    yb[yb < 0] = np.nan
    out["cls"] = yb
    return out, legend, c


@versioned
def indicator_map(
    level: str,
    indicator: str,
    year: int,
    method: str,
    k: int,
    breaks: tuple[float, ...],
    lang: str,
) -> IndicatorMap:
    """The classified indicator map of one view (cached)."""
    meta = data.indicator_meta(indicator)
    frame = map_frame(level, indicator, year)
    decimals = decimals_for(meta, frame["value"].dropna())
    if method == "user_defined" and not breaks:
        method = "quantiles"
    classified, legend, c = classify_frame(
        frame, method, k, breaks, meta.get("direction", "neutral"), decimals, lang
    )
    layer = maps.layer_from_classes(
        classified,
        frame["code"].tolist(),
        legend,
        decimals,
        group_col="kab_kode" if level == "kecamatan" else None,
    )
    table = classified.copy()
    table["kelas"] = [c.labels[int(x)] if not pd.isna(x) else None for x in classified["cls"]]
    return IndicatorMap(layer, c, table)


def map_text(meta: dict | None, lang: str, title: str = "", legend_title: str = "") -> maps.MapText:
    """Translated texts for :func:`ui.maps.map_figure`."""
    return maps.MapText(
        value_label=t("common.word.value", lang=lang),
        unit=unit_label((meta or {}).get("unit"), lang),
        rank_prov=t("common.word.rank_province", lang=lang),
        rank_kab=t("common.word.rank_kabupaten", lang=lang),
        of=t("common.word.of", lang=lang),
        no_data=t("common.word.no_data", lang=lang),
        legend_title=legend_title,
        title=title,
        separators=plotly_separators(lang),
    )


@versioned
def kabupaten_bounds() -> dict[str, tuple[float, float, float, float]]:
    """``{kab_kode: (minx, miny, maxx, maxy)}`` from the kabupaten display GeoJSON."""
    path = data.display_geojson_path("kabupaten")
    geojson = json.loads(path.read_text())
    out = {}
    for feat in geojson["features"]:
        xs, ys = [], []
        _collect(feat["geometry"]["coordinates"], xs, ys)
        out[str(feat["id"])] = (min(xs), min(ys), max(xs), max(ys))
    return out


def _collect(coords, xs, ys):
    if coords and isinstance(coords[0], int | float):
        xs.append(coords[0])
        ys.append(coords[1])
        return
    for c in coords:
        _collect(c, xs, ys)


def province_view() -> tuple[float, float, float, float]:
    """The map view around all of East Java (tighter than Plotly's ``fitbounds``)."""
    b = kabupaten_bounds().values()
    box = (min(x[0] for x in b), min(x[1] for x in b), max(x[2] for x in b), max(x[3] for x in b))
    return maps.bounds_view(box, pad=0.01)


def source_lines(indicators) -> list[str]:
    """ "<repository> — <licence> — <citation>" for every source of the indicators (exports)."""
    src = data.sources().set_index("id")
    lines = []
    for ind in dict.fromkeys(indicators):
        try:
            meta = data.indicator_meta(ind)
        except KeyError:
            continue
        for sid in meta.get("sources") or []:
            if sid in src.index:
                row = src.loc[sid]
                lines.append(f"{row['title']} — {row['licence']} — {row['citation']}")
    return list(dict.fromkeys(lines))


def outline_codes() -> list[str]:
    """Codes of the 38 kabupaten/kota (for the outline trace)."""
    return data.regions_table("kabupaten")["kode"].tolist()


# --------------------------------------------------------------------------- LISA

LISA_PERMUTATIONS = 999
LISA_SEED = 20240601


@dataclass(frozen=True)
class LisaMap:
    """A LISA cluster map: the layer, the table, and the global Moran's I."""

    layer: maps.MapLayer
    table: pd.DataFrame
    moran_i: float
    moran_p: float
    n_islands: int


@versioned
def lisa_map(level: str, indicator: str, year: int, fdr: bool, lang: str) -> LisaMap | None:
    """Local Moran clusters (queen contiguity, islands joined to the nearest region).

    Regions without a value are left out of the weights and drawn as "no data". None when
    spatial autocorrelation is undefined (fewer than three values, or all values equal).
    """
    from analysis import spatial

    frame = map_frame(level, indicator, year)
    valid = frame.dropna(subset=["value"])
    values = valid.set_index("code")["value"]
    if len(values) < 3 or values.nunique() < 2:
        return None
    weights = data.contiguity_weights(level, tuple(values.index))
    local = spatial.lisa(
        values, weights, permutations=LISA_PERMUTATIONS, fdr=fdr, seed=LISA_SEED
    ).frame()
    glob = spatial.moran(values, weights, permutations=LISA_PERMUTATIONS, seed=LISA_SEED)
    order = list(maps.LISA_ORDER)
    legend = [
        maps.LegendEntry(t(f"peta.lisa.{label}", lang=lang), maps.LISA_COLORS[label])
        for label in order
    ]
    table = frame.merge(
        local.rename_axis("code").reset_index()[["code", "cluster", "p_sim"]], on="code", how="left"
    )
    table["cls"] = table["cluster"].map({label: i for i, label in enumerate(order)})
    decimals = decimals_for(data.indicator_meta(indicator), values)
    layer = maps.layer_from_classes(
        table,
        frame["code"].tolist(),
        legend,
        decimals,
        group_col="kab_kode" if level == "kecamatan" else None,
    )
    table["kelas"] = table["cluster"]
    return LisaMap(layer, table, float(glob.I), float(glob.p_sim), len(weights.islands))


# --------------------------------------------------------------------------- bivariate


@dataclass(frozen=True)
class BivariateMap:
    """A need × coverage map: the layer, the table (with priority), and the years used."""

    layer: maps.MapLayer
    table: pd.DataFrame
    need_year: int
    coverage_year: int


def common_year(level: str, need: str, coverage: str, year: int) -> tuple[int, int] | None:
    """Years to use: ``year`` for both when possible, else the latest ≤ ``year`` of each
    (else the earliest of each). None when an indicator has no values."""
    result = []
    for ind in (need, coverage):
        yrs = data.years(level, ind)
        if not yrs:
            return None
        before = [y for y in yrs if y <= year]
        result.append(max(before) if before else min(yrs))
    return result[0], result[1]


@versioned
def bivariate_map(
    level: str, need: str, coverage: str, need_year: int, coverage_year: int, lang: str
) -> BivariateMap:
    """Terciles of need × coverage through ``analysis.targeting.need_coverage``."""
    from analysis.targeting import need_coverage

    need_meta = data.indicator_meta(need)
    cov_meta = data.indicator_meta(coverage)
    nf = map_frame(level, need, need_year)
    cf = map_frame(level, coverage, coverage_year)[["code", "value", "illustrative"]]
    frame = nf.merge(cf, on="code", suffixes=("", "_cov"))
    both = frame.dropna(subset=["value", "value_cov"]).set_index("code")
    nc = need_coverage(
        both["value"],
        both["value_cov"],
        need_higher_is_worse=need_meta.get("direction") != "higher_better",
        coverage_higher_is_better=cov_meta.get("direction") != "lower_better",
    )
    result = nc.frame(lang).rename_axis("code").reset_index()
    table = frame.merge(result, on="code", how="left")
    table["cls"] = (table["need_class"] - 1) * 3 + (table["coverage_class"] - 1)
    words = [t(f"peta.bivariate.{w}", lang=lang) for w in ("low", "mid", "high")]
    legend = [
        maps.LegendEntry(
            t("peta.bivariate.cell", lang=lang, need=words[i // 3], coverage=words[i % 3]),
            maps.BIVARIATE_COLORS[i],
        )
        for i in range(9)
    ]
    nd = decimals_for(need_meta, both["value"])
    cd = decimals_for(cov_meta, both["value_cov"])
    valid = table.dropna(subset=["cls"])
    n = len(valid)
    template = (
        "<br>".join(
            [
                "<b>%{properties.nama}</b>",
                *(["%{properties.kab_nama}"] if level == "kecamatan" else []),
                f"{_name(need_meta, lang)}: %{{customdata[0]:,.{nd}f}} "
                f"{unit_label(need_meta.get('unit'), lang)}",
                f"{_name(cov_meta, lang)}: %{{customdata[1]:,.{cd}f}} "
                f"{unit_label(cov_meta.get('unit'), lang)}",
                f"{t('peta.bivariate.priority', lang=lang)}: %{{customdata[2]}} "
                f"{t('common.word.of', lang=lang)} {n}",
            ]
        )
        + "<extra></extra>"
    )
    layer = maps.MapLayer(
        codes=valid["code"].tolist(),
        classes=[int(c) for c in valid["cls"]],
        legend=legend,
        customdata=[
            [round(float(a), nd), round(float(b), cd), int(r)]
            for a, b, r in zip(
                valid["value"], valid["value_cov"], valid["priority_rank"], strict=True
            )
        ],
        no_data=[c for c in frame["code"] if c not in set(valid["code"])],
        hovertemplate=template,
    )
    table["kelas"] = table["description"]
    table["illustrative"] = table["illustrative"] | table["illustrative_cov"].fillna(False)
    return BivariateMap(layer, table, int(need_year), int(coverage_year))


def _name(meta: dict, lang: str) -> str:
    return meta["name_en"] if lang == "en" else meta["name_id"]
