"""docs/architecture.md is drawn from the code, and the layer contracts cover every module.

- the module map between the markers of ``docs/architecture.md`` is what
  ``scripts/architecture.py`` draws from the code today (run it after moving code);
- import-linter (``lint-imports``, contracts in pyproject.toml) sees every top-level package;
- the top-level files grimp cannot read (``dashboard.py``, ``settings.py``, ``manifest.py``,
  ``published.py``)
  keep to their layer, checked here from their source.
"""

from __future__ import annotations

import tomllib

import pytest

from scripts import architecture

ROOT = architecture.ROOT
DOC = architecture.DOC.read_text("utf-8")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
INFOS = {info.name: info for info in architecture.module_info(ROOT)}
#: Top-level files (not packages): grimp cannot build a graph of them.
FILES = {name for name, path in architecture.production_modules(ROOT).items()
         if "." not in name and path.name != "__init__.py"}
#: What each top-level file may import of ours (its layer in docs/architecture.md).
FILE_LAYERS = {
    "dashboard": {"ui", "i18n", "settings"},
    "settings": set(),
    "manifest": {"settings"},
    "published": {"settings"},
}


def _imports(info: architecture.ModuleInfo) -> set[str]:
    return set(info.imports) | set(info.local_imports)


def test_every_module_is_in_the_doc():
    missing = [name for name in INFOS if f"[`{name}`]" not in DOC]
    assert not missing, (
        "modules missing from docs/architecture.md (run python scripts/architecture.py): "
        + ", ".join(missing)
    )


def test_the_module_map_is_current():
    start, end = DOC.find(architecture.BEGIN), DOC.find(architecture.END)
    assert 0 <= start < end, "docs/architecture.md lost the module map markers"
    current = DOC[start:end + len(architecture.END)]
    assert current == architecture.render(ROOT), (
        "the module map of docs/architecture.md is stale: run python scripts/architecture.py"
    )


def test_import_linter_sees_every_package():
    packages = architecture.top_level_names(ROOT) - FILES
    assert set(CONFIG["root_packages"]) == packages, (
        "[tool.importlinter] root_packages must list every top-level package "
        "(and the contracts of pyproject.toml must place a new one in its layer)"
    )


def test_analysis_contract_forbids_every_other_top_level_name():
    contract = next(c for c in CONFIG["contracts"] if c.get("source_modules") == ["analysis"])
    others = architecture.top_level_names(ROOT) - {"analysis"}
    assert others <= set(contract["forbidden_modules"])


@pytest.mark.parametrize("name", sorted(FILES))
def test_top_level_files_keep_to_their_layer(name):
    assert name in FILE_LAYERS, f"{name}.py: say in FILE_LAYERS which layer it belongs to"
    allowed = FILE_LAYERS[name]
    wrong = sorted(m for m in _imports(INFOS[name]) if m.split(".")[0] not in allowed)
    assert not wrong, f"{name}.py may import only {sorted(allowed) or 'nothing of ours'}: {wrong}"


def test_nothing_imports_the_entry_script_or_the_pages():
    wrong = sorted(
        f"{name} -> {target}"
        for name, info in INFOS.items()
        for target in _imports(info)
        if target.split(".")[0] in {"dashboard", "pages"}
    )
    assert not wrong, f"the entry script and the page scripts are not modules to import: {wrong}"
