"""Region keys of uploaded rows: codes and names of kecamatan, normalised and resolved.

Accepted keys of a kecamatan:

- a Kemendagri code, ``35.78.09`` or zero-stripped ``35.78.9``, or undotted ``357809``;
- a BPS code, ``3578080``, also ``3578080.0`` (a float artefact) and with surrounding spaces;
- a kecamatan name **together with** its kabupaten/kota name.

Codes in scientific notation (``3.57808E+06``) are always refused: digits may be lost. BPS
codes are converted only through the crosswalk carried by :mod:`regions`, never by digit
arithmetic. Names are compared after :func:`fold` (case, spaces, no-break spaces, punctuation,
``Kec.``/``Kecamatan``, ``Kab.``/``Kabupaten``/``Kota``) and through the known spelling
variants between BPS and Kemendagri (:data:`NAME_VARIANTS`). Nothing is matched fuzzily:
:func:`Gazetteer.suggest` offers close names for the analyst to confirm.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regions
from ingest.messages import suggestion
from regions.names import NAME_VARIANTS, SPACES, fold, kabupaten_key, kecamatan_key

PROVINCE = "35"


_TOTAL_WORDS = re.compile(r"^(?:jumlah|total|sub ?total|jawa timur|provinsi jawa timur|jatim|grand total)\b")


def is_total_label(text: object) -> bool:
    """True for labels of total rows (``Jumlah``, ``Total``, ``Jawa Timur`` …)."""
    return bool(_TOTAL_WORDS.match(fold(text)))


# --- codes ---------------------------------------------------------------------------------

_C_SCI = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
_C_BPS = re.compile(r"([0-9]{7})(?:\.0+)?")
_C_KEMENDAGRI = re.compile(r"([0-9]{2})\.([0-9]{1,2})\.([0-9]{1,2})")
_C_KEMENDAGRI_FLAT = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})")
_C_DESA = re.compile(r"[0-9]{2}\.[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}|[0-9]{10}(?:\.0+)?")
_C_KAB = re.compile(r"([0-9]{2})\.([0-9]{1,2})|([0-9]{2})([0-9]{2})(?:\.0+)?")
_C_PROV = re.compile(r"[0-9]{2}(?:\.0+)?")


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """A code cell read by shape: ``kind`` and the normalised ``code``."""

    kind: str  # kemendagri | bps | kabupaten | province | desa | scientific | invalid | empty
    code: str


def parse_code(cell: object) -> ParsedCode:
    """Read a code cell by its shape (text from CSV, or a number from XLSX).

    Examples
    --------
    >>> parse_code("35.78.9"), parse_code(" 3578080.0 ")
    (ParsedCode(kind='kemendagri', code='35.78.09'), ParsedCode(kind='bps', code='3578080'))
    >>> parse_code("3.57808E+06").kind
    'scientific'
    """
    if cell is None:
        return ParsedCode("empty", "")
    if isinstance(cell, bool):
        return ParsedCode("invalid", str(cell))
    if isinstance(cell, int):
        text = str(cell)
    elif isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            return ParsedCode("invalid", str(cell))
        text = str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    else:
        text = str(cell)
    text = unicodedata.normalize("NFKC", text).translate(SPACES).replace(" ", "").strip("'\u2019")
    if not text:
        return ParsedCode("empty", "")
    if _C_SCI.fullmatch(text):
        return ParsedCode("scientific", text)
    m = _C_BPS.fullmatch(text)
    if m:
        return ParsedCode("bps", m.group(1))
    m = _C_KEMENDAGRI.fullmatch(text)
    if m:
        return ParsedCode("kemendagri", f"{m.group(1)}.{int(m.group(2)):02d}.{int(m.group(3)):02d}")
    m = _C_KEMENDAGRI_FLAT.fullmatch(text)
    if m:
        return ParsedCode("kemendagri", f"{m.group(1)}.{m.group(2)}.{m.group(3)}")
    if _C_DESA.fullmatch(text):
        return ParsedCode("desa", text)
    m = _C_KAB.fullmatch(text)
    if m:
        if m.group(1):
            return ParsedCode("kabupaten", f"{m.group(1)}.{int(m.group(2)):02d}")
        return ParsedCode("kabupaten", f"{m.group(3)}.{m.group(4)}")
    if _C_PROV.fullmatch(text):
        return ParsedCode("province", text[:2])
    return ParsedCode("invalid", text)


# --- the gazetteer -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resolved:
    """Outcome of resolving a key: ``kode`` or an issue ``code`` with message parameters."""

    kode: str | None
    problem: str | None = None
    params: tuple = ()

    @property
    def ok(self) -> bool:
        return self.kode is not None


class Gazetteer:
    """The 666 kecamatan and 38 kabupaten/kota, indexed for key resolution.

    Parameters
    ----------
    kecamatan : DataFrame
        Columns ``kode``, ``nama``, ``kode_bps``, ``kab_kode`` and optionally ``nama_bps``,
        ``kab_nama`` (the ``regions.kecamatan()`` frame).
    kabupaten : DataFrame
        Columns ``kode``, ``nama`` and optionally ``jenis`` and ``kode_bps`` (``regions.kabupaten()``).
    """

    def __init__(self, kecamatan, kabupaten):
        self.codes: set[str] = set()
        self.names: dict[str, str] = {}
        self.kab_of: dict[str, str] = {}
        self.bps_to_kode: dict[str, str] = {}
        self.kode_to_bps: dict[str, str] = {}
        self.by_name: dict[tuple[str, str], set[str]] = {}
        self.kab_names: dict[str, str] = {}
        self.kab_index: dict[tuple[str | None, str], set[str]] = {}
        self.kab_bps: dict[str, str] = {}
        for rec in kabupaten.to_dict("records"):
            kode = str(rec["kode"])
            name = str(rec["nama"])
            jenis, key = kabupaten_key(name)
            declared = str(rec.get("jenis") or "").strip().lower() or None
            jenis = declared if declared in ("kabupaten", "kota") else jenis
            if jenis is None:
                jenis = "kota" if int(kode.split(".")[1]) >= 71 else "kabupaten"
            pretty = name if kabupaten_key(name)[0] else f"{'Kota' if jenis == 'kota' else 'Kabupaten'} {name}"
            self.kab_names[kode] = pretty
            self.kab_index.setdefault((jenis, key), set()).add(kode)
            self.kab_index.setdefault((None, key), set()).add(kode)
            if rec.get("kode_bps"):
                self.kab_bps[str(rec["kode_bps"])] = kode
        for rec in kecamatan.to_dict("records"):
            kode = str(rec["kode"])
            kab = str(rec.get("kab_kode") or kode[:5])
            self.codes.add(kode)
            self.names[kode] = str(rec["nama"])
            self.kab_of[kode] = kab
            bps = rec.get("kode_bps")
            if bps is not None and str(bps).strip():
                bps = str(bps).strip()
                self.bps_to_kode[bps] = kode
                self.kode_to_bps[kode] = bps
            for col in ("nama", "nama_bps"):
                if rec.get(col):
                    self.by_name.setdefault((kab, kecamatan_key(rec[col])), set()).add(kode)
        for kab, variants in NAME_VARIANTS.items():
            for variant, target in variants.items():
                if (kab, target) in self.by_name and (kab, variant) not in self.by_name:
                    self.by_name[(kab, variant)] = set(self.by_name[(kab, target)])

    @classmethod
    def from_regions(cls) -> Gazetteer:
        """Build from :mod:`regions` (needs ``python -m pipeline build``)."""
        return cls(regions.kecamatan(), regions.kabupaten())

    def label(self, kode: str) -> str:
        """``35.78.04 Wonokromo (Kota Surabaya)``."""
        kab = self.kab_names.get(self.kab_of.get(kode, ""), "")
        return f"{kode} {self.names.get(kode, '?')} ({kab})"

    def resolve_code(self, parsed: ParsedCode) -> Resolved:
        """Resolve a parsed kecamatan code (Kemendagri or BPS through the crosswalk)."""
        if parsed.kind == "kemendagri":
            if parsed.code in self.codes:
                return Resolved(parsed.code)
            return Resolved(None, "unknown_code")
        if parsed.kind == "bps":
            kode = self.bps_to_kode.get(parsed.code)
            return Resolved(kode) if kode else Resolved(None, "unknown_code")
        if parsed.kind == "scientific":
            return Resolved(None, "scientific_code")
        if parsed.kind == "desa":
            return Resolved(None, "desa_code")
        if parsed.kind == "empty":
            return Resolved(None, "missing_key")
        return Resolved(None, "invalid_code")

    def resolve_kabupaten(self, name: object) -> Resolved:
        """Resolve a kabupaten/kota name (or its code)."""
        parsed = parse_code(name)
        if parsed.kind == "kabupaten" and parsed.code in self.kab_names:
            return Resolved(parsed.code)
        jenis, key = kabupaten_key(name)
        if not key:
            return Resolved(None, "missing_key")
        found = self.kab_index.get((jenis, key), set())
        if len(found) == 1:
            return Resolved(next(iter(found)))
        if len(found) > 1:
            options = " / ".join(self.kab_names[k] for k in sorted(found))
            return Resolved(None, "ambiguous_kabupaten", (("options", options),))
        return Resolved(None, "unknown_kabupaten",
                        (("suggest", suggestion(self.suggest_kabupaten(name))),))

    def resolve_name(self, name: object, kab: str) -> Resolved:
        """Resolve a kecamatan name inside kabupaten/kota ``kab``."""
        key = kecamatan_key(name)
        if not key:
            return Resolved(None, "missing_key")
        found = self.by_name.get((kab, key), set())
        kab_name = self.kab_names.get(kab, kab)
        if len(found) == 1:
            return Resolved(next(iter(found)))
        if len(found) > 1:
            options = ", ".join(self.label(k) for k in sorted(found))
            return Resolved(None, "ambiguous_name", (("kabupaten", kab_name), ("options", options)))
        return Resolved(None, "unknown_name",
                        (("kabupaten", kab_name), ("suggest", suggestion(self.suggest(name, kab)))))

    def suggest(self, name: object, kab: str | None = None, limit: int = 3) -> list[str]:
        """Close kecamatan names (rapidfuzz) for the analyst to confirm; never applied."""
        from rapidfuzz import fuzz, process

        pool = {k: self.names[k] for k in self.codes if kab is None or self.kab_of[k] == kab}
        if not pool:
            return []
        hits = process.extract(fold(name), {k: fold(v) for k, v in pool.items()}, scorer=fuzz.WRatio,
                               limit=limit, score_cutoff=70)
        return [self.label(k) for _, _, k in hits]

    def suggest_kabupaten(self, name: object, limit: int = 3) -> list[str]:
        """Close kabupaten/kota names (rapidfuzz), never applied."""
        from rapidfuzz import fuzz, process

        hits = process.extract(kabupaten_key(name)[1], {k: kabupaten_key(v)[1] for k, v in self.kab_names.items()},
                               scorer=fuzz.WRatio, limit=limit, score_cutoff=75)
        return [self.kab_names[k] for _, _, k in hits]
