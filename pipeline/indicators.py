"""Real statistics from sources 2 and 4-9, as one long frame ready for the store.

The statistics are computed in three steps: :func:`read_inputs` loads the sources (through
:mod:`pipeline.wilayah` and :mod:`pipeline.readers`, which map every name and code to a
Kemendagri code), :func:`build` transforms them into long rows of kecamatan, kabupaten/kota
and province values (the columns of :func:`store.commit` plus ``note``: where each value comes
from), and :mod:`pipeline.statistics` writes them.

Run ``python -m pipeline.indicators`` to print a summary of what is read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline import readers
from pipeline.errors import StatisticsError
from pipeline.readers import FASKES_CAVEAT, FASKES_INDICATORS
from pipeline.wilayah import PROVINCE, Fetch, Wilayah, default_fetch, read_wilayah, to_long
from regions.names import name_key

#: The four kecamatan created after the 2010 census (Kemendagri code → name).
NEW_SINCE_2010 = {
    "35.10.25": "Blimbingsari",
    "35.22.28": "Gayam",
    "35.75.04": "Panggungrejo",
    "35.76.03": "Kranggan",
}

#: Population columns of source 2 → indicator.
SEX_COLUMNS = (
    ("total", "penduduk"),
    ("pria", "penduduk_laki_laki"),
    ("wanita", "penduduk_perempuan"),
)

OUTPUT_COLUMNS = ["region_code", "level", "indicator", "year", "value", "note"]


# --------------------------------------------------------------------------- load
@dataclass(frozen=True)
class Inputs:
    """The sources the real statistics are computed from, as read by :mod:`pipeline.readers`."""

    wil: Wilayah  # names and codes (sources 2, 3)
    villages: pd.DataFrame  # SP2010 villages (source 4)
    penduduk: pd.DataFrame  # population 2024 by sex, province and kabupaten (source 2)
    luas: pd.DataFrame  # BIG area, province and kabupaten (source 2)
    kesra: pd.DataFrame  # source 7, long kabupaten rows
    grdp: pd.DataFrame  # source 5
    gdp_pc: pd.DataFrame  # source 6
    poverty: pd.DataFrame  # source 8
    idm: pd.DataFrame  # source 9, repaired


def read_inputs(fetch: Fetch = default_fetch) -> Inputs:
    """Read every source of the real statistics (``fetch``: ``file_id -> Path``)."""
    wil = read_wilayah(fetch)
    return Inputs(
        wil=wil,
        villages=readers.census_villages(fetch),
        penduduk=readers.wilayah_penduduk(fetch),
        luas=readers.wilayah_luas(fetch),
        kesra=readers.kesra(wil, fetch),
        grdp=readers.grdp_districts(wil, fetch),
        gdp_pc=readers.gdp_pc_514(wil, fetch),
        poverty=readers.poverty_rates(wil, fetch),
        idm=readers.idm_status(wil, fetch),
    )


# --------------------------------------------------------------------------- transform
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


def population_path(p2010: pd.Series, p2024: pd.Series, years) -> pd.DataFrame:
    """Geometric interpolation between two population totals (index aligned), one column per
    year; used for the kabupaten denominators of 2022-2023 and by the illustrative values.

    Examples
    --------
    >>> population_path(pd.Series([100.0]), pd.Series([400.0]), [2010, 2017, 2024]).iloc[0].tolist()
    [100.0, 200.0, 400.0]
    """
    ratio = (p2024 / p2010).astype(float)
    return pd.DataFrame({y: p2010 * ratio ** ((y - 2010) / 14) for y in years})


def build(fetch: Fetch = default_fetch, areas: pd.Series | None = None) -> pd.DataFrame:
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
    src = read_inputs(fetch)
    kecamatan = kecamatan_rows(src, areas)
    kabupaten = kabupaten_rows(src)
    province = province_values(pd.concat(kabupaten, ignore_index=True), src.penduduk, src.luas)
    return _assemble([*kecamatan, *kabupaten, province])


def _assemble(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame of all rows, refusing a value given twice, sorted."""
    out = pd.concat(parts, ignore_index=True)[OUTPUT_COLUMNS]
    dup = out.duplicated(["region_code", "level", "indicator", "year"], keep=False)
    if dup.any():
        raise StatisticsError(f"duplicate statistics: {out[dup].head(6).to_dict('records')}")
    return out.sort_values(["level", "indicator", "year", "region_code"], ignore_index=True)


def kecamatan_rows(src: Inputs, areas: pd.Series | None = None) -> list[pd.DataFrame]:
    """Kecamatan rows: SP2010 population, desa/kelurahan counts and, given the areas computed
    from the boundaries, area and density."""
    kec_pop = census_kecamatan(src.wil, src.villages)
    parts = [
        to_long(kec_pop, "kecamatan", "penduduk", "penduduk", "", year=2010).assign(
            note=kec_pop["note"].to_numpy()
        ),
        *_village_counts(src.wil, "kecamatan"),
    ]
    if areas is not None:
        parts += _kecamatan_area(src.wil, kec_pop, areas)
    return parts


def _village_counts(wil: Wilayah, level: str) -> list[pd.DataFrame]:
    """Number of desa and of kelurahan per kecamatan or kabupaten/kota (Kemendagri 2025)."""
    col = "kec_kode" if level == "kecamatan" else "kab_kode"
    counts = wil.desa.groupby([col, "jenis"]).size().unstack(fill_value=0)
    if level == "kecamatan":
        counts = counts.reindex(wil.kecamatan["kode"], fill_value=0)
    parts = []
    for jenis, ind in (("desa", "jumlah_desa"), ("kelurahan", "jumlah_kelurahan")):
        c = counts[jenis].rename("v").reset_index().rename(columns={col: "kode"})
        parts.append(to_long(c, level, ind, "v", "Kemendagri 2025 code list (source 2)", year=2025))
    return parts


def _kecamatan_area(wil: Wilayah, kec_pop: pd.DataFrame, areas: pd.Series) -> list[pd.DataFrame]:
    a = areas.reindex(wil.kecamatan["kode"])
    if a.isna().any():
        raise StatisticsError(
            "areas: kecamatan without an area: " + ", ".join(a.index[a.isna()][:10])
        )
    af = pd.DataFrame({"kode": a.index, "v": a.to_numpy()})
    dens = kec_pop.set_index("kode")["penduduk"] / a
    df = pd.DataFrame({"kode": dens.index, "v": dens.to_numpy()})
    area_note = "computed from the cleaned desa boundaries (source 1), equal-area"
    density_note = "SP2010 population / area computed from the boundaries"
    return [
        to_long(af, "kecamatan", "luas_wilayah", "v", area_note, year=2025),
        to_long(df, "kecamatan", "kepadatan_penduduk", "v", density_note, year=2010),
    ]


def kabupaten_rows(src: Inputs) -> list[pd.DataFrame]:
    """Kabupaten/kota rows: population and area (sources 2, 4), desa/kelurahan counts, source
    7, GRDP (sources 5-7), poverty rate (source 8) and village status (source 9)."""
    p0_note = "BPS P0 (March), field `bps` of source 8"
    return [
        *_kabupaten_population(src),
        *_village_counts(src.wil, "kabupaten"),
        src.kesra,
        kabupaten_grdp(src.grdp, src.gdp_pc, src.kesra),
        to_long(src.poverty, "kabupaten", "persentase_penduduk_miskin", "p0", p0_note),
        _idm_rows(src.idm),
    ]


def _kabupaten_population(src: Inputs) -> list[pd.DataFrame]:
    """Population 2010 (source 4) and 2024 by sex, BIG area and density (source 2)."""
    kab_2010 = census_kabupaten(src.wil, src.villages)
    note_2010 = "Sensus Penduduk 2010 (source 4), sum of villages"
    parts = [to_long(kab_2010, "kabupaten", "penduduk", "penduduk", note_2010, year=2010)]
    kab_pen = src.penduduk[src.penduduk["kode"] != PROVINCE]
    for col, ind in SEX_COLUMNS:
        parts.append(
            to_long(kab_pen, "kabupaten", ind, col, "Kemendagri 2024 (source 2)", year=2024)
        )
    kab_luas = src.luas[src.luas["kode"] != PROVINCE]
    area_note = "BIG, December 2024 (source 2)"
    parts.append(to_long(kab_luas, "kabupaten", "luas_wilayah", "luas", area_note, year=2024))
    lk = kab_luas.set_index("kode")["luas"]
    for year, p in (
        (2010, kab_2010.set_index("kode")["penduduk"]),
        (2024, kab_pen.set_index("kode")["total"]),
    ):
        d = (p / lk).rename("v").reset_index()
        note = f"population {year} / BIG area 2024 (sources 2, 4)"
        parts.append(to_long(d, "kabupaten", "kepadatan_penduduk", "v", note, year=year))
    return parts


def _idm_rows(idm: pd.DataFrame) -> pd.DataFrame:
    out = to_long(idm, "kabupaten", "", "value", "IDM, Open Data Jatim (source 9)")
    out["indicator"] = idm["indicator"].to_numpy()
    out.loc[idm["repaired"].to_numpy(), "note"] = (
        "IDM, Open Data Jatim (source 9); re-coded from the namesake city's code"
    )
    return out


#: Years of the SP2020-basis population carried forward from 2021 at the 2020→2021 rate.
SP2020_CARRIED = (2022, 2023, 2024)


def sp2020_population(ks: pd.DataFrame) -> pd.DataFrame:
    """Kabupaten/kota population on BPS's SP2020 basis, 2020-2024 (kode × year).

    2020 and 2021 are BPS's projections on the SP2020 basis (source 7); 2022-2024 carry 2021
    forward at each kabupaten's own 2020→2021 growth rate, ``P(t) = P(2021) · (P(2021) /
    P(2020))^(t − 2021)``. No mirrored source has BPS's projection for 2022-2024, and the
    Kemendagri/Dukcapil register count of 2024 (source 2) is a different basis (a register,
    not a census projection), so it is never mixed into this series.

    Examples
    --------
    >>> ks = pd.DataFrame({"indicator": "penduduk", "region_code": "35.01",
    ...                    "year": [2019, 2020, 2021], "value": [90.0, 100.0, 110.0]})
    >>> sp2020_population(ks).loc["35.01"].round(2).tolist()
    [100.0, 110.0, 121.0, 133.1, 146.41]
    """
    pop = ks[ks["indicator"] == "penduduk"].pivot(
        index="region_code", columns="year", values="value"
    )
    out = pop[[2020, 2021]].astype(float)
    rate = out[2021] / out[2020]
    for y in SP2020_CARRIED:
        out[y] = out[2021] * rate ** (y - 2021)
    return out


def kabupaten_grdp(s5: pd.DataFrame, s6: pd.DataFrame, ks: pd.DataFrame) -> pd.DataFrame:
    """GRDP at constant 2010 prices, per capita and growth of the 38, 2010-2024.

    2010-2019: source 5 (total and per capita as published). 2020-2024: source 6 per capita
    (as published); the total is per capita × population on BPS's SP2020 basis
    (:func:`sp2020_population`: source 7's projections for 2020-2021, carried forward at
    their own 2020→2021 growth rate for 2022-2024), so BPS's per capita is turned into a
    total on BPS's own population basis, never on the Dukcapil register count. Growth: BPS's
    published figure for 2016-2021 (source 7), otherwise computed from the totals.

    Parameters
    ----------
    s5, s6 : pandas.DataFrame
        Sources 5 and 6 as read by :func:`pipeline.readers.grdp_districts` and
        :func:`pipeline.readers.gdp_pc_514`.
    ks : pandas.DataFrame
        Source 7 as long rows (:func:`pipeline.readers.kesra`).
    """
    s5 = s5[s5["year"] >= 2010]
    s6 = s6[s6["year"] >= 2020]
    pop = sp2020_population(ks)
    s6 = s6.copy()
    s6["pop"] = [pop.at[k, y] for k, y in zip(s6["kode"], s6["year"], strict=True)]
    s6["gdp"] = s6["gdp_pc"] * s6["pop"] / 1e6  # thousand IDR × people → billion IDR
    parts = [
        to_long(s5, "kabupaten", "pdrb_adhk", "gdp", "source 5 (BPS), billion IDR"),
        to_long(s5, "kabupaten", "pdrb_per_kapita", "gdp_pc", "source 5 (BPS)"),
        to_long(s6, "kabupaten", "pdrb_per_kapita", "gdp_pc", "source 6 (BPS)"),
    ]
    s6_note = np.where(
        s6["year"] <= 2021,
        "source 6 per capita × population on the SP2020 basis (BPS projection, source 7)",
        "source 6 per capita × population on the SP2020 basis (source 7's 2021 projection "
        "carried forward at its 2020-2021 growth rate)",
    )
    g6 = to_long(s6, "kabupaten", "pdrb_adhk", "gdp", "")
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
    computed = to_long(g, "kabupaten", "pertumbuhan_ekonomi", "g", "")
    computed["note"] = np.select(
        [computed["year"] < 2020, computed["year"] == 2020],
        [
            "computed from pdrb_adhk (source 5)",
            "computed from pdrb_adhk (2019 source 5; 2020 source 6 per capita × population on "
            "the SP2020 basis)",
        ],
        "computed from pdrb_adhk (source 6 per capita × population on the SP2020 basis)",
    )
    parts.append(computed)
    return pd.concat(parts, ignore_index=True)


#: How each indicator is carried to the province when the sources do not give it:
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
    prov_pen = pen[pen["kode"] == PROVINCE]
    prov_luas = luas[luas["kode"] == PROVINCE]
    parts = [
        to_long(prov_pen, "provinsi", ind, col, "Kemendagri 2024 (source 2)", year=2024)
        for col, ind in SEX_COLUMNS
    ]
    area_note = "BIG, December 2024 (source 2)"
    parts.append(to_long(prov_luas, "provinsi", "luas_wilayah", "luas", area_note, year=2024))
    total_2024 = float(prov_pen["total"].iloc[0])
    area = float(prov_luas["luas"].iloc[0])
    rows = _aggregated(kab) + _derived(kab, total_2024, area)
    frame = pd.DataFrame(rows, columns=["indicator", "year", "value", "note"])
    frame.insert(0, "region_code", PROVINCE)
    frame.insert(1, "level", "provinsi")
    return pd.concat([*parts, frame], ignore_index=True)


def _complete(kab: pd.DataFrame, ind: str) -> pd.DataFrame:
    """The rows of ``ind`` in the years where it has as many kabupaten/kota as in its most
    complete year."""
    sub = kab[kab["indicator"] == ind]
    n = sub.groupby("year")["region_code"].nunique()
    return sub[sub["year"].isin(n[n == n.max()].index)]


def _population(kab: pd.DataFrame) -> pd.DataFrame:
    return kab[kab["indicator"] == "penduduk"].pivot(
        index="region_code", columns="year", values="value"
    )


def _aggregated(kab: pd.DataFrame) -> list[tuple]:
    """Province rows ``(indicator, year, value, note)`` by :data:`PROVINCE_RULE`."""
    # weights for the years without a population figure: linear between known years
    weights = _population(kab).reindex(columns=range(2010, 2026)).interpolate(axis=1)
    weights = weights.ffill(axis=1)
    rows = []
    for ind, rule in PROVINCE_RULE.items():
        for year, g in _complete(kab, ind).groupby("year"):
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
    return rows


def _derived(kab: pd.DataFrame, total_2024: float, area: float) -> list[tuple]:
    """Province density, GRDP growth and GRDP per capita ``(indicator, year, value, note)``."""
    rows = []
    p = _population(kab).sum().rename("v")
    for year in (2010, 2024):
        total = float(p[year]) if year != 2024 else total_2024
        rows.append(("kepadatan_penduduk", year, total / area, "population / BIG area"))
    gdp = _complete(kab, "pdrb_adhk").groupby("year")["value"].sum()
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
    gdp_all = _complete(kab, "pdrb_adhk").pivot(index="region_code", columns="year", values="value")
    pc_all = _complete(kab, "pdrb_per_kapita").pivot(
        index="region_code", columns="year", values="value"
    )
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
    return rows


# --------------------------------------------------------------------------- a manual look
def main() -> None:  # pragma: no cover - a manual look at the data
    frame = build()
    summary = frame.groupby(["level", "indicator"])["year"].agg(["min", "max", "count"])
    print(summary.to_string())


if __name__ == "__main__":
    main()
