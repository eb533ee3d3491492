"""Issue 13: the max/min ratio's card never shows a bootstrap interval bounded by the
estimate itself (a resample cannot exceed the data's extremes); it says why instead."""

from __future__ import annotations

import numpy as np
import pytest
from apptest_helpers import assert_clean, open_page

import store
from ui.data import disparity as data_disparity
from ui.i18n import t


def test_percentile_bootstrap_of_max_min_is_degenerate():
    """Why: every bootstrap replicate of max/min is at most the sample's own ratio."""
    rng = np.random.default_rng(7)
    y = rng.lognormal(2, 0.5, 300)
    reps = [(s.max() / s.min()) for s in (rng.choice(y, y.size) for _ in range(200))]
    assert max(reps) <= y.max() / y.min()
    table = data_disparity.index_table(y, n_boot=50)
    assert table.loc["max_min", "estimate"] == pytest.approx(y.max() / y.min())
    assert np.isnan(table.loc["max_min", "low"]) and np.isnan(table.loc["max_min", "high"])
    assert table.loc["gini", "low"] < table.loc["gini", "estimate"] < table.loc["gini", "high"]


def test_max_min_card_has_no_interval_and_explains(needs_data):
    indicator, year = "persentase_penduduk_miskin", 2024
    at = open_page("ketimpangan", query={"ind": indicator, "year": str(year)}, lang="en")
    assert_clean(at)
    card = next(m for m in at.metric if m.label == t("disparity.index.max_min", lang="en"))
    values = store.tidy(indicator, level="kecamatan", years=year)["value"]
    shown = float(card.value.replace(",", ""))
    assert shown == pytest.approx(values.max() / values.min(), abs=0.001)
    assert not card.proto.delta
    assert "No confidence interval" in card.proto.help


def test_index_table_shows_a_dash_never_none(needs_data):
    import io

    import pyarrow as pa

    at = open_page("ketimpangan", query={"ind": "persentase_penduduk_miskin"}, lang="id")
    assert_clean(at)
    element = at.dataframe[0]
    shown = pa.ipc.open_stream(
        io.BytesIO(element.proto.arrow_data.styler.display_values)
    ).read_pandas()
    cells = shown.astype(str)
    assert not cells.isin(["None", "nan", "<NA>", "NaN"]).any().any()
    row = shown[shown.iloc[:, 0] == t("disparity.index.max_min", lang="id")].iloc[0]
    assert row[t("disparity.index.col_low", lang="id")] == "–"
    assert row[t("disparity.index.col_high", lang="id")] == "–"
