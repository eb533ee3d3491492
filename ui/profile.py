"""Pure builders for the Profil Kecamatan page (the camat's coordination sheet).

Everything here takes plain frames and returns frames, strings or SVG text, so the page
and the downloadable report (:mod:`ui.report`) share the same numbers. The frames come from
:mod:`ui.data.profile`: indicator rows (:func:`analysis.compare.indicator_rows`), need/coverage
gaps (:func:`analysis.targeting.gap_rows`), peers (:func:`analysis.compare.peer_table`) and the
locator's shapes.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ui.i18n import fmt_number, rank_cell, t

# --------------------------------------------------------------------------- identity


def identity_metrics(region: Mapping, n_neighbours: int, lang: str) -> list[tuple[str, object]]:
    """The identity block's metrics as (label, value): codes, area, desa, kelurahan,
    neighbours, in display order (two rows of three).

    Examples
    --------
    >>> m = identity_metrics({"kode": "35.78.09", "kode_bps": "3578080", "area_km2": 29.1,
    ...                       "n_desa": 0, "n_kelurahan": 7}, 4, "en")
    >>> [v for _, v in m]
    ['35.78.09', '3578080', '29.10 km²', 0, 7, 4]
    """
    return [
        (t("profile.identity.kemendagri", lang=lang), region.get("kode")),
        (t("profile.identity.bps", lang=lang), str(region.get("kode_bps") or "–")),
        (
            t("profile.identity.area", lang=lang),
            f"{fmt_number(region.get('area_km2'), 2, lang=lang)} km²",
        ),
        (t("profile.identity.desa", lang=lang), int(region.get("n_desa") or 0)),
        (t("profile.identity.kelurahan", lang=lang), int(region.get("n_kelurahan") or 0)),
        (t("profile.identity.neighbours", lang=lang), n_neighbours),
    ]


# --------------------------------------------------------------------------- gaps

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
        A row of :func:`analysis.targeting.gap_rows`.
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
        E.g. "Sukolilo, tahun 2024: kebutuhan tinggi (P0 25,3%, peringkat 650 dari 666,
        1 = terbaik) tetapi cakupan PKH rendah (8,1%, ...). Kesenjangan besar: prioritas 5
        dari 666, 1 = kesenjangan terbesar." The year is the row's (the latest year the need
        and the programme share, which may differ from the page's year); ranks are written as
        on every page (1 = best for the direction), priority is a different word.
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
        need_rank=tr("common.rank.phrase", rank=_int(row.get("need_rank")), n=n),
        coverage_rank=tr("common.rank.phrase", rank=_int(row.get("coverage_rank")), n=n),
        year=_int(row.get("year")),
        priority=_int(row.get("priority_rank")),
        n=n,
        need_level=tr(f"profile.level.{need_level}"),
        coverage_level=tr(f"profile.level.{cov_level}"),
    )


def with_sentences(
    gaps: pd.DataFrame,
    *,
    kecamatan: str,
    need: str,
    names: Mapping[str, str],
    need_unit: str,
    lang: str,
) -> pd.DataFrame:
    """The gaps of :func:`ui.data.profile.gap_table` with the programme's ``name`` and the
    :func:`gap_sentence` of each row in ``lang``.

    Parameters
    ----------
    gaps : pandas.DataFrame
        Rows of :func:`analysis.targeting.gap_rows` (``coverage``, levels, ranks ...).
    kecamatan : str
        Display name of the kecamatan.
    need : str
        Need indicator id.
    names : mapping
        Indicator id → display name in ``lang``.
    need_unit : str
        Unit of the need indicator.
    lang : str
        ``"id"`` or ``"en"``.
    """
    out = gaps.assign(name=gaps["coverage"].map(lambda i: names.get(i, i)))
    out["sentence"] = [
        gap_sentence(
            g,
            kecamatan=kecamatan,
            need_name=names.get(need, need),
            coverage_name=names.get(g["coverage"], g["coverage"]),
            tr=lambda key, **kw: t(key, lang=lang, **kw),
            fmt=lambda v, d: fmt_number(v, d, lang=lang),
            need_unit=need_unit,
        )
        for g in out.to_dict("records")
    ]
    return out


def _int(value) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if not math.isfinite(x) else str(int(x))


# --------------------------------------------------------------------------- locator map


def polygon_rings(geom) -> list:
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
        ``<svg ...>...</svg>`` with no external reference ("" when there is nothing to draw).
        :func:`ui.data.profile.locator_shapes` gives the arguments for a kecamatan.
    """
    context = context or {}
    if not any(polygon_rings(g) for layer in (context, geometries) for g in layer.values()):
        return ""
    view = context if context else geometries
    if view_codes:
        every = {**context, **geometries}
        view = {c: every[c] for c in view_codes if c in every} or view
    project = SvgProjection.fit([r for g in view.values() for r in polygon_rings(g)], width, margin)
    titles = titles or {}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{project.height}" '
        f'viewBox="0 0 {width} {project.height}" role="img">'
    ]
    for geom in context.values():
        out.append(
            f'<path d="{project.path(geom)}" fill="#eeeeee" stroke="#bbbbbb" stroke-width="0.5"/>'
        )
    for code, geom in geometries.items():
        if code == focus:
            continue
        title = html.escape(titles.get(code, code))
        out.append(
            f'<path d="{project.path(geom)}" fill="#d9d9d9" stroke="#ffffff" stroke-width="0.8">'
            f"<title>{title}</title></path>"
        )
    if focus in geometries:
        title = html.escape(titles.get(focus, focus))
        out.append(
            f'<path d="{project.path(geometries[focus])}" fill="{focus_colour}" stroke="#000000" '
            f'stroke-width="1.2"><title>{title}</title></path>'
        )
    out.append("</svg>")
    return "".join(out)


class SvgProjection:
    """Equirectangular lon/lat → SVG pixels (x scaled by cos of the mean latitude)."""

    def __init__(self, lon0: float, lat1: float, kx: float, scale: float, height: int):
        self.lon0, self.lat1, self.kx, self.scale, self.height = lon0, lat1, kx, scale, height

    @classmethod
    def fit(cls, rings: list, width: int, margin: float) -> SvgProjection:
        """The projection that fits ``rings`` (plus ``margin``) into ``width`` pixels."""
        pts = np.vstack(rings)
        lon0, lat0 = pts[:, 0].min(), pts[:, 1].min()
        lon1, lat1 = pts[:, 0].max(), pts[:, 1].max()
        pad_x, pad_y = margin * (lon1 - lon0), margin * (lat1 - lat0)
        lon0, lon1, lat0, lat1 = lon0 - pad_x, lon1 + pad_x, lat0 - pad_y, lat1 + pad_y
        kx = math.cos(math.radians((lat0 + lat1) / 2))
        span_x = max((lon1 - lon0) * kx, 1e-9)
        span_y = max(lat1 - lat0, 1e-9)
        scale = (width - 8) / span_x
        return cls(lon0, lat1, kx, scale, int(span_y * scale) + 8)

    def path(self, geom) -> str:
        """The SVG path data of a (multi)polygon, one closed subpath per ring."""
        parts = []
        for ring in polygon_rings(geom):
            xs = 4 + (ring[:, 0] - self.lon0) * self.kx * self.scale
            ys = 4 + (self.lat1 - ring[:, 1]) * self.scale
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
            parts.append(f"M{coords}Z")
        return " ".join(parts)


# --------------------------------------------------------------------------- tables


def _trend_text(row: Mapping, lang: str) -> str:
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
                h("rank_kab"): rank_cell(r["rank_kab"], r["n_kab"], lang),
                h("rank_prov"): rank_cell(r["rank_prov"], r["n_prov"], lang),
                h("sparkline"): [float(v) for v in (r.get("trend_series") or [])],
                h("trend"): _trend_text(r, lang),
                h("kab"): fmt_number(r["kab_value"], d, lang=lang),
                h("prov"): fmt_number(r["prov_value"], d, lang=lang),
                t("common.province.basis", lang=lang): r.get(f"prov_basis_{lang}", ""),
            }
        )
    return pd.DataFrame(out)


def export_rows(rows: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The indicator table for download: raw numbers, translated headers, ``illustrative``."""
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
        f"prov_basis_{lang}": t("common.province.basis", lang=lang),
        "rank_kab": h("rank_kab"),
        "n_kab": h("n_kab"),
        "rank_prov": h("rank_prov"),
        "n_prov": h("n_prov"),
        "trend_first_year": h("trend_first_year"),
        "trend_change": h("trend_change"),
    }
    present = [c for c in cols if c in rows.columns]
    out = rows[present + ["illustrative"]].copy()
    for col in ("year", "rank_kab", "n_kab", "rank_prov", "n_prov", "trend_first_year"):
        if col in out.columns:  # whole numbers, never 26.0
            out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
    out = out.rename(columns=cols)
    out[h("trend")] = [_trend_text(r, lang) for r in rows.to_dict("records")]
    return out


def display_gaps(gaps: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The need/coverage table as shown."""
    def h(key):
        return t(f"profile.gaps.col_{key}", lang=lang)

    return pd.DataFrame(
        [
            {
                h("programme"): g["name"],
                t("profile.indicators.col_year", lang=lang): str(int(g["year"])),
                h("need"): fmt_number(g["need_value"], 1, lang=lang),
                h("need_rank"): rank_cell(g["need_rank"], g["n"], lang),
                h("coverage"): fmt_number(g["coverage_value"], 1, lang=lang) + "%",
                h("cov_rank"): rank_cell(g["coverage_rank"], g["n"], lang),
                h("priority"): rank_cell(g["priority_rank"], g["n"], lang),
                t("profile.gaps.flag", lang=lang): "⚠" if g["flag"] else "",
            }
            for g in gaps.to_dict("records")
        ]
    )


def display_peers(peers: pd.DataFrame, *, lang: str, badge_text: str) -> pd.DataFrame:
    """The kecamatan against its peers, as shown."""
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
                t("profile.peers.col_rank", lang=lang): rank_cell(p["rank_among"], p["n_group"], lang),
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
