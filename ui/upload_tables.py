"""Pure table builders of the Unggah Data page: report, preview, versions and templates.

Objects in, frames and texts out (no Streamlit, no store). The page's state machine and the
column mapping are in :mod:`ui.upload`. Texts from files stay in table cells or plain text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from i18n import translate
from i18n.numbers import format_number


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


def commit_target(frame: pd.DataFrame, prefer: Iterable[str] = ()) -> tuple[str, int]:
    """(indicator, year) the map shows after a commit: a new indicator's latest year when the
    upload defined one, else the first stored value's.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": ["ipm", "baru", "baru"], "year": [2024.0, 2023, 2024]})
    >>> commit_target(f), commit_target(f, ["baru"])
    (('ipm', 2024), ('baru', 2024))
    """
    chosen = frame[frame["indicator"].isin(list(prefer))]
    if chosen.empty:
        first = frame.iloc[0]
        return str(first["indicator"]), int(first["year"])
    indicator = str(chosen["indicator"].iloc[0])
    return indicator, int(chosen.loc[chosen["indicator"] == indicator, "year"].max())


def commit_message(done, lang: str) -> str:
    """The success message of a commit: version number, values, series (no internal ids).

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> commit_message(S(status="created", number=4, rows=1332, series=((1,), (2,))), "id")
    'Tersimpan sebagai versi 4: 1.332 nilai dalam 2 seri, sekarang aktif.'
    >>> commit_message(S(status="restored", number=6, rows=666, series=((1,),), same_as=4), "en")
    'This content was stored before as version 4; the last upload wins, so its values are active again (version 6: 666 values in 1 series).'
    """
    key = {"created": "unggah.commit.stored", "restored": "unggah.commit.restored"}.get(
        done.status, "unggah.commit.duplicate")
    return translate(key, lang, number=done.number, rows=format_number(done.rows, 0, lang),
                     series=len(done.series), same_as=getattr(done, "same_as", None))


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
#: Columns of the versions table: (store column, label key).
_VERSION_COLUMNS = (
    ("dataset", "dataset"), ("number", "number"), ("created_at", "when"),
    ("created_by", "who"), ("source", "source"), ("n_rows", "rows"), ("years", "years"),
    ("n_active_series", "active"),
)


def versions_table(versions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The store's versions for display (no internal ids: dataset and version number).

    Examples
    --------
    >>> v = pd.DataFrame([[7, "unggah_analis", 2, "2025-01-01", "ana", "a.csv", 3, "2024", 1,
    ...                    "x"]], columns=["version_id"] + [c for c, _ in _VERSION_COLUMNS] + ["checksum"])
    >>> versions_table(v, "id").columns.tolist()[:3]
    ['Himpunan data', 'Versi', 'Waktu']
    """
    names = {c: translate(f"unggah.versions.{k}", lang) for c, k in _VERSION_COLUMNS}
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
