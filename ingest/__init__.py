"""Reading an uploaded indicator file: sniff, decode, parse, map keys, validate, report.

Public API::

    from ingest import validate_bytes, Options, commit, preview
    result = validate_bytes(data, filename="ipm.csv", options=Options(year=2024),
                            catalogue=store.catalogue())
    result.accepted, result.report.errors, result.values
    preview(result).counts          # added / changed / unchanged against the active version
    commit(result, actor="ana")     # the new version in one store transaction

Issues are codes with parameters; ``issue.message(lang)`` translates them through
``i18n/locales/<lang>/ingest.toml``. The command line (``python -m ingest FILE ...``) is in
:mod:`ingest.cli`; formats, rules, modules and the CLI contract are documented in
``docs/upload.md``.
"""

from ingest.commit import DEFAULT_DATASET, Preview, commit, preview
from ingest.keys import Gazetteer, parse_code
from ingest.limits import Limits
from ingest.report import Issue, Report
from ingest.specs import Column, IndicatorSpec, Options, Result, normalise_header
from ingest.validate import validate_bytes
from regions.names import fold, kabupaten_key, kecamatan_key

__all__ = [
    "DEFAULT_DATASET",
    "Column",
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
    "normalise_header",
    "parse_code",
    "preview",
    "validate_bytes",
]
