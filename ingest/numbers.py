"""Numbers written in Indonesian (``1.234.567,89``) or English (``1,234,567.89``) style.

The number format is decided once for the whole file, never cell by cell:

1. every text cell is classified by its shape (:func:`classify`): plain digits fit both
   formats; ``1.234.567`` or ``12,5`` can only be Indonesian; ``1,234,567`` or ``12.5`` only
   English; ``153.190`` and ``153,190`` (one group of exactly three digits) fit both but mean
   different numbers;
2. the cells that fit only one format vote; a file with cells of both kinds is rejected, naming
   the cells of the minority format;
3. with no vote, the format declared by the caller, else Excel's list separator (``;`` or tab
   means an Indonesian-locale export, ``,`` an English one) decides, with a warning; an XLSX
   with ambiguous text numbers and nothing to decide is rejected.

Missing-value symbols of BPS tables (:data:`MISSING_SYMBOLS`) become missing values, never 0.
NaN, infinities, ``1_000``, non-ASCII digits, scientific notation and magnitudes beyond
:data:`MAX_ABS` are errors.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import pandas as pd

ID = "id"
EN = "en"
BOTH = "both"  # plain integer, fits both
AMB_DOT = "amb_dot"  # 153.190: thousands (id) or decimals (en)
AMB_COMMA = "amb_comma"  # 153,190: decimals (id) or thousands (en)
MISSING = "missing"
BAD = "bad"

#: Declared policy: these cell texts (after trimming, case-insensitive) are missing values.
#: BPS uses ``-`` for "nil" and ``…``/``...`` for "not available", ``x`` for "confidential";
#: none of them is turned into 0.
MISSING_SYMBOLS = frozenset({"", "-", "–", "—", "…", "...", "..", "x", "na", "n/a", "n.a.", "n.a", "tidak ada data"})

#: Largest magnitude accepted (beyond it integers are no longer exact in float64).
MAX_ABS = 1e15

_SIGN = r"[+-]?"
_P_INT = re.compile(r"[+-]?[0-9]+")
_P_DOT_ONE = re.compile(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}")
_P_COMMA_ONE = re.compile(r"[+-]?[1-9][0-9]{0,2},[0-9]{3}")
_P_DOT_GROUPS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3}){2,}")
_P_COMMA_GROUPS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3}){2,}")
_P_ID_DEC = re.compile(r"[+-]?(?:[0-9]+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+),[0-9]+")
_P_EN_DEC = re.compile(r"[+-]?(?:[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+)\.[0-9]+")
_P_SPACE_GROUPS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?: [0-9]{3})+(?:[.,][0-9]+)?")
_P_SCI = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+")
_NON_FINITE = frozenset({"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity",
                         "∞", "-∞", "+∞"})
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009"), " ")


def normalise_cell(text: str) -> str:
    """Trim a cell and turn no-break and thin spaces into plain spaces; unify minus signs."""
    return text.translate(_SPACES).strip().replace("\u2212", "-")


def classify(text: str) -> str:
    """Classify a trimmed cell text by the number formats it fits.

    Examples
    --------
    >>> [classify(s) for s in ["1234", "1.234.567", "12,5", "1,234,567", "12.5", "153.190", "0,500"]]
    ['both', 'id', 'id', 'en', 'en', 'amb_dot', 'id']
    """
    if text.lower() in MISSING_SYMBOLS:
        return MISSING
    if _P_INT.fullmatch(text):
        return BOTH
    if _P_DOT_ONE.fullmatch(text):
        return AMB_DOT
    if _P_COMMA_ONE.fullmatch(text):
        return AMB_COMMA
    if _P_DOT_GROUPS.fullmatch(text) or _P_ID_DEC.fullmatch(text):
        return ID
    if _P_COMMA_GROUPS.fullmatch(text) or _P_EN_DEC.fullmatch(text):
        return EN
    if _P_SPACE_GROUPS.fullmatch(text):
        if "," in text:
            return ID
        if "." in text:
            return EN
        return BOTH
    return BAD


def problem_of(text: str) -> str:
    """Name what is wrong with a cell that :func:`classify` called ``bad``.

    Examples
    --------
    >>> [problem_of(s) for s in ["NaN", "1_000", "١٢٣", "1e5", "abc"]]
    ['not_finite', 'underscore_digits', 'non_ascii_digit', 'scientific_value', 'not_a_number']
    """
    low = text.lower().replace(" ", "")
    if low in _NON_FINITE:
        return "not_finite"
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text) or any(
        unicodedata.category(ch) == "Nd" and not "0" <= ch <= "9" for ch in text
    ):
        return "non_ascii_digit"
    if "_" in text and any("0" <= ch <= "9" for ch in text):
        return "underscore_digits"
    if _P_SCI.fullmatch(text):
        return "scientific_value"
    return "not_a_number"


def to_float(text: str, cls: str, locale: str) -> float | None:
    """Convert a cell of class ``cls`` with the file's ``locale``; None if it does not fit it.

    Examples
    --------
    >>> to_float("153.190", AMB_DOT, ID), to_float("153.190", AMB_DOT, EN)
    (153190.0, 153.19)
    >>> to_float("1.234.567,89", ID, ID)
    1234567.89
    >>> to_float("12.5", EN, ID) is None
    True
    """
    if cls == BOTH:
        return float(text.replace(" ", ""))
    if cls in (ID, EN) and cls != locale:
        return None
    if locale == ID:
        clean = text.replace(" ", "").replace(".", "").replace(",", ".")
    else:
        clean = text.replace(" ", "").replace(",", "")
    return float(clean)


def check_magnitude(value: float) -> str | None:
    """``"overflow"`` or ``"not_finite"`` when ``value`` cannot be stored, else None."""
    if math.isnan(value) or math.isinf(value):
        return "not_finite"
    if abs(value) > MAX_ABS:
        return "overflow"
    return None


# --- many cells at once (large files) --------------------------------------------------------

#: Cells made only of ASCII digits, an optional sign, dots and commas: the vectorised path.
_SIMPLE = r"[+-]?[0-9][0-9.,]*"
#: Below this many cells the plain loop is as fast as building a column.
VECTOR_MIN = 5_000


def classify_many(texts: list) -> list[str]:
    """:func:`classify` of many cells (after :func:`normalise_cell` and a trailing ``%``).

    Non-string cells get ``None``. Cells with only digits, sign, dots and commas are classified
    with vectorised regular expressions (the same patterns); the others one by one.

    Examples
    --------
    >>> classify_many(["1.234", "12,5", "-", None, "1,234,567"])
    ['amb_dot', 'id', 'missing', None, 'en']
    """
    n = len(texts)
    if n < VECTOR_MIN:
        return [_classify_cell(t) if isinstance(t, str) else None for t in texts]
    is_str = np.fromiter((isinstance(t, str) for t in texts), dtype=bool, count=n)
    s = pd.Series([t if ok else None for t, ok in zip(texts, is_str, strict=True)], dtype="str")
    simple = s.str.fullmatch(_SIMPLE).fillna(False).to_numpy(dtype=bool)
    out = np.full(n, None, dtype=object)
    if simple.any():
        sub = s[simple]
        conds = [
            sub.str.fullmatch(_P_INT.pattern),
            sub.str.fullmatch(_P_DOT_ONE.pattern),
            sub.str.fullmatch(_P_COMMA_ONE.pattern),
            sub.str.fullmatch(_P_DOT_GROUPS.pattern) | sub.str.fullmatch(_P_ID_DEC.pattern),
            sub.str.fullmatch(_P_COMMA_GROUPS.pattern) | sub.str.fullmatch(_P_EN_DEC.pattern),
        ]
        conds = [c.fillna(False).to_numpy(dtype=bool) for c in conds]
        out[simple] = np.select(conds, [BOTH, AMB_DOT, AMB_COMMA, ID, EN], default=BAD).astype(object)
    for i in np.flatnonzero(is_str & ~simple):
        out[i] = _classify_cell(texts[i])
    return out.tolist()


def _classify_cell(text: str) -> str:
    norm = normalise_cell(text)
    if norm.endswith("%"):
        norm = norm[:-1].rstrip()
    return classify(norm)


def to_float_many(texts: list, classes: list, locale: str):
    """Numbers of many cells in ``locale`` (NaN where a cell is not a simple number of it).

    Only cells of class ``both``, ``amb_*`` or ``locale`` that consist of digits, sign, dots and
    commas are converted here; every other cell is left NaN for the cell-by-cell path, which
    reports it.

    Examples
    --------
    >>> to_float_many(["153.190", "12,5", "12.5"], ["amb_dot", "id", "en"], ID).tolist()
    [153190.0, 12.5, nan]
    """
    n = len(texts)
    ok = np.fromiter(
        (c in (BOTH, AMB_DOT, AMB_COMMA, locale) and isinstance(t, str) and t.isascii() and " " not in t
         and not t.endswith("%") for t, c in zip(texts, classes, strict=True)), dtype=bool, count=n)
    out = np.full(n, np.nan)
    if not ok.any():
        return out
    s = pd.Series([t for t, k in zip(texts, ok, strict=True) if k], dtype="str")
    if locale == ID:
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(",", "", regex=False)
    out[ok] = s.astype("float64").to_numpy()
    return out
