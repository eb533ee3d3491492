"""Messages of the validation report, in Bahasa Indonesia and English.

Each issue code has a template in both languages. Templates are ``str.format`` strings with
named fields; a location prefix (record, line, column) is added by :func:`render`. Values from
the file are escaped before they get here and are only ever shown as plain text.
"""

from __future__ import annotations

# code -> (Bahasa Indonesia, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # --- file and limits -------------------------------------------------------------------
    "file_unreadable": ("Berkas tidak dapat dibaca: {reason}.", "The file cannot be read: {reason}."),
    "file_empty": ("Berkas kosong.", "The file is empty."),
    "file_too_large": (
        "Berkas berukuran {size_mb} MB, melebihi batas {limit_mb} MB.",
        "The file is {size_mb} MB, above the limit of {limit_mb} MB.",
    ),
    "binary_file": (
        "Berkas bukan teks CSV/TSV maupun XLSX (isi biner).",
        "The file is neither CSV/TSV text nor XLSX (binary content).",
    ),
    "xls_legacy": (
        "Berkas Excel lama (.xls) atau terenkripsi tidak didukung; simpan sebagai .xlsx tanpa kata sandi.",
        "Old (.xls) or password-protected Excel files are not supported; save as .xlsx without a password.",
    ),
    "zip_not_xlsx": (
        "Berkas ZIP ini bukan buku kerja XLSX.",
        "This ZIP file is not an XLSX workbook.",
    ),
    "xlsx_corrupt": ("Berkas XLSX rusak: {reason}.", "The XLSX file is damaged: {reason}."),
    "xlsx_expanded_too_large": (
        "XLSX mengembang menjadi {size_mb} MB, melebihi batas {limit_mb} MB (kemungkinan bom zip).",
        "The XLSX expands to {size_mb} MB, above the limit of {limit_mb} MB (possible zip bomb).",
    ),
    "xlsx_ratio": (
        "Bagian «{part}» XLSX dimampatkan {ratio}×, melebihi batas {limit}× (kemungkinan bom zip).",
        "XLSX part '{part}' is compressed {ratio}×, above the limit of {limit}× (possible zip bomb).",
    ),
    "xlsx_too_many_parts": (
        "XLSX berisi {count} bagian, melebihi batas {limit}.",
        "The XLSX holds {count} parts, above the limit of {limit}.",
    ),
    "xml_entities": (
        "XLSX berisi deklarasi DTD/entitas XML yang tidak diizinkan (bagian «{part}»).",
        "The XLSX contains XML DTD/entity declarations, which are not allowed (part '{part}').",
    ),
    "sheet_not_found": (
        "Lembar «{sheet}» tidak ada; lembar yang tersedia: {sheets}.",
        "Sheet '{sheet}' does not exist; available sheets: {sheets}.",
    ),
    "sheet_chosen": (
        "Buku kerja berisi {count} lembar; yang dibaca: «{sheet}».",
        "The workbook holds {count} sheets; read: '{sheet}'.",
    ),
    "encoding_assumed": (
        "Berkas bukan UTF-8; dibaca sebagai {encoding}.",
        "The file is not UTF-8; read as {encoding}.",
    ),
    "too_many_rows": (
        "Berkas berisi lebih dari {limit} baris.",
        "The file has more than {limit} rows.",
    ),
    "too_many_columns": (
        "Berkas berisi {count} kolom, melebihi batas {limit}.",
        "The file has {count} columns, above the limit of {limit}.",
    ),
    "field_too_long": (
        "Isian lebih panjang dari {limit} karakter.",
        "A field is longer than {limit} characters.",
    ),
    "unterminated_quote": (
        "Tanda kutip dibuka tetapi tidak ditutup; baris-baris setelahnya tertelan ke satu isian.",
        "A quote is opened and never closed; the lines after it are swallowed into one field.",
    ),
    "bad_quote": (
        "Tanda kutip tidak sah di dalam isian: {reason}.",
        "Invalid quote inside a field: {reason}.",
    ),
    "wrong_field_count": (
        "Baris berisi {count} isian, sedangkan tajuk berisi {expected}.",
        "The record has {count} fields while the header has {expected}.",
    ),
    "newline_in_field": (
        "Isian berisi baris baru; hanya kolom catatan yang boleh berisi teks beberapa baris.",
        "The field contains a line break; only note columns may hold multi-line text.",
    ),
    "nul_character": ("Berkas berisi karakter NUL.", "The file contains NUL characters."),
    "no_header": ("Tajuk kolom tidak ditemukan.", "No column header found."),
    "duplicate_header": (
        "Nama kolom «{column}» muncul lebih dari sekali (kolom {positions}).",
        "Column name '{column}' occurs more than once (columns {positions}).",
    ),
    "empty_header": (
        "Kolom ke-{position} tanpa nama tajuk berisi data.",
        "Column {position} has no header name but holds data.",
    ),
    "title_rows_skipped": (
        "{count} baris judul di atas tajuk dilewati.",
        "{count} title row(s) above the header skipped.",
    ),
    "column_number_row_skipped": (
        "Baris penomoran kolom (1), (2), … dilewati.",
        "Column-numbering row (1), (2), … skipped.",
    ),
    "no_key_column": (
        "Tidak ada kolom kunci wilayah (kode Kemendagri, kode BPS, atau nama kecamatan bersama kabupaten/kota).",
        "No region key column (Kemendagri code, BPS code, or kecamatan name together with kabupaten/kota).",
    ),
    "kabupaten_column_missing": (
        "Nama kecamatan hanya dikenali bersama nama kabupaten/kota; tambahkan kolom kabupaten/kota atau kode.",
        "A kecamatan name is recognised only together with its kabupaten/kota; add a kabupaten/kota or code column.",
    ),
    "no_data_rows": ("Tidak ada baris data.", "There are no data rows."),
    "only_subtotal_rows": (
        "Semua {count} baris adalah baris kabupaten/kota, provinsi atau jumlah; unggahan menyimpan nilai per kecamatan saja.",
        "All {count} rows are kabupaten/kota, province or total rows; uploads store kecamatan values only.",
    ),
    "no_value_columns": (
        "Tidak ada kolom nilai indikator.",
        "There are no indicator value columns.",
    ),
    "too_many_issues": (
        "Ditemukan {count} masalah; hanya {limit} pertama yang dicantumkan.",
        "{count} problems found; only the first {limit} are listed.",
    ),
    # --- keys ---------------------------------------------------------------------------------
    "missing_key": ("Kunci wilayah kosong.", "The region key is empty."),
    "scientific_code": (
        "Kode dalam notasi ilmiah ({value}) ditolak: digitnya mungkin sudah hilang. Format kolom kode sebagai teks.",
        "A code in scientific notation ({value}) is rejected: digits may have been lost. Format the code column as text.",
    ),
    "invalid_code": ("«{value}» bukan kode kecamatan.", "'{value}' is not a kecamatan code."),
    "desa_code": (
        "«{value}» adalah kode desa/kelurahan; berkas harus per kecamatan.",
        "'{value}' is a desa/kelurahan code; the file must be per kecamatan.",
    ),
    "unknown_code": (
        "Kode «{value}» tidak ada di antara 666 kecamatan Jawa Timur.",
        "Code '{value}' is not one of the 666 kecamatan of East Java.",
    ),
    "unknown_kabupaten": (
        "Kabupaten/kota «{value}» tidak dikenal.{suggest_id}",
        "Kabupaten/kota '{value}' is unknown.{suggest_en}",
    ),
    "ambiguous_kabupaten": (
        "«{value}» bisa berarti {options}; tulis «Kabupaten …» atau «Kota …».",
        "'{value}' may mean {options}; write 'Kabupaten …' or 'Kota …'.",
    ),
    "unknown_name": (
        "Kecamatan «{value}» tidak ada di {kabupaten}.{suggest_id}",
        "Kecamatan '{value}' does not exist in {kabupaten}.{suggest_en}",
    ),
    "ambiguous_name": (
        "Nama «{value}» cocok dengan beberapa kecamatan di {kabupaten}: {options}.",
        "Name '{value}' matches several kecamatan in {kabupaten}: {options}.",
    ),
    "code_name_mismatch": (
        "Kode {code_text} adalah {code_name}, tetapi namanya tertulis «{value}».",
        "Code {code_text} is {code_name}, but the name says '{value}'.",
    ),
    "duplicate_region": (
        "Kecamatan {region} muncul lebih dari sekali: baris data {rows}.",
        "Kecamatan {region} occurs more than once: records {rows}.",
    ),
    "footnote_row": (
        "Baris catatan kaki ({value}) dilewati.",
        "Footnote row ({value}) skipped.",
    ),
    "subtotal_row": (
        "Baris jumlah/subtotal ({value}) tidak disimpan.",
        "Total/subtotal row ({value}) is not stored.",
    ),
    "coverage_partial": (
        "Indikator {indicator} tahun {year}: {count} dari 666 kecamatan tanpa nilai (tetap kosong, bukan 0).",
        "Indicator {indicator} year {year}: {count} of 666 kecamatan have no value (left missing, not 0).",
    ),
    # --- shape, indicators, years ------------------------------------------------------------
    "year_missing": (
        "Tahun data tidak diketahui: tambahkan kolom tahun, tulis tahun di tajuk, atau pilih tahun.",
        "The year of the data is unknown: add a year column, put the year in the header, or choose a year.",
    ),
    "bad_year": ("Tahun «{value}» tidak sah (1900–2100).", "Year '{value}' is invalid (1900–2100)."),
    "year_conflict": (
        "Tahun di berkas ({value}) berbeda dengan tahun yang dipilih ({year}).",
        "The year in the file ({value}) differs from the chosen year ({year}).",
    ),
    "missing_indicator": ("Nama indikator kosong.", "The indicator name is empty."),
    "unknown_indicator": (
        "Kolom/indikator «{value}» tidak ada di katalog; diperiksa sebagai angka umum dan hanya disimpan sebagai indikator baru bila analis memintanya.",
        "Column/indicator '{value}' is not in the catalogue; checked as a generic number and stored as a new indicator only when the analyst asks for it.",
    ),
    "duplicate_value": (
        "Nilai {indicator} {year} untuk {region} muncul lebih dari sekali: baris data {rows}.",
        "Value of {indicator} {year} for {region} occurs more than once: records {rows}.",
    ),
    "text_column": (
        "Kolom «{column}» berisi teks bebas; disimpan sebagai catatan, bukan angka.",
        "Column '{column}' holds free text; kept as notes, not numbers.",
    ),
    "nothing_to_store": (
        "Tidak ada nilai indikator katalog yang dapat disimpan.",
        "There are no catalogue indicator values to store.",
    ),
    # --- numbers ------------------------------------------------------------------------------
    "not_a_number": ("«{value}» bukan angka.", "'{value}' is not a number."),
    "not_finite": (
        "«{value}» bukan angka terhingga (NaN/tak hingga).",
        "'{value}' is not a finite number (NaN/infinity).",
    ),
    "underscore_digits": (
        "«{value}»: garis bawah di dalam angka tidak diterima.",
        "'{value}': underscores inside numbers are not accepted.",
    ),
    "non_ascii_digit": (
        "«{value}» berisi digit non-ASCII.",
        "'{value}' contains non-ASCII digits.",
    ),
    "overflow": ("«{value}» terlalu besar.", "'{value}' is too large."),
    "scientific_value": (
        "«{value}» dalam notasi ilmiah; tulis angka lengkapnya.",
        "'{value}' is in scientific notation; write the full number.",
    ),
    "mixed_number_format": (
        "Format angka bercampur: berkas ini memakai format {majority}, tetapi «{value}» berformat {minority}.",
        "Mixed number formats: this file uses the {majority} format, but '{value}' is {minority}.",
    ),
    "ambiguous_number": (
        "«{value}» bisa berarti ribuan (format Indonesia) atau desimal (format Inggris); pilih format angka.",
        "'{value}' may be thousands (Indonesian format) or decimals (English format); choose the number format.",
    ),
    "number_format_assumed": (
        "Format angka {locale_id} dipakai (tidak ada sel penentu; pemisah kolom {delimiter}); mis. «{value}» dibaca {example}.",
        "The {locale_en} number format is used (no deciding cell; column separator {delimiter}); e.g. '{value}' is read as {example}.",
    ),
    "number_for_other_locale": (
        "«{value}» tidak sah dalam format angka {locale}.",
        "'{value}' is not valid in the {locale} number format.",
    ),
    "missing_value": (
        "«{value}» dibaca sebagai nilai kosong (kebijakan simbol BPS).",
        "'{value}' read as a missing value (BPS symbol policy).",
    ),
    "excel_error": (
        "Sel berisi galat Excel {value}.",
        "The cell holds the Excel error {value}.",
    ),
    "count_not_whole": (
        "{indicator} adalah cacahan; «{value}» bukan bilangan bulat.",
        "{indicator} is a count; '{value}' is not a whole number.",
    ),
    "negative_count": (
        "{indicator} adalah cacahan; «{value}» negatif.",
        "{indicator} is a count; '{value}' is negative.",
    ),
    "percent_range": (
        "{indicator} adalah persentase; «{value}» di luar 0–100.",
        "{indicator} is a percentage; '{value}' is outside 0–100.",
    ),
    "fraction_scale": (
        "Semua nilai persentase {indicator} antara 0 dan 1: apakah ini pecahan (0,25 = 25%)? Periksa skalanya.",
        "Every percentage of {indicator} lies between 0 and 1: are these fractions (0.25 = 25%)? Check the scale.",
    ),
    "implausible_magnitude": (
        "«{value}» jauh lebih besar dari nilai lain di kolom ini (median {median}).",
        "'{value}' is far larger than the other values of this column (median {median}).",
    ),
    "out_of_range": (
        "{indicator}: «{value}» di luar rentang sah [{low}, {high}].",
        "{indicator}: '{value}' is outside the valid range [{low}, {high}].",
    ),
    "formula_no_cache": (
        "{count} sel rumus tanpa hasil tersimpan; buka berkas di Excel/LibreOffice dan simpan ulang.",
        "{count} formula cell(s) have no saved result; open the file in Excel/LibreOffice and save it again.",
    ),
    "bad_date_cell": ("Sel berisi tanggal, bukan angka.", "The cell holds a date, not a number."),
    # --- store / command line ---------------------------------------------------------------
    "regions_unavailable": (
        "Daftar wilayah belum tersedia ({reason}); jalankan «python -m pipeline build».",
        "The region list is not available ({reason}); run 'python -m pipeline build'.",
    ),
    "store_error": ("Gudang data menolak penyimpanan: {reason}.", "The store refused the commit: {reason}."),
    "commit_busy": (
        "Gudang data sedang dipakai penyimpanan lain; coba lagi sebentar.",
        "The store is busy with another commit; try again in a moment.",
    ),
    "internal_error": (
        "Kesalahan internal saat membaca berkas ({reason}); tidak ada yang disimpan.",
        "Internal error while reading the file ({reason}); nothing was stored.",
    ),
}


def _location(lang: str, row, line, column) -> str:
    parts = []
    if lang == "id":
        if row is not None:
            parts.append(f"baris data {row}")
        if line is not None:
            parts.append(f"baris berkas {line}")
        if column is not None:
            parts.append(f"kolom «{column}»")
    else:
        if row is not None:
            parts.append(f"record {row}")
        if line is not None:
            parts.append(f"line {line}")
        if column is not None:
            parts.append(f"column '{column}'")
    if not parts:
        return ""
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + ": "


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(code: str, *, row=None, line=None, column=None, value=None, **params) -> tuple[str, str]:
    """Return the (Bahasa Indonesia, English) messages of ``code`` with its location.

    Examples
    --------
    >>> render("not_a_number", row=3, line=5, column="ipm", value="abc")[1]
    "Record 3, line 5, column 'ipm': 'abc' is not a number."
    """
    id_t, en_t = MESSAGES.get(code, ("Masalah: {code}.", "Problem: {code}."))
    fields = _Safe(params, value="" if value is None else value, column=column or "", code=code,
                   row=row, line=line)
    suggestions = params.get("suggestions")
    if suggestions:
        fields["suggest_id"] = " Mungkin maksudnya: " + "; ".join(suggestions) + "?"
        fields["suggest_en"] = " Did you mean: " + "; ".join(suggestions) + "?"
    msg_id = _location("id", row, line, column) + id_t.format_map(fields)
    msg_en = _location("en", row, line, column) + en_t.format_map(fields)
    return msg_id, msg_en
