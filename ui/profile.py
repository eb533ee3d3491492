"""Pure builders for the Profil Kecamatan page (the camat's coordination sheet).

Everything here takes plain frames and returns frames, strings or SVG text, so the page
and the downloadable report (:mod:`ui.report`) share the same numbers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.compare import compare_table
from analysis.ranking import normalise_direction
from i18n.text import display_name, rank_text
from ui.data import compare as data_compare
from ui.data import versioned


def trend_summary(long: pd.DataFrame, code: str, indicator: str, direction: object) -> dict:
    """First and last available values of one indicator for one region, and the verdict.

    Parameters
    ----------
    long : pandas.DataFrame
        Long frame with ``region_code``, ``indicator``, ``year``, ``value``.
    code : str
        Region code.
    indicator : str
        Indicator id.
    direction : object
        The indicator's direction (see :func:`analysis.ranking.normalise_direction`).

    Returns
    -------
    dict
        ``first_year``, ``last_year``, ``first``, ``last``, ``change`` (last − first),
        ``verdict`` (``"better"``, ``"worse"``, ``"same"``, ``"up"``, ``"down"`` for a
        neutral indicator, or ``"none"`` with fewer than two years) and ``series``
        (year → value).

    Examples
    --------
    >>> lf = pd.DataFrame({"region_code": ["a", "a"], "indicator": ["p", "p"],
    ...                    "year": [2020, 2024], "value": [10.0, 8.0]})
    >>> trend_summary(lf, "a", "p", "higher_worse")["verdict"]
    'better'
    """
    sub = long[(long["region_code"] == code) & (long["indicator"] == indicator)]
    sub = sub.dropna(subset=["value"]).sort_values("year")
    series = dict(zip(sub["year"].astype(int), sub["value"].astype(float), strict=True))
    out = {
        "first_year": None,
        "last_year": None,
        "first": np.nan,
        "last": np.nan,
        "change": np.nan,
        "verdict": "none",
        "series": series,
    }
    if len(series) < 2:
        if series:
            year, value = next(iter(series.items()))
            out.update(first_year=year, last_year=year, first=value, last=value)
        return out
    years = list(series)
    first, last = series[years[0]], series[years[-1]]
    change = last - first
    scale = max(abs(first), abs(last), 1e-12)
    direction = normalise_direction(direction)
    if abs(change) <= 1e-9 * scale:
        verdict = "same"
    elif direction == "higher_better":
        verdict = "better" if change > 0 else "worse"
    elif direction == "higher_worse":
        verdict = "better" if change < 0 else "worse"
    else:
        verdict = "up" if change > 0 else "down"
    out.update(
        first_year=years[0],
        last_year=years[-1],
        first=first,
        last=last,
        change=change,
        verdict=verdict,
    )
    return out


def indicator_rows(
    code: str,
    values: Mapping[str, pd.DataFrame],
    catalogue: pd.DataFrame,
    *,
    groups: Mapping[str, str] | pd.Series,
    group_values: Mapping[str, pd.DataFrame],
    province_values: Mapping[str, Mapping[str, float]],
    long: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every indicator of one kecamatan with kabupaten and province values, ranks and trend.

    Parameters
    ----------
    code : str
        Kecamatan code.
    values : mapping
        Indicator id → wide frame (index = every kecamatan code, one column named after the
        indicator) for that indicator's latest year; indicators have different latest
        years, hence one frame each.
    catalogue : pandas.DataFrame
        Indexed by indicator id, with ``unit``, ``direction``, ``illustrative``.
    groups : mapping or Series
        Kecamatan code → kabupaten code.
    group_values, province_values : mapping
        Indicator id → kabupaten wide frame / {indicator: province value}, same year.
    long : pandas.DataFrame, optional
        Long frame of all years for the trend (``region_code``, ``indicator``, ``year``,
        ``value``).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`analysis.compare.compare_table` plus ``year``, ``trend_first_year``,
        ``trend_first``, ``trend_change``, ``trend_verdict`` and ``trend_series`` (the values
        of every year, oldest first).
    """
    rows = []
    for indicator, wide in values.items():
        table = compare_table(
            wide[[indicator]],
            [code],
            catalogue,
            groups=groups,
            group_values=group_values.get(indicator),
            province_values=province_values.get(indicator),
        )
        row = table.iloc[0].to_dict()
        row["year"] = wide.attrs.get("year")
        if long is not None:
            direction = (
                catalogue.at[indicator, "direction"] if indicator in catalogue.index else None
            )
            trend = trend_summary(long, code, indicator, direction)
            row.update(
                trend_first_year=trend["first_year"],
                trend_first=trend["first"],
                trend_change=trend["change"],
                trend_verdict=trend["verdict"],
                trend_series=list(trend["series"].values()),
            )
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- gaps

#: Tercile class of :func:`analysis.targeting.need_coverage` (1–3) → plain word.
LEVEL_WORDS = {1: "low", 2: "medium", 3: "high"}


def gap_rows(
    code: str,
    need: pd.Series,
    coverages: Mapping[str, pd.Series],
    *,
    need_higher_is_worse: bool = True,
) -> pd.DataFrame:
    """Need next to each programme's coverage for one kecamatan, with the priority rank.

    The scores, terciles and priority ranks are those of
    :func:`analysis.targeting.need_coverage` over every kecamatan with both values (the
    same classes as the bivariate map).

    Parameters
    ----------
    code : str
        Kecamatan code.
    need : pandas.Series
        The need indicator (e.g. poverty rate) for every kecamatan.
    coverages : mapping
        Coverage indicator id → Series (percent covered, higher = better) for every
        kecamatan.
    need_higher_is_worse : bool
        True for a poverty rate; False for e.g. IPM (a low value means more need).

    Returns
    -------
    pandas.DataFrame
        One row per coverage indicator: ``coverage``, ``need_value``, ``need_rank``
        (1 = most need), ``coverage_value``, ``coverage_rank`` (1 = highest coverage),
        ``n``, ``need_level`` and ``coverage_level`` (``high``/``medium``/``low``, or
        ``unknown`` when the kecamatan lacks a value), ``gap_score`` (need percentile minus
        coverage percentile), ``priority_rank`` (1 = largest gap in the province) and
        ``flag`` (high need with low coverage). Sorted by priority rank.
    """
    from analysis import targeting

    rows = []
    need = pd.to_numeric(need, errors="coerce")
    for cov_id, coverage in coverages.items():
        coverage = pd.to_numeric(coverage, errors="coerce")
        both = pd.concat({"need": need, "coverage": coverage}, axis=1).dropna()
        n = len(both)
        present = code in both.index and n >= 3
        row = {
            "coverage": cov_id,
            "need_value": need.get(code, np.nan),
            "coverage_value": coverage.get(code, np.nan),
            "n": n,
            "need_rank": np.nan,
            "coverage_rank": np.nan,
            "need_level": "unknown",
            "coverage_level": "unknown",
            "gap_score": np.nan,
            "priority_rank": np.nan,
            "flag": False,
        }
        if present:
            result = targeting.need_coverage(
                both["need"], both["coverage"], need_higher_is_worse=need_higher_is_worse
            )
            oriented = both["need"] if need_higher_is_worse else -both["need"]
            need_class = int(result.need_class[code])
            cov_class = int(result.coverage_class[code])
            row.update(
                need_rank=float(oriented.rank(ascending=False, method="min")[code]),
                coverage_rank=float(both["coverage"].rank(ascending=False, method="min")[code]),
                need_level=LEVEL_WORDS[need_class],
                coverage_level=LEVEL_WORDS[cov_class],
                gap_score=float(result.gap_score[code]),
                priority_rank=float(result.priority_rank[code]),
                flag=need_class == 3 and cov_class == 1,
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values("priority_rank", na_position="last").reset_index(drop=True)


def gap_sentence(
    row: Mapping,
    *,
    kecamatan: str,
    need_name: str,
    coverage_name: str,
    tr: Callable[..., str],
    fmt: Callable[[float, int], str],
    need_unit: str = "",
) -> str:
    """One plain-language sentence about a need/coverage pair.

    Parameters
    ----------
    row : mapping
        A row of :func:`gap_rows`.
    kecamatan, need_name, coverage_name : str
        Display names.
    tr : callable
        ``tr(key, **kwargs)`` translating ``profile.gap.<key>`` templates (the page passes
        :func:`ui.i18n.t` bound to a language).
    fmt : callable
        ``fmt(value, decimals)`` formatting a number for the language.
    need_unit : str
        Unit of the need indicator (``%`` is written without a space).

    Returns
    -------
    str
        E.g. "Sukolilo: kebutuhan tinggi (P0 25,3%, peringkat 12 dari 666) tetapi
        cakupan PKH rendah (8,1%, ...). Kesenjangan besar: prioritas ke-5 dari 666."
    """
    need_level, cov_level = row.get("need_level"), row.get("coverage_level")
    if need_level == "unknown" or cov_level == "unknown":
        return tr("profile.gap.unknown", kecamatan=kecamatan, coverage=coverage_name)
    if need_level == "high" and cov_level == "low":
        key = "profile.gap.high_low"
    elif need_level == "high":
        key = "profile.gap.high_covered"
    elif cov_level == "low":
        key = "profile.gap.low_need_low_cov"
    else:
        key = "profile.gap.ok"
    n = int(row.get("n") or 0)
    return tr(
        key,
        kecamatan=kecamatan,
        need=need_name,
        coverage=coverage_name,
        need_value=fmt(row.get("need_value"), 1)
        + ("" if not need_unit else need_unit if need_unit == "%" else f" {need_unit}"),
        coverage_value=fmt(row.get("coverage_value"), 1),
        need_rank=_int(row.get("need_rank")),
        coverage_rank=_int(row.get("coverage_rank")),
        priority=_int(row.get("priority_rank")),
        n=n,
        need_level=tr(f"profile.level.{need_level}"),
        coverage_level=tr(f"profile.level.{cov_level}"),
    )


def _int(value) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if not math.isfinite(x) else str(int(x))


# --------------------------------------------------------------------------- locator map


def _rings(geom) -> list:
    """Exterior and interior rings of a (multi)polygon as coordinate arrays."""
    polys = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    rings = []
    for poly in polys:
        if poly.is_empty or not hasattr(poly, "exterior"):
            continue
        rings.append(np.asarray(poly.exterior.coords))
        rings.extend(np.asarray(r.coords) for r in poly.interiors)
    return rings


def locator_svg(
    geometries: Mapping[str, object],
    focus: str,
    *,
    context: Mapping[str, object] | None = None,
    width: int = 360,
    titles: Mapping[str, str] | None = None,
    focus_colour: str = "#d7301f",
    view_codes: Sequence[str] | None = None,
    margin: float = 0.15,
) -> str:
    """A small self-contained SVG locator map: the kabupaten's kecamatan, focus in colour.

    Parameters
    ----------
    geometries : mapping
        Code → shapely (Multi)Polygon in lon/lat of the kecamatan to draw (usually those
        of the focus's kabupaten).
    focus : str
        Code drawn highlighted.
    context : mapping, optional
        Code → geometry of an outer context (e.g. every kabupaten of the province),
        drawn first in light grey; the view then fits the context.
    width : int
        Width in pixels; the height follows the shape (equirectangular with cos(lat)).
    titles : mapping, optional
        Code → tooltip text (``<title>``).
    view_codes : sequence of str, optional
        Fit the view to these regions (e.g. the focus and its neighbours) instead of to
        everything drawn; shapes outside are clipped by the SVG viewport.
    margin : float
        Extra space around the view, as a share of its size.

    Returns
    -------
    str
        ``<svg ...>...</svg>`` with no external reference.
    """
    layers = [("context", context or {}), ("main", geometries)]
    all_rings = [r for _, geoms in layers for g in geoms.values() for r in _rings(g)]
    if not all_rings:
        return ""
    view = context if context else geometries
    if view_codes:
        every = {**(context or {}), **geometries}
        view = {c: every[c] for c in view_codes if c in every} or view
    view_rings = [r for g in view.values() for r in _rings(g)]
    pts = np.vstack(view_rings)
    lon0, lat0 = pts[:, 0].min(), pts[:, 1].min()
    lon1, lat1 = pts[:, 0].max(), pts[:, 1].max()
    pad_x, pad_y = margin * (lon1 - lon0), margin * (lat1 - lat0)
    lon0, lon1, lat0, lat1 = lon0 - pad_x, lon1 + pad_x, lat0 - pad_y, lat1 + pad_y
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    span_x = max((lon1 - lon0) * kx, 1e-9)
    span_y = max(lat1 - lat0, 1e-9)
    scale = (width - 8) / span_x
    height = int(span_y * scale) + 8

    def path(geom) -> str:
        parts = []
        for ring in _rings(geom):
            xs = 4 + (ring[:, 0] - lon0) * kx * scale
            ys = 4 + (lat1 - ring[:, 1]) * scale
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
            parts.append(f"M{coords}Z")
        return " ".join(parts)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for geom in (context or {}).values():
        out.append(f'<path d="{path(geom)}" fill="#eeeeee" stroke="#bbbbbb" stroke-width="0.5"/>')
    for code, geom in geometries.items():
        if code == focus:
            continue
        title = html.escape((titles or {}).get(code, code))
        out.append(
            f'<path d="{path(geom)}" fill="#d9d9d9" stroke="#ffffff" stroke-width="0.8">'
            f"<title>{title}</title></path>"
        )
    if focus in geometries:
        title = html.escape((titles or {}).get(focus, focus))
        out.append(
            f'<path d="{path(geometries[focus])}" fill="{focus_colour}" stroke="#000000" '
            f'stroke-width="1.2"><title>{title}</title></path>'
        )
    out.append("</svg>")
    return "".join(out)


def peer_table(
    code: str,
    peers: Sequence[str],
    values: pd.DataFrame,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """How a kecamatan fares against its peers on each indicator.

    Parameters
    ----------
    code : str
        The kecamatan.
    peers : sequence of str
        Codes of its most comparable kecamatan.
    values : pandas.DataFrame
        Wide frame (index = codes, columns = indicators) containing at least code and peers.
    catalogue : pandas.DataFrame, optional
        With ``direction``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``value``, ``peer_median``, ``rank_among`` (1 = best of the
        group of the kecamatan and its peers, following the direction) and ``n_group``.
    """
    group = [code] + [p for p in peers if p != code]
    sub = values.reindex(group)
    rows = []
    for indicator in values.columns:
        column = pd.to_numeric(sub[indicator], errors="coerce")
        direction = (
            catalogue.at[indicator, "direction"]
            if catalogue is not None
            and indicator in catalogue.index
            and "direction" in catalogue.columns
            else None
        )
        ascending = normalise_direction(direction) == "higher_worse"
        ranks = column.rank(ascending=ascending, method="min")
        rows.append(
            {
                "indicator": indicator,
                "value": column.get(code, np.nan),
                "peer_median": column.drop(code, errors="ignore").median(),
                "rank_among": ranks.get(code, np.nan),
                "n_group": int(column.notna().sum()),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- loading
# Cached reads through ui.loaders; the page and the report share them.

#: Catalogue themes whose percent indicators count as programme or service coverage.
COVERAGE_THEMES = ("perlindungan_sosial", "layanan_dasar", "kesehatan")
#: Need indicators offered, first available is the default.
NEED_CHOICES = ("persentase_penduduk_miskin", "tingkat_pengangguran_terbuka")


def coverage_indicators(cat: pd.DataFrame, level: str = "kecamatan") -> list[str]:
    """Percent indicators of the coverage themes with values at ``level``, higher = better.

    Parameters
    ----------
    cat : pandas.DataFrame
        The catalogue indexed by id (``kind``, ``direction``, ``theme``, ``levels``).
    """
    from ui import data

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


@versioned
def indicator_table(code: str, level: str = "kecamatan") -> pd.DataFrame:
    """:func:`indicator_rows` of one region for every indicator at its latest year (cached)."""
    from ui import compare, data

    cat = data_compare.catalogue_frame(level)
    groups = data_compare.groups_of(level) if level == "kecamatan" else pd.Series(dtype=object)
    values, kab, prov, longs = {}, {}, {}, []
    illustrative = {}
    for ind in compare.ordered(data.indicators_for(level), cat):
        yrs = data.years(level, ind)
        if not yrs:
            continue
        frames = data_compare.indicator_frames(level, ind, yrs[-1])
        values[ind] = frames["values"]
        kab[ind] = frames["kab"]
        prov[ind] = frames["prov"]
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
    rows["decimals"] = rows["indicator"].map(
        lambda i: int(cat.at[i, "decimals"]) if "decimals" in cat.columns else 2
    )
    return rows


@versioned
def gap_table(code: str, need: str, level: str = "kecamatan") -> pd.DataFrame:
    """:func:`gap_rows` for every coverage indicator, at the latest year shared with the need."""
    from ui import data

    cat = data_compare.catalogue_frame(level)
    need_years = data.years(level, need)
    parts = []
    for cov in coverage_indicators(cat, level):
        common = sorted(set(need_years) & set(data.years(level, cov)))
        if not common:
            continue
        year = common[-1]
        nv = data.values(level, need, year)
        cv = data.values(level, cov, year)
        need_s = nv.set_index("region_code")["value"]
        cov_s = cv.set_index("region_code")["value"]
        direction = normalise_direction(cat.at[need, "direction"]) if need in cat.index else ""
        rows = gap_rows(
            code, need_s, {cov: cov_s}, need_higher_is_worse=direction != "higher_better"
        )
        rows["year"] = year
        rows["illustrative"] = bool(nv["illustrative"].any() or cv["illustrative"].any())
        parts.append(rows)
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True).sort_values("priority_rank").reset_index(drop=True)


@versioned
def cached_locator(code: str) -> str:
    """The locator SVG of a kecamatan within its kabupaten (cached per code)."""
    from ui import data

    layer = data.layer("kecamatan", "display")
    table = data.regions_table("kecamatan")
    kab_of = dict(zip(table["kode"].astype(str), table["kab_kode"].astype(str), strict=True))
    if code not in kab_of:
        return ""
    codes = layer["kode"].astype(str)
    near = [code] + list(data.neighbours("kecamatan").get(code, []))
    same_kab = codes.map(kab_of) == kab_of[code]
    sub = layer[same_kab]
    around = layer[codes.isin(near) & ~same_kab]
    geoms = dict(zip(sub["kode"].astype(str), sub.geometry, strict=True))
    context = dict(zip(around["kode"].astype(str), around.geometry, strict=True))
    names = dict(zip(table["kode"].astype(str), table["nama"], strict=True))
    titles = {c: display_name(names.get(c, c)) for c in list(geoms) + list(context)}
    return locator_svg(geoms, code, context=context, titles=titles, view_codes=near)


def _trend_text(row: Mapping, lang: str) -> str:
    from ui.i18n import fmt_number, t

    verdict = row.get("trend_verdict") or "none"
    first_year = row.get("trend_first_year")
    if (
        verdict == "none"
        or first_year is None
        or (isinstance(first_year, float) and math.isnan(first_year))
    ):
        return t("profile.trend.none", lang=lang)
    change = row.get("trend_change")
    text = fmt_number(change, int(row.get("decimals", 2)), lang=lang)
    if change is not None and change > 0:
        text = "+" + text
    return t(f"profile.trend.{verdict}", lang=lang, change=text, since=int(first_year))


def display_rows(rows: pd.DataFrame, *, lang: str, badge_text: str) -> pd.DataFrame:
    """The indicator table as shown (numbers formatted for the language)."""
    from ui.i18n import fmt_number, t

    def h(key):
        return t(f"profile.indicators.col_{key}", lang=lang)

    out = []
    for r in rows.to_dict("records"):
        d = int(r.get("decimals", 2))
        out.append(
            {
                h("indicator"): r["name"] + (f" · {badge_text}" if r["illustrative"] else ""),
                h("year"): "" if r.get("year") is None else str(int(r["year"])),
                h("value"): fmt_number(r["value"], d, lang=lang),
                h("unit"): r.get("unit") or "",
                h("rank_kab"): rank_text(r["rank_kab"], r["n_kab"]),
                h("rank_prov"): rank_text(r["rank_prov"], r["n_prov"]),
                h("sparkline"): [float(v) for v in (r.get("trend_series") or [])],
                h("trend"): _trend_text(r, lang),
                h("kab"): fmt_number(r["kab_value"], d, lang=lang),
                h("prov"): fmt_number(r["prov_value"], d, lang=lang),
            }
        )
    return pd.DataFrame(out)


def export_rows(rows: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The indicator table for download: raw numbers, translated headers, ``illustrative``."""
    from ui.i18n import t

    def h(key):
        return t(f"profile.indicators.col_{key}", lang=lang)

    cols = {
        "indicator": "id",
        "name": h("indicator"),
        "year": h("year"),
        "value": h("value"),
        "unit": h("unit"),
        "kab_value": h("kab"),
        "prov_value": h("prov"),
        "rank_kab": h("rank_kab"),
        "n_kab": "n_kab",
        "rank_prov": h("rank_prov"),
        "n_prov": "n_prov",
        "trend_first_year": "trend_first_year",
        "trend_change": "trend_change",
    }
    present = [c for c in cols if c in rows.columns]
    out = rows[present + ["illustrative"]].rename(columns=cols)
    out[h("trend")] = [_trend_text(r, lang) for r in rows.to_dict("records")]
    return out


def display_gaps(gaps: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The need/coverage table as shown."""
    from ui.i18n import fmt_number, t

    def h(key):
        return t(f"profile.gaps.col_{key}", lang=lang)

    return pd.DataFrame(
        [
            {
                h("programme"): g["name"],
                t("profile.indicators.col_year", lang=lang): str(int(g["year"])),
                h("need"): fmt_number(g["need_value"], 1, lang=lang),
                h("need_rank"): rank_text(g["need_rank"], g["n"]),
                h("coverage"): fmt_number(g["coverage_value"], 1, lang=lang) + "%",
                h("cov_rank"): rank_text(g["coverage_rank"], g["n"]),
                h("priority"): rank_text(g["priority_rank"], g["n"]),
                t("profile.gaps.flag", lang=lang): "⚠" if g["flag"] else "",
            }
            for g in gaps.to_dict("records")
        ]
    )


def display_peers(peers: pd.DataFrame, *, lang: str, badge_text: str) -> pd.DataFrame:
    """The kecamatan against its peers, as shown."""
    from ui.i18n import fmt_number, t

    return pd.DataFrame(
        [
            {
                t("profile.indicators.col_indicator", lang=lang): p["name"]
                + (f" · {badge_text}" if p["illustrative"] else ""),
                t("profile.indicators.col_value", lang=lang): fmt_number(
                    p["value"], int(p["decimals"]), lang=lang
                ),
                t("profile.peers.col_median", lang=lang): fmt_number(
                    p["peer_median"], int(p["decimals"]), lang=lang
                ),
                t("profile.peers.col_rank", lang=lang): rank_text(p["rank_among"], p["n_group"]),
            }
            for p in peers.to_dict("records")
        ]
    )


#: Manifest ids behind the identity block (boundaries, codes and the BPS crosswalk).
IDENTITY_SOURCES = ("boundaries_kec", "wilayah", "crosswalk_kecamatan", "census2010_villages")


def source_records(
    indicators: Sequence[str], cat: pd.DataFrame, sources: pd.DataFrame
) -> list[dict]:
    """The sources of a profile: those of its indicators and of its identity, one per title.

    Parameters
    ----------
    indicators : sequence of str
        Indicator ids shown.
    cat : pandas.DataFrame
        Catalogue indexed by id with ``sources`` (lists of manifest ids).
    sources : pandas.DataFrame
        ``ui.data.sources()``: ``id``, ``title``, ``licence``, ``citation``, ``url``.

    Returns
    -------
    list of dict
        ``title``, ``licence``, ``citation``, ``url``; several files of one repository
        appear once.
    """
    wanted = list(IDENTITY_SOURCES)
    for ind in indicators:
        if ind in cat.index:
            wanted += [s for s in (cat.at[ind, "sources"] or []) if s not in wanted]
    by_id = {str(r["id"]): r for r in sources.to_dict("records")}
    out, seen = [], set()
    for sid in wanted:
        r = by_id.get(sid)
        if r is None:
            continue
        title = r.get("title") or sid
        if title in seen:
            continue
        seen.add(title)
        out.append(
            {
                "title": title,
                "licence": r.get("licence") or "",
                "citation": r.get("citation") or "",
                "url": r.get("url") or "",
            }
        )
    return out
