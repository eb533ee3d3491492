"""The role of each column: region keys, long-form columns, indicator values, notes.

Headers are compared after :func:`ingest.specs.normalise_header`. A column named in the
analyst's mapping takes that indicator; other columns are recognised by name (the sets
below); every remaining column holds values of an indicator, matched to the catalogue through
its ids and aliases (a year in the header, ``IPM 2023``, is the year of its values). Unknown
columns whose cells are mostly text are notes.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ingest import numbers as num
from ingest.context import Validation
from ingest.specs import Column, IndicatorSpec, normalise_header
from ingest.table import is_blank

CODE_HEADERS = frozenset({
    "kode", "kode_kecamatan", "kode_kec", "kd_kec", "kdkec", "kode_wilayah", "kode_kemendagri",
    "kode_dagri", "kemendagri", "region_code", "code", "kode_bps", "kode_kec_bps", "bps_code",
    "kd_bps", "kode_kecamatan_bps", "kode_kecamatan_kemendagri", "id_kecamatan", "kode_kec_kemendagri",
    "kode_wilayah_kemendagri", "kode_wilayah_bps",
})
NAME_HEADERS = frozenset({
    "kecamatan", "nama_kecamatan", "nama_kec", "kec", "nmkec", "nama", "district", "subdistrict",
    "sub_district", "kecamatan_name", "nama_wilayah", "wilayah",
})
KAB_HEADERS = frozenset({
    "kabupaten", "kabupaten_kota", "kab_kota", "kota_kabupaten", "nama_kabupaten",
    "nama_kabupaten_kota", "nama_kab_kota", "kab", "kabkota", "kabkot", "kab_kot", "regency",
    "regency_city", "nama_kab", "nmkab", "kode_kabupaten", "kode_kab", "kd_kab", "kode_kab_kota",
})
INDICATOR_HEADERS = frozenset({"indikator", "indicator", "variabel", "variable", "id_indikator", "indicator_id"})
YEAR_HEADERS = frozenset({"tahun", "year", "thn"})
VALUE_HEADERS = frozenset({"nilai", "value", "angka"})
UNIT_HEADERS = frozenset({"satuan", "unit"})
NOTE_HEADERS = frozenset({
    "catatan", "keterangan", "ket", "notes", "note", "remarks", "komentar", "sumber", "sumber_data",
    "source", "comment", "comments",
})
ROWNUM_HEADERS = frozenset({"no", "nomor", "no_urut", "number", "nr", "urut"})
KEY_HEADERS = CODE_HEADERS | NAME_HEADERS | KAB_HEADERS

#: Roles recognised by name, in the order they are tried (``value`` only beside an indicator column).
_ROLES_BY_NAME = (
    (CODE_HEADERS, "code"), (KAB_HEADERS, "kab"), (NAME_HEADERS, "name"),
    (INDICATOR_HEADERS, "indicator"), (YEAR_HEADERS, "year"), (VALUE_HEADERS, "value"),
    (UNIT_HEADERS, "unit"), (NOTE_HEADERS, "note"), (ROWNUM_HEADERS, "rownum"),
)
_YEAR_IN_HEADER = re.compile(r"^(.*?)[\s_(\[-]*((?:19|20)[0-9]{2})[)\]]?\s*$")


def year_of_header(header: str) -> tuple[str, int | None]:
    """Split a year off a header: ``"IPM 2023"`` → ``("IPM", 2023)``.

    Examples
    --------
    >>> year_of_header("IPM 2023"), year_of_header("ipm_(2024)"), year_of_header("2023")
    (('IPM', 2023), ('ipm', 2024), ('2023', None))
    """
    m = _YEAR_IN_HEADER.match(header)
    if m and m.group(1).strip():
        return m.group(1), int(m.group(2))
    return header, None


def classify_columns(v: Validation, headers: list[str]) -> None:
    """Give each column its role (into ``v.columns``); report duplicate and empty headers."""
    seen: dict[str, list[int]] = defaultdict(list)
    norm_mapping = {normalise_header(k): t for k, t in (v.options.mapping or {}).items()}
    has_indicator_col = any(normalise_header(h) in INDICATOR_HEADERS for h in headers)
    cols: list[Column] = []
    for i, header in enumerate(headers):
        col = Column(i, header, "ignored")
        cols.append(col)
        if not header:
            if any(not is_blank(cells[i]) for _, _, cells in v.data):
                v.report.error("empty_header", line=v.header_line, position=i + 1)
            continue
        key = normalise_header(header)
        seen[key].append(i + 1)
        _assign_role(v, col, key, norm_mapping, has_indicator_col)
    for positions in seen.values():
        if len(positions) > 1:
            v.report.error("duplicate_header", line=v.header_line, column=headers[positions[0] - 1],
                           positions=", ".join(map(str, positions)))
    # Several key columns of one role: keep the first, others must agree (checked as names).
    v.columns = cols
    _mark_text_columns(v, norm_mapping)


def _assign_role(v: Validation, col: Column, key: str, norm_mapping: dict, has_indicator_col: bool) -> None:
    if key in norm_mapping:
        target = norm_mapping[key]
        if target in (None, ""):
            return  # ignored by the analyst
        if key not in KEY_HEADERS:
            col.role = "values"
            col.spec = v.specs.get(target) or IndicatorSpec(target, known=False, name=col.header)
            col.year = year_of_header(col.header)[1]
            return
    for names, role in _ROLES_BY_NAME:
        if key in names and (role != "value" or has_indicator_col):
            col.role = role
            return
    base, year = year_of_header(col.header)
    base_key = normalise_header(base)
    ind = v.aliases.get(base_key) or v.aliases.get(key)
    if ind is None and base_key in v.specs:
        ind = base_key
    col.role = "values"
    col.year = year
    col.spec = v.specs[ind] if ind else IndicatorSpec(base_key or key, known=False, name=col.header)


def _mark_text_columns(v: Validation, norm_mapping: dict) -> None:
    """Unknown value columns that are mostly text become notes; notes are reported."""
    for col in v.columns:
        if col.role == "values" and not col.spec.known and normalise_header(col.header) not in norm_mapping:
            cells = [c for _, _, cells in v.data if not is_blank(c := cells[col.index])]
            texts = sum(1 for c in cells if isinstance(c, str) and v.number_class(c) == num.BAD)
            if cells and texts > len(cells) / 2:
                col.role = "note"
                v.report.warn("text_column", column=col.header, line=v.header_line)
        elif col.role == "note":
            v.report.warn("text_column", column=col.header, line=v.header_line)


def check_roles(v: Validation) -> str | None:
    """The shape of the file (``"long"`` or ``"wide"``) once the key and value columns are
    there; None (with an error) when they are not."""
    r = v.report
    if not r.accepted and r.counts[("error", "duplicate_header")]:
        return None
    roles = {c.role for c in v.columns}
    if not roles & {"code", "name"}:
        r.error("no_key_column", line=v.header_line)
        return None
    if "name" in roles and not roles & {"code", "kab"}:
        r.error("kabupaten_column_missing", line=v.header_line)
        return None
    v.result.columns = v.columns
    long = "indicator" in roles and "value" in roles
    v.result.meta["shape"] = "long" if long else "wide"
    if not long and "values" not in roles:
        r.error("no_value_columns", line=v.header_line)
        return None
    return "long" if long else "wide"
