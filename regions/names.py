"""Region names: the one normaliser that the pipeline, uploads and the dashboard compare with.

Names are compared after :func:`fold` (Unicode NFKC, case, no-break and other spaces,
apostrophes, punctuation), then as keys without spaces: :func:`kecamatan_key` drops a
``Kec.``/``Kecamatan`` prefix, :func:`kabupaten_key` splits off ``Kab.``/``Kabupaten`` or
``Kota`` (and its older forms ``Kotamadya``, ``Kodya``, ``Kota Administrasi``), which matter:
Kabupaten Malang and Kota Malang are different regions. A name identifies a kecamatan only
together with its kabupaten/kota. :data:`NAME_VARIANTS` holds the known spelling differences
between BPS and Kemendagri lists.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "SPACES",
    "NAME_VARIANTS",
    "fold",
    "kabupaten_key",
    "kecamatan_key",
    "name_key",
]


#: Spelling variants between BPS (2020) and Kemendagri names, per kabupaten/kota:
#: variant (folded, no spaces) -> a name the region list knows (folded, no spaces).
#: From the BPS–Kemendagri bridging table (data source 3) and the Kemendagri 2025 list.
NAME_VARIANTS: dict[str, dict[str, str]] = {
    "35.07": {"sumbermanjing": "sumbermanjingwetan"},
    "35.11": {"ijen": "sempol", "jambesaridarus": "jambesaridarussholah"},
    "35.13": {"pejarakan": "pajarakan"},
    "35.16": {"gedek": "gedeg"},
    "35.22": {"sumberejo": "sumberrejo"},
    "35.28": {"palenggaan": "palengaan"},
    "35.29": {"giligenteng": "giliginting"},
    "35.71": {"kotakediri": "kota"},
}


#: Translation table turning no-break, thin and other spaces into plain spaces.
SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200b\ufeff\t\r\n"), " ")


_DROP = dict.fromkeys(map(ord, "'\u2019\u2018`\"\u201c\u201d"), None)


_PUNCT = re.compile(r"[-./,()_]+")


_WS = re.compile(r"\s+")


_KEC_PREFIX = re.compile(r"^(?:kecamatan|kec)\s+")


_KAB_PREFIX = re.compile(r"^(?:kabupaten|kab)\s+")


_KOTA_PREFIX = re.compile(r"^(?:kota administrasi|kota adm|kotamadya|kodya|kota)\s+")


def fold(text: object) -> str:
    """Normalise a name for comparison: NFKC, case, spaces, punctuation.

    Examples
    --------
    >>> fold("  Kec.\\u00a0SUMBER-Pucung ")
    'kec sumber pucung'
    >>> fold("Ra'as")
    'raas'
    """
    s = unicodedata.normalize("NFKC", str(text)).translate(SPACES).translate(_DROP).casefold()
    s = _PUNCT.sub(" ", s)
    return _WS.sub(" ", s).strip()


def name_key(name: object) -> str:
    """The comparison key of any region name: folded, ASCII letters and digits only.

    Examples
    --------
    >>> name_key("Watu Kebo"), name_key("Tamba'an"), name_key("Sumber-Pucung")
    ('watukebo', 'tambaan', 'sumberpucung')
    """
    text = unicodedata.normalize("NFKD", fold(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text)


def kecamatan_key(name: object) -> str:
    """The comparison key of a kecamatan name: folded, without ``Kec.``, without spaces.

    Examples
    --------
    >>> kecamatan_key("Kecamatan Gondang Wetan") == kecamatan_key("GONDANGWETAN")
    True
    """
    return _KEC_PREFIX.sub("", fold(name)).replace(" ", "")


def kabupaten_key(name: object) -> tuple[str | None, str]:
    """Split a kabupaten/kota name into (``"kabupaten"``/``"kota"``/None, key without spaces).

    Examples
    --------
    >>> kabupaten_key("Kab. Malang"), kabupaten_key("KOTA MALANG"), kabupaten_key("Malang")
    (('kabupaten', 'malang'), ('kota', 'malang'), (None, 'malang'))
    """
    s = fold(name)
    if _KAB_PREFIX.match(s):
        return "kabupaten", _KAB_PREFIX.sub("", s).replace(" ", "")
    if _KOTA_PREFIX.match(s):
        return "kota", _KOTA_PREFIX.sub("", s).replace(" ", "")
    return None, s.replace(" ", "")
