"""What a validation is asked for and what it gives back: options, indicator specs, results.

Also the one rule by which column headers are compared with the catalogue's ids and aliases
(:func:`normalise_header`, the store's :func:`store.definitions.normalise_alias`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ingest.limits import Limits
from ingest.report import Report
from store.definitions import normalise_alias

#: Columns of :attr:`Result.values`.
VALUE_COLUMNS = ["region_code", "indicator", "source_column", "year", "value", "known", "note", "row", "line"]


def normalise_header(name: object) -> str:
    """Column names as compared with aliases (the store's rule: ``Jumlah Penduduk`` → ``jumlah_penduduk``).

    Examples
    --------
    >>> normalise_header(" Jumlah Penduduk "), normalise_header(None)
    ('jumlah_penduduk', '')
    """
    return normalise_alias("" if name is None else str(name))


@dataclass(frozen=True)
class IndicatorSpec:
    """What a value column must hold: catalogue id (or proposed id), kind and bounds."""

    id: str
    kind: str = "other"
    valid_min: float | None = None
    valid_max: float | None = None
    known: bool = True
    name: str = ""


@dataclass
class Options:
    """Choices of the analyst (page) or of the command line.

    Attributes
    ----------
    year : int, optional
        Year of a wide file without a year column (``--year``).
    sheet : str or int, optional
        Worksheet of an XLSX (name or 0-based index); default the first visible one.
    locale : {"auto", "id", "en"}
        Number format; ``auto`` decides from the file (see :mod:`ingest.numbers`).
    mapping : dict, optional
        Column header → indicator id, overriding the catalogue's aliases; a header mapped to
        None or ``""`` is ignored.
    new_indicators : dict, optional
        Indicator id → :class:`IndicatorSpec` of indicators the analyst creates with this upload.
    limits : Limits
    """

    year: int | None = None
    sheet: str | int | None = None
    locale: str = "auto"
    mapping: dict[str, str | None] | None = None
    new_indicators: dict[str, IndicatorSpec] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)


@dataclass
class Column:
    """How one column of the file is used."""

    index: int
    header: str
    role: str  # code | name | kab | indicator | year | value | unit | note | rownum | values | ignored
    spec: IndicatorSpec | None = None
    year: int | None = None


def empty_values() -> pd.DataFrame:
    """A values frame without rows (the values of a rejected file)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in VALUE_COLUMNS})


@dataclass
class Result:
    """The outcome of validating one file.

    Attributes
    ----------
    report : Report
    values : DataFrame
        ``region_code``, ``indicator``, ``source_column``, ``year``, ``value``, ``known``
        (catalogue indicator or not), ``note``, ``row``, ``line`` — every validated value
        (empty when the file is rejected).
    columns : list of Column
    meta : dict
        ``kind``, ``encoding``, ``delimiter``, ``sheet``, ``sheets``, ``shape``, ``sha256``,
        ``size``, ``locale``.
    """

    report: Report
    values: pd.DataFrame
    columns: list[Column] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.report.accepted

    def store_frame(self) -> pd.DataFrame:
        """The values of catalogue indicators in the form :func:`store.commit` takes."""
        v = self.values[self.values["known"]]
        out = v[["region_code", "indicator", "year", "value", "note"]].copy()
        out.insert(1, "level", "kecamatan")
        out["illustrative"] = False
        return out.reset_index(drop=True)


def catalogue_specs(catalogue: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, IndicatorSpec]]:
    """Aliases (normalised) → id, and id → spec, from ``store.catalogue()``.

    Indicators that are not kept at kecamatan level are left out.
    """
    aliases: dict[str, str] = {}
    specs: dict[str, IndicatorSpec] = {}
    if catalogue is None or len(catalogue) == 0:
        return aliases, specs
    for ind, row in catalogue.iterrows():
        levels = row.get("levels") or ()
        if levels and "kecamatan" not in levels:
            continue
        specs[ind] = _spec_of(str(ind), row)
        aliases[normalise_header(ind)] = str(ind)
        for alias in row.get("aliases") or ():
            aliases.setdefault(normalise_header(alias), str(ind))
    return aliases, specs


def _spec_of(ind: str, row: pd.Series) -> IndicatorSpec:
    lo = row.get("valid_min")
    hi = row.get("valid_max")
    return IndicatorSpec(
        id=ind, kind=str(row.get("kind") or "other"),
        valid_min=None if lo is None or pd.isna(lo) else float(lo),
        valid_max=None if hi is None or pd.isna(hi) else float(hi),
        known=True, name=str(row.get("name_id") or ind),
    )
