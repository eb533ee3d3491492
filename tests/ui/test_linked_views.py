"""Linked views of Ketimpangan (issue 13, GeoDa-style brushing): the pure builders of
:mod:`ui.linked` (selected codes → outlined regions and marked points), the brush in the URL,
the selection tools in the chart config, and the page through AppTest (a link with
``brush=`` outlines those regions on the map and marks them in the scatter)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from apptest_helpers import assert_clean, make_app

import regions
from ui import disparity, linked, state
from ui.components import chart
from ui.i18n import t

CODES = [f"35.78.{i:02d}" for i in range(1, 11)]
GEOJSON = {"type": "FeatureCollection", "features": []}


def klassen_frame() -> pd.DataFrame:
    quadrants = [1, 2, 3, 4, 1, 2, 3, 4, 4, 3]
    return pd.DataFrame(
        {
            "level": [float(10 + i) for i in range(10)],
            "growth": [float(i % 4) for i in range(10)],
            "quadrant": quadrants,
            "nama": [f"KEC {i}" for i in range(10)],
            "kab_nama": ["KOTA SURABAYA"] * 10,
        },
        index=CODES,
    )


def charts(selected):
    kl = {"frame": klassen_frame(), "level_ref": 14.0, "growth_ref": 1.5}
    scatter, qmap = disparity.klassen_charts(kl, "kecamatan", 2020, 2024, GEOJSON, "en")
    return linked.highlight_scatter(scatter, selected), linked.highlight_map(qmap, selected, GEOJSON)


def point_styles(fig) -> dict[str, tuple]:
    """Code → (size, outline width, opacity) of every scatter marker that carries a code
    (the opacity Plotly gives it: the selection styles when the trace has selected points)."""
    out = {}
    for tr in fig.data:
        if tr.type != "scatter" or tr.customdata is None:
            continue
        for i, custom in enumerate(tr.customdata):
            if tr.selectedpoints is None:
                opacity = 1.0
            elif i in tr.selectedpoints:
                opacity = tr.selected.marker.opacity
            else:
                opacity = tr.unselected.marker.opacity
            out[custom[0]] = (tr.marker.size[i], tr.marker.line.width[i], opacity)
    return out


@pytest.mark.parametrize("selected", [["35.78.03", "35.78.07", "35.78.10"], ["35.78.01"]])
def test_selected_codes_are_outlined_on_the_map_and_marked_in_the_scatter(selected):
    scatter, qmap = charts(selected)
    styles = point_styles(scatter)
    assert set(styles) == set(CODES)  # every point carries its code
    for code, (size, width, opacity) in styles.items():
        if code in selected:  # larger and outlined: colour is not the only cue
            assert (size, width, opacity) == (
                linked.SELECTED_SIZE, linked.SELECTED_LINE, 1.0
            )
        else:
            assert size < linked.SELECTED_SIZE and width < linked.SELECTED_LINE
            assert opacity < 1.0
    outline = [tr for tr in qmap.data if tr.name == "selected"]
    assert len(outline) == 1 and sorted(outline[0].locations) == sorted(selected)
    assert outline[0].marker.line.width >= 1.5
    # every other region is dimmed: Plotly's selection styles, per coloured trace
    for tr in qmap.data:
        if tr.name == "selected":
            continue
        kept = {tr.locations[i] for i in tr.selectedpoints}
        assert kept == set(tr.locations) & set(selected)
        assert tr.unselected.marker.opacity < 1.0


def test_no_selection_leaves_the_charts_plain():
    scatter, qmap = charts([])
    assert {s for s in point_styles(scatter).values()} == {
        (linked.POINT_SIZE, linked.POINT_LINE, 1.0)
    }
    assert [tr.name for tr in qmap.data if tr.name == "selected"] == []
    assert all(tr.selectedpoints is None for tr in qmap.data)
    assert scatter.layout.dragmode == "select"  # a drag draws a selection box


def test_streamlit_selection_points_give_codes():
    """Points as ``st.plotly_chart(on_select=...)`` reports them: a scatter point with its
    ``customdata``, a map region with its ``location``; kabupaten outlines are ignored."""
    selection = {
        "points": [
            {"curve_number": 0, "point_index": 3, "x": 1.0, "y": 2.0, "customdata": ["35.78.04"]},
            {"curve_number": 1, "point_index": 0, "location": "35.78.09", "z": 2,
             "customdata": ["Kenjeran", "Kota Surabaya", 0.81, 3, 31]},  # a map's hover row
            {"curve_number": 5, "point_index": 0, "location": "35.78", "z": 0},
        ],
        "point_indices": [3, 0],
        "box": [],
        "lasso": [],
    }
    assert linked.codes_from_selection(selection, CODES) == ["35.78.04", "35.78.09"]
    assert linked.codes_from_selection({"points": []}, CODES) == []


def test_brush_travels_in_the_url_and_drops_bad_codes():
    raw = "35.78.09,35.78,3578080,<script>,35.78.09,35.01.01"
    assert state.parse_param(state.BRUSHED, raw) == ["35.78.09", "35.78", "35.01.01"]
    assert state.parse_param(state.BRUSHED, "") is None
    codes = ["35.78.09", "35.78.08"]
    assert state.parse_param(state.BRUSHED, state.format_param(state.BRUSHED, codes)) == codes


def test_selection_tools_only_on_linked_charts_and_never_the_cloud():
    plain = chart.figure_config("id")["modeBarButtonsToRemove"]
    linked_config = chart.figure_config("id", selectable=True)["modeBarButtonsToRemove"]
    assert {"lasso2d", "select2d"} <= set(plain)
    assert not {"lasso2d", "select2d"} & set(linked_config)
    for removed in (plain, linked_config):
        assert {"sendDataToCloud", "sendChartToCloud", "editInChartStudio"} <= set(removed)


# --------------------------------------------------------------------------- the page


def _open(section: str, query: dict):
    at = make_app({"ind": "pdrb_per_kapita", **query}, "en")
    at.run()
    at.switch_page("pages/ketimpangan.py")
    at.run()
    at.segmented_control(key="ketimpangan_section").set_value(section).run()
    return at


def _figures(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _outlined(fig) -> list[str]:
    return [c for tr in fig["data"] if tr.get("name") == "selected" for c in tr["locations"]]


def _marked(fig) -> set[str]:
    return {
        tr["customdata"][i][0]
        for tr in fig["data"]
        if tr.get("type") == "scatter" and tr.get("customdata")
        for i, size in enumerate(tr["marker"]["size"])
        if size == linked.SELECTED_SIZE
    }


def _kec(kab_nama: str, nama: str) -> str:
    kec = regions.kecamatan()
    return kec.loc[(kec["kab_nama"] == kab_nama) & (kec["nama"] == nama), "kode"].iloc[0]


@pytest.mark.parametrize("section", ["klassen", "moran"])
def test_a_brush_link_outlines_those_regions_on_the_map(needs_data, section):
    codes = [_kec("Kota Surabaya", "Gubeng"), _kec("Kota Surabaya", "Sukolilo"),
             _kec("Kabupaten Sumenep", "Sapeken")]
    at = _open(section, {"level": "kecamatan", "brush": ",".join(codes)})
    assert_clean(at)
    figs = _figures(at)
    region_map = next(f for f in figs if any(tr.get("type") == "choropleth" for tr in f["data"]))
    scatter = next(f for f in figs if any(tr.get("customdata") for tr in f["data"]))
    assert sorted(_outlined(region_map)) == sorted(codes)
    assert _marked(scatter) == set(codes)
    captions = " ".join(c.value for c in at.caption)
    assert t("disparity.linked.selected", lang="en", n=3, names="").strip() in captions
    assert "Gubeng" in captions and "Sapeken" in captions


def test_a_brush_of_the_other_level_is_ignored(needs_data):
    at = _open("klassen", {"level": "kabupaten", "brush": "35.78.09,35.78.08"})
    assert_clean(at)
    for fig in _figures(at):
        assert _outlined(fig) == []
        assert all(tr.get("selectedpoints") is None for tr in fig["data"])
