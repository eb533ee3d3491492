"""Reading an uploaded indicator file: sniff, decode, parse, map keys, validate, report.

Public API::

    from ingest import validate_bytes, Options, commit, preview
    result = validate_bytes(data, filename="ipm.csv", options=Options(year=2024),
                            catalogue=store.catalogue())
    result.accepted, result.report.errors, result.values
    preview(result).counts          # added / changed / unchanged against the active version
    commit(result, actor="ana")     # one store transaction

The command line (``python -m ingest FILE ...``) is in :mod:`ingest.cli`; formats, rules and
the CLI contract are documented in ``docs/upload.md``.
"""

from ingest.commit import DEFAULT_DATASET, Preview, commit, preview
from ingest.keys import Gazetteer, parse_code
from ingest.limits import Limits
from ingest.report import Issue, Report
from ingest.validate import IndicatorSpec, Options, Result, validate_bytes
from regions.names import fold, kabupaten_key, kecamatan_key

__all__ = [
    "DEFAULT_DATASET",
    "Gazetteer",
    "IndicatorSpec",
    "Issue",
    "Limits",
    "Options",
    "Preview",
    "Report",
    "Result",
    "commit",
    "fold",
    "kabupaten_key",
    "kecamatan_key",
    "parse_code",
    "preview",
    "validate_bytes",
]
