"""The shape of the production code: modules that fit in one reading, functions on a screen,
and no function-local imports of our own modules hiding the real coupling.

- every production module has at most 600 lines (``wc -l``);
- every function body (from the line after its docstring to its end) has at most 60 lines,
  unless the line just before the ``def`` (or its first decorator) is a comment ``# long: <why>``;
- no project module is imported inside a function unless the import carries ``# cycle: <why>``.

The modules are found on disk (``scripts/architecture.py``), so a new module is measured too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from scripts import architecture

ROOT = architecture.ROOT

MAX_MODULE_LINES = 600
MAX_BODY_LINES = 60
LONG_MARK = "# long:"
CYCLE_MARK = "# cycle:"

MODULES = architecture.production_modules(ROOT)
OURS = architecture.top_level_names(ROOT)


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{line}"


def _parsed():
    for path in MODULES.values():
        text = path.read_text("utf-8")
        yield path, text.splitlines(), ast.parse(text, filename=str(path))


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function's body, from the line after its docstring (if any) to its end.

    >>> tree = ast.parse('def f():\\n    "Doc."\\n    a = 1\\n\\n    return a\\n')
    >>> body_lines(tree.body[0])
    3
    >>> body_lines(ast.parse('def g(): return 1').body[0])
    1
    """
    first = node.body[0]
    if ast.get_docstring(node) is not None:
        start = first.end_lineno + 1
        if len(node.body) == 1:
            return 0
    else:
        start = first.lineno
    return node.end_lineno - start + 1


def _marked_long(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    top = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return top >= 2 and lines[top - 2].strip().startswith(LONG_MARK)


def _is_ours(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return bool(node.level) or (node.module or "").split(".")[0] in OURS
    return any(alias.name.split(".")[0] in OURS for alias in node.names)


def test_the_modules_are_found():
    names = set(MODULES)
    assert {"settings", "dashboard", "ui.data", "analysis.inequality", "pages.peta"} <= names
    assert not any(name.startswith(("tests", "benchmarks", "scripts")) for name in names)


def test_modules_have_at_most_600_lines():
    offenders = []
    for path in MODULES.values():
        count = len(path.read_text("utf-8").splitlines())
        if count > MAX_MODULE_LINES:
            offenders.append(f"{_where(path, 1)} has {count} lines")
    assert not offenders, f"modules over {MAX_MODULE_LINES} lines:\n" + "\n".join(offenders)


def test_function_bodies_have_at_most_60_lines():
    offenders = []
    for path, lines, tree in _parsed():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            count = body_lines(node)
            if count > MAX_BODY_LINES and not _marked_long(node, lines):
                offenders.append(f"{_where(path, node.lineno)} {node.name}: {count} lines")
    assert not offenders, (
        f"function bodies over {MAX_BODY_LINES} lines (split them, or say why on the line "
        f"before the def with '{LONG_MARK} <why>'):\n" + "\n".join(offenders)
    )


def test_no_function_local_imports_of_our_modules():
    offenders = []
    for path, lines, tree in _parsed():
        for node, in_function in architecture.import_nodes(tree):
            if not in_function or not _is_ours(node):
                continue
            text = lines[node.lineno - 1: node.end_lineno]
            if not any(CYCLE_MARK in line for line in text):
                offenders.append(f"{_where(path, node.lineno)} {text[0].strip()}")
    assert not offenders, (
        "function-local imports of project modules (move them to the top, or say which cycle "
        f"forces them with '{CYCLE_MARK} <why>' on the import):\n" + "\n".join(offenders)
    )


def test_test_modules_have_unique_basenames():
    """pytest's default import mode imports a test directory without ``__init__.py`` under the
    file's basename, so two ``test_x.py`` in different folders stop collection on a clean
    clone (a stale ``__pycache__`` can hide it locally)."""
    seen: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name != "conftest.py" and "corpus" not in path.parts:
            seen.setdefault(path.name, []).append(path.relative_to(ROOT).as_posix())
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
