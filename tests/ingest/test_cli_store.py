"""``python -m ingest`` and the store: the last upload wins, and no success is reported that the
store did not make durable."""

from __future__ import annotations

import json

import pytest

import store
from ingest import cli
from ingest.keys import Gazetteer

A = "kode;penduduk\n35.78.04;1000\n35.78.09;2000\n"
B = "kode;penduduk\n35.78.04;1100\n35.78.09;2100\n"


@pytest.fixture
def env(tmp_path, monkeypatch, gazetteer):
    """A fresh store for the CLI and the crosswalk gazetteer."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("RBK_DATABASE_URL", url)
    monkeypatch.setattr(Gazetteer, "from_regions", classmethod(lambda cls: gazetteer))
    store.dispose_all()
    yield url
    store.dispose_all()


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_json(capsys, *argv) -> tuple[int, dict]:
    code = cli.main([*map(str, argv), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_b_a_through_the_cli_makes_a_active_again_and_says_so(env, tmp_path, capsys):
    a, b = write(tmp_path, "a.csv", A), write(tmp_path, "b.csv", B)
    statuses = []
    for path in (a, b, a):
        code, rep = run_json(capsys, path, "--year", 2024)
        assert code == 0 and rep["accepted"]
        statuses.append(rep["committed"]["status"])
    assert statuses == ["created", "created", "restored"]
    assert "active again" in rep["committed"]["message_en"]
    assert "aktif kembali" in rep["committed"]["message_id"]
    s = store.series("penduduk", 2024, url=env)
    assert s.to_dict() == {"35.78.04": 1000.0, "35.78.09": 2000.0}
    log = store.audit_log(url=env)
    assert log[log["action"] == "commit"]["status"].tolist()[::-1] == ["ok", "ok", "restored"]
    # the human report says it too, in the chosen language
    cli.main([b, "--year", "2024"])
    capsys.readouterr()
    assert cli.main([a, "--year", "2024", "--lang", "en"]) == 0
    assert "the last upload wins" in capsys.readouterr().out
