"""BPS ↔ Kemendagri crosswalk and the regions API."""

from __future__ import annotations

import pandas as pd
import pytest

import regions
from pipeline import sources


@pytest.fixture(autouse=True)
def _fresh(geo_dir):
    regions.clear_cache()
    yield
    regions.clear_cache()


def test_crosswalk_one_to_one_for_all_666():
    kec = regions.kecamatan()
    assert len(kec) == 666
    assert kec["kode_bps"].notna().all() and kec["kode_bps"].is_unique
    assert kec["kode_bps"].str.fullmatch(r"35\d{5}").all()
    for kode, bps in zip(kec["kode"], kec["kode_bps"], strict=True):
        assert regions.to_kemendagri(regions.to_bps(kode)) == kode
        assert regions.to_bps(regions.to_kemendagri(bps)) == bps


def test_crosswalk_agrees_with_source_3_read_independently():
    raw = pd.read_csv(sources.fetch("crosswalk_kecamatan"), dtype=str)
    raw = raw[raw["kode_bps"].str.startswith("35")]
    expected = {
        f"{d[:2]}.{d[2:4]}.{d[4:6]}": b
        for d, b in zip(raw["kode_dagri"], raw["kode_bps"], strict=True)
    }
    kec = regions.kecamatan()
    assert dict(zip(kec["kode"], kec["kode_bps"], strict=True)) == expected
    # the codes differ for most kecamatan: digit arithmetic would be wrong
    naive = kec["kode"].str.replace(".", "", regex=False) + "0"
    assert (naive != kec["kode_bps"]).sum() > 400


@pytest.mark.parametrize(
    "kemendagri, bps, name",
    [
        ("35.78.09", "3578080", "Sukolilo"),
        ("35.78.08", "3578100", "Gubeng"),
        ("35.01.02", "3501030", "Pringkuku"),
    ],
)
def test_traps(kemendagri, bps, name):
    assert regions.to_bps(kemendagri) == bps
    assert regions.to_kemendagri(bps) == kemendagri
    assert regions.lookup(bps)["nama"] == name
    assert regions.lookup(kemendagri)["kode_bps"] == bps


def test_known_name_differences_are_kept():
    kec = regions.kecamatan().set_index("kode")
    assert kec.loc["35.11.19", "nama"] == "Sempol" and kec.loc["35.11.19", "nama_bps"] == "IJEN"
    assert kec.loc["35.29.08", "nama"] == "Giliginting"
    assert kec.loc["35.29.08", "nama_bps"] == "GILIGENTENG"


def test_regions_api():
    kab = regions.kabupaten()
    assert len(kab) == 38 and kab.loc[kab["kode"] == "35.78", "kode_bps"].item() == "3578"
    sby = regions.kecamatan_of("35.78")
    assert len(sby) == 31 and (sby["kab_kode"] == "35.78").all()
    assert "geometry" not in regions.kecamatan().columns
    nb = regions.neighbours("kecamatan")
    assert len(nb) == 666
    # Sukolilo (Surabaya) borders Mulyorejo, Gubeng, Tenggilis Mejoyo and Rungkut (and the sea)
    kec = regions.kecamatan().set_index("kode")
    assert sorted(kec.loc[nb["35.78.09"], "nama"]) == [
        "Gubeng",
        "Mulyorejo",
        "Rungkut",
        "Tenggilis Mejoyo",
    ]
    assert all(isinstance(v, list) for v in nb.values())
    with pytest.raises(regions.UnknownRegion):
        regions.lookup("35.99.01")
    with pytest.raises(KeyError):
        regions.to_kemendagri("3578081")
    with pytest.raises(regions.UnknownRegion):
        regions.kecamatan_of("35.30")
    # frames are copies
    k = regions.kecamatan()
    k.loc[0, "nama"] = "changed"
    assert regions.kecamatan().loc[0, "nama"] != "changed"


def test_load_layer():
    full = regions.load_layer("kecamatan")
    disp = regions.load_layer("kecamatan", "display")
    assert len(full) == len(disp) == 666
    assert set(disp["kode"]) == set(full["kode"])
    assert len(regions.load_layer("kabupaten", resolution="display")) == 38
    with pytest.raises(ValueError):
        regions.load_layer("kecamatan", "medium")


def test_missing_build_is_reported(tmp_path, monkeypatch):
    import settings

    monkeypatch.setattr(settings, "GEO_DIR", tmp_path / "none")
    regions.clear_cache()
    with pytest.raises(regions.GeographyMissing, match="pipeline build"):
        regions.kecamatan()


def test_a_misaligned_crosswalk_stops_the_build(tmp_path):
    """Swap the BPS codes of two kecamatan (Gubeng and Sukolilo) in a copy of source 3: the
    name check between BPS and Kemendagri names catches it."""
    from pipeline import geo_inputs

    paths = {f: sources.fetch(f) for f in geo_inputs.INPUT_IDS}
    codes = geo_inputs.read_codes(paths)
    raw = pd.read_csv(paths["crosswalk_kecamatan"], dtype=str)
    a = raw.index[raw["kode_dagri"] == "357808"][0]
    b = raw.index[raw["kode_dagri"] == "357809"][0]
    raw.loc[[a, b], "kode_dagri"] = ["357809", "357808"]
    bad = tmp_path / "kecamatan.csv"
    raw.to_csv(bad, index=False)
    with pytest.raises(geo_inputs.GeographyError, match="35.78.0[89]"):
        geo_inputs.read_crosswalk({**paths, "crosswalk_kecamatan": bad}, codes)
    kec, kab, notes = geo_inputs.read_crosswalk(paths, codes)
    assert len(kec) == 666 and len(kab) == 38 and len(notes) == 6
