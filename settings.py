"""Project-wide locations and settings (the lowest layer: imports nothing of ours).

Every path the code uses comes from here so that tests can point them elsewhere
through environment variables.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

#: Generated data (ignored by git). ``RBK_BUILD_DIR`` moves it.
BUILD_DIR = Path(os.environ.get("RBK_BUILD_DIR") or ROOT / "data" / "build")

#: Geography layers written by ``python -m pipeline build``.
GEO_DIR = BUILD_DIR / "geo"

#: Downloaded or mirrored source files, checksum-verified.
CACHE_DIR = BUILD_DIR / "sources"

#: The committed manifest of upstream sources.
MANIFEST = ROOT / "data" / "sources.toml"

#: Static files served by Streamlit under ``app/static/`` (generated parts ignored by git).
STATIC_DIR = ROOT / "static"


def sources_mirror() -> Path | None:
    """The local mirror of the sources (``RBK_SOURCES``), laid out ``<owner>/<repo>/<path>``."""
    value = os.environ.get("RBK_SOURCES", "").strip()
    return Path(value) if value else None


def database_url() -> str:
    """The indicator store: ``RBK_DATABASE_URL``, else SQLite under ``data/store/``."""
    url = os.environ.get("RBK_DATABASE_URL", "").strip()
    if url:
        return url
    path = Path(os.environ.get("RBK_STORE_DIR") or ROOT / "data" / "store") / "rbk.sqlite"
    return f"sqlite:///{path}"
