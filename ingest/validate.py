"""From the bytes of an uploaded file to validated values and a located report.

:func:`validate_bytes` never raises on bad input: every problem becomes an issue of the
report, and the whole file is accepted or rejected. Steps: limits (before parsing) → kind by
content → decode and read records (CSV) or one worksheet (XLSX) → header row (title rows above
it skipped) → column roles (keys, long-form columns, indicators, notes) → region keys → one
number format for the file → values checked by indicator kind → duplicates and coverage.
"""

from __future__ import annotations

import hashlib
import operator
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd

from ingest import numbers as num
from ingest.csvread import read_delimited
from ingest.keys import Gazetteer, is_total_label, kabupaten_key, parse_code
from ingest.limits import Limits
from ingest.report import Report
from ingest.sniff import decode, kind_of
from ingest.table import EXCEL_ERRORS, ExcelError, RawTable
from ingest.xlsxread import read_xlsx


def normalise_header(name: object) -> str:
    """Column names as compared with aliases (the store's rule: ``Jumlah Penduduk`` → ``jumlah_penduduk``)."""
    from store.definitions import normalise_alias

    return normalise_alias("" if name is None else str(name))


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

_YEAR_IN_HEADER = re.compile(r"^(.*?)[\s_(\[-]*((?:19|20)[0-9]{2})[)\]]?\s*$")
_COLUMN_NUMBER = re.compile(r"^\(?[0-9]{1,3}\)?$")
_FOOTNOTE_START = frozenset("sScCkKnN* \t")
_FOOTNOTE = re.compile(r"^\s*(?:sumber|source|catatan|keterangan|note|notes|ket)\s*[:.]|^\s*\*+\)?", re.IGNORECASE)

#: Kinds of the catalogue checked as counts (whole, non-negative) and as percentages.
COUNT_KINDS = frozenset({"count"})
PERCENT_KINDS = frozenset({"percent"})
#: A value this many times the column's median magnitude is flagged as implausible.
MAGNITUDE_FACTOR = 1000.0


@dataclass(frozen=True)
class IndicatorSpec:
    """What a value column must hold: catalogue id (or proposed id), kind and bounds."""

    id: str
    kind: str = "other"
    valid_min: float | None = None
    valid_max: float | None = None
    known: bool = True
    name: str = ""


@dataclass
class Options:
    """Choices of the analyst (page) or of the command line.

    Attributes
    ----------
    year : int, optional
        Year of a wide file without a year column (``--year``).
    sheet : str or int, optional
        Worksheet of an XLSX (name or 0-based index); default the first visible one.
    locale : {"auto", "id", "en"}
        Number format; ``auto`` decides from the file (see :mod:`ingest.numbers`).
    mapping : dict, optional
        Column header → indicator id, overriding the catalogue's aliases; a header mapped to
        None or ``""`` is ignored.
    new_indicators : dict, optional
        Indicator id → :class:`IndicatorSpec` of indicators the analyst creates with this upload.
    limits : Limits
    """

    year: int | None = None
    sheet: str | int | None = None
    locale: str = "auto"
    mapping: dict[str, str | None] | None = None
    new_indicators: dict[str, IndicatorSpec] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)


@dataclass
class Column:
    """How one column of the file is used."""

    index: int
    header: str
    role: str  # code | name | kab | indicator | year | value | unit | note | rownum | values | ignored
    spec: IndicatorSpec | None = None
    year: int | None = None


@dataclass
class Result:
    """The outcome of validating one file.

    Attributes
    ----------
    report : Report
    values : DataFrame
        ``region_code``, ``indicator``, ``source_column``, ``year``, ``value``, ``known``
        (catalogue indicator or not), ``note``, ``row``, ``line`` — every validated value
        (empty when the file is rejected).
    columns : list of Column
    meta : dict
        ``kind``, ``encoding``, ``delimiter``, ``sheet``, ``sheets``, ``shape``, ``sha256``,
        ``size``, ``locale``.
    """

    report: Report
    values: pd.DataFrame
    columns: list[Column] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.report.accepted

    def store_frame(self) -> pd.DataFrame:
        """The values of catalogue indicators in the form :func:`store.commit` takes."""
        v = self.values[self.values["known"]]
        out = v[["region_code", "indicator", "year", "value", "note"]].copy()
        out.insert(1, "level", "kecamatan")
        out["illustrative"] = False
        return out.reset_index(drop=True)


VALUE_COLUMNS = ["region_code", "indicator", "source_column", "year", "value", "known", "note", "row", "line"]


def _empty_values() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in VALUE_COLUMNS})


def catalogue_specs(catalogue: pd.DataFrame | None) -> tuple[dict[str, str], dict[str, IndicatorSpec]]:
    """Aliases (normalised) → id, and id → spec, from ``store.catalogue()``."""
    aliases: dict[str, str] = {}
    specs: dict[str, IndicatorSpec] = {}
    if catalogue is None or len(catalogue) == 0:
        return aliases, specs
    for ind, row in catalogue.iterrows():
        lo = row.get("valid_min")
        hi = row.get("valid_max")
        levels = row.get("levels") or ()
        if levels and "kecamatan" not in levels:
            continue
        specs[ind] = IndicatorSpec(
            id=str(ind), kind=str(row.get("kind") or "other"),
            valid_min=None if lo is None or pd.isna(lo) else float(lo),
            valid_max=None if hi is None or pd.isna(hi) else float(hi),
            known=True, name=str(row.get("name_id") or ind),
        )
        aliases[normalise_header(ind)] = str(ind)
        for alias in row.get("aliases") or ():
            aliases.setdefault(normalise_header(alias), str(ind))
    return aliases, specs


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _row_blank(rec) -> bool:
    for c in rec:
        if c is None:
            continue
        if isinstance(c, str):
            if c and not c.isspace():
                return False
            continue
        return False
    return True


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def validate_bytes(
    data: bytes,
    *,
    filename: str | None = None,
    options: Options | None = None,
    catalogue: pd.DataFrame | None = None,
    gazetteer: Gazetteer | None = None,
) -> Result:
    """Validate an uploaded file.

    Parameters
    ----------
    data : bytes
        The file's content (its kind is decided from the content, not from ``filename``).
    filename : str, optional
        Shown in the report only; never used as a path.
    options : Options, optional
    catalogue : DataFrame, optional
        ``store.catalogue()``; None means no catalogue (every column is a new indicator).
    gazetteer : Gazetteer, optional
        Default :meth:`Gazetteer.from_regions`.

    Returns
    -------
    Result
    """
    options = options or Options()
    report = Report()
    meta = {"filename": filename, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    result = Result(report, _empty_values(), [], meta)
    limits = options.limits
    if options.year is not None and not 1900 <= options.year <= 2100:
        report.error("bad_year", value=options.year)
        return result
    if len(data) > limits.max_bytes:
        report.error("file_too_large", size_mb=f"{len(data) / 1e6:,.1f}", limit_mb=f"{limits.max_bytes / 1e6:,.0f}")
        return result
    kind = kind_of(data)
    meta["kind"] = kind
    table: RawTable | None = None
    if kind == "empty":
        report.error("file_empty")
        return result
    if kind == "ole":
        report.error("xls_legacy")
        return result
    if kind == "zip":
        table = read_xlsx(data, report, limits, options.sheet)
        meta["kind"] = "xlsx"
    else:
        decoded = decode(data, report)
        if decoded is None:
            return result
        text, encoding = decoded
        del decoded
        meta["encoding"] = encoding
        if not text.strip():
            report.error("file_empty")
            return result
        table = read_delimited(text, report, limits, encoding)
        del text
    if table is None:
        return result
    meta.update(delimiter=table.delimiter, sheet=table.sheet, sheets=table.sheets)
    if gazetteer is None:
        try:
            gazetteer = Gazetteer.from_regions()
        except Exception as exc:  # the region list is not built
            report.error("regions_unavailable", reason=type(exc).__name__)
            return result
    _Validator(table, report, options, catalogue, gazetteer, result).run()
    if not report.accepted:
        result.values = _empty_values()
    report.note_truncation()
    return result


class _Recorder:
    """Collects issues of one cell so that they can be replayed for every row with that cell."""

    __slots__ = ("pending",)

    def __init__(self):
        self.pending: list[tuple[str, str, dict]] = []

    def _add(self, severity: str, code: str, **kw) -> None:
        for k in ("row", "line", "column", "value"):
            kw.pop(k, None)
        self.pending.append((severity, code, kw))

    def error(self, code: str, **kw) -> None:
        self._add("error", code, **kw)

    def warn(self, code: str, **kw) -> None:
        self._add("warning", code, **kw)


class _Validator:
    def __init__(self, table: RawTable, report: Report, options: Options, catalogue, gaz: Gazetteer, result: Result):
        self.t = table
        self.r = report
        self.o = options
        self.gaz = gaz
        self.result = result
        self.aliases, self.specs = catalogue_specs(catalogue)
        self.specs.update(options.new_indicators)
        self.cls_cache: dict[str, str] = {}

    # ----------------------------------------------------------------- header and records
    def find_header(self) -> int | None:
        records = self.t.records
        fallback = None
        for i, rec in enumerate(records[:50]):
            cells = [c for c in rec if not _is_blank(c)]
            if len(cells) < 2:
                continue
            names = {normalise_header(c) for c in cells if isinstance(c, str)}
            if names & (KEY_HEADERS | INDICATOR_HEADERS):
                return i
            if fallback is None and all(isinstance(c, str) and num.classify(num.normalise_cell(c)) == num.BAD
                                        for c in cells):
                fallback = i
        return fallback

    def run(self) -> None:
        t, r = self.t, self.r
        if not t.records:
            r.error("no_data_rows")
            return
        h = self.find_header()
        if h is None:
            r.error("no_header")
            return
        header_rec = t.records[h]
        width = len(header_rec)
        while width and _is_blank(header_rec[width - 1]):
            width -= 1
        if width > self.o.limits.max_columns:
            r.error("too_many_columns", count=f"{width:,}", limit=f"{self.o.limits.max_columns:,}")
            return
        titles = sum(1 for rec in t.records[:h] if any(not _is_blank(c) for c in rec))
        if titles:
            r.warn("title_rows_skipped", line=t.lines[h], count=titles)
        headers = [_text(c) for c in header_rec[:width]]
        self.header_line = t.lines[h]
        # data records: (row number, line, cells)
        data: list[tuple[int, int, list]] = []
        extra_data_cols: set[int] = set()
        row_no = 0
        first = True
        csv_kind = t.kind == "csv"
        for rec, line in zip(t.records[h + 1:], t.lines[h + 1:], strict=True):
            if (not "".join(rec).strip()) if csv_kind else _row_blank(rec):
                continue
            if first:
                first = False
                nonblank = [_text(c) for c in rec if not _is_blank(c)]
                if nonblank and all(_COLUMN_NUMBER.match(c) for c in nonblank) and len(nonblank) >= 2:
                    r.warn("column_number_row_skipped", line=line)
                    continue
            row_no += 1
            head = rec[0]
            if (isinstance(head, str) and head[:1] in _FOOTNOTE_START and _FOOTNOTE.match(head)
                    and _row_blank(rec[1:])):
                r.warn("footnote_row", row=row_no, line=line, value=_text(head))
                continue
            n = len(rec)
            if n != width:
                if n > width:
                    if not _row_blank(rec[width:]):
                        if csv_kind:
                            r.error("wrong_field_count", row=row_no, line=line, count=n, expected=width)
                            continue
                        extra_data_cols.update(i for i in range(width, n) if not _is_blank(rec[i]))
                    rec = rec[:width]
                else:
                    if csv_kind:
                        r.error("wrong_field_count", row=row_no, line=line, count=n, expected=width)
                        continue
                    rec = list(rec) + [None] * (width - n)
            data.append((row_no, line, rec))
        for i in sorted(extra_data_cols):
            r.error("empty_header", line=self.header_line, position=i + 1)
        self.r.rows = row_no
        if not data:
            r.error("no_data_rows")
            return
        self.data = data
        self.classify_columns(headers)
        if not r.accepted and r.counts[("error", "duplicate_header")]:
            return
        if not any(c.role in ("code", "name") for c in self.columns):
            r.error("no_key_column", line=self.header_line)
            return
        if any(c.role == "name" for c in self.columns) and not any(c.role in ("code", "kab") for c in self.columns):
            r.error("kabupaten_column_missing", line=self.header_line)
            return
        self.result.columns = self.columns
        long = any(c.role == "indicator" for c in self.columns) and any(c.role == "value" for c in self.columns)
        self.result.meta["shape"] = "long" if long else "wide"
        if not long and not any(c.role == "values" for c in self.columns):
            r.error("no_value_columns", line=self.header_line)
            return
        keys = self.resolve_keys()
        locale = self.decide_locale(long)
        if locale is None:
            return
        self.result.meta["locale"] = locale
        frame = self.values_long(keys, locale) if long else self.values_wide(keys, locale)
        if frame is None or frame.empty:
            if self.r.accepted:
                if self.subtotal_rows and len(self.subtotal_rows) == len(self.data):
                    r.error("only_subtotal_rows", count=len(self.subtotal_rows))
                else:
                    r.error("no_data_rows")
            return
        self.check_duplicates(frame)
        self.check_coverage(frame)
        self.result.values = frame

    # ----------------------------------------------------------------- columns
    def classify_columns(self, headers: list[str]) -> None:
        r = self.r
        cols: list[Column] = []
        seen: dict[str, list[int]] = defaultdict(list)
        mapping = self.o.mapping or {}
        norm_mapping = {normalise_header(k): v for k, v in mapping.items()}
        has_indicator_col = any(normalise_header(h) in INDICATOR_HEADERS for h in headers)
        for i, header in enumerate(headers):
            key = normalise_header(header)
            col = Column(i, header, "ignored")
            cols.append(col)
            if not header:
                if any(not _is_blank(cells[i]) for _, _, cells in self.data):
                    r.error("empty_header", line=self.header_line, position=i + 1)
                continue
            seen[key].append(i + 1)
            if key in norm_mapping and norm_mapping[key] is not None and key not in KEY_HEADERS:
                target = norm_mapping[key]
                if not target:
                    continue
                col.role = "values"
                col.spec = self.specs.get(target) or IndicatorSpec(target, known=False, name=header)
                col.year = self._year_of_header(header)[1]
                continue
            if key in norm_mapping and norm_mapping[key] in (None, ""):
                continue
            if key in CODE_HEADERS:
                col.role = "code"
            elif key in KAB_HEADERS:
                col.role = "kab"
            elif key in NAME_HEADERS:
                col.role = "name"
            elif key in INDICATOR_HEADERS:
                col.role = "indicator"
            elif key in YEAR_HEADERS:
                col.role = "year"
            elif key in VALUE_HEADERS and has_indicator_col:
                col.role = "value"
            elif key in UNIT_HEADERS:
                col.role = "unit"
            elif key in NOTE_HEADERS:
                col.role = "note"
            elif key in ROWNUM_HEADERS:
                col.role = "rownum"
            else:
                base, year = self._year_of_header(header)
                ind = self.aliases.get(normalise_header(base)) or self.aliases.get(key)
                if ind is None and normalise_header(base) in self.specs:
                    ind = normalise_header(base)
                col.role = "values"
                col.year = year
                if ind:
                    col.spec = self.specs[ind]
                else:
                    col.spec = IndicatorSpec(normalise_header(base) or key, known=False, name=header)
        for _key, positions in seen.items():
            if len(positions) > 1:
                r.error("duplicate_header", line=self.header_line, column=headers[positions[0] - 1],
                        positions=", ".join(map(str, positions)))
        # Several key columns of one role: keep the first, others must agree (checked as names).
        self.columns = cols
        # Unknown value columns that are mostly text are notes.
        for col in cols:
            if col.role == "values" and not col.spec.known and normalise_header(col.header) not in norm_mapping:
                cells = [c for _, _, cells in self.data if not _is_blank(c := cells[col.index])]
                texts = sum(1 for c in cells if isinstance(c, str) and self._cls(c) == num.BAD)
                if cells and texts > len(cells) / 2:
                    col.role = "note"
                    r.warn("text_column", column=col.header, line=self.header_line)
            elif col.role == "note":
                r.warn("text_column", column=col.header, line=self.header_line)

    @staticmethod
    def _year_of_header(header: str) -> tuple[str, int | None]:
        m = _YEAR_IN_HEADER.match(header)
        if m and m.group(1).strip():
            return m.group(1), int(m.group(2))
        return header, None

    def _cls(self, text: str) -> str:
        cls = self.cls_cache.get(text)
        if cls is None:
            norm = num.normalise_cell(text)
            if norm.endswith("%"):
                norm = norm[:-1].rstrip()
            cls = num.classify(norm)
            if len(self.cls_cache) < 100_000:
                self.cls_cache[text] = cls
        return cls

    # ----------------------------------------------------------------- keys
    def resolve_keys(self) -> list[str | None]:
        """Kemendagri code of each data record (None when it does not resolve)."""
        r = self.r
        code_cols = [c for c in self.columns if c.role == "code"]
        name_cols = [c for c in self.columns if c.role == "name"]
        kab_cols = [c for c in self.columns if c.role == "kab"]
        out: list[str | None] = []
        cache: dict[tuple, tuple] = {}
        self.subtotal_rows: set[int] = set()
        matched = 0
        key_idx = [c.index for c in code_cols] + [c.index for c in name_cols[:1] + kab_cols[:1]]
        getter = operator.itemgetter(*key_idx)
        for row, line, cells in self.data:
            ck = getter(cells)
            hit = cache.get(ck)
            if hit is None:
                codes = [(c, cells[c.index]) for c in code_cols]
                name = (name_cols[0], cells[name_cols[0].index]) if name_cols else None
                kab = (kab_cols[0], cells[kab_cols[0].index]) if kab_cols else None
                hit = self._resolve_one(codes, name, kab)
                if len(cache) < 200_000:
                    cache[ck] = hit
            kode, problems, subtotal = hit
            if subtotal:
                self.subtotal_rows.add(row)
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
        self.r.matched = matched
        return out

    def _resolve_one(self, codes, name, kab):
        gaz = self.gaz
        problems: list[tuple] = []
        kodes: list[tuple[str, object, str]] = []
        # A subtotal row: a province/kabupaten code, or a total label in the name column.
        for _col, value in codes:
            parsed = parse_code(value)
            if parsed.kind in ("kabupaten", "province"):
                return None, [], _text(value)
        if name is not None and _is_blank(name[1]) and not codes:
            if kab is not None and not _is_blank(kab[1]):
                return None, [], _text(kab[1])
        if name is not None and not _is_blank(name[1]):
            label = _text(name[1])
            if is_total_label(label) or kabupaten_key(label)[0] is not None and not codes and (
                    kab is None or _is_blank(kab[1])):
                return None, [], label
        if codes and all(_is_blank(v) for _, v in codes) and name is not None and is_total_label(_text(name[1])):
            return None, [], _text(name[1])
        for col, value in codes:
            parsed = parse_code(value)
            if parsed.kind == "empty" and name is not None:
                continue
            res = gaz.resolve_code(parsed)
            if res.ok:
                kodes.append((res.kode, value, col.header))
            else:
                problems.append((res.problem, col.header, _text(value) if not isinstance(value, float) else repr(value),
                                 res.params))
        name_kode = None
        if name is not None and not _is_blank(name[1]):
            kab_kode = None
            if kab is not None:
                kres = gaz.resolve_kabupaten(kab[1])
                if kres.ok:
                    kab_kode = kres.kode
                elif not kodes:
                    problems.append((kres.problem, kab[0].header, _text(kab[1]), kres.params))
            if kab_kode is None and kodes:
                kab_kode = gaz.kab_of.get(kodes[0][0])
            if kab_kode is not None:
                nres = gaz.resolve_name(name[1], kab_kode)
                if nres.ok:
                    name_kode = nres.kode
                elif not kodes:
                    problems.append((nres.problem, name[0].header, _text(name[1]), nres.params))
                else:
                    problems.append(("code_name_mismatch", name[0].header, _text(name[1]),
                                     (("code_text", _text(kodes[0][1])), ("code_name", gaz.label(kodes[0][0])))))
        elif not codes or all(_is_blank(v) for _, v in codes):
            col = (codes[0][0] if codes else name[0])
            if not problems:
                problems.append(("missing_key", col.header, None, ()))
        distinct = {k for k, _, _ in kodes}
        if len(distinct) > 1:
            first = kodes[0]
            for k, value, header in kodes[1:]:
                if k != first[0]:
                    problems.append(("code_name_mismatch", header, _text(value),
                                     (("code_text", _text(first[1])), ("code_name", gaz.label(first[0])))))
        if name_kode is not None and distinct and name_kode not in distinct:
            first = kodes[0]
            problems.append(("code_name_mismatch", name[0].header, _text(name[1]),
                             (("code_text", _text(first[1])), ("code_name", gaz.label(first[0])))))
        kode = kodes[0][0] if kodes else name_kode
        if kab is not None and kode is not None and not problems and not _is_blank(kab[1]):
            kres = gaz.resolve_kabupaten(kab[1])
            if not kres.ok or kres.kode != gaz.kab_of.get(kode):
                problems.append(("code_name_mismatch", kab[0].header, _text(kab[1]),
                                 (("code_text", kode), ("code_name", gaz.label(kode)))))
        return (kode if not problems else None), problems, None

    # ----------------------------------------------------------------- numbers
    def _value_cells(self, long: bool):
        if long:
            cols = [c for c in self.columns if c.role == "value"][:1]
        else:
            cols = [c for c in self.columns if c.role == "values"]
        for col in cols:
            for row, line, cells in self.data:
                yield col, row, line, cells[col.index]

    def decide_locale(self, long: bool) -> str | None:
        r = self.r
        votes: dict[str, list[tuple]] = {num.ID: [], num.EN: []}
        ambiguous: tuple | None = None
        cols = [c for c in self.columns if c.role == "value"][:1] if long else [
            c for c in self.columns if c.role == "values"]
        data = self.data
        self.classes: dict[int, list] = {}
        for col in cols:
            i = col.index
            classes = num.classify_many([cells[i] for _, _, cells in data])
            self.classes[i] = classes
            for k, cls in enumerate(classes):
                if cls == num.ID or cls == num.EN:
                    row, line, cells = data[k]
                    votes[cls].append((row, line, col.header, cells[i]))
                elif ambiguous is None and (cls == num.AMB_DOT or cls == num.AMB_COMMA):
                    row, line, cells = data[k]
                    ambiguous = (row, line, col.header, cells[i], cls)
        forced = self.o.locale if self.o.locale in (num.ID, num.EN) else None
        names = {num.ID: ("Indonesia", "Indonesian"), num.EN: ("Inggris", "English")}
        if forced:
            return forced
        if votes[num.ID] and votes[num.EN]:
            major, minor = (num.ID, num.EN) if len(votes[num.ID]) >= len(votes[num.EN]) else (num.EN, num.ID)
            for row, line, header, cell in votes[minor]:
                r.error("mixed_number_format", row=row, line=line, column=header, value=cell,
                        majority=f"{names[major][0]}/{names[major][1]}",
                        minority=f"{names[minor][0]}/{names[minor][1]}")
            return None
        if votes[num.ID]:
            return num.ID
        if votes[num.EN]:
            return num.EN
        if ambiguous is None:
            return num.ID  # only plain integers (or typed numbers): the format does not matter
        row, line, header, cell, cls = ambiguous
        hint = {";": num.ID, "\t": num.ID, ",": num.EN}.get(self.t.delimiter or "")
        if hint is None:
            # XLSX text cells or a "|" file: nothing decides.
            self._ambiguous_errors(long)
            return None
        value = num.to_float(num.normalise_cell(cell), cls, hint)
        delim = {";": "';'", "\t": "tab", ",": "','"}[self.t.delimiter]
        r.warn("number_format_assumed", row=row, line=line, column=header, value=cell,
               locale_id=names[hint][0], locale_en=names[hint][1], delimiter=delim,
               example=repr(value))
        return hint

    def _ambiguous_errors(self, long: bool) -> None:
        for col, row, line, cell in self._value_cells(long):
            if isinstance(cell, str) and self._cls(cell) in (num.AMB_DOT, num.AMB_COMMA):
                self.r.error("ambiguous_number", row=row, line=line, column=col.header, value=cell)

    def parse_value(self, cell, locale: str, row, line, header: str, report=None) -> float | None:
        """The number in a cell, or None (missing, or an error already reported)."""
        r = report if report is not None else self.r
        if cell is None:
            return None
        if isinstance(cell, bool):
            r.error("not_a_number", row=row, line=line, column=header, value=str(cell))
            return None
        if isinstance(cell, int | float):
            value = float(cell)
            problem = num.check_magnitude(value)
            if problem:
                r.error(problem, row=row, line=line, column=header, value=repr(cell))
                return None
            return value
        if isinstance(cell, ExcelError):
            r.error("excel_error", row=row, line=line, column=header, value=str(cell))
            return None
        if isinstance(cell, datetime | date | time):
            r.error("bad_date_cell", row=row, line=line, column=header, value=str(cell))
            return None
        if "\n" in cell or "\r" in cell:
            r.error("newline_in_field", row=row, line=line, column=header, value=cell)
            return None
        if cell.isascii() and cell.isdigit():
            value = float(cell)
            problem = num.check_magnitude(value)
            if problem:
                r.error(problem, row=row, line=line, column=header, value=cell)
                return None
            return value
        text = num.normalise_cell(str(cell))
        if text.endswith("%"):
            text = text[:-1].rstrip()
        cls = self._cls(str(cell))
        if cls == num.MISSING:
            r.warn("missing_value", row=row, line=line, column=header, value=cell)
            return None
        if text in EXCEL_ERRORS:
            r.error("excel_error", row=row, line=line, column=header, value=text)
            return None
        if cls == num.BAD:
            r.error(num.problem_of(text), row=row, line=line, column=header, value=cell)
            return None
        value = num.to_float(text, cls, locale)
        if value is None:
            r.error("number_for_other_locale", row=row, line=line, column=header, value=cell,
                    locale="Indonesia" if locale == num.ID else "Inggris/English")
            return None
        problem = num.check_magnitude(value)
        if problem:
            r.error(problem, row=row, line=line, column=header, value=cell)
            return None
        return value

    def check_kind(self, spec: IndicatorSpec, value: float, row, line, header, cell, report=None) -> bool:
        r = report if report is not None else self.r
        label = spec.name or spec.id
        if spec.kind in COUNT_KINDS:
            if value < 0:
                r.error("negative_count", row=row, line=line, column=header, value=cell, indicator=label)
                return False
            if not float(value).is_integer():
                r.error("count_not_whole", row=row, line=line, column=header, value=cell, indicator=label)
                return False
        if spec.kind in PERCENT_KINDS and not 0 <= value <= 100:
            r.error("percent_range", row=row, line=line, column=header, value=cell, indicator=label)
            return False
        if spec.valid_min is not None and value < spec.valid_min or spec.valid_max is not None and value > spec.valid_max:
            r.error("out_of_range", row=row, line=line, column=header, value=cell, indicator=label,
                    low="" if spec.valid_min is None else f"{spec.valid_min:g}",
                    high="" if spec.valid_max is None else f"{spec.valid_max:g}")
            return False
        return True

    def notes_of(self, cells) -> str | None:
        parts = []
        for col in self.columns:
            if col.role == "note" and not _is_blank(cells[col.index]):
                parts.append(f"{col.header}: {_text(cells[col.index])}")
        return "; ".join(parts) if parts else None

    def _check_year(self, year: int | None, row=None, line=None, column=None, value=None) -> bool:
        if year is None or not 1900 <= year <= 2100:
            self.r.error("bad_year", row=row, line=line, column=column, value=value if value is not None else year)
            return False
        return True

    def _parse_year(self, cell) -> int | None:
        if isinstance(cell, bool) or cell is None:
            return None
        if isinstance(cell, int):
            return cell
        if isinstance(cell, float):
            return int(cell) if cell.is_integer() else None
        if isinstance(cell, datetime | date):
            return cell.year
        text = num.normalise_cell(str(cell))
        m = re.fullmatch(r"([0-9]{4})(?:\.0+)?", text)
        return int(m.group(1)) if m else None

    def values_wide(self, keys: list[str | None], locale: str) -> pd.DataFrame | None:
        r, o = self.r, self.o
        year_col = next((c for c in self.columns if c.role == "year"), None)
        cols = [c for c in self.columns if c.role == "values"]
        for c in cols:
            if not c.spec.known:
                r.warn("unknown_indicator", column=c.header, line=self.header_line, value=c.header)
            if c.year is not None and o.year is not None and c.year != o.year:
                r.error("year_conflict", column=c.header, line=self.header_line, value=c.year, year=o.year)
        if year_col is None and o.year is None and any(c.year is None for c in cols):
            r.error("year_missing", line=self.header_line)
            return None
        out = defaultdict(list)
        key_rows: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
        for (row, line, cells), kode in zip(self.data, keys, strict=True):
            if row in self.subtotal_rows:
                continue
            row_year = None
            if year_col is not None:
                row_year = self._parse_year(cells[year_col.index])
                if not self._check_year(row_year, row, line, year_col.header, _text(cells[year_col.index])):
                    continue
                if o.year is not None and row_year != o.year:
                    r.error("year_conflict", row=row, line=line, column=year_col.header, value=row_year, year=o.year)
                    continue
            if kode is not None:
                key_rows[(kode, row_year)].append((row, line))
            note = self.notes_of(cells)
            for c in cols:
                cell = cells[c.index]
                value = self.parse_value(cell, locale, row, line, c.header)
                if value is None or not self.check_kind(c.spec, value, row, line, c.header, cell):
                    continue
                year = c.year or row_year or o.year
                if c.year is not None and row_year is not None and c.year != row_year:
                    r.error("year_conflict", row=row, line=line, column=c.header, value=row_year, year=c.year)
                    continue
                if kode is None:
                    continue
                out["region_code"].append(kode)
                out["indicator"].append(c.spec.id)
                out["source_column"].append(c.header)
                out["year"].append(year)
                out["value"].append(value)
                out["known"].append(c.spec.known)
                out["note"].append(note)
                out["row"].append(row)
                out["line"].append(line)
        for (kode, _year), places in key_rows.items():
            if len(places) > 1:
                r.error("duplicate_region", row=places[0][0], line=places[0][1], value=kode,
                        region=self.gaz.label(kode), rows=", ".join(str(p[0]) for p in places))
        self.wide_duplicates_done = True
        frame = pd.DataFrame(out, columns=VALUE_COLUMNS)
        self.check_scale(frame, {c.spec.id: c.spec for c in cols})
        return frame

    def values_long(self, keys: list[str | None], locale: str) -> pd.DataFrame | None:
        r, o = self.r, self.o
        ind_col = next(c for c in self.columns if c.role == "indicator")
        val_col = next(c for c in self.columns if c.role == "value")
        year_col = next((c for c in self.columns if c.role == "year"), None)
        if year_col is None and o.year is None:
            r.error("year_missing", line=self.header_line)
            return None
        mapping = {normalise_header(k): v for k, v in (o.mapping or {}).items()}
        specs_by_text: dict[object, IndicatorSpec | None] = {}
        unknown_rows: dict[str, list[int]] = defaultdict(list)
        years: dict[object, int | None] = {}
        parsed: dict[tuple, tuple] = {}  # (spec id, cell) -> (value or None, replay issues)
        has_notes = any(c.role == "note" for c in self.columns)
        ii, vi = ind_col.index, val_col.index
        yi = year_col.index if year_col is not None else None
        keep_rows: list[int] = []
        keep_kode: list[str] = []
        keep_ind: list[str] = []
        keep_year: list[int] = []
        keep_val: list[float] = []
        keep_known: list[bool] = []
        keep_note: list[str | None] = []
        keep_line: list[int] = []
        subtotal = self.subtotal_rows
        classes = self.classes.get(vi) or num.classify_many([cells[vi] for _, _, cells in self.data])
        fast = num.to_float_many([cells[vi] for _, _, cells in self.data], classes, locale).tolist()
        max_abs = num.MAX_ABS
        for k, ((row, line, cells), kode) in enumerate(zip(self.data, keys, strict=True)):
            if kode is None and row in subtotal:
                continue
            raw_ind = cells[ii]
            try:
                spec = specs_by_text[raw_ind]
            except KeyError:
                text = _text(raw_ind)
                key = normalise_header(text)
                if not key:
                    spec = None
                elif key in mapping:
                    target = mapping[key]
                    spec = (self.specs.get(target) or IndicatorSpec(target, known=False, name=text)) if target else None
                else:
                    ind = self.aliases.get(key) or (key if key in self.specs else None)
                    spec = self.specs[ind] if ind else IndicatorSpec(key, known=False, name=text)
                specs_by_text[raw_ind] = spec
            if spec is None:
                if _is_blank(raw_ind):
                    r.error("missing_indicator", row=row, line=line, column=ind_col.header)
                continue
            if not spec.known:
                unknown_rows[spec.name].append(row)
            if yi is not None:
                ycell = cells[yi]
                try:
                    year = years[ycell]
                except KeyError:
                    year = years[ycell] = self._parse_year(ycell)
                if year is None or not 1900 <= year <= 2100:
                    r.error("bad_year", row=row, line=line, column=year_col.header, value=_text(ycell))
                    continue
                if o.year is not None and year != o.year:
                    r.error("year_conflict", row=row, line=line, column=year_col.header, value=year, year=o.year)
                    continue
            else:
                year = o.year
            cell = cells[vi]
            value = fast[k]
            if value == value and -max_abs <= value <= max_abs:  # a plain number of the file's format
                if not self.check_kind(spec, value, row, line, val_col.header, cell) or kode is None:
                    continue
            else:  # anything else goes through the full parser, memoised per (indicator, text)
                pk = (spec.id, cell)
                hit = parsed.get(pk)
                if hit is None:
                    sub = _Recorder()
                    value = self.parse_value(cell, locale, None, None, val_col.header, sub)
                    if value is not None and not self.check_kind(spec, value, None, None, val_col.header, cell, sub):
                        value = None
                    hit = (value, sub.pending)
                    if len(parsed) < 500_000:
                        parsed[pk] = hit
                value, issues = hit
                for severity, code, params in issues:
                    r.add(severity, code, row=row, line=line, column=val_col.header, value=cell, **params)
                if value is None or kode is None:
                    continue
            keep_rows.append(row)
            keep_line.append(line)
            keep_kode.append(kode)
            keep_ind.append(spec.id)
            keep_year.append(year)
            keep_val.append(value)
            keep_known.append(spec.known)
            keep_note.append(self.notes_of(cells) if has_notes else None)
        for raw, rows in unknown_rows.items():
            r.warn("unknown_indicator", row=rows[0], column=ind_col.header, value=raw)
        frame = pd.DataFrame({
            "region_code": keep_kode, "indicator": keep_ind, "source_column": val_col.header,
            "year": pd.array(keep_year, dtype="int64"), "value": pd.array(keep_val, dtype="float64"),
            "known": pd.array(keep_known, dtype=bool), "note": pd.Series(keep_note, dtype=object),
            "row": pd.array(keep_rows, dtype="int64"), "line": pd.array(keep_line, dtype="int64"),
        }, columns=VALUE_COLUMNS)
        self.check_scale(frame, {sp.id: sp for sp in specs_by_text.values() if sp})
        return frame

    def check_scale(self, frame: pd.DataFrame, specs: dict[str, IndicatorSpec]) -> None:
        """Fraction-scale warning for percentages; implausible magnitudes."""
        if frame.empty:
            return
        for (ind, col), sub in frame.groupby(["indicator", "source_column"], sort=False):
            spec = specs.get(ind)
            vals = sub["value"].astype(float)
            if spec is not None and spec.kind in PERCENT_KINDS and len(vals) >= 3 and vals.max() <= 1 and vals.max() > 0:
                self.r.warn("fraction_scale", column=col, indicator=spec.name or ind)
            mags = vals.abs()
            positive = mags[mags > 0]
            if len(positive) >= 10:
                median = float(positive.median())
                flagged = sub[mags > MAGNITUDE_FACTOR * median]
                for row, line, value in zip(flagged["row"], flagged["line"], flagged["value"], strict=True):
                    self.r.warn("implausible_magnitude", row=row, line=line, column=col, value=f"{value:g}",
                                median=f"{median:g}")

    # ----------------------------------------------------------------- whole-file checks
    def check_duplicates(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        key = ["region_code", "indicator", "year"]
        dup = frame[frame.duplicated(key, keep=False)]
        if dup.empty:
            return
        for (kode, ind, year), sub in dup.groupby(key, sort=True):
            rows = sorted(set(sub["row"].tolist()))
            if len(rows) > 1 and getattr(self, "wide_duplicates_done", False):
                continue  # reported from the keys, whatever the values
            if len(rows) < 2:
                # the same row gives the same indicator twice (two columns): name the columns
                cols = ", ".join(sorted(set(sub["source_column"])))
                self.r.error("duplicate_value", row=rows[0], line=int(sub["line"].iloc[0]), column=cols,
                             indicator=ind, year=year, region=self.gaz.label(kode), rows=rows[0])
                continue
            self.r.error("duplicate_region" if self.result.meta.get("shape") == "wide" else "duplicate_value",
                         row=rows[0], line=int(sub["line"].iloc[0]), value=kode, region=self.gaz.label(kode),
                         name=self.gaz.names.get(kode, ""), indicator=ind, year=year,
                         rows=", ".join(map(str, rows)))

    def check_coverage(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        total = len(self.gaz.codes)
        for (ind, year), sub in frame.groupby(["indicator", "year"], sort=True):
            missing = total - sub["region_code"].nunique()
            if missing > 0:
                self.r.warn("coverage_partial", indicator=ind, year=year, count=missing)


__all__ = ["Column", "IndicatorSpec", "Options", "Result", "catalogue_specs", "validate_bytes"]
