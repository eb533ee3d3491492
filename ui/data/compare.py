"""Data for Bandingkan and Profil: indicator frames at three levels, comparisons, peers.

Frames come from :mod:`ui.data.base`; the comparison itself is
:func:`analysis.compare.compare_table`; peers are :func:`analysis.peers.peers`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import peers as peers_mod
from analysis.compare import COMPARE_COLUMNS, compare_table, normalised_scores, pick_year
from store.definitions import THEMES

from . import base as data
from . import province
from .cache import DataUnavailable, versioned

__all__ = [
    "COMPARE_COLUMNS",
    "THEME_ORDER",
    "build_comparison",
    "catalogue_frame",
    "groups_of",
    "indicator_frames",
    "long_values",
    "ordered",
    "ordered_indicators",
    "peer_features",
    "scores",
    "source_lines",
    "suggest_peers",
    "wide_latest",
]

#: Display order of the catalogue's themes: the store's own order (population and area
#: first, villages last).
THEME_ORDER: tuple[str, ...] = tuple(THEMES)


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


def ordered_indicators(level: str) -> list[str]:
    """The indicators with values at ``level``, in theme order (:func:`ordered`)."""
    return ordered(data.indicators_for(level), catalogue_frame(level))


@versioned
def indicator_frames(level: str, indicator: str, year: int) -> dict:
    """Values of one indicator and year at ``level`` and the levels above it.

    Returns
    -------
    dict
        ``values`` (wide frame: every region of ``level`` × the indicator), ``kab``
        (kabupaten wide frame, or None at kabupaten level), ``prov`` ({indicator: value}:
        BPS's published figure, else the computed aggregate), ``prov_basis``
        (:func:`province_basis`)
        and ``illustrative`` (bool: any value of ``level`` flagged illustrative).
    """
    own = data.values(level, indicator, int(year))
    wide = own.set_index("region_code")[["value"]].rename(columns={"value": indicator})
    wide.attrs["year"] = int(year)
    kab = None
    if level == "kecamatan":
        kv = data.values("kabupaten", indicator, int(year))
        kab = kv.set_index("region_code")[["value"]].rename(columns={"value": indicator})
    # BPS's published province figure where one exists, else the computed aggregate
    fig = province.figure(indicator, int(year))
    prov = {indicator: fig.value} if fig.value is not None else {}
    return {
        "values": wide,
        "kab": kab,
        "prov": prov,
        "prov_basis": province_basis(fig),
        "illustrative": bool(own["illustrative"].any()) if len(own) else False,
    }


def province_basis(fig: province.ProvinceFigure) -> dict[str, str]:
    """Where a province value comes from, in both languages: ``prov_basis_<lang>`` (``BPS,
    Maret 2025`` or ``dihitung``) and ``prov_help_<lang>`` (what was published and where, or
    how it was computed)."""
    out = {}
    for lang in ("id", "en"):
        out[f"prov_basis_{lang}"] = province.basis_text(fig, lang)
        out[f"prov_help_{lang}"] = province.method_text(fig, lang)
    return out


def catalogue_frame(level: str) -> pd.DataFrame:
    """The catalogue indexed by id with an ``illustrative`` column for ``level``."""
    cat = data.catalogue().set_index("id")
    cat["illustrative"] = cat["illustrative_levels"].map(lambda levels: level in levels)
    return cat


def groups_of(level: str) -> pd.Series | None:
    """Kecamatan code → kabupaten code (None at kabupaten level)."""
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
        for col, text in frames["prov_basis"].items():
            table[col] = text
        table["illustrative"] = table["illustrative"] | frames["illustrative"]
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=COMPARE_COLUMNS[:2] + ["year"] + COMPARE_COLUMNS[2:])
    return pd.concat(parts, ignore_index=True)


def long_values(level: str, chosen: Sequence[str], indicators: Sequence[str]) -> pd.DataFrame:
    """All years of the indicators for the chosen regions (``region_code, indicator, year,
    value, illustrative``)."""
    frames = []
    for indicator in indicators:
        v = data.values(level, indicator)
        v = v[v["region_code"].isin(list(chosen))].assign(indicator=indicator)
        frames.append(v)
    if not frames:
        return pd.DataFrame(columns=["region_code", "indicator", "year", "value", "illustrative"])
    return pd.concat(frames, ignore_index=True)


@versioned
def wide_latest(level: str, indicators: Sequence[str], year: int | None) -> pd.DataFrame:
    """Every region × indicator, each indicator at the year :func:`pick_year` gives."""
    columns = []
    for indicator in indicators:
        yr = pick_year(data.years(level, indicator), year)
        if yr is None:
            continue
        columns.append(indicator_frames(level, indicator, yr)["values"][indicator])
    return pd.concat(columns, axis=1) if columns else pd.DataFrame()


def scores(
    level: str, chosen: Sequence[str], indicators: Sequence[str], year: int | None
) -> pd.DataFrame:
    """Direction-aware 0–100 scores of the chosen regions among every region of the level
    (:func:`analysis.compare.normalised_scores`), each indicator at its :func:`pick_year`."""
    return normalised_scores(wide_latest(level, indicators, year), chosen, catalogue_frame(level))


def source_lines(indicators: Sequence[str], cat: pd.DataFrame) -> list[str]:
    """ "Title — licence. Citation" of each source behind the indicators, for exports."""
    try:
        src = data.sources().set_index("id")
    except DataUnavailable:
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
    candidates = None
    if within == "kabupaten" and level == "kecamatan":
        kab = groups_of(level)
        candidates = [c for c in frame.index if kab.get(c) == kab.get(code)]
    elif within == "neighbours":
        candidates = list(data.neighbours(level).get(code, []))
    result = peers_mod.peers(frame, code, n=n, candidates=candidates)
    return [str(c) for c in result.index if c != code][:n]
