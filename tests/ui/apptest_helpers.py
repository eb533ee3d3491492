"""AppTest helpers for the dashboard pages (imported by ``conftest.py`` and the tests).

Import them as ``from apptest_helpers import open_page, figures ...``: the module name is
unique, whereas ``from conftest import`` resolves to whichever ``conftest`` pytest loaded first.

The pages read the real store and geography built by ``python -m pipeline build``
(``make data``); without them these tests are skipped with the reason shown.
"""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

import settings

ROOT = settings.ROOT
TIMEOUT = 120


def data_ready() -> str | None:
    """None when the built data is there, else the reason to skip."""
    for level in ("kecamatan", "kabupaten"):
        if not (settings.GEO_DIR / f"{level}_display.geojson").exists():
            return f"{settings.GEO_DIR}/{level}_display.geojson missing: run `make data`"
    try:
        import store

        if store.available("kecamatan").empty:
            return "the store has no kecamatan values: run `make data`"
    except Exception as exc:  # noqa: BLE001 - any store problem means no data
        return f"store not usable: {exc}"
    return None


class BrowserAppTest(AppTest):
    """An AppTest that keeps what the map component sends once per session, as the browser
    does (``window.__rbkShared`` in ``static/map_component.js``): after every run, the shared
    values (long lists, config) of each map element are added to :attr:`map_shared`."""

    def _run(self, widget_state=None, timeout=None):
        result = super()._run(widget_state, timeout)
        shared = self.__dict__.setdefault("map_shared", {})
        for data in map_payloads(self):
            shared.update(data.get("shared", {}))
        return result


def make_app(query: dict | None = None, lang: str | None = None) -> AppTest:
    """An AppTest of ``dashboard.py`` (query parameters as in a deep link)."""
    at = BrowserAppTest(ROOT / "dashboard.py", default_timeout=TIMEOUT)
    query = dict(query or {})
    if lang:
        query["lang"] = lang  # the language switch's URL parameter, as a shared link carries it
    if query:
        at.query_params.update(query)
    return at


def open_page(page: str, query: dict | None = None, lang: str | None = None) -> AppTest:
    """Run the router, then switch to ``pages/<page>.py`` and run again."""
    at = make_app(query, lang)
    at.run()
    if page != "beranda":
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


def choose_compare_indicators(at: AppTest, indicators: list[str]) -> AppTest:
    """On Bandingkan, choose ``indicators`` in the indicator multiselect (as a person does)
    and run the page."""
    box = at.multiselect(key="bandingkan_indicators")
    for old in list(box.value):
        box.unselect(old)
    for new in indicators:
        box.select(new)
    at.run()
    return at


def map_payloads(at: AppTest) -> list[dict]:
    """The data of each map component (``ui.components.plotly_map``) on the page as the last
    run sent it: compact JSON in the element's bytes."""
    return [json.loads(e.proto.bytes) for e in at.get("bidi_component") if e.proto.bytes]


def maps(at: AppTest) -> list[tuple[dict, dict]]:
    """The figure and Plotly config of each map component on the page, complete.

    The component sends each long list (``locations``, hover columns) and the config once per
    session and a key afterwards; the keys resolve from everything the session's runs have
    sent (``at.map_shared``, :class:`BrowserAppTest`), as in the browser. A key that never
    came is an error: the browser would have had to ask for it again.
    """
    received = at.__dict__.get("map_shared", {})
    complete = []
    for data in map_payloads(at):
        fig = data["figure"]
        refs = [data["config"]]
        for tr in fig["data"]:
            refs += [tr.get("_loc"), *(c for c in tr.get("_cd", []) if isinstance(c, str))]
        missing = [ref for ref in refs if ref is not None and ref not in received]
        assert not missing, f"the map references values never sent to this session: {missing}"
        for tr in fig["data"]:
            if "_cd" in tr:  # hover data sent as columns, long ones by key
                cols = [received[c] if isinstance(c, str) else c for c in tr.pop("_cd")]
                tr["customdata"] = [list(row) for row in zip(*cols, strict=True)]
            if "_loc" in tr:
                tr["locations"] = received[tr.pop("_loc")]
        complete.append((fig, received[data["config"]]))
    return complete


def figures(at: AppTest) -> list[dict]:
    """The Plotly figures of the page as JSON: ``st.plotly_chart`` charts and the figures
    drawn by the persistent map component (complete, :func:`maps`)."""
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return charts + [fig for fig, _ in maps(at)]


def trace(fig: dict, name: str) -> dict | None:
    """The trace called ``name`` in a figure (None when absent)."""
    return next((tr for tr in fig["data"] if tr.get("name") == name), None)


def assert_clean(at: AppTest) -> None:
    """No exception and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
