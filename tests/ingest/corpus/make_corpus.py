"""Write the corpus of tricky and hostile upload files and their expected outcomes.

Run ``python tests/ingest/corpus/make_corpus.py`` to regenerate the files of this folder; the
files are committed so that a change of this script shows up in review. Each case is written
byte for byte here (encodings, line endings and quotes are deliberate) and its expected outcome
is stated by hand in :data:`CASES` — values as a person reads them in the file (``153.190`` in an
Indonesian file is 153190), errors with the record (``row``, 1-based after the header), the
physical ``line`` and the ``column``. ``README.md`` describes every case.

Region facts used (BPS–Kemendagri bridging table, data source 3): Kota Surabaya 35.78 —
Wonokromo 35.78.04 (BPS 3578110), Gubeng 35.78.08 (BPS 3578100), Sukolilo 35.78.09 (BPS
3578080), Pakal 35.78.30 (BPS 3578281); Kota Malang 35.73 — Klojen 35.73.02; Kab. Malang 35.07
— Sumbermanjing Wetan 35.07.04 (BPS 3507060 "Sumbermanjing"); Kab. Bondowoso — Sempol
35.11.19 (BPS "Ijen"); Kab. Mojokerto — Gedeg 35.16.14 (BPS "Gedek"), Gondang 35.16.02;
Kab. Tulungagung — Gondang 35.04.09; Kab. Sumenep — Ra'as 35.29.22; Kota Kediri — Kota
35.71.02 (BPS "Kota Kediri"); Kab. Pacitan — Donorojo 35.01.01 (BPS 3501010).
"""

from __future__ import annotations

import codecs
import io
import json
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CASES: list[dict] = []


def case(name: str, data: bytes, expected: dict, note: str) -> None:
    (HERE / name).write_bytes(data)
    CASES.append({"file": name, "note": note, **expected})


def v(region, indicator, year, value):
    return [region, indicator, year, value]


def e(code, row=None, line=None, column=None):
    return [code, row, line, column]


def build() -> None:
    # 1. Indonesian CSV from Excel (id-ID): sep= hint, ';', thousands dots, decimal comma.
    case(
        "id_semicolon_sep_hint.csv",
        b"sep=;\r\nkode;kecamatan;penduduk;persentase_penduduk_miskin\r\n"
        b"35.78.04;Wonokromo;153.190;5,25\r\n"
        b"35.78.09;Sukolilo;1.107.005;4,1\r\n"
        b"35.78.08;Gubeng;138.452;6\r\n",
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.04", "penduduk", 2024, 153190), v("35.78.04", "persentase_penduduk_miskin", 2024, 5.25),
                    v("35.78.09", "penduduk", 2024, 1107005), v("35.78.09", "persentase_penduduk_miskin", 2024, 4.1),
                    v("35.78.08", "penduduk", 2024, 138452), v("35.78.08", "persentase_penduduk_miskin", 2024, 6)],
         "errors": []},
        "Excel id-ID export: `sep=;` line, `153.190` is 153190 (pandas with sep=';' reads 153.19).",
    )
    # 2. Indonesian numbers decided by another cell of the file: 153.190 alone is ambiguous,
    #    "1.107.005" (two groups) and "4,1" decide Indonesian for the whole file.
    case(
        "id_decided_by_file.csv",
        b"kode;penduduk;ipm\n35.78.04;153.190;80,1\n35.78.09;1.107.005;82,35\n",
        {"options": {"year": 2023}, "accepted": True,
         "values": [v("35.78.04", "penduduk", 2023, 153190), v("35.78.04", "ipm", 2023, 80.1),
                    v("35.78.09", "penduduk", 2023, 1107005), v("35.78.09", "ipm", 2023, 82.35)],
         "errors": []},
        "The number format is decided once for the file by its unambiguous cells.",
    )
    # 3. English CSV with UTF-8 BOM, quoted thousands with commas.
    case(
        "en_bom_comma.csv",
        codecs.BOM_UTF8 + b'kode_bps,nama_kecamatan,kabupaten_kota,penduduk,ipm\r\n'
        b'3578110,Wonokromo,Kota Surabaya,"153,190",80.1\r\n'
        b'3578080,Sukolilo,Kota Surabaya,"1,107,005",82.35\r\n',
        {"options": {"year": 2023}, "accepted": True,
         "values": [v("35.78.04", "penduduk", 2023, 153190), v("35.78.04", "ipm", 2023, 80.1),
                    v("35.78.09", "penduduk", 2023, 1107005), v("35.78.09", "ipm", 2023, 82.35)],
         "errors": []},
        "UTF-8 with BOM, English numbers; BPS codes go through the crosswalk (3578080 is Sukolilo 35.78.09).",
    )
    # 4. Excel "Unicode Text": UTF-16 LE with BOM, tab-separated, CRLF.
    text = "kode\tkecamatan\tipm\r\n35.78.04\tWonokromo\t80,1\r\n35.78.09\tSukolilo\t82,35\r\n"
    case(
        "utf16_unicode_text.txt",
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        {"options": {"year": 2022}, "accepted": True,
         "values": [v("35.78.04", "ipm", 2022, 80.1), v("35.78.09", "ipm", 2022, 82.35)], "errors": []},
        "UTF-16 LE with BOM and tabs (Excel's \"Unicode Text\").",
    )
    # 5. Windows-1252: Ra’as (right single quote 0x92) and an en dash (0x96) in a note.
    case(
        "cp1252_names.csv",
        "kecamatan;kabupaten;ipm;catatan\r\nRa\u2019as;Kab. Sumenep;60,5;survei \u2013 2024\r\n"
        "Gedek;Kabupaten Mojokerto;70,25;\r\n".encode("cp1252"),
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.29.22", "ipm", 2024, 60.5), v("35.16.14", "ipm", 2024, 70.25)],
         "errors": [], "warnings_include": [e("encoding_assumed")]},
        "Windows-1252 bytes; BPS spelling Gedek = Kemendagri Gedeg; Ra'as with a typographic apostrophe.",
    )
    # 6. Mixed line endings and a quoted note with a line break.
    case(
        "mixed_line_endings.csv",
        b'kode,ipm,keterangan\r\n35.78.04,80.1,"baris satu\nbaris dua"\n35.78.09,82.35,ok\r35.78.08,79.5,\r\n',
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.04", "ipm", 2024, 80.1), v("35.78.09", "ipm", 2024, 82.35),
                    v("35.78.08", "ipm", 2024, 79.5)],
         "errors": []},
        "CRLF, LF and CR in one file; a quoted field with a line break in a notes column.",
    )
    # 7. Unterminated quote: never a silent loss of the swallowed rows.
    case(
        "unterminated_quote.csv",
        b'kode,ipm,keterangan\n35.78.04,80.1,ok\n35.78.09,82.35,"tanpa tutup\n35.78.08,79.5,ok\n35.78.30,70.0,ok\n',
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("unterminated_quote", None, 3, None)]},
        "A quote opened on line 3 and never closed: rejected at line 3 (Python's csv would return fewer rows).",
    )
    # 8. Scientific-notation codes (Excel turned 3578110 into 3.57811E+06).
    case(
        "scientific_codes.csv",
        b"kode_bps;ipm\n3.57811E+06;80,1\n3578080;82,35\n3,57810E+06;79,5\n",
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("scientific_code", 1, 2, "kode_bps"), e("scientific_code", 3, 4, "kode_bps")]},
        "Codes in scientific notation are always refused (digits may be lost: WONOKROMO could become GUBENG).",
    )
    # 9. Mixed number formats in one file: rejected with the minority cells named.
    case(
        "mixed_number_formats.csv",
        b'kode;penduduk;ipm\n35.78.04;153.190;80,1\n35.78.09;1,107,005.5;82,35\n35.78.08;138.452;79,5\n',
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("mixed_number_format", 2, 3, "penduduk")]},
        "Indonesian and English numbers in one file: the English cell is named.",
    )
    # 9b. A mixed-format cell is one error; the other values are still checked.
    case(
        "mixed_number_formats_other_errors.csv",
        b"kode;penduduk;ipm\n35.78.04;153.190;80,1\n35.78.09;1,107,005.5;182,35\n35.78.08;138.452;79,5\n"
        b"35.78.30;-5;1.234,5\n",
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("mixed_number_format", 2, 3, "penduduk"), e("out_of_range", 2, 3, "ipm"),
                    e("negative_count", 4, 5, "penduduk"), e("out_of_range", 4, 5, "ipm")]},
        "One English cell (`1,107,005.5`) in an Indonesian file is one error; the file is read in "
        "the Indonesian format and the other checks still run (IPM 182,35 and 1.234,5 above 100, "
        "a negative population).",
    )
    # 10. BPS missing symbols: missing, never 0, listed per cell.
    case(
        "bps_symbols.csv",
        "kode;ipm;persentase_penduduk_miskin\n35.78.04;-;5,2\n35.78.09;\u2026;x\n35.78.08;NA;n/a\n35.78.30;80,5;\n"
        .encode(),
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.04", "persentase_penduduk_miskin", 2024, 5.2), v("35.78.30", "ipm", 2024, 80.5)],
         "errors": [],
         "warnings_include": [e("missing_value", 1, 2, "ipm"), e("missing_value", 2, 3, "ipm"),
                              e("missing_value", 2, 3, "persentase_penduduk_miskin"),
                              e("missing_value", 3, 4, "ipm"), e("missing_value", 3, 4, "persentase_penduduk_miskin"),
                              e("missing_value", 4, 5, "persentase_penduduk_miskin")]},
        "`-`, `…`, `x`, `NA`, `n/a` and empty cells become missing values (declared policy), each listed.",
    )
    # 11. Bad numbers: NaN, inf, 1_000, Arabic-Indic digits, overflow, scientific value, text.
    case(
        "bad_numbers.csv",
        "kode;penduduk\n35.78.04;NaN\n35.78.09;inf\n35.78.08;1_000\n35.78.30;\u0661\u0662\u0663\n"
        "35.73.02;99999999999999999999\n35.01.01;1,5E+06\n35.29.22;banyak\n".encode(),
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("not_finite", 1, 2, "penduduk"), e("not_finite", 2, 3, "penduduk"),
                    e("underscore_digits", 3, 4, "penduduk"), e("non_ascii_digit", 4, 5, "penduduk"),
                    e("overflow", 5, 6, "penduduk"), e("scientific_value", 6, 7, "penduduk"),
                    e("not_a_number", 7, 8, "penduduk")]},
        "Each bad cell is an error located by record, line and column.",
    )
    # 12. Counts whole and non-negative; percentages in 0–100.
    case(
        "count_percent_rules.csv",
        b"kode;penduduk;persentase_penduduk_miskin\n35.78.04;153190,5;5\n35.78.09;-12;101\n35.78.08;138452;-0,5\n",
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("count_not_whole", 1, 2, "penduduk"), e("negative_count", 2, 3, "penduduk"),
                    e("percent_range", 2, 3, "persentase_penduduk_miskin"),
                    e("percent_range", 3, 4, "persentase_penduduk_miskin")]},
        "A count must be whole and non-negative; a percentage must lie in 0–100.",
    )
    # 13. Fractions in a percentage column: accepted with a scale warning.
    case(
        "fraction_scale.csv",
        b"kode,persentase_penduduk_miskin\n35.78.04,0.052\n35.78.09,0.041\n35.78.08,0.06\n",
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.04", "persentase_penduduk_miskin", 2024, 0.052),
                    v("35.78.09", "persentase_penduduk_miskin", 2024, 0.041),
                    v("35.78.08", "persentase_penduduk_miskin", 2024, 0.06)],
         "errors": [], "warnings_include": [e("fraction_scale", None, None, "persentase_penduduk_miskin")]},
        "All percentages within 0–1: a warning asks the analyst to check the scale (0.25 = 25%?).",
    )
    # 14. Key variants that must all resolve.
    case(
        "key_variants.csv",
        "kode;kecamatan;kabupaten;ipm\n"
        " 35.78.9 ;;;81\n"
        "3578110.0;;;80\n"
        "357808;;;79\n"
        ";Kec.\u00a0SUMBERMANJING;Kab. Malang;65\n"
        ";kecamatan ijen;KABUPATEN BONDOWOSO;62\n"
        ";Gondang;Kab Tulungagung;70\n"
        ";GONDANG;Kabupaten  Mojokerto;71\n"
        ";Kota Kediri;Kota Kediri;77\n"
        ";Klojen;KOTA MALANG;83\n".encode(),
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.09", "ipm", 2024, 81), v("35.78.04", "ipm", 2024, 80), v("35.78.08", "ipm", 2024, 79),
                    v("35.07.04", "ipm", 2024, 65), v("35.11.19", "ipm", 2024, 62), v("35.04.09", "ipm", 2024, 70),
                    v("35.16.02", "ipm", 2024, 71), v("35.71.02", "ipm", 2024, 77), v("35.73.02", "ipm", 2024, 83)],
         "errors": []},
        "Zero-stripped Kemendagri, BPS with .0, undotted Kemendagri, spaces/NBSP, Kec./Kab. prefixes, "
        "BPS spelling variants (Sumbermanjing, Ijen), a name repeated across kabupaten (Gondang).",
    )
    # 15. A code that disagrees with its name.
    case(
        "code_name_mismatch.csv",
        b"kode,kecamatan,ipm\n35.78.08,Sukolilo,80\n35.78.09,Sukolilo,81\n",
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("code_name_mismatch", 1, 2, "kecamatan")]},
        "35.78.08 is Gubeng, not Sukolilo (Sukolilo's BPS code 3578080 is close to Gubeng's Kemendagri code).",
    )
    # 16. Duplicates, also after normalisation (code in one row, name in another).
    case(
        "duplicates.csv",
        b"kode;kecamatan;kabupaten;ipm\n35.78.04;;;80\n;wonokromo ;Kota Surabaya;81\n35.78.09;;;82\n3578080;;;82\n",
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("duplicate_region", 1, 2, None), e("duplicate_region", 3, 4, None)]},
        "The same kecamatan twice, by code and by a differently written name: every row is listed.",
    )
    # 17. Unknown and ambiguous keys, with suggestions that are never applied.
    case(
        "unknown_ambiguous.csv",
        b"kecamatan;kabupaten;ipm\nWonokromoo;Kota Surabaya;80\nKlojen;Malang;81\nSukolilo;Kota Atlantis;82\n"
        b"Gubeng;Surabaya;79\n",
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("unknown_name", 1, 2, "kecamatan"), e("ambiguous_kabupaten", 2, 3, "kabupaten"),
                    e("unknown_kabupaten", 3, 4, "kabupaten")]},
        "A misspelt name (a suggestion is offered), `Malang` (kabupaten or kota?), an unknown kabupaten.",
    )
    # 18. Names without kabupaten: refused.
    case(
        "name_without_kabupaten.csv",
        b"kecamatan,ipm\nWonokromo,80\nGondang,70\n",
        {"options": {"year": 2024}, "accepted": False, "values": [], "errors": [e("kabupaten_column_missing", None, 1)]},
        "A kecamatan name identifies a kecamatan only with its kabupaten/kota (Gondang exists five times).",
    )
    # 19. Long shape.
    case(
        "long_shape.csv",
        b"kode_kemendagri,indikator,tahun,nilai\n35.78.04,ipm,2022,79.5\n35.78.04,ipm,2023,80.1\n"
        b"35.78.09,IPM,2023,82.35\n35.78.09,Jumlah Penduduk,2023,1107005\n",
        {"options": {}, "accepted": True,
         "values": [v("35.78.04", "ipm", 2022, 79.5), v("35.78.04", "ipm", 2023, 80.1),
                    v("35.78.09", "ipm", 2023, 82.35), v("35.78.09", "penduduk", 2023, 1107005)],
         "errors": []},
        "Long form (region, indicator, year, value); indicator names through the catalogue's aliases.",
    )
    # 20. Wide file with years in the headers, and an unknown indicator column.
    case(
        "wide_year_headers.csv",
        b"kode,IPM 2022,IPM 2023,skor_inovasi 2023\n35.78.04,79.5,80.1,3\n35.78.09,81.9,82.35,4\n",
        {"options": {}, "accepted": True,
         "values": [v("35.78.04", "ipm", 2022, 79.5), v("35.78.04", "ipm", 2023, 80.1),
                    v("35.78.04", "skor_inovasi", 2023, 3),
                    v("35.78.09", "ipm", 2022, 81.9), v("35.78.09", "ipm", 2023, 82.35),
                    v("35.78.09", "skor_inovasi", 2023, 4)],
         "errors": [], "warnings_include": [e("unknown_indicator", None, 1, "skor_inovasi 2023")]},
        "Years in headers (`IPM 2023`); a column the catalogue does not know is reported and checked as a number.",
    )
    # 21. Free-text columns kept as notes.
    case(
        "free_text.csv",
        b"kode;ipm;keterangan;petugas\n35.78.04;80,1;data sementara;Budi\n35.78.09;82,35;;Sari\n",
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.04", "ipm", 2024, 80.1), v("35.78.09", "ipm", 2024, 82.35)], "errors": [],
         "warnings_include": [e("text_column", None, 1, "keterangan"), e("text_column", None, 1, "petugas")]},
        "`keterangan` and a text column `petugas` are kept as notes with a warning, not rejected as bad numbers.",
    )
    # 22. Subtotal rows in a CSV export of a BPS table.
    case(
        "subtotal_rows.csv",
        b"kode;kecamatan;penduduk\n35.78.04;Wonokromo;153.190\n35.78.09;Sukolilo;1.107.005\n"
        b"35.78;Kota Surabaya;1.260.195\n;Jumlah;1.260.195\n",
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.04", "penduduk", 2024, 153190), v("35.78.09", "penduduk", 2024, 1107005)],
         "errors": [], "warnings_include": [e("subtotal_row", 3, 4), e("subtotal_row", 4, 5)]},
        "A kabupaten row and a `Jumlah` row are set aside, never ingested as kecamatan values.",
    )
    # 23. Wrong field counts.
    case(
        "wrong_field_count.csv",
        b"kode,ipm\n35.78.04,80.1\n35.78.09,82.35,extra\n35.78.08\n",
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("wrong_field_count", 2, 3), e("wrong_field_count", 3, 4)]},
        "Records with more or fewer fields than the header.",
    )
    # 24. Formula-like text (spreadsheet injection) in notes and an unknown header.
    case(
        "formula_text.csv",
        b'kode,ipm,=HYPERLINK("http://x")\n35.78.04,80.1,=cmd|\' /C calc\'!A0\n35.78.09,82.35,@SUM(A1)\n',
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.04", "ipm", 2024, 80.1), v("35.78.09", "ipm", 2024, 82.35)], "errors": []},
        "Formula-like text is data: stored and shown as text, neutralised in every export.",
    )
    # 25. The extension lies: a CSV named .xlsx is read as CSV.
    case(
        "csv_named.xlsx",
        b"kode;ipm\n35.78.04;80,1\n",
        {"options": {"year": 2024}, "accepted": True, "values": [v("35.78.04", "ipm", 2024, 80.1)], "errors": []},
        "The kind of file is decided from its content, not from its name.",
    )
    # 26. Empty file, header only, old .xls, non-XLSX zip, binary.
    case("empty.csv", b"", {"options": {}, "accepted": False, "values": [], "errors": [e("file_empty")]},
         "An empty file.")
    case("header_only.csv", b"kode;ipm\r\n", {"options": {"year": 2024}, "accepted": False, "values": [],
                                               "errors": [e("no_data_rows")]}, "A header and no data.")
    case("legacy.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
         {"options": {}, "accepted": False, "values": [], "errors": [e("xls_legacy")]},
         "The OLE signature of an old .xls (or a password-protected workbook).")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        _writestr(z, "word/document.xml", "<w:document/>")
    case("not_a_workbook.xlsx", buf.getvalue(), {"options": {}, "accepted": False, "values": [],
                                                  "errors": [e("zip_not_xlsx")]},
         "A ZIP (here a fragment of a .docx) that is not a workbook.")
    case("binary.bin", bytes(range(256)) * 8, {"options": {}, "accepted": False, "values": [],
                                                "errors": [e("binary_file")]}, "Binary bytes.")
    # 27a. More text cases.
    case(
        "nbsp_thousands_percent.csv",
        "kode;penduduk;persentase_penduduk_miskin\n35.78.04;1\u00a0107\u00a0005;12,5 %\n35.78.09;153\u202f190;4,25%\n"
        .encode(),
        {"options": {"year": 2024}, "accepted": True,
         "values": [v("35.78.04", "penduduk", 2024, 1107005), v("35.78.04", "persentase_penduduk_miskin", 2024, 12.5),
                    v("35.78.09", "penduduk", 2024, 153190), v("35.78.09", "persentase_penduduk_miskin", 2024, 4.25)],
         "errors": []},
        "No-break and narrow no-break spaces as thousands separators; a `%` sign after percentages.",
    )
    case(
        "bom_and_sep_hint.csv",
        codecs.BOM_UTF8 + b"sep=,\r\nkode,ipm\r\n35.78.04,80.1\r\n",
        {"options": {"year": 2024}, "accepted": True, "values": [v("35.78.04", "ipm", 2024, 80.1)], "errors": []},
        "A UTF-8 BOM before Excel's `sep=,` line.",
    )
    case(
        "quoted_tsv.tsv",
        b'"kode"\t"nama_kecamatan"\t"kabupaten"\t"ipm"\n"35.78.04"\t"Wonokromo"\t"Kota Surabaya"\t"80.1"\n',
        {"options": {"year": 2024}, "accepted": True, "values": [v("35.78.04", "ipm", 2024, 80.1)], "errors": []},
        "Tab-separated with every field quoted.",
    )
    case(
        "kabupaten_level.csv",
        b"kode;ipm\n35.78;80\n3573;81\n",
        {"options": {"year": 2024}, "accepted": False, "values": [], "errors": [e("only_subtotal_rows")],
         "warnings_include": [e("subtotal_row", 1, 2), e("subtotal_row", 2, 3)]},
        "A file of kabupaten/kota rows: refused with the reason (uploads store kecamatan values).",
    )
    case(
        "desa_codes.csv",
        b"kode;ipm\n35.78.04.1001;80\n3578110001;81\n",
        {"options": {"year": 2024}, "accepted": False, "values": [],
         "errors": [e("desa_code", 1, 2, "kode"), e("desa_code", 2, 3, "kode")]},
        "Desa/kelurahan codes in a kecamatan file.",
    )
    # 27. XLSX files.
    case("bps_table.xlsx", xlsx_bps_table(),
         {"options": {"year": 2024}, "accepted": True,
          "values": [v("35.78.04", "penduduk", 2024, 153190), v("35.78.09", "penduduk", 2024, 1107005),
                     v("35.78.04", "persentase_penduduk_miskin", 2024, 4.5),
                     v("35.78.09", "persentase_penduduk_miskin", 2024, 3.25)],
          "errors": [],
          "warnings_include": [e("title_rows_skipped", None, 4), e("column_number_row_skipped", None, 5),
                               e("subtotal_row", 3, 8), e("footnote_row", 4, 10)]},
         "BPS-style sheet: merged title rows, a column-numbering row, cached formula values, a subtotal, a footnote.")
    case("excel_errors.xlsx", xlsx_errors(),
         {"options": {"year": 2024}, "accepted": False, "values": [],
          "errors": [e("excel_error", 1, 2, "ipm"), e("excel_error", 2, 3, "ipm"), e("excel_error", 3, 4, "ipm")]},
         "`#DIV/0!`, `#N/A` and `#REF!` reported per cell.")
    case("two_sheets.xlsx", xlsx_two_sheets(),
         {"options": {"year": 2024, "sheet": "data"}, "accepted": True,
          "values": [v("35.78.04", "ipm", 2024, 80.1)], "errors": [],
          "warnings_include": [e("sheet_chosen")]},
         "The chosen sheet (`data`) is read, not the first one.")
    case("xml_entities.xlsx", xlsx_entities(),
         {"options": {"year": 2024}, "accepted": False, "values": [], "errors": [e("xml_entities")]},
         "A worksheet with a DOCTYPE/ENTITY declaration (billion laughs, XXE) is refused before parsing.")
    case("date_in_numbers.xlsx", xlsx_date_in_numbers(),
         {"options": {"year": 2024}, "accepted": False, "values": [],
          "errors": [e("bad_date_cell", 2, 3, "ipm")]},
         "Excel turned `1.5` into a date in a number column: refused at that cell.")
    case("formula_without_value.xlsx", xlsx_formula_without_value(),
         {"options": {"year": 2024}, "accepted": False, "values": [],
          "errors": [e("formula_no_cache", None, 2, None)]},
         "Formulas written without a saved result (e.g. by openpyxl) would read as empty: refused at "
         "that cell (`data!B2`).")


FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def _workbook(buf):
    """An XlsxWriter workbook with a fixed creation time, so that regenerated files are identical."""
    import datetime

    import xlsxwriter

    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": datetime.datetime(*FIXED_TIME)})
    return wb


def _writestr(z: zipfile.ZipFile, name: str, data) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)


def xlsx_bps_table() -> bytes:

    buf = io.BytesIO()
    wb = _workbook(buf)
    ws = wb.add_worksheet("Tabel 3.1")
    ws.merge_range("A1:D1", "Tabel 3.1 Jumlah Penduduk dan Persentase Penduduk Miskin menurut Kecamatan")
    ws.merge_range("A2:D2", "Kota Surabaya, 2024")
    ws.write_row("A4", ["Kode", "Kecamatan", "Jumlah Penduduk", "Persentase Penduduk Miskin"])
    ws.write_row("A5", ["(1)", "(2)", "(3)", "(4)"])
    ws.write_string("A6", "35.78.04")
    ws.write_string("B6", "Wonokromo")
    ws.write_number("C6", 153190)
    ws.write_number("D6", 4.5)
    ws.write_string("A7", "3578080")
    ws.write_string("B7", "Sukolilo")
    ws.write_formula("C7", "=1000000+107005", None, 1107005)
    ws.write_formula("D7", "=13/4", None, 3.25)
    ws.write_string("B8", "Jumlah")
    ws.write_formula("C8", "=SUM(C6:C7)", None, 1260195)
    ws.write_string("A10", "Sumber: BPS Kota Surabaya (contoh)")
    wb.close()
    return buf.getvalue()


def xlsx_errors() -> bytes:

    buf = io.BytesIO()
    wb = _workbook(buf)
    ws = wb.add_worksheet("data")
    ws.write_row("A1", ["kode", "ipm"])
    for i, (code, formula, err) in enumerate([("35.78.04", "=1/0", "#DIV/0!"), ("35.78.09", "=NA()", "#N/A"),
                                              ("35.78.08", "=#REF!+1", "#REF!")], start=2):
        ws.write_string(f"A{i}", code)
        ws.write_formula(f"B{i}", formula, None, err)
    wb.close()
    return buf.getvalue()


def xlsx_two_sheets() -> bytes:

    buf = io.BytesIO()
    wb = _workbook(buf)
    first = wb.add_worksheet("petunjuk")
    first.write("A1", "Isi lembar data.")
    ws = wb.add_worksheet("data")
    ws.write_row("A1", ["kode", "ipm"])
    ws.write_string("A2", "35.78.04")
    ws.write_number("B2", 80.1)
    wb.close()
    return buf.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            _writestr(dst, info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def xlsx_entities() -> bytes:
    base = xlsx_two_sheets()
    sheet = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet2.xml")
    evil = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            + sheet.split(b"?>", 1)[1].replace(b"</sheetData>", b"<row r=\"3\"><c r=\"A3\" t=\"inlineStr\">"
                                               b"<is><t>&b;</t></is></c></row></sheetData>"))
    return _rezip(base, {"xl/worksheets/sheet2.xml": evil})


def xlsx_date_in_numbers() -> bytes:
    import datetime


    buf = io.BytesIO()
    wb = _workbook(buf)
    ws = wb.add_worksheet("data")
    ws.write_row("A1", ["kode", "ipm"])
    ws.write_string("A2", "35.78.04")
    ws.write_number("B2", 80.5)
    ws.write_string("A3", "35.78.09")
    ws.write_datetime("B3", datetime.datetime(2024, 5, 1), wb.add_format({"num_format": "d-mmm"}))
    wb.close()
    return buf.getvalue()


def xlsx_formula_without_value() -> bytes:

    buf = io.BytesIO()
    wb = _workbook(buf)
    ws = wb.add_worksheet("data")
    ws.write_row("A1", ["kode", "ipm"])
    ws.write_string("A2", "35.78.04")
    ws.write_number("B2", 80)
    wb.close()
    base = buf.getvalue()
    sheet = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml")
    assert b"<v>80</v>" in sheet
    return _rezip(base, {"xl/worksheets/sheet1.xml": sheet.replace(b"<v>80</v>", b"<f>79+1</f>")})


README_HEAD = """# Upload corpus: tricky and hostile files

Every file here is written byte for byte by `make_corpus.py` (run it from the project root:
`python tests/ingest/corpus/make_corpus.py`; it rewrites the files, `expected.json` and this
README). The expected outcome of each case was stated by hand in that script, not produced by
the code under test: an accepted file lists every value exactly as a person reads it (for
example `153.190` in an Indonesian file is 153190), a rejected file lists every error with its
code, data record (`row`, 1-based after the header), physical `line` and `column`.
`tests/ingest/test_corpus.py` checks each case; the large files (1,000,000 rows, 200 MB, a zip
bomb) are generated on the fly by `tests/ingest/test_large.py`.

Region facts used: the BPS–Kemendagri bridging table (data source 3), e.g. BPS 3578080 SUKOLILO =
Kemendagri 35.78.09 while 35.78.08 is GUBENG.

| file | how it was made, what it tests | expected |
|---|---|---|
"""


def _expected_text(c: dict) -> str:
    if c["accepted"]:
        text = f"accepted, {len(c['values'])} values"
        if c.get("warnings_include"):
            text += "; warnings " + ", ".join(sorted({w[0] for w in c["warnings_include"]}))
        return text
    return "rejected: " + "; ".join(
        w[0] + (f" (record {w[1]}" if w[1] else " (") + (f", line {w[2]}" if w[2] else "") + (
            f", column {w[3]}" if w[3] else "") + ")" for w in c["errors"]).replace(" ()", "")


if __name__ == "__main__":
    build()
    rows = [f"| `{c['file']}` | {c['note']} | {_expected_text(c)} |" for c in CASES]
    (HERE / "README.md").write_text(README_HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    (HERE / "expected.json").write_text(json.dumps(CASES, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(CASES)} cases written to {HERE}")
