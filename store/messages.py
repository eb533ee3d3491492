"""Messages as codes with parameters, translated only when they are shown.

The store (and ``ingest``, which uses the same class for its report) never builds a sentence:
it raises or returns a *code* with *parameters*, and :class:`Message` turns them into text in
one language through :func:`i18n.translate` and the locale files
``i18n/locales/<lang>/<area>.toml``. The store's codes live in ``store.toml``:
``store.error.<code>`` (a refused operation, :class:`store.StoreError`),
``store.problem.<code>`` (one refused row of a commit) and ``store.result.<code>`` (what a
commit did, :class:`store.CommitResult`).

A parameter may itself be a :class:`Message`; it is translated into the same language. A
placeholder without a parameter is left empty (never a crash while reporting a problem).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache

import i18n


@dataclass(frozen=True, slots=True)
class Message:
    """A translation key and its parameters.

    Examples
    --------
    >>> Message.of("store.error.no_values").text("en")
    'There are no values to store.'
    >>> Message.of("store.error.no_version", version_id=7).text("id")
    'Tidak ada versi dengan id 7.'
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: object) -> Message:
        """The message ``key`` with keyword parameters."""
        return cls(key, tuple(params.items()))

    def text(self, lang: str = i18n.DEFAULT_LANG) -> str:
        """The message in ``lang`` (``"id"`` or ``"en"``)."""
        values: dict[str, object] = dict.fromkeys(placeholders(self.key), "")
        for name, value in self.params:
            values[name] = value.text(lang) if isinstance(value, Message) else value
        return i18n.translate(self.key, lang, **values)


@cache
def placeholders(key: str) -> frozenset[str]:
    """Names of the placeholders of ``key``'s templates, in any language.

    Examples
    --------
    >>> sorted(placeholders("store.error.no_version"))
    ['version_id']
    """
    names: set[str] = set()
    for lang in i18n.LANGS:
        template = i18n.catalog(lang).get(key, "")
        names.update(name for _, name, _, _ in string.Formatter().parse(template) if name)
    return frozenset(names)
