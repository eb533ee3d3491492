"""Region keys of the data records: each record's kecamatan (Kemendagri code) or its problems.

A record may carry codes (Kemendagri or BPS), a kecamatan name with its kabupaten/kota, or
both; they must agree. Rows of a kabupaten, the province or a total are subtotals: set aside
with a warning, never stored. Keys are resolved once per distinct combination of key cells.
"""

from __future__ import annotations

import operator

from ingest.context import Validation
from ingest.keys import Gazetteer, is_total_label, kabupaten_key, parse_code
from ingest.table import is_blank, text_of

#: A key cell with its column: (Column, cell).
#: A problem: (issue code, column header, value shown, message parameters as pairs).


def resolve_keys(v: Validation) -> list[str | None]:
    """Kemendagri code of each data record (None when it does not resolve); problems and
    subtotal rows go to the report, ``v.subtotal_rows`` and ``report.matched``."""
    r = v.report
    code_cols = v.with_role("code")
    name_cols = v.with_role("name")[:1]
    kab_cols = v.with_role("kab")[:1]
    out: list[str | None] = []
    cache: dict[tuple, tuple] = {}
    matched = 0
    getter = operator.itemgetter(*[c.index for c in code_cols + name_cols + kab_cols])
    for row, line, cells in v.data:
        ck = getter(cells)
        hit = cache.get(ck)
        if hit is None:
            codes = [(c, cells[c.index]) for c in code_cols]
            name = (name_cols[0], cells[name_cols[0].index]) if name_cols else None
            kab = (kab_cols[0], cells[kab_cols[0].index]) if kab_cols else None
            hit = resolve_one(v.gaz, codes, name, kab)
            if len(cache) < 200_000:
                cache[ck] = hit
        kode, problems, subtotal = hit
        if subtotal:
            v.subtotal_rows.add(row)
            r.warn("subtotal_row", row=row, line=line, value=subtotal)
            out.append(None)
            continue
        for code, column, value, params in problems:
            r.error(code, row=row, line=line, column=column, value=value, **dict(params))
        if kode is not None and not problems:
            matched += 1
            out.append(kode)
        else:
            out.append(None)
    r.matched = matched
    return out


def resolve_one(gaz: Gazetteer, codes, name, kab) -> tuple[str | None, list[tuple], str | None]:
    """Resolve the key cells of one record: ``(kode or None, problems, subtotal label or None)``."""
    subtotal = _subtotal_label(codes, name, kab)
    if subtotal is not None:
        return None, [], subtotal
    problems: list[tuple] = []
    kodes = _resolve_codes(gaz, codes, name, problems)
    name_kode = None
    if name is not None and not is_blank(name[1]):
        name_kode = _resolve_name(gaz, name, kab, kodes, problems)
    elif not codes or all(is_blank(v) for _, v in codes):
        col = codes[0][0] if codes else name[0]
        if not problems:
            problems.append(("missing_key", col.header, None, ()))
    _cross_check(gaz, kodes, name, name_kode, problems)
    kode = kodes[0][0] if kodes else name_kode
    if kab is not None and kode is not None and not problems and not is_blank(kab[1]):
        kres = gaz.resolve_kabupaten(kab[1])
        if not kres.ok or kres.kode != gaz.kab_of.get(kode):
            problems.append(_mismatch(gaz, kab[0].header, kab[1], kode, kode))
    return (kode if not problems else None), problems, None


def _subtotal_label(codes, name, kab) -> str | None:
    """The label of a subtotal row (a province/kabupaten code, or a total or kabupaten name
    where the kecamatan name belongs), else None."""
    for _col, value in codes:
        if parse_code(value).kind in ("kabupaten", "province"):
            return text_of(value)
    if name is not None and is_blank(name[1]) and not codes:
        if kab is not None and not is_blank(kab[1]):
            return text_of(kab[1])
    if name is not None and not is_blank(name[1]):
        label = text_of(name[1])
        if is_total_label(label) or kabupaten_key(label)[0] is not None and not codes and (
                kab is None or is_blank(kab[1])):
            return label
    if codes and all(is_blank(v) for _, v in codes) and name is not None and is_total_label(text_of(name[1])):
        return text_of(name[1])
    return None


def _resolve_codes(gaz: Gazetteer, codes, name, problems: list) -> list[tuple[str, object, str]]:
    """``(kode, cell, header)`` of each code cell that resolves; problems of the others."""
    kodes = []
    for col, value in codes:
        parsed = parse_code(value)
        if parsed.kind == "empty" and name is not None:
            continue
        res = gaz.resolve_code(parsed)
        if res.ok:
            kodes.append((res.kode, value, col.header))
        else:
            shown = text_of(value) if not isinstance(value, float) else repr(value)
            problems.append((res.problem, col.header, shown, res.params))
    return kodes


def _resolve_name(gaz: Gazetteer, name, kab, kodes, problems: list) -> str | None:
    """The kecamatan of the name inside its kabupaten (from the kabupaten cell or the code)."""
    kab_kode = None
    if kab is not None:
        kres = gaz.resolve_kabupaten(kab[1])
        if kres.ok:
            kab_kode = kres.kode
        elif not kodes:
            problems.append((kres.problem, kab[0].header, text_of(kab[1]), kres.params))
    if kab_kode is None and kodes:
        kab_kode = gaz.kab_of.get(kodes[0][0])
    if kab_kode is None:
        return None
    nres = gaz.resolve_name(name[1], kab_kode)
    if nres.ok:
        return nres.kode
    if not kodes:
        problems.append((nres.problem, name[0].header, text_of(name[1]), nres.params))
    else:
        problems.append(_mismatch(gaz, name[0].header, name[1], kodes[0][1], kodes[0][0]))
    return None


def _cross_check(gaz: Gazetteer, kodes, name, name_kode, problems: list) -> None:
    """Codes of one record must agree with each other and with the name."""
    distinct = {k for k, _, _ in kodes}
    if len(distinct) > 1:
        first = kodes[0]
        for k, value, header in kodes[1:]:
            if k != first[0]:
                problems.append(_mismatch(gaz, header, value, first[1], first[0]))
    if name_kode is not None and distinct and name_kode not in distinct:
        first = kodes[0]
        problems.append(_mismatch(gaz, name[0].header, name[1], first[1], first[0]))


def _mismatch(gaz: Gazetteer, header: str, value, code_cell, kode: str) -> tuple:
    """A ``code_name_mismatch`` problem: ``value`` disagrees with the code ``code_cell``."""
    return ("code_name_mismatch", header, text_of(value),
            (("code_text", text_of(code_cell)), ("code_name", gaz.label(kode))))
