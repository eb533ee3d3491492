"""The camat's desa drill-down (issue 14 item 8): Profil Kecamatan lists the kecamatan's desa
and kelurahan beside a map coloured by IDM status, and the printable report carries both.

Expected values come from outside the code under test: the codes from ``regions.desa()``,
the IDM values and statuses from source 10's own file (``data/idm/prov/35.json`` of the
mirror, read here with ``json`` and matched by Kemendagri desa code), the desa names from
the desa display GeoJSON.
"""

from __future__ import annotations

import html
import json
import re
import tomllib

import pandas as pd
import pytest
from shapely.geometry import box

import regions
import settings
from i18n import translate as t
from ui import maps, profile_desa, report

PACITAN = "35.01.04"  # 20 desa and 5 kelurahan (Kabupaten Pacitan)
SUKOLILO = "35.78.09"  # Kota Surabaya: 7 kelurahan, no desa
MIXED_AND_KELURAHAN_ONLY = (PACITAN, SUKOLILO)


# --------------------------------------------------------------------------- source 10


def _source_file(file_id: str):
    manifest = tomllib.loads((settings.ROOT / "data" / "sources.toml").read_text("utf-8"))
    entry = next(f for f in manifest["file"] if f["id"] == file_id)
    source = next(s for s in manifest["source"] if s["number"] == entry["source"])
    mirror = settings.sources_mirror() or settings.CACHE_DIR
    path = mirror / source["repo"] / entry["path"]
    if not path.is_file():
        pytest.skip(f"{path} not mirrored (set RBK_SOURCES)")
    return path


@pytest.fixture(scope="module")
def idm_source() -> dict[str, list]:
    """Source 10 for East Java: Kemendagri desa code → [suffix, name, IDM, IKS, IKE, IKL,
    status, flag], read with json alone."""
    data = json.loads(_source_file("idm_2024_35").read_text(encoding="utf-8"))
    out = {}
    for kec in data["kec"]:
        code = f"{kec['k'][:2]}.{kec['k'][2:4]}.{kec['k'][4:6]}"
        for rec in kec["ds"]:
            out[f"{code}.{rec[0]}"] = rec
    return out


def _id_decimal(value: float) -> str:
    """A number with 4 decimals as Bahasa Indonesia writes it (decimal comma)."""
    return f"{value:.4f}".replace(".", ",")


# --------------------------------------------------------------------------- pure builders


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode": ["35.99.01.1001", "35.99.01.2002", "35.99.01.2003", "35.99.01.2004"],
            "nama": ["Kota <b>", "Sumber", "Kali", "Wetan"],
            "jenis": ["kelurahan", "desa", "desa", "desa"],
            "applicable": [False, True, True, True],
            "idm": [None, 0.8561, 0.4812, 0.65],
            "iks": [None, 0.9, 0.5, 0.7],
            "ike": [None, 0.8, 0.4, 0.6],
            "ikl": [None, 0.87, 0.54, 0.65],
            "status_idm": [None, 1.0, 5.0, 3.0],
            "jarak_smp_km": [0.4, 12.25, 2.0, 3.5],
            "jarak_puskesmas_km": [1.0, 2.0, 3.0, 4.0],
        }
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_table_says_not_applicable_for_a_kelurahan_and_names_statuses(lang):
    table = profile_desa.desa_table(_frame(), lang=lang)
    heads = profile_desa.table_columns(lang)
    assert list(table.columns)[0] == heads["nama"]  # name column first
    na = t("common.word.not_applicable", lang)
    kel = table.iloc[0]
    for col in ("idm", "iks", "ike", "ikl", "status_idm"):
        assert kel[heads[col]] == na
    assert table[heads["status_idm"]].tolist()[1:] == [
        t("profile.status.s1", lang),
        t("profile.status.s5", lang),
        t("profile.status.s3", lang),
    ]
    # distances apply to kelurahan too, and stay numbers so the table sorts them by value
    assert table[heads["jarak_smp_km"]].tolist() == [0.4, 12.25, 2.0, 3.5]
    shown = profile_desa.desa_styler(table, lang=lang).to_html()
    assert ("12,2" if lang == "id" else "12.2") in shown


def test_status_words_are_kemendesa_words_in_bahasa_indonesia():
    words = [t(f"profile.status.s{i}", "id") for i in range(1, 6)]
    assert words == ["Mandiri", "Maju", "Berkembang", "Tertinggal", "Sangat Tertinggal"]


def test_idm_text_sorts_like_the_numbers_and_not_applicable_last():
    """The table's text sort (Streamlit's text columns compare strings) orders the IDM
    fields as their values, and "tidak berlaku" after them."""
    rng = pd.Series([0.4812, 0.0999, 1.0, 0.65, 0.8561, 0.5989])
    frame = pd.DataFrame(
        {
            "kode": [f"35.99.01.20{i:02d}" for i in range(len(rng))] + ["35.99.01.1099"],
            "nama": list("abcdefg"),
            "jenis": ["desa"] * len(rng) + ["kelurahan"],
            "applicable": [True] * len(rng) + [False],
            **{c: [*rng, None] for c in ("idm", "iks", "ike", "ikl")},
            "status_idm": [3] * len(rng) + [None],
            "jarak_smp_km": 1.0,
            "jarak_puskesmas_km": 1.0,
        }
    )
    for lang in ("id", "en"):
        shown = profile_desa.desa_table(frame, lang=lang)[profile_desa.table_columns(lang)["idm"]]
        order = sorted(range(len(shown)), key=lambda i: shown.iloc[i])
        assert order == [*rng.sort_values().index, len(rng)]


def test_map_figure_colours_by_status_and_kelurahan_as_not_applicable():
    fig = profile_desa.desa_map_figure(_frame(), "desa.geojson", lang="id", kecamatan="35.99.01")
    traces = {tr.name: tr for tr in fig.data}
    values = traces["values"]
    assert list(values.locations) == ["35.99.01.2002", "35.99.01.2003", "35.99.01.2004"]
    colours = [c for _, c in values.colorscale[::2]]  # one colour per class z = 0, 1, ...
    drawn = [colours[z] for z in values.z]
    assert drawn == [maps.IDM_STATUS_COLORS[s] for s in (1, 5, 3)]
    assert list(traces["not_applicable"].locations) == ["35.99.01.1001"]
    assert "Tidak berlaku" in traces["not_applicable"].hovertemplate
    legend = [tr.name for tr in fig.data if tr.type == "scattergeo"]
    assert legend == [
        *(t(f"profile.status.s{s}", "id") for s in (5, 4, 3, 2, 1)),
        "Tidak berlaku",
    ]
    assert "%{properties.nama}" in values.hovertemplate and "IDM" in values.hovertemplate
    assert list(values.customdata[1]) == [0.4812, "Sangat Tertinggal"]


def test_svg_is_self_contained_and_escapes_names():
    frame = _frame()
    shapes = {code: box(i, 0, i + 1, 1) for i, code in enumerate(frame["kode"])}
    svg = profile_desa.desa_svg(
        shapes, profile_desa.desa_colours(frame), profile_desa.svg_titles(frame, "id")
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<path") == 4 and "Kota &lt;b&gt;: Tidak berlaku" in svg
    assert f'fill="{maps.NOT_APPLICABLE_COLOR}"' in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


# --------------------------------------------------------------------------- the page (AppTest)


def _desa_table(at, lang):
    head = t("profile.desa.col_kode", lang)
    tables = [d.value for d in at.dataframe if head in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def _desa_map(figs, kab):
    found = [
        f
        for f in figs
        if any(f"desa_display_{kab}." in str(tr.get("geojson", "")) for tr in f["data"])
    ]
    assert len(found) == 1
    return {tr.get("name"): tr for tr in found[0]["data"]}


@pytest.mark.parametrize("code", MIXED_AND_KELURAHAN_ONLY)
def test_profile_lists_the_desa_of_the_kecamatan_with_source_10_values(
    needs_data, idm_source, code
):
    from apptest_helpers import assert_clean, figures, open_page

    at = open_page("profil", query={"kec": code}, lang="id")
    assert_clean(at)
    table = _desa_table(at, "id")
    heads = profile_desa.table_columns("id")
    want = regions.desa(code).set_index("kode")
    assert sorted(table[heads["kode"]]) == sorted(want.index)
    na = t("common.word.not_applicable", "id")
    statuses = {i: t(f"profile.status.s{i}", "id") for i in range(1, 6)}
    for row in table.to_dict("records"):
        kode = row[heads["kode"]]
        assert row[heads["jenis"]].lower() == want.at[kode, "jenis"]
        if want.at[kode, "jenis"] == "kelurahan":
            assert kode not in idm_source
            for col in ("idm", "iks", "ike", "ikl", "status_idm"):
                assert row[heads[col]] == na, (kode, col)
        else:
            rec = idm_source[kode]
            for col, pos in (("idm", 2), ("iks", 3), ("ike", 4), ("ikl", 5)):
                assert row[heads[col]] == _id_decimal(float(rec[pos])), (kode, col)
            assert row[heads["status_idm"]] == statuses[int(rec[6])], kode
        for col in ("jarak_smp_km", "jarak_puskesmas_km"):
            assert row[heads[col]] > 0  # a distance, never blank, also for kelurahan
    # the map: every desa drawn, coloured by its status, kelurahan not applicable
    traces = _desa_map(figures(at), code[:5])
    kel = set(want.index[want["jenis"] == "kelurahan"])
    assert set(traces["not_applicable"]["locations"]) == kel
    drawn = traces.get("values", {}).get("locations", [])
    assert set(drawn) == set(want.index) - kel
    for loc, cd in zip(drawn, traces["values"].get("customdata", []), strict=True):
        assert cd == [float(idm_source[loc][2]), statuses[int(idm_source[loc][6])]]
    assert traces["outlines"]["locations"] == [code]
    # the table can be downloaded
    labels = [b.label for b in at.get("download_button")]
    assert t("profile.desa.csv", "id") in labels and t("profile.desa.xlsx", "id") in labels


# --------------------------------------------------------------------------- the report


URL = re.compile(r"https?://[^\s\"'<>)]+")


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("code", MIXED_AND_KELURAHAN_ONLY)
def test_report_carries_the_desa_table_and_map_offline(needs_data, code, lang):
    from ui.data import profile as data_profile

    region = data_profile.region_row(code)
    frame = data_profile.desa_frame(code)
    out = report.report_html(
        lang,
        region=region,
        kab_name="Kab",
        neighbours=[],
        rows=data_profile.indicator_table(code).head(0),
        catalogue=pd.DataFrame(columns=["name_id", "name_en", "unit"]),
        sources=[{"title": "src", "licence": "MIT", "citation": "", "url": "https://x.test/a"}],
        desa=frame,
        desa_shapes=data_profile.desa_shapes(code),
    )
    # every desa name (escaped, from the display GeoJSON) and code is in the report
    geo = json.loads(regions.display_path("desa", code[:5]).read_text("utf-8"))
    names = {
        f["id"]: f["properties"]["nama"] for f in geo["features"] if f["id"].startswith(code + ".")
    }
    assert set(names) == set(regions.desa(code)["kode"])
    for kode, name in names.items():
        assert f"<td>{html.escape(name)}</td><td>{kode}</td>" in out
    # the map: one path per desa, kelurahan in the not-applicable colour, with a legend
    svg = re.search(r'<svg [^>]*class="desa-map".*?</svg>', out, re.S).group(0)
    paths = re.findall(r'<path data-kode="([^"]+)"[^>]*fill="([^"]+)"', svg)
    assert sorted(k for k, _ in paths) == sorted(names)
    kel = set(frame.loc[frame["jenis"] == "kelurahan", "kode"])
    assert {k for k, fill in paths if fill == maps.NOT_APPLICABLE_COLOR} == kel
    if kel:
        assert t("common.word.not_applicable", lang) in out
    # offline: nothing fetched; the only addresses are the SVG namespaces and the cited source
    assert not re.search(r"(src|href)\s*=|url\(|@import", out)
    assert set(URL.findall(out)) <= {"http://www.w3.org/2000/svg", "https://x.test/a"}


def test_a_kecamatan_of_kelurahan_only_explains_itself_and_lists_no_status():
    frame = _frame().iloc[:1]
    fig = profile_desa.desa_map_figure(frame, "desa.geojson", lang="en", kecamatan="35.99.01")
    legend = [tr.name for tr in fig.data if tr.type == "scattergeo"]
    assert legend == [t("common.word.not_applicable", "en")]
    text = profile_desa.intro(frame, name="Sukolilo", lang="id")
    assert text.startswith("Sukolilo hanya terdiri atas kelurahan (1)") and "bukan 0" in text
    section = profile_desa.report_section(frame, {}, name="Sukolilo", lang="id")
    assert [e["label"] for e in section["legend"]] == ["Tidak berlaku"]
