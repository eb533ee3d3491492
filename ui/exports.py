"""CSV and XLSX downloads of tables, safe to open in a spreadsheet.

Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with an apostrophe; numbers stay numbers
(a numeric column is never turned into text, so ``-3.5`` remains the number −3.5).

Illustrative data is labelled in the export itself: pass ``illustrative=True`` when the whole
table is illustrative, or the name of a boolean column that flags illustrative rows. A column
``status_data`` (``data ilustrasi`` / ``illustrative data``, empty for real values) is added,
and the XLSX gets a second sheet ``Keterangan`` with the notice and the sources.

Pages use :func:`download_buttons`, which draws the CSV and XLSX buttons side by side and
builds a file only when its button is clicked (never on every rerun).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from ui.i18n import current_lang, t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"

#: A text cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

STATUS_COLUMN = "status_data"


def neutralise_cell(value):
    """Prefix a formula-like text cell with ``'``; anything else is returned unchanged.

    Examples
    --------
    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell(-3.5)
    -3.5
    >>> neutralise_cell("Gubeng")
    'Gubeng'
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) cannot start a formula.

    Numeric, boolean and datetime columns are left as they are.
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        out[col] = s.map(neutralise_cell).astype(object) if len(s) else s
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def _with_status(df: pd.DataFrame, illustrative: bool | str, lang: str | None) -> pd.DataFrame:
    label = t("common.badge.illustrative", lang=lang)
    if isinstance(illustrative, str):
        flags = df[illustrative].fillna(False).astype(bool)
        out = df.drop(columns=[illustrative]).copy()
        out[STATUS_COLUMN] = flags.map({True: label, False: ""})
        return out
    if illustrative:
        out = df.copy()
        out[STATUS_COLUMN] = label
        return out
    return df


def _has_illustrative(df: pd.DataFrame, illustrative: bool | str) -> bool:
    if isinstance(illustrative, str):
        return bool(df[illustrative].fillna(False).astype(bool).any())
    return bool(illustrative)


def to_csv(df: pd.DataFrame, illustrative: bool | str = False, lang: str | None = None) -> bytes:
    """CSV bytes (RFC 4180: UTF-8 with BOM for Excel, comma-separated, CRLF, dot decimal).

    Parameters
    ----------
    df : DataFrame
        The table as shown.
    illustrative : bool or str
        True when every row is illustrative; or the name of a boolean column flagging rows.
    lang : str, optional
        Language of the ``status_data`` label; default the session's.

    Returns
    -------
    bytes
    """
    table = neutralise(_with_status(df, illustrative, lang))
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_csv_excel_id(
    df: pd.DataFrame, illustrative: bool | str = False, lang: str | None = None
) -> bytes:
    """CSV for Excel set to Indonesian: ``;`` separator, decimal comma, UTF-8 with BOM, CRLF.

    Excel in an Indonesian locale opens a comma-separated file as one column and reads
    ``7.25`` as a date or text; this file opens as a table with numbers. Whole-number
    columns (ranks, counts, years) stay whole numbers.

    Examples
    --------
    >>> df = pd.DataFrame({"nama": ["A"], "nilai": [7.25],
    ...                    "peringkat": pd.array([3], dtype="Int64")})
    >>> to_csv_excel_id(df).decode("utf-8-sig")
    'nama;nilai;peringkat\\r\\nA;7,25;3\\r\\n'
    """
    table = neutralise(_with_status(df, illustrative, lang))
    text = table.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx(
    df: pd.DataFrame,
    illustrative: bool | str = False,
    sources: Sequence[str] = (),
    sheet_name: str = "data",
    lang: str | None = None,
) -> bytes:
    """XLSX bytes: the table on one sheet, a ``Keterangan`` sheet with notice and sources.

    XlsxWriter is told never to turn strings into formulas or links, and the cells are
    neutralised as for CSV.

    Parameters
    ----------
    df : DataFrame
        The table as shown.
    illustrative : bool or str
        As in :func:`to_csv`.
    sources : sequence of str
        Source and licence lines for the notes sheet.
    sheet_name : str
        Name of the data sheet (at most 31 characters).
    lang : str, optional
        Language of the labels; default the session's.

    Returns
    -------
    bytes
    """
    table = neutralise(_with_status(df, illustrative, lang))
    notes = []
    if _has_illustrative(df, illustrative):
        notes.append(t("common.badge.illustrative_long", lang=lang))
    notes.extend(neutralise_cell(s) for s in sources)
    buf = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        table.to_excel(writer, sheet_name=sheet_name[:31], index=False)
        pd.DataFrame({t("common.export.notes", lang=lang): notes}).to_excel(
            writer, sheet_name="Keterangan", index=False
        )
    return buf.getvalue()


def download_buttons(
    df: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    *,
    key: str,
    illustrative: bool | str = False,
    sources: Sequence[str] = (),
    sheet_name: str = "data",
    labels: tuple[str, str] | None = None,
) -> None:
    """Draw CSV and XLSX download buttons for ``df``; each file is built only when clicked.

    Parameters
    ----------
    df : DataFrame or callable
        The table as shown, or a function that builds it (called only when a button is
        clicked: a page run then costs nothing for its downloads).
    name : str
        File name without extension (never taken from user input).
    key : str
        Widget key prefix, unique on the page.
    illustrative, sources, sheet_name
        As in :func:`to_csv` and :func:`to_xlsx`.
    labels : (str, str), optional
        Button labels; default ``common.export.csv`` and ``common.export.xlsx``.

    A third button offers the CSV for Indonesian Excel (:func:`to_csv_excel_id`).
    """
    lang = current_lang()
    csv_label, xlsx_label = labels or (t("common.export.csv"), t("common.export.xlsx"))
    # One wrapping row of buttons as wide as their labels: never cut ("Tabel indikator (XL…").
    row = st.container(horizontal=True, wrap=True)

    def when_clicked(write, *args):
        return lambda: write(df() if callable(df) else df, *args)

    row.download_button(
        csv_label,
        when_clicked(to_csv, illustrative, lang),
        f"{name}.csv",
        CSV_MIME,
        key=f"{key}_csv",
        on_click="ignore",
        wrap=True,
    )
    row.download_button(
        t("common.export.csv_excel_id"),
        when_clicked(to_csv_excel_id, illustrative, lang),
        f"{name}_excel_id.csv",
        CSV_MIME,
        key=f"{key}_csv_id",
        on_click="ignore",
        wrap=True,
        help=t("common.export.csv_excel_id_help"),
    )
    row.download_button(
        xlsx_label,
        when_clicked(to_xlsx, illustrative, sources, sheet_name, lang),
        f"{name}.xlsx",
        XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        wrap=True,
    )
