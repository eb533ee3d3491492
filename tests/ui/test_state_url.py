"""URL query parameters <-> session state: parsing, validation and round trips."""

from __future__ import annotations

import pytest

from ui import state


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (state.LANG, "en"),
        (state.LEVEL, "kabupaten"),
        (state.LEVEL, "desa"),
        (state.INDICATOR, "persentase_penduduk_miskin"),
        (state.YEAR, 2021),
        (state.CLASSIFICATION, "fisher_jenks"),
        (state.N_CLASSES, 7),
        (state.USER_BREAKS, [5.0, 10.5, 20.0]),
        (state.MAP_MODE, "lisa"),
        (state.SELECTED, ["35.78.09", "35.78.08"]),
        (state.KABUPATEN, "35.78"),
        (state.NEED, "persentase_penduduk_miskin"),
        (state.COVERAGE, "cakupan_pbi_jkn"),
        (state.DESA, "35.78.09.1001"),
    ],
)
def test_round_trip(key, value):
    assert state.parse_param(key, state.format_param(key, value)) == value


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        (state.LANG, "fr"),
        (state.LEVEL, "dusun"),
        (state.INDICATOR, "DROP TABLE"),
        (state.YEAR, "20x1"),
        (state.YEAR, "99999"),
        (state.CLASSIFICATION, "random"),
        (state.N_CLASSES, "2"),
        (state.N_CLASSES, "10"),
        (state.USER_BREAKS, "a;b"),
        (state.MAP_MODE, "3d"),
        (state.SELECTED, "3578080,<script>"),
        (state.KABUPATEN, "36.01"),
        (state.DESA, "35.78.09"),
        (state.DESA, "35.78.09.3001"),
    ],
)
def test_invalid_values_are_dropped(key, raw):
    assert state.parse_param(key, raw) is None


def test_selection_is_deduplicated_and_capped():
    codes = ",".join(f"35.78.{i:02d}" for i in range(1, 13)) + ",35.78.01"
    parsed = state.parse_param(state.SELECTED, codes)
    assert parsed == [f"35.78.{i:02d}" for i in range(1, state.MAX_SELECTED + 1)]


def test_every_key_has_a_default_and_a_url_name():
    assert set(state.DEFAULTS) == set(state.URL_PARAMS)
    assert len(set(state.URL_PARAMS.values())) == len(state.URL_PARAMS)
