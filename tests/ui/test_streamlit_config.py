"""The server settings the load benchmark depends on (benchmarks/load/README.md).

Streamlit reads ``.streamlit/config.toml`` from the directory it runs in; a subprocess there
reads the options as ``streamlit run dashboard.py`` (and ``make serve``'s replicas) get them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import settings

READ = (
    "import json; from streamlit import config; "
    "print(json.dumps({k: config.get_option(k) for k in "
    "('runner.postScriptGC', 'runner.magicEnabled', 'client.showErrorDetails', "
    "'browser.gatherUsageStats', 'server.enableWebsocketCompression', "
    "'server.fileWatcherType')}))"
)


def test_runs_are_cheap_and_quiet():
    out = subprocess.run(
        [sys.executable, "-c", READ], cwd=settings.ROOT, capture_output=True, text=True, check=True
    )
    options = json.loads(out.stdout.strip().splitlines()[-1])
    # no full garbage collection after each run (0.10 s of a 0.18 s run of /peta)
    assert options["runner.postScriptGC"] is False
    # no syntax-tree rewriting of every page on each run
    assert options["runner.magicEnabled"] is False
    # never a traceback in the browser, never a request leaving the machine
    assert options["client.showErrorDetails"] == "none"
    assert options["browser.gatherUsageStats"] is False
    # the websocket is compressed (a change of indicator: ~25 kB of JSON, ~9 kB on the wire);
    # tests/browser/test_map_browser.py checks that the server really negotiates it
    assert options["server.enableWebsocketCompression"] is True
    # no file watcher: each new session would first watch every module of the app
    # (~0.4 s before a fresh browser's first message, benchmarks/map/README.md)
    assert options["server.fileWatcherType"] == "none"
