"""Messages of the validation report: issue codes with parameters, translated when shown.

No sentence is written here. Each issue code has a template in both languages in the locale
files ``i18n/locales/<lang>/ingest.toml`` (key ``ingest.message.<code>``), translated through
:func:`i18n.translate` by :class:`store.messages.Message` (the one message mechanism of the
project); :func:`message` puts the location (record, line, column) in front. Values from the
file are escaped before they get here and are only ever shown as plain text. A template's
placeholder without a parameter is left empty.
"""

from __future__ import annotations

from store.messages import Message

#: Prefix of the keys of issue messages in the locale files.
KEY_PREFIX = "ingest.message."


def key_of(code: str) -> str:
    """The locale key of issue ``code`` (``ingest.message.<code>``)."""
    return KEY_PREFIX + code


def suggestion(names: list[str]) -> Message | str:
    """The ``{suggest}`` parameter: close names to confirm, or nothing.

    Examples
    --------
    >>> suggestion(["Kota Malang", "Kabupaten Malang"]).text("en")
    ' Did you mean: Kota Malang; Kabupaten Malang?'
    >>> suggestion([])
    ''
    """
    if not names:
        return ""
    return Message.of("ingest.suggest.did_you_mean", names="; ".join(names))


def format_name(locale: str) -> Message:
    """The name of a number format (``"id"``/``"en"``) in the language of the message."""
    return Message.of(f"ingest.format_name.{locale}")


def format_label(locale: str) -> Message:
    """The name of a number format in both languages (``Indonesia/Indonesian``)."""
    return Message.of(f"ingest.format_label.{locale}")


def format_refused(locale: str) -> Message:
    """The name of the number format that a cell does not fit."""
    return Message.of(f"ingest.format_refused.{locale}")


def location(lang: str, row=None, line=None, column=None) -> str:
    """``"Record 3, line 5, column 'ipm': "`` in ``lang``, or ``""`` without a location.

    Examples
    --------
    >>> location("id", row=3, column="ipm")
    'Baris data 3, kolom «ipm»: '
    """
    parts = []
    if row is not None:
        parts.append(Message.of("ingest.location.row", row=row).text(lang))
    if line is not None:
        parts.append(Message.of("ingest.location.line", line=line).text(lang))
    if column is not None:
        parts.append(Message.of("ingest.location.column", column=column).text(lang))
    if not parts:
        return ""
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + ": "


def message(code: str, lang: str, *, row=None, line=None, column=None, value=None, **params) -> str:
    """The message of ``code`` in ``lang`` with its location in front.

    Examples
    --------
    >>> message("not_a_number", "en", row=3, line=5, column="ipm", value="abc")
    "Record 3, line 5, column 'ipm': 'abc' is not a number."
    """
    fields = dict(params, value="" if value is None else value, column=column or "",
                  row=row, line=line)
    body = Message(key_of(code), tuple(fields.items())).text(lang)
    return location(lang, row, line, column) + body


def render(code: str, **kw) -> tuple[str, str]:
    """The (Bahasa Indonesia, English) messages of ``code`` with its location.

    Examples
    --------
    >>> render("not_a_number", row=3, line=5, column="ipm", value="abc")[1]
    "Record 3, line 5, column 'ipm': 'abc' is not a number."
    """
    return message(code, "id", **kw), message(code, "en", **kw)
