"""Data & Metode describes sources 10–12 and BPS's province figures, with their caveats and
methods, in both languages (AppTest of the page)."""

from __future__ import annotations

import pytest
from apptest_helpers import assert_clean, open_page

import regions
from i18n import translate
from i18n.text import escape_markdown
from ui import data

#: What the page must say, per language: each source named by number and producer, the
#: caveats (no madrasah; kelurahan outside IDM; 2019 lists; BPS code of puskesmas) and the
#: methods (mean over desa, straight-line distances, 3 km / 5 km, per 10,000 with SP2010).
EXPECTED = {
    "id": {
        "titles": ("Sumber 10", "Sumber 11", "Sumber 12", "jatim_provinsi_bps.csv"),
        "names": ("Indeks Desa Membangun", "Kemendikbud", "941 puskesmas", "BPS"),
        "caveats": (
            "Tanpa madrasah",
            "Kelurahan memang berada di luar IDM",
            "tidak berlaku",
            "Daftar tahun 2019",
            "kode kecamatan **BPS**",
            "bukan angka tersebut",
        ),
        "methods": (
            "rata-rata tanpa bobot atas desanya",
            "garis lurus",
            "3 km",
            "5 km",
            "per 10.000 penduduk Sensus Penduduk 2010",
        ),
    },
    "en": {
        "titles": ("Source 10", "Source 11", "Source 12", "jatim_provinsi_bps.csv"),
        "names": ("Indeks Desa Membangun", "Kemendikbud", "941 puskesmas", "BPS"),
        "caveats": (
            "No madrasah",
            "Kelurahan are outside IDM by design",
            "not applicable",
            "A 2019 list",
            "the **BPS** kecamatan code",
            "is not one of these figures",
        ),
        "methods": (
            "unweighted mean over their desa",
            "straight-line kilometres",
            "3 km",
            "5 km",
            "per 10,000 people of the Population Census 2010",
        ),
    },
}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_metode_names_sources_10_to_12_and_their_caveats(needs_data, lang):
    at = open_page("metode", lang=lang)
    assert_clean(at)
    expected = EXPECTED[lang]
    labels = [e.label for e in at.expander]
    texts = {e.label: " ".join(m.value for m in e.markdown) for e in at.expander}
    sources = []
    for title, name in zip(expected["titles"], expected["names"], strict=True):
        match = [label for label in labels if title in label and name in label]
        assert len(match) == 1, (title, labels)
        sources.append(texts[match[0]])
    body = " ".join(sources)
    for caveat in expected["caveats"]:
        assert caveat in body, caveat
    # the licence and citation of sources 10-12 as recorded in the manifest
    files = {int(f["source"]): f for f in data.manifest_records()}
    for number, text in zip((10, 11, 12), sources, strict=False):
        assert escape_markdown(files[number]["licence"]) in text
        assert escape_markdown(files[number]["citation"]) in text
    # the no-madrasah caveat also where school distances and access are explained
    methods = " ".join(texts.values())
    for method in expected["methods"]:
        assert method in methods, method
    madrasah = [label for label, text in texts.items() if "madrasah" in text]
    assert len(madrasah) >= 3  # source 11, distances, access


@pytest.mark.parametrize("lang", ["id", "en"])
def test_catalogue_names_the_desa_level_and_its_coverage(needs_data, lang):
    at = open_page("metode", lang=lang)
    assert_clean(at)
    catalogue = at.dataframe[1].value
    level = translate("metode.catalogue.col_level", lang)
    coverage = translate("metode.catalogue.col_coverage", lang)
    desa = catalogue[catalogue[level] == translate("common.level.desa", lang)]
    assert len(desa) > 0
    assert not catalogue[level].str.startswith("common.").any()
    total = str(len(regions.desa()))
    assert desa[coverage].str.endswith(f" {total}").all()
