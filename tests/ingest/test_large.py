"""Large and hostile files generated on the fly: a 200 MB file, zip bombs, 1,000,000 rows."""

from __future__ import annotations

import io
import random
import struct
import zipfile

import pytest

from ingest import Limits, Options, cli, validate_bytes


def test_200_mb_file_rejected_by_size_before_reading(
    tmp_path, capsys, monkeypatch, gazetteer, new_store_url
):
    big = tmp_path / "besar.csv"
    with open(big, "wb") as fh:
        fh.write(b"kode;ipm\n")
        fh.truncate(200_000_000)
    monkeypatch.setenv("RBK_DATABASE_URL", new_store_url())
    code = cli.main([str(big), "--json", "--dry-run"])
    out = capsys.readouterr().out
    assert code == 1 and '"file_too_large"' in out and "200.0 MB" in out


def test_size_limit_in_memory_and_configurable(gazetteer):
    data = b"kode;ipm\n" + b"35.78.04;80\n" * 100
    res = validate_bytes(data, options=Options(year=2024, limits=Limits(max_bytes=500)), gazetteer=gazetteer)
    assert [e.code for e in res.report.errors] == ["file_too_large"]


def _sheet_workbook(sheet_part: bytes | None = None, *, stream_mb: int = 0) -> bytes:
    """A minimal XLSX whose sheet is ``sheet_part`` or ``stream_mb`` MB of blanks (a bomb)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
        if sheet_part is not None:
            z.writestr("xl/worksheets/sheet1.xml", sheet_part)
        else:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                chunk = b" " * (1 << 20)
                for _ in range(stream_mb):
                    part.write(chunk)
    return buf.getvalue()


def test_zip_bomb_by_ratio(gazetteer):
    bomb = _sheet_workbook(stream_mb=20)  # 20 MB of blanks in ~20 kB
    assert len(bomb) < 100_000
    res = validate_bytes(bomb, options=Options(year=2024), gazetteer=gazetteer)
    assert [e.code for e in res.report.errors] == ["xlsx_ratio"]


@pytest.mark.slow
def test_zip_bomb_by_expanded_size(gazetteer):
    bomb = _sheet_workbook(stream_mb=250)
    res = validate_bytes(bomb, options=Options(year=2024, limits=Limits(max_xlsx_ratio=1e9)), gazetteer=gazetteer)
    assert [e.code for e in res.report.errors] == ["xlsx_expanded_too_large"]


def test_zip_bomb_with_lying_sizes(gazetteer):
    """Declared sizes patched to look harmless: reading stops at the declared size (CRC error)."""
    data = bytearray(_sheet_workbook(stream_mb=5))
    z = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = z.getinfo("xl/worksheets/sheet1.xml")
    fake = info.compress_size * 2
    # local header: uncompressed size at offset 22 (or in the zip64 extra field)
    off = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[off + 26: off + 30])
    if struct.unpack("<I", data[off + 22: off + 26])[0] == 0xFFFFFFFF:
        extra = off + 30 + name_len
        data[extra + 4: extra + 12] = struct.pack("<Q", fake)
    else:
        data[off + 22: off + 26] = struct.pack("<I", fake)
    # central directory entry
    pos = bytes(data).find(b"PK\x01\x02")
    while pos != -1:
        n_len, e_len, c_len = struct.unpack("<HHH", data[pos + 28: pos + 34])
        name = bytes(data[pos + 46: pos + 46 + n_len])
        if name == b"xl/worksheets/sheet1.xml":
            if struct.unpack("<I", data[pos + 24: pos + 28])[0] == 0xFFFFFFFF:
                extra = pos + 46 + n_len
                data[extra + 4: extra + 12] = struct.pack("<Q", fake)
            else:
                data[pos + 24: pos + 28] = struct.pack("<I", fake)
        pos = bytes(data).find(b"PK\x01\x02", pos + 4)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml").file_size == fake
    res = validate_bytes(bytes(data), options=Options(year=2024), gazetteer=gazetteer)
    assert not res.accepted
    assert [e.code for e in res.report.errors] == ["xlsx_corrupt"]


def _long_file(path, kecamatan, n_rows: int) -> int:
    rnd = random.Random(7)
    inds = ["ipm", "persentase_penduduk_miskin", "tpak", "akses_smp", "cakupan_pkh", "rasio_elektrifikasi",
            "akses_sanitasi_layak", "cakupan_bpnt"]
    codes = list(kecamatan["kode"])
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("kode;indikator;tahun;nilai\n")
        for ind in inds:
            for year in range(1901, 2101):
                for code in codes:
                    if n == n_rows:
                        return n
                    value = f"{rnd.uniform(1, 99):.2f}".replace(".", ",")
                    fh.write(f"{code};{ind};{year};{value}\n")
                    n += 1
    return n


def test_million_rows_rejected_fast_by_the_default_limit(
    tmp_path, kecamatan_frame, capsys, monkeypatch, new_store_url
):
    path = tmp_path / "long.csv"
    assert _long_file(path, kecamatan_frame, 1_000_000) == 1_000_000
    monkeypatch.setenv("RBK_DATABASE_URL", new_store_url())
    code = cli.main([str(path), "--json", "--dry-run"])
    assert code == 1 and '"file_too_large"' in capsys.readouterr().out


@pytest.mark.slow
def test_million_rows_validated_when_the_limit_allows(tmp_path, kecamatan_frame, gazetteer, catalogue):
    path = tmp_path / "long.csv"
    _long_file(path, kecamatan_frame, 1_000_000)
    res = validate_bytes(path.read_bytes(), options=Options(limits=Limits(max_bytes=100_000_000)),
                         catalogue=catalogue, gazetteer=gazetteer)
    assert res.accepted, [e.message_en for e in res.report.errors[:3]]
    assert res.report.rows == 1_000_000 and res.report.matched == 1_000_000 and len(res.values) == 1_000_000
    first = res.values.iloc[0]
    assert (first["region_code"], first["indicator"], first["year"]) == ("35.01.01", "ipm", 1901)
