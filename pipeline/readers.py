"""Readers of the statistical sources 2 and 4-9 (the load step of the statistics).

Every reader takes the verified local copy of a manifest file (through ``fetch``, by default
:func:`pipeline.sources.fetch`), parses it defensively (named columns, numbers checked,
unexpected rows refused) and maps names and codes to Kemendagri codes through
:class:`pipeline.wilayah.Wilayah`: kabupaten/kota by the names of source 2 or the BPS
bridging table (source 3), never by digit arithmetic. A source that does not look as expected
raises :class:`pipeline.errors.StatisticsError` naming the file and the problem.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from pipeline import sqlrows
from pipeline.errors import StatisticsError
from pipeline.wilayah import PROVINCE, Fetch, Wilayah, default_fetch, to_long

CENSUS_TOTAL_2010 = 37_476_757


# --------------------------------------------------------------------------- source 4: SP2010
def census_villages(fetch: Fetch = default_fetch) -> pd.DataFrame:
    """Sensus Penduduk 2010 villages of Jawa Timur: ``kab_bps``, ``kec_bps``, ``desa``, ``penduduk``.

    The upstream CSV writes each code only on the first row of its group; codes are
    forward-filled within the file.
    """
    path = fetch("census2010_villages")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    expected = [
        "Province Code",
        "Province Name",
        "Regency/Municipality Code",
        "Regency/Municipality Name",
        "District Code",
        "District Name",
        "Village Code",
        "Village Name",
        "Population",
    ]
    if list(frame.columns) != expected:
        raise StatisticsError(f"{path.name}: unexpected columns {list(frame.columns)}")
    for col in ("Province Code", "Regency/Municipality Code", "District Code"):
        frame[col] = frame[col].replace("", np.nan).ffill()
    # a new province or regency restarts the lower levels: forward-fill is only valid because
    # every group's first row carries all higher codes (checked here)
    frame = frame[frame["Province Code"] == PROVINCE]
    pop = pd.to_numeric(frame["Population"], errors="coerce")
    if pop.isna().any() or (pop < 0).any():
        raise StatisticsError(f"{path.name}: non-numeric or negative population in Jawa Timur")
    out = pd.DataFrame(
        {
            "kab_bps": PROVINCE + frame["Regency/Municipality Code"],
            "kec_bps": PROVINCE + frame["Regency/Municipality Code"] + frame["District Code"],
            "kec_nama": frame["District Name"],
            "desa": frame["Village Name"],
            "penduduk": pop.astype("int64"),
        }
    )
    total = int(out["penduduk"].sum())
    if total != CENSUS_TOTAL_2010:
        raise StatisticsError(
            f"{path.name}: Jawa Timur sums to {total:,}, expected {CENSUS_TOTAL_2010:,}"
        )
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- source 2
def wilayah_penduduk(fetch: Fetch = default_fetch) -> pd.DataFrame:
    """Population 2024 by sex of Jawa Timur and its kabupaten/kota: ``kode``, ``pria``,
    ``wanita``, ``total``."""
    r = sqlrows.read_inserts(fetch("wilayah_penduduk"), "wilayah_penduduk")
    frame = pd.DataFrame(r.rows, columns=list(r.columns))
    frame = frame[(frame["kode"] == PROVINCE) | frame["kode"].str.startswith(PROVINCE + ".")]
    for col in ("pria", "wanita", "total"):
        frame[col] = pd.to_numeric(frame[col], errors="raise").astype("int64")
    if ((frame["pria"] + frame["wanita"]) != frame["total"]).any():
        raise StatisticsError("wilayah_penduduk: male + female differs from total")
    return frame[["kode", "pria", "wanita", "total"]].reset_index(drop=True)


def wilayah_luas(fetch: Fetch = default_fetch) -> pd.DataFrame:
    """BIG area (km2, December 2024) of Jawa Timur and its kabupaten/kota: ``kode``, ``luas``."""
    r = sqlrows.read_inserts(fetch("wilayah_luas"))
    frame = pd.DataFrame(r.rows, columns=list(r.columns))
    code_col = frame.columns[0]
    area_col = [c for c in frame.columns if "luas" in c.lower()][0]
    frame = frame.rename(columns={code_col: "kode", area_col: "luas"})
    frame = frame[(frame["kode"] == PROVINCE) | frame["kode"].str.startswith(PROVINCE + ".")]
    frame["luas"] = pd.to_numeric(frame["luas"], errors="raise").astype(float)
    return frame[["kode", "luas"]].reset_index(drop=True)


# --------------------------------------------------------------------------- sources 5 and 6
def grdp_districts(wil: Wilayah, fetch: Fetch = default_fetch) -> pd.DataFrame:
    """Source 5 for Jawa Timur: ``kode``, ``year``, ``gdp`` (billion IDR, constant 2010),
    ``gdp_pc`` (thousand IDR), ``pop`` (BPS mid-year population used for per capita)."""
    path = fetch("grdp_districts")
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    frame = frame[frame["KDJ"].str.strip().str.startswith(PROVINCE)]
    series = {"GDP": "gdp", "GDP Per Capita": "gdp_pc", "Populasi": "pop"}
    if set(frame["Series"]) != set(series):
        raise StatisticsError(f"{path.name}: unexpected series {sorted(set(frame['Series']))}")
    years = [c for c in frame.columns if re.fullmatch(r"yr\d{4}", c)]
    long = frame.melt(id_vars=["KDJ", "Series"], value_vars=years, var_name="yr", value_name="v")
    long["year"] = long["yr"].str[2:].astype(int)
    long["v"] = pd.to_numeric(long["v"].str.replace(",", "").str.strip(), errors="raise")
    wide = long.pivot_table(index=["KDJ", "year"], columns="Series", values="v").reset_index()
    wide = wide.rename(columns=series)
    wide["kode"] = [wil.kab_from_bps(k, where=path.name) for k in wide["KDJ"]]
    if wide["kode"].nunique() != 38:
        raise StatisticsError(f"{path.name}: {wide['kode'].nunique()} kabupaten/kota, expected 38")
    return wide[["kode", "year", "gdp", "gdp_pc", "pop"]]


def gdp_pc_514(wil: Wilayah, fetch: Fetch = default_fetch) -> pd.DataFrame:
    """Source 6 for Jawa Timur: ``kode``, ``year``, ``gdp_pc`` (thousand IDR, constant 2010)."""
    path = fetch("gdp_pc_514")
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    frame = frame[frame["provinceID"].str.strip() == PROVINCE]
    cols = [c for c in frame.columns if re.fullmatch(r"grdp_pc_\d{4}", c)]
    long = frame.melt(id_vars=["districtID"], value_vars=cols, var_name="c", value_name="v")
    long["year"] = long["c"].str[-4:].astype(int)
    long["gdp_pc"] = pd.to_numeric(long["v"].str.replace(",", "").str.strip(), errors="raise")
    long["kode"] = [wil.kab_from_bps(k, where=path.name) for k in long["districtID"]]
    if long["kode"].nunique() != 38:
        raise StatisticsError(f"{path.name}: {long['kode'].nunique()} kabupaten/kota, expected 38")
    return long[["kode", "year", "gdp_pc"]]


# --------------------------------------------------------------------------- source 7
def _xlsx(path: Path) -> pd.DataFrame:
    """The first sheet of an XLSX as strings (openpyxl, cached values; blank rows dropped)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [str(h).strip() if h is not None else f"_col{i}" for i, h in enumerate(rows[0])]
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    frame = pd.DataFrame(body, columns=header)
    return frame


FASKES_INDICATORS = ("jumlah_rumah_sakit", "jumlah_puskesmas", "jumlah_poliklinik", "jumlah_apotek")
FASKES_CAVEAT = "may count villages with the facility (Podes) rather than facilities"


def _kesra(wil: Wilayah, file_id: str, fetch: Fetch) -> pd.DataFrame:
    path = fetch(file_id)
    frame = _xlsx(path)
    for col in ("Tahun", "Kabupaten"):
        if col not in frame.columns:
            raise StatisticsError(f"{path.name}: column {col!r} missing")
    frame["year"] = pd.to_numeric(frame["Tahun"], errors="raise").astype(int)
    frame["kode"] = [wil.kab_code(k, where=path.name) for k in frame["Kabupaten"]]
    return frame


def _num(series: pd.Series, where: str) -> pd.Series:
    out = pd.to_numeric(series.astype(str).str.strip(), errors="coerce")
    if out.isna().any():
        bad = series[out.isna()].unique()[:5]
        raise StatisticsError(f"{where}: non-numeric values {list(bad)}")
    return out.astype(float)


#: Source 7, data_uas.xlsx: column → indicator.
KESRA_1_COLUMNS = (
    ("Miskin", "jumlah_penduduk_miskin"),
    ("Laki-Laki", "penduduk_laki_laki"),
    ("Perempuan", "penduduk_perempuan"),
    ("Total", "penduduk"),
    ("AHH (Tahun)", "angka_harapan_hidup"),
    ("RLS (Tahun)", "rata_rata_lama_sekolah"),
    ("Pengeluaran Per Kapita (Ribu Rupiah)", "pengeluaran_per_kapita"),
    ("Pertumbuhan Ekonomi", "pertumbuhan_ekonomi"),
)
#: Source 7, data_uas3.xlsx: health-insurance type → indicator.
JAMKES = {
    "BPJS Kesehatan Penerima Bantuan Iuran (PBI)": "cakupan_pbi_jkn",
    "BPJS Kesehatan Non Penerima Bantuan Iuran (Non-PBI)": "cakupan_jkn_non_pbi",
    "Jamkesda": "cakupan_jamkesda",
    "Asuransi Swata": "cakupan_asuransi_swasta",
    "Asuransi Perusahaan/Kantor": "cakupan_asuransi_kantor",
}
#: Source 7, data_uas4.xlsx: facility type → indicator.
FASKES = {
    "Rumah Sakit": "jumlah_rumah_sakit",
    "Puskesmas": "jumlah_puskesmas",
    "Poliklinik": "jumlah_poliklinik",
    "Apotek": "jumlah_apotek",
}


def _kesra_1(wil: Wilayah, fetch: Fetch) -> list[pd.DataFrame]:
    k1 = _kesra(wil, "kesra_1", fetch)
    src = "BPS Jawa Timur via source 7 (data_uas.xlsx)"
    parts = []
    for col, ind in KESRA_1_COLUMNS:
        k1["_v"] = _num(k1[col], f"data_uas.xlsx {col}")
        parts.append(to_long(k1, "kabupaten", ind, "_v", src))
    return parts


def _kesra_2(wil: Wilayah, fetch: Fetch) -> list[pd.DataFrame]:
    k2 = _kesra(wil, "kesra_2", fetch)
    k2["_v"] = _num(k2["IPM"], "data_uas2.xlsx IPM")
    return [to_long(k2, "kabupaten", "ipm", "_v", "BPS Jawa Timur via source 7 (data_uas2.xlsx)")]


def _kesra_3(wil: Wilayah, fetch: Fetch) -> list[pd.DataFrame]:
    k3 = _kesra(wil, "kesra_3", fetch)
    unknown = set(k3["Jenis Jamkes"].dropna()) - set(JAMKES)
    if unknown:
        raise StatisticsError(f"data_uas3.xlsx: unknown insurance types {sorted(unknown)}")
    parts = []
    src3 = "BPS Jawa Timur (Susenas) via source 7 (data_uas3.xlsx)"
    for label, ind in JAMKES.items():
        sub = k3[k3["Jenis Jamkes"] == label].copy()
        sub["_v"] = _num(sub["% Penerima Jamkes"], f"data_uas3.xlsx {label}")
        parts.append(to_long(sub, "kabupaten", ind, "_v", src3))
    src_ak = "BPS Jawa Timur (Sakernas) via source 7 (data_uas3.xlsx)"
    for label, ind in (("TPT", "tingkat_pengangguran_terbuka"), ("TPAK", "tpak")):
        sub = k3[k3["Jenis Ak Kerja"] == label].copy()
        sub["_v"] = _num(sub["% Ak_Kerja"], f"data_uas3.xlsx {label}")
        parts.append(to_long(sub, "kabupaten", ind, "_v", src_ak))
    return parts


def _kesra_4(wil: Wilayah, fetch: Fetch) -> list[pd.DataFrame]:
    k4 = _kesra(wil, "kesra_4", fetch)
    unknown = set(k4["Jenis Faskes"].dropna()) - set(FASKES)
    if unknown:
        raise StatisticsError(f"data_uas4.xlsx: unknown facility types {sorted(unknown)}")
    parts = []
    src = "BPS Jawa Timur via source 7 (data_uas4.xlsx); " + FASKES_CAVEAT
    for label, ind in FASKES.items():
        sub = k4[k4["Jenis Faskes"] == label].copy()
        sub["_v"] = _num(sub["Jumlah Faskes"], f"data_uas4.xlsx {label}")
        parts.append(to_long(sub, "kabupaten", ind, "_v", src))
    return parts


def kesra(wil: Wilayah, fetch: Fetch = default_fetch) -> pd.DataFrame:
    """Source 7 (four XLSX compiled from BPS Jawa Timur) as long kabupaten rows."""
    parts = [
        *_kesra_1(wil, fetch),
        *_kesra_2(wil, fetch),
        *_kesra_3(wil, fetch),
        *_kesra_4(wil, fetch),
    ]
    out = pd.concat(parts, ignore_index=True)
    dup = out.duplicated(["region_code", "indicator", "year"], keep=False)
    if dup.any():
        raise StatisticsError(f"source 7: duplicate rows {out[dup].head().to_dict('records')}")
    return out


def kesra_pdrb_per_kapita(wil: Wilayah, fetch: Fetch = default_fetch) -> pd.DataFrame:
    """GRDP per capita 2016-2021 as compiled in source 7 (for cross-checks with source 6)."""
    k2 = _kesra(wil, "kesra_2", fetch)
    k2["gdp_pc"] = _num(k2["PDRB ADHK (Ribu Rupiah)"], "data_uas2.xlsx PDRB")
    return k2[["kode", "year", "gdp_pc"]]


# --------------------------------------------------------------------------- source 8
def poverty_rates(wil: Wilayah, fetch: Fetch = default_fetch) -> pd.DataFrame:
    """BPS poverty rate P0 (field ``bps`` only; the model predictions are ignored)."""
    path = fetch("poverty_kabupaten")
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for label, entry in data.items():
        code = wil.kab_code(label, where=path.name)
        for item in entry["series"]:
            value = item.get("bps")
            if value is None:
                continue
            rows.append((code, int(item["year"]), round(float(value), 2)))
    frame = pd.DataFrame(rows, columns=["kode", "year", "p0"])
    if frame["kode"].nunique() != 38 or frame.duplicated(["kode", "year"]).any():
        raise StatisticsError(f"{path.name}: expected one series per kabupaten/kota")
    return frame


# --------------------------------------------------------------------------- source 9
IDM_CATEGORIES = {
    "MANDIRI": "desa_mandiri",
    "MAJU": "desa_maju",
    "BERKEMBANG": "desa_berkembang",
    "TERTINGGAL": "desa_tertinggal",
    "SANGAT TERTINGGAL": "desa_sangat_tertinggal",
}


def idm_status(wil: Wilayah, fetch: Fetch = default_fetch) -> pd.DataFrame:
    """IDM village status counts per kabupaten and year, mislabelled codes repaired.

    Upstream, the seven kabupaten named like a city (Kediri, Blitar, Malang, Probolinggo,
    Pasuruan, Mojokerto, Madiun) carry the city's code and name; their rows are told apart by
    the upstream record ``id`` (the city's rows are all zero: cities have no desa) and re-coded
    to the kabupaten of the same name. Exact duplicate records (2023 appears twice) are
    dropped, rows with code ``0`` are dropped, and kabupaten/kota without desa are omitted
    (not applicable rather than zero).

    Returns
    -------
    pandas.DataFrame
        ``kode``, ``year``, ``indicator``, ``value``, ``repaired`` (bool).
    """
    path = fetch("idm_desa_status")
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    frame = frame[frame["kode_kabupaten_kota"].str.strip() != "0"].copy()
    frame["jumlah"] = pd.to_numeric(frame["jumlah"], errors="raise").astype(int)
    unknown = set(frame["kategori"]) - set(IDM_CATEGORIES)
    if unknown:
        raise StatisticsError(f"{path.name}: unknown categories {sorted(unknown)}")
    frame["kode"] = [wil.kab_from_bps(b, where=path.name) for b in frame["kode_kabupaten_kota"]]
    kab = wil.kabupaten.set_index("kode")
    # each upstream record (id) is one kabupaten-year: its five counts are its signature;
    # records repeated with another id (all of 2023 appears twice) are dropped
    sig = frame.pivot_table(
        index=["id", "kode", "tahun"], columns="kategori", values="jumlah", aggfunc="sum"
    ).reset_index()
    if sig[list(IDM_CATEGORIES)].isna().any().any():
        raise StatisticsError(f"{path.name}: a record lacks one of the five categories")
    sig = sig.drop_duplicates(["kode", "tahun", *IDM_CATEGORIES]).copy()
    sig["repaired"] = False
    sig["total"] = sig[list(IDM_CATEGORIES)].sum(axis=1)
    for (code, year), g in sig.groupby(["kode", "tahun"]):
        if len(g) == 1:
            continue
        nonzero = g[g["total"] > 0]
        if kab.at[code, "jenis"] != "kota" or len(g) != 2 or len(nonzero) != 1:
            raise StatisticsError(f"{path.name}: {len(g)} different records for {code} {year}")
        namesake = kab[(kab["key"] == kab.at[code, "key"]) & (kab["jenis"] == "kabupaten")]
        if len(namesake) != 1:
            raise StatisticsError(f"{path.name}: no kabupaten named like {code}")
        sig.loc[nonzero.index, "kode"] = namesake.index[0]
        sig.loc[nonzero.index, "repaired"] = True
    dup = sig.duplicated(["kode", "tahun"], keep=False)
    if dup.any():
        raise StatisticsError(
            f"{path.name}: conflicting records after repair: {sig[dup].head(6).to_dict('records')}"
        )
    frame = sig.melt(
        id_vars=["kode", "tahun", "repaired"],
        value_vars=list(IDM_CATEGORIES),
        var_name="kategori",
        value_name="jumlah",
    )
    with_desa = set(wil.desa.loc[wil.desa["jenis"] == "desa", "kab_kode"])
    frame = frame[frame["kode"].isin(with_desa)]
    return pd.DataFrame(
        {
            "kode": frame["kode"].to_numpy(),
            "year": frame["tahun"].astype(int).to_numpy(),
            "indicator": frame["kategori"].map(IDM_CATEGORIES).to_numpy(),
            "value": frame["jumlah"].astype(float).to_numpy(),
            "repaired": frame["repaired"].to_numpy(),
        }
    )
