"""The state of validating one file, handed from stage to stage.

The stages (:mod:`ingest.layout` → :mod:`ingest.columns` → :mod:`ingest.resolve` →
:mod:`ingest.values` → :mod:`ingest.shapes` → :mod:`ingest.checks`) each read what the
earlier ones found here and add their own findings; every problem goes to ``report``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ingest import numbers as num
from ingest.keys import Gazetteer
from ingest.report import Report
from ingest.specs import Column, IndicatorSpec, Options, Result, catalogue_specs
from ingest.table import RawTable

#: A data record: (row number counted after the header, physical line, cells).
Record = tuple[int, int, list]


@dataclass
class Validation:
    """One file being validated.

    Attributes
    ----------
    table, report, options, gaz, result
        The raw table, the report being written, the analyst's options, the gazetteer and
        the result being built.
    aliases, specs : dict
        Normalised alias → indicator id, and id → :class:`IndicatorSpec` (catalogue and the
        analyst's new indicators).
    header_line : int
        Physical line of the header.
    data : list of Record
        The data records (blank, numbering and footnote rows left out).
    columns : list of Column
        The role of each column.
    subtotal_rows : set of int
        Rows of kabupaten, province or total lines (never stored).
    classes : dict
        Column index → number class of each data cell (:func:`ingest.numbers.classify_many`).
    wide_duplicates_done : bool
        Duplicate regions of a wide file were already reported from the keys.
    mixed_minority : str or None
        The number format of the cells already reported as ``mixed_number_format`` (the file
        is read in the other one; those cells are not reported a second time).
    """

    table: RawTable
    report: Report
    options: Options
    gaz: Gazetteer
    result: Result
    aliases: dict[str, str] = field(default_factory=dict)
    specs: dict[str, IndicatorSpec] = field(default_factory=dict)
    header_line: int | None = None
    data: list[Record] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    subtotal_rows: set[int] = field(default_factory=set)
    classes: dict[int, list] = field(default_factory=dict)
    wide_duplicates_done: bool = False
    mixed_minority: str | None = None
    cls_cache: dict[str, str] = field(default_factory=dict)

    @classmethod
    def start(cls, table: RawTable, report: Report, options: Options,
              catalogue: pd.DataFrame | None, gaz: Gazetteer, result: Result) -> Validation:
        """The state before the first stage: catalogue specs and the analyst's new indicators."""
        aliases, specs = catalogue_specs(catalogue)
        specs.update(options.new_indicators)
        return cls(table, report, options, gaz, result, aliases, specs)

    def with_role(self, *roles: str) -> list[Column]:
        """The columns of the given roles, in file order."""
        return [c for c in self.columns if c.role in roles]

    def number_class(self, text: str) -> str:
        """:func:`ingest.numbers.classify` of a cell text (trimmed, ``%`` dropped), memoised."""
        cls = self.cls_cache.get(text)
        if cls is None:
            norm = num.normalise_cell(text)
            if norm.endswith("%"):
                norm = norm[:-1].rstrip()
            cls = num.classify(norm)
            if len(self.cls_cache) < 100_000:
                self.cls_cache[text] = cls
        return cls
