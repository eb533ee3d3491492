"""The sign-in lockout through the page (AppTest): it holds in new sessions and after a restart,
because it is kept in the store, not in the session."""

from __future__ import annotations

from test_page import PASSWORD, app_env, open_page, sign_in  # noqa: F401 (app_env: a fixture)

import store


def refused(at) -> bool:
    """The session got no uploader and the lock message."""
    return len(at.get("file_uploader")) == 0 and any("coba lagi" in w.value for w in at.warning)


def test_lockout_holds_across_ten_new_sessions_and_a_restart(app_env):  # noqa: F811
    at = open_page()
    for _ in range(4):
        sign_in(at, "salah-lagi")
        assert not at.warning  # four failures lock nothing
    sign_in(at, "salah-lagi")
    assert refused(at)  # the fifth locks
    for _ in range(10):  # ten new browser sessions, each with the right password
        assert refused(sign_in(open_page(), PASSWORD))
    store.dispose_all()  # a restart: every connection to the store closed and reopened
    assert refused(sign_in(open_page(), PASSWORD))
    log = store.audit_log(url=app_env)
    statuses = log[log["action"] == "sign_in"]["status"].tolist()
    assert sorted(statuses) == ["failed"] * 5 + ["locked"] * 11


def test_a_right_password_after_a_few_failures_signs_in(app_env):  # noqa: F811
    at = open_page()
    for _ in range(3):
        sign_in(at, "salah-lagi")
    sign_in(open_page(), PASSWORD)
    at = sign_in(open_page(), PASSWORD)
    assert len(at.get("file_uploader")) == 1
