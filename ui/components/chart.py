"""The one Plotly config of the dashboard, and the one way pages draw a chart.

Nothing may leave the machine: Plotly.js 4 shows a "Share chart…" modebar button by default
(``showSendToCloud``) that posts the figure to ``cloud.plotly.com``; the logo links to
plotly.com. :func:`figure_config` turns both off, removes the cloud and link buttons by name
and points ``plotlyServerURL`` nowhere, for every ``st.plotly_chart`` (:func:`plotly_chart`)
and for the persistent map component (:func:`ui.components.plotly_map.plotly_map`, which
passes any config through :func:`safe_config`). The modebar's tooltips speak the page's
language: Plotly's own strings are translated in ``i18n/locales/<lang>/plotly.toml`` and sent
as the config's ``locales`` dictionary (no locale file is fetched).
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import current_lang, t

#: Modebar buttons that reach another host (never shown).
CLOUD_BUTTONS = ("sendDataToCloud", "sendChartToCloud", "editInChartStudio")
#: Selection tools: shown only on charts whose selection the page reads (linked views).
SELECT_BUTTONS = ("lasso2d", "select2d")
#: Modebar buttons removed from a chart without selection.
REMOVED_BUTTONS = CLOUD_BUTTONS + SELECT_BUTTONS

#: Config keys forced on every figure: no cloud, no links, no logo.
OFFLINE = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "sendData": False,
    "plotlyServerURL": "",
    "linkText": "",
}

#: Plotly's English interface strings → key of ``plotly.modebar.*`` in the locale files.
PLOTLY_STRINGS = {
    "Download plot as a PNG": "download_png",
    "Download plot": "download_plot",
    "Zoom": "zoom",
    "Pan": "pan",
    "Box Select": "box_select",
    "Lasso Select": "lasso_select",
    "Zoom in": "zoom_in",
    "Zoom out": "zoom_out",
    "Autoscale": "autoscale",
    "Reset axes": "reset_axes",
    "Reset view": "reset_view",
    "Reset views": "reset_views",
    "Reset": "reset",
    "Toggle Spike Lines": "spikes",
    "Show closest data on hover": "closest",
    "Toggle show closest data on hover": "toggle_closest",
    "Compare data on hover": "compare",
    "Preparing image - this may take a few seconds": "preparing",
    "Image download succeeded": "image_ok",
    "Sorry, there was a problem downloading your image!": "image_error",
    "Double-click to zoom back out": "double_click",
}

#: The offline topojson folder served by Streamlit (see static/topojson/README.md).
TOPOJSON_URL = "app/static/topojson/"
#: The file a ``geo`` subplot of the default scope and resolution asks for there.
TOPOJSON_FILE = "world_110m.json"


def safe_config(config: dict | None = None, *, selectable: bool = False) -> dict:
    """``config`` with every way off the machine removed (:data:`OFFLINE`,
    :data:`CLOUD_BUTTONS`), and the selection tools unless the chart is ``selectable``.

    Examples
    --------
    >>> c = safe_config({"showSendToCloud": True, "modeBarButtonsToRemove": ["zoom2d"]})
    >>> c["showSendToCloud"], "sendDataToCloud" in c["modeBarButtonsToRemove"], c["plotlyServerURL"]
    (False, True, '')
    """
    out = dict(config or {})
    out.update(OFFLINE)
    removed = list(out.get("modeBarButtonsToRemove") or [])
    drop = CLOUD_BUTTONS if selectable else REMOVED_BUTTONS
    out["modeBarButtonsToRemove"] = removed + [b for b in drop if b not in removed]
    out.pop("modeBarButtonsToAdd", None)
    return out


def figure_config(
    lang: str, *, filename: str = "grafik", geo: bool = False, selectable: bool = False
) -> dict:
    """The config of every figure in ``lang``: offline, PNG download named ``filename``,
    modebar tooltips translated; ``geo`` adds the local topojson and scroll zoom of maps;
    ``selectable`` keeps the box and lasso tools.

    Examples
    --------
    >>> c = figure_config("id", geo=True)
    >>> c["locale"], c["locales"]["id"]["dictionary"]["Zoom in"], c["topojsonURL"]
    ('id', 'Perbesar', 'app/static/topojson/')
    """
    config = {
        "locale": lang,
        "locales": {
            lang: {
                "dictionary": {
                    en: t(f"plotly.modebar.{key}", lang=lang) for en, key in PLOTLY_STRINGS.items()
                }
            }
        },
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }
    if geo:
        config.update(topojsonURL=TOPOJSON_URL, scrollZoom=True)
    return safe_config(config, selectable=selectable)


def plotly_chart(fig, *, key: str, filename: str = "grafik", **kwargs) -> None:
    """``st.plotly_chart`` at full width with :func:`figure_config` in the session's language
    (a map figure gets the geo config; a chart whose selection is read, ``on_select``, keeps
    the box and lasso tools). Returns what ``st.plotly_chart`` returns."""
    geo = any(getattr(tr, "type", "") in ("choropleth", "scattergeo") for tr in fig.data)
    kwargs.pop("config", None)
    selectable = kwargs.get("on_select", "ignore") != "ignore"
    config = figure_config(current_lang(), filename=filename, geo=geo, selectable=selectable)
    return st.plotly_chart(fig, width="stretch", key=key, config=config, **kwargs)
