"""Pure builders of the desa drill-down of Profil Kecamatan and of its report.

The frame is :func:`ui.data.profile.desa_frame` (one row per desa/kelurahan: ``kode``,
``nama``, ``jenis``, ``applicable``, IDM 2024 values, ``status_idm`` 1 mandiri … 5 sangat
tertinggal, distances to the nearest SMP and puskesmas). Out come the sortable table (IDM
fields as fixed-decimal text, whose text order is their numeric order, with "tidak berlaku"
after them; distances kept as numbers and shown through the one formatter by a pandas
``Styler``), its download, the status map (a :func:`ui.maps.map_figure` of the kecamatan's
desa) and, for the self-contained report, the same map as inline SVG and the table as
formatted rows.

A kelurahan is outside IDM by design: its IDM, IKS, IKE, IKL and status read "tidak berlaku"
(not applicable), never 0 and never "no data".
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from i18n.text import display_name
from ui import maps
from ui.i18n import fmt_number, plotly_separators, t
from ui.profile import SvgProjection, polygon_rings

#: Statuses from worst to best, the order of the legend (low to high, as on every map).
STATUS_ORDER = (5, 4, 3, 2, 1)
#: IDM columns of the frame (not applicable in a kelurahan), with their decimals.
IDM_COLUMNS = {"idm": 4, "iks": 4, "ike": 4, "ikl": 4}
#: Distance columns (every desa and kelurahan), km with 1 decimal.
DISTANCE_COLUMNS = ("jarak_smp_km", "jarak_puskesmas_km")


def status_word(status, lang: str) -> str:
    """The status in words (``profile.status.s1`` … ``s5``), "" when there is none.

    Examples
    --------
    >>> status_word(5, "id"), status_word(1.0, "en"), status_word(None, "id")
    ('Sangat Tertinggal', 'Independent (Mandiri)', '')
    """
    try:
        code = int(status)
    except (TypeError, ValueError):
        return ""
    return t(f"profile.status.s{code}", lang=lang) if code in STATUS_ORDER else ""


def _header(key: str, lang: str) -> str:
    return t(f"profile.desa.col_{key}", lang=lang)


def table_columns(lang: str) -> dict[str, str]:
    """Frame column → translated header of the table, in display order (name first)."""
    keys = ("nama", "kode", "jenis", *IDM_COLUMNS, "status_idm", *DISTANCE_COLUMNS)
    return {k: _header(k, lang) for k in keys}


def desa_table(frame: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The table of the desa of a kecamatan as shown, headers translated, name first.

    The IDM fields are text through the one formatter (4 decimals, so the table's text sort
    is also the numeric one for these indices in [0, 1]), "tidak berlaku" in a kelurahan
    (``applicable`` False; it sorts after every number) and "tidak ada data" for a desa
    without a value; the status is in words. Distances stay numbers, so they sort by value;
    :func:`desa_styler` shows them through the formatter.
    """
    not_applicable = t("common.word.not_applicable", lang=lang)
    no_data = t("common.word.no_data", lang=lang)
    applies = frame["applicable"].astype(bool).to_numpy()
    out = frame.copy()
    out["nama"] = out["nama"].map(display_name)
    out["jenis"] = out["jenis"].map(lambda j: t(f"profile.identity.{j}", lang=lang))
    for col, decimals in IDM_COLUMNS.items():
        out[col] = [
            fmt_number(v, decimals, lang=lang, missing=no_data) if ok else not_applicable
            for v, ok in zip(frame[col], applies, strict=True)
        ]
    out["status_idm"] = [
        (status_word(v, lang) or no_data) if ok else not_applicable
        for v, ok in zip(frame["status_idm"], applies, strict=True)
    ]
    return out[list(table_columns(lang))].rename(columns=table_columns(lang))


def desa_styler(table: pd.DataFrame, *, lang: str) -> Styler:
    """The :func:`desa_table` with its distances (numbers, so they sort by value) written by
    the one formatter, 1 decimal, in ``lang``."""
    heads = table_columns(lang)
    return table.style.hide(axis="index").format(
        lambda v: fmt_number(v, 1, lang=lang), subset=[heads[c] for c in DISTANCE_COLUMNS]
    )


def export_table(frame: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The desa table for download: the table's headers, raw numbers (empty where there is
    no number), the status in words and "tidak berlaku" in the status of every kelurahan, so
    an empty IDM cell is never read as missing data.

    Examples
    --------
    >>> f = pd.DataFrame({"kode": ["35.01.04.1001", "35.01.04.2003"], "nama": ["A", "B"],
    ...     "jenis": ["kelurahan", "desa"], "applicable": [False, True],
    ...     "idm": [None, 0.7337], "iks": [None, 0.8], "ike": [None, 0.7], "ikl": [None, 0.6],
    ...     "status_idm": [None, 2.0], "jarak_smp_km": [1.5, 1.9],
    ...     "jarak_puskesmas_km": [4.2, 3.1]})
    >>> export_table(f, lang="id")[["IDM", "Status IDM"]].values.tolist()
    [[nan, 'Tidak berlaku'], [0.7337, 'Maju']]
    """
    out = desa_table(frame, lang=lang)
    heads = table_columns(lang)
    for col in (*IDM_COLUMNS, *DISTANCE_COLUMNS):
        out[heads[col]] = frame[col].astype(float).to_numpy()
    return out


def intro(frame: pd.DataFrame, *, name: str, lang: str) -> str:
    """The sentence above the table: how many desa and kelurahan, what IDM is, and, for a
    kecamatan of kelurahan only, that IDM does not apply there at all.

    Examples
    --------
    >>> f = pd.DataFrame({"jenis": ["kelurahan", "kelurahan"]})
    >>> intro(f, name="Sukolilo", lang="en").startswith("Sukolilo has only kelurahan (2)")
    True
    """
    jenis = frame["jenis"].value_counts()
    n_desa, n_kelurahan = int(jenis.get("desa", 0)), int(jenis.get("kelurahan", 0))
    key = "profile.desa.intro" if n_desa else "profile.desa.intro_kelurahan_only"
    return t(key, lang=lang, name=name, n_desa=n_desa, n_kelurahan=n_kelurahan)


def map_caption(frame: pd.DataFrame, *, name: str, lang: str) -> str:
    """The caption of the status map: desa and kelurahan, desa only, or kelurahan only."""
    applies = frame["applicable"].astype(bool)
    if not applies.any():
        return t("profile.desa.map_caption_kelurahan_only", lang=lang, name=name)
    if applies.all():
        return t("profile.desa.map_caption_desa_only", lang=lang, name=name)
    return t("profile.desa.map_caption", lang=lang, name=name)


def _legend(lang: str) -> list[maps.LegendEntry]:
    return [maps.LegendEntry(status_word(s, lang), maps.IDM_STATUS_COLORS[s]) for s in STATUS_ORDER]


def desa_map_figure(
    frame: pd.DataFrame,
    geojson_url: str,
    *,
    lang: str,
    outline_url: str | None = None,
    kecamatan: str | None = None,
    height: int = 480,
):
    """The kecamatan's desa coloured by IDM status (:func:`ui.maps.map_figure`).

    Traces: ``values`` (desa with a status, ``z`` = position in :data:`STATUS_ORDER`,
    hover: name, status, IDM), ``not_applicable`` (kelurahan, pale, hover "tidak berlaku"),
    ``no_data`` (a desa without a status, if any), the kecamatan's outline and one legend
    entry per status plus "tidak berlaku" when there are kelurahan.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`ui.data.profile.desa_frame`.
    geojson_url : str
        URL of the desa display GeoJSON holding these desa (feature ``id`` = desa code).
    outline_url, kecamatan : str, optional
        URL of the kecamatan display GeoJSON and the kecamatan's code, outlined on top.
    """
    has = frame["applicable"].astype(bool) & frame["status_idm"].notna()
    shown = frame[has]
    status_label = _header("status_idm", lang)
    template = (
        "<b>%{properties.nama}</b><br>"
        + f"{html.escape(status_label)}: %{{customdata[1]}}<br>"
        + "IDM: %{customdata[0]:.4f}<extra></extra>"
    )
    layer = maps.MapLayer(
        codes=shown["kode"].tolist(),
        classes=[STATUS_ORDER.index(int(s)) for s in shown["status_idm"]],
        legend=_legend(lang) if len(shown) else [],  # kelurahan only: no status to explain
        customdata=[
            [round(float(v), 4), status_word(s, lang)]
            for v, s in zip(shown["idm"], shown["status_idm"], strict=True)
        ],
        no_data=frame.loc[frame["applicable"].astype(bool) & ~has, "kode"].tolist(),
        not_applicable=frame.loc[~frame["applicable"].astype(bool), "kode"].tolist(),
        hovertemplate=template,
    )
    text = maps.MapText(
        no_data=t("common.word.no_data", lang=lang),
        not_applicable=t("common.word.not_applicable", lang=lang),
        legend_title=t("profile.desa.legend", lang=lang),
        separators=plotly_separators(lang),
    )
    fig = maps.map_figure(
        layer,
        geojson_url,
        level="desa",
        outline_url=outline_url,
        outline_codes=[kecamatan] if kecamatan else (),
        text=text,
        height=height,
        uirevision=f"desa-{kecamatan}",
    )
    # a narrow column: the legend's title above its entries, so the entries wrap in full
    return fig.update_layout(legend_title_side="top")


def desa_colours(frame: pd.DataFrame) -> dict[str, str]:
    """Desa code → fill colour of the status map (kelurahan: not applicable; a desa without
    status: no data)."""
    out = {}
    for row in frame.itertuples():
        if not row.applicable:
            out[row.kode] = maps.NOT_APPLICABLE_COLOR
        elif pd.isna(row.status_idm):
            out[row.kode] = maps.NO_DATA_COLOR
        else:
            out[row.kode] = maps.IDM_STATUS_COLORS[int(row.status_idm)]
    return out


def desa_svg(
    shapes: Mapping[str, object],
    colours: Mapping[str, str],
    titles: Mapping[str, str],
    *,
    width: int = 420,
) -> str:
    """The status map as a self-contained SVG (no external reference), for the report.

    Parameters
    ----------
    shapes : mapping
        Desa code → shapely (Multi)Polygon in lon/lat
        (:func:`ui.data.profile.desa_shapes`).
    colours : mapping
        Desa code → fill colour (:func:`desa_colours`).
    titles : mapping
        Desa code → tooltip text (escaped here).
    width : int
        Width in pixels; the height follows the shape.

    Returns
    -------
    str
        ``<svg ...>`` with one ``<path data-kode=...>`` per desa ("" with nothing to draw).
    """
    rings = [r for g in shapes.values() for r in polygon_rings(g)]
    if not rings:
        return ""
    project = SvgProjection.fit(rings, width, 0.03)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{project.height}" '
        f'viewBox="0 0 {width} {project.height}" role="img" class="desa-map">'
    ]
    for code, geom in shapes.items():
        fill = colours.get(code, maps.NO_DATA_COLOR)
        title = html.escape(titles.get(code, code))
        out.append(
            f'<path data-kode="{html.escape(code)}" d="{project.path(geom)}" fill="{fill}" '
            f'stroke="#ffffff" stroke-width="0.8"><title>{title}</title></path>'
        )
    out.append("</svg>")
    return "".join(out)


def svg_titles(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    """Desa code → "name: status (IDM)" or "name: tidak berlaku" (the SVG's tooltips)."""
    out = {}
    for row in frame.itertuples():
        name = display_name(row.nama)
        if not row.applicable:
            out[row.kode] = f"{name}: {t('common.word.not_applicable', lang=lang)}"
        else:
            status = status_word(row.status_idm, lang) or t("common.word.no_data", lang=lang)
            out[row.kode] = f"{name}: {status} (IDM {fmt_number(row.idm, 4, lang=lang)})"
    return out


def report_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    """The desa table of the report: every cell a formatted string, plus the status colour."""
    not_applicable = t("common.word.not_applicable", lang=lang)
    colours = desa_colours(frame)
    out = []
    for row in frame.to_dict("records"):
        applies = bool(row["applicable"])
        cells = {
            col: fmt_number(row[col], d, lang=lang) if applies else not_applicable
            for col, d in IDM_COLUMNS.items()
        }
        status = status_word(row["status_idm"], lang) or t("common.word.no_data", lang=lang)
        out.append(
            {
                "nama": display_name(row["nama"]),
                "kode": row["kode"],
                "jenis": t(f"profile.identity.{row['jenis']}", lang=lang),
                **cells,
                "status": status if applies else not_applicable,
                "not_applicable": not applies,
                "colour": colours[row["kode"]],
                **{col: fmt_number(row[col], 1, lang=lang) for col in DISTANCE_COLUMNS},
            }
        )
    return out


def report_legend(frame: pd.DataFrame, lang: str) -> list[dict]:
    """Legend of the report's map: every status, then "tidak berlaku" when there are
    kelurahan and "tidak ada data" when a desa has no status."""
    has_desa = frame["applicable"].astype(bool).any()
    out = [{"label": e.label, "colour": e.color} for e in (_legend(lang) if has_desa else [])]
    if (~frame["applicable"].astype(bool)).any():
        out.append(
            {
                "label": t("common.word.not_applicable", lang=lang),
                "colour": maps.NOT_APPLICABLE_COLOR,
            }
        )
    if (frame["applicable"].astype(bool) & frame["status_idm"].isna()).any():
        out.append({"label": t("common.word.no_data", lang=lang), "colour": maps.NO_DATA_COLOR})
    return out


def report_section(
    frame: pd.DataFrame, shapes: Mapping[str, object], *, name: str, lang: str
) -> dict:
    """The desa section of the report in ``lang``: texts, the formatted ``rows``, the
    ``legend`` and the status map as inline ``svg`` (:func:`desa_svg`).

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`ui.data.profile.desa_frame`.
    shapes : mapping
        :func:`ui.data.profile.desa_shapes`.
    name : str
        Display name of the kecamatan.
    """
    return {
        "heading": t("profile.desa.heading", lang=lang),
        "intro": intro(frame, name=name, lang=lang),
        "distance_note": t("profile.desa.distance_note", lang=lang),
        "caption": map_caption(frame, name=name, lang=lang),
        "legend_title": t("profile.desa.legend", lang=lang),
        "headers": table_columns(lang),
        "rows": report_rows(frame, lang),
        "legend": report_legend(frame, lang),
        "svg": desa_svg(shapes, desa_colours(frame), svg_titles(frame, lang)),
    }
