"""The "data ilustrasi" badge: how illustrative (generated) values are labelled.

An indicator is illustrative when its catalogue row has ``illustrative == True`` (see
``store/README.md``). Wherever such values appear the page shows the badge:

- next to a heading or metric: :func:`badge` (an orange ``st.badge``);
- in a Plotly figure: :func:`badge_figure` adds a corner annotation "DATA ILUSTRASI";
- in a table header or a chart title: :func:`label` appends " (data ilustrasi)";
- in a download: ``ui.exports.to_csv(..., illustrative=True)`` adds a ``status_data`` column.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from ui.i18n import t

COLOR = "orange"
ICON = ":material/science:"


def text(lang: str | None = None) -> str:
    """The badge text ("data ilustrasi" / "illustrative data")."""
    return t("common.badge.illustrative", lang=lang)


def label(name: str, illustrative: bool, lang: str | None = None) -> str:
    """``name`` with " (data ilustrasi)" appended when ``illustrative``."""
    return f"{name} ({text(lang)})" if illustrative else name


def badge(illustrative: bool = True, help_text: bool = True) -> None:
    """Show the orange badge (nothing when ``illustrative`` is False)."""
    if not illustrative:
        return
    st.badge(text(), icon=ICON, color=COLOR, help=t("common.badge.help") if help_text else None)


def badge_figure(fig, illustrative: bool = True, lang: str | None = None):
    """Add a visible "DATA ILUSTRASI" annotation to the top-left of a Plotly figure.

    Returns the same figure (for chaining). The annotation has ``name="illustrative_badge"``
    so tests can find it.
    """
    if illustrative:
        fig.add_annotation(
            name="illustrative_badge",
            text=f"<b>{text(lang).upper()}</b>",
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font={"color": "#7a3e00", "size": 12},
            bgcolor="#ffe0b2",
            bordercolor="#e65100",
            borderwidth=1,
            borderpad=3,
        )
    return fig


def lift_badge(fig: go.Figure, space_px: int = 34) -> go.Figure:
    """Move the illustrative badge (``ui.badges.badge_figure``) above the plotting area.

    Small-multiple figures have panel titles at the top; the badge goes into extra top
    margin instead of over the first panel, at the right when the figure has a title (never
    over it).
    """
    margin_top = (fig.layout.margin.t or 0) + space_px
    height = fig.layout.height or 450
    inner = max(height - margin_top - (fig.layout.margin.b or 0), 1)
    fig.update_layout(margin={"t": margin_top})
    # a figure whose title is written at the top left gets the badge at the top right
    title = fig.layout.title
    left_title = bool(title.text) and title.x is not None and title.x < 0.5
    side = {"x": 1, "xanchor": "right"} if left_title else {}
    for annotation in fig.layout.annotations:
        if annotation.name == "illustrative_badge":
            annotation.update(y=1 + (space_px + 24) / inner, yanchor="bottom", **side)
    return fig
