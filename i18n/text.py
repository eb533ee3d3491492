"""Small text helpers shared by every presentation layer (pure: no Streamlit, no data)."""

from __future__ import annotations

import math
import textwrap


def display_name(name: object) -> str:
    """A region name for display: all-capitals source names become title case.

    Examples
    --------
    >>> display_name("KOTA SURABAYA"), display_name("Sukolilo")
    ('Kota Surabaya', 'Sukolilo')
    """
    text = "" if name is None else str(name)
    return text.title() if text.isupper() else text


def wrap(text: str, width: int = 30) -> str:
    """Break a long label into lines for Plotly (``<br>``).

    Examples
    --------
    >>> wrap("Persentase penduduk miskin (P0)", 15)
    'Persentase<br>penduduk miskin<br>(P0)'
    """
    return "<br>".join(textwrap.wrap(str(text), width=width)) or str(text)


def rank_text(rank, n, of: str | None = None) -> str:
    """A rank out of ``n`` as ``3/31``, or ``3 of 31`` with ``of`` (the translated word);
    ``–`` when there is no rank.

    Examples
    --------
    >>> rank_text(3.0, 31), rank_text(3, 31, of="dari"), rank_text(None, 31)
    ('3/31', '3 dari 31', '–')
    """
    try:
        r, total = float(rank), float(n)
    except (TypeError, ValueError):
        return "–"
    if not (math.isfinite(r) and math.isfinite(total)):
        return "–"
    return f"{int(r)} {of} {int(total)}" if of else f"{int(r)}/{int(total)}"
