"""AppTest fixtures for the dashboard pages (shell, Beranda, Peta).

The pages read the real store and geography built by ``python -m pipeline build``
(``make data``); without them the tests that need data are skipped with the reason shown.
Helpers live in ``apptest_helpers.py`` (re-exported here for older imports).
"""

from __future__ import annotations

import pytest
import streamlit as st
from apptest_helpers import (  # noqa: F401 - re-exported
    ROOT,
    TIMEOUT,
    assert_clean,
    data_ready,
    figures,
    make_app,
    open_page,
    trace,
)


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


@pytest.fixture(scope="session")
def needs_data():
    reason = data_ready()
    if reason:
        pytest.skip(reason)
