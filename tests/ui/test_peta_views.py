"""AppTest of the Peta page's Peta / Tabel / Grafik views (issue 13): the table and the
chart show every region of the map with the map's classes, colours and ranks."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
import pytest
from apptest_helpers import assert_clean, figures, open_page, trace

import regions
import store
from i18n import translate

pytestmark = pytest.mark.usefixtures("needs_data")


def kelurahan_only() -> set[str]:
    desa = regions.desa()
    return set(regions.kecamatan()["kode"]) - set(desa.loc[desa["jenis"] == "desa", "kec_kode"])


def display_and_styles(element) -> tuple[pd.DataFrame, str]:
    """What the browser shows in each cell (the Styler's display values) and the CSS."""
    styler = element.proto.arrow_data.styler
    shown = pa.ipc.open_stream(io.BytesIO(styler.display_values)).read_pandas()
    return shown, styler.styles


def map_colours(at) -> dict[tuple[str, str], str]:
    """(nama, kab_nama) -> fill of the values trace of the page's map."""
    fig = next(f for f in figures(at) if trace(f, "values"))
    tr = trace(fig, "values")
    scale = tr["colorscale"]
    n = len(scale) // 2
    colours = [scale[2 * i][1] for i in range(n)]
    kec = regions.kecamatan().set_index("kode")
    return {
        (kec.at[c, "nama"], kec.at[c, "kab_nama"]): colours[int(z)]
        for c, z in zip(tr["locations"], tr["z"], strict=True)
    }


def test_table_lists_every_kecamatan_with_map_colours_ranks_and_not_applicable():
    query = {"ind": "idm", "year": "2024", "tab": "table"}
    at = open_page("peta", query=query)
    assert_clean(at)
    element = at.dataframe[0]
    raw = element.value
    assert len(raw) == 666
    name, kab, value, rank = raw.columns[0], raw.columns[1], raw.columns[2], raw.columns[4]
    assert "Peringkat" in rank and "1 = terbaik" in rank
    # the name column stays in view while the table scrolls sideways (a phone)
    assert json.loads(element.proto.columns)[name].get("pinned") is True
    # ranks computed independently from the store: IDM is higher-is-better, ties share the best
    idm = store.tidy("idm", level="kecamatan", years=2024).set_index("region_code")["value"]
    kec = regions.kecamatan().set_index("kode")
    expected = idm.rank(ascending=False, method="min").astype(int)
    expected.index = [(kec.at[c, "nama"], kec.at[c, "kab_nama"]) for c in expected.index]
    got = raw.dropna(subset=[value]).set_index([name, kab])[rank].astype(int)
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    # the 63 kecamatan of kelurahan only read "Tidak berlaku", never a number, 0 or "None"
    shown, styles = display_and_styles(element)
    off = {(kec.at[c, "nama"], kec.at[c, "kab_nama"]) for c in kelurahan_only()}
    status = shown.set_index([shown.columns[0], shown.columns[1]])[shown.columns[2]]
    assert {k for k, v in status.items() if v == "Tidak berlaku"} == off
    assert not shown.astype(str).isin(["None", "nan", "<NA>"]).any().any()
    # each value cell has its class colour of the map
    colours = map_colours(open_page("peta", query={**query, "tab": "map"}))
    css = styles.lower()
    for i in range(0, 600, 97):
        key = (raw.iloc[i][name], raw.iloc[i][kab])
        assert f"background-color: {colours[key]}".lower() in css


def test_chart_ranks_the_same_values_in_the_map_classes_and_badges_illustrative_data():
    at = open_page("peta", query={"ind": "persentase_penduduk_miskin", "tab": "chart"})
    assert_clean(at)
    fig = next(f for f in figures(at) if any(tr.get("type") == "bar" for tr in f["data"]))
    bars = [tr for tr in fig["data"] if tr.get("type") == "bar"]
    year = at.session_state["year"]
    values = store.tidy("persentase_penduduk_miskin", level="kecamatan", years=year)["value"]
    assert sum(len(tr["y"]) for tr in bars) == len(values)
    # one bar per region, lower poverty (better) to the left: the axis order is by value
    by_x = {x: y for tr in bars for x, y in zip(tr["x"], tr["y"], strict=True)}
    ordered = [by_x[x] for x in fig["layout"]["xaxis"]["categoryarray"]]
    assert ordered == pytest.approx(sorted(values.tolist()), abs=0.006)
    # the chart's classes are the map's legend
    at = open_page("peta", query={"ind": "persentase_penduduk_miskin"})
    legend = [
        tr["name"]
        for f in figures(at)
        if trace(f, "values")
        for tr in f["data"]
        if str(tr.get("meta", "")).startswith("legend:")
    ]
    assert [tr["name"] for tr in bars] == legend[: len(bars)]
    assert any(a.get("name") == "illustrative_badge" for a in fig["layout"]["annotations"])


@pytest.mark.parametrize("tab", ["table", "chart"])
def test_every_view_carries_the_illustrative_badge(tab):
    at = open_page("peta", query={"ind": "persentase_penduduk_miskin", "tab": tab}, lang="en")
    assert_clean(at)
    badge = translate("common.badge.illustrative", "en")
    assert any(badge in m.value for m in at.markdown)
