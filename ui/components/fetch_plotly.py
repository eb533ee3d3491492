"""Fetch Plotly's geo-only bundle (``plotly.js-geo-dist-min``) for the map component.

The map component needs Plotly.js in the browser. The full bundle shipped inside the
``plotly`` Python package (4.8 MB, always available offline) works; the official geo-only
bundle of the same plotly.js version is 1.4 MB and compiles about three times faster, which
is most of the browser's work before the first map. This script gets it through npm (the
registry's ordinary client) at set-up time, checks its sha256 and puts it in
``static/generated/`` (git-ignored). Without npm (or offline) it says so and exits 0: the
component then falls back to the full bundle.

Run: ``python -m ui.components.fetch_plotly`` (``make`` does it during set-up).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "plotly.js-geo-dist-min"
VERSION = "4.1.1"  # = the plotly.js inside plotly==7.1.0 (see requirements.txt)
FILE = "plotly-geo.min.js"
SHA256 = "3da0a26e92ce47dad2b18c6e7cf5018335a003f50f5fe41710f52508af579b7c"

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "static" / "generated" / f"plotly-geo-{VERSION}.min.js"


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def present() -> bool:
    """Whether the verified geo bundle is in place."""
    return TARGET.exists() and sha256_of(TARGET) == SHA256


def fetch() -> int:
    """Get the bundle with ``npm pack``; 0 when present or skipped, 1 on a bad checksum."""
    if present():
        print(f"{TARGET.relative_to(ROOT)} is up to date")
        return 0
    npm = shutil.which("npm")
    if not npm:
        print("npm not found: the map uses the full Plotly.js bundle of the plotly package")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(
                [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp, "--silent"],
                check=True, capture_output=True, timeout=300,
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError) as exc:
            print(f"could not fetch {PACKAGE}@{VERSION} ({exc}); using the full bundle")
            return 0
        archive = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(archive) as tar:
            member = tar.getmember(f"package/{FILE}")
            data = tar.extractfile(member).read()
    if hashlib.sha256(data).hexdigest() != SHA256:
        print(f"{PACKAGE}@{VERSION}: checksum mismatch, not installed", file=sys.stderr)
        return 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    tmp_target = TARGET.with_name(TARGET.name + ".tmp")
    tmp_target.write_bytes(data)
    tmp_target.replace(TARGET)
    print(f"installed {TARGET.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(fetch())
