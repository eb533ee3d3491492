"""A persistent Plotly map: zoom and pan survive a change of indicator or year.

``st.plotly_chart`` replaces the chart's DOM node whenever the figure changes, so a user's
zoom is lost on every indicator change (``uirevision`` cannot help: the node is new). This
small ``st.components.v2`` component keeps one ``<div>`` for the session and calls
``Plotly.react`` on it with each new figure, so Plotly's ``uirevision`` keeps the user's view
(zoom, centre) while the figure's ``uirevision`` is unchanged. Python changes the view by
changing ``layout.uirevision`` (e.g. choosing a kabupaten to zoom to).

Plotly.js is the official geo-only bundle when set-up fetched it (``ui.components.fetch_plotly``,
1.4 MB), else the full bundle shipped inside the installed ``plotly`` Python package (4.8 MB);
either is the plotly.js version of the figure JSON, lives in ``static/generated/`` and is
served by Streamlit's static serving: nothing is fetched from the internet at run time. A click on a region sends its
``location`` back as the trigger value ``clicked``.

The component's code is ``static/map_component.js`` (imported by a one-line module, so it is
not resent with every rerun). Bytes per rerun: the element carries compact JSON as bytes
(Streamlit would send its own JSON with spaces), and each long list (the 666 region codes,
each hover column such as the number of kecamatan in each kabupaten) and the Plotly config
(with its locale dictionary) is sent once per session and then referenced by key
(:func:`compact_figure`); if the browser lacks a shared value it asks for it again (trigger
``missing``). The websocket itself is compressed (``server.enableWebsocketCompression``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly
import plotly.io as pio
import streamlit as st

import settings
from ui.components import chart, fetch_plotly
from ui.data import publish_static

_JS = r"""
export default function (component) {
  const data = JSON.parse(new TextDecoder().decode(component.data));
  const url = new URL(data.module, document.baseURI).href;
  return import(url).then((module) => module.default(component, data));
}
"""

_CSS = """
.rbk-plotly-map { width: 100%; }
"""

_component = st.components.v2.component("rbk_plotly_map", js=_JS, css=_CSS, isolate_styles=False)


def _bundle_version(path: Path) -> str | None:
    head = path.read_bytes()[:300].decode("ascii", "replace")
    match = re.search(r"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)", head)
    return match.group(1) if match else None


@st.cache_resource(show_spinner=False)
def plotly_js_url() -> str:
    """URL of the local Plotly.js bundle.

    The geo-only bundle fetched at set-up (``python -m ui.components.fetch_plotly``) when it
    is present and of the same plotly.js version as the installed ``plotly`` package (whose
    figures it draws); else the full bundle of the ``plotly`` package, copied once into
    ``static/generated/``.
    """
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if fetch_plotly.present() and _bundle_version(fetch_plotly.TARGET) == _bundle_version(full):
        return f"app/static/generated/{fetch_plotly.TARGET.name}"
    return publish_static(full, "plotly", ".min.js")


#: Session key: the shared values (long lists, config) this session's browser holds (by key).
SENT_KEY = "_rbk_map_shared_sent"
#: Lists shorter than this are sent inline every time (a key costs ~20 bytes).
MIN_SHARED = 20


MODULE = settings.STATIC_DIR / "map_component.js"


@st.cache_resource(show_spinner=False)
def module_url() -> str:
    """URL of the component's code, versioned by its content (a new version is refetched)."""
    digest = hashlib.sha256(MODULE.read_bytes()).hexdigest()[:10]
    return f"app/static/{MODULE.name}?v={digest}"


def figure_json(fig) -> str:
    """The figure as Plotly JSON."""
    return pio.to_json(fig, validate=False, engine="json")


def _compact(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _value_key(value) -> str:
    """The key a value is shared under: a digest of its compact JSON."""
    return hashlib.sha1(_compact(value).encode()).hexdigest()[:16]


def _list_key(values: list) -> str | None:
    """The key a long list is shared under (None: short lists go inline)."""
    return None if len(values) < MIN_SHARED else _value_key(values)


def prepared_figure(fig) -> dict:
    """The figure as the component's JSON dict, the same for every session (so it can be
    shared, :mod:`ui.petamap`).

    Plotly's default template (3.7 kB) is dropped: a map whose colours, fonts and background
    are all set draws the same without it. ``customdata`` travels as columns (``_cd``: no
    brackets per region; the browser zips them back). Every long list gets the key it is
    shared under (:func:`compact_figure`): ``_loc`` for ``locations``, ``_cdk`` for the
    columns.
    """
    data = json.loads(figure_json(fig))
    data["layout"].pop("template", None)
    for trace in data["data"]:
        custom = trace.get("customdata")
        if isinstance(custom, list) and custom and isinstance(custom[0], list):
            trace["_cd"] = [list(col) for col in zip(*custom, strict=True)]
            trace["_cdk"] = [_list_key(col) for col in trace["_cd"]]
            del trace["customdata"]
        locations = trace.get("locations")
        if isinstance(locations, list) and _list_key(locations):
            trace["_loc"] = _list_key(locations)
    return data


def compact_figure(figure: dict, sent: set[str]) -> tuple[dict, dict[str, object]]:
    """A prepared figure (:func:`prepared_figure`) whose long lists are referenced by key:
    ``_loc`` instead of ``locations``, a key instead of a column in ``_cd``; ``figure`` itself
    is left as it is.

    Returns the figure and the lists the browser does not hold yet (``sent`` lists the keys
    it holds). The region codes of a map are the same on every rerun, and so are some hover
    columns (the number of kecamatan in each kabupaten), so after the first draw a change of
    indicator or year sends only the lists that changed: classes, values and ranks.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> fig = go.Figure(go.Choropleth(locations=[f"35.01.{i:02d}" for i in range(50)], z=[0] * 50))
    >>> d, new = compact_figure(prepared_figure(fig), set())
    >>> "locations" in d["data"][0], len(new[d["data"][0]["_loc"]]), "template" in d["layout"]
    (False, 50, False)
    >>> compact_figure(prepared_figure(fig), set(new))[1]
    {}
    >>> fig.update_traces(customdata=[[i, 12] for i in range(50)])  # doctest: +ELLIPSIS
    Figure(...)
    >>> d, new = compact_figure(prepared_figure(fig), set(new))
    >>> [isinstance(col, str) for col in d["data"][0]["_cd"]], len(new)
    ([True, True], 2)
    """
    new: dict[str, object] = {}
    traces = []
    for original in figure["data"]:
        key = original.get("_loc")
        dropped = ("_cdk", "locations") if key is not None else ("_cdk",)
        trace = {k: v for k, v in original.items() if k not in dropped}
        if key is not None and key not in sent:
            new[key] = original["locations"]
        keys = original.get("_cdk")
        if keys:
            columns = list(zip(original["_cd"], keys, strict=True))
            trace["_cd"] = [col if k is None else k for col, k in columns]
            new.update((k, col) for col, k in columns if k is not None and k not in sent)
        traces.append(trace)
    return {**figure, "data": traces}, new


def _forget_sent() -> None:
    st.session_state[SENT_KEY] = set()


def _prefetched(figure: dict, config: dict) -> list[str]:
    """The files Plotly will ask for before it draws: each trace's GeoJSON and the (empty)
    topojson of the ``geo`` subplot; the component requests them while Plotly.js loads."""
    urls = [config["topojsonURL"] + chart.TOPOJSON_FILE] if "topojsonURL" in config else []
    for trace in figure["data"]:
        url = trace.get("geojson")
        if isinstance(url, str) and url not in urls:
            urls.append(url)
    return urls


def plotly_map(
    fig: dict, *, key: str, config: dict, revision: str, on_click=None, lod: dict | None = None
):
    """Draw ``fig`` in the persistent map component.

    Parameters
    ----------
    fig : dict
        The figure prepared by :func:`prepared_figure` (shareable by sessions); its
        ``layout.uirevision`` should change only when Python wants to reset the view (level or
        zoom target), not with the indicator.
    key : str
        Widget key (stable across reruns so the element persists).
    config : dict
        Plotly config (:func:`ui.components.chart.figure_config`); whatever is passed, the
        cloud and link buttons are removed (:func:`ui.components.chart.safe_config`).
    revision : str
        A label of the figure's content, written to ``data-drawn`` once drawn (tests wait on it).
    on_click : callable, optional
        Called (as a widget callback, before the rerun) after a click; read the clicked code
        with :func:`clicked_code`.
    lod : dict, optional
        The figure's level of detail (:func:`ui.mapview.level_of_detail`): the component draws
        each overview GeoJSON named in it, and its display GeoJSON instead once the user
        has zoomed in ``lod["zoom"]`` times.

    Returns
    -------
    ComponentResult
        ``.clicked`` is ``{"code": ..., "at": ...}`` on the rerun after a click.
    """
    sent = st.session_state.setdefault(SENT_KEY, set())
    figure, shared = compact_figure(fig, sent)
    config = chart.safe_config(config)
    config_key = _value_key(config)
    if config_key not in sent:
        shared[config_key] = config
    sent.update(shared)
    data = {
        "figure": figure,
        "shared": shared,
        "config": config_key,
        "plotly_url": plotly_js_url(),
        "module": module_url(),
        "revision": revision,
        "prefetch": _prefetched(fig, config),
        "lod": lod,
    }
    return _component(
        key=key,
        data=_compact(data).encode(),
        height="content",
        on_clicked_change=on_click or (lambda: None),
        on_missing_change=_forget_sent,
    )


def clicked_code(key: str) -> str | None:
    """The code of the last clicked region of the component ``key`` (in a callback)."""
    value = st.session_state.get(key)
    if value is None:
        return None
    clicked = value.get("clicked") if hasattr(value, "get") else getattr(value, "clicked", None)
    if isinstance(clicked, dict):
        return clicked.get("code")
    return None
