"""Every public name of analysis/ is documented: in docs/methods.md and with a docstring."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

MODULES = [
    "inequality",
    "inequality.indices",
    "inequality.decomposition",
    "inequality.inference",
    "classify",
    "convergence",
    "typology",
    "spatial",
    "composite",
    "targeting",
    "peers",
    "ranking",
]
METHODS = (Path(__file__).resolve().parents[2] / "docs" / "methods.md").read_text("utf-8")


def _public():
    for m in MODULES:
        mod = importlib.import_module(f"analysis.{m}")
        for name in mod.__all__:
            yield m, name, getattr(mod, name)


@pytest.mark.parametrize("module, name, obj", list(_public()), ids=lambda v: str(v)[:40])
def test_public_name_is_documented(module, name, obj):
    assert f"`analysis.{module}`" in METHODS
    assert name in METHODS, f"analysis.{module}.{name} is missing from docs/methods.md"
    if inspect.isfunction(obj):
        doc = inspect.getdoc(obj) or ""
        assert "Examples" in doc, f"{module}.{name} has no runnable example"
        assert "Parameters" in doc or "Notes" in doc or len(doc.splitlines()) > 3
    elif inspect.isclass(obj):
        assert inspect.getdoc(obj), f"{module}.{name} has no docstring"
