"""Search-to-select on the Peta page: the view the map zooms to when a kecamatan is chosen
(pure, no Streamlit calls). The search box's options: :func:`ui.data.maps.search_options`."""

from __future__ import annotations

from ui import maps

#: The smallest span (degrees of longitude and latitude) of a view around one kecamatan: a
#: city kecamatan of 3 km² is shown with its neighbours, not alone.
MIN_SPAN = 0.12


def focus_view(
    bounds: tuple[float, float, float, float], min_span: float = MIN_SPAN
) -> tuple[float, float, float, float]:
    """The map view around one region's ``(minx, miny, maxx, maxy)``: the region with a
    margin of half its size, at least ``min_span`` degrees wide and high, same centre.

    Examples
    --------
    >>> focus_view((112.74, -7.29, 112.77, -7.26))
    (112.695, 112.815, -7.335, -7.215)
    >>> focus_view((112.0, -8.0, 112.4, -7.8))
    (111.8, 112.6, -8.1, -7.7)
    """
    lon0, lon1, lat0, lat1 = maps.bounds_view(bounds, pad=0.5)
    cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    half_x, half_y = max(lon1 - lon0, min_span) / 2, max(lat1 - lat0, min_span) / 2
    return tuple(round(v, 6) for v in (cx - half_x, cx + half_x, cy - half_y, cy + half_y))
