"""Pure builders and state helpers of the Unggah Data (upload) page.

Objects in, tables and texts out: nothing here reads the store, validates a file or draws.
The page (``pages/unggah.py``) gets the validation result, catalogue and versions from
:mod:`ui.data.upload`, turns them into tables with these functions and draws them.

The page's flow is a small state machine kept in session state under the keys below:

1. a file is chosen (:func:`start_file` forgets the sheet, mapping, confirmation and last
   success message of the previous file);
2. the analyst maps value columns to indicators (:func:`mapping_rows` fills the editor from
   the saved mapping, :func:`mapping_state` reads it back, :func:`update_mapping` saves a
   changed mapping, after which the page reruns);
3. the report and preview are shown; once confirmed the values are committed
   (:func:`after_commit` points the shared view at the new values and keeps the message);
4. on the Versions tab an uploaded indicator may be rolled back (:func:`after_rollback`).

Every text that comes from a file (values, headers, names, messages quoting them) ends up in a
table cell or plain text, never in Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, MutableMapping, Sequence

import pandas as pd

from i18n import translate
from i18n.numbers import format_number
from ui import state

# --------------------------------------------------------------------------- session keys
PREFIX = "unggah_"
FILE_KEY = PREFIX + "file"
FILE_ID_KEY = PREFIX + "file_id"
YEAR_KEY = PREFIX + "year"
LOCALE_KEY = PREFIX + "locale"
SHEET_KEY = PREFIX + "sheet"
MAPPING_KEY = PREFIX + "mapping"
MAPPING_EDITOR_KEY = PREFIX + "mapping_editor"
CONFIRM_KEY = PREFIX + "confirm"
DONE_KEY = PREFIX + "done"
COMMIT_KEY = PREFIX + "commit"
SIGN_OUT_KEY = PREFIX + "sign_out"
ROLLBACK_KEY = PREFIX + "rollback_indicator"
ROLLBACK_CONFIRM_KEY = PREFIX + "rollback_confirm"
ROLLBACK_BUTTON_KEY = PREFIX + "rollback"
ROLLBACK_DONE_KEY = PREFIX + "rollback_done"

#: Keys that belong to one file: a new file starts without them.
FILE_STATE = (SHEET_KEY, MAPPING_KEY, CONFIRM_KEY, DONE_KEY)

# --------------------------------------------------------------------------- choices
#: Mapping-editor choice: do not store this column.
IGNORE = "__abaikan__"
#: Mapping-editor choice: make this column a new indicator.
NEW = "__baru__"
KINDS = ("other", "count", "percent", "money", "index", "density", "area", "years", "ratio")
DIRECTIONS = ("higher_better", "lower_better", "neutral")
LOCALES = ("auto", "id", "en")
FILE_TYPES = ("csv", "tsv", "txt", "xlsx")
#: Columns of the mapping editor, in order.
MAPPING_COLUMNS = ("column", "indicator", "new_id", "name", "unit", "kind", "direction")

#: The download templates: (label key, template name, file name, format).
TEMPLATES = (
    ("unggah.templates.wide_csv", "wide", "templat_lebar.csv", "csv"),
    ("unggah.templates.wide_xlsx", "wide", "templat_lebar.xlsx", "xlsx"),
    ("unggah.templates.long_csv", "long", "templat_panjang.csv", "csv"),
    ("unggah.templates.long_xlsx", "long", "templat_panjang.xlsx", "xlsx"),
)


# --------------------------------------------------------------------------- state machine
def file_identity(name: str, size: int, file_id: str | None = None) -> str:
    """What tells one uploaded file from the next: Streamlit's file id, else name and size.

    Examples
    --------
    >>> file_identity("ipm.csv", 120)
    'ipm.csv:120'
    >>> file_identity("ipm.csv", 120, "f-1")
    'f-1'
    """
    return file_id or f"{name}:{size}"


def start_file(session: MutableMapping, file_id: str) -> bool:
    """Note the current file; a new one starts afresh (no sheet, mapping, confirmation).

    Returns True when the file is new.

    Examples
    --------
    >>> s = {SHEET_KEY: "data", MAPPING_KEY: {}, FILE_ID_KEY: "a"}
    >>> start_file(s, "a"), SHEET_KEY in s
    (False, True)
    >>> start_file(s, "b"), SHEET_KEY in s, MAPPING_KEY in s, s[FILE_ID_KEY]
    (True, False, False, 'b')
    """
    if session.get(FILE_ID_KEY) == file_id:
        return False
    for key in FILE_STATE:
        session.pop(key, None)
    session[FILE_ID_KEY] = file_id
    return True


def saved_mapping(session: Mapping) -> dict:
    """The analyst's mapping of the current file: ``{"mapping": {...}, "new": {...}}`` or ``{}``."""
    return session.get(MAPPING_KEY) or {}


def update_mapping(session: MutableMapping, new_state: dict) -> bool:
    """Save ``new_state`` when it differs from the saved mapping; True when it changed.

    Examples
    --------
    >>> s = {}
    >>> update_mapping(s, {"mapping": {"x": None}, "new": {}}), update_mapping(s, s[MAPPING_KEY])
    (True, False)
    """
    if new_state == saved_mapping(session):
        return False
    session[MAPPING_KEY] = new_state
    return True


def after_commit(session: MutableMapping, indicator: str, year: int, message: str) -> None:
    """Point the shared view at the committed values and keep the success message.

    Examples
    --------
    >>> s = {CONFIRM_KEY: True, ROLLBACK_DONE_KEY: "old"}
    >>> after_commit(s, "ipm", 2024, "ok")
    >>> s[state.INDICATOR], s[state.YEAR], s[state.LEVEL], s[DONE_KEY], CONFIRM_KEY in s
    ('ipm', 2024, 'kecamatan', {'message': 'ok'}, False)
    """
    session[state.INDICATOR] = str(indicator)
    session[state.YEAR] = int(year)
    session[state.LEVEL] = "kecamatan"
    session[DONE_KEY] = {"message": message}
    session.pop(ROLLBACK_DONE_KEY, None)
    session.pop(CONFIRM_KEY, None)


def after_rollback(session: MutableMapping, message: str) -> None:
    """Keep the rollback message; forget the last commit's message and the confirmation.

    Examples
    --------
    >>> s = {DONE_KEY: {"message": "ok"}, ROLLBACK_CONFIRM_KEY: True}
    >>> after_rollback(s, "back")
    >>> s
    {'unggah_rollback_done': 'back'}
    """
    session[ROLLBACK_DONE_KEY] = message
    session.pop(DONE_KEY, None)
    session.pop(ROLLBACK_CONFIRM_KEY, None)


# --------------------------------------------------------------------------- column mapping
def initial_choice(header: str, spec, saved: Mapping, known: Container[str]) -> str:
    """The editor's starting choice for a value column.

    What the analyst chose before wins; else a column the validator recognised maps to its
    catalogue indicator; anything else is ignored (a new indicator only when the analyst says
    so). ``spec`` has ``id`` and ``known`` (or is None).

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> initial_choice("ipm", S(id="ipm", known=True), {}, ["ipm"])
    'ipm'
    >>> initial_choice("skor", S(id="skor", known=False), {}, ["ipm"])
    '__abaikan__'
    >>> initial_choice("ipm", S(id="ipm", known=True), {"mapping": {"ipm": None}}, ["ipm"])
    '__abaikan__'
    >>> initial_choice("skor", None, {"new": {"skor": {"id": "skor"}}}, ["ipm"])
    '__baru__'
    """
    mapping = saved.get("mapping") or {}
    current = mapping.get(header)
    if header in saved.get("new", {}):
        return NEW
    if current in known:
        return current
    if current in (None, "") and header in mapping:
        return IGNORE
    if spec is not None and spec.known:
        return spec.id
    return IGNORE


def mapping_rows(columns: Sequence, saved: Mapping, known: Iterable[str],
                 normalise: Callable[[str], str]) -> pd.DataFrame:
    """The rows of the mapping editor, one per value column of the file.

    Parameters
    ----------
    columns : sequence
        The file's value columns (objects with ``header`` and ``spec``).
    saved : mapping
        The saved mapping (:func:`saved_mapping`).
    known : sequence of str
        Catalogue indicator ids.
    normalise : callable
        Turns a header into an indicator id (the store's alias rule).

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> rows = mapping_rows([S(header="Skor X", spec=None)], {}, ["ipm"], str.lower)
    >>> rows.iloc[0].tolist()
    ['Skor X', '__abaikan__', 'skor x', 'Skor X', '', 'other', 'neutral']
    """
    rows = []
    known = set(known)
    for c in columns:
        new = saved.get("new", {}).get(c.header, {})
        default_id = c.spec.id if c.spec else normalise(c.header)
        rows.append({
            "column": c.header,
            "indicator": initial_choice(c.header, c.spec, saved, known),
            "new_id": new.get("id", default_id),
            "name": new.get("name", c.header),
            "unit": new.get("unit", ""),
            "kind": new.get("kind", "other"),
            "direction": new.get("direction", "neutral"),
        })
    return pd.DataFrame(rows, columns=list(MAPPING_COLUMNS))


def new_indicator_id(text: str, normalise: Callable[[str], str]) -> str:
    """A valid id for a new indicator: normalised, at most 64 characters, starting with a letter.

    Examples
    --------
    >>> new_indicator_id("Skor", str.lower), new_indicator_id("2024", str.lower)
    ('skor', 'i_2024')
    >>> new_indicator_id("", str.lower)
    'indikator_baru'
    """
    new_id = normalise(text)[:64] or "indikator_baru"
    return new_id if new_id[0].isalpha() else "i_" + new_id


def mapping_state(records: Iterable[Mapping], normalise: Callable[[str], str]) -> dict:
    """Read the edited mapping back: ``{"mapping": {column: id | None}, "new": {column: spec}}``.

    Examples
    --------
    >>> recs = [{"column": "a", "indicator": IGNORE}, {"column": "b", "indicator": "ipm"},
    ...         {"column": "C", "indicator": NEW, "new_id": "", "name": None, "unit": "skor",
    ...          "kind": "index", "direction": None}]
    >>> out = mapping_state(recs, str.lower)
    >>> out["mapping"]
    {'a': None, 'b': 'ipm', 'C': 'c'}
    >>> out["new"]["C"]
    {'id': 'c', 'name': 'C', 'unit': 'skor', 'kind': 'index', 'direction': 'neutral'}
    """
    mapping, new_map = {}, {}
    for rec in records:
        column, choice = rec["column"], rec["indicator"]
        if choice == IGNORE:
            mapping[column] = None
        elif choice == NEW:
            new_id = new_indicator_id(rec.get("new_id") or column, normalise)
            mapping[column] = new_id
            new_map[column] = {
                "id": new_id,
                "name": str(rec.get("name") or column),
                "unit": str(rec.get("unit") or ""),
                "kind": rec.get("kind") or "other",
                "direction": rec.get("direction") or "neutral",
            }
        else:
            mapping[column] = choice
    return {"mapping": mapping, "new": new_map}


# --------------------------------------------------------------------------- report
def file_info(name: str, size: int, lang: str) -> str:
    """The line naming the uploaded file and its size in MB.

    Examples
    --------
    >>> file_info("a.csv", 1_250_000, "en")
    'File: a.csv (1.25 MB)'
    """
    return translate("unggah.upload.file_info", lang, name=name,
                     size=format_number(size / 1e6, 2, lang))


def report_metrics(report, lang: str) -> list[tuple[str, str]]:
    """(label, value) of the report's four counts: rows, matched, errors, warnings.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> r = S(rows=1200, matched=3, error_count=lambda: 0, warning_count=lambda: 2)
    >>> report_metrics(r, "id")[0]
    ('Baris data', '1.200')
    """
    counts = (("rows", report.rows), ("matched", report.matched),
              ("errors", report.error_count()), ("warnings", report.warning_count()))
    return [(translate(f"unggah.report.{k}", lang), format_number(n, 0, lang)) for k, n in counts]


def file_kind_text(meta: Mapping, lang: str) -> str:
    """The line on the file's kind, encoding, shape and number format (``–`` when unknown).

    Examples
    --------
    >>> file_kind_text({"kind": "csv", "encoding": "utf-8", "locale": "id"}, "en")
    'Kind: csv · encoding: utf-8 · shape: – · number format: id'
    """
    return translate("unggah.report.file_kind", lang, kind=meta.get("kind", "?"),
                     encoding=meta.get("encoding") or "–", shape=meta.get("shape") or "–",
                     locale=meta.get("locale") or "–")


#: Columns of an issues table: (attribute, label key).
_ISSUE_COLUMNS = (("code", "code"), ("row", "row"), ("line", "line"), ("column", "column"),
                  ("value", "value"))


def issues_table(issues: Iterable, lang: str) -> pd.DataFrame:
    """Errors or warnings as a table: code, data row, file line, column, value, message.

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> i = S(code="bad", row=1, line=2, column="x", value="?", message=lambda lang: "m")
    >>> issues_table([i], "id").columns[:3].tolist()
    ['Kode', 'Baris data', 'Baris berkas']
    """
    labels = {a: translate(f"unggah.report.{k}", lang) for a, k in _ISSUE_COLUMNS}
    message = translate("unggah.report.message", lang)
    return pd.DataFrame([
        {**{labels[a]: getattr(i, a) for a, _ in _ISSUE_COLUMNS}, message: i.message(lang)}
        for i in issues
    ])


# --------------------------------------------------------------------------- preview, commit
def unmapped_columns(values: pd.DataFrame) -> list[str]:
    """Source columns of values that are not mapped to a catalogue indicator.

    Examples
    --------
    >>> v = pd.DataFrame({"known": [True, False, False], "source_column": ["a", "b", "b"]})
    >>> unmapped_columns(v)
    ['b']
    """
    return values.loc[~values["known"], "source_column"].unique().tolist()


def commit_target(frame: pd.DataFrame) -> tuple[str, int]:
    """(indicator, year) the map shows after a commit: those of the first stored value.

    Examples
    --------
    >>> commit_target(pd.DataFrame({"indicator": ["ipm"], "year": [2024.0]}))
    ('ipm', 2024)
    """
    first = frame.iloc[0]
    return str(first["indicator"]), int(first["year"])


def preview_metrics(counts: Mapping, lang: str) -> list[tuple[str, str]]:
    """(label, value) of the preview's counts: added, changed, unchanged.

    Examples
    --------
    >>> preview_metrics({"added": 0, "changed": 3, "unchanged": 663}, "id")[1]
    ('Berubah', '3')
    """
    return [(translate(f"unggah.preview.{k}", lang), format_number(counts[k], 0, lang))
            for k in ("added", "changed", "unchanged")]


def indicator_name(catalogue: pd.DataFrame, indicator: str, lang: str) -> str:
    """The catalogue name of ``indicator`` in ``lang`` (the id when it is not catalogued).

    Examples
    --------
    >>> cat = pd.DataFrame({"name_id": ["Nilai"], "name_en": ["Value"]}, index=["v"])
    >>> indicator_name(cat, "v", "en"), indicator_name(cat, "w", "en")
    ('Value', 'w')
    """
    if indicator in catalogue.index:
        return str(catalogue.at[indicator, "name_en" if lang == "en" else "name_id"])
    return indicator


def changes_table(largest: pd.DataFrame, labels: Sequence[str], catalogue: pd.DataFrame,
                  lang: str) -> pd.DataFrame:
    """The largest changes against the active version, for display.

    Parameters
    ----------
    largest : DataFrame
        ``region_code``, ``indicator``, ``year``, ``old``, ``value``, ``change``.
    labels : sequence of str
        The display label of each row's region (``35.78.04 Wonokromo (Kota Surabaya)``).
    catalogue : DataFrame
        The catalogue indexed by indicator id (``name_id``, ``name_en``).
    """
    def col(key: str) -> str:
        return translate(f"unggah.preview.{key}", lang)

    return pd.DataFrame({
        col("region"): list(labels),
        col("indicator"): [indicator_name(catalogue, i, lang) for i in largest["indicator"]],
        col("year"): largest["year"].astype(int).astype(str).tolist(),
        col("old"): largest["old"].tolist(),
        col("new"): largest["value"].tolist(),
        col("change"): largest["change"].tolist(),
    })


# --------------------------------------------------------------------------- versions
#: Columns of the versions table: (store column, label key or None to keep the name).
_VERSION_COLUMNS = (
    ("version_id", None), ("dataset", "dataset"), ("number", "number"), ("created_at", "when"),
    ("created_by", "who"), ("source", "source"), ("n_rows", "rows"), ("years", "years"),
    ("n_active_series", "active"),
)


def versions_table(versions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The store's versions for display (``version_id`` shown as ``id``).

    Examples
    --------
    >>> v = pd.DataFrame([[7, "unggah_analis", 2, "2025-01-01", "ana", "a.csv", 3, "2024", 1,
    ...                    "x"]], columns=[c for c, _ in _VERSION_COLUMNS] + ["checksum"])
    >>> versions_table(v, "id").columns.tolist()[:4]
    ['id', 'Himpunan data', 'Versi', 'Waktu']
    """
    names = {c: translate(f"unggah.versions.{k}", lang) if k else "id" for c, k in _VERSION_COLUMNS}
    return versions[[c for c, _ in _VERSION_COLUMNS]].rename(columns=names)


def rollback_label(catalogue: pd.DataFrame, indicator: str, lang: str) -> str:
    """``Name (id)`` of an indicator in the rollback choice."""
    return f"{indicator_name(catalogue, indicator, lang)} ({indicator})"


# --------------------------------------------------------------------------- templates
def template_frames(kecamatan: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The empty upload templates: ``wide`` (666 kecamatan × ``ipm``) and ``long``.

    Examples
    --------
    >>> kec = pd.DataFrame({"kode": ["35.78.04"], "kode_bps": ["3578040"], "nama": ["Wonokromo"],
    ...                     "kab_nama": ["Kota Surabaya"]})
    >>> t = template_frames(kec)
    >>> t["wide"].columns.tolist(), t["long"].shape
    (['kode', 'kode_bps', 'kecamatan', 'kabupaten_kota', 'ipm'], (2, 4))
    """
    wide = pd.DataFrame({
        "kode": kecamatan["kode"].astype(str),
        "kode_bps": kecamatan["kode_bps"].astype(str),
        "kecamatan": kecamatan["nama"].astype(str),
        "kabupaten_kota": kecamatan["kab_nama"].astype(str),
        "ipm": pd.Series([None] * len(kecamatan), dtype="float64"),
    })
    codes = kecamatan["kode"].astype(str).head(3).tolist()
    long = pd.DataFrame({
        "kode": codes * 2,
        "indikator": ["ipm"] * len(codes) + ["persentase_penduduk_miskin"] * len(codes),
        "tahun": [2024] * (2 * len(codes)),
        "nilai": pd.Series([None] * (2 * len(codes)), dtype="float64"),
    })
    return {"wide": wide, "long": long}
