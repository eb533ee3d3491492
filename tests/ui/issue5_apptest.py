"""AppTest helpers of the issue-5 page tests (Bandingkan, Ketimpangan, Profil, Metode).

A module with its own name: ``from conftest import ...`` would pick whichever ``conftest``
comes first on ``sys.path`` when ``tests/ui`` and ``tests/browser`` run in one session.
"""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

import settings

TIMEOUT = 120


def make_app(query: dict | None = None, lang: str | None = None) -> AppTest:
    """An AppTest of ``dashboard.py`` with a deep link's query parameters and a language."""
    at = AppTest.from_file(str(settings.ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    if lang:
        at.session_state["lang"] = lang
    return at


def open_page(page: str, query: dict | None = None, lang: str | None = None) -> AppTest:
    """Run the router, then switch to ``pages/<page>.py`` and run again."""
    at = make_app(query, lang)
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    return at


def figures(at: AppTest) -> list[dict]:
    """The Plotly figures of the page as JSON."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def assert_clean(at: AppTest) -> None:
    """No exception and no error box (the router turns a page's exception into one)."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
