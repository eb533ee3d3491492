"""The pipeline reads no source file that the manifest does not list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import settings
from pipeline import sources

HERE = Path(__file__).parent


def unlisted_reads(events, roots, manifest) -> list[str]:
    """Paths under the source roots that were opened or listed but are not manifest files.

    Allowed: the manifest files themselves, their checksum stamps (``<file>.sha256``) and the
    temporary copies ``.<file>.*`` written next to them while copying.
    """
    allowed_files = {str(f.relpath) for f in manifest.values()}
    allowed_dirs = {str(p) for f in manifest.values() for p in Path(f.relpath).parents}
    bad = []
    for event, raw in events:
        path = Path(os.path.abspath(raw))
        for root in roots:
            try:
                rel = path.relative_to(root)
            except ValueError:
                continue
            rel_s = str(rel)
            if event != "open":
                if rel_s not in allowed_dirs:
                    bad.append(f"{event} {path}")
                continue
            name = rel.name
            base = rel.parent / name.removesuffix(".sha256")
            if str(base) in allowed_files:
                continue
            if name.startswith(".") and any(
                str(rel.parent / n) in allowed_files
                for n in [name[1:].split(".tmp")[0]] + [name[1:].rsplit(".", 1)[0]]
            ):
                continue
            bad.append(f"{event} {path}")
    return bad


def test_checker_flags_an_unlisted_file():
    manifest = sources.manifest()
    root = Path("/m")
    good = next(iter(manifest.values()))
    events = [
        ["open", str(root / good.relpath)],
        ["open", str(root / good.relpath) + ".sha256"],
        ["open", str(root / "cahyadsn/wilayah_boundaries/db/kec/wilayah_boundaries_kec_35x.sql")],
        ["os.listdir", str(root / "cahyadsn/wilayah_boundaries/db/kel/35/sub")],
        ["open", "/usr/lib/python3/os.py"],
    ]
    bad = unlisted_reads(events, [root], manifest)
    assert len(bad) == 2 and "kec_35x" in bad[0]


@pytest.mark.slow
def test_full_build_reads_only_manifest_files(tmp_path, real_mirror):
    """A complete forced build into an empty directory, with every file access recorded."""
    build = tmp_path / "build"
    env = dict(
        os.environ,
        RBK_BUILD_DIR=str(build),
        RBK_SOURCES=str(real_mirror),
        RBK_STORE_DIR=str(tmp_path / "store"),
        PYTHONPATH=str(settings.ROOT),
    )
    env.pop("RBK_DATABASE_URL", None)
    out = tmp_path / "events.json"
    proc = subprocess.run(
        [sys.executable, str(HERE / "read_audit.py"), str(out), "build", "--force", "--quiet"],
        cwd=settings.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    record = json.loads(out.read_text())
    assert record["status"] == 0
    roots = [Path(os.path.abspath(real_mirror)), Path(os.path.abspath(build / "sources"))]
    bad = unlisted_reads(record["events"], roots, sources.manifest())
    assert bad == []
    # and the build did read the sources (the hook saw them)
    seen = {Path(p).name for e, p in record["events"] if e == "open"}
    assert "wilayah_boundaries_kel_35.01.sql" in seen and "kecamatan.csv" in seen
    assert (build / "geo" / "kecamatan.parquet").is_file()
