"""Builders of Ketimpangan's three-level Theil decomposition over desa: table, sentence, chart.

The parts (between kabupaten/kota, between kecamatan within kabupaten/kota, within kecamatan)
come from :func:`ui.data.desa_theil.three_level`.

Pure functions: the result and the language in, translated and formatted tables, sentences and
a figure out (no store, no session state, no Streamlit).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from i18n import translate
from i18n.numbers import format_number, plotly_separators
from ui import disparity_figures as figures

#: Decimals of the Theil values (the parts of IDM's Theil T are of the order of 0.001).
DECIMALS = 5


def _t(key: str, lang: str, **params) -> str:
    return translate(f"disparity.three.{key}", lang, **params)


def _value(v: float, lang: str) -> str:
    return format_number(v, DECIMALS, lang)


def _percent(share: float, lang: str) -> str:
    return format_number(100 * share, 1, lang) + "%"


def part_labels(parts: pd.DataFrame, lang: str) -> list[str]:
    """The translated names of the parts (index ``kabupaten``, ``kecamatan``, ``desa``)."""
    return [_t(f"part_{p}", lang) for p in parts.index]


def parts_table(result: Mapping, lang: str) -> pd.DataFrame:
    """The three parts with their values, shares and 95 % intervals, formatted, with
    translated headers.

    Examples
    --------
    >>> parts = pd.DataFrame({"value": [0.002, 0.001], "low": [0.0019, 0.0008],
    ...     "high": [0.0021, 0.0011], "share": [0.6667, 0.3333], "share_low": [0.6, 0.3],
    ...     "share_high": [0.7, 0.4]}, index=["kabupaten", "desa"])
    >>> parts_table({"parts": parts}, "id").iloc[0].tolist()
    ['Antar kabupaten/kota', '0,00200', '[0,00190 ; 0,00210]', '66,7%', '[60,0% ; 70,0%]']
    """
    parts = result["parts"]
    rows = {
        "col_part": part_labels(parts, lang),
        "col_value": [_value(v, lang) for v in parts["value"]],
        "col_interval": [
            f"[{_value(lo, lang)} ; {_value(hi, lang)}]"
            for lo, hi in zip(parts["low"], parts["high"], strict=True)
        ],
        "col_share": [_percent(s, lang) for s in parts["share"]],
        "col_share_interval": [
            f"[{_percent(lo, lang)} ; {_percent(hi, lang)}]"
            for lo, hi in zip(parts["share_low"], parts["share_high"], strict=True)
        ],
    }
    return pd.DataFrame({_t(k, lang): v for k, v in rows.items()})


def sentence(result: Mapping, indicator_name: str, lang: str) -> str:
    """Which level holds the largest part of the inequality, in plain words, with the
    other two parts' shares.

    Examples
    --------
    >>> parts = pd.DataFrame({"share": [0.35, 0.22, 0.43]},
    ...                      index=["kabupaten", "kecamatan", "desa"])
    >>> sentence({"parts": parts}, "IDM", "en")
    'The largest part of the inequality of IDM between desa, 43.0%, lies within kecamatan, \
between neighbouring desa; between kabupaten/kota 35.0% and between kecamatan within a \
kabupaten/kota 22.0%.'
    """
    shares = result["parts"]["share"].sort_values(ascending=False, kind="stable")
    (first, s1), (second, s2), (third, s3) = shares.items()

    def lower(part: str) -> str:
        label = _t(f"part_{part}", lang)
        return label[:1].lower() + label[1:]

    return _t(
        "largest",
        lang,
        indicator=indicator_name,
        share=format_number(100 * s1, 1, lang),
        where=_t(f"where_{first}", lang),
        second=lower(second),
        second_share=format_number(100 * s2, 1, lang),
        third=lower(third),
        third_share=format_number(100 * s3, 1, lang),
    )


def notes(result: Mapping, lang: str) -> list[str]:
    """The total with its interval, which desa enter (kelurahan outside IDM; unmatched desa
    when weighted, with the population basis named) and how the intervals are made."""
    total = _t(
        "total",
        lang,
        value=_value(result["total"], lang),
        low=_value(result["total_low"], lang),
        high=_value(result["total_high"], lang),
    )
    units = _t(
        "units",
        lang,
        n_desa=format_number(result["n_desa"], 0, lang),
        n_kecamatan=format_number(result["n_kecamatan"], 0, lang),
        n_kabupaten=result["n_kabupaten"],
        n_kelurahan=format_number(result["n_kelurahan"], 0, lang),
    )
    out = [total, units]
    if result["n_no_value"]:
        out.append(_t("no_value", lang, n=format_number(result["n_no_value"], 0, lang)))
    if result["weighted"]:
        basis = translate(f"common.population_basis.{result['basis']}", lang)
        out.append(
            _t("weighted", lang, basis=basis, n=format_number(result["n_unmatched"], 0, lang))
        )
    else:
        out.append(_t("unweighted", lang))
    out.append(_t("boot", lang, n=format_number(result["n_boot"], 0, lang)))
    return out


def shares_chart(result: Mapping, lang: str) -> go.Figure:
    """The three shares as bars with their 95 % intervals, labelled."""
    parts = result["parts"]
    return figures.shares_figure(
        parts,
        labels=part_labels(parts, lang),
        x_title=_t("axis", lang),
        interval_name=_t("col_share_interval", lang),
        separators=plotly_separators(lang),
    )
