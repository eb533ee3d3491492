"""Data & Metode: the source table from the manifest, the catalogue, methods and versions."""

from __future__ import annotations

import pandas as pd
import pytest

from ui import data, metode
from ui.i18n import t


def manifest():
    """The manifest's files, read the one way the dashboard reads them."""
    return data.manifest_records()


def test_source_table_groups_files_by_source():
    files = manifest()
    table = metode.source_table(files)
    numbers = sorted({int(f["source"]) for f in files})
    assert table["source"].tolist() == numbers
    for row in table.itertuples():
        mine = [f for f in files if int(f["source"]) == row.source]
        assert row.n_files == len(mine)
        assert row.licence == mine[0]["licence"] and row.citation == mine[0]["citation"]


def test_catalogue_table_status_years_and_order():
    cat = pd.DataFrame(
        {
            "name_id": ["Penduduk", "Miskin"],
            "name_en": ["Population", "Poor"],
            "unit": ["jiwa", "%"],
            "direction": ["neutral", "lower_better"],
            "theme": ["kependudukan", "kemiskinan"],
            "sources": [("census",), ()],
        },
        index=["penduduk", "miskin"],
    )
    available = pd.DataFrame(
        {
            "indicator": ["miskin", "penduduk", "penduduk"],
            "level": ["kecamatan", "kabupaten", "kecamatan"],
            "years": [(2018, 2019, 2020), (2010, 2024), tuple(range(2010, 2025))],
            "n_regions": [666, 38, 666],
            "illustrative": [True, False, True],
            "all_illustrative": [True, False, False],
        }
    )
    table = metode.catalogue_table(cat, available, "en")
    assert table[["id", "level"]].values.tolist() == [
        ["penduduk", "kecamatan"],
        ["penduduk", "kabupaten"],
        ["miskin", "kecamatan"],
    ]
    assert table["status"].tolist() == ["mixed", "real", "illustrative"]
    assert table["years"].tolist() == ["2010–2024 (15)", "2010, 2024", "2018–2020 (3)"]
    assert table.loc[0, "sources"] == "census" and table.loc[0, "name"] == "Population"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_metode_page_shows_sources_catalogue_methods_versions(needs_data, lang):
    from apptest_helpers import assert_clean, open_page

    import store

    at = open_page("metode", lang=lang)
    assert_clean(at)
    sources, catalogue, versions = (df.value for df in at.dataframe[:3])
    licence = t("metode.sources.col_licence", lang=lang)
    files = manifest()
    assert len(sources) == len({f["source"] for f in files})
    assert set(sources[licence]) == {f["licence"] for f in files}
    available = store.available()
    assert len(catalogue) == len(available)
    status = catalogue[t("metode.catalogue.col_status", lang=lang)]
    assert (status == t("metode.catalogue.status_illustrative", lang=lang)).sum() == int(
        available["all_illustrative"].sum()
    )
    assert len(versions) == len(store.versions())
    assert len(at.expander) == len(metode.REAL_SOURCES) + len(metode.METHODS)
    assert len(at.latex) == sum(1 for _, formula, _ in metode.METHODS if formula)
