"""Schools (source 11) and puskesmas (source 12): read, placed in desa, and distances to them.

Schools are placed by their **coordinates** (point in desa polygon): the registry's kecamatan
code is the education ministry's own. A school without usable coordinates is counted and listed,
never placed at (0, 0). Madrasah (MI/MTs/MA, religious-affairs ministry) are not in the
registry: every view of school access must say so.

Puskesmas carry the **BPS** kecamatan code (``P3515020101`` → BPS ``3515020``), converted to
Kemendagri through the crosswalk only; they are also placed by coordinates, and both are kept
(``kec_by_code``, ``kec_by_location``) so that counts say which they follow.

Distances are straight lines on a transverse Mercator projection centred on East Java
(:data:`METRIC_CRS`; scale error under 0.1 % across the province), from each desa's
representative point to the nearest facility of a kind anywhere in East Java (across kecamatan
and kabupaten borders).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

#: Metric projection for distances: transverse Mercator on 112.5°E (East Java spans 110.9–114.6°E).
METRIC_CRS = (
    "+proj=tmerc +lat_0=0 +lon_0=112.5 +k=1 +x_0=500000 +y_0=10000000 +ellps=WGS84 +units=m"
)

#: School kinds of the registry grouped as the dashboard shows them.
SCHOOL_KINDS = {"SD": "sd", "SMP": "smp", "SMA": "sma_smk", "SMK": "sma_smk"}

#: Kinds of facility with a distance and a count.
KINDS = ("sd", "smp", "sma_smk", "puskesmas")

#: Thresholds of the access shares (km).
SMP_KM = 3.0
PUSKESMAS_KM = 5.0

#: East Java's bounding box (lon, lat), loose: points outside are "outside the province".
BOUNDS = (110.8, -8.9, 116.3, -6.7)


class FacilityError(ValueError):
    """A facility source is not what this module expects; the message names the file."""


@dataclass(frozen=True)
class Facilities:
    """Facilities with their placement, and what could not be placed (with the reason)."""

    points: pd.DataFrame  # id, name, kind, lon, lat, desa_kode, kec_kode, kab_kode, ...
    unplaced: pd.DataFrame  # id, name, kind, reason
    notes: list[str] = field(default_factory=list)


def _coordinate(value) -> float:
    try:
        x = float(str(value).strip())
    except (TypeError, ValueError):
        return np.nan
    return x if np.isfinite(x) and x != 0 else np.nan


def read_schools(paths: list[Path]) -> pd.DataFrame:
    """Every school of the registry files (one JSON per kabupaten/kota).

    Returns
    -------
    DataFrame
        ``id`` (NPSN), ``name``, ``form`` (SD, SMP, SMA, SMK, SLB …), ``kind`` (``sd``,
        ``smp``, ``sma_smk`` or empty for special schools), ``status`` (N public, S private),
        ``lon``, ``lat`` (NaN when missing or zero), ``kab_registry`` (the registry's
        kabupaten/kota name, trimmed).
    """
    rows = []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FacilityError(f"{path.name}: cannot be read as JSON: {exc}") from exc
        for records in data.values():
            for rec in records:
                form = str(rec.get("bentuk", "")).strip()
                rows.append(
                    {
                        "id": str(rec.get("npsn", "")).strip(),
                        "name": str(rec.get("sekolah", "")).strip(),
                        "form": form,
                        "kind": SCHOOL_KINDS.get(form, ""),
                        "status": str(rec.get("status", "")).strip(),
                        "lon": _coordinate(rec.get("bujur")),
                        "lat": _coordinate(rec.get("lintang")),
                        "kab_registry": str(rec.get("kabupaten_kota", "")).strip(),
                    }
                )
    return pd.DataFrame(rows)


def read_puskesmas(path: Path, province: str = "35") -> pd.DataFrame:
    """The puskesmas of one province from the 2019 health-facility workbook (source 12).

    Returns
    -------
    DataFrame
        ``id`` (the facility code), ``name``, ``kind`` (``puskesmas``), ``kec_bps`` (the BPS
        kecamatan code the id carries), ``lon``, ``lat``.
    """
    import openpyxl  # heavy; only this reader needs it

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() for h in next(rows)]
        need = {"kode_prov", "kode_faskes", "jenis_faskes", "nama_faskes", "lat_", "long_"}
        if not need <= set(header):
            raise FacilityError(f"{Path(path).name}: missing columns {sorted(need - set(header))}")
        col = {h: i for i, h in enumerate(header)}
        out = []
        for r in rows:
            if str(r[col["kode_prov"]]).strip() != province:
                continue
            if str(r[col["jenis_faskes"]]).strip().upper() != "PUSKESMAS":
                continue
            code = str(r[col["kode_faskes"]]).strip()
            out.append(
                {
                    "id": code,
                    "name": str(r[col["nama_faskes"]]).strip(),
                    "kind": "puskesmas",
                    "kec_bps": code[1:8] if code[:1] == "P" and code[1:8].isdigit() else "",
                    "lon": _coordinate(r[col["long_"]]),
                    "lat": _coordinate(r[col["lat_"]]),
                }
            )
    finally:
        wb.close()
    return pd.DataFrame(out)


def place(points: pd.DataFrame, desa: gpd.GeoDataFrame) -> pd.DataFrame:
    """Put each point in the desa polygon that contains it.

    Parameters
    ----------
    points : DataFrame
        With ``lon``, ``lat`` (NaN allowed).
    desa : GeoDataFrame
        The desa layer (``kode``, ``kec_kode``, ``kab_kode``, geometry in EPSG:4326).

    Returns
    -------
    DataFrame
        ``points`` with ``desa_kode``, ``kec_kode``, ``kab_kode`` (empty strings where the
        point has no coordinates or lies in no desa) and ``place_note`` (``no coordinates``,
        ``outside East Java`` or empty).
    """
    out = points.copy()
    has = out["lon"].notna() & out["lat"].notna()
    geo = gpd.GeoDataFrame(
        out.loc[has, []],
        geometry=gpd.points_from_xy(out.loc[has, "lon"], out.loc[has, "lat"]),
        crs="EPSG:4326",
    )
    hit = gpd.sjoin(geo, desa[["kode", "kec_kode", "kab_kode", "geometry"]], predicate="within")
    hit = hit[~hit.index.duplicated(keep="first")]
    for column, source in (
        ("desa_kode", "kode"),
        ("kec_kode", "kec_kode"),
        ("kab_kode", "kab_kode"),
    ):
        out[column] = hit[source].reindex(out.index).fillna("").astype(str)
    out["place_note"] = ""
    out.loc[~has, "place_note"] = "no coordinates"
    out.loc[has & (out["desa_kode"] == ""), "place_note"] = "outside East Java"
    return out


def metric_xy(lon, lat) -> np.ndarray:
    """Project lon/lat (degrees) to metres on :data:`METRIC_CRS`."""
    pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(METRIC_CRS)
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])


def nearest_km(origins_xy: np.ndarray, targets_xy: np.ndarray) -> np.ndarray:
    """Distance in km from each origin to its nearest target (straight line, metric plane).

    Examples
    --------
    >>> nearest_km(np.array([[0.0, 0.0], [3000.0, 4000.0]]), np.array([[0.0, 1000.0]]))
    array([1.        , 4.24264069])
    """
    if len(targets_xy) == 0:
        return np.full(len(origins_xy), np.nan)
    dist, _ = cKDTree(targets_xy).query(origins_xy, k=1)
    return dist / 1000.0


def desa_distances(rep_points: pd.DataFrame, facilities: pd.DataFrame) -> pd.DataFrame:
    """Distance from each desa's representative point to the nearest facility of each kind.

    Parameters
    ----------
    rep_points : DataFrame
        ``kode``, ``rep_lon``, ``rep_lat`` of every desa/kelurahan.
    facilities : DataFrame
        Placed facilities (``kind``, ``lon``, ``lat``, ``desa_kode``); only those placed in
        East Java count.

    Returns
    -------
    DataFrame
        Index = desa code; ``jarak_<kind>_km`` for each of :data:`KINDS`.
    """
    origins = metric_xy(rep_points["rep_lon"], rep_points["rep_lat"])
    placed = facilities[facilities["desa_kode"] != ""]
    out = pd.DataFrame(index=rep_points["kode"].to_numpy())
    for kind in KINDS:
        sub = placed[placed["kind"] == kind]
        out[f"jarak_{kind}_km"] = nearest_km(origins, metric_xy(sub["lon"], sub["lat"]))
    return out


def access_table(
    placed: pd.DataFrame,
    distances: pd.DataFrame,
    desa: pd.DataFrame,
    population: pd.Series,
    by: str,
) -> pd.DataFrame:
    """Per unit: facilities counted, per 10,000 people, desa within reach, mean distances.

    Parameters
    ----------
    placed : DataFrame
        Facilities from :func:`place`; schools count where they lie (``kec_kode``), puskesmas
        where their code says (``kec_by_code``: the kecamatan of their BPS code, through the
        crosswalk).
    distances : DataFrame
        :func:`desa_distances` (index = desa code).
    desa : DataFrame
        ``kode``, ``kec_kode``, ``kab_kode`` of every desa/kelurahan.
    population : Series
        Population per unit code (the basis is the caller's to name: SP2010 here).
    by : {"kec_kode", "kab_kode", "prov"}
        The unit: kecamatan, kabupaten/kota or the province (code ``35``).

    Returns
    -------
    DataFrame
        Index = every unit of ``population``; ``n_<kind>``, ``<kind>_per_10k``,
        ``share_desa_smp_3km`` and ``share_desa_puskesmas_5km`` (% of its desa and kelurahan
        whose representative point lies within :data:`SMP_KM` / :data:`PUSKESMAS_KM` of one),
        ``mean_jarak_<kind>_km`` (mean over its desa and kelurahan).

    Examples
    --------
    >>> placed = pd.DataFrame({"kind": ["smp", "puskesmas"], "kec_kode": ["a", "a"],
    ...                        "kec_by_code": ["", "b"]})
    >>> dist = pd.DataFrame({f"jarak_{k}_km": [1.0, 4.0] for k in KINDS}, index=["a.1", "b.1"])
    >>> desa = pd.DataFrame({"kode": ["a.1", "b.1"], "kec_kode": ["a", "b"], "kab_kode": "k"})
    >>> t = access_table(placed, dist, desa, pd.Series([100, 20000], index=["a", "b"]), "kec_kode")
    >>> t[["n_smp", "n_puskesmas", "puskesmas_per_10k", "share_desa_smp_3km"]].values.tolist()
    [[1.0, 0.0, 0.0, 100.0], [0.0, 1.0, 0.5, 0.0]]
    """

    def unit(codes: pd.Series) -> np.ndarray:
        codes = codes.astype(str)
        if by == "prov":
            return np.full(len(codes), "35")
        return (codes.str[:5] if by == "kab_kode" else codes).to_numpy()

    out = pd.DataFrame(index=population.index)
    schools = placed[(placed["kind"] != "puskesmas") & (placed["kec_kode"] != "")]
    for kind in ("sd", "smp", "sma_smk"):
        sub = schools[schools["kind"] == kind]
        counts = sub.groupby(unit(sub["kec_kode"])).size()
        out[f"n_{kind}"] = counts.reindex(out.index).fillna(0).astype(int)
    pusk = placed[(placed["kind"] == "puskesmas") & (placed["kec_by_code"] != "")]
    counts = pusk.groupby(unit(pusk["kec_by_code"])).size()
    out["n_puskesmas"] = counts.reindex(out.index).fillna(0).astype(int)
    for kind in KINDS:
        out[f"{kind}_per_10k"] = 1e4 * out[f"n_{kind}"] / population.where(population > 0)
    keys = desa.set_index("kode")["kec_kode"].reindex(distances.index)
    grouped = distances.groupby(unit(keys))
    out["share_desa_smp_3km"] = 100 * grouped["jarak_smp_km"].apply(lambda s: (s <= SMP_KM).mean())
    out["share_desa_puskesmas_5km"] = 100 * grouped["jarak_puskesmas_km"].apply(
        lambda s: (s <= PUSKESMAS_KM).mean()
    )
    for kind in KINDS:
        out[f"mean_jarak_{kind}_km"] = grouped[f"jarak_{kind}_km"].mean()
    return out
