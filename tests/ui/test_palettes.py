"""Issue 13: every categorical map palette stays distinguishable under colour-vision
deficiencies (simulated with colorspacious, Machado et al. 2009 at full severity).

Threshold: ΔE ≥ 10 in CAM02-UCS between every pair of colours of a palette, for normal
vision and simulated deuteranopia, protanopia and tritanopia. One unit of CAM02-UCS is about
one just-noticeable difference for large patches; small map polygons need several times
that, and 10 is the threshold the issue set (the old red/green Klassen pair fell to 2.4).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

colorspacious = pytest.importorskip("colorspacious")

from ui import maps  # noqa: E402
from ui.disparity_figures import KLASSEN_COLOURS  # noqa: E402

THRESHOLD = 10.0
VISION = {
    "normal": None,
    "deuteranopia": "deuteranomaly",
    "protanopia": "protanomaly",
    "tritanopia": "tritanomaly",
}
PALETTES = {
    "klassen": list(KLASSEN_COLOURS.values()),
    "lisa": [maps.LISA_COLORS[k] for k in maps.LISA_ORDER],
    "bivariate": list(maps.BIVARIATE_COLORS),
    # the desa status map also draws kelurahan (not applicable) and possibly no data
    "idm_status": [*maps.IDM_STATUS_COLORS.values(), maps.NOT_APPLICABLE_COLOR, maps.NO_DATA_COLOR],
}


def to_rgb1(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)]) / 255.0


def seen(hex_colour: str, deficiency: str | None) -> np.ndarray:
    """The colour in CAM02-UCS as seen with ``deficiency`` (None: normal vision)."""
    rgb = to_rgb1(hex_colour)
    if deficiency:
        cvd = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        rgb = np.clip(colorspacious.cspace_convert(rgb, cvd, "sRGB1"), 0, 1)
    return colorspacious.cspace_convert(rgb, "sRGB1", "CAM02-UCS")


@pytest.mark.parametrize("vision", list(VISION))
@pytest.mark.parametrize("palette", list(PALETTES))
def test_every_pair_of_categorical_colours_stays_distinguishable(palette, vision):
    colours = PALETTES[palette]
    assert len(set(colours)) == len(colours)
    points = {c: seen(c, VISION[vision]) for c in colours}
    too_close = [
        (a, b, round(float(np.linalg.norm(points[a] - points[b])), 1))
        for a, b in itertools.combinations(colours, 2)
        if np.linalg.norm(points[a] - points[b]) < THRESHOLD
    ]
    assert too_close == [], f"{palette} under {vision}: pairs closer than ΔE {THRESHOLD}"


def test_the_simulation_separates_what_it_should():
    """The check can fail: the former red/green Klassen pair merges under deuteranopia."""
    a, b = seen("#a6d96a", "deuteranomaly"), seen("#fdae61", "deuteranomaly")
    assert np.linalg.norm(a - b) < THRESHOLD
