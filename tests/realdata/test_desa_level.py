"""The desa level: regions.desa(), display layers, the store, the catalogue, the report."""

from __future__ import annotations

import dataclasses
import json
import tomllib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import manifest
import regions
import settings
import store
from pipeline import realdata, realreport, sources
from pipeline.errors import PipelineError

NEW = (
    "idm",
    "iks",
    "ike",
    "ikl",
    "persen_desa_tertinggal",
    "persen_desa_mandiri",
    "jumlah_sd",
    "jumlah_smp",
    "jumlah_sma_smk",
    "jumlah_puskesmas_2019",
    "sd_per_10rb",
    "smp_per_10rb",
    "sma_smk_per_10rb",
    "puskesmas_per_10rb",
    "persen_desa_smp_3km",
    "persen_desa_puskesmas_5km",
    "jarak_sd_km",
    "jarak_smp_km",
    "jarak_sma_smk_km",
    "jarak_puskesmas_km",
)


def test_regions_desa(built):
    regions.clear_cache()
    d = regions.desa()
    assert len(d) == 8494 and d["kode"].is_unique
    assert (d["jenis"] == "desa").sum() == 7721 and (d["jenis"] == "kelurahan").sum() == 773
    kec = regions.kecamatan().set_index("kode")
    assert np.allclose(d.groupby("kec_kode")["area_km2"].sum().reindex(kec.index), kec["area_km2"])
    assert d["rep_lon"].between(110.8, 116.3).all() and d["rep_lat"].between(-8.9, -5.0).all()
    matched = d["penduduk_2010"].notna()
    assert matched.mean() >= 0.97 and (d.loc[matched, "penduduk_2010"] > 0).all()
    one = regions.desa("35.01.06")
    assert (
        set(one["kec_kode"]) == {"35.01.06"}
        and len(one) == kec.at["35.01.06", "n_desa"] + kec.at["35.01.06", "n_kelurahan"]
    )
    with pytest.raises(regions.UnknownRegion):
        regions.desa("35.99.99")


def test_representative_point_lies_inside_its_desa():
    layer = regions.load_layer("desa")
    pts = shapely.points(layer["rep_lon"], layer["rep_lat"])
    assert shapely.covers(layer.geometry.values, pts).all()


def test_desa_display_per_kabupaten_and_province():
    province = gpd.read_file(regions.display_path("desa"))
    assert sorted(province["kode"]) == sorted(regions.desa()["kode"])
    assert not shapely.is_empty(province.geometry.values).any()
    assert shapely.is_valid(province.geometry.values).all()
    parts = [regions.load_layer("desa", "display", kab) for kab in regions.kabupaten()["kode"]]
    assert sum(len(p) for p in parts) == 8494
    for kab, part in zip(regions.kabupaten()["kode"], parts, strict=True):
        assert part["kode"].str.startswith(kab + ".").all()
    gj = json.loads(regions.display_path("desa", "35.07").read_text(encoding="utf-8"))
    assert set(gj["features"][0]["properties"]) == {"kode", "nama", "kec_nama"}
    with pytest.raises(regions.UnknownRegion):
        regions.display_path("desa", "35.99")


def test_desa_display_area_close_to_full():
    ea = "+proj=aea +lat_1=-8.4 +lat_2=-6.6 +lat_0=-7.5 +lon_0=112.6 +datum=WGS84 +units=m"
    disp = gpd.read_file(regions.display_path("desa")).set_index("kode").to_crs(ea)
    full = regions.load_layer("desa").set_index("kode").to_crs(ea)
    a_disp = shapely.area(disp.geometry.reindex(full.index).values)
    a_full = shapely.area(full.geometry.values)
    assert abs(a_disp.sum() / a_full.sum() - 1) < 0.005
    ratio = np.abs(a_disp / a_full - 1)
    assert np.quantile(ratio[a_full > 0.5e6], 0.99) < 0.05


def test_store_serves_the_desa_level(url):
    assert {"idm", "jarak_smp_km", "penduduk", "luas_wilayah"} <= set(
        store.available("desa", url=url)["indicator"]
    )
    pop = store.tidy("penduduk", level="desa", url=url).set_index("region_code")["value"]
    assert pop.equals(
        regions.desa().set_index("kode")["penduduk_2010"].dropna().astype(float).reindex(pop.index)
    )


def test_at_least_12_real_kecamatan_indicators(url):
    avail = store.available("kecamatan", url=url)
    cat = store.catalogue(url=url)
    real_new = [i for i in NEW if i in set(avail["indicator"]) and not cat.loc[i, "illustrative"]]
    assert len(real_new) >= 12
    for ind in real_new:
        rows = store.tidy(ind, level="kecamatan", url=url)
        assert not rows["illustrative"].any()


def test_catalogue_entries_complete_in_both_languages():
    entries = {
        e["id"]: e for e in tomllib.loads(store.definitions.CATALOGUE_FILE.read_text())["indicator"]
    }
    files = manifest.load_manifest()
    for ind in (*NEW, "status_idm"):
        e = entries[ind]
        assert e["name_id"] and e["name_en"] and e["name_id"] != e["name_en"], ind
        assert e["unit"] and e["direction"] in ("higher_better", "lower_better"), ind
        assert e["sources"] and set(e["sources"]) <= set(files), ind
        assert len(e["notes"]) > 80, ind
    for ind in ("jumlah_smp", "jarak_sd_km", "persen_desa_smp_3km"):
        assert "madrasah" in entries[ind]["notes"].lower()
        assert "2019" in entries[ind]["notes"]
    assert "kelurahan" in entries["idm"]["notes"] and "not applicable" in entries["idm"]["notes"]


def test_unknown_desa_codes_appear_in_the_report(tmp_path):
    paths = {fid: sources.fetch(fid, progress=False) for fid in realdata.INPUT_IDS}
    inputs = realdata.load(paths)
    extra = inputs.idm.desa.iloc[[0]].assign(kode="35.01.01.2999", nama="Desa Tak Dikenal")
    idm_src = dataclasses.replace(
        inputs.idm, desa=pd.concat([inputs.idm.desa, extra], ignore_index=True)
    )
    result = realdata.transform(dataclasses.replace(inputs, idm=idm_src))
    assert result.idm_unknown["kode"].tolist() == ["35.01.01.2999"]
    assert result.counts["idm_desa_unknown"] == 1
    assert "35.01.01.2999" not in set(result.rows["region_code"])
    out = realreport.write(tmp_path, result)
    listed = pd.read_csv(out["idm_unknown"], dtype=str)
    assert listed["kode"].tolist() == ["35.01.01.2999"]
    assert "codes unknown to the geography: 1" in out["report"].read_text()


def test_a_changed_checksum_stops_the_build_naming_the_file(tmp_path, monkeypatch, mirror):
    files = sources.manifest()
    crafted = tmp_path / "mirror"
    for fid in realdata.INPUT_IDS:
        target = crafted / files[fid].relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to((mirror / files[fid].relpath).resolve())
    idm_path = crafted / files["idm_2024_35"].relpath
    text = idm_path.read_text(encoding="utf-8")
    idm_path.unlink()
    idm_path.write_text(text.replace('"m":', '"m" :', 1), encoding="utf-8")
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setenv("RBK_SOURCES", str(crafted))
    with pytest.raises(PipelineError) as err:
        realdata.build(where=tmp_path / "out", reports=tmp_path / "reports", force=True)
    assert "idm_2024_35" in str(err.value) or "35.json" in str(err.value)
    assert "sha256" in str(err.value).lower() or "checksum" in str(err.value).lower()
    assert not (tmp_path / "out").exists()
