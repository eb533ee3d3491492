"""README.md names every environment variable the code reads, and only those."""

from __future__ import annotations

import re

from scripts import architecture

ROOT = architecture.ROOT
README = (ROOT / "README.md").read_text("utf-8")
VARIABLE = re.compile(r"\bRBK_[A-Z0-9_]*[A-Z0-9]\b")


def _read_by_code() -> dict[str, str]:
    """``{variable: first path:line}`` of every ``RBK_*`` name in the production code."""
    found: dict[str, str] = {}
    files = [*architecture.production_modules(ROOT).values(), ROOT / "Makefile"]
    for path in files:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            for name in VARIABLE.findall(line):
                found.setdefault(name, f"{path.relative_to(ROOT).as_posix()}:{number}")
    return found


def test_the_code_reads_rbk_variables():
    assert {"RBK_SOURCES", "RBK_DATABASE_URL", "RBK_UPLOAD_MAX_MB"} <= set(_read_by_code())


def test_readme_names_every_variable_the_code_reads():
    missing = [f"{name} ({where})" for name, where in sorted(_read_by_code().items())
               if f"`{name}`" not in README]
    assert not missing, "README.md does not name: " + ", ".join(missing)


def test_readme_names_no_variable_the_code_does_not_read():
    stale = sorted(set(VARIABLE.findall(README)) - set(_read_by_code()))
    assert not stale, "README.md names variables nothing reads: " + ", ".join(stale)
