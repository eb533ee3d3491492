"""The indicator store: versioned long-form values, the catalogue, the audit log.

Public API (see ``store/README.md``)::

    import store
    store.tidy("penduduk", level="kabupaten", years=[2010, 2024])   # long frame
    store.wide(["ipm", "persentase_penduduk_miskin"], level="kabupaten", years=2020)
    store.series("persentase_penduduk_miskin", 2024)                 # Series by kecamatan
    store.catalogue(); store.available(); store.coverage(codes, indicators=...)
    store.commit(frame, dataset=..., actor=...); store.rollback(indicator, actor=...)
    store.stamp()          # changes whenever the active values or the catalogue change
"""

from . import signin
from .definitions import Indicator, normalise_alias
from .engine import StoreBusyError, StoreError, dispose_all, get_engine
from .health import StoreUnavailable, check, guard, stored_rows, unreachable
from .query import (
    audit_log,
    available,
    catalogue,
    coverage,
    diff,
    indicator,
    is_illustrative,
    resolve_alias,
    series,
    tidy,
    version_series,
    version_values,
    versions,
    wide,
)
from .schema import LEVELS
from .stamp import stamp
from .writes import (
    CommitResult,
    StoreValidationError,
    activate,
    commit,
    frame_checksum,
    register_indicator,
    rollback,
)

__all__ = [
    "LEVELS",
    "CommitResult",
    "Indicator",
    "StoreBusyError",
    "StoreError",
    "StoreUnavailable",
    "StoreValidationError",
    "activate",
    "audit_log",
    "available",
    "catalogue",
    "check",
    "commit",
    "coverage",
    "diff",
    "dispose_all",
    "frame_checksum",
    "get_engine",
    "guard",
    "indicator",
    "is_illustrative",
    "normalise_alias",
    "register_indicator",
    "resolve_alias",
    "rollback",
    "series",
    "signin",
    "stamp",
    "stored_rows",
    "tidy",
    "unreachable",
    "version_series",
    "version_values",
    "versions",
    "wide",
]
