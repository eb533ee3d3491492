"""The builder of the Peta page: texts, options, layers and tables (pure, no Streamlit calls).

The page script reads the state, asks :mod:`ui.data.maps` for the map's table (classes, LISA
clusters or need × coverage), and hands it here: these functions colour it into a
:class:`ui.maps.MapLayer` with its legend, choose the view, write the titles and the summary
of the focused region, and shape the download table. :func:`ui.maps.map_figure` draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from i18n.text import escape_plotly_html
from ui import maps
from ui.i18n import fmt_number, plotly_separators, rank_in, t, unit_label

#: Classification methods drawn on a diverging scale.
DIVERGING_METHODS = {"std_mean", "box_plot"}

#: Classes of a z-score map (breaks at −2, −1, +1, +2 SD) and of a box map (fences at 1.5 IQR).
DIVERGING_CLASSES = {"std_mean": 5, "box_plot": 6}

#: Methods whose number of classes is not chosen (the slider is disabled).
FIXED_K_METHODS = ("std_mean", "box_plot", "user_defined")

#: The zoom option "all of East Java".
ALL = "all"


# --------------------------------------------------------------------------- controls


def parse_breaks(text: str, lang: str) -> tuple[float, ...] | None:
    """Class bounds typed by the user, sorted and unique; None if one is not a number.

    Bahasa Indonesia writes ``10,5`` (dot = thousands), English ``10.5`` (comma =
    thousands); ``;`` separates the bounds; the minus sign may be ``−`` or ``-``.

    Examples
    --------
    >>> parse_breaks("5; 10,5; 1.000", "id")
    (5.0, 10.5, 1000.0)
    >>> parse_breaks("20; 1,000; 2.5; 20", "en")
    (2.5, 20.0, 1000.0)
    >>> parse_breaks("−2; 3", "id"), parse_breaks("", "id"), parse_breaks("a; 2", "en")
    ((-2.0, 3.0), (), None)
    """
    parts = [p.strip().replace("\u2212", "-") for p in text.split(";") if p.strip()]
    try:
        values = [
            float(p.replace(".", "").replace(",", ".") if lang == "id" else p.replace(",", ""))
            for p in parts
        ]
    except ValueError:
        return None
    return tuple(sorted(set(values)))


def breaks_text(breaks: Sequence[float], lang: str) -> str:
    """User bounds written back for the text box (at most two decimals, no trailing zeros).

    Examples
    --------
    >>> breaks_text((5.0, 10.5, 1000.0), "id")
    '5; 10,5; 1.000'
    >>> parse_breaks(breaks_text((-2.25, 3.0), "id"), "id")
    (-2.25, 3.0)
    """
    return "; ".join(fmt_number(b, 2, lang).rstrip("0").rstrip(",.") for b in breaks)


def k_fixed(mode: str, method: str) -> bool:
    """Whether the number-of-classes slider is disabled (other modes, fixed-k methods)."""
    return mode != "indicator" or method in FIXED_K_METHODS


def valid_choice(value, options: Sequence):
    """``value`` when it is one of ``options``, else the first option (None without any).

    Examples
    --------
    >>> valid_choice("b", ["a", "b"]), valid_choice("x", ["a", "b"]), valid_choice("x", [])
    ('b', 'a', 'x')
    """
    return value if value in options or not options else options[0]


def indicator_names(catalogue: pd.DataFrame, lang: str) -> dict[str, str]:
    """``{indicator id: name}`` in ``lang`` from the catalogue (``id``, ``name_id``,
    ``name_en``)."""
    column = "name_en" if lang == "en" else "name_id"
    return dict(zip(catalogue["id"], catalogue[column], strict=True))


def zoom_options(kabupaten: pd.DataFrame) -> dict[str, str]:
    """``{code: name}`` of the zoom box: :data:`ALL` first, then every kabupaten/kota."""
    return {ALL: ALL, **dict(zip(kabupaten["kode"], kabupaten["nama"], strict=True))}


def zoom_label(key: str, options: Mapping[str, str], lang: str) -> str:
    """The label of a zoom option ("all of East Java" or the kabupaten's name)."""
    return t("peta.zoom.all", lang=lang) if key == ALL else options.get(key, key)


# --------------------------------------------------------------------------- texts


def map_title(name: str, unit: str, year) -> str:
    """The map title "<indicator> (<unit>), <year>" (no parentheses without a unit).

    Examples
    --------
    >>> map_title("Kepadatan", "jiwa/km²", 2020), map_title("IPM", "", 2021)
    ('Kepadatan (jiwa/km²), 2020', 'IPM, 2021')
    """
    return f"{name} ({unit}), {year}" if unit else f"{name}, {year}"


def map_text(
    meta: dict | None, lang: str, title: str = "", legend_title: str = "", place: str = ""
) -> maps.MapText:
    """Translated texts for :func:`ui.maps.map_figure` (ranks written as on every page,
    :func:`ui.i18n.rank_in`); ``place`` is the kabupaten/kota of a desa map (escaped here)."""
    direction = (meta or {}).get("direction", "neutral")
    return maps.MapText(
        value_label=t("common.word.value", lang=lang),
        unit=escape_plotly_html(unit_label((meta or {}).get("unit"), lang)),
        rank_prov=rank_in(None, "{rank}", "{n}", direction, lang),
        rank_kab=rank_in("{place}", "{rank}", "{n}", direction, lang),
        of=t("common.word.of", lang=lang),
        no_data=t("common.word.no_data", lang=lang),
        not_applicable=t("common.word.not_applicable", lang=lang),
        legend_title=legend_title,
        title=title,
        separators=plotly_separators(lang),
        kecamatan=t("peta.hover.kecamatan", lang=lang, name="{name}"),
        place=escape_plotly_html(place),
    )


def bivariate_caption(
    names: Mapping[str, str], need: str, coverage: str, years: tuple[int, int], lang: str
) -> str:
    """The years of both indicators of the need × coverage map, and how to read it."""
    years_text = t(
        "peta.bivariate.years",
        lang=lang,
        need=names[need],
        need_year=years[0],
        coverage=names[coverage],
        coverage_year=years[1],
    )
    return f"{years_text} {t('peta.bivariate.note', lang=lang)}"


def moran_caption(moran_i: float, moran_p: float, permutations: int, lang: str) -> str:
    """Global Moran's I under the LISA map."""
    return t(
        "peta.lisa.moran",
        lang=lang,
        i=fmt_number(moran_i, 3, lang),
        p=fmt_number(moran_p, 3, lang),
        perms=permutations,
    )


# --------------------------------------------------------------------------- layers


def indicator_layer(
    table: pd.DataFrame,
    labels: Sequence[str],
    method: str,
    direction: str,
    decimals: int,
    lang: str = "id",
) -> maps.MapLayer:
    """The layer of a classified indicator (``ui.data.maps.IndicatorMap``): one colour per
    class, sequential by the indicator's direction, diverging for z-score and box maps."""
    colors = maps.class_colors(len(labels), direction, method in DIVERGING_METHODS)
    legend = [maps.LegendEntry(label, color) for label, color in zip(labels, colors, strict=True)]
    if method in DIVERGING_METHODS:
        legend = diverging_legend(legend, table["cls"], method, lang)
    return maps.layer_from_classes(table, table["code"].tolist(), legend, decimals)


def diverging_legend(
    legend: Sequence[maps.LegendEntry], classes: pd.Series, method: str, lang: str
) -> list[maps.LegendEntry]:
    """The legend of a z-score (``std_mean``) or box map: each class named by its position
    ("−1 – +1 SD", "25–50 %", "pencilan atas") before its values, and classes without a
    region left out (the lowest class of a percentage is often "< −1,18": below zero).

    Examples
    --------
    >>> entries = [maps.LegendEntry(f"c{i}", "#000") for i in range(5)]
    >>> out = diverging_legend(entries, pd.Series([1.0, 2.0, None, 4.0]), "std_mean", "en")
    >>> [(e.label, e.shown) for e in out][:2]
    [('< −2 SD: c0', False), ('−2 to −1 SD: c1', True)]
    """
    present = set(classes.dropna().astype(int))
    named = len(legend) == DIVERGING_CLASSES[method]
    words = [
        t(f"peta.legend.{method}_{i}", lang=lang) + ": " if named else ""
        for i in range(len(legend))
    ]
    return [
        maps.LegendEntry(f"{w}{e.label}", e.color, shown=i in present)
        for i, (w, e) in enumerate(zip(words, legend, strict=True))
    ]


def lisa_layer(table: pd.DataFrame, decimals: int, lang: str) -> maps.MapLayer:
    """The layer of LISA clusters (``ui.data.maps.LisaMap``) in GeoDa's colours."""
    order = {label: i for i, label in enumerate(maps.LISA_ORDER)}
    legend = [
        maps.LegendEntry(t(f"peta.lisa.{label}", lang=lang), maps.LISA_COLORS[label])
        for label in maps.LISA_ORDER
    ]
    classes = table.assign(cls=table["cluster"].map(order))
    return maps.layer_from_classes(classes, table["code"].tolist(), legend, decimals)


def bivariate_layer(
    table: pd.DataFrame, need_meta: dict, cov_meta: dict, level: str, lang: str
) -> maps.MapLayer:
    """The 3 × 3 layer of need × coverage (``ui.data.maps.BivariateMap``); the hover shows
    both values and the priority rank."""
    cls = (table["need_class"] - 1) * 3 + (table["coverage_class"] - 1)
    valid = table.assign(cls=cls).dropna(subset=["cls"])
    words = [t(f"peta.bivariate.{w}", lang=lang) for w in ("low", "mid", "high")]
    legend = [
        maps.LegendEntry(
            t("peta.bivariate.cell", lang=lang, need=words[i // 3], coverage=words[i % 3]),
            maps.BIVARIATE_COLORS[i],
        )
        for i in range(9)
    ]
    nd = maps.decimals_for(need_meta, valid["value"])
    cd = maps.decimals_for(cov_meta, valid["value_cov"])
    columns = (valid[c].to_numpy(dtype=float).tolist() for c in ("value", "value_cov", "cls"))
    need, cover, cls = columns
    ranks = valid["priority_rank"].to_numpy(dtype=float).tolist()
    customdata = [
        [round(a, nd), round(b, cd), int(r)] for a, b, r in zip(need, cover, ranks, strict=True)
    ]
    codes = valid["code"].tolist()
    have = set(codes)
    off = set(maps.not_applicable_codes(table)) - have
    return maps.MapLayer(
        codes=codes,
        classes=[int(c) for c in cls],
        legend=legend,
        customdata=customdata,
        no_data=[c for c in table["code"].tolist() if c not in have and c not in off],
        not_applicable=[c for c in table["code"].tolist() if c in off],
        hovertemplate=_bivariate_hover(need_meta, cov_meta, (nd, cd), len(valid), level, lang),
    )


def _bivariate_hover(
    need_meta: dict, cov_meta: dict, decimals: tuple[int, int], n: int, level: str, lang: str
) -> str:
    nd, cd = decimals
    lines = [
        "<b>%{properties.nama}</b>",
        *(["%{properties.kab_nama}"] if level == "kecamatan" else []),
        f"{_name(need_meta, lang)}: %{{customdata[0]:,.{nd}f}} "
        f"{unit_label(need_meta.get('unit'), lang)}",
        f"{_name(cov_meta, lang)}: %{{customdata[1]:,.{cd}f}} "
        f"{unit_label(cov_meta.get('unit'), lang)}",
        t("peta.bivariate.priority_line", lang=lang, rank="%{customdata[2]}", n=n),
    ]
    return "<br>".join(lines) + "<extra></extra>"


def _name(meta: dict, lang: str) -> str:
    return meta["name_en"] if lang == "en" else meta["name_id"]


# --------------------------------------------------------------------------- view


def map_view(
    province: tuple[float, float, float, float],
    kabupaten_bounds: Mapping[str, tuple[float, float, float, float]],
    zoom_kab: str | None,
) -> tuple[float, float, float, float]:
    """The view of the map: the chosen kabupaten/kota, else all of East Java (tight).

    Examples
    --------
    >>> map_view((111.0, -8.0, 114.0, -7.0), {"35.78": (112.5, -7.4, 112.9, -7.1)}, "35.78")
    (112.44, 112.96, -7.445, -7.055)
    >>> map_view((111.0, -8.0, 114.0, -7.0), {}, None)
    (110.97, 114.03, -8.01, -6.99)
    """
    bounds = kabupaten_bounds.get(zoom_kab) if zoom_kab else None
    return maps.bounds_view(bounds) if bounds else maps.bounds_view(province, pad=0.01)


#: Zoomed in this many times on the whole province, a map draws the display layers (~150 m)
#: instead of the overview layers (~330-440 m: under a pixel of a province-wide map, ~700 m).
DETAIL_ZOOM = 1.5


def needs_detail(
    view: tuple[float, float, float, float] | None, whole: tuple[float, float, float, float]
) -> bool:
    """Whether ``view`` (``lon0, lon1, lat0, lat1``) is zoomed in :data:`DETAIL_ZOOM` times or
    more on ``whole`` along either axis (``None``: fitted to the regions, not zoomed).

    Examples
    --------
    >>> whole = (111.0, 114.0, -8.5, -6.5)
    >>> needs_detail(whole, whole), needs_detail(None, whole)
    (False, False)
    >>> needs_detail((112.0, 113.0, -8.5, -6.5), whole)
    True
    """
    if view is None:
        return False
    zoom = max(
        (whole[1] - whole[0]) / (view[1] - view[0]), (whole[3] - whole[2]) / (view[3] - view[2])
    )
    return zoom >= DETAIL_ZOOM


def level_of_detail(detail: dict[str, str]) -> dict | None:
    """What the map component needs to swap layers: ``{"zoom": DETAIL_ZOOM, "detail":
    {overview URL: display URL}}``, or ``None`` when no trace draws an overview layer.

    Examples
    --------
    >>> level_of_detail({"a_overview.geojson": "a_display.geojson"})["zoom"] == DETAIL_ZOOM
    True
    >>> level_of_detail({}) is None
    True
    """
    return {"zoom": DETAIL_ZOOM, "detail": dict(detail)} if detail else None


def selected_codes(
    level: str, selected: Sequence[str], zoom_kab: str | None, desa: str | None = None
) -> list[str]:
    """Regions outlined as selected: the selected kecamatan, the chosen kabupaten/kota, or
    the selected desa when it lies in the desa map's kabupaten/kota.

    Examples
    --------
    >>> selected_codes("kecamatan", ["35.78.09"], "35.78"), selected_codes("kabupaten", [], "35.78")
    (['35.78.09'], ['35.78'])
    >>> selected_codes("desa", [], "35.78", "35.78.09.1001"), selected_codes("desa", [], "35.01", "35.78.09.1001")
    (['35.78.09.1001'], [])
    """
    if level == "kecamatan":
        return list(selected)
    if level == "desa":
        return [desa] if desa and zoom_kab and desa.startswith(zoom_kab + ".") else []
    return [zoom_kab] if zoom_kab else []


def modes_for(level: str) -> tuple[str, ...]:
    """The map modes offered at ``level``: the desa map has no contiguity weights (LISA) and
    too few desa indicators for need × coverage, so it shows the indicator only.

    Examples
    --------
    >>> modes_for("desa"), modes_for("kecamatan")[1]
    (('indicator',), 'lisa')
    """
    return ("indicator",) if level == "desa" else ("indicator", "lisa", "bivariate")


def map_revision(mode: str, indicator: str, year, method: str, k: int, selected) -> str:
    """The key of what the map shows: the map element redraws when it changes."""
    return f"{mode}|{indicator}|{year}|{method}|{k}|{','.join(selected)}"


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class FocusSummary:
    """What the summary panel says about the focused region.

    ``value_label`` (with the unit) and ``value_text`` (the number alone, so a narrow column
    never cuts it) are None when the region has no value (``lines`` then say
    so); ``place`` is "<kabupaten> · <code>" for a kecamatan, else None.
    """

    name: str
    place: str | None
    value_label: str | None
    value_text: str | None
    lines: list[str] = field(default_factory=list)


def focus_summary(
    table: pd.DataFrame,
    focus: str | None,
    *,
    level: str,
    mode: str,
    decimals: int,
    year,
    unit: str,
    lang: str,
    direction: str = "neutral",
) -> FocusSummary | None:
    """The summary of ``focus`` in a map table (``ui.data.maps``); None when not on the map.

    Ranks are the table's (``ui.data.maps.with_ranks``: 1 = best for the indicator's
    ``direction``) in the province and, for a kecamatan, in its kabupaten, written as on
    every page (:func:`ui.i18n.rank_in`); the last line names the region's class.
    """
    if not focus:
        return None
    rows = table[table["code"] == focus]
    if rows.empty:
        return None
    row = rows.iloc[0]
    place = f"{row['kab_nama']} · {focus}" if level == "kecamatan" else None
    if level == "desa":
        kec = t("peta.hover.kecamatan", lang=lang, name=row["kec_nama"])
        place = f"{kec} · {row['kab_nama']} · {focus}"
    if pd.isna(row["value"]):
        why = "not_applicable" if not row.get("applicable", True) else "no_value"
        if why == "not_applicable" and level == "desa":
            why = "kelurahan"
        return FocusSummary(row["nama"], place, None, None, [t(f"peta.summary.{why}", lang=lang)])
    lines = []
    if "rank_prov" in table.columns and not pd.isna(row["rank_prov"]):
        lines.append(rank_in(None, row["rank_prov"], row["n_prov"], direction, lang))
        if level in ("kecamatan", "desa") and not pd.isna(row["rank_kab"]):
            lines.append(rank_in(row["kab_nama"], row["rank_kab"], row["n_kab"], direction, lang))
    n_priority = int(table["priority_rank"].notna().sum()) if mode == "bivariate" else 0
    lines += _class_lines(row, mode, lang, n_priority)
    return FocusSummary(
        row["nama"],
        place,
        # the unit goes into the label: the number alone is never cut ("285.824 rib…")
        t("peta.summary.value", lang=lang, year=year) + (f" ({unit})" if unit else ""),
        fmt_number(row["value"], decimals, lang),
        lines,
    )


def _class_lines(row: pd.Series, mode: str, lang: str, n_priority: int = 0) -> list[str]:
    kelas = row["kelas"]
    if not isinstance(kelas, str):
        return []
    if mode == "bivariate":
        return [
            t("peta.summary.bivariate", lang=lang, cell=kelas),
            t(
                "peta.bivariate.priority_line",
                lang=lang,
                rank=int(row["priority_rank"]),
                n=n_priority,
            ),
        ]
    if mode == "lisa":
        return [t("peta.summary.lisa", lang=lang, cluster=t(f"peta.lisa.{kelas}", lang=lang))]
    return [t("peta.summary.class", lang=lang, label=kelas)]


def also_selected(table: pd.DataFrame, selected: Sequence[str]) -> list[str]:
    """Names of the other selected kecamatan (after the focus) that are on the map."""
    names = table.set_index("code")["nama"]
    return [names[c] for c in list(selected)[1:] if c in names.index]


# --------------------------------------------------------------------------- text alternative


def map_alt_text(table: pd.DataFrame, decimals: int, lang: str, n: int = 3) -> str:
    """A text alternative of the map: the ``n`` highest and lowest values and the number of
    regions in each class (``kelas``), in legend order, and the regions without a value.

    Examples
    --------
    >>> tb = pd.DataFrame({"nama": list("ABCD"), "value": [3.0, 1.0, None, 2.0],
    ...                    "kelas": ["hi", "lo", None, "lo"], "cls": [1, 0, None, 0]})
    >>> map_alt_text(tb, 1, "en", n=1)
    'Highest: A (3.0). Lowest: B (1.0). Regions per class: lo: 2; hi: 1; no data: 1.'
    """
    valid = table.dropna(subset=["value"]).sort_values("value", ascending=False)

    def names(rows: pd.DataFrame) -> str:
        return ", ".join(
            f"{r.nama} ({fmt_number(r.value, decimals, lang)})" for r in rows.itertuples()
        )

    order = (
        table.dropna(subset=["kelas"]).sort_values("cls")["kelas"]
        if "cls" in table.columns
        else table["kelas"].dropna()
    )
    counts = order.value_counts(sort=False).reindex(list(dict.fromkeys(order)))
    parts = [f"{label}: {int(c)}" for label, c in counts.items()]
    off = table["value"].isna() & ~table.get("applicable", pd.Series(True, table.index)).astype(
        bool
    )
    if off.any():
        parts.append(f"{t('common.word.not_applicable', lang=lang).lower()}: {int(off.sum())}")
    missing = int(table["value"].isna().sum()) - int(off.sum())
    if missing:
        parts.append(f"{t('common.word.no_data', lang=lang).lower()}: {missing}")
    if valid.empty:
        return t("peta.alt.none", lang=lang, classes="; ".join(parts))
    return t(
        "peta.alt.text",
        lang=lang,
        top=names(valid.head(n)),
        bottom=names(valid.tail(n).iloc[::-1]),
        classes="; ".join(parts),
    )


# --------------------------------------------------------------------------- download

EXPORT_COLUMNS = [
    "code", "nama", "kec_kode", "kec_nama", "kab_kode", "kab_nama", "value", "kelas",
    "rank_prov", "n_prov", "rank_kab", "n_kab",
]  # fmt: skip
EXTRA_COLUMNS = {
    "lisa": ["p_sim"],
    "bivariate": ["value_cov", "need_class", "coverage_class", "gap_score", "priority_rank"],
}


def export_table(
    table: pd.DataFrame, mode: str, indicator: str, year, unit: str, lang: str = "id"
) -> pd.DataFrame:
    """The download table of the map, headers in ``lang`` (``peta.export.*``): codes, names
    (a desa's kecamatan and kabupaten/kota too), value, class, the ranks as whole numbers (1 = best for the direction, as on the map), the
    mode's own columns, indicator, year, unit and the per-row ``illustrative`` flag (kept
    under that name: :func:`ui.exports.download_buttons` turns it into the status column).

    Examples
    --------
    >>> tb = pd.DataFrame({"code": ["a"], "nama": ["A"], "kab_kode": ["k"], "kab_nama": ["K"],
    ...     "value": [1.5], "kelas": ["1–2"], "rank_prov": pd.array([3], dtype="Int64"),
    ...     "n_prov": pd.array([9], dtype="Int64"), "rank_kab": pd.array([1], dtype="Int64"),
    ...     "n_kab": pd.array([2], dtype="Int64"), "illustrative": [False]})
    >>> out = export_table(tb, "indicator", "p0", 2025, "%", "en")
    >>> list(out.columns)[4:8]
    ['value', 'class', 'rank in East Java (1 = best)', 'regions ranked in East Java']
    >>> out.iloc[:, 6].tolist()
    [3]
    """
    cols = [c for c in EXPORT_COLUMNS + EXTRA_COLUMNS.get(mode, []) if c in table.columns]
    out = table[cols].assign(indicator=indicator, year=int(year), unit=unit)
    for col in ("rank_prov", "n_prov", "rank_kab", "n_kab", "priority_rank"):
        if col in out.columns:
            out[col] = out[col].astype("Int64")
    out = out.rename(columns={c: t(f"peta.export.{c}", lang=lang) for c in out.columns})
    out["illustrative"] = table["illustrative"].to_numpy()
    return out


def export_name(indicator: str, level: str, year, lang: str) -> str:
    """The download's file name (without extension)."""
    return f"{t('peta.download.filename', lang=lang)}_{indicator}_{level}_{year}"
