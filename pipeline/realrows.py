"""The long rows of the ``realdata`` step: IDM 2024, access to schools and puskesmas, desa.

Each row is ``region_code, level, indicator, year, value, illustrative, note, dataset``; the
catalogue (``store/catalogue.toml``) says what each indicator means. A region where an
indicator does not apply (a kelurahan, or a unit made only of kelurahan, for IDM) simply has
no row: the catalogue's ``applies_to`` tells the dashboard to say "not applicable".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline import facilities, idm

#: Datasets of the store the rows go to.
IDM_DATASET = "idm_desa_2024"
ACCESS_DATASET = "akses_layanan_2019"
DESA_DATASET = "desa_wilayah"

IDM_YEAR = 2024
#: The school registry was scraped about 2019; the puskesmas list is of 2019.
ACCESS_YEAR = 2019
#: Year of the boundaries the desa areas are computed from (Kemendagri 2025 codes).
AREA_YEAR = 2025
#: The population basis of every per-10,000 ratio.
POPULATION_YEAR = 2010

_UNITS = (("kecamatan", "kec_kode"), ("kabupaten", "kab_kode"), ("provinsi", "prov"))
_STATUS_IDS = {name: f"desa_{name}" for name in idm.STATUS.values()}


@dataclass(frozen=True)
class Frames:
    """The inputs of the rows (see :func:`pipeline.realdata.transform`)."""

    desa: pd.DataFrame  # kode, nama, kec_kode, kab_kode, jenis, area_km2, rep_lon, rep_lat
    idm: pd.DataFrame  # IDM rows of known desa
    placed: pd.DataFrame  # facilities with their placement
    distances: pd.DataFrame  # index desa code, jarak_<kind>_km
    desa_pop: pd.Series  # SP2010 per matched desa
    kec_pop: pd.Series  # SP2010 per kecamatan (all 666)
    kab_pop: pd.Series  # SP2010 per kabupaten/kota


def _long(series: pd.Series, level: str, indicator: str, year: int, dataset: str, note=""):
    series = series.dropna()
    return pd.DataFrame(
        {
            "region_code": series.index.astype(str),
            "level": level,
            "indicator": indicator,
            "year": year,
            "value": series.astype(float).to_numpy(),
            "illustrative": False,
            "note": note,
            "dataset": dataset,
        }
    )


def idm_rows(f: Frames) -> list[pd.DataFrame]:
    """IDM, IKS, IKE, IKL and status per desa; means, shares and counts per unit."""
    d = f.idm.set_index("kode")
    parts = [_long(d[c], "desa", c, IDM_YEAR, IDM_DATASET) for c in idm.INDEX_COLUMNS]
    parts.append(_long(d["status"], "desa", "status_idm", IDM_YEAR, IDM_DATASET))
    rows = f.idm.assign(prov="35")
    for level, key in _UNITS:
        agg = idm.aggregate(rows, key)
        note = "" if level == "kecamatan" else "mean over the desa (not of the kecamatan means)"
        for c in idm.INDEX_COLUMNS:
            parts.append(_long(agg[c], level, c, IDM_YEAR, IDM_DATASET, note))
        parts.append(
            _long(agg["share_tertinggal"], level, "persen_desa_tertinggal", IDM_YEAR, IDM_DATASET)
        )
        parts.append(
            _long(agg["share_mandiri"], level, "persen_desa_mandiri", IDM_YEAR, IDM_DATASET)
        )
        if level == "kecamatan":  # kabupaten counts come from source 9 (statistik_resmi)
            for name, ind in _STATUS_IDS.items():
                parts.append(_long(agg[f"n_{name}"], level, ind, IDM_YEAR, IDM_DATASET))
    return parts


def access_rows(f: Frames) -> list[pd.DataFrame]:
    """Distances per desa; counts, per 10,000 (SP2010), shares within reach and mean
    distances per kecamatan, kabupaten/kota and province."""
    parts = [
        _long(f.distances[f"jarak_{k}_km"], "desa", f"jarak_{k}_km", ACCESS_YEAR, ACCESS_DATASET)
        for k in facilities.KINDS
    ]
    pops = {
        "kecamatan": f.kec_pop,
        "kabupaten": f.kab_pop,
        "provinsi": pd.Series({"35": f.kab_pop.sum()}),
    }
    for level, key in _UNITS:
        t = facilities.access_table(f.placed, f.distances, f.desa, pops[level], key)
        for k in facilities.KINDS:
            count_id = "jumlah_puskesmas_2019" if k == "puskesmas" else f"jumlah_{k}"
            basis = "by the kecamatan of its code" if k == "puskesmas" else "by location"
            parts.append(_long(t[f"n_{k}"], level, count_id, ACCESS_YEAR, ACCESS_DATASET, basis))
            parts.append(
                _long(
                    t[f"{k}_per_10k"],
                    level,
                    f"{k}_per_10rb",
                    ACCESS_YEAR,
                    ACCESS_DATASET,
                    "per 10,000 people of Sensus Penduduk 2010",
                )
            )
            parts.append(
                _long(
                    t[f"mean_jarak_{k}_km"],
                    level,
                    f"jarak_{k}_km",
                    ACCESS_YEAR,
                    ACCESS_DATASET,
                    "mean over its desa and kelurahan",
                )
            )
        for col, ind in (
            ("share_desa_smp_3km", "persen_desa_smp_3km"),
            ("share_desa_puskesmas_5km", "persen_desa_puskesmas_5km"),
        ):
            parts.append(_long(t[col], level, ind, ACCESS_YEAR, ACCESS_DATASET))
    return parts


def desa_rows(f: Frames) -> list[pd.DataFrame]:
    """SP2010 population of the matched desa and the computed desa areas."""
    area = f.desa.set_index("kode")["area_km2"]
    return [
        _long(
            f.desa_pop,
            "desa",
            "penduduk",
            POPULATION_YEAR,
            DESA_DATASET,
            "Sensus Penduduk 2010, village matched by name within its kecamatan",
        ),
        _long(
            area,
            "desa",
            "luas_wilayah",
            AREA_YEAR,
            DESA_DATASET,
            "computed from the cleaned boundaries (equal-area projection)",
        ),
    ]


def all_rows(f: Frames) -> pd.DataFrame:
    """Every row of the step (three datasets)."""
    return pd.concat([*idm_rows(f), *access_rows(f), *desa_rows(f)], ignore_index=True)
