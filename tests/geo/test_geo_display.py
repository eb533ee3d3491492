"""Display and overview layers: Plotly geo orientation and extent, area fidelity, size."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geo_helpers import EQUAL_AREA, polygons_of, signed_area

#: Metres per pixel of a province-wide map: ~3.9° of latitude (Masalembu to the south coast,
#: Mercator) fill its ~600 px height.
PROVINCE_PIXEL_M = 700


@pytest.fixture(
    scope="module",
    params=[(lvl, kind) for kind in ("display", "overview") for lvl in ("kecamatan", "kabupaten")],
    ids=lambda p: "-".join(p),
)
def display(request, geo_dir):
    level, kind = request.param
    path = geo_dir / f"{level}_{kind}.geojson"
    return level, path, json.loads(path.read_text(encoding="utf-8"))


def test_features_carry_id_and_properties(display, layers):
    level, _, gj = display
    ids = [f["id"] for f in gj["features"]]
    assert ids == [f["properties"]["kode"] for f in gj["features"]]
    assert sorted(ids) == sorted(layers[level]["kode"])
    for f in gj["features"]:
        assert set(f["properties"]) == {"kode", "nama", "kab_nama"}


def test_plotly_choropleth_rings_clockwise_and_inside_east_java(display):
    import plotly.graph_objects as go

    level, _, gj = display
    ids = [f["id"] for f in gj["features"]]
    fig = go.Figure(
        go.Choropleth(geojson=gj, locations=ids, z=np.arange(len(ids)), featureidkey="id")
    )
    data = fig.to_plotly_json()["data"][0]
    assert list(data["locations"]) == ids
    xs, ys = [], []
    for feature in data["geojson"]["features"]:
        for polygon in polygons_of(feature["geometry"]):
            exterior, *holes = polygon
            assert signed_area(exterior) < 0, feature["id"]  # clockwise
            for hole in holes:
                assert signed_area(hole) > 0, feature["id"]
            for ring in polygon:
                xy = np.asarray(ring)
                assert (xy[0] == xy[-1]).all()
                xs.append(xy[:, 0])
                ys.append(xy[:, 1])
    x, y = np.concatenate(xs), np.concatenate(ys)
    assert 110.8 <= x.min() and x.max() <= 116.3
    assert -8.8 <= y.min() and y.max() <= -5.0


def test_coordinates_are_rounded(display):
    _, path, _ = display
    text = path.read_text()
    decimals = [len(m) for m in re.findall(r"\d+\.(\d+)", text)]
    assert len(decimals) > 10000 and max(decimals) <= 4


def test_display_area_close_to_full(display, layers):
    level, path, _ = display
    disp = gpd.read_file(path).set_index("kode").to_crs(EQUAL_AREA)
    full = layers[level].set_index("kode").to_crs(EQUAL_AREA)
    a_disp = shapely.area(disp.geometry.reindex(full.index).values)
    a_full = shapely.area(full.geometry.values)
    ratio = a_disp / a_full - 1
    limit = 0.05 if path.stem.endswith("_overview") else 0.03
    assert np.abs(ratio).max() <= limit, full.index[np.argmax(np.abs(ratio))]
    assert shapely.is_valid(disp.geometry.values).all()


def test_display_layer_is_a_coverage_and_small(display, layers):
    level, path, _ = display
    geoms = gpd.read_file(path).geometry.values
    # neighbours still meet: no overlap larger than 0.01 km² after simplification
    proj = gpd.GeoSeries(geoms, crs=4326).to_crs(EQUAL_AREA).values
    left, right = shapely.STRtree(proj).query(proj, predicate="intersects")
    keep = left < right
    assert (
        shapely.area(shapely.intersection(proj[left[keep]], proj[right[keep]])) / 1e6
    ).max() <= 0.01
    n_full = shapely.get_num_coordinates(layers[level].geometry.values).sum()
    n_disp = shapely.get_num_coordinates(geoms).sum()
    assert n_disp < 0.3 * n_full
    assert path.stat().st_size < 3_000_000


@pytest.mark.parametrize(
    "level, median_px, p90_px",
    # kabupaten/kota outlines are drawn as thick lines; their coasts wander more
    [("kecamatan", 0.6, 1.0), ("kabupaten", 1.0, 1.5)],
)
def test_overview_has_half_the_vertices_within_a_pixel_of_a_province_map(
    level, median_px, p90_px, geo_dir, layers
):
    """The overview layer (a map of the whole province) is the display layer's regions with
    at most 60 % of its vertices, drawn within about a pixel of the full geometry there
    (Hausdorff distance of each region)."""
    full = layers[level].set_index("kode")
    read = {
        kind: gpd.read_file(geo_dir / f"{level}_{kind}.geojson").set_index("kode")
        for kind in ("display", "overview")
    }
    assert sorted(read["overview"].index) == sorted(read["display"].index) == sorted(full.index)
    n = {kind: shapely.get_num_coordinates(g.geometry.values).sum() for kind, g in read.items()}
    assert n["overview"] <= 0.6 * n["display"]
    over = read["overview"].geometry.reindex(full.index).to_crs(EQUAL_AREA).values
    exact = full.geometry.to_crs(EQUAL_AREA).values
    px = shapely.hausdorff_distance(over, exact) / PROVINCE_PIXEL_M
    assert np.median(px) <= median_px and np.quantile(px, 0.9) <= p90_px, (
        np.median(px),
        np.quantile(px, 0.9),
    )
