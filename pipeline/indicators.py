"""Real statistics from sources 2 and 4-9, as one long frame ready for the store.

Every reader below takes the verified local copy of a manifest file (``pipeline.sources``),
parses it defensively (named columns, numbers checked, unexpected rows refused) and maps
names and codes to Kemendagri codes: kabupaten/kota through the names of source 2 or the BPS
bridging table (source 3), kecamatan only through the bridging table (never by digit
arithmetic). The result has the columns of :func:`store.commit` plus ``note`` (where each
value comes from).

Run ``python -m pipeline.indicators`` to print a summary of what is read.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from . import sqlrows

PROVINCE = "35"
CENSUS_TOTAL_2010 = 37_476_757
#: The four kecamatan created after the 2010 census (Kemendagri code → name).
NEW_SINCE_2010 = {
    "35.10.25": "Blimbingsari",
    "35.22.28": "Gayam",
    "35.75.04": "Panggungrejo",
    "35.76.03": "Kranggan",
}

Fetch = Callable[[str], Path]


class StatisticsError(ValueError):
    """A source did not look as expected; the message names the file and the problem."""


def _default_fetch(file_id: str) -> Path:
    from . import sources

    return sources.fetch(file_id, progress=False)


# --------------------------------------------------------------------------- names and codes
def name_key(name: str) -> str:
    """Comparable form of a region name: ASCII, lower case, letters and digits only.

    Examples
    --------
    >>> name_key("Watu Kebo")
    'watukebo'
    >>> name_key("Tamba'an")
    'tambaan'
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def _kab_key(name: str) -> tuple[str | None, str]:
    """(``kota`` / ``kabupaten`` / None when not said, name key) of a kabupaten/kota label."""
    text = str(name).strip()
    low = text.lower()
    for prefix, kind in (
        ("kabupaten", "kabupaten"),
        ("kab.", "kabupaten"),
        ("kab ", "kabupaten"),
        ("kota", "kota"),
    ):
        if low.startswith(prefix):
            return kind, name_key(text[len(prefix) :])
    return None, name_key(text)


@dataclass(frozen=True)
class Wilayah:
    """Names and codes of Jawa Timur from source 2 (Kemendagri 2025) and the bridging table."""

    kabupaten: pd.DataFrame  # kode, nama, jenis, key, kode_bps
    kecamatan: pd.DataFrame  # kode, nama, kab_kode, kode_bps
    desa: pd.DataFrame  # kode, nama, kec_kode, kab_kode, jenis

    def kab_code(self, label: str, *, where: str) -> str:
        """The ``35.xx`` code of a kabupaten/kota label such as ``Kab. Blitar``, ``KotaBlitar``,
        ``Surabaya`` (a bare name means the kabupaten when both exist, else the only one)."""
        kind, key = _kab_key(label)
        if kind is None and key.startswith("kota"):
            kind, key = "kota", key[4:]
        rows = self.kabupaten[self.kabupaten["key"] == key]
        if kind is not None:
            rows = rows[rows["jenis"] == kind]
        elif len(rows) > 1:
            rows = rows[rows["jenis"] == "kabupaten"]
        if len(rows) != 1:
            raise StatisticsError(f"{where}: cannot identify kabupaten/kota {label!r}")
        return rows["kode"].iloc[0]

    def kab_from_bps(self, bps: str, *, where: str) -> str:
        """The ``35.xx`` code of a BPS kabupaten code (``3501``) through the bridging table."""
        rows = self.kabupaten[self.kabupaten["kode_bps"] == str(bps).strip()]
        if len(rows) != 1:
            raise StatisticsError(f"{where}: BPS kabupaten code {bps!r} not in the bridging table")
        return rows["kode"].iloc[0]


def read_wilayah(fetch: Fetch = _default_fetch) -> Wilayah:
    """Kabupaten, kecamatan and desa of Jawa Timur with their BPS codes (sources 2 and 3)."""
    rows = sqlrows.read_inserts(fetch("wilayah"), "wilayah").rows
    codes = pd.DataFrame(rows, columns=["kode", "nama"]).astype(str)
    codes = codes[codes["kode"].str.startswith(PROVINCE + ".")]
    depth = codes["kode"].str.count(r"\.")
    kab = codes[depth == 1].copy()
    kab["jenis"] = np.where(kab["nama"].str.lower().str.startswith("kota"), "kota", "kabupaten")
    kab["key"] = [_kab_key(n)[1] for n in kab["nama"]]
    kec = codes[depth == 2].copy()
    kec["kab_kode"] = kec["kode"].str[:5]
    desa = codes[depth == 3].copy()
    desa["kec_kode"] = desa["kode"].str[:8]
    desa["kab_kode"] = desa["kode"].str[:5]
    desa["jenis"] = np.where(desa["kode"].str[9] == "1", "kelurahan", "desa")

    def bridge(file_id: str, width: int) -> dict[str, str]:
        out = {}
        with open(fetch(file_id), encoding="utf-8-sig", newline="") as fh:
            for rec in csv.DictReader(fh):
                dagri = rec["kode_dagri"].strip()
                if not dagri.startswith(PROVINCE) or len(dagri) != width:
                    continue
                kode = ".".join(dagri[i : i + 2] for i in range(0, width, 2))
                out[kode] = rec["kode_bps"].strip()
        return out

    kab["kode_bps"] = kab["kode"].map(bridge("crosswalk_kabkota", 4))
    kec["kode_bps"] = kec["kode"].map(bridge("crosswalk_kecamatan", 6))
    if kab["kode_bps"].isna().any():
        raise StatisticsError(
            "crosswalk_kabkota: kabupaten without a BPS code: "
            + ", ".join(kab.loc[kab["kode_bps"].isna(), "nama"])
        )
    if len(kab) != 38 or len(kec) != 666 or len(desa) != 8494:
        raise StatisticsError(
            f"wilayah: expected 38/666/8494 regions in Jawa Timur, got "
            f"{len(kab)}/{len(kec)}/{len(desa)}"
        )
    return Wilayah(
        kab.reset_index(drop=True), kec.reset_index(drop=True), desa.reset_index(drop=True)
    )


def _long(
    frame: pd.DataFrame,
    level: str,
    indicator: str,
    value: str,
    note: str,
    code: str = "kode",
    year: str | int = "year",
) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "region_code": frame[code].astype(str).to_numpy(),
            "level": level,
            "indicator": indicator,
            "year": frame[year].astype(int).to_numpy() if isinstance(year, str) else year,
            "value": pd.to_numeric(frame[value]).astype(float).to_numpy(),
            "note": note,
        }
    )
    return out


# --------------------------------------------------------------------------- source 4: SP2010
def census_villages(fetch: Fetch = _default_fetch) -> pd.DataFrame:
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


def census_kecamatan(wil: Wilayah, villages: pd.DataFrame) -> pd.DataFrame:
    """SP2010 population of the 666 kecamatan (Kemendagri codes).

    Census kecamatan are mapped to Kemendagri codes through the BPS bridging table. The four
    kecamatan created after 2010 receive the 2010 population of their villages, which are
    found by name (normalised) among the villages of the parent kecamatan in the same
    kabupaten; the parent loses them.

    Returns
    -------
    pandas.DataFrame
        ``kode``, ``penduduk`` (int), ``note``.
    """
    kec = wil.kecamatan.set_index("kode_bps")
    by_bps = villages.groupby("kec_bps")["penduduk"].sum()
    unknown = sorted(set(by_bps.index) - set(kec.index))
    if unknown:
        raise StatisticsError(
            f"census2010_villages: kecamatan codes not in the bridging table: {unknown[:10]}"
        )
    pop = pd.Series(0, index=wil.kecamatan["kode"], dtype="int64")
    pop.loc[kec.loc[by_bps.index, "kode"].to_numpy()] = by_bps.to_numpy()
    notes = pd.Series("Sensus Penduduk 2010 (source 4)", index=pop.index)
    desa_keys = wil.desa.assign(key=wil.desa["nama"].map(name_key))
    still_there = set(zip(desa_keys["kec_kode"], desa_keys["key"], strict=True))
    vil = villages.assign(key=villages["desa"].map(name_key))
    vil["successor"] = kec.loc[vil["kec_bps"], "kode"].to_numpy()
    for code, name in NEW_SINCE_2010.items():
        if pop[code] != 0:
            raise StatisticsError(
                f"census2010_villages: {name} ({code}) already has a 2010 "
                "population; the reallocation rule no longer applies"
            )
        keys = set(desa_keys.loc[desa_keys["kec_kode"] == code, "key"])
        kab_bps = wil.kabupaten.set_index("kode").at[code[:5], "kode_bps"]
        cands = vil[(vil["kab_bps"] == kab_bps) & vil["key"].isin(keys)]
        # a 2010 village moved when its 2010 kecamatan no longer has a desa of that name
        moved = cands[
            [
                (s_, k) not in still_there
                for s_, k in zip(cands["successor"], cands["key"], strict=True)
            ]
        ]
        missing = sorted(keys - set(moved["key"]))
        if missing or moved["key"].duplicated().any():
            raise StatisticsError(
                f"census2010_villages: villages of {name} not matched "
                f"uniquely in 2010: missing {missing}, twice "
                f"{sorted(moved.loc[moved['key'].duplicated(), 'key'])}"
            )
        parents = []
        for parent, g in moved.groupby("successor"):
            amount = int(g["penduduk"].sum())
            pop[parent] -= amount
            pop[code] += amount
            pname = kec.set_index("kode").at[parent, "nama"]
            parents.append(f"{pname} ({parent}, {len(g)})")
            notes[parent] = f"Sensus Penduduk 2010 (source 4), without the villages now in {name}"
        notes[code] = (
            f"Sensus Penduduk 2010 (source 4): its {len(moved)} villages, counted in "
            f"2010 in " + ", ".join(parents)
        )
    return pd.DataFrame({"kode": pop.index, "penduduk": pop.to_numpy(), "note": notes.to_numpy()})


def census_kabupaten(wil: Wilayah, villages: pd.DataFrame) -> pd.DataFrame:
    """SP2010 population of the 38 kabupaten/kota: ``kode``, ``penduduk``."""
    by = villages.groupby("kab_bps")["penduduk"].sum()
    codes = [wil.kab_from_bps(b, where="census2010_villages") for b in by.index]
    return pd.DataFrame({"kode": codes, "penduduk": by.to_numpy()})


# --------------------------------------------------------------------------- source 2
def wilayah_penduduk(fetch: Fetch = _default_fetch) -> pd.DataFrame:
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


def wilayah_luas(fetch: Fetch = _default_fetch) -> pd.DataFrame:
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
def grdp_districts(wil: Wilayah, fetch: Fetch = _default_fetch) -> pd.DataFrame:
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


def gdp_pc_514(wil: Wilayah, fetch: Fetch = _default_fetch) -> pd.DataFrame:
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


def kesra(wil: Wilayah, fetch: Fetch = _default_fetch) -> pd.DataFrame:
    """Source 7 (four XLSX compiled from BPS Jawa Timur) as long kabupaten rows."""
    parts = []
    k1 = _kesra(wil, "kesra_1", fetch)
    src = "BPS Jawa Timur via source 7 (data_uas.xlsx)"
    for col, ind in (
        ("Miskin", "jumlah_penduduk_miskin"),
        ("Laki-Laki", "penduduk_laki_laki"),
        ("Perempuan", "penduduk_perempuan"),
        ("Total", "penduduk"),
        ("AHH (Tahun)", "angka_harapan_hidup"),
        ("RLS (Tahun)", "rata_rata_lama_sekolah"),
        ("Pengeluaran Per Kapita (Ribu Rupiah)", "pengeluaran_per_kapita"),
        ("Pertumbuhan Ekonomi", "pertumbuhan_ekonomi"),
    ):
        k1["_v"] = _num(k1[col], f"data_uas.xlsx {col}")
        parts.append(_long(k1, "kabupaten", ind, "_v", src))
    k2 = _kesra(wil, "kesra_2", fetch)
    k2["_v"] = _num(k2["IPM"], "data_uas2.xlsx IPM")
    parts.append(
        _long(k2, "kabupaten", "ipm", "_v", "BPS Jawa Timur via source 7 (data_uas2.xlsx)")
    )
    k3 = _kesra(wil, "kesra_3", fetch)
    jamkes = {
        "BPJS Kesehatan Penerima Bantuan Iuran (PBI)": "cakupan_pbi_jkn",
        "BPJS Kesehatan Non Penerima Bantuan Iuran (Non-PBI)": "cakupan_jkn_non_pbi",
        "Jamkesda": "cakupan_jamkesda",
        "Asuransi Swata": "cakupan_asuransi_swasta",
        "Asuransi Perusahaan/Kantor": "cakupan_asuransi_kantor",
    }
    unknown = set(k3["Jenis Jamkes"].dropna()) - set(jamkes)
    if unknown:
        raise StatisticsError(f"data_uas3.xlsx: unknown insurance types {sorted(unknown)}")
    src3 = "BPS Jawa Timur (Susenas) via source 7 (data_uas3.xlsx)"
    for label, ind in jamkes.items():
        sub = k3[k3["Jenis Jamkes"] == label].copy()
        sub["_v"] = _num(sub["% Penerima Jamkes"], f"data_uas3.xlsx {label}")
        parts.append(_long(sub, "kabupaten", ind, "_v", src3))
    for label, ind in (("TPT", "tingkat_pengangguran_terbuka"), ("TPAK", "tpak")):
        sub = k3[k3["Jenis Ak Kerja"] == label].copy()
        sub["_v"] = _num(sub["% Ak_Kerja"], f"data_uas3.xlsx {label}")
        parts.append(
            _long(
                sub,
                "kabupaten",
                ind,
                "_v",
                "BPS Jawa Timur (Sakernas) via source 7 (data_uas3.xlsx)",
            )
        )
    k4 = _kesra(wil, "kesra_4", fetch)
    faskes = {
        "Rumah Sakit": "jumlah_rumah_sakit",
        "Puskesmas": "jumlah_puskesmas",
        "Poliklinik": "jumlah_poliklinik",
        "Apotek": "jumlah_apotek",
    }
    unknown = set(k4["Jenis Faskes"].dropna()) - set(faskes)
    if unknown:
        raise StatisticsError(f"data_uas4.xlsx: unknown facility types {sorted(unknown)}")
    for label, ind in faskes.items():
        sub = k4[k4["Jenis Faskes"] == label].copy()
        sub["_v"] = _num(sub["Jumlah Faskes"], f"data_uas4.xlsx {label}")
        parts.append(
            _long(
                sub,
                "kabupaten",
                ind,
                "_v",
                "BPS Jawa Timur via source 7 (data_uas4.xlsx); " + FASKES_CAVEAT,
            )
        )
    out = pd.concat(parts, ignore_index=True)
    dup = out.duplicated(["region_code", "indicator", "year"], keep=False)
    if dup.any():
        raise StatisticsError(f"source 7: duplicate rows {out[dup].head().to_dict('records')}")
    return out


def kesra_pdrb_per_kapita(wil: Wilayah, fetch: Fetch = _default_fetch) -> pd.DataFrame:
    """GRDP per capita 2016-2021 as compiled in source 7 (for cross-checks with source 6)."""
    k2 = _kesra(wil, "kesra_2", fetch)
    k2["gdp_pc"] = _num(k2["PDRB ADHK (Ribu Rupiah)"], "data_uas2.xlsx PDRB")
    return k2[["kode", "year", "gdp_pc"]]


# --------------------------------------------------------------------------- source 8
def poverty_rates(wil: Wilayah, fetch: Fetch = _default_fetch) -> pd.DataFrame:
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


def idm_status(wil: Wilayah, fetch: Fetch = _default_fetch) -> pd.DataFrame:
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


# --------------------------------------------------------------------------- assembly
def population_path(p2010: pd.Series, p2024: pd.Series, years) -> pd.DataFrame:
    """Geometric interpolation between two population totals (index aligned), one column per
    year; used for the kabupaten denominators of 2022-2023 and by the illustrative values."""
    ratio = (p2024 / p2010).astype(float)
    return pd.DataFrame({y: p2010 * ratio ** ((y - 2010) / 14) for y in years})


def build(fetch: Fetch = _default_fetch, areas: pd.Series | None = None) -> pd.DataFrame:
    """All real statistics as one long frame (columns of :func:`store.commit` + ``note``).

    Parameters
    ----------
    fetch : callable
        ``file_id -> Path`` (default :func:`pipeline.sources.fetch`).
    areas : pandas.Series, optional
        Kecamatan area in km2 computed from the boundaries (``regions.kecamatan()`` column
        ``area_km2``, indexed by Kemendagri code); without it kecamatan area and density are
        left out.
    """
    wil = read_wilayah(fetch)
    villages = census_villages(fetch)
    parts: list[pd.DataFrame] = []
    add = parts.append

    # kecamatan ---------------------------------------------------------------
    kec_pop = census_kecamatan(wil, villages)
    add(
        _long(kec_pop, "kecamatan", "penduduk", "penduduk", "", year=2010).assign(
            note=kec_pop["note"].to_numpy()
        )
    )
    counts = wil.desa.groupby(["kec_kode", "jenis"]).size().unstack(fill_value=0)
    counts = counts.reindex(wil.kecamatan["kode"], fill_value=0)
    for jenis, ind in (("desa", "jumlah_desa"), ("kelurahan", "jumlah_kelurahan")):
        c = counts[jenis].rename("v").reset_index().rename(columns={"kec_kode": "kode"})
        add(_long(c, "kecamatan", ind, "v", "Kemendagri 2025 code list (source 2)", year=2025))
    if areas is not None:
        a = areas.reindex(wil.kecamatan["kode"])
        if a.isna().any():
            raise StatisticsError(
                "areas: kecamatan without an area: " + ", ".join(a.index[a.isna()][:10])
            )
        af = pd.DataFrame({"kode": a.index, "v": a.to_numpy()})
        add(
            _long(
                af,
                "kecamatan",
                "luas_wilayah",
                "v",
                "computed from the cleaned desa boundaries (source 1), equal-area",
                year=2025,
            )
        )
        dens = kec_pop.set_index("kode")["penduduk"] / a
        df = pd.DataFrame({"kode": dens.index, "v": dens.to_numpy()})
        add(
            _long(
                df,
                "kecamatan",
                "kepadatan_penduduk",
                "v",
                "SP2010 population / area computed from the boundaries",
                year=2010,
            )
        )

    # kabupaten ---------------------------------------------------------------
    kab_2010 = census_kabupaten(wil, villages)
    add(
        _long(
            kab_2010,
            "kabupaten",
            "penduduk",
            "penduduk",
            "Sensus Penduduk 2010 (source 4), sum of villages",
            year=2010,
        )
    )
    pen = wilayah_penduduk(fetch)
    kab_pen = pen[pen["kode"] != PROVINCE]
    src2 = "Kemendagri 2024 (source 2)"
    for col, ind in (
        ("total", "penduduk"),
        ("pria", "penduduk_laki_laki"),
        ("wanita", "penduduk_perempuan"),
    ):
        add(_long(kab_pen, "kabupaten", ind, col, src2, year=2024))
    luas = wilayah_luas(fetch)
    kab_luas = luas[luas["kode"] != PROVINCE]
    add(
        _long(
            kab_luas,
            "kabupaten",
            "luas_wilayah",
            "luas",
            "BIG, December 2024 (source 2)",
            year=2024,
        )
    )
    lk = kab_luas.set_index("kode")["luas"]
    for year, p in (
        (2010, kab_2010.set_index("kode")["penduduk"]),
        (2024, kab_pen.set_index("kode")["total"]),
    ):
        d = (p / lk).rename("v").reset_index()
        add(
            _long(
                d,
                "kabupaten",
                "kepadatan_penduduk",
                "v",
                f"population {year} / BIG area 2024 (sources 2, 4)",
                year=year,
            )
        )
    kab_counts = wil.desa.groupby(["kab_kode", "jenis"]).size().unstack(fill_value=0)
    for jenis, ind in (("desa", "jumlah_desa"), ("kelurahan", "jumlah_kelurahan")):
        c = kab_counts[jenis].rename("v").reset_index().rename(columns={"kab_kode": "kode"})
        add(_long(c, "kabupaten", ind, "v", "Kemendagri 2025 code list (source 2)", year=2025))

    ks = kesra(wil, fetch)
    add(ks)
    grdp = kabupaten_grdp(wil, ks, kab_pen, fetch)
    add(grdp)
    p0 = poverty_rates(wil, fetch)
    add(
        _long(
            p0,
            "kabupaten",
            "persentase_penduduk_miskin",
            "p0",
            "BPS P0 (March), field `bps` of source 8",
        )
    )
    idm = idm_status(wil, fetch)
    idm_long = _long(idm, "kabupaten", "", "value", "IDM, Open Data Jatim (source 9)")
    idm_long["indicator"] = idm["indicator"].to_numpy()
    idm_long.loc[idm["repaired"].to_numpy(), "note"] = (
        "IDM, Open Data Jatim (source 9); re-coded from the namesake city's code"
    )
    add(idm_long)

    kab_long = pd.concat([p for p in parts if (p["level"] == "kabupaten").all()], ignore_index=True)
    add(province_values(kab_long, pen, luas))
    out = pd.concat(parts, ignore_index=True)
    out = out[["region_code", "level", "indicator", "year", "value", "note"]]
    dup = out.duplicated(["region_code", "level", "indicator", "year"], keep=False)
    if dup.any():
        raise StatisticsError(f"duplicate statistics: {out[dup].head(6).to_dict('records')}")
    return out.sort_values(["level", "indicator", "year", "region_code"], ignore_index=True)


def kabupaten_grdp(
    wil: Wilayah, ks: pd.DataFrame, pen2024: pd.DataFrame, fetch: Fetch = _default_fetch
) -> pd.DataFrame:
    """GRDP at constant 2010 prices, per capita and growth of the 38, 2010-2024.

    2010-2019: source 5 (total and per capita as published). 2020-2024: source 6 per capita
    (as published); the total is per capita × population on the SP2020 basis that BPS uses
    from 2020 (source 7 for 2020-2021, Kemendagri 2024 from source 2, geometric
    interpolation for 2022-2023). Growth: BPS's published figure for 2016-2021 (source 7),
    otherwise computed from the totals.
    """
    s5 = grdp_districts(wil, fetch)
    s5 = s5[s5["year"] >= 2010]
    s6 = gdp_pc_514(wil, fetch)
    s6 = s6[s6["year"] >= 2020]
    pop = ks[ks["indicator"] == "penduduk"].pivot(
        index="region_code", columns="year", values="value"
    )
    p2024 = pen2024.set_index("kode")["total"].astype(float)
    ratio = p2024 / pop[2021]
    for y in (2022, 2023):
        pop[y] = pop[2021] * ratio ** ((y - 2021) / 3)
    pop[2024] = p2024
    s6 = s6.copy()
    s6["pop"] = [pop.at[k, y] for k, y in zip(s6["kode"], s6["year"], strict=True)]
    s6["gdp"] = s6["gdp_pc"] * s6["pop"] / 1e6  # thousand IDR × people → billion IDR
    parts = [
        _long(s5, "kabupaten", "pdrb_adhk", "gdp", "source 5 (BPS), billion IDR"),
        _long(s5, "kabupaten", "pdrb_per_kapita", "gdp_pc", "source 5 (BPS)"),
        _long(s6, "kabupaten", "pdrb_per_kapita", "gdp_pc", "source 6 (BPS)"),
    ]
    s6_note = np.where(
        s6["year"] <= 2021,
        "source 6 per capita × population (source 7, SP2020 basis)",
        np.where(
            s6["year"] == 2024,
            "source 6 per capita × population 2024 (source 2)",
            "source 6 per capita × population interpolated 2021-2024",
        ),
    )
    g6 = _long(s6, "kabupaten", "pdrb_adhk", "gdp", "")
    g6["note"] = s6_note
    parts.append(g6)
    total = pd.concat([s5[["kode", "year", "gdp"]], s6[["kode", "year", "gdp"]]])
    wide = total.pivot(index="kode", columns="year", values="gdp").sort_index(axis=1)
    growth = (wide / wide.shift(axis=1) - 1) * 100
    published = ks[ks["indicator"] == "pertumbuhan_ekonomi"]
    have = set(zip(published["region_code"], published["year"], strict=True))
    rows = [
        (k, y, growth.at[k, y])
        for k in growth.index
        for y in growth.columns
        if y > 2010 and (k, y) not in have and pd.notna(growth.at[k, y])
    ]
    g = pd.DataFrame(rows, columns=["kode", "year", "g"])
    parts.append(
        _long(g, "kabupaten", "pertumbuhan_ekonomi", "g", "computed from pdrb_adhk (sources 5, 6)")
    )
    return pd.concat(parts, ignore_index=True)


#: How each indicator is carried to the province when the sources do not give it:
#: ``sum`` of the 38, ``weighted`` population-weighted mean, None = not aggregated.
PROVINCE_RULE = {
    "penduduk": "sum",
    "penduduk_laki_laki": "sum",
    "penduduk_perempuan": "sum",
    "jumlah_desa": "sum",
    "jumlah_kelurahan": "sum",
    "pdrb_adhk": "sum",
    "jumlah_penduduk_miskin": "sum",
    "jumlah_rumah_sakit": "sum",
    "jumlah_puskesmas": "sum",
    "jumlah_poliklinik": "sum",
    "jumlah_apotek": "sum",
    "desa_mandiri": "sum",
    "desa_maju": "sum",
    "desa_berkembang": "sum",
    "desa_tertinggal": "sum",
    "desa_sangat_tertinggal": "sum",
    "persentase_penduduk_miskin": "weighted",
    "cakupan_pbi_jkn": "weighted",
    "cakupan_jkn_non_pbi": "weighted",
    "cakupan_jamkesda": "weighted",
    "cakupan_asuransi_swasta": "weighted",
    "cakupan_asuransi_kantor": "weighted",
}


def province_values(kab: pd.DataFrame, pen: pd.DataFrame, luas: pd.DataFrame) -> pd.DataFrame:
    """Jawa Timur values: given by source 2 where it has them, else computed from the 38
    kabupaten/kota (labelled in ``note``; only for complete years)."""
    parts = []
    prov_pen = pen[pen["kode"] == PROVINCE]
    for col, ind in (
        ("total", "penduduk"),
        ("pria", "penduduk_laki_laki"),
        ("wanita", "penduduk_perempuan"),
    ):
        parts.append(_long(prov_pen, "provinsi", ind, col, "Kemendagri 2024 (source 2)", year=2024))
    prov_luas = luas[luas["kode"] == PROVINCE]
    parts.append(
        _long(
            prov_luas,
            "provinsi",
            "luas_wilayah",
            "luas",
            "BIG, December 2024 (source 2)",
            year=2024,
        )
    )
    area = float(prov_luas["luas"].iloc[0])

    def complete(ind):
        sub = kab[kab["indicator"] == ind]
        n = sub.groupby("year")["region_code"].nunique()
        return sub[sub["year"].isin(n[n == n.max()].index)]

    pop = kab[kab["indicator"] == "penduduk"].pivot(
        index="region_code", columns="year", values="value"
    )
    # weights for the years without a population figure: linear between known years
    weights = pop.reindex(columns=range(2010, 2026)).interpolate(axis=1).ffill(axis=1)
    rows = []
    for ind, rule in PROVINCE_RULE.items():
        sub = complete(ind)
        for year, g in sub.groupby("year"):
            if ind.startswith("penduduk") and year == 2024:
                continue  # given by source 2
            if rule == "sum":
                note = f"sum of {len(g)} kabupaten/kota"
                if ind in FASKES_INDICATORS:
                    note += "; " + FASKES_CAVEAT
                rows.append((ind, year, g["value"].sum(), note))
            elif year in weights.columns and len(g) == 38:
                w = weights[year].reindex(g["region_code"]).to_numpy()
                rows.append(
                    (
                        ind,
                        year,
                        float(np.average(g["value"], weights=w)),
                        "computed: population-weighted mean of the 38 kabupaten/kota "
                        "(not BPS's provincial figure)",
                    )
                )
    p = pop.sum().rename("v")
    for year in (2010, 2024):
        total = float(p[year]) if year != 2024 else float(prov_pen["total"].iloc[0])
        rows.append(("kepadatan_penduduk", year, total / area, "population / BIG area"))
    gdp = complete("pdrb_adhk").groupby("year")["value"].sum()
    for year in gdp.index:
        if year - 1 in gdp.index:
            rows.append(
                (
                    "pertumbuhan_ekonomi",
                    year,
                    (gdp[year] / gdp[year - 1] - 1) * 100,
                    "computed from the summed GRDP of the 38 kabupaten/kota",
                )
            )
    gdp_all = complete("pdrb_adhk").pivot(index="region_code", columns="year", values="value")
    pc_all = complete("pdrb_per_kapita").pivot(index="region_code", columns="year", values="value")
    for year in gdp_all.columns.intersection(pc_all.columns):
        implied_pop = gdp_all[year] / pc_all[year]  # billion / thousand IDR = million people
        rows.append(
            (
                "pdrb_per_kapita",
                year,
                gdp_all[year].sum() / implied_pop.sum(),
                "computed: summed GRDP / population implied by each kabupaten's per capita",
            )
        )
    frame = pd.DataFrame(rows, columns=["indicator", "year", "value", "note"])
    frame.insert(0, "region_code", PROVINCE)
    frame.insert(1, "level", "provinsi")
    return pd.concat([*parts, frame], ignore_index=True)


def main() -> None:  # pragma: no cover - a manual look at the data
    frame = build()
    summary = frame.groupby(["level", "indicator"])["year"].agg(["min", "max", "count"])
    print(summary.to_string())


if __name__ == "__main__":
    main()
