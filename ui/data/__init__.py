"""The data wing of the dashboard: the only part of ``ui`` that imports ``store``,
``regions`` and ``analysis``.

Everything here is cached with one policy (:mod:`ui.data.cache`: ``st.cache_data`` keyed by
the data stamp and the arguments, shared by every session, no time-to-live). Pages call these
functions for frames and results, then hand them to the pure builders of ``ui``.

- :mod:`ui.data.cache` — the policy (:func:`versioned`, :func:`stamp`, :class:`DataUnavailable`);
- :mod:`ui.data.base` — catalogue, values, regions, geometry, sources (re-exported here);
- one module per page that needs more: :mod:`ui.data.maps` (Peta, Beranda),
  :mod:`ui.data.compare` (Bandingkan, Profil), :mod:`ui.data.disparity` (Ketimpangan,
  Beranda), :mod:`ui.data.profile`, :mod:`ui.data.metode`, :mod:`ui.data.upload`;
- :mod:`ui.data.signin` — the analysts' sign-in lockout kept in the store (not cached).
"""

from .base import (
    GENERATED_DIR,
    STATIC_URL,
    available,
    catalogue,
    clear,
    contiguity_weights,
    display_geojson,
    display_geojson_path,
    illustrative_only,
    indicator_meta,
    indicator_names,
    indicators_for,
    is_illustrative,
    layer,
    manifest_records,
    neighbours,
    publish_static,
    real_years,
    regions_table,
    sources,
    values,
    wide,
    year_for,
    years,
)
from .cache import DataUnavailable, forget_stamp, stamp, versioned, warm, warmer

__all__ = [
    "GENERATED_DIR",
    "STATIC_URL",
    "DataUnavailable",
    "available",
    "catalogue",
    "clear",
    "contiguity_weights",
    "display_geojson",
    "display_geojson_path",
    "forget_stamp",
    "illustrative_only",
    "indicator_meta",
    "indicator_names",
    "indicators_for",
    "is_illustrative",
    "layer",
    "manifest_records",
    "neighbours",
    "publish_static",
    "real_years",
    "regions_table",
    "sources",
    "stamp",
    "values",
    "versioned",
    "warm",
    "warmer",
    "wide",
    "year_for",
    "years",
]
