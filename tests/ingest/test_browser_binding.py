"""Commit and rollback only from the browser that signed in (issue 11): a request whose
connection presents another browser cookie or client address is refused and signs out.

Through AppTest, where the connection's cookie and address are what ``ui.auth`` reads from
``st.context``: the test changes what the connection presents (as a second websocket with the
session's id would), never the session state."""

from __future__ import annotations

import pytest
from test_page import PASSWORD, app_env, open_page, sign_in  # noqa: F401 (app_env: a fixture)

import store
from ui import auth

DATA = b"kode;akses_smp\n35.78.04;71,5\n35.78.09;72,25\n"


def ready_to_commit(at):
    at.get("file_uploader")[0].set_value(("smp.csv", DATA, "text/csv"))
    at.number_input(key="unggah_year").set_value(2024)
    at.run()
    next(c for c in at.checkbox if c.key and c.key.endswith("_confirm")).check()
    at.run()
    return next(b for b in at.button if b.key and b.key.endswith("_commit"))


@pytest.mark.parametrize("what", ["address", "cookie"])
def test_a_commit_from_another_connection_is_refused_and_signs_out(app_env, monkeypatch, what):  # noqa: F811
    monkeypatch.setattr(auth, "client_address", lambda: "198.51.100.7")
    monkeypatch.setattr(auth, "browser_cookie", lambda: "2|aa|analyst-browser|1")
    at = sign_in(open_page())
    before = store.series("akses_smp", 2024, url=app_env)
    n_versions = len(store.versions(url=app_env))
    button = ready_to_commit(at)
    # the session is taken over: the next request presents another address or cookie
    if what == "address":
        monkeypatch.setattr(auth, "client_address", lambda: "203.0.113.66")
    else:
        monkeypatch.setattr(auth, "browser_cookie", lambda: "2|bb|other-browser|1")
    button.click()
    at.run()
    assert not at.exception
    assert len(store.versions(url=app_env)) == n_versions
    assert store.series("akses_smp", 2024, url=app_env).equals(before)
    assert len(at.get("file_uploader")) == 0  # signed out
    assert any("tidak datang dari peramban yang masuk" in e.value for e in at.error)


def test_the_same_connection_commits(app_env, monkeypatch):  # noqa: F811
    monkeypatch.setattr(auth, "client_address", lambda: "198.51.100.7")
    monkeypatch.setattr(auth, "browser_cookie", lambda: "2|aa|analyst-browser|1")
    at = sign_in(open_page())
    ready_to_commit(at).click()
    at.run()
    assert store.series("akses_smp", 2024, url=app_env)["35.78.04"] == 71.5


def test_a_rollback_from_another_connection_is_refused(app_env, monkeypatch):  # noqa: F811
    monkeypatch.setattr(auth, "client_address", lambda: "198.51.100.7")
    at = sign_in(open_page())
    ready_to_commit(at).click()
    at.run()
    after = store.series("akses_smp", 2024, url=app_env)
    at.selectbox(key="unggah_rollback_indicator").set_value("akses_smp")
    at.checkbox(key="unggah_rollback_confirm").check()
    at.run()
    monkeypatch.setattr(auth, "client_address", lambda: "203.0.113.66")
    at.button(key="unggah_rollback").click()
    at.run()
    assert store.series("akses_smp", 2024, url=app_env).equals(after)
    assert any("tidak datang dari peramban yang masuk" in e.value for e in at.error)
