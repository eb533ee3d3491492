"""Display layers: Plotly geo orientation and extent, area fidelity, size."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geo_helpers import EQUAL_AREA, polygons_of, signed_area


@pytest.fixture(scope="module", params=["kecamatan", "kabupaten"])
def display(request, geo_dir):
    level = request.param
    path = geo_dir / f"{level}_display.geojson"
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
    assert np.abs(ratio).max() <= 0.03, full.index[np.argmax(np.abs(ratio))]
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
