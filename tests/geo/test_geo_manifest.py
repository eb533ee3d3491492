"""The sources manifest: complete records, and nothing read that it does not list."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

import settings
from pipeline import sources

RAW = re.compile(r"^https://raw\.githubusercontent\.com/([^/]+/[^/]+)/([0-9a-f]{40})/(.+)$")


def test_every_record_is_complete_and_every_licence_named():
    data = tomllib.loads(settings.MANIFEST.read_text(encoding="utf-8"))
    assert len(data["file"]) >= 50
    for entry in data["file"]:
        for field in sources.REQUIRED_FIELDS:
            assert field in entry, (entry.get("id"), field)
            if field != "licence_file":
                assert str(entry[field]).strip(), (entry["id"], field)
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]), entry["id"]
        m = RAW.match(entry["url"])
        assert m, entry["url"]
        assert m.groups() == (entry["repo"], entry["commit"], entry["path"])
        assert entry["licence"].lower() not in ("", "unknown", "?"), entry["id"]
    assert len({e["id"] for e in data["file"]}) == len(data["file"])


def test_manifest_covers_the_nine_sources_and_their_files():
    files = sources.manifest()
    assert sorted({f.source for f in files.values()}) == list(range(1, 10))
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
    for n in range(1, 10):
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


@pytest.mark.parametrize(
    "mutate, problem",
    [
        (lambda e: e.pop("licence"), "missing fields"),
        (lambda e: e.update(licence=" "), "empty fields"),
        (lambda e: e.update(sha256="abc"), "sha256"),
        (lambda e: e.update(url=e["url"].replace("raw.githubusercontent", "example")), "url"),
        (lambda e: e.update(extra="x"), "unknown fields"),
    ],
)
def test_invalid_manifests_are_rejected(tmp_path, mutate, problem):
    data = tomllib.loads(settings.MANIFEST.read_text(encoding="utf-8"))
    entry = data["file"][3]
    mutate(entry)
    path = tmp_path / "sources.toml"
    path.write_text(_to_toml(data["file"]), encoding="utf-8")
    with pytest.raises(sources.SourceError, match=problem):
        sources.load_manifest(path)


def test_repeated_id_is_rejected(tmp_path):
    data = tomllib.loads(settings.MANIFEST.read_text(encoding="utf-8"))
    path = tmp_path / "sources.toml"
    path.write_text(_to_toml(data["file"][:2] + data["file"][:1]), encoding="utf-8")
    with pytest.raises(sources.SourceError, match="repeats"):
        sources.load_manifest(path)


def test_fetch_refuses_a_file_not_in_the_manifest():
    with pytest.raises(sources.SourceError, match="not in the manifest"):
        sources.fetch("wilayah_boundaries_kec_35")


def _to_toml(entries) -> str:
    out = []
    for e in entries:
        out.append("[[file]]")
        for k, v in e.items():
            out.append(f"{k} = {json.dumps(v)}")
    return "\n".join(out) + "\n"
