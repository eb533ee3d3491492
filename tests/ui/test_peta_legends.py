"""AppTest of Peta's z-score and box-map legends (issue 13): no class outside the data
("< −1,18" for a percentage) and the classes say where they lie ("SD", quartiles)."""

from __future__ import annotations

import mapclassify
import numpy as np
import pytest
from apptest_helpers import assert_clean, figures, open_page, trace

import store

pytestmark = pytest.mark.usefixtures("needs_data")

INDICATOR = "persentase_penduduk_miskin"


def legend_names(at) -> list[str]:
    fig = next(f for f in figures(at) if trace(f, "values"))
    return [tr["name"] for tr in fig["data"] if str(tr.get("meta", "")).startswith("legend:")]


@pytest.mark.parametrize(
    "method, classifier, word",
    [
        ("std_mean", lambda y: mapclassify.StdMean(y, multiples=[-2, -1, 1, 2]), "SD"),
        ("box_plot", lambda y: mapclassify.BoxPlot(y, hinge=1.5), "Kuartil"),
    ],
)
def test_diverging_legends_show_only_classes_with_regions(method, classifier, word):
    av = store.available("kecamatan")
    year = max(av[av["indicator"] == INDICATOR].iloc[0]["years"])
    values = store.tidy(INDICATOR, level="kecamatan", years=year)["value"].to_numpy()
    assert values.min() >= 0  # a percentage: nothing lies below zero
    expected = classifier(values)
    nonempty = int((np.asarray(expected.counts) > 0).sum())
    assert nonempty < len(expected.counts)  # the scheme has an empty class here
    at = open_page("peta", query={"ind": INDICATOR, "year": str(year), "cls": method})
    assert_clean(at)
    names = [n for n in legend_names(at) if n not in ("Tidak ada data", "Tidak berlaku")]
    assert len(names) == nonempty
    assert not any("< −" in n or "<−" in n for n in names)
    if method == "std_mean":
        assert all("SD" in n for n in names)
    else:
        assert sum(word in n for n in names) == 4  # the four quartiles, then outliers
