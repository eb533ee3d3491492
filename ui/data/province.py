"""The province (Jawa Timur as a whole): BPS's own published figures first, computed aggregates
labelled as such.

The only way ``ui`` reaches :mod:`published` (the project's cited copy of the figures BPS,
Dukcapil and BIG published for the province, ``data/reference/provinsi_bps.toml``). Every page
that shows the province asks :func:`figure` and shows what it says: a **published** figure
with its period and source, or a **computed** aggregate of the 38 kabupaten/kota from the store
(a sum or a population-weighted mean), labelled "dihitung"/"computed" with its method, never as
BPS's.

Public names
------------
- :class:`ProvinceFigure` — one province value with its kind, period, source or method.
- :func:`figure` — the province's figure of an indicator in a year.
- :func:`published_growth` — BPS's published GRDP growth of the province by year (Klassen).
- :func:`period_text`, :func:`basis_text` — "Maret 2025", "BPS, Maret 2025" / "dihitung".
- :data:`PUBLISHED_AS` — catalogue id → (published id, factor to the catalogue's unit).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import published
from i18n import translate

from . import base as data

#: Catalogue id → (indicator id of the reference table, factor from its unit to the
#: catalogue's). Only series that measure the same thing in the same way are listed:
#: ``pdrb_per_kapita_adhb`` (current prices) is not the catalogue's constant-price series.
PUBLISHED_AS: dict[str, tuple[str, float]] = {
    "persentase_penduduk_miskin": ("persentase_penduduk_miskin", 1.0),
    "pertumbuhan_ekonomi": ("pertumbuhan_ekonomi", 1.0),
    "pdrb_adhk": ("pdrb_adhk", 1000.0),  # trillion → billion (miliar) rupiah
    "penduduk": ("penduduk", 1.0),
    "ipm": ("ipm", 1.0),
    "luas_wilayah": ("luas_km2", 1.0),
}

#: How the store's province value of an indicator was computed from the 38 kabupaten/kota
#: (``pipeline.indicators.PROVINCE_RULE`` and ``_derived``): the method's i18n key suffix.
COMPUTED_METHOD = {
    "pertumbuhan_ekonomi": "growth_of_sum",
    "pdrb_per_kapita": "per_capita",
    "kepadatan_penduduk": "density",
}


def _method(indicator: str, kind: str | None) -> str:
    if indicator in COMPUTED_METHOD:
        return COMPUTED_METHOD[indicator]
    if indicator == "pdrb_adhk" or kind == "count":
        return "sum"
    return "weighted_mean"


@dataclass(frozen=True)
class ProvinceFigure:
    """The province's value of one indicator in one year.

    ``kind`` is ``published`` (a figure BPS/Dukcapil/BIG published: ``month`` for a survey
    or register month, ``what`` says what exactly, ``source`` the page that reported it),
    ``computed`` (the store's aggregate of the 38 kabupaten/kota: ``method`` names how;
    ``illustrative`` when computed from generated values) or ``none`` (no value).
    """

    indicator: str
    year: int
    value: float | None
    kind: str
    month: int | None = None
    what: str = ""
    source: str = ""
    method: str = ""
    illustrative: bool = False

    @property
    def published(self) -> bool:
        """Whether this is a published figure (not computed here)."""
        return self.kind == "published"


def _published(indicator: str, year: int) -> ProvinceFigure | None:
    if indicator not in PUBLISHED_AS:
        return None
    ref_id, factor = PUBLISHED_AS[indicator]
    row = published.figure(ref_id, int(year))
    if row is None:
        return None
    month = row.get("month")
    month = None if month is None or pd.isna(month) else int(month)
    return ProvinceFigure(
        indicator, int(year), float(row["value"]) * factor, "published", month=month,
        what=str(row["what"]), source=str(row["source"]),
    )


def figure(indicator: str, year: int | None) -> ProvinceFigure:
    """The province's figure of ``indicator`` in ``year``: published when the reference table
    has it (annual, or the March survey), else the store's computed aggregate, else none.

    Examples
    --------
    >>> figure("persentase_penduduk_miskin", 2025).value
    9.5
    >>> figure("persentase_penduduk_miskin", 2025).month
    3
    >>> round(figure("pdrb_adhk", 2019).value)  # trillion rupiah, shown in billions
    1650140
    """
    if year is None:
        return ProvinceFigure(indicator, 0, None, "none")
    found = _published(indicator, int(year))
    if found is not None:
        return found
    try:
        frame = data.values("provinsi", indicator, int(year))
        kind = data.indicator_meta(indicator).get("kind")
    except KeyError:
        return ProvinceFigure(indicator, int(year), None, "none")
    if frame.empty:
        return ProvinceFigure(indicator, int(year), None, "none")
    return ProvinceFigure(
        indicator, int(year), float(frame["value"].iloc[0]), "computed",
        method=_method(indicator, kind), illustrative=bool(frame["illustrative"].any()),
    )


def published_growth() -> pd.Series:
    """BPS's published GRDP growth of the province (%), indexed by year (annual figures).

    Examples
    --------
    >>> float(published_growth()[2024])
    4.93
    """
    f = published.figures()
    rows = f[(f["indicator"] == "pertumbuhan_ekonomi") & f["month"].isna()]
    return rows.set_index("year")["value"].astype(float).sort_index()


def published_growth_note(year: int) -> str:
    """What the published growth of ``year`` is (price base, release), '' when none."""
    row = published.figure("pertumbuhan_ekonomi", int(year))
    return "" if row is None else str(row["what"])


def reference_table() -> pd.DataFrame:
    """Every published figure of the reference table (``published.read``), for tests and the
    Data & Metode page."""
    return published.figures().copy()


# --------------------------------------------------------------------------- labels


def period_text(fig: ProvinceFigure, lang: str) -> str:
    """The period of a figure: ``Maret 2025`` / ``March 2025``, or the year.

    Examples
    --------
    >>> period_text(figure("persentase_penduduk_miskin", 2025), "id")
    'Maret 2025'
    >>> period_text(figure("persentase_penduduk_miskin", 2025), "en")
    'March 2025'
    """
    if fig.month:
        return f"{translate(f'common.month.m{fig.month}', lang)} {fig.year}"
    return str(fig.year)


def basis_text(fig: ProvinceFigure, lang: str) -> str:
    """Short label of where a province value comes from: ``BPS, Maret 2025`` (the publisher
    of a published figure and its period) or ``dihitung`` / ``computed``; '' for none.

    Examples
    --------
    >>> basis_text(figure("persentase_penduduk_miskin", 2025), "id")
    'BPS, Maret 2025'
    """
    if fig.kind == "published":
        return translate(
            "common.province.published", lang, publisher=publisher(fig), period=period_text(fig, lang)
        )
    if fig.kind == "computed":
        return translate("common.province.computed", lang)
    return ""


def publisher(fig: ProvinceFigure) -> str:
    """Who published a figure (the first words of ``what``: ``BPS``, ``Ditjen Dukcapil``,
    ``BIG``)."""
    head = fig.what.split(",")[0].strip()
    return "BPS" if head.startswith("BPS") else head


def method_text(fig: ProvinceFigure, lang: str) -> str:
    """The help text of a province value: what was published and where, or how it was
    computed (never both)."""
    if fig.kind == "published":
        return translate("common.province.published_help", lang, what=fig.what, source=fig.source)
    if fig.kind == "computed":
        text = translate(f"common.province.method.{fig.method}", lang)
        if fig.illustrative:
            text += " " + translate("common.province.from_illustrative", lang)
        return text
    return ""
