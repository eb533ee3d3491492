"""Pure builders for the Bandingkan (compare) page.

Data in, tidy frames or Plotly figures out: nothing here touches Streamlit or the
store, so every function is testable on small frames. The frames come from
:mod:`ui.data.compare` (the comparison itself is :func:`analysis.compare.compare_table`).

Conventions
-----------
- A *wide* frame has one row per region code (index) and one column per indicator id,
  for one year.
- ``direction`` of an indicator is ``"higher_better"``, ``"higher_worse"`` or
  ``"neutral"`` (other spellings are normalised by :func:`normalise_direction`).
- Ranks follow the direction: rank 1 is the best region (highest value when higher is
  better, lowest when higher is worse); for a neutral indicator rank 1 is the highest
  value. Ties share the lowest rank (``method="min"``); a missing value has no rank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from i18n.text import rank_text, wrap
from ui.data.compare import COMPARE_COLUMNS
from ui.i18n import current_lang, t


def trend_frame(long: pd.DataFrame, chosen: Sequence[str], indicator: str) -> pd.DataFrame:
    """Years × regions table of one indicator for the trend lines.

    Parameters
    ----------
    long : pandas.DataFrame
        Long frame with ``region_code``, ``indicator``, ``year`` and ``value``.
    chosen : sequence of str
        Region codes (columns of the result, in this order).
    indicator : str
        Indicator id.

    Returns
    -------
    pandas.DataFrame
        Index = year (sorted), one column per chosen code.
    """
    sub = long[(long["indicator"] == indicator) & long["region_code"].isin(list(chosen))]
    wide = sub.pivot_table(index="year", columns="region_code", values="value", aggfunc="first")
    return wide.reindex(columns=list(chosen)).sort_index()


def bar_figure(
    table: pd.DataFrame,
    indicator: str,
    labels: Mapping[str, str],
    *,
    title: str = "",
    unit: str = "",
    reference: Mapping[str, float] | None = None,
    separators: str = ",.",
) -> go.Figure:
    """Horizontal bar chart of one indicator across the chosen regions.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`compare_table`.
    indicator : str
        Indicator id to draw.
    labels : mapping
        Region code → display label.
    title, unit : str
        Chart title and axis unit.
    reference : mapping, optional
        Label → value of reference lines (e.g. the province value).
    separators : str
        Plotly ``separators`` (decimal then thousands), ``",."`` for Bahasa Indonesia.
    """
    sub = table[table["indicator"] == indicator]
    names = [labels.get(code, code) for code in sub["region"]]
    fig = go.Figure(
        go.Bar(
            x=sub["value"].tolist(),
            y=names,
            orientation="h",
            hovertemplate="%{y}: %{x:,.2f} " + unit + "<extra></extra>",
        )
    )
    for i, (name, value) in enumerate((reference or {}).items()):
        if value is None or not np.isfinite(value):
            continue
        fig.add_vline(
            x=float(value),
            line_dash="dash" if i == 0 else "dot",
            annotation_text=name,
            annotation_position="top",
        )
    fig.update_layout(
        title=title,
        xaxis_title=unit,
        # the top strip stays free for the illustrative badge (ui.badges.badge_figure)
        yaxis={"autorange": "reversed", "domain": [0, 0.8]},
        height=140 + 32 * len(names),
        margin={"l": 10, "r": 10, "t": 50, "b": 30},
        separators=separators,
    )
    return fig


def normalised_figure(
    scores: pd.DataFrame,
    labels: Mapping[str, str],
    indicator_names: Mapping[str, str],
    *,
    title: str = "",
    axis_title: str = "",
    separators: str = ",.",
) -> go.Figure:
    """Grouped bars of the normalised scores: one group per indicator, one colour per region."""
    fig = go.Figure()
    x = [wrap(indicator_names.get(ind, ind), 22) for ind in scores.columns]
    for code in scores.index:
        fig.add_trace(
            go.Bar(
                name=labels.get(code, code),
                x=x,
                y=scores.loc[code].tolist(),
                hovertemplate="%{x}: %{y:.0f}<extra>" + labels.get(code, code) + "</extra>",
            )
        )
    fig.update_layout(
        title=title,
        barmode="group",
        yaxis={"range": [0, 100], "title": axis_title, "domain": [0, 0.9]},
        xaxis={"tickangle": 0},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        separators=separators,
    )
    return fig


def trend_figure(
    trend: pd.DataFrame,
    labels: Mapping[str, str],
    *,
    title: str = "",
    unit: str = "",
    separators: str = ",.",
) -> go.Figure:
    """Lines over the years, one per region (output of :func:`trend_frame`)."""
    fig = go.Figure()
    for code in trend.columns:
        series = trend[code].dropna()
        fig.add_trace(
            go.Scatter(
                x=[int(y) for y in series.index],
                y=series.tolist(),
                mode="lines+markers",
                name=labels.get(code, code),
            )
        )
    fig.update_layout(
        title=title,
        yaxis={"title": unit, "domain": [0, 0.9]},
        xaxis={"dtick": 1, "tickformat": "d"},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        separators=separators,
    )
    return fig


def region_options(regions: pd.DataFrame, level: str = "kecamatan") -> dict[str, str]:
    """Searchable labels for a multiselect: label → code, knowing names and both codes.

    Parameters
    ----------
    regions : pandas.DataFrame
        Kecamatan (``kode``, ``nama``, ``kode_bps``, ``kab_nama``) or kabupaten rows
        (``kode``, ``nama``, ``kode_bps``).
    level : str
        ``"kecamatan"`` or ``"kabupaten"``.

    Returns
    -------
    dict
        Label such as ``"Sukolilo — Kota Surabaya (35.78.09 · BPS 3578080)"`` → code,
        sorted by kabupaten then name. A kecamatan name is always shown with its
        kabupaten, since names repeat.
    """
    frame = regions.copy()
    if level == "kecamatan" and "kab_nama" in frame.columns:
        frame = frame.sort_values(["kab_nama", "nama"])
    else:
        frame = frame.sort_values("nama")
    out: dict[str, str] = {}
    for row in frame.itertuples(index=False):
        name = str(row.nama).title()
        bps = getattr(row, "kode_bps", "")
        codes = f"{row.kode} · BPS {bps}" if bps else str(row.kode)
        if level == "kecamatan" and hasattr(row, "kab_nama"):
            label = f"{name} — {str(row.kab_nama).title()} ({codes})"
        else:
            label = f"{name} ({codes})"
        out[label] = str(row.kode)
    return out


def export_table(
    table: pd.DataFrame,
    labels: Mapping[str, str],
    indicator_names: Mapping[str, str],
    headers: Mapping[str, str],
) -> pd.DataFrame:
    """The compare table for download: raw numbers, names beside codes, translated headers.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`build_comparison` (or :func:`compare_table` plus ``year``).
    labels : mapping
        Region code → display name (with its kabupaten).
    indicator_names : mapping
        Indicator id → display name.
    headers : mapping
        Column id → translated header; columns without a header keep their id.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``region_name``, ``indicator``, ``indicator_name``, ``year``,
        ``value`` ... ``diff_prov``, the basis of the province value in the session's
        language (``BPS, Maret 2025`` or ``dihitung``, see :mod:`ui.data.province`) and the
        boolean ``illustrative`` (for :func:`ui.exports.to_csv`'s per-row status), renamed
        by ``headers``.
    """
    out = _province_basis(table.copy())
    for col in ("rank_kab", "n_kab", "rank_prov", "n_prov"):
        if col in out.columns:  # whole numbers, never 26.0
            out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
    out.insert(1, "region_name", out["region"].map(lambda c: labels.get(c, c)))
    pos = list(out.columns).index("indicator") + 1
    out.insert(pos, "indicator_name", out["indicator"].map(lambda i: indicator_names.get(i, i)))
    return out.rename(columns={k: v for k, v in headers.items() if k != "illustrative"})


def _province_basis(table: pd.DataFrame) -> pd.DataFrame:
    """Keep the province value's basis in the session language, next to the value."""
    lang = current_lang()
    drop = [c for c in table.columns if c.startswith(("prov_basis_", "prov_help_"))]
    if f"prov_basis_{lang}" not in table.columns:
        return table.drop(columns=drop)
    basis = table[f"prov_basis_{lang}"]
    table = table.drop(columns=drop)
    table.insert(list(table.columns).index("prov_value") + 1, "prov_basis", basis)
    return table


def display_table(
    table: pd.DataFrame,
    labels: Mapping[str, str],
    indicator_names: Mapping[str, str],
    decimals: Mapping[str, int],
    headers: Mapping[str, str],
    fmt: Callable[[float, int], str],
    badge_text: str,
    rank_fmt: Callable[[object, object], str] = rank_text,
) -> pd.DataFrame:
    """The compare table as shown: numbers formatted for the language, ranks by ``rank_fmt``
    (the pages pass :func:`ui.i18n.rank_cell`: "97 dari 666").

    ``fmt(value, decimals)`` formats a number (e.g. :func:`ui.i18n.fmt_number` bound to the
    language); differences carry an explicit sign.
    """

    lang = current_lang()

    def signed(value, d):
        text = fmt(value, d)
        return text if text == "–" or (value is not None and value <= 0) else "+" + text

    rows = []
    for r in table.to_dict("records"):
        d = int(decimals.get(r["indicator"], 2))
        name = indicator_names.get(r["indicator"], r["indicator"])
        rows.append(
            {
                headers["region"]: labels.get(r["region"], r["region"]),
                headers["indicator"]: name + (f" · {badge_text}" if r["illustrative"] else ""),
                headers["year"]: str(r["year"]),
                headers["value"]: fmt(r["value"], d),
                headers["unit"]: r["unit"],
                headers["rank_kab"]: rank_fmt(r["rank_kab"], r["n_kab"]),
                headers["rank_prov"]: rank_fmt(r["rank_prov"], r["n_prov"]),
                headers["kab_value"]: fmt(r["kab_value"], d),
                headers["diff_kab"]: signed(r["diff_kab"], d),
                headers["prov_value"]: fmt(r["prov_value"], d),
                headers.get("prov_basis", "prov_basis"): r.get(f"prov_basis_{lang}", ""),
                headers["diff_prov"]: signed(r["diff_prov"], d),
            }
        )
    return pd.DataFrame(rows)


def bars_figure(
    table: pd.DataFrame,
    indicators: Sequence[str],
    labels: Mapping[str, str],
    titles: Mapping[str, str],
    *,
    reference_label: str = "",
    separators: str = ",.",
    columns: int = 2,
) -> go.Figure:
    """Small multiples: one horizontal bar panel per indicator, in a single figure.

    One figure instead of one chart per indicator keeps a rerun light in the browser.
    Each panel has its own x axis (units differ) and a dashed line at the province value.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`analysis.compare.compare_table` /
        :func:`ui.data.compare.build_comparison`.
    indicators : sequence of str
        Panels, in order (indicators without rows are skipped).
    labels : mapping
        Region code → display label.
    titles : mapping
        Indicator id → panel title (name, unit, year, badge; see :func:`panel_titles`).
    reference_label : str
        Hover name of the province line.
    """
    present = [i for i in indicators if (table["indicator"] == i).any()]
    n = max(len(present), 1)
    cols = min(columns, n)
    rows = -(-n // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[wrap(titles.get(i, i), 48) for i in present],
        horizontal_spacing=0.22,
        vertical_spacing=min(0.3, 0.6 / rows),
    )
    for k, indicator in enumerate(present):
        sub = table[table["indicator"] == indicator]
        _bar_panel(fig, sub, labels, k // cols + 1, k % cols + 1, reference_label)
    per_row = 90 + 26 * max(len(labels), 1)
    fig.update_layout(
        height=80 + rows * per_row,
        margin={"l": 10, "r": 10, "t": 70, "b": 20},
        separators=separators,
        bargap=0.25,
    )
    fig.update_annotations(font_size=12)
    return fig


def _bar_panel(
    fig: go.Figure,
    sub: pd.DataFrame,
    labels: Mapping[str, str],
    row: int,
    col: int,
    reference_label: str,
) -> None:
    """One panel of :func:`bars_figure`: the regions' bars and the province line."""
    names = [labels.get(code, code) for code in sub["region"]]
    fig.add_trace(
        go.Bar(
            x=sub["value"].tolist(),
            y=names,
            orientation="h",
            showlegend=False,
            marker={"color": "#1f77b4"},
            hovertemplate="%{y}: %{x:,.2f}<extra></extra>",
        ),
        row=row,
        col=col,
    )
    prov = sub["prov_value"].iloc[0]
    if prov is not None and np.isfinite(prov):
        fig.add_trace(
            go.Scatter(
                x=[prov, prov],
                y=[names[0], names[-1]],
                mode="lines",
                showlegend=False,
                line={"dash": "dash", "color": "#333"},
                name=reference_label,
                hovertemplate=reference_label + ": %{x:,.2f}<extra></extra>",
            ),
            row=row,
            col=col,
        )
    fig.update_yaxes(autorange="reversed", row=row, col=col)


# --------------------------------------------------------------------------- page helpers


def indicator_names(cat: pd.DataFrame, lang: str) -> dict[str, str]:
    """Indicator id → its name in ``lang`` (``name_en`` in English, else ``name_id``).

    Examples
    --------
    >>> c = pd.DataFrame({"name_id": ["Miskin"], "name_en": ["Poor"]}, index=["p"])
    >>> indicator_names(c, "en"), indicator_names(c, "id")
    ({'p': 'Poor'}, {'p': 'Miskin'})
    """
    column = "name_en" if lang == "en" else "name_id"
    return {i: cat.at[i, column] for i in cat.index}


def short_label(label: str) -> str:
    """A label of :func:`region_options` without its codes.

    Examples
    --------
    >>> short_label("Sukolilo — Kota Surabaya (35.78.09 · BPS 3578080)")
    'Sukolilo — Kota Surabaya'
    """
    return label.split(" (")[0]


def in_level(selected: Sequence[str], level: str, kab_of: Mapping[str, str]) -> list[str]:
    """The map's selected kecamatan as regions of ``level``: their kabupaten (once each, in
    order) at kabupaten level.

    Examples
    --------
    >>> in_level(["35.78.09", "35.78.08", "35.01.01"], "kabupaten",
    ...          {"35.78.09": "35.78", "35.78.08": "35.78", "35.01.01": "35.01"})
    ['35.78', '35.01']
    """
    if level != "kabupaten":
        return list(selected)
    return list(dict.fromkeys(kab_of[c] for c in selected if c in kab_of))


def default_indicators(
    current: str | None, available: Sequence[str], preferred: Sequence[str], n: int = 6
) -> list[str]:
    """The sidebar's indicator, then the preferred ones available, at most ``n``.

    Examples
    --------
    >>> default_indicators("c", ["a", "b", "c"], ["b", "c", "x"])
    ['c', 'b']
    """
    out = [current] if current in available else []
    out += [p for p in preferred if p in available and p not in out]
    return out[:n]


def decimals_of(cat: pd.DataFrame, indicators: Sequence[str]) -> dict[str, int]:
    """Indicator id → decimals of the catalogue (2 when the catalogue has none)."""
    return {i: int(cat.at[i, "decimals"]) if "decimals" in cat.columns else 2 for i in indicators}


def headers(lang: str) -> dict[str, str]:
    """Column id → translated header of the compare table and its export."""
    keys = list(COMPARE_COLUMNS) + ["year", "region_name", "indicator_name", "n_kab", "n_prov"]
    out = {k: t(f"compare.col.{k}", lang=lang) for k in keys}
    out["prov_basis"] = t("common.province.basis", lang=lang)
    return out


#: Columns that do not apply at kabupaten level (no kabupaten above a kabupaten).
KABUPATEN_ONLY = ("rank_kab", "kab_value", "diff_kab")


def panel_titles(
    table: pd.DataFrame, indicators: Sequence[str], names: Mapping[str, str], badge_text: str
) -> dict[str, str]:
    """Indicator id → "Name · badge (year, unit)" for the panels of :func:`bars_figure`.

    Examples
    --------
    >>> tb = pd.DataFrame({"indicator": ["p"], "unit": ["%"], "year": [2024],
    ...                    "illustrative": [True]})
    >>> panel_titles(tb, ["p", "q"], {"p": "Miskin"}, "data ilustrasi")
    {'p': 'Miskin · data ilustrasi (2024, %)'}
    """
    titles = {}
    for indicator in indicators:
        sub = table[table["indicator"] == indicator]
        if sub.empty:
            continue
        unit = str(sub["unit"].iloc[0] or "")
        name = names.get(indicator, indicator)
        if bool(sub["illustrative"].any()):
            name += f" · {badge_text}"
        titles[indicator] = f"{name} ({int(sub['year'].iloc[0])}{', ' + unit if unit else ''})"
    return titles
