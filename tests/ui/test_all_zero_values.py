"""An indicator whose every value is zero (IDM 2024 counts no desa "sangat tertinggal" in East
Java) has no defined inequality: Beranda and Ketimpangan say so instead of failing."""

from __future__ import annotations

import pytest
from apptest_helpers import assert_clean, open_page

import store

pytestmark = pytest.mark.usefixtures("needs_data")


def all_zero_indicators() -> list[tuple[str, int]]:
    """(indicator, year) of the kecamatan series whose every value is zero, read from the store."""
    values = store.tidy(level="kecamatan")
    zero = values.groupby(["indicator", "year"])["value"].apply(lambda v: bool((v == 0).all()))
    return [(ind, int(year)) for (ind, year), flag in zero.items() if flag]


def test_the_real_data_has_such_a_series():
    assert ("desa_sangat_tertinggal", 2024) in all_zero_indicators()


@pytest.mark.parametrize("page, message", [
    ("beranda", "Semua nilai indikator ini nol"),
    ("ketimpangan", "Semua nilai Desa sangat tertinggal (IDM) pada tahun 2024 adalah nol"),
])
def test_an_all_zero_series_is_explained_not_failed(page, message):
    at = open_page(page, query={"ind": "desa_sangat_tertinggal", "year": "2024"})
    assert_clean(at)
    assert [e.value for e in at.error] == []
    assert any(message in i.value for i in at.info)


def test_beranda_ranks_nothing_when_every_value_is_the_same():
    n = int(store.tidy("desa_sangat_tertinggal", level="kecamatan", years=2024)["value"].notna().sum())
    at = open_page("beranda", query={"ind": "desa_sangat_tertinggal", "year": "2024"})
    assert_clean(at)
    assert any(f"Semua {n} kecamatan bernilai sama, 0" in i.value for i in at.info)
    assert not [m.value for m in at.markdown if "Sepuluh" in m.value]
