"""Run the docstring examples of the shell and map modules (``ui/`` is not a pytest
testpath, so its doctests would otherwise never run)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ui.i18n",
    "ui.state",
    "ui.maps",
    "ui.mapview",
    "ui.exports",
    "ui.overview",
    "ui.data.maps",
    "ui.profile_desa",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
