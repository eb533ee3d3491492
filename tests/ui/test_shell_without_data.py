"""Before `make data`: every page of the shell says so in the user's language, no traceback."""

from __future__ import annotations

import pytest
from apptest_helpers import assert_clean, open_page

import regions
import settings


@pytest.fixture
def no_data(tmp_path, monkeypatch):
    """An empty store and no geography."""
    monkeypatch.setenv("RBK_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    monkeypatch.setattr(settings, "GEO_DIR", tmp_path / "geo")
    regions.clear_cache()
    yield
    regions.clear_cache()


@pytest.mark.parametrize(("page", "lang", "text"), [
    ("beranda", "id", "make data"),
    ("peta", "en", "make data"),
])  # fmt: skip
def test_pages_explain_missing_data(no_data, page, lang, text):
    at = open_page(page, lang=lang)
    assert_clean(at)
    assert any(text in i.value for i in at.info), [i.value for i in at.info]
    assert at.title[0].value in ("Beranda", "Map")
