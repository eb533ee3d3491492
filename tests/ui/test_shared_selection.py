"""A selection does not make Peta's map a session's own (``ui.petamap.peta_map``): the map is
built once without it and the selection's outline is laid on, giving the same figure as one
built with the selection from the start (the page's outline itself:
``test_peta_page.py::test_selected_kecamatan_is_outlined_and_summarised``)."""

from __future__ import annotations

import json

import pytest

import regions
from ui import badges, data, maps, mapview, petamap
from ui.components import plotly_map
from ui.data import maps as map_data_wing

pytestmark = pytest.mark.usefixtures("needs_data")


def choice(level: str, selected: tuple[str, ...], kab: str | None = None) -> petamap.MapChoice:
    return petamap.titled(
        petamap.MapChoice(
            level=level,
            mode="indicator",
            indicator="idm",
            year=2024,
            method="quantiles",
            k=5,
            breaks=(),
            lang="id",
            kab=kab,
            selected=selected,
        )
    )


def built_with_selection(c: petamap.MapChoice) -> dict:
    """The figure as one build with the selection, as ``peta_map`` made it before."""
    imap = petamap.map_data(c)
    decimals, direction = petamap.decimals_and_direction(c, imap)
    regions_url, outline_url, _ = petamap.geometry(c)
    fig = maps.map_figure(
        petamap.layer(c, imap, decimals, direction),
        regions_url,
        level=c.level,
        outline_url=outline_url,
        outline_codes=map_data_wing.outline_codes(c.kab) if outline_url else (),
        selected=c.selected,
        view=c.view,
        text=mapview.map_text(
            data.indicator_meta(c.indicator), c.lang, c.title, c.legend_title, c.place
        ),
        decimals=decimals,
        uirevision=c.uirevision,
    )
    badges.badge_figure(fig, bool(imap.table["illustrative"].any()), c.lang)
    return plotly_map.prepared_figure(fig)


def kecamatan_codes() -> list[str]:
    """The 666 codes, read in the test (a fresh clone has no build at collection time)."""
    return sorted(regions.kecamatan()["kode"])


@pytest.mark.parametrize(
    "level, picks",
    [
        ("kecamatan", (0,)),
        ("kecamatan", (200, 5, 600)),  # several kecamatan, the first the focus
        ("kabupaten", ()),
        ("desa", ()),
    ],
)
def test_the_selection_laid_on_gives_the_figure_built_with_it(level, picks):
    codes = kecamatan_codes()
    kab = None
    if level == "kecamatan":
        selected = tuple(codes[i] for i in picks)
    elif level == "kabupaten":
        selected = ("35.07",)
    else:  # two desa of the first kecamatan, on the map of its kabupaten
        selected, kab = tuple(regions.desa(codes[0])["kode"][:2]), codes[0][:5]
    c = choice(level, selected, kab)
    laid = petamap.peta_map(c).figure
    assert json.dumps(laid, sort_keys=True) == json.dumps(built_with_selection(c), sort_keys=True)
    names = [t.get("name") for t in laid["data"]]
    assert names.count("selected") == 1
    assert [t for t in laid["data"] if t.get("name") == "selected"][0]["locations"] == list(
        selected
    )


def test_a_new_selection_builds_no_new_map(monkeypatch):
    codes = kecamatan_codes()
    built = []
    real = maps.map_figure
    monkeypatch.setattr(maps, "map_figure", lambda *a, **k: built.append(1) or real(*a, **k))
    first = petamap.peta_map(choice("kecamatan", (codes[10],)))
    assert len(built) == 1
    for code in codes[11:20]:  # nine other kecamatan offices open the map at their own
        petamap.peta_map(choice("kecamatan", (code,)))
    assert len(built) == 1
    shared = petamap.peta_map(choice("kecamatan", ()))
    assert len(built) == 1
    assert "selected" not in [t.get("name") for t in shared.figure["data"]]
    assert len(first.figure["data"]) == len(shared.figure["data"]) + 1
