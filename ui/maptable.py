"""The Tabel and Grafik views of the Peta page: the map's values as a table and a ranked chart.

Pure builders (no Streamlit calls): the page's map table (``ui.data.maps``) and the drawn
:class:`ui.maps.MapLayer` in, a styled table and a Plotly figure out. Both views show the
same regions, values, classes and class colours as the map, and the one rank convention
(1 = best for the indicator's direction, :func:`ui.data.maps.with_ranks`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import unlabel_rgb

from i18n.text import escape_plotly_html
from ui import maps
from ui.i18n import fmt_number, plotly_separators, rank_best, rank_in, t


def region_colors(table: pd.DataFrame, layer: maps.MapLayer) -> pd.Series:
    """The map's fill of every region of ``table`` (indexed by ``code``): its class colour,
    the "not applicable" or the "no data" colour.

    Examples
    --------
    >>> layer = maps.MapLayer(["a"], [1], [maps.LegendEntry("lo", "#000000"),
    ...     maps.LegendEntry("hi", "#ffffff")], no_data=["b"], not_applicable=["c"])
    >>> region_colors(pd.DataFrame({"code": ["a", "b", "c"]}), layer).tolist()
    ['#ffffff', '#a3a3a3', '#ece8df']
    """
    colors = {c: layer.legend[k].color for c, k in zip(layer.codes, layer.classes, strict=True)}
    colors.update({c: maps.NOT_APPLICABLE_COLOR for c in layer.not_applicable})
    return pd.Series(
        [colors.get(c, maps.NO_DATA_COLOR) for c in table["code"]], index=table["code"]
    )


def text_color(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill`` (``#rrggbb`` or ``rgb()``).

    Examples
    --------
    >>> text_color("#ffffff"), text_color("rgb(8, 29, 88)")
    ('#000000', '#ffffff')
    """
    if fill.startswith("#"):
        rgb = [int(fill[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        rgb = [float(x) for x in unlabel_rgb(fill)]
    lum = [
        (c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb
    ]
    luminance = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2]
    # WCAG: white text wins when its contrast ratio beats black's
    return "#ffffff" if (1.05 / (luminance + 0.05)) > ((luminance + 0.05) / 0.05) else "#000000"


def _status(row, lang: str) -> str:
    key = "not_applicable" if not row.applicable else "no_data"
    return t(f"common.word.{key}", lang=lang)


def value_table(
    table: pd.DataFrame, layer: maps.MapLayer, *, level: str, decimals: int, lang: str
) -> pd.DataFrame:
    """Every region of the map, best rank first, then those without a value.

    Columns ``code``, ``nama``, ``kab_nama`` (kecamatan only), ``value`` (NaN without a value),
    ``kelas`` (the class; "Tidak berlaku"/"Tidak ada data" without a value), ``rank_prov``
    (Int64), ``color`` (the map's fill) and ``status`` (the words shown instead of a missing
    value). The headers are translated by :func:`styled_table`.
    """
    out = table.assign(
        color=region_colors(table, layer).to_numpy(),
        applicable=table["applicable"] if "applicable" in table.columns else True,
    )
    out["status"] = [
        "" if pd.notna(r.value) else _status(r, lang) for r in out.itertuples(index=False)
    ]
    kelas = out["kelas"] if "kelas" in out.columns else pd.Series("", index=out.index)
    out["kelas"] = kelas.where(out["value"].notna(), out["status"]).fillna("")
    if "rank_prov" not in out.columns:
        out["rank_prov"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out = out.sort_values(["rank_prov", "nama"], na_position="last", kind="stable")
    columns = ["code", "nama"] + (["kab_nama"] if level == "kecamatan" else [])
    columns += ["value", "kelas", "rank_prov", "color", "status"]
    return out[columns].reset_index(drop=True)


def styled_table(frame: pd.DataFrame, *, decimals: int, unit: str, direction: str, lang: str):
    """The :func:`value_table` as a pandas ``Styler`` for ``st.dataframe``: the value on its
    class colour, written by the one formatter; "Tidak berlaku"/"Tidak ada data" instead of
    a missing value, "–" for a missing rank; translated headers. Sorting a column sorts the
    underlying numbers.
    """
    shown = frame.drop(columns=["code", "color", "status"])
    headers = table_headers(shown.columns, unit, direction, lang)
    styler = shown.rename(columns=headers).style
    value_col, rank_col = headers["value"], headers["rank_prov"]
    status = frame["status"]
    styler = styler.format(lambda v: fmt_number(v, decimals, lang), subset=[value_col], na_rep="")
    for words in status[status != ""].unique():
        rows = frame.index[status == words]
        styler = styler.format(na_rep=words, subset=pd.IndexSlice[rows, [value_col]])
    styler = styler.format(lambda v: str(int(v)), subset=[rank_col], na_rep="–")
    css = [f"background-color: {c}; color: {text_color(c)}" for c in frame["color"]]
    return styler.apply(lambda _: css, subset=[value_col], axis=0)


def table_headers(columns, unit: str, direction: str, lang: str) -> dict[str, str]:
    """Translated headers of the table's columns (the value's header names the unit, the
    rank's says what 1 means).

    Examples
    --------
    >>> table_headers(["nama", "value", "rank_prov"], "%", "lower_better", "en")["rank_prov"]
    'Rank (1 = best)'
    """
    names = {c: t(f"peta.table.{c}", lang=lang) for c in columns}
    if "rank_prov" in names:
        names["rank_prov"] = f"{names['rank_prov']} ({rank_best(direction, lang)})"
    if unit and "value" in names:
        names["value"] = f"{names['value']} ({unit})"
    return names


def ranked_chart(
    frame: pd.DataFrame,
    layer: maps.MapLayer,
    *,
    title: str,
    unit: str,
    decimals: int,
    direction: str,
    lang: str,
    selected: tuple[str, ...] = (),
) -> go.Figure:
    """A ranked bar chart of the :func:`value_table`: one bar per region with a value, best
    rank on the left, coloured by the map's classes (one legend entry per class).

    ``frame`` must keep the table's ``code`` column; names are on the axis when there are
    at most 60 regions, else in the hover. ``selected`` regions get a dark outline.
    """
    valid = frame.dropna(subset=["value"])
    many = len(valid) > 60
    unit_text = f" {escape_plotly_html(unit)}" if unit else ""
    fig = go.Figure()
    for i, entry in enumerate(layer.legend):
        part = valid[valid["color"] == entry.color]
        if part.empty:
            continue
        fig.add_bar(
            x=(part["nama"] + ("\u200b" + part["code"] if many else "")).tolist(),
            y=part["value"].round(decimals).tolist(),
            name=escape_plotly_html(entry.label),
            marker={
                "color": entry.color,
                "line": {
                    "color": ["#111111" if c in selected else entry.color for c in part["code"]],
                    "width": [2 if c in selected else 0 for c in part["code"]],
                },
            },
            customdata=list(
                zip(
                    part["nama"].map(escape_plotly_html),
                    part.get("kab_nama", part["nama"]).map(escape_plotly_html),
                    part["rank_prov"].astype("Int64").astype(str),
                    strict=True,
                )
            ),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                f"%{{y:,.{decimals}f}}{unit_text}<br>"
                + rank_in(None, "%{customdata[2]}", len(valid), direction, lang)
                + "<extra></extra>"
            ),
            meta=f"legend:{i}",
        )
    order = list(valid["nama"] + ("\u200b" + valid["code"] if many else ""))
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 14}},
        height=480,
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        bargap=0.05 if many else 0.2,
        separators=plotly_separators(lang),
        legend={"orientation": "h", "x": 0, "y": -0.16, "yanchor": "top", "title": None},
        xaxis={
            "categoryorder": "array",
            "categoryarray": order,
            "showticklabels": not many,
            "title": t(
                "peta.chart.axis",
                lang=lang,
                n=fmt_number(len(valid), 0, lang),
                best=rank_best(direction, lang),
            ),
        },
        yaxis={"title": unit or None},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig
