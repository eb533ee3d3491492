"""Root of the test suite: which production files pytest may import for their doctests.

``--doctest-modules`` runs the docstring examples of every package in ``testpaths``
(pyproject.toml). Page scripts and entry points are not modules to import: importing them
would draw a page or run a command line.
"""

collect_ignore = ["dashboard.py", "pages"]
collect_ignore_glob = ["*/__main__.py"]

# Fixtures of the store backend under test (SQLite, or PostgreSQL under make test-postgres).
pytest_plugins = ["tests.backends"]
