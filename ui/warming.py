"""What a change of indicator will ask for, built ahead while the server is idle.

A change to an indicator that no session has shown yet used to cost the server its whole
build inside the user's rerun: ~50 ms of CPU on Peta, 0.24-0.32 s on Beranda (bootstrap
intervals, decomposition, the small map). After a run of either page, each function here
submits (:func:`ui.data.warm`: one item at a time, only while no script runs, once per data
stamp) the work a change from the view shown to each other indicator the sidebar offers
will ask for, so that change finds its results in the shared caches.

The calls mirror the pages' own (``pages/peta.py``, ``pages/beranda.py``): a call that drifts
from the page's arguments only warms an entry nobody reads, and
``tests/browser/test_warm_changes_browser.py`` fails when a change still computes anything.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from ui import data, disparity, overview, petamap
from ui.data import disparity as data_disparity
from ui.data import maps as map_data
from ui.data import province


def _peta_change(choice: petamap.MapChoice, indicator: str, mode: str) -> None:
    changed = petamap.changed_indicator(choice, indicator, mode)
    if changed is not None:
        petamap.peta_map(changed)
        data.real_years(changed.level, indicator)  # the sidebar's year picker
        map_data.source_lines([indicator])  # the downloads' sources


def peta(choice: petamap.MapChoice, mode: str) -> None:
    """After a run of Peta in ``mode`` (the user's; ``choice`` is the map drawn, the indicator
    map where LISA was undefined): the map of every other indicator, as a change from
    ``choice`` asks for it (:func:`ui.petamap.changed_indicator`). The indicator and LISA
    modes (a LISA map costs its permutations, ~0.1-0.15 s); a need × coverage map does not
    change with the sidebar's indicator."""
    if mode not in ("indicator", "lisa"):
        return
    # a selection is laid on the shared map (petamap.peta_map): the warm-up builds without it
    choice = replace(choice, selected=())
    for indicator in data.indicators_for(choice.level):
        if indicator != choice.indicator:
            key = ("peta", mode, replace(choice, indicator=indicator, title=""))
            data.warm(key, functools.partial(_peta_change, choice, indicator, mode))


def _beranda_change(level: str, indicator: str, year: int, lang: str) -> None:
    year = data.year_for(level, indicator, year)
    if year is None:
        return
    meta = data.indicator_meta(indicator)
    data.real_years(level, indicator)
    frame = map_data.map_frame(level, indicator, year)
    previous = overview.previous_year(data.years(level, indicator), year)
    province.figure(indicator, year)
    province.figure(indicator, previous)
    weighted = overview.weighted_kind(meta)
    if not disparity.inequality_undefined(frame["value"]):
        data_disparity.indices(level, indicator, year, weighted)
        data_disparity.inputs(level, indicator, year, weighted)
        pop_year = data_disparity.population_year(level, year) if weighted else None
        data_disparity.population_basis(level, pop_year)
        if weighted:
            data_disparity.weights_illustrative(level, year)
        if level == "kecamatan":
            data_disparity.decomposition(level, indicator, year, weighted, "kab_kode", "T")
    petamap.small_map(level, indicator, year, lang)
    if previous is not None:
        map_data.map_frame(level, indicator, previous)


def beranda(level: str, indicator: str, year: int, lang: str) -> None:
    """After a run of Beranda: its figures, tables and small map for every other indicator,
    in the year the sidebar will show (:func:`ui.data.year_for`)."""
    for other in data.indicators_for(level):
        if other != indicator:
            key = ("beranda", level, other, year, lang)
            data.warm(key, functools.partial(_beranda_change, level, other, year, lang))
