"""Builders for the Data & Metode page: sources, the indicator catalogue, methods, versions.

The source list is the manifest's files (:func:`ui.data.manifest_records`) grouped by
upstream source; the catalogue is joined with what the store actually holds
(:func:`ui.data.metode.available_series`) so that years and coverage are the loaded ones, not
the intended ones. Tables come out with translated headers and cells, ready to show.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from i18n.text import escape_markdown
from ui.data.compare import ordered
from ui.i18n import t

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
        "three_level",
        r"T = \underbrace{\sum_k S_k \ln\frac{\mu_k}{\mu}}_{\text{kabupaten}}"
        r" + \underbrace{\sum_k \sum_{c \in k} S_c \ln\frac{\mu_c}{\mu_k}}_{\text{kecamatan}}"
        r" + \underbrace{\sum_c S_c T_c}_{\text{desa}}",
        "Akita, T. (2003). Decomposing regional income inequality in China and Indonesia using "
        "two-stage nested Theil decomposition method. Annals of Regional Science 37, 55–77.",
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
        "idm",
        r"\mathrm{IDM}_u = \frac{1}{n_u} \sum_{d \in u} \mathrm{IDM}_d,\quad "
        r"\mathrm{IDM}_d = \tfrac{1}{3}(\mathrm{IKS}_d + \mathrm{IKE}_d + \mathrm{IKL}_d)",
        "Kementerian Desa PDTT, Indeks Desa Membangun 2024 (source 10); Peraturan Menteri Desa "
        "PDTT Nomor 2 Tahun 2016 tentang Indeks Desa Membangun.",
    ),
    (
        "distance",
        r"d_i = \min_{f \in F} \lVert x_i - x_f \rVert_2",
        "Sources 11 and 12; transverse Mercator projection on 112.5°E (PROJ), nearest facility "
        "by a k-d tree (SciPy cKDTree).",
    ),
    (
        "access",
        r"A_u = 100 \cdot \frac{\#\{i \in u : d_i \le r\}}{n_u},\quad "
        r"r = 3\ \text{km (SMP)},\ 5\ \text{km (puskesmas)}",
        "Sources 11 and 12 with the desa boundaries (source 1).",
    ),
    (
        "per10k",
        r"R_u = 10\,000 \cdot \frac{N_u}{P_u^{2010}}",
        "Sources 11 and 12; population: BPS, Sensus Penduduk 2010 (source 4).",
    ),
    (
        "illustrative",
        "",
        "See data/README.md in the repository: generated once with a fixed seed, kabupaten totals "
        "and population-weighted means equal the real kabupaten figures.",
    ),
)


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
    order = {"desa": 0, "kecamatan": 1, "kabupaten": 2, "provinsi": 3}
    out = pd.DataFrame(rows)
    if out.empty:
        return out
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


#: The real desa-level sources and the province's published figures described on the page, in
#: order: (translation key suffix ``metode.real.<key>_name`` / ``_text``, manifest source
#: number or None for the committed reference table ``data/reference/provinsi_bps.toml``).
REAL_SOURCES: tuple[tuple[str, int | None], ...] = (
    ("s10", 10),
    ("s11", 11),
    ("s12", 12),
    ("published", None),
)


def real_sources(files: list[Mapping], lang: str) -> list[tuple[str, str]]:
    """``(title, Markdown text)`` of each of :data:`REAL_SOURCES`: what it holds, its caveats
    (translated), then the licence and citation from the manifest (as recorded there).

    Examples
    --------
    >>> files = [{"source": 11, "licence": "MIT", "citation": "Kemendikbud"}]
    >>> title, text = real_sources(files, "en")[1]
    >>> "madrasah" in text, text.endswith("Licence: MIT. Citation: Kemendikbud.")
    (True, True)
    """
    by_number = {int(f.get("source", 0)): f for f in files}
    out = []
    for key, number in REAL_SOURCES:
        text = t(f"metode.real.{key}_text", lang=lang)
        record = by_number.get(number) if number is not None else None
        if record is not None:
            line = t(
                "metode.real.licence_line",
                lang=lang,
                licence=escape_markdown(record.get("licence", "")),
                citation=escape_markdown(record.get("citation", "")),
            )
            text = f"{text}\n\n{line}"
        out.append((t(f"metode.real.{key}_name", lang=lang), text))
    return out


#: Columns of the source table as shown, in order.
SOURCE_COLUMNS = ("source", "repo", "licence", "citation", "producer", "commit", "files", "notes")

#: Regions per level, for the coverage column ("666 of 666").
LEVEL_TOTALS = {"desa": 8494, "kecamatan": 666, "kabupaten": 38, "provinsi": 1}

#: Columns of the version table: column of ``store.versions()`` → header key.
VERSION_COLUMNS = {
    "dataset": "dataset",
    "number": "number",
    "created_at": "created_at",
    "created_by": "created_by",
    "source": "source",
    "checksum": "checksum",
    "n_rows": "rows",
    "n_indicators": "indicators",
    "n_illustrative": "illustrative",
    "n_active_series": "active",
    "note": "note",
}


def sources_display(files: list[Mapping], lang: str) -> pd.DataFrame:
    """:func:`source_table` as shown: the columns of :data:`SOURCE_COLUMNS`, translated."""
    table = source_table(files)
    cols = list(SOURCE_COLUMNS)
    return table[cols].rename(columns={c: t(f"metode.sources.col_{c}", lang=lang) for c in cols})


def catalogue_display(catalogue: pd.DataFrame, available: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`catalogue_table` as shown: coverage, status, level and direction in words,
    translated headers."""
    table = catalogue_table(catalogue, available, lang)
    if table.empty:
        return table
    table["n_regions"] = [
        t("metode.catalogue.coverage", lang=lang, n=n, total=LEVEL_TOTALS.get(lv, "?"))
        for n, lv in zip(table["n_regions"], table["level"], strict=True)
    ]
    table["status"] = table["status"].map(lambda s: t(f"metode.catalogue.status_{s}", lang=lang))
    table["level"] = table["level"].map(lambda lv: t(f"common.level.{lv}", lang=lang))
    table["direction"] = table["direction"].map(
        lambda d: t(f"common.direction.{'higher_worse' if d == 'lower_better' else d}", lang=lang)
    )
    headers = {
        "id": "id",
        "name": "name",
        "level": "level",
        "status": "status",
        "unit": "unit",
        "direction": "direction",
        "years": "years",
        "n_regions": "coverage",
        "sources": "sources",
    }
    return table.rename(
        columns={c: t(f"metode.catalogue.col_{k}", lang=lang) for c, k in headers.items()}
    )


def versions_display(versions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The dataset versions as shown: the columns of :data:`VERSION_COLUMNS` present,
    checksums cut to 12 characters, translated headers."""
    shown = versions[[c for c in VERSION_COLUMNS if c in versions.columns]].copy()
    if "checksum" in shown.columns:
        shown["checksum"] = shown["checksum"].astype(str).str[:12]
    return shown.rename(
        columns={c: t(f"metode.versions.col_{v}", lang=lang) for c, v in VERSION_COLUMNS.items()}
    )
