"""The one number formatter of the project: legends, tables, hovers and exports use it.

Bahasa Indonesia writes ``1.234.567,89``, English ``1,234,567.89``; a negative number always
starts with the minus sign ``−`` (U+2212), never a hyphen; a missing value is ``–``, never 0.
Plotly draws numbers in the browser with :func:`plotly_separators` and :func:`d3_format`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

#: Decimal mark and thousands separator per language.
SEPARATORS = {"id": (",", "."), "en": (".", ",")}

#: Shown for a missing value.
MISSING = "–"

MINUS = "−"


def format_number(value, decimals: int = 2, lang: str = "id", missing: str = MISSING) -> str:
    """Format a number with the language's decimal mark and thousands separator.

    Parameters
    ----------
    value : float or int or None
        The number; None or NaN gives ``missing``; anything else not numeric is shown as text.
    decimals : int
        Digits after the decimal mark.
    lang : str
        ``"id"`` (default) or ``"en"``.
    missing : str
        Shown for a missing value (never ``0``).

    Examples
    --------
    >>> format_number(1234567.891, 2, "id")
    '1.234.567,89'
    >>> format_number(1234567.891, 1, "en")
    '1,234,567.9'
    >>> format_number(-1.18, 2, "id"), format_number(float("nan"), 1, "id")
    ('−1,18', '–')
    >>> format_number(-0.0001, 2, "id")
    '0,00'
    """
    if value is None:
        return missing
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return missing
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    text = f"{x:,.{decimals}f}"
    dec, thou = SEPARATORS.get(lang, SEPARATORS["id"])
    if (dec, thou) != (".", ","):
        text = text.replace(",", "\0").replace(".", dec).replace("\0", thou)
    if text.startswith("-"):
        # a tiny negative number that rounds to zero is zero, not "−0,00"
        text = text[1:] if not any(c in "123456789" for c in text) else MINUS + text[1:]
    return text


def formatter(decimals: int, lang: str = "id") -> Callable[[float], str]:
    """:func:`format_number` with fixed decimals and language (for class labels).

    Examples
    --------
    >>> formatter(1, "id")(-1234.56)
    '−1.234,6'
    """

    def fmt(value) -> str:
        return format_number(value, decimals, lang)

    return fmt


def format_percent(value, decimals: int = 1, lang: str = "id") -> str:
    """A value already in percent, with ``%`` (``12,3%`` in Bahasa Indonesia).

    Examples
    --------
    >>> format_percent(12.345, 1, "id")
    '12,3%'
    """
    text = format_number(value, decimals, lang)
    return text if text == MISSING else f"{text}%"


def auto_decimals(values: Iterable[float]) -> int:
    """A sensible number of decimals for a set of values (0 for large magnitudes, up to 3).

    Examples
    --------
    >>> auto_decimals([1200.0, 35000.0])
    0
    >>> auto_decimals([0.12, 0.48])
    3
    """
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return 0
    spread = max(finite)
    if spread >= 1000:
        return 0
    if spread >= 100:
        return 1
    if spread >= 1:
        return 2
    return 3


def plotly_separators(lang: str = "id") -> str:
    """The Plotly ``layout.separators`` string: decimal mark then thousands separator.

    Examples
    --------
    >>> plotly_separators("id"), plotly_separators("en")
    (',.', '.,')
    """
    return "".join(SEPARATORS.get(lang, SEPARATORS["id"]))


def d3_format(decimals: int) -> str:
    """A d3 number format (Plotly ``hovertemplate``/``tickformat``) with thousands grouping."""
    return f",.{decimals}f"
