"""Small independent helpers for the geography tests (no pipeline code)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

#: A global equal-area CRS, independent of the pipeline's Albers projection.
EQUAL_AREA = "EPSG:6933"


def signed_area(ring) -> float:
    """Shoelace signed area of a closed [[x, y], ...] ring: > 0 counter-clockwise."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def polygons_of(geometry: dict):
    """The polygons (lists of rings) of a GeoJSON Polygon/MultiPolygon dict."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise AssertionError(f"unexpected geometry type {geometry['type']}")


def tree_digest(directory: Path) -> dict[str, str]:
    """sha256 of every file under ``directory`` by relative path."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }
