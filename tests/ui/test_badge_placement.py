"""Issue 13: the "DATA ILUSTRASI" badge never covers a chart's title (the title is written
at the top left, above the plotting area; a lifted badge there went over it)."""

from __future__ import annotations

import pytest
from apptest_helpers import assert_clean, figures, open_page

pytestmark = pytest.mark.usefixtures("needs_data")

IND = "persentase_penduduk_miskin"


def covers_title(fig: dict) -> bool:
    """Whether the badge sits in the title's band (above the plotting area) on its side."""
    layout = fig["layout"]
    title = (layout.get("title") or {}).get("text")
    badge = next(
        (a for a in layout.get("annotations", []) if a.get("name") == "illustrative_badge"), None
    )
    if not title or badge is None:
        return False
    above = badge.get("y", 1) >= 1 and badge.get("yanchor") == "bottom"
    title_left = layout["title"].get("x", 0.5) < 0.5
    badge_left = badge.get("x", 0) < 0.5 and badge.get("xanchor", "left") == "left"
    return above and title_left and badge_left


@pytest.mark.parametrize(
    "page, query",
    [
        ("peta", {"ind": IND, "tab": "chart"}),
        ("bandingkan", {"ind": IND, "kec": "35.78.08,35.07.01"}),
        ("ketimpangan", {"ind": IND}),
    ],
)
def test_badge_never_covers_a_title(page, query):
    at = open_page(page, query=query)
    assert_clean(at)
    badged = [
        f
        for f in figures(at)
        if any(a.get("name") == "illustrative_badge" for a in f["layout"].get("annotations", []))
    ]
    assert badged
    assert [f["layout"]["title"]["text"] for f in badged if covers_title(f)] == []
