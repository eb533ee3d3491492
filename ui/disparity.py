"""Builders of the Ketimpangan (disparity) page: texts, tables, cards and labelled figures.

Pure functions: the results of :mod:`ui.data.disparity` (numbers, region codes and raw
names) and the language in, display values out (translated labels, formatted numbers,
frames and figures; the plain figures are in :mod:`ui.disparity_figures`). No store, no
session state and no Streamlit: the page (``pages/ketimpangan.py``) reads the widgets, asks
the data wing and draws what these return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from i18n import translate
from i18n.numbers import format_number, plotly_separators
from i18n.text import display_name
from ui import disparity_figures as figures

#: The analyses below the indices, one shown at a time (``disparity.section.<key>``).
SECTIONS = ("lorenz", "convergence", "klassen", "moran")

#: Translation key (``disparity.decomp.<name>``) of each grouping of the decomposition.
GROUPING_KEYS = {"kab_kode": "group_kab", "jenis": "group_jenis", "wilayah": "group_wilayah"}

#: Sigma-convergence series in display order (keys of :func:`ui.data.disparity.sigma`).
SIGMA_COLUMNS = ("cv", "gini", "theil_t")

#: Significance level of the trend and Moran verdicts.
ALPHA = 0.05


@dataclass(frozen=True)
class Metric:
    """One ``st.metric`` card: ``label``, formatted ``value``, ``help``; ``boxed`` cards (the
    indices) have a border and show ``delta`` (the interval) uncoloured, without an arrow."""

    label: str
    value: str
    help: str | None = None
    delta: str | None = None
    boxed: bool = False


def inequality_undefined(values: pd.Series) -> str | None:
    """Why the inequality indices of ``values`` (missing ones dropped) are undefined:
    ``"negative"`` (they need values of at least zero), ``"all_zero"`` (they divide by the
    mean; e.g. desa "sangat tertinggal" in 2024: none anywhere), else None (also without
    any value: the pages say so in their own way).

    Examples
    --------
    >>> [inequality_undefined(pd.Series(v)) for v in ([1.0, -2.0], [0.0, None], [0.0, 3.0])]
    ['negative', 'all_zero', None]
    >>> inequality_undefined(pd.Series([None], dtype=float)) is None
    True
    """
    values = values.dropna()
    if (values < 0).any():
        return "negative"
    if len(values) and (values == 0).all():
        return "all_zero"
    return None


def _t(key: str, lang: str, **params) -> str:
    return translate(key, lang, **params)


def _percent(value: float, decimals: int, lang: str) -> str:
    return format_number(value, decimals, lang) + "%"


# --------------------------------------------------------------------------- page header


def intro(indicator_name: str, level: str, year: int, lang: str) -> str:
    """The caption under the title: what the page measures, for which level and year."""
    level_word = _t(f"common.level.{level}", lang).lower()
    return _t("disparity.page.intro", lang, indicator=indicator_name, level=level_word, year=year)


def weighting_label(weighted: bool, lang: str) -> str:
    """``population`` or ``unweighted (...)``: the option of the weighting radio."""
    return _t(f"disparity.page.weight_{'pop' if weighted else 'none'}", lang)


def weighting_note(
    n_regions: int, weighted: bool, year: int, pop_year: int | None, lang: str, basis: str = ""
) -> str:
    """How many regions enter the measures, their weights, the population year used when
    the indicator's year has none, and that population's basis (a
    ``common.population_basis`` key: census, BPS projection, register, illustrative).

    Examples
    --------
    >>> weighting_note(3, True, 2015, 2016, "en")
    '3 regions with a value; population. Population for 2015 is not available; 2016 is used.'
    >>> weighting_note(3, True, 2010, 2010, "en", "census2010")
    '3 regions with a value; population. Population basis of 2010: Population Census 2010.'
    """
    notes = [
        _t("disparity.page.n_regions", lang, n=n_regions, weighting=weighting_label(weighted, lang))
    ]
    if weighted and pop_year != int(year):
        notes.append(_t("disparity.page.weight_missing", lang, year=year, used=pop_year))
    if weighted and basis:
        name = _t(f"common.population_basis.{basis}", lang)
        notes.append(_t("disparity.page.pop_basis", lang, year=pop_year, basis=name))
    return " ".join(notes)


# --------------------------------------------------------------------------- indices


def weighting_help(weighted: bool, lang: str) -> str:
    """The weights' sentence that the indices' formulas end with."""
    return _t("disparity.help.weighting_pop" if weighted else "disparity.help.weighting_none", lang)


def index_metrics(table: pd.DataFrame, weighted: bool, lang: str) -> list[Metric]:
    """One boxed card per index of :func:`ui.data.disparity.indices`: the value with its
    interval, or "undefined" with the reason in the help.

    Examples
    --------
    >>> nan = float("nan")
    >>> table = pd.DataFrame(
    ...     {"estimate": [0.25, nan], "low": [0.2, nan], "high": [0.3, nan],
    ...      "note": ["", "a zero value"]}, index=["gini", "theil_l"])
    >>> [(m.label, m.value, m.delta) for m in index_metrics(table, False, "id")]
    [('Gini', '0,250', '[0,200 ; 0,300]'), ('Theil L', 'tidak terdefinisi', None)]
    """
    weights = weighting_help(weighted, lang)
    metrics = []
    for key, row in table.iterrows():
        help_text = _t(f"disparity.help.{key}", lang, weighting=weights)
        delta = None
        if row["note"]:
            value = _t("disparity.index.undefined", lang)
            help_text += f"\n\n{row['note']}"
        else:
            value = format_number(row["estimate"], 3, lang)
            if row["low"] == row["low"]:  # not NaN
                low, high = format_number(row["low"], 3, lang), format_number(row["high"], 3, lang)
                delta = f"[{low} ; {high}]"
        label = _t(f"disparity.index.{key}", lang)
        metrics.append(Metric(label, value, help_text, delta=delta, boxed=True))
    return metrics


def index_export(table: pd.DataFrame, weighted: bool, lang: str) -> pd.DataFrame:
    """The indices as a table to show and download: ``id``, the index name, estimate,
    bounds, note and formula, with translated headers (numbers stay numbers)."""
    weights = weighting_help(weighted, lang)
    export = table.reset_index().rename(columns={"index": "id"})
    names = [_t(f"disparity.index.{k}", lang) for k in export["id"]]
    export.insert(1, _t("disparity.index.col_index", lang), names)
    export[_t("disparity.index.col_formula", lang)] = [
        _t(f"disparity.help.{k}", lang, weighting=weights) for k in export["id"]
    ]
    headers = {c: _t(f"disparity.index.col_{c}", lang) for c in ("estimate", "low", "high", "note")}
    return export.rename(columns=headers)


def index_display(export: pd.DataFrame, lang: str):
    """:func:`index_export` for ``st.dataframe``: the numbers written by the one formatter
    (3 decimals) and "–" where there is none (an undefined index, the max/min ratio's
    bounds), never "None"; the numbers stay numbers for sorting."""
    numeric = [_t(f"disparity.index.col_{c}", lang) for c in ("estimate", "low", "high")]
    numeric = [c for c in numeric if c in export.columns]
    shown = export.drop(columns=["id"], errors="ignore")
    text = [c for c in shown.columns if c not in numeric]
    return shown.style.format(
        lambda v: format_number(v, 3, lang), subset=numeric, na_rep="–"
    ).format(na_rep="", subset=text)


# --------------------------------------------------------------------------- decomposition


def grouping_options(level: str) -> list[str]:
    """The groupings of the decomposition at ``level`` (kabupaten only below kabupaten).

    Examples
    --------
    >>> grouping_options("kecamatan"), grouping_options("kabupaten")
    (['kab_kode', 'jenis', 'wilayah'], ['jenis', 'wilayah'])
    """
    return (["kab_kode"] if level == "kecamatan" else []) + ["jenis", "wilayah"]


def grouping_label(grouping: str, lang: str) -> str:
    """The translated name of a grouping (``kab_kode``, ``jenis``, ``wilayah``)."""
    return _t(f"disparity.decomp.{GROUPING_KEYS[grouping]}", lang)


def decomposition_metrics(dec: Mapping, lang: str, grouping: str | None = None) -> list[Metric]:
    """Total, between, within and the between-group share of
    :func:`ui.data.disparity.decomposition`, as cards, for the chosen ``grouping``.

    A nested decomposition (e.g. ``jenis`` then kabupaten) reports ``between`` over the
    finest groups; the cards follow the chosen grouping instead: its own ``between
    <grouping>`` row of ``levels`` (as in the table), and within = total − between.

    Examples
    --------
    >>> levels = pd.DataFrame({"component": ["between jenis", "between kab_kode within jenis",
    ...     "within kab_kode"], "value": [0.03, 0.06, 0.08], "share": [0.18, 0.35, 0.47]})
    >>> dec = {"total": 0.17, "between": 0.09, "within": 0.08, "between_share": 0.53,
    ...        "levels": levels}
    >>> [m.value for m in decomposition_metrics(dec, "en", "jenis")]
    ['0.1700', '0.0300', '0.1400', '18.0%']
    """
    help_text = _t("disparity.decomp.help", lang)
    total, between, share = dec["total"], dec["between"], dec["between_share"]
    levels = dec.get("levels")
    if grouping is not None and levels is not None:
        row = levels[levels["component"] == f"between {grouping}"]
        if len(row):
            between, share = float(row["value"].iloc[0]), float(row["share"].iloc[0])
    values = {"total": total, "between": between, "within": total - between}
    parts = [(key, format_number(values[key], 4, lang)) for key in ("total", "between", "within")]
    parts.append(("share", _percent(100 * share, 1, lang)))
    return [Metric(_t(f"disparity.decomp.{key}", lang), value, help_text) for key, value in parts]


def decomposition_test(dec: Mapping, grouping: str, permutations: int, lang: str) -> str | None:
    """The sentence of the permutation test of the between-group share (None without one)."""
    if dec["p_value"] is None:
        return None
    return _t(
        "disparity.decomp.test",
        lang,
        group=grouping_label(grouping, lang),
        share=format_number(100 * dec["tested_share"], 1, lang),
        p=format_number(dec["p_value"], 3, lang),
        perm=permutations,
    )


def _component_label(component: str, lang: str) -> str:
    names = {g: grouping_label(g, lang) for g in GROUPING_KEYS}
    parts = component.split()
    if len(parts) == 4 and parts[0] == "between" and parts[2] == "within":
        a, b = names.get(parts[1], parts[1]), names.get(parts[3], parts[3])
        return _t("disparity.decomp.component_nested", lang, a=a, b=b)
    if len(parts) == 2 and parts[0] in ("between", "within"):
        a = names.get(parts[1], parts[1])
        return _t(f"disparity.decomp.component_{parts[0]}", lang, a=a)
    return component


def component_labels(levels: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Translate the component names of a (nested) decomposition.

    ``levels`` has a ``component`` column such as ``"between jenis"``,
    ``"between kab_kode within jenis"`` or ``"within kab_kode"`` (from
    :func:`analysis.inequality.theil_decomposition`), ``value`` and ``share`` (0–1).

    Returns
    -------
    pandas.DataFrame
        ``label``, ``value`` (rounded to 6 decimals) and ``share`` in percent.
    """
    return pd.DataFrame(
        {
            "label": [_component_label(c, lang) for c in levels["component"]],
            "value": levels["value"].round(6),
            "share": (100 * levels["share"]).round(2),
        }
    )


def component_table(levels: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`component_labels` formatted for display, with translated headers."""
    comp = component_labels(levels, lang)
    comp["value"] = [format_number(v, 4, lang) for v in comp["value"]]
    comp["share"] = [_percent(v, 1, lang) for v in comp["share"]]
    headers = {"label": "col_component", "value": "col_value", "share": "col_share"}
    return comp.rename(columns={c: _t(f"disparity.decomp.{k}", lang) for c, k in headers.items()})


def group_labels(contributions: pd.DataFrame, level: str, grouping: str, lang: str) -> list[str]:
    """Display names of the finest groups of a decomposition: kabupaten names (from the
    ``nama`` column, the code when it has none), or the translated ``jenis``/``wilayah``.

    Examples
    --------
    >>> contrib = pd.DataFrame({"group": ["35.78", "35.99"], "nama": ["KOTA SURABAYA", None]})
    >>> group_labels(contrib, "kecamatan", "jenis", "en")
    ['Kota Surabaya', '35.99']
    >>> group_labels(pd.DataFrame({"group": ["madura"]}), "kabupaten", "wilayah", "en")
    ['Madura']
    """
    finest = "kab_kode" if level == "kecamatan" else grouping
    if finest != "kab_kode":
        return [_t(f"disparity.decomp.{finest}_{g}", lang) for g in contributions["group"]]
    return [
        display_name(n) if isinstance(n, str) else str(g)
        for g, n in zip(contributions["group"], contributions["nama"], strict=True)
    ]


# --------------------------------------------------------------------------- convergence


def sigma_names(weighted: bool, lang: str) -> dict[str, str]:
    """Display names of the sigma series (``cv`` is the Williamson index when weighted)."""
    return {
        "gini": _t("disparity.index.gini", lang),
        "theil_t": _t("disparity.index.theil_t", lang),
        "cv": _t("disparity.index.williamson" if weighted else "disparity.index.cv", lang),
    }


def sigma_columns(series: pd.DataFrame) -> list[str]:
    """The sigma series present in ``series``, in display order."""
    return [c for c in SIGMA_COLUMNS if c in series.columns]


def sigma_trend(sigma: dict, column: str) -> dict | None:
    """The trend of one index from :func:`ui.data.disparity.sigma` (None without a test)."""
    trend = sigma.get("trends", {}).get(column)
    if trend is None or trend["p"] is None:
        return None
    return trend


def sigma_captions(sigma: dict, weighted: bool, lang: str) -> list[str]:
    """One sentence per tested series: slope per year, p and the verdict at :data:`ALPHA`.

    Examples
    --------
    >>> sigma = {"series": pd.DataFrame({"year": [2010, 2020], "gini": [0.3, 0.2]}),
    ...          "trends": {"gini": {"slope": -0.01, "p": 0.01}}}
    >>> sigma_captions(sigma, False, "en")
    ['Trend of Gini: −0.01000 per year (p = 0.010); narrowing (converging).']
    """
    names = sigma_names(weighted, lang)
    captions = []
    for col in sigma_columns(sigma["series"]):
        trend = sigma_trend(sigma, col)
        if trend is None:
            continue
        if trend["p"] >= ALPHA:
            verdict = "no_trend"
        else:
            verdict = "converging" if trend["slope"] < 0 else "diverging"
        captions.append(
            _t(
                "disparity.sigma.trend",
                lang,
                index=names[col],
                slope=format_number(trend["slope"], 5, lang),
                p=format_number(trend["p"], 3, lang),
                verdict=_t(f"disparity.sigma.{verdict}", lang),
            )
        )
    return captions


def beta_metrics(beta: Mapping, lang: str) -> list[Metric]:
    """β, its standard error and p, the speed of convergence and the half-life, as cards."""
    help_text = _t("disparity.beta.help", lang)
    none = _t("disparity.beta.none", lang)
    speed, half = beta["speed"], beta["half_life"]
    if beta["beta"] > 0:  # divergence: no speed of convergence, no half-life
        speed, half = None, None
    values = {
        "beta": format_number(beta["beta"], 4, lang),
        "se": format_number(beta["se"], 4, lang),
        "p": format_number(beta["p"], 3, lang),
        "speed": _percent(100 * speed, 2, lang) if speed is not None else none,
        "half_life": (
            _t("disparity.beta.years", lang, value=format_number(half, 1, lang)) if half else none
        ),
    }
    return [Metric(_t(f"disparity.beta.{k}", lang), v, help_text) for k, v in values.items()]


def beta_verdict(beta: Mapping, lang: str, alpha: float = 0.05) -> str:
    """What β says in words: convergence (β < 0), divergence (β > 0), each significant or
    not at ``alpha``.

    Examples
    --------
    >>> beta_verdict({"beta": 0.012, "p": 0.001}, "en")[:10]
    'Divergence'
    >>> beta_verdict({"beta": -0.02, "p": 0.3}, "en")[:16]
    'Beta convergence'
    """
    kind = "divergence" if beta["beta"] > 0 else "convergence"
    significant = beta.get("p") is not None and beta["p"] < alpha
    key = f"disparity.beta.{kind}_{'significant' if significant else 'weak'}"
    return _t(key, lang, p=format_number(beta["p"], 3, lang))


def region_labels(names: Sequence, kab_names: Sequence, level: str) -> list[str]:
    """Hover labels of regions: "Kecamatan — Kabupaten" below kabupaten, else the name.

    Examples
    --------
    >>> region_labels(["SUKOLILO"], ["KOTA SURABAYA"], "kecamatan")
    ['Sukolilo — Kota Surabaya']
    >>> region_labels(["KOTA SURABAYA"], ["KOTA SURABAYA"], "kabupaten")
    ['Kota Surabaya']
    """
    if level == "kecamatan":
        return [
            f"{display_name(n)} — {display_name(k)}" for n, k in zip(names, kab_names, strict=True)
        ]
    return [display_name(n) for n in names]


# --------------------------------------------------------------------------- Klassen


def quadrant_names(lang: str) -> dict[int, str]:
    """The translated names of the four Klassen quadrants, by number."""
    return {q: _t(f"disparity.klassen.q{q}", lang) for q in (1, 2, 3, 4)}


def transition_table(matrix: pd.DataFrame, names: Mapping[int, str]) -> pd.DataFrame:
    """A quadrant transition matrix (:func:`analysis.typology.klassen_transitions`) with
    every quadrant shown and named: rows = first period, columns = second, counts.

    Examples
    --------
    >>> m = pd.DataFrame([[1, 0], [1, 1]], index=[1, 2], columns=[1, 2])
    >>> transition_table(m, {1: "I", 2: "II", 3: "III"}).loc["II"].tolist()
    [1, 1, 0]
    """
    order = sorted(names)
    table = matrix.reindex(index=order, columns=order, fill_value=0).astype(int)
    table.index = [names[q] for q in order]
    table.columns = [names[q] for q in order]
    return table


def transitions_heading(transitions: Mapping, lang: str) -> str:
    """The heading of the transition table: the two halves of the period (growth years
    ``start``–``mid`` and ``next``–``end``; ``next`` defaults to ``mid``).

    Examples
    --------
    >>> transitions_heading({"start": 2020, "mid": 2021, "next": 2022, "end": 2024}, "en")
    'Quadrant moves: period 2020–2021 (rows) to period 2022–2024 (columns), number of regions'
    """
    start, mid, end = transitions["start"], transitions["mid"], transitions["end"]
    nxt = transitions.get("next", mid)
    return _t("disparity.klassen.transitions", lang, p1=f"{start}–{mid}", p2=f"{nxt}–{end}")


# --------------------------------------------------------------------------- Moran


def moran_metrics(moran: Mapping, permutations: int, lang: str) -> list[Metric]:
    """Moran's I, its expectation under randomness, z and the pseudo p-value, as cards."""
    help_text = _t("disparity.moran.help", lang, perm=permutations)
    values = (("i", "I", 3), ("expected", "EI", 4), ("z", "z", 2), ("p", "p", 3))
    return [
        Metric(_t(f"disparity.moran.{key}", lang), format_number(moran[k], d, lang), help_text)
        for key, k, d in values
    ]


def moran_verdict(moran: Mapping, lang: str) -> str:
    """Clustered, dispersed or random at :data:`ALPHA`.

    Examples
    --------
    >>> moran_verdict({"I": 0.4, "EI": -0.01, "p": 0.001}, "en") != moran_verdict(
    ...     {"I": 0.4, "EI": -0.01, "p": 0.5}, "en")
    True
    """
    if not moran["p"] < ALPHA:  # NaN too
        return _t("disparity.moran.random", lang)
    positive = moran["I"] > moran["EI"]
    return _t("disparity.moran.positive" if positive else "disparity.moran.negative", lang)


# --------------------------------------------------------------------------- the page's charts


def lorenz_chart(points: pd.DataFrame, year: int, weighted: bool, lang: str) -> go.Figure:
    """The Lorenz curve of :func:`ui.data.disparity.lorenz_curve`, labelled."""
    x_key = "disparity.lorenz.x" if weighted else "disparity.lorenz.x_unweighted"
    return figures.lorenz_figure(
        {_t("disparity.lorenz.curve", lang, year=year): points},
        x_title=_t(x_key, lang),
        y_title=_t("disparity.lorenz.y", lang),
        equality_label=_t("disparity.lorenz.equality", lang),
        separators=plotly_separators(lang),
    )


def contributions_chart(dec: Mapping, level: str, grouping: str, lang: str) -> go.Figure:
    """Each finest group's contribution to the within-group component, labelled."""
    contrib = dec["contributions"]
    contrib = contrib.assign(label=group_labels(contrib, level, grouping, lang))
    return figures.contributions_figure(
        contrib,
        value_col="within",
        x_title=_t("disparity.decomp.contrib_x", lang),
        separators=plotly_separators(lang),
    )


def sigma_chart(series: pd.DataFrame, weighted: bool, lang: str) -> go.Figure:
    """The sigma series of :func:`ui.data.disparity.sigma`, labelled."""
    return figures.sigma_figure(
        series,
        y_cols=sigma_columns(series),
        names=sigma_names(weighted, lang),
        y_title=_t("disparity.sigma.y", lang),
        separators=plotly_separators(lang),
    )


def beta_chart(beta: Mapping, level: str, start: int, end: int, lang: str) -> go.Figure:
    """The beta-convergence scatter of :func:`ui.data.disparity.beta`, labelled."""
    return figures.beta_figure(
        beta["x"],
        beta["growth"],
        region_labels(beta["nama"], beta["kab_nama"], level),
        intercept=beta["intercept"],
        slope=beta["beta"],
        x_title=_t("disparity.beta.x", lang, start=start),
        y_title=_t("disparity.beta.y", lang, start=start, end=end),
        fit_label=_t("disparity.beta.fit", lang),
        separators=plotly_separators(lang),
    )


def klassen_notes(kl: Mapping, lang: str) -> list[str]:
    """What the references of a Klassen result are: BPS's published growth (with what each
    published figure is) or the computed one, labelled; the per-capita reference (computed).

    Examples
    --------
    >>> kl = {"growth_ref": 3.28, "level_ref": 42836.9, "growth_basis": "published",
    ...       "published_missing": [], "published_notes": ["BPS"], "years": [2020, 2024]}
    >>> klassen_notes(kl, "en")[0][:40]
    'Growth reference: 3.28 % a year, the mea'
    """
    start, end = kl["years"][0], kl["years"][-1]
    notes = []
    if kl["published_missing"]:
        years = ", ".join(str(y) for y in kl["published_missing"])
        notes.append(_t("disparity.klassen.published_missing", lang, years=years))
    value = format_number(kl["growth_ref"], 2, lang)
    if kl["growth_basis"] == "published":
        notes.append(
            _t(
                "disparity.klassen.growth_published", lang, value=value, start=start, end=end,
                notes="; ".join(kl["published_notes"]),
            )
        )
    else:
        notes.append(_t("disparity.klassen.growth_computed", lang, value=value, start=start, end=end))
    level = format_number(kl["level_ref"], 0, lang)
    notes.append(_t("disparity.klassen.level_computed", lang, value=level, start=start, end=end))
    return notes


def klassen_charts(
    kl: Mapping, level: str, start: int, end: int, geojson: str | dict, lang: str
) -> tuple[go.Figure, go.Figure]:
    """The Klassen scatter and map of :func:`ui.data.disparity.klassen`, labelled."""
    frame = kl["frame"]
    labels = region_labels(frame["nama"], frame["kab_nama"], level)
    frame = frame.assign(label=labels)
    names = quadrant_names(lang)
    scatter = figures.klassen_scatter(
        frame,
        x_col="level",
        y_col="growth",
        quadrant_col="quadrant",
        label_col="label",
        quadrant_names=names,
        x_ref=kl["level_ref"],
        y_ref=kl["growth_ref"],
        x_title=_t("disparity.klassen.x", lang, start=start, end=end),
        y_title=_t("disparity.klassen.y", lang, start=start, end=end),
        separators=plotly_separators(lang),
    )
    quadrant_map = figures.klassen_map(
        list(frame.index),
        frame["quadrant"].tolist(),
        labels,
        names,
        geojson=geojson,
        title=_t("disparity.klassen.map", lang),
    )
    return scatter, quadrant_map
