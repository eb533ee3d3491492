"""Small text helpers shared by every presentation layer (pure: no Streamlit, no data)."""

from __future__ import annotations

import html
import math
import re
import textwrap

#: Characters that mean something anywhere in Streamlit's Markdown (CommonMark + GFM, ``$``
#: maths, raw HTML and entities); ``[`` also covers links, images and ``:color[...]``.
_MD_ANYWHERE = re.compile(r"([\\`*\[\]<>~$&|])")
#: An underscore that could open or close emphasis (not one inside a word: ``kolom_baru``).
_MD_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
#: What starts a block only at the start of the text: heading, list item, ordered list.
_MD_BLOCK_START = re.compile(r"^(\s*)([#+=-])|^(\s*\d+)([.)])")
#: Bare addresses GFM would turn into live links (``http://``, ``www.``, ``name@host``).
_MD_AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<=www)(\.)|(?<=\w)(@)(?=\w)", re.IGNORECASE)
#: Streamlit's Markdown finds bare addresses in the text *after* backslash escapes are
#: resolved, so an escape cannot stop them: an invisible word joiner (U+2060) breaks them.
_WORD_JOINER = "\u2060"


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


def escape_markdown(text: object) -> str:
    """Text from a file (a name, unit, header, value) shown literally where Streamlit renders
    Markdown (labels, captions, alerts, ``st.markdown``).

    Links, images, bare addresses, emphasis, headings, lists, HTML tags and entities, ``$``
    maths and ``:red[...]`` directives come out as the characters typed (a bare address gets
    an invisible word joiner before its ``:``, ``.`` or ``@``, the one thing that stops
    Streamlit's Markdown from linking it); characters that are
    harmless where they stand (``kolom_baru``, ``IPM (2024)``) are left alone, so the text
    also reads well where Streamlit repeats a label verbatim (``aria-label``). Line breaks
    become spaces.

    Examples
    --------
    >>> print(escape_markdown("[x](http://a.b)").replace(_WORD_JOINER, "^"))
    \\[x\\](http^://a.b)
    >>> md = escape_markdown("![](www.a.b/i.png) **tebal** <b>x</b> &amp; $x$ a@b.c")
    >>> print(md.replace(_WORD_JOINER, "^"))
    !\\[\\](www^.a.b/i.png) \\*\\*tebal\\*\\* \\<b\\>x\\</b\\> \\&amp; \\$x\\$ a^@b.c
    >>> print(escape_markdown("# 1. _miring_ kolom_baru"))
    \\# 1. \\_miring\\_ kolom_baru
    >>> print(escape_markdown("2024. Rasio"), escape_markdown("- daftar"))
    2024\\. Rasio \\- daftar
    >>> escape_markdown(None), escape_markdown("IPM (2024)")
    ('', 'IPM (2024)')
    """
    if text is None:
        return ""
    out = " ".join(str(text).splitlines())
    out = _MD_ANYWHERE.sub(r"\\\1", out)
    out = _MD_UNDERSCORE.sub(r"\\_", out)
    out = _MD_AUTOLINK.sub(lambda m: _WORD_JOINER + m.group(0), out)
    return _MD_BLOCK_START.sub(
        lambda m: (m.group(1) or m.group(3) or "") + "\\" + (m.group(2) or m.group(4)), out, count=1)


def escape_plotly_html(text: object) -> str:
    """Text from a file shown literally in Plotly titles, labels and hovers.

    Plotly renders a subset of HTML (``<b>``, ``<i>``, ``<a href>``, ``<br>``, ``<span
    style>``, entities) in every text: ``&``, ``<`` and ``>`` become entities, which Plotly
    draws as the characters themselves. Use it on the text only, never on a template
    (``%{...}`` placeholders and our own ``<br>`` stay as they are).

    Examples
    --------
    >>> escape_plotly_html('<a href="http://a.b">x</a> & <b>')
    '&lt;a href="http://a.b"&gt;x&lt;/a&gt; &amp; &lt;b&gt;'
    >>> escape_plotly_html("Rasio 1 < 2"), escape_plotly_html(None)
    ('Rasio 1 &lt; 2', '')
    """
    if text is None:
        return ""
    return html.escape(str(text), quote=False)
