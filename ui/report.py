"""The downloadable coordination sheet of a kecamatan: one self-contained HTML file.

The report has inline CSS, an inline SVG locator map and no external reference (no
fonts, scripts or images fetched), so it opens offline and prints from the browser
(A4, print styles hide the print button). It is written in Bahasa Indonesia by default
(``lang="en"`` gives the English version) and carries the "data ilustrasi" badge on every
illustrative value and a notice at the top when any value is illustrative.

A PDF is not produced: no PDF library is installed, and the browser's "print to PDF" of
this file gives a faithful PDF without adding a dependency.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pandas as pd

from i18n.text import display_name, rank_text
from ui.compare import indicator_names
from ui.i18n import fmt_number, t
from ui.profile import with_sentences
from ui.profile_desa import report_section

TEMPLATES = Path(__file__).resolve().parent / "templates"

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _num(value, decimals: int, lang: str) -> str:
    return fmt_number(value, decimals, lang=lang)


def _decimals(row: Mapping) -> int:
    try:
        d = int(row.get("decimals"))
    except (TypeError, ValueError):
        return 2
    return max(0, min(d, 4))


def _trend(row: Mapping, lang: str) -> tuple[str, str]:
    verdict = row.get("trend_verdict") or "none"
    if verdict == "none" or row.get("trend_first_year") in (None, ""):
        return t("profile.trend.none", lang=lang), ""
    first_year = row.get("trend_first_year")
    try:
        first_year = int(first_year)
    except (TypeError, ValueError):
        return t("profile.trend.none", lang=lang), ""
    change = row.get("trend_change")
    sign = "+" if change is not None and change > 0 else ""
    text = t(
        f"profile.trend.{verdict}",
        lang=lang,
        change=sign + _num(change, _decimals(row), lang),
        since=first_year,
    )
    return text, {"better": "better", "worse": "worse"}.get(verdict, "")


def report_context(
    *,
    region: Mapping,
    kab_name: str,
    neighbours: Sequence[str],
    indicators: pd.DataFrame,
    gaps: pd.DataFrame | None,
    peers: pd.DataFrame | None,
    peer_names: Sequence[str],
    sources: Sequence[Mapping],
    locator_svg: str = "",
    desa: Mapping | None = None,
    lang: str = "id",
    generated: datetime | None = None,
) -> dict:
    """Formatted values for the template (all numbers as strings in the language).

    Parameters
    ----------
    region : mapping
        The kecamatan's row of ``regions.kecamatan()`` (``kode``, ``nama``, ``kode_bps``,
        ``kab_kode``, ``area_km2``, ``n_desa``, ``n_kelurahan``).
    kab_name : str
        Display name of its kabupaten/kota.
    neighbours : sequence of str
        Display names of its neighbours.
    indicators : pandas.DataFrame
        :func:`ui.data.profile.indicator_table` plus ``name`` (display name).
    gaps : pandas.DataFrame, optional
        :func:`ui.data.profile.gap_table` (:func:`analysis.targeting.gap_rows` plus
        ``illustrative``) with ``name`` and ``sentence`` (:func:`ui.profile.with_sentences`).
    peers : pandas.DataFrame, optional
        :func:`ui.data.profile.peer_rows` (:func:`analysis.compare.peer_table`) plus
        ``name``, ``decimals`` and ``illustrative``.
    peer_names : sequence of str
        Display names of the peers.
    sources : sequence of mapping
        ``title``, ``licence``, ``citation``, ``url`` of each source shown.
    locator_svg : str
        Output of :func:`ui.profile.locator_svg` (inlined as is).
    desa : mapping, optional
        The desa section (:func:`ui.profile_desa.report_section`): table rows, legend and
        the status map as inline SVG.
    lang : str
        ``"id"`` (default) or ``"en"``.
    generated : datetime, optional
        Time stamp printed on the sheet (default: now, UTC).
    """
    gap_rows = _gap_rows(gaps, lang)
    ind_rows = _indicator_rows(indicators, lang)
    peer_rows = _peer_rows(peers, lang)
    gaps_illustrative = bool(
        gaps is not None and "illustrative" in gaps.columns and gaps["illustrative"].any()
    )
    any_illustrative = (
        any(r["illustrative"] for r in ind_rows)
        or any(r["illustrative"] for r in peer_rows)
        or gaps_illustrative
    )
    return {
        "name": display_name(region.get("nama")),
        "kode": region.get("kode", ""),
        "kode_bps": region.get("kode_bps", "") or "–",
        "kab_kode": region.get("kab_kode", ""),
        "kab_name": kab_name,
        "area": f"{_num(region.get('area_km2'), 2, lang)} km²",
        "n_desa": int(region.get("n_desa") or 0),
        "n_kelurahan": int(region.get("n_kelurahan") or 0),
        "neighbours": list(neighbours),
        "locator_svg": locator_svg,
        "desa": dict(desa) if desa else None,
        "indicators": ind_rows,
        "gaps": gap_rows,
        "gaps_illustrative": gaps_illustrative,
        "peers": peer_rows,
        "peer_names": list(peer_names),
        "sources": [dict(s) for s in sources],
        "generated": (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        "any_illustrative": any_illustrative,
    }


def _rank(rank, n, lang: str) -> str:
    return rank_text(rank, n, t("common.word.of", lang=lang))


def _indicator_rows(indicators: pd.DataFrame, lang: str) -> list[dict]:
    """The indicator table of the report, formatted."""
    out = []
    for row in indicators.to_dict("records"):
        d = _decimals(row)
        trend, trend_class = _trend(row, lang)
        year = row.get("year")
        out.append(
            {
                "name": row.get("name") or row.get("indicator"),
                "year": ""
                if year is None or (isinstance(year, float) and math.isnan(year))
                else int(year),
                "value": _num(row.get("value"), d, lang),
                "unit": row.get("unit") or "",
                "kab_value": _num(row.get("kab_value"), d, lang),
                "prov_value": _num(row.get("prov_value"), d, lang),
                "prov_basis": row.get(f"prov_basis_{lang}") or "",
                "rank_kab": _rank(row.get("rank_kab"), row.get("n_kab"), lang),
                "rank_prov": _rank(row.get("rank_prov"), row.get("n_prov"), lang),
                "trend": trend,
                "trend_class": trend_class,
                "illustrative": bool(row.get("illustrative")),
            }
        )
    return out


def _gap_rows(gaps: pd.DataFrame | None, lang: str) -> list[dict]:
    """The need/coverage sentences and numbers of the report, formatted."""
    return [
        {
            "name": row.get("name") or row.get("coverage"),
            "sentence": row.get("sentence", ""),
            "flag": bool(row.get("flag")),
            "need": _num(row.get("need_value"), 1, lang),
            "coverage": _num(row.get("coverage_value"), 1, lang),
            "priority": _rank(row.get("priority_rank"), row.get("n"), lang),
        }
        for row in ([] if gaps is None else gaps.to_dict("records"))
    ]


def _peer_rows(peers: pd.DataFrame | None, lang: str) -> list[dict]:
    """The kecamatan against its peers in the report, formatted."""
    out = []
    for row in [] if peers is None else peers.to_dict("records"):
        d = _decimals(row)
        out.append(
            {
                "name": row.get("name") or row.get("indicator"),
                "value": _num(row.get("value"), d, lang),
                "peer_median": _num(row.get("peer_median"), d, lang),
                "rank_among": _rank(row.get("rank_among"), row.get("n_group"), lang),
                "illustrative": bool(row.get("illustrative")),
            }
        )
    return out


def report_html(
    lang: str,
    *,
    region: Mapping,
    kab_name: str,
    neighbours: Sequence[str],
    rows: pd.DataFrame,
    catalogue: pd.DataFrame,
    gaps: pd.DataFrame | None = None,
    need: str | None = None,
    peers: pd.DataFrame | None = None,
    peer_names: Sequence[str] = (),
    sources: Sequence[Mapping] = (),
    locator_svg: str = "",
    desa: pd.DataFrame | None = None,
    desa_shapes: Mapping[str, object] | None = None,
) -> str:
    """The whole report of a kecamatan in ``lang``: names and sentences in that language,
    then :func:`report_context` and :func:`render_report`.

    Parameters
    ----------
    lang : str
        ``"id"`` or ``"en"``.
    region, kab_name, neighbours, peer_names, sources, locator_svg
        As for :func:`report_context`.
    rows : pandas.DataFrame
        :func:`ui.data.profile.indicator_table`.
    catalogue : pandas.DataFrame
        Indexed by id with ``name_id``, ``name_en`` and ``unit``.
    gaps : pandas.DataFrame, optional
        :func:`ui.data.profile.gap_table` of the ``need`` indicator.
    need : str, optional
        The need indicator of ``gaps``.
    peers : pandas.DataFrame, optional
        :func:`ui.data.profile.peer_rows` with ``decimals`` and ``illustrative``.
    desa : pandas.DataFrame, optional
        :func:`ui.data.profile.desa_frame`: the desa table and status map of the report.
    desa_shapes : mapping, optional
        :func:`ui.data.profile.desa_shapes` (desa code → polygon) for the map.
    """
    names = indicator_names(catalogue, lang)

    def named(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame.assign(name=frame[column].map(lambda i: names.get(i, i)))

    if gaps is not None:
        gaps = with_sentences(
            gaps,
            kecamatan=display_name(region.get("nama")),
            need=need,
            names=names,
            need_unit=str(catalogue.at[need, "unit"] or ""),
            lang=lang,
        )
    context = report_context(
        region=region,
        kab_name=kab_name,
        neighbours=neighbours,
        indicators=named(rows, "indicator"),
        gaps=gaps,
        peers=None if peers is None else named(peers, "indicator"),
        peer_names=peer_names,
        sources=sources,
        locator_svg=locator_svg,
        desa=None
        if desa is None or desa.empty
        else report_section(
            desa, desa_shapes or {}, name=display_name(region.get("nama")), lang=lang
        ),
        lang=lang,
    )
    return render_report(context, lang=lang)


def render_report(context: Mapping, lang: str = "id") -> str:
    """Render the report HTML from :func:`report_context`.

    Parameters
    ----------
    context : mapping
        Output of :func:`report_context`.
    lang : str
        Language of the labels (``profile.report.*`` keys).

    Returns
    -------
    str
        A complete HTML document with no external reference.
    """
    template = _ENV.get_template("report.html.j2")

    def tr(key: str, **kwargs) -> str:
        return t(f"profile.report.{key}", lang=lang, **kwargs)

    return template.render(
        r=context,
        lang=lang,
        tr=tr,
        badge=t("common.badge.illustrative", lang=lang),
        badge_long=t("common.badge.illustrative_long", lang=lang),
    )


def report_filename(region: Mapping, lang: str = "id") -> str:
    """A safe file name such as ``profil_35.78.09_sukolilo.html``.

    Examples
    --------
    >>> report_filename({"kode": "35.78.09", "nama": "SUKOLILO"})
    'profil_35.78.09_sukolilo.html'
    """
    name = "".join(ch if ch.isalnum() else "_" for ch in str(region.get("nama", "")).lower()).strip(
        "_"
    )
    prefix = "profil" if lang == "id" else "profile"
    return f"{prefix}_{region.get('kode', 'x')}_{name}.html"
