"""Builders for the Data & Metode page: sources, the indicator catalogue, methods, versions.

The source list is read from the committed manifest (``data/sources.toml``), grouped by
upstream source; the catalogue is joined with what the store actually holds
(``store.available``) so that years and coverage are the loaded ones, not the intended ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

import manifest
from ui.data import versioned

#: Methods shown on the page, in order: (key, LaTeX formula or "", reference).
#: Names and explanations are translated (``metode.method.<key>_name`` / ``_text``).
METHODS: tuple[tuple[str, str, str], ...] = (
    (
        "gini",
        r"G = \frac{\sum_i \sum_j p_i p_j \lvert y_i - y_j \rvert}{2\mu},\quad "
        r"p_i = \frac{w_i}{\sum_k w_k},\ \mu = \sum_i p_i y_i",
        "Gini, C. (1912). Variabilità e mutabilità. Bologna: Tipografia di Paolo Cuppini.",
    ),
    (
        "williamson",
        r"V_w = \frac{\sqrt{\sum_i (y_i - \mu)^2 \, p_i}}{\mu},\quad p_i = \frac{n_i}{N}",
        "Williamson, J. G. (1965). Regional inequality and the process of national development. "
        "Economic Development and Cultural Change 13(4), 1–84.",
    ),
    (
        "theil",
        r"T = \sum_i p_i \frac{y_i}{\mu} \ln\frac{y_i}{\mu},\qquad L = \sum_i p_i \ln\frac{\mu}{y_i}",
        "Theil, H. (1967). Economics and Information Theory. Amsterdam: North-Holland.",
    ),
    (
        "decomposition",
        r"T = \sum_g S_g \ln\frac{\mu_g}{\mu} + \sum_g S_g T_g,\quad "
        r"S_g = P_g \frac{\mu_g}{\mu}",
        "Shorrocks, A. F. (1980). Econometrica 48(3), 613–625; Akita, T. (2003). Annals of "
        "Regional Science 37, 55–77.",
    ),
    (
        "atkinson",
        r"A_\varepsilon = 1 - \frac{1}{\mu}\Big(\sum_i p_i y_i^{1-\varepsilon}\Big)^{1/(1-\varepsilon)},"
        r"\quad \varepsilon = 0{,}5",
        "Atkinson, A. B. (1970). On the measurement of inequality. Journal of Economic Theory 2, "
        "244–263.",
    ),
    (
        "palma",
        r"\text{Palma} = S_{\text{top } 10\%} \, / \, S_{\text{bottom } 40\%}",
        "Cobham, A. & Sumner, A. (2013). Is it all about the tails? CGD Working Paper 343.",
    ),
    (
        "bootstrap",
        "",
        "Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall; "
        "Mills, J. A. & Zandvakili, S. (1997). Journal of Applied Econometrics 12(2), 133–150.",
    ),
    (
        "sigma",
        r"\sigma_t = \mathrm{CV}_w(y_t);\quad \sigma_t = a + b\,t + e_t",
        "Sala-i-Martin, X. (1996). The classical approach to convergence analysis. Economic "
        "Journal 106, 1019–1036.",
    ),
    (
        "beta",
        r"\frac{1}{T}\ln\frac{y_{i,T}}{y_{i,0}} = \alpha + \beta \ln y_{i,0} + \varepsilon_i,\quad "
        r"\lambda = -\frac{\ln(1 + \beta T)}{T},\ t_{1/2} = \frac{\ln 2}{\lambda}",
        "Barro, R. J. & Sala-i-Martin, X. (1992). Convergence. Journal of Political Economy "
        "100(2), 223–251.",
    ),
    (
        "klassen",
        "",
        "Klassen, L. H. (1965). Area Economic and Social Redevelopment. Paris: OECD; Sjafrizal "
        "(2008). Ekonomi Regional: Teori dan Aplikasi. Padang: Baduose Media.",
    ),
    (
        "moran",
        r"I = \frac{n}{\sum_{i}\sum_{j} w_{ij}} \cdot "
        r"\frac{\sum_i \sum_j w_{ij} z_i z_j}{\sum_i z_i^2}",
        "Moran, P. A. P. (1950). Biometrika 37, 17–23; Anselin, L. (1995). Local indicators of "
        "spatial association — LISA. Geographical Analysis 27(2), 93–115. Implementation: PySAL "
        "esda and libpysal.",
    ),
    (
        "classification",
        "",
        "Jenks, G. F. (1977). Optimal data classification for choropleth maps. University of "
        "Kansas; implementation: PySAL mapclassify.",
    ),
    (
        "targeting",
        "",
        "Need × coverage tercile classes (3 × 3 bivariate map), priority = need percentile minus "
        "coverage percentile.",
    ),
    (
        "peers",
        r"d(i, j) = \sqrt{\sum_k (z_{ik} - z_{jk})^2},\quad z_{ik} = \frac{x_{ik} - \bar x_k}{s_k}",
        "Nearest neighbours on standardised indicators.",
    ),
    (
        "illustrative",
        "",
        "See data/README.md in the repository: generated once with a fixed seed, kabupaten totals "
        "and population-weighted means equal the real kabupaten figures.",
    ),
)


def read_manifest(path: Path | None = None) -> list[dict]:
    """The files of the sources manifest as dicts (each with its source's origin record).

    Parameters
    ----------
    path : Path, optional
        Default ``settings.MANIFEST`` (``data/sources.toml``).
    """
    return [dataclasses.asdict(f) for f in manifest.load_manifest(path).values()]


def source_table(files: list[Mapping]) -> pd.DataFrame:
    """One row per upstream source (files grouped by their ``source`` number).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``repo``, ``commit``, ``producer``, ``licence``, ``citation``,
        ``n_files``, ``files`` (paths, comma-separated) and ``notes`` (of the first data file).
    """
    rows: dict[int, dict] = {}
    for f in files:
        number = int(f.get("source", 0))
        row = rows.setdefault(
            number,
            {
                "source": number,
                "repo": f.get("repo", ""),
                "commit": str(f.get("commit", ""))[:12],
                "producer": f.get("producer", ""),
                "licence": f.get("licence", ""),
                "citation": f.get("citation", ""),
                "n_files": 0,
                "files": [],
                "notes": "",
            },
        )
        row["n_files"] += 1
        row["files"].append(f.get("path", ""))
        if not row["notes"] and not str(f.get("id", "")).endswith("_licence"):
            row["notes"] = f.get("notes", "")
    out = pd.DataFrame(sorted(rows.values(), key=lambda r: r["source"]))
    if not out.empty:
        out["files"] = out["files"].map(_short_files)
    return out


def _short_files(paths: list[str]) -> str:
    if len(paths) <= 3:
        return ", ".join(paths)
    return ", ".join(paths[:2]) + f", … (+{len(paths) - 2})"


def catalogue_table(catalogue: pd.DataFrame, available: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The indicator catalogue with what is loaded: years and coverage per level.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        ``store.catalogue()`` (indexed by id, or with an ``id`` column).
    available : pandas.DataFrame
        ``store.available()``: ``indicator``, ``level``, ``years``, ``n_regions``,
        ``illustrative``, ``all_illustrative``.
    lang : str
        ``"id"`` or ``"en"`` (which name column to show).

    Returns
    -------
    pandas.DataFrame
        One row per indicator × level with values: ``id``, ``name``, ``level``, ``status``
        (``real``, ``illustrative`` or ``mixed``), ``unit``, ``direction``, ``years`` (e.g.
        ``2010–2024 (15)``), ``n_regions``, ``sources``.
    """
    cat = catalogue if "id" not in catalogue.columns else catalogue.set_index("id")
    rows = []
    for r in available.itertuples(index=False):
        if r.indicator not in cat.index:
            continue
        meta = cat.loc[r.indicator]
        years = sorted(int(y) for y in (r.years or ()))
        if getattr(r, "all_illustrative", False):
            status = "illustrative"
        elif getattr(r, "illustrative", False):
            status = "mixed"
        else:
            status = "real"
        rows.append(
            {
                "id": r.indicator,
                "name": meta["name_en"] if lang == "en" else meta["name_id"],
                "level": r.level,
                "status": status,
                "unit": meta.get("unit", ""),
                "direction": meta.get("direction", ""),
                "years": year_span(years),
                "n_regions": int(r.n_regions),
                "sources": ", ".join(_as_list(meta.get("sources"))),
            }
        )
    order = {"kecamatan": 0, "kabupaten": 1, "provinsi": 2}
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    from ui.compare import ordered

    ids = ordered(list(cat.index), cat)
    out["_i"] = out["id"].map(ids.index)
    out["_l"] = out["level"].map(order).fillna(9)
    return out.sort_values(["_i", "_l"]).drop(columns=["_i", "_l"]).reset_index(drop=True)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    try:
        return [str(v) for v in value]
    except TypeError:
        return []


def year_span(years: list[int]) -> str:
    """Compact description of a set of years.

    Examples
    --------
    >>> year_span([2010, 2011, 2012]), year_span([2010, 2024]), year_span([])
    ('2010–2012 (3)', '2010, 2024', '')
    """
    if not years:
        return ""
    if len(years) > 2 and years[-1] - years[0] + 1 == len(years):
        return f"{years[0]}–{years[-1]} ({len(years)})"
    if len(years) <= 4:
        return ", ".join(str(y) for y in years)
    return f"{years[0]}–{years[-1]} ({len(years)})"


@versioned
def cached_manifest() -> list[dict]:
    """:func:`read_manifest`, cached."""
    return read_manifest()


@versioned
def cached_available() -> pd.DataFrame:
    """``store.available()`` (what is loaded); cached until a dataset version changes."""
    return _from_store("available")


@versioned
def cached_versions() -> pd.DataFrame:
    """``store.versions()`` (every version, newest first); cached until a version changes."""
    return _from_store("versions")


def _from_store(name: str) -> pd.DataFrame:
    """Call ``store.<name>()``; a missing or unreadable store becomes ``DataUnavailable``."""
    from ui.data import DataUnavailable

    try:
        import store

        return getattr(store, name)()
    except Exception as exc:  # the store's own errors, a missing database file ...
        raise DataUnavailable(f"store.{name}: {type(exc).__name__}: {exc}") from exc
