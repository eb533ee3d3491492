"""Peta warms the map of every other indicator as a change of indicator will ask for it
(:func:`ui.warming.peta`): the warmed choice is the one the page builds after the user picks
that indicator."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from apptest_helpers import assert_clean, open_page

from ui import data, petamap
from ui.i18n import t

pytestmark = pytest.mark.usefixtures("needs_data")


@pytest.mark.parametrize(
    "mode, first, target",
    [
        ("indicator", "idm", "ike"),  # both have 2024: the year is kept
        ("indicator", "idm", "jarak_sd_km"),  # 2019 only: the sidebar moves to it
        ("indicator", "jarak_sd_km", "persentase_penduduk_miskin"),  # 2019 -> latest real year
        ("lisa", "idm", "ike"),  # a LISA map, titled as the page titles it
        ("lisa", "idm", "jarak_sd_km"),
        # every kecamatan 0 in 2024: LISA is undefined, the page draws the indicator map
        ("lisa", "idm", "desa_sangat_tertinggal"),
    ],
)
def test_the_warmed_map_is_the_one_the_change_draws(monkeypatch, mode, first, target):
    built: list[petamap.MapChoice] = []
    submitted: dict = {}
    real_map = petamap.peta_map
    def recorded(choice):
        if threading.current_thread().name != "rbk-warmer":  # the page's and the test's calls
            built.append(choice)
        return real_map(choice)

    monkeypatch.setattr(petamap, "peta_map", recorded)
    monkeypatch.setattr(
        data, "warm", lambda key, fn: key[0] == "peta" and submitted.setdefault(key, fn)
    )

    at = open_page("peta", query={"ind": first, "mode": mode})
    assert_clean(at)
    shown = built[-1]
    assert (shown.indicator, shown.mode) == (first, mode)
    # every other indicator the sidebar offers is submitted, from the view now shown
    offered = set(data.indicators_for("kecamatan")) - {first}
    assert {key[2].indicator for key in submitted} == offered
    assert all(key[1:3] == (mode, replace(shown, indicator=key[2].indicator, title="")) for key in submitted)

    warm = next(fn for key, fn in submitted.items() if key[2].indicator == target)
    built.clear()
    warm()
    warmed = built[-1]

    at.selectbox(key="indicator").set_value(target).run()
    assert_clean(at)
    drawn = built[-1]
    assert drawn == warmed
    undefined = any(box.value == t("peta.lisa.undefined") for box in at.info)
    assert drawn.mode == ("indicator" if undefined else mode)
    assert undefined == (mode == "lisa" and target == "desa_sangat_tertinggal")
    assert drawn.year == at.session_state["year"]
    assert drawn.year in data.years("kecamatan", target)
