"""Pure builders for the Bandingkan (compare) page.

Data in, tidy frames or Plotly figures out: nothing here touches Streamlit or the
store, so every function is testable on small frames.

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

from analysis.ranking import normalise_direction
from analysis.ranking import rank as rank_values
from store.definitions import THEMES
from ui.data import versioned

#: Columns of :func:`compare_table`, in order.
COMPARE_COLUMNS = [
    "region",
    "indicator",
    "value",
    "unit",
    "rank_kab",
    "n_kab",
    "rank_prov",
    "n_prov",
    "kab_value",
    "diff_kab",
    "prov_value",
    "diff_prov",
    "illustrative",
]

def _catalogue_get(catalogue: pd.DataFrame | None, indicator: str, column: str, default):
    if catalogue is None or indicator not in catalogue.index or column not in catalogue.columns:
        return default
    value = catalogue.at[indicator, column]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return default
    return value


def compare_table(
    values: pd.DataFrame,
    chosen: Sequence[str],
    catalogue: pd.DataFrame | None = None,
    *,
    groups: Mapping[str, str] | pd.Series | None = None,
    group_values: pd.DataFrame | None = None,
    province_values: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Side-by-side comparison of chosen regions on every indicator of ``values``.

    Parameters
    ----------
    values : pandas.DataFrame
        Wide frame for one year: index = code of *every* region at the level (so that
        ranks are taken over the whole province), columns = indicator ids.
    chosen : sequence of str
        The region codes to compare, in display order (codes missing from ``values``
        appear with missing values).
    catalogue : pandas.DataFrame, optional
        Indexed by indicator id, with ``unit``, ``direction`` and ``illustrative``.
    groups : mapping or Series, optional
        Region code → kabupaten code, for kecamatan: ranks "in kabupaten" are taken among
        the regions of the same group. ``None`` at kabupaten level (no rank in kabupaten).
    group_values : pandas.DataFrame, optional
        Wide frame of the kabupaten values (index = kabupaten code).
    province_values : mapping or Series, optional
        Indicator id → province value.

    Returns
    -------
    pandas.DataFrame
        One row per (region, indicator) with the columns of :data:`COMPARE_COLUMNS`:
        ``diff_kab = value - kab_value`` and ``diff_prov = value - prov_value``; ``n_kab`` /
        ``n_prov`` count the ranked (non-missing) regions.
    """
    groups = pd.Series(groups, dtype=object) if groups is not None else None
    province_values = (
        pd.Series(province_values, dtype=float) if province_values is not None else None
    )
    rows = []
    for indicator in values.columns:
        column = pd.to_numeric(values[indicator], errors="coerce")
        direction = _catalogue_get(catalogue, indicator, "direction", "neutral")
        rank_prov = rank_values(column, direction)
        n_prov = int(column.notna().sum())
        if groups is not None:
            group_of = groups.reindex(column.index)
            rank_kab = column.groupby(group_of).transform(lambda s, d=direction: rank_values(s, d))
            n_kab = column.notna().groupby(group_of).transform("sum")
        for code in chosen:
            value = column.get(code, np.nan)
            kab = groups.get(code) if groups is not None else None
            kab_value = np.nan
            if (
                kab is not None
                and group_values is not None
                and kab in group_values.index
                and indicator in group_values.columns
            ):
                kab_value = pd.to_numeric(
                    pd.Series([group_values.at[kab, indicator]]), errors="coerce"
                ).iloc[0]
            prov_value = (
                province_values.get(indicator, np.nan) if province_values is not None else np.nan
            )
            rows.append(
                {
                    "region": code,
                    "indicator": indicator,
                    "value": value,
                    "unit": _catalogue_get(catalogue, indicator, "unit", ""),
                    "rank_kab": rank_kab.get(code, np.nan) if groups is not None else np.nan,
                    "n_kab": (
                        n_kab.get(code, np.nan)
                        if groups is not None and code in column.index
                        else np.nan
                    ),
                    "rank_prov": rank_prov.get(code, np.nan),
                    "n_prov": n_prov,
                    "kab_value": kab_value,
                    "diff_kab": value - kab_value,
                    "prov_value": prov_value,
                    "diff_prov": value - prov_value,
                    "illustrative": bool(
                        _catalogue_get(catalogue, indicator, "illustrative", False)
                    ),
                }
            )
    table = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    for name in (
        "value",
        "rank_kab",
        "n_kab",
        "rank_prov",
        "kab_value",
        "diff_kab",
        "prov_value",
        "diff_prov",
    ):
        table[name] = pd.to_numeric(table[name], errors="coerce").astype(float)
    table["n_prov"] = table["n_prov"].astype(int)
    return table


def normalised_scores(
    values: pd.DataFrame, chosen: Sequence[str], catalogue: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Direction-aware min–max scores (0 = worst, 100 = best region in the province).

    Parameters
    ----------
    values : pandas.DataFrame
        Wide frame of every region at the level for one year (index = code).
    chosen : sequence of str
        Codes to return.
    catalogue : pandas.DataFrame, optional
        Indexed by indicator id, with ``direction``. A neutral indicator scores its
        highest value 100.

    Returns
    -------
    pandas.DataFrame
        Index = chosen codes, columns = indicators, values in [0, 100]; NaN where the
        value is missing or every region has the same value.

    Notes
    -----
    score = 100 (x − min) / (max − min), or 100 (max − x) / (max − min) when higher is
    worse, with min and max over all regions of the level (the "goalposts" of the
    province distribution).

    Examples
    --------
    >>> v = pd.DataFrame({"a": [0.0, 5.0, 10.0]}, index=["x", "y", "z"])
    >>> normalised_scores(v, ["y", "z"])["a"].tolist()
    [50.0, 100.0]
    """
    out = {}
    for indicator in values.columns:
        column = pd.to_numeric(values[indicator], errors="coerce")
        low, high = column.min(), column.max()
        span = high - low
        if not np.isfinite(span) or span == 0:
            out[indicator] = pd.Series(np.nan, index=list(chosen))
            continue
        direction = normalise_direction(
            _catalogue_get(catalogue, indicator, "direction", "neutral")
        )
        score = (high - column) / span if direction == "higher_worse" else (column - low) / span
        out[indicator] = (100 * score).reindex(list(chosen))
    return pd.DataFrame(out, index=list(chosen))


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


def wrap(text: str, width: int = 30) -> str:
    """Break a long label into lines for Plotly (``<br>``).

    Examples
    --------
    >>> wrap("Persentase penduduk miskin (P0)", 15)
    'Persentase<br>penduduk miskin<br>(P0)'
    """
    import textwrap

    return "<br>".join(textwrap.wrap(str(text), width=width)) or str(text)


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


#: Display order of the catalogue's themes: the store's own order (population and area
#: first, villages last).
THEME_ORDER = THEMES


def ordered(indicators: Sequence[str], cat: pd.DataFrame) -> list[str]:
    """Indicators sorted by theme (:data:`THEME_ORDER`), keeping their order within a theme.

    Examples
    --------
    >>> c = pd.DataFrame({"theme": ["desa", "ekonomi", "kependudukan"]}, index=["a", "b", "c"])
    >>> ordered(["a", "b", "c"], c)
    ['c', 'b', 'a']
    """

    def key(item):
        pos, ind = item
        theme = cat.at[ind, "theme"] if ind in cat.index and "theme" in cat.columns else None
        rank = THEME_ORDER.index(theme) if theme in THEME_ORDER else len(THEME_ORDER)
        return (rank, pos)

    return [ind for _, ind in sorted(enumerate(indicators), key=key)]


# --------------------------------------------------------------------------- loading
# These helpers read through ui.loaders (cached); they are shared by Bandingkan and Profil.


def pick_year(available: Sequence[int], preferred: int | None) -> int | None:
    """The preferred year when available, else the latest available year not after it, else
    the latest year.

    Examples
    --------
    >>> pick_year([2010, 2020, 2024], 2022), pick_year([2010, 2020], None), pick_year([], 2020)
    (2020, 2020, None)
    """
    years = sorted(int(y) for y in available)
    if not years:
        return None
    if preferred is not None:
        if int(preferred) in years:
            return int(preferred)
        earlier = [y for y in years if y <= int(preferred)]
        if earlier:
            return earlier[-1]
    return years[-1]


def indicator_frames(level: str, indicator: str, year: int) -> dict:
    """Values of one indicator and year at ``level`` and the levels above it.

    Returns
    -------
    dict
        ``values`` (wide frame: every region of ``level`` × the indicator), ``kab``
        (kabupaten wide frame, or None at kabupaten level), ``prov`` ({indicator: value})
        and ``illustrative`` (bool: any value of ``level`` flagged illustrative).
    """
    from ui import data

    own = data.values(level, indicator, int(year))
    wide = own.set_index("region_code")[["value"]].rename(columns={"value": indicator})
    wide.attrs["year"] = int(year)
    kab = None
    if level == "kecamatan":
        kv = data.values("kabupaten", indicator, int(year))
        kab = kv.set_index("region_code")[["value"]].rename(columns={"value": indicator})
    pv = data.values("provinsi", indicator, int(year))
    prov = {indicator: float(pv["value"].iloc[0])} if len(pv) else {}
    return {
        "values": wide,
        "kab": kab,
        "prov": prov,
        "illustrative": bool(own["illustrative"].any()) if len(own) else False,
    }


def catalogue_frame(level: str) -> pd.DataFrame:
    """The catalogue indexed by id with an ``illustrative`` column for ``level``."""
    from ui import data

    cat = data.catalogue().set_index("id")
    cat["illustrative"] = cat["illustrative_levels"].map(lambda levels: level in levels)
    return cat


def groups_of(level: str) -> pd.Series | None:
    """Kecamatan code → kabupaten code (None at kabupaten level)."""
    from ui import data

    if level != "kecamatan":
        return None
    kec = data.regions_table("kecamatan")
    return pd.Series(kec["kab_kode"].astype(str).values, index=kec["kode"].astype(str))


def build_comparison(
    level: str, chosen: Sequence[str], indicators: Sequence[str], year: int | None
) -> pd.DataFrame:
    """The compare table for the chosen regions and indicators, each at its own year.

    Each indicator is taken at ``year`` when it has values then, else at its latest year
    before it (else its latest year); the ``year`` column says which.
    """
    from ui import data

    cat = catalogue_frame(level)
    groups = groups_of(level)
    parts = []
    for indicator in indicators:
        yr = pick_year(data.years(level, indicator), year)
        if yr is None:
            continue
        frames = indicator_frames(level, indicator, yr)
        table = compare_table(
            frames["values"],
            chosen,
            cat,
            groups=groups,
            group_values=frames["kab"],
            province_values=frames["prov"],
        )
        table.insert(2, "year", yr)
        table["illustrative"] = table["illustrative"] | frames["illustrative"]
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=COMPARE_COLUMNS[:2] + ["year"] + COMPARE_COLUMNS[2:])
    return pd.concat(parts, ignore_index=True)


def long_values(level: str, chosen: Sequence[str], indicators: Sequence[str]) -> pd.DataFrame:
    """All years of the indicators for the chosen regions (``region_code, indicator, year,
    value, illustrative``)."""
    from ui import data

    frames = []
    for indicator in indicators:
        v = data.values(level, indicator)
        v = v[v["region_code"].isin(list(chosen))].assign(indicator=indicator)
        frames.append(v)
    if not frames:
        return pd.DataFrame(columns=["region_code", "indicator", "year", "value", "illustrative"])
    return pd.concat(frames, ignore_index=True)


def _rank_text(rank, n) -> str:
    try:
        r, total = float(rank), float(n)
    except (TypeError, ValueError):
        return "–"
    if not (np.isfinite(r) and np.isfinite(total)):
        return "–"
    return f"{int(r)}/{int(total)}"


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
        ``value`` ... ``diff_prov``, and the boolean ``illustrative`` (for
        :func:`ui.exports.to_csv`'s per-row status), renamed by ``headers``.
    """
    out = table.copy()
    out.insert(1, "region_name", out["region"].map(lambda c: labels.get(c, c)))
    pos = list(out.columns).index("indicator") + 1
    out.insert(pos, "indicator_name", out["indicator"].map(lambda i: indicator_names.get(i, i)))
    return out.rename(columns={k: v for k, v in headers.items() if k != "illustrative"})


def display_table(
    table: pd.DataFrame,
    labels: Mapping[str, str],
    indicator_names: Mapping[str, str],
    decimals: Mapping[str, int],
    headers: Mapping[str, str],
    fmt: Callable[[float, int], str],
    badge_text: str,
) -> pd.DataFrame:
    """The compare table as shown: numbers formatted for the language, ranks as ``3/31``.

    ``fmt(value, decimals)`` formats a number (e.g. :func:`ui.i18n.fmt_number` bound to the
    language); differences carry an explicit sign.
    """

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
                headers["rank_kab"]: _rank_text(r["rank_kab"], r["n_kab"]),
                headers["rank_prov"]: _rank_text(r["rank_prov"], r["n_prov"]),
                headers["kab_value"]: fmt(r["kab_value"], d),
                headers["diff_kab"]: signed(r["diff_kab"], d),
                headers["prov_value"]: fmt(r["prov_value"], d),
                headers["diff_prov"]: signed(r["diff_prov"], d),
            }
        )
    return pd.DataFrame(rows)


def wide_latest(level: str, indicators: Sequence[str], year: int | None) -> pd.DataFrame:
    """Every region × indicator, each indicator at the year :func:`pick_year` gives."""
    from ui import data

    columns = []
    for indicator in indicators:
        yr = pick_year(data.years(level, indicator), year)
        if yr is None:
            continue
        columns.append(indicator_frames(level, indicator, yr)["values"][indicator])
    return pd.concat(columns, axis=1) if columns else pd.DataFrame()


def source_lines(indicators: Sequence[str], cat: pd.DataFrame) -> list[str]:
    """ "Title — licence. Citation" of each source behind the indicators, for exports."""
    from ui import data

    try:
        src = data.sources().set_index("id")
    except data.DataUnavailable:
        return []
    ids: list[str] = []
    for indicator in indicators:
        if indicator in cat.index:
            ids += [s for s in cat.at[indicator, "sources"] if s not in ids]
    lines = []
    for sid in ids:
        if sid not in src.index:
            continue
        row = src.loc[sid]
        line = f"{row.get('title') or sid} — {row.get('licence') or '?'}"
        if row.get("citation"):
            line += f". {row.get('citation')}"
        if line not in lines:  # several files of one repository: one line
            lines.append(line)
    return lines


def suggest_peers(level: str, code: str, n: int = 5, within: str | None = None) -> list[str]:
    """The ``n`` regions most comparable to ``code`` (see :mod:`analysis.peers`).

    Peers are found on the standardised latest values of the indicators that every
    region of the level has (real and illustrative alike).
    """

    if n <= 0:
        return []
    frame = peer_features(level)
    if code not in frame.index:
        return []
    return _peers(frame, code, n, level, within)


@versioned
def peer_features(level: str) -> pd.DataFrame:
    """Latest values of every indicator complete at ``level`` (regions × indicators)."""
    from ui import data

    columns = {}
    for indicator in data.indicators_for(level):
        yrs = data.years(level, indicator)
        if not yrs:
            continue
        v = data.values(level, indicator, yrs[-1]).set_index("region_code")["value"]
        columns[indicator] = v
    frame = pd.DataFrame(columns)
    complete = frame.columns[frame.notna().mean() >= 0.99]
    frame = frame[complete].dropna()
    # a constant column carries no information (and breaks standardisation)
    return frame.loc[:, frame.std() > 0]


def _peers(frame: pd.DataFrame, code: str, n: int, level: str, within: str | None) -> list[str]:
    import analysis.peers as peers_mod

    candidates = None
    if within == "kabupaten" and level == "kecamatan":
        kab = groups_of(level)
        candidates = [c for c in frame.index if kab.get(c) == kab.get(code)]
    elif within == "neighbours":
        from ui import data

        candidates = list(data.neighbours(level).get(code, []))
    result = peers_mod.peers(frame, code, n=n, candidates=candidates)
    return [str(c) for c in result.index if c != code][:n]


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
        Output of :func:`compare_table` / :func:`build_comparison`.
    indicators : sequence of str
        Panels, in order (indicators without rows are skipped).
    labels : mapping
        Region code → display label.
    titles : mapping
        Indicator id → panel title (name, unit, year, badge).
    reference_label : str
        Hover name of the province line.
    """
    from plotly.subplots import make_subplots

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
        r, c = k // cols + 1, k % cols + 1
        sub = table[table["indicator"] == indicator]
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
            row=r,
            col=c,
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
                row=r,
                col=c,
            )
        fig.update_yaxes(autorange="reversed", row=r, col=c)
    per_row = 90 + 26 * max(len(labels), 1)
    fig.update_layout(
        height=80 + rows * per_row,
        margin={"l": 10, "r": 10, "t": 70, "b": 20},
        separators=separators,
        bargap=0.25,
    )
    fig.update_annotations(font_size=12)
    return fig


def lift_badge(fig: go.Figure, space_px: int = 34) -> go.Figure:
    """Move the illustrative badge (``ui.badges.badge_figure``) above the plotting area.

    Small-multiple figures have panel titles at the top; the badge goes into extra top
    margin instead of over the first panel.
    """
    margin_top = (fig.layout.margin.t or 0) + space_px
    height = fig.layout.height or 450
    inner = max(height - margin_top - (fig.layout.margin.b or 0), 1)
    fig.update_layout(margin={"t": margin_top})
    for annotation in fig.layout.annotations:
        if annotation.name == "illustrative_badge":
            annotation.update(y=1 + (space_px + 24) / inner, yanchor="bottom")
    return fig
