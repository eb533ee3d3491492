"""Every page opens on real data: the default indicator (and year) is not illustrative, and
the pickers list the illustrative indicators after the real ones under a heading."""

from __future__ import annotations

import pytest
from apptest_helpers import assert_clean, open_page

import store
from ui import sidebar
from ui.i18n import t

pytestmark = pytest.mark.usefixtures("needs_data")

PAGES = ["beranda", "peta", "bandingkan", "ketimpangan", "profil"]


def _real(level: str, indicator: str, year: int) -> bool:
    values = store.tidy(indicator, level=level, years=int(year))
    return len(values) > 0 and not values["illustrative"].all()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("level", ["kecamatan", "kabupaten"])
def test_each_page_opens_on_a_real_indicator(page, level):
    at = open_page(page, query=None if level == "kecamatan" else {"level": level})
    assert_clean(at)
    indicator, year = at.session_state["indicator"], at.session_state["year"]
    assert _real(level, indicator, year), (page, level, indicator, year)
    assert indicator == next(p for p in sidebar.PREFERRED_DEFAULT if p in set(
        store.available(level)["indicator"]) and not store.available(level).set_index(
        "indicator").at[p, "all_illustrative"])


def test_sidebar_lists_illustrative_indicators_after_a_heading():
    at = open_page("beranda")
    box = next(s for s in at.selectbox if s.key == "indicator")
    av = store.available("kecamatan").set_index("indicator")
    generated = set(av.index[av["all_illustrative"].astype(bool)])
    options = list(box.options)
    heading = t("common.picker.illustrative_heading", lang="id")
    assert heading in options
    cut = options.index(heading)
    badge = t("common.badge.illustrative", lang="id")
    assert cut == len(av) - len(generated)
    assert all(badge not in o for o in options[:cut])
    assert all(o.endswith(badge) for o in options[cut + 1:])
    assert len(options[cut + 1:]) == len(generated)


def test_choosing_the_heading_chooses_the_first_illustrative_indicator():
    at = open_page("beranda")
    box = next(s for s in at.selectbox if s.key == "indicator")
    box.set_value(sidebar.HEADING).run()
    assert_clean(at)
    chosen = at.session_state["indicator"]
    av = store.available("kecamatan").set_index("indicator")
    assert chosen != sidebar.HEADING and bool(av.at[chosen, "all_illustrative"])


def test_illustrative_years_are_badged_in_the_year_picker():
    at = open_page("beranda", query={"ind": "penduduk"})
    box = next(s for s in at.selectbox if s.key == "year")
    badge = t("common.badge.illustrative", lang="id")
    assert "2010" in box.options and f"2024 · {badge}" in box.options


@pytest.mark.parametrize("level", ["kecamatan", "kabupaten"])
def test_real_years_are_the_years_with_a_real_value(level):
    """The year picker's real years (from the store's counts per year) against the values
    read in full, for every indicator of the level."""
    from ui import data

    for indicator in store.available(level)["indicator"]:
        v = store.tidy(indicator, level=level)
        expected = sorted(int(y) for y in v.loc[~v["illustrative"].astype(bool), "year"].unique())
        assert data.real_years(level, indicator) == expected, indicator
        assert data.years(level, indicator) == sorted(int(y) for y in v["year"].unique())
