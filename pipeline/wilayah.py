"""Names and codes of Jawa Timur (sources 2 and 3) that the statistics are mapped to.

:func:`read_wilayah` reads the kabupaten/kota, kecamatan and desa of source 2 (Kemendagri
2025) with their BPS codes from the bridging table (source 3); :class:`Wilayah` maps the labels
and BPS codes found in the statistical sources to Kemendagri codes: kabupaten/kota through
their names (:func:`regions.names.kabupaten_key`) or the bridging table, never by digit
arithmetic. :func:`to_long` puts a column of values into the long form of the store.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline import sources, sqlrows
from pipeline.errors import StatisticsError
from regions.names import kabupaten_key

PROVINCE = "35"

#: How the readers get a source file: ``file_id -> Path`` of a verified local copy.
Fetch = Callable[[str], Path]


def default_fetch(file_id: str) -> Path:
    """:func:`pipeline.sources.fetch` without a progress bar."""
    return sources.fetch(file_id, progress=False)


@dataclass(frozen=True)
class Wilayah:
    """Names and codes of Jawa Timur from source 2 (Kemendagri 2025) and the bridging table."""

    kabupaten: pd.DataFrame  # kode, nama, jenis, key, kode_bps
    kecamatan: pd.DataFrame  # kode, nama, kab_kode, kode_bps
    desa: pd.DataFrame  # kode, nama, kec_kode, kab_kode, jenis

    def kab_code(self, label: str, *, where: str) -> str:
        """The ``35.xx`` code of a kabupaten/kota label such as ``Kab. Blitar``, ``KotaBlitar``,
        ``Surabaya`` (a bare name means the kabupaten when both exist, else the only one)."""
        kind, key = kabupaten_key(label)
        if kind is None and key.startswith("kota"):  # "KotaBlitar": the prefix glued on
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


def _bridge(path: Path, width: int) -> dict[str, str]:
    """Kemendagri code (dotted) → BPS code of one bridging table, for Jawa Timur codes of
    ``width`` digits (4 kabupaten/kota, 6 kecamatan)."""
    out = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            dagri = rec["kode_dagri"].strip()
            if not dagri.startswith(PROVINCE) or len(dagri) != width:
                continue
            kode = ".".join(dagri[i : i + 2] for i in range(0, width, 2))
            out[kode] = rec["kode_bps"].strip()
    return out


def read_wilayah(fetch: Fetch = default_fetch) -> Wilayah:
    """Kabupaten, kecamatan and desa of Jawa Timur with their BPS codes (sources 2 and 3)."""
    rows = sqlrows.read_inserts(fetch("wilayah"), "wilayah").rows
    codes = pd.DataFrame(rows, columns=["kode", "nama"]).astype(str)
    codes = codes[codes["kode"].str.startswith(PROVINCE + ".")]
    depth = codes["kode"].str.count(r"\.")
    kab = codes[depth == 1].copy()
    kab["jenis"] = np.where(kab["nama"].str.lower().str.startswith("kota"), "kota", "kabupaten")
    kab["key"] = [kabupaten_key(n)[1] for n in kab["nama"]]
    kec = codes[depth == 2].copy()
    kec["kab_kode"] = kec["kode"].str[:5]
    desa = codes[depth == 3].copy()
    desa["kec_kode"] = desa["kode"].str[:8]
    desa["kab_kode"] = desa["kode"].str[:5]
    desa["jenis"] = np.where(desa["kode"].str[9] == "1", "kelurahan", "desa")
    kab["kode_bps"] = kab["kode"].map(_bridge(fetch("crosswalk_kabkota"), 4))
    kec["kode_bps"] = kec["kode"].map(_bridge(fetch("crosswalk_kecamatan"), 6))
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


def to_long(
    frame: pd.DataFrame,
    level: str,
    indicator: str,
    value: str,
    note: str,
    code: str = "kode",
    year: str | int = "year",
) -> pd.DataFrame:
    """One column of ``frame`` as long rows ``region_code, level, indicator, year, value, note``.

    ``year`` is the name of a column or one year for every row.

    Examples
    --------
    >>> frame = pd.DataFrame({"kode": ["35.01", "35.02"], "v": [1, 2]})
    >>> to_long(frame, "kabupaten", "penduduk", "v", "a note", year=2024).to_dict("records")[0]
    {'region_code': '35.01', 'level': 'kabupaten', 'indicator': 'penduduk', 'year': 2024, \
'value': 1.0, 'note': 'a note'}
    """
    return pd.DataFrame(
        {
            "region_code": frame[code].astype(str).to_numpy(),
            "level": level,
            "indicator": indicator,
            "year": frame[year].astype(int).to_numpy() if isinstance(year, str) else year,
            "value": pd.to_numeric(frame[value]).astype(float).to_numpy(),
            "note": note,
        }
    )
