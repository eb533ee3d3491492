"""Run the examples in the docstrings of ``ingest`` and ``ui.auth`` (pytest collects only tests/)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["ingest.report", "ingest.messages", "ingest.sniff", "ingest.csvread", "ingest.numbers",
           "ingest.keys", "ingest.table", "ingest.specs", "ingest.layout", "ingest.columns",
           "ingest.values", "ui.auth"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
