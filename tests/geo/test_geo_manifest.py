"""The sources manifest: complete records, and nothing read that it does not list."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

import manifest
import settings
from pipeline import sources

RAW = re.compile(r"^https://raw\.githubusercontent\.com/([^/]+/[^/]+)/([0-9a-f]{40})/(.+)$")


def _raw():
    return tomllib.loads(settings.MANIFEST.read_text(encoding="utf-8"))


def test_every_record_is_complete_and_every_licence_named():
    data = _raw()
    assert len(data["file"]) >= 50
    for origin in data["source"]:
        for field in manifest.SOURCE_FIELDS:
            assert field in origin, (origin.get("number"), field)
    for entry in data["file"]:
        assert set(manifest.FILE_FIELDS) <= set(entry), entry.get("id")
    files = sources.load_manifest()
    assert list(files) == [e["id"] for e in data["file"]]
    for entry in files.values():
        for field in sources.REQUIRED_FIELDS:
            assert hasattr(entry, field), (entry.id, field)
            if field != "licence_file":
                assert str(getattr(entry, field)).strip(), (entry.id, field)
        assert re.fullmatch(r"[0-9a-f]{64}", entry.sha256), entry.id
        m = RAW.match(entry.url)
        assert m, entry.url
        assert m.groups() == (entry.repo, entry.commit, entry.path)
        assert entry.licence.lower() not in ("", "unknown", "?"), entry.id
    assert len({e["id"] for e in data["file"]}) == len(data["file"])


def test_every_file_has_an_origin_record():
    """As OWID's metadata test: a data file without its source's record is refused."""
    data = _raw()
    numbers = {origin["number"] for origin in data["source"]}
    assert {entry["source"] for entry in data["file"]} <= numbers
    assert all(len(origin) == len(manifest.SOURCE_FIELDS) for origin in data["source"])
    # per-file entries carry only id, source, path, sha256 (and notes where a file needs them)
    assert all(set(e) <= {*manifest.FILE_FIELDS, "notes"} for e in data["file"])


def test_manifest_covers_the_twelve_sources_and_their_files():
    files = sources.manifest()
    assert sorted({f.source for f in files.values()}) == list(range(1, 13))
    schools = [f for f in files.values() if f.source == 11 and f.path.startswith("result/05")]
    assert len(schools) == 38
    assert files["schools_licence"].path == "LICENSE" and files["schools_licence"].licence == "MIT"
    assert files["idm_2024_35"].path == "data/idm/prov/35.json"
    assert "no LICENSE file" in files["idm_2024_35"].licence
    assert files["faskes_2019"].path.endswith(".xlsx")
    kel = [f for f in files.values() if f.path.startswith("db/kel/35/")]
    assert len(kel) == 38
    for fid in (
        "wilayah",
        "wilayah_luas",
        "wilayah_penduduk",
        "crosswalk_kecamatan",
        "crosswalk_kabkota",
        "census2010_villages",
        "grdp_districts",
        "gdp_pc_514",
        "kesra_1",
        "kesra_4",
        "poverty_kabupaten",
        "idm_desa_status",
    ):
        assert fid in files
    # one repository, one commit, one licence per source
    for n in range(1, 13):
        group = [f for f in files.values() if f.source == n]
        assert len({(f.repo, f.commit, f.licence) for f in group}) == 1, n


def test_manifest_checksums_match_the_published_list(real_mirror):
    """Every manifest file is in SHA256SUMS of the shared mirror with the same checksum."""
    sums = settings.ROOT.parent / "shared" / "data" / "SHA256SUMS"
    if not sums.is_file():
        pytest.skip("no shared SHA256SUMS beside the project")
    listed = {}
    for line in sums.read_text().splitlines():
        digest, path = line.split(None, 1)
        listed[path.strip().removeprefix("./")] = digest
    files = sources.manifest()
    # the mirror holds more than the manifest uses (every province's IDM, for later):
    # each manifest file must be listed there with the same checksum, not the reverse
    ours = {str(f.relpath): f.sha256 for f in files.values()}
    assert {path: listed.get(path) for path in ours} == ours


def _first_file(data):
    return data["file"][3]


def _its_source(data):
    number = data["file"][3]["source"]
    return next(s for s in data["source"] if s["number"] == number)


@pytest.mark.parametrize(
    "record, mutate, problem",
    [
        (_its_source, lambda e: e.pop("licence"), r"\[\[source\]\] #1 .*missing fields"),
        (_its_source, lambda e: e.update(licence=" "), r"\[\[source\]\] #1 .*empty fields"),
        (_its_source, lambda e: e.update(commit="main"), r"\[\[source\]\] #1 .*commit"),
        (_its_source, lambda e: e.update(repo="not a repo"), r"\[\[source\]\] #1 .*repo"),
        (_its_source, lambda e: e.update(url="https://example.org"), "unknown fields"),
        (_first_file, lambda e: e.pop("sha256"), r"\[\[file\]\] #4 .*missing fields"),
        (_first_file, lambda e: e.update(path=""), r"\[\[file\]\] #4 .*empty fields"),
        (_first_file, lambda e: e.update(sha256="abc"), r"\[\[file\]\] #4 .*sha256"),
        (_first_file, lambda e: e.update(url="https://example.org/x"), "unknown fields"),
        (_first_file, lambda e: e.update(source=99), "source 99 has no \\[\\[source\\]\\] origin"),
    ],
)
def test_invalid_manifests_are_rejected(tmp_path, record, mutate, problem):
    data = _raw()
    mutate(record(data))
    path = tmp_path / "sources.toml"
    path.write_text(_to_toml(data), encoding="utf-8")
    with pytest.raises(sources.ManifestError, match=problem):
        sources.load_manifest(path)


def test_a_file_without_an_origin_record_is_rejected(tmp_path):
    data = _raw()
    data["source"] = [s for s in data["source"] if s["number"] != 7]
    path = tmp_path / "sources.toml"
    path.write_text(_to_toml(data), encoding="utf-8")
    with pytest.raises(sources.ManifestError, match=r"\(kesra_1\): source 7 has no \[\[source\]\]"):
        sources.load_manifest(path)


def test_an_origin_record_without_files_is_rejected(tmp_path):
    data = _raw()
    data["file"] = [f for f in data["file"] if f["source"] != 9]
    path = tmp_path / "sources.toml"
    path.write_text(_to_toml(data), encoding="utf-8")
    with pytest.raises(sources.ManifestError, match=r"without any \[\[file\]\]: \[9\]"):
        sources.load_manifest(path)


def test_repeated_id_is_rejected(tmp_path):
    data = _raw()
    data["file"] = data["file"][:2] + data["file"][:1]
    path = tmp_path / "sources.toml"
    path.write_text(_to_toml(data), encoding="utf-8")
    with pytest.raises(sources.ManifestError, match="repeats"):
        sources.load_manifest(path)


def test_repeated_source_number_is_rejected(tmp_path):
    data = _raw()
    data["source"].append(dict(data["source"][0]))
    path = tmp_path / "sources.toml"
    path.write_text(_to_toml(data), encoding="utf-8")
    appended = len(data["source"])  # the appended record's position, 1-based
    with pytest.raises(sources.ManifestError, match=rf"\[\[source\]\] #{appended} .*number 1 repeats"):
        sources.load_manifest(path)


def test_fetch_refuses_a_file_not_in_the_manifest():
    with pytest.raises(sources.SourceError, match="not in the manifest"):
        sources.fetch("wilayah_boundaries_kec_35")


def _to_toml(data) -> str:
    out = []
    for table in ("source", "file"):
        for e in data.get(table, []):
            out.append(f"[[{table}]]")
            for k, v in e.items():
                out.append(f"{k} = {json.dumps(v)}")
    return "\n".join(out) + "\n"
