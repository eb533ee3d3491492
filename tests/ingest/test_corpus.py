"""Every file of the corpus (tests/ingest/corpus) gives its stated outcome.

The expected outcomes in ``corpus/expected.json`` were written by hand in
``corpus/make_corpus.py`` (see ``corpus/README.md``): accepted files with every value exactly
as a person reads it, rejected files with every error located (code, record, line, column).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import Options, validate_bytes

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def test_every_corpus_file_has_an_expectation_and_a_readme_entry():
    files = {p.name for p in CORPUS.iterdir() if p.name not in ("expected.json", "README.md", "make_corpus.py")}
    assert files == {c["file"] for c in CASES}
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    missing = [c["file"] for c in CASES if f"`{c['file']}`" not in readme]
    assert not missing, f"cases not described in corpus/README.md: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_corpus_case(case, gazetteer, catalogue):
    data = (CORPUS / case["file"]).read_bytes()
    result = validate_bytes(data, filename=case["file"], options=Options(**case["options"]),
                            catalogue=catalogue, gazetteer=gazetteer)
    report = result.report
    errors = sorted([i.code, i.row, i.line, i.column] for i in report.errors)
    assert errors == sorted(case["errors"], key=lambda x: [str(p) for p in x]) or errors == sorted(
        case["errors"]), [i.message_en for i in report.errors]
    assert report.accepted is case["accepted"]
    warnings = [[i.code, i.row, i.line, i.column] for i in report.warnings]
    for expected in case.get("warnings_include", []):
        code, row, line, column = expected
        assert any(w[0] == code and (row is None or w[1] == row) and (line is None or w[2] == line)
                   and (column is None or w[3] == column) for w in warnings), (expected, warnings)
    got = sorted([r, i, int(y), float(v)] for r, i, y, v in
                 result.values[["region_code", "indicator", "year", "value"]].itertuples(index=False, name=None))
    assert got == sorted([r, i, y, float(v)] for r, i, y, v in case["values"])
    # every message exists in both languages and names its location
    for issue in report.errors + report.warnings:
        assert issue.message_id and issue.message_en
        if issue.row is not None:
            assert f"record {issue.row}" in issue.message_en.lower()
            assert f"baris data {issue.row}" in issue.message_id.lower()


def test_corpus_with_the_built_regions(catalogue):
    """The same outcomes with the gazetteer of ``regions`` (the pipeline's build)."""
    from ingest.keys import Gazetteer

    try:
        gaz = Gazetteer.from_regions()
    except Exception as exc:  # pragma: no cover - CI builds the data first
        pytest.fail(f"regions is not built: {exc}")
    for case in CASES:
        data = (CORPUS / case["file"]).read_bytes()
        result = validate_bytes(data, options=Options(**case["options"]), catalogue=catalogue, gazetteer=gaz)
        assert result.report.accepted is case["accepted"], case["file"]
        got = sorted([r, i, int(y), float(v)] for r, i, y, v in
                     result.values[["region_code", "indicator", "year", "value"]].itertuples(index=False, name=None))
        assert got == sorted([r, i, y, float(v)] for r, i, y, v in case["values"]), case["file"]
        assert sorted(e.code for e in result.report.errors) == sorted(e[0] for e in case["errors"]), case["file"]
