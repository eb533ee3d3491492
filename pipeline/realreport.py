"""The build report of the ``realdata`` step: what was placed, matched or left out, and why.

``data/build/reports/realdata.md`` summarises; each list is also a CSV next to it, so that
nothing is dropped silently:

``realdata_idm_unknown.csv``
    IDM desa whose code the geography does not know (none in the current source).
``realdata_facilities_unplaced.csv``
    Schools and puskesmas without coordinates (never placed at 0, 0) or whose point lies
    outside East Java's desa.
``realdata_schools_per_kabupaten.csv``
    Per kabupaten/kota: schools the registry lists there and schools placed there.
``realdata_schools_other_kabupaten.csv``
    Schools whose point lies in another kabupaten/kota than the registry's, with the distance
    from the point to the registry's kabupaten/kota (a few hundred metres: a point across the
    border; far: a wrong coordinate or registry entry).
``realdata_puskesmas_other_kecamatan.csv``
    Puskesmas whose point lies outside the kecamatan their code names (counts per kecamatan
    follow the code), with the distance to that kecamatan.
``realdata_desa_population_unmatched.csv``
    Desa without an SP2010 village of the same name in their kecamatan (population missing).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

import regions
from pipeline import facilities
from regions.names import kabupaten_key


def counts(inputs, matched, unknown, placed, pop, desa) -> dict:
    """The headline counts of the step (also in ``build.json``)."""
    schools = placed[placed["kind"] != "puskesmas"]
    pusk = placed[placed["kind"] == "puskesmas"]
    in_code = (pusk["kec_kode"] != "") & (pusk["kec_kode"] == pusk["kec_by_code"])
    n_desa = int((desa["jenis"] == "desa").sum())
    return {
        "idm_desa_read": int(len(inputs.idm.desa)),
        "idm_kecamatan_read": int(len(inputs.idm.kecamatan)),
        "idm_desa_matched": int(len(matched)),
        "idm_desa_unknown": int(len(unknown)),
        "desa_without_idm": int(n_desa - len(matched)),
        "schools_read": int(len(schools)),
        "schools_no_coordinates": int((schools["place_note"] == "no coordinates").sum()),
        "schools_outside": int((schools["place_note"] == "outside East Java").sum()),
        "schools_placed": int((schools["desa_kode"] != "").sum()),
        "puskesmas_read": int(len(pusk)),
        "puskesmas_mapped_by_code": int((pusk["kec_by_code"] != "").sum()),
        "puskesmas_placed": int((pusk["desa_kode"] != "").sum()),
        "puskesmas_in_code_kecamatan": int(in_code.sum()),
        "desa_total": int(len(desa)),
        "desa_population_matched": int(len(pop)),
    }


def summary(c: dict) -> str:
    """One line for the build's output."""
    return (
        f"IDM {c['idm_desa_matched']:,} desa ({c['idm_desa_unknown']} unknown codes); "
        f"schools {c['schools_placed']:,}/{c['schools_read']:,} placed "
        f"({100 * c['schools_placed'] / max(c['schools_read'], 1):.2f} %); puskesmas "
        f"{c['puskesmas_read']} read, {c['puskesmas_mapped_by_code']} mapped by code, "
        f"{c['puskesmas_placed']} placed, {c['puskesmas_in_code_kecamatan']} in their code's "
        f"kecamatan; desa population {c['desa_population_matched']:,}/{c['desa_total']:,} "
        f"matched; report data/build/reports/realdata.md"
    )


def _metric_distance_km(points: pd.DataFrame, polygons: gpd.GeoSeries) -> np.ndarray:
    """Distance (km) from each point (lon, lat) to the polygon on the same row."""
    if len(points) == 0:
        return np.array([])
    pts = gpd.GeoSeries(gpd.points_from_xy(points["lon"], points["lat"]), crs="EPSG:4326")
    pts = pts.to_crs(facilities.METRIC_CRS).to_numpy()
    polys = gpd.GeoSeries(polygons.to_numpy(), crs="EPSG:4326").to_crs(facilities.METRIC_CRS)
    return np.round(np.array([p.distance(q) for p, q in zip(pts, polys, strict=True)]) / 1000, 3)


def border_reason(km) -> list[str]:
    """Why a point lies outside the unit its record names, from its distance to that unit."""
    return [
        "point just across the border (within 1 km)"
        if d <= 1
        else "point across the border, 1-5 km away"
        if d <= 5
        else "point far from the unit its record names: coordinate or record likely wrong"
        for d in np.asarray(km, dtype=float)
    ]


def school_kabupaten(placed: pd.DataFrame, kab: pd.DataFrame) -> pd.Series:
    """The registry's kabupaten/kota of each school as a code (empty when the label is not
    recognised)."""
    keys = {
        (kind, key): code
        for code, nama, kind in zip(kab["kode"], kab["nama"], kab["jenis"], strict=True)
        for key in [kabupaten_key(nama)[1]]
    }

    def code_of(label: str) -> str:
        kind, key = kabupaten_key(label)
        return keys.get((kind or "kabupaten", key), keys.get(("kota", key), ""))

    return placed["kab_registry"].map(code_of)


def school_lists(placed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Schools per kabupaten (registry vs placed) and the schools placed across a border."""
    kab_layer = regions.load_layer("kabupaten")
    kab = pd.DataFrame(kab_layer.drop(columns="geometry"))
    schools = placed[placed["kind"] != "puskesmas"].copy()
    schools["kab_by_registry"] = school_kabupaten(schools, kab)
    per_kab = (
        pd.DataFrame(
            {
                "registry": schools.groupby("kab_by_registry").size(),
                "placed": schools[schools["kab_kode"] != ""].groupby("kab_kode").size(),
            }
        )
        .fillna(0)
        .astype(int)
    )
    per_kab.index.name = "kab_kode"
    per_kab = per_kab.reset_index()
    per_kab["kab_nama"] = per_kab["kab_kode"].map(kab.set_index("kode")["nama"])
    per_kab["difference"] = per_kab["placed"] - per_kab["registry"]
    other = schools[
        (schools["kab_kode"] != "") & (schools["kab_kode"] != schools["kab_by_registry"])
    ]
    geoms = kab_layer.set_index("kode").geometry
    km = _metric_distance_km(other, geoms.reindex(other["kab_by_registry"].to_numpy()))
    other = other.assign(km_to_registry_kabupaten=km, reason=border_reason(km))
    cols = ["id", "name", "form", "kab_registry", "kab_by_registry", "kab_kode", "desa_kode"]
    return per_kab, other[[*cols, "lon", "lat", "km_to_registry_kabupaten", "reason"]]


def puskesmas_list(placed: pd.DataFrame) -> pd.DataFrame:
    """Puskesmas whose point lies outside the kecamatan their code names."""
    kec_layer = regions.load_layer("kecamatan").set_index("kode")
    pusk = placed[placed["kind"] == "puskesmas"]
    off = pusk[(pusk["kec_kode"] != "") & (pusk["kec_kode"] != pusk["kec_by_code"])].copy()
    off["kec_by_code_nama"] = off["kec_by_code"].map(kec_layer["nama"])
    off["kec_by_location_nama"] = off["kec_kode"].map(kec_layer["nama"])
    off["km_to_code_kecamatan"] = _metric_distance_km(
        off, kec_layer.geometry.reindex(off["kec_by_code"].to_numpy())
    )
    off["reason"] = border_reason(off["km_to_code_kecamatan"].to_numpy())
    off["counted_in"] = "the kecamatan of its code (kec_by_code)"
    cols = ["id", "name", "kec_bps", "kec_by_code", "kec_by_code_nama", "kec_kode"]
    return off[
        [
            *cols,
            "kec_by_location_nama",
            "lon",
            "lat",
            "km_to_code_kecamatan",
            "reason",
            "counted_in",
        ]
    ]


def write(where: Path, result) -> dict[str, Path]:
    """Write the report and its lists into ``where``; returns the paths by list name."""
    where.mkdir(parents=True, exist_ok=True)
    placed = result.placed
    per_kab, other_kab = school_lists(placed)
    lists = {
        "idm_unknown": result.idm_unknown,
        "facilities_unplaced": placed.loc[
            placed["place_note"] != "", ["id", "name", "kind", "form", "lon", "lat", "place_note"]
        ],
        "schools_per_kabupaten": per_kab,
        "schools_other_kabupaten": other_kab,
        "puskesmas_other_kecamatan": puskesmas_list(placed),
        "desa_population_unmatched": result.unmatched_pop,
    }
    paths = {}
    for name, frame in lists.items():
        paths[name] = where / f"realdata_{name}.csv"
        frame.to_csv(paths[name], index=False)
    paths["report"] = where / "realdata.md"
    paths["report"].write_text(_markdown(result.counts, lists), encoding="utf-8")
    return paths


def _markdown(c: dict, lists: dict[str, pd.DataFrame]) -> str:
    pct = lambda a, b: f"{100 * a / b:.2f} %" if b else "–"  # noqa: E731
    near = lists["schools_other_kabupaten"]["km_to_registry_kabupaten"]
    lines = [
        "# Build report: IDM 2024, schools, puskesmas, desa population",
        "",
        "Written by `python -m pipeline build` (step `realdata`). Every list is a CSV next to "
        "this file.",
        "",
        "## IDM 2024 (source 10)",
        f"- desa read: {c['idm_desa_read']:,} in {c['idm_kecamatan_read']} kecamatan; matched "
        f"to the geography: {c['idm_desa_matched']:,}; codes unknown to the geography: "
        f"{c['idm_desa_unknown']} (`realdata_idm_unknown.csv`, never dropped silently).",
        f"- desa of the geography without IDM: {c['desa_without_idm']} (IDM covers desa only; "
        "kelurahan are not applicable).",
        "- kecamatan means agree with the source's own `m` (±1e-4) for every kecamatan (the "
        "build stops otherwise).",
        "",
        "## Schools (source 11), placed by coordinates",
        f"- read: {c['schools_read']:,}; placed in a desa: {c['schools_placed']:,} "
        f"({pct(c['schools_placed'], c['schools_read'])}); without coordinates: "
        f"{c['schools_no_coordinates']} (never placed at 0, 0); outside East Java: "
        f"{c['schools_outside']} (`realdata_facilities_unplaced.csv`).",
        f"- placed in another kabupaten/kota than the registry's: {len(near)} "
        f"({int((near <= 1).sum())} within 1 km of the registry's kabupaten: across the border; "
        f"{int((near > 5).sum())} farther than 5 km: wrong coordinates or registry entry) — "
        "`realdata_schools_other_kabupaten.csv`; per kabupaten counts in "
        "`realdata_schools_per_kabupaten.csv`.",
        "- no madrasah (MI/MTs/MA, religious-affairs ministry) are in the registry.",
        "",
        "## Puskesmas (source 12)",
        f"- read: {c['puskesmas_read']}; mapped to a kecamatan through the crosswalk by their "
        f"BPS code: {c['puskesmas_mapped_by_code']}; placed in East Java: "
        f"{c['puskesmas_placed']}; in the kecamatan their code names: "
        f"{c['puskesmas_in_code_kecamatan']} "
        f"({pct(c['puskesmas_in_code_kecamatan'], c['puskesmas_placed'])} of those placed).",
        f"- outside their code's kecamatan: {len(lists['puskesmas_other_kecamatan'])} "
        "(`realdata_puskesmas_other_kecamatan.csv`). Counts per kecamatan follow the code; "
        "distances use the points.",
        "",
        "## Desa population (SP2010, source 4)",
        f"- matched by name within the kecamatan: {c['desa_population_matched']:,} of "
        f"{c['desa_total']:,} desa/kelurahan "
        f"({pct(c['desa_population_matched'], c['desa_total'])}); the others stay missing "
        "(`realdata_desa_population_unmatched.csv`, with the reason).",
        "",
    ]
    return "\n".join(lines)
