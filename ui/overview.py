"""The builder of the Beranda page: headline figures, rankings and changes (pure: frames in,
texts and frames out; no Streamlit calls).

The page script reads the state, asks :mod:`ui.data.maps` and :mod:`ui.data.disparity` for
the frames, and draws what these functions return (:class:`Metric` cells and titled tables).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ui.badges import label as badge_label
from ui.i18n import fmt_number, fmt_percent, t

#: Indicator kinds whose inequality is computed with population weights.
WEIGHTED_KINDS = {"percent", "money", "index", "density", "years", "rate", "ratio"}


def weighted_kind(meta: dict | None) -> bool:
    """Whether inequality of this indicator is population-weighted (per-capita kinds).

    Counts and areas are compared region by region, without weights.
    """
    kind = (meta or {}).get("kind") or ""
    return kind in WEIGHTED_KINDS


def top_bottom(frame: pd.DataFrame, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` highest and ``n`` lowest rows of ``frame`` by ``value`` (missing dropped).

    Each table has a ``rank`` column (1 = highest value for the top table, 1 = lowest for
    the bottom table); tied values share a rank ("1, 2, 2, 4"), and the rows of a tie are
    ordered by code so the result is deterministic.

    Examples
    --------
    >>> f = pd.DataFrame({"code": list("abcde"), "value": [3.0, None, 1.0, 2.0, 2.0]})
    >>> top, bottom = top_bottom(f, 2)
    >>> top[["rank", "code"]].values.tolist(), bottom[["rank", "code"]].values.tolist()
    ([[1, 'a'], [2, 'd']], [[1, 'c'], [2, 'd']])
    """
    valid = frame.dropna(subset=["value"])
    tables = []
    for ascending in (False, True):
        ranked = valid.assign(rank=valid["value"].rank(method="min", ascending=ascending))
        table = ranked.sort_values(["value", "code"], ascending=[ascending, True]).head(n)
        table = table[["rank", *valid.columns]].astype({"rank": int})
        tables.append(table.reset_index(drop=True))
    return tables[0], tables[1]


def tied_beyond(frame: pd.DataFrame, shown: pd.DataFrame) -> int:
    """How many regions of ``frame`` share the value of the last row of ``shown`` but are
    not in it: a ranking cut in the middle of a tie says so.

    >>> f = pd.DataFrame({"code": list("abcde"), "value": [0.0, 0.0, 0.0, 5.0, 7.0]})
    >>> top, bottom = top_bottom(f, 2)
    >>> tied_beyond(f, top), tied_beyond(f, bottom)  # 7, 5 | 0, 0 (and c, also 0)
    (0, 1)
    """
    if shown.empty:
        return 0
    last = shown["value"].iloc[-1]
    return int((frame["value"] == last).sum() - (shown["value"] == last).sum())


def changes(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Per region: value of both years and the difference, for regions with both values.

    Parameters
    ----------
    previous, current : DataFrame
        ``code``, ``value`` (plus any descriptive columns in ``current``).

    Returns
    -------
    DataFrame
        ``current``'s columns plus ``previous`` and ``diff`` (= value − previous).

    Examples
    --------
    >>> p = pd.DataFrame({"code": ["a", "b", "c"], "value": [1.0, 2.0, None]})
    >>> c = pd.DataFrame({"code": ["a", "b", "c"], "value": [1.5, 2.0, 3.0]})
    >>> changes(p, c)["diff"].tolist()
    [0.5, 0.0]
    """
    prev = previous[["code", "value"]].rename(columns={"value": "previous"})
    out = current.merge(prev, on="code", how="inner").dropna(subset=["value", "previous"])
    out["diff"] = out["value"] - out["previous"]
    return out.reset_index(drop=True)


def improvement_counts(diff: pd.Series, direction: str) -> tuple[int, int]:
    """``(improved, worsened)`` counts given the indicator's direction (neutral: (0, 0))."""
    up, down = int((diff > 0).sum()), int((diff < 0).sum())
    if direction == "higher_better":
        return up, down
    if direction == "lower_better":
        return down, up
    return 0, 0


def previous_year(years: Iterable[int], year: int) -> int | None:
    """The latest year before ``year`` (None when there is none).

    Examples
    --------
    >>> previous_year([2018, 2020, 2021], 2021), previous_year([2021], 2021)
    (2020, None)
    """
    return max((y for y in years if y < year), default=None)


@dataclass(frozen=True)
class Metric:
    """One headline cell: ``st.metric`` arguments and an optional caption below."""

    label: str
    value: str
    delta: str | None = None
    delta_color: str = "normal"
    help: str | None = None
    caption: str | None = None


#: ``st.metric``'s ``delta_color`` by the indicator's direction (neutral: no colour).
DELTA_COLORS = {"higher_better": "normal", "lower_better": "inverse"}


def province_metric(
    value: float | None,
    before: float | None,
    *,
    year: int,
    previous: int | None,
    decimals: int,
    unit: str,
    direction: str | None,
    lang: str,
    basis: str = "",
    method: str = "",
) -> Metric:
    """The province's value of the year, and its change since ``previous`` as the delta.

    ``basis`` says where the value comes from (``BPS, Maret 2025`` for a published figure,
    ``dihitung`` for an aggregate computed here) and is shown under the value; ``method``
    (what was published and where, or how it was computed) is the help text. ``before``
    must have the same basis as ``value`` (the page passes None otherwise: a published
    figure minus a computed one is no change).

    Examples
    --------
    >>> m = province_metric(12.5, 13.0, year=2021, previous=2020, decimals=1, unit="%",
    ...                     direction="lower_better", lang="id", basis="BPS, Maret 2021")
    >>> m.value, m.delta, m.delta_color, m.caption
    ('12,5 %', '-0,5', 'inverse', 'BPS, Maret 2021')
    >>> province_metric(None, None, year=2021, previous=None, decimals=1, unit="",
    ...                 direction=None, lang="en").value
    '–'
    """
    label = t("beranda.province.value", lang=lang, year=year)
    if value is None:
        return Metric(label, "–", caption=t("beranda.province.none", lang=lang))
    delta = None
    if before is not None:
        # st.metric reads the direction from a leading ASCII "-"
        delta = fmt_number(value - before, decimals, lang).replace("\u2212", "-")
    helps = [method] if method else []
    if delta:
        helps.append(t("beranda.province.delta_help", lang=lang, year=previous))
    return Metric(
        label,
        f"{fmt_number(value, decimals, lang)}{f' {unit}' if unit else ''}",
        delta=delta,
        delta_color=DELTA_COLORS.get(direction, "off"),
        help=" ".join(helps) or None,
        caption=basis or None,
    )


def inequality_help(
    n_used: int,
    level_word: str,
    pop_year: int | None,
    weighted: bool,
    n_boot: int,
    lang: str,
    basis: str = "",
) -> str:
    """How the inequality indices were computed (regions used, weights and the basis of the
    population, a ``common.population_basis`` key, bootstrap)."""
    basis_text = t(f"common.population_basis.{basis}", lang=lang) if basis else "–"
    weighting = (
        t("beranda.inequality.weighted", lang=lang, year=pop_year, basis=basis_text)
        if weighted
        else t("beranda.inequality.unweighted", lang=lang)
    )
    return t(
        "beranda.inequality.help",
        lang=lang,
        n=n_used,
        level=level_word,
        weighting=weighting,
        n_boot=n_boot,
    )


#: The three headline indices: (row of ``ui.data.disparity.indices``, label key).
HEADLINE_INDICES = (
    ("gini", "beranda.inequality.gini"),
    ("williamson", "beranda.inequality.williamson"),
    ("theil_t", "beranda.inequality.theil"),
)


def inequality_metrics(indices: pd.DataFrame, help_text: str, lang: str) -> list[Metric]:
    """Gini, Williamson and Theil T cells from an index table (``estimate``, ``low``,
    ``high``, ``note``), with the bootstrap interval as caption.

    Examples
    --------
    >>> table = pd.DataFrame({"estimate": [0.31234, float("nan")], "low": [0.3, None],
    ...                       "high": [0.33, None], "note": ["", "n < 2"]},
    ...                      index=["gini", "theil_t"])
    >>> [(m.value, m.caption) for m in inequality_metrics(table, "", "id")][0]
    ('0,312', 'SK 95%: 0,300 – 0,330')
    >>> [m.value for m in inequality_metrics(table, "", "en")][1:]
    ['–', 'undefined']
    """
    cells = []
    for key, label_key in HEADLINE_INDICES:
        label = t(label_key, lang=lang)
        if key not in indices.index:
            help_text_ = t("beranda.inequality.williamson_needs_weights", lang=lang)
            cells.append(Metric(label, "–", help=help_text_))
            continue
        row = indices.loc[key]
        if pd.isna(row["estimate"]):
            cells.append(
                Metric(label, t("beranda.inequality.undefined", lang=lang), help=row["note"])
            )
            continue
        caption = None
        if not pd.isna(row["low"]):
            low, high = fmt_number(row["low"], 3, lang), fmt_number(row["high"], 3, lang)
            caption = t("beranda.inequality.ci", lang=lang, low=low, high=high)
        cells.append(
            Metric(label, fmt_number(row["estimate"], 3, lang), help=help_text, caption=caption)
        )
    return cells


@dataclass(frozen=True)
class Decomposition:
    """The between-kabupaten share of a Theil decomposition, as a bar and its texts."""

    share: float
    text: str
    caption: str


def decomposition(between_share: float, lang: str) -> Decomposition:
    """The progress bar (clipped to 0–1) and texts of the between/within split.

    Examples
    --------
    >>> d = decomposition(0.25, "en")
    >>> d.share, d.text
    (0.25, 'Between kabupaten/kota: 25.0% · Within kabupaten/kota: 75.0%')
    """
    between = fmt_percent(100 * between_share, 1, lang)
    within = fmt_percent(100 * (1 - between_share), 1, lang)
    text = (
        f"{t('beranda.decomposition.between', lang=lang)}: {between} · "
        f"{t('beranda.decomposition.within', lang=lang)}: {within}"
    )
    caption = t("beranda.decomposition.caption", lang=lang, between=between, within=within)
    return Decomposition(min(max(between_share, 0.0), 1.0), text, caption)


def _shown(table: pd.DataFrame, columns: dict, numeric: Iterable[str], decimals: int, lang: str):
    out = table[list(columns)].rename(columns=columns)
    for col in numeric:
        out[columns[col]] = [fmt_number(v, decimals, lang) for v in out[columns[col]]]
    return out


@dataclass(frozen=True)
class Ranking:
    """Beranda's rankings: titled tables (each with a note when its cut falls inside a
    tie), or, when every region has the same value, only ``same`` saying so."""

    tables: list[tuple[str, pd.DataFrame, str | None]]
    same: str | None = None


def rank_tables(
    frame: pd.DataFrame,
    *,
    level: str,
    level_word: str,
    decimals: int,
    unit: str,
    illustrative: bool,
    lang: str,
    n: int = 10,
) -> Ranking:
    """The top and bottom ``n`` regions as titled display tables; the value column is
    formatted and its header carries the unit and the illustrative label. A series with one
    value throughout (every kecamatan 0) has nothing to rank: only a sentence."""
    valid = frame.dropna(subset=["value"])
    unit_text = f" {unit}" if unit else ""
    if len(valid) > 1 and valid["value"].nunique() == 1:
        value = f"{fmt_number(valid['value'].iloc[0], decimals, lang)}{unit_text}"
        same = t("beranda.rank.all_same", lang=lang, n=len(valid), level=level_word, value=value)
        return Ranking(tables=[], same=same)
    header = f"{t('common.word.value', lang=lang)}{f' ({unit})' if unit else ''}"
    columns = {
        "rank": t("beranda.rank.rank", lang=lang),
        "nama": t("common.word.name", lang=lang),
        "kab_nama": t("common.word.kabupaten", lang=lang),
        "value": badge_label(header, illustrative, lang),
    }
    if level == "kabupaten":
        columns.pop("kab_nama")
    tables = []
    for table, key in zip(top_bottom(valid, n), ("beranda.rank.top", "beranda.rank.bottom"), strict=True):
        more = tied_beyond(valid, table)
        note = None
        if more:
            value = f"{fmt_number(table['value'].iloc[-1], decimals, lang)}{unit_text}"
            note = t("beranda.rank.tied", lang=lang, n=more, level=level_word, value=value)
        heading = t(key, lang=lang, level=level_word)
        tables.append((heading, _shown(table, columns, ["value"], decimals, lang), note))
    return Ranking(tables=tables)


def change_summary(ch: pd.DataFrame, direction: str, lang: str) -> tuple[str, str | None]:
    """How many regions went up, down or stayed, and (unless the direction is neutral) how
    many improved or worsened."""
    up, down = int((ch["diff"] > 0).sum()), int((ch["diff"] < 0).sum())
    text = t(
        "beranda.change.summary", lang=lang, up=up, down=down, same=len(ch) - up - down, n=len(ch)
    )
    if direction == "neutral":
        return text, None
    better, worse = improvement_counts(ch["diff"], direction)
    return text, (
        f"{t('beranda.change.better', lang=lang, n=better)} · "
        f"{t('beranda.change.worse', lang=lang, n=worse)}"
    )


def change_tables(
    ch: pd.DataFrame,
    *,
    level: str,
    decimals: int,
    years: tuple[int, int],
    illustrative: tuple[bool, bool],
    lang: str,
    n: int = 5,
) -> list[tuple[str, pd.DataFrame]]:
    """The ``n`` largest rises and falls (heading, display table); a table is empty when no
    region moved that way. ``years`` and ``illustrative`` are (previous, current)."""
    columns = {
        "nama": t("common.word.name", lang=lang),
        "kab_nama": t("common.word.kabupaten", lang=lang),
        "previous": badge_label(
            t("beranda.change.previous", lang=lang, year=years[0]), illustrative[0], lang
        ),
        "value": badge_label(
            t("beranda.change.current", lang=lang, year=years[1]), illustrative[1], lang
        ),
        "diff": t("beranda.change.diff", lang=lang),
    }
    if level == "kabupaten":
        columns.pop("kab_nama")
    out = []
    for ascending, key in (
        (False, "beranda.change.largest_up"),
        (True, "beranda.change.largest_down"),
    ):
        part = ch.sort_values(["diff", "code"], ascending=[ascending, True]).head(n)
        part = part[part["diff"] < 0] if ascending else part[part["diff"] > 0]
        numeric = ["previous", "value", "diff"]
        out.append((t(key, lang=lang), _shown(part, columns, numeric, decimals, lang)))
    return out
