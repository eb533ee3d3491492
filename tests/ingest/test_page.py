"""The Unggah Data page through Streamlit's AppTest: sign-in gate, upload, report, commit, rollback.

The store is a copy of the built one in a temporary directory and the credentials are a
temporary secrets file (``RBK_SECRETS_FILE``); nothing real is used or changed.
"""

from __future__ import annotations

import doctest
import importlib
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import settings
import store
from ui.auth import hash_password

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
PASSWORD = "kata-sandi-uji-123"


def copy_store(dst: Path) -> str:
    src_url = settings.database_url()
    src = Path(src_url.removeprefix("sqlite:///"))
    if not src.exists():
        pytest.fail(f"the built store is needed ({src}); run `python -m pipeline build`")
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return f"sqlite:///{dst}"


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    url = copy_store(tmp_path / "store.sqlite")
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[rbk_analysts.ana]\nname = "Ana Uji"\npassword_hash = "{hash_password(PASSWORD, rounds=4)}"\n')
    monkeypatch.setenv("RBK_DATABASE_URL", url)
    monkeypatch.setenv("RBK_SECRETS_FILE", str(secrets))
    store.dispose_all()
    yield url
    store.dispose_all()


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/unggah.py")
    at.run()
    return at


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input(key="auth_username").set_value("ana")
    at.text_input(key="auth_password").set_value(password)
    at.button[0].click()  # the form's submit button
    at.run()
    return at


def test_anonymous_sees_only_the_sign_in_form(app_env):
    at = open_page()
    assert not at.exception
    assert len(at.get("file_uploader")) == 0
    assert not [b for b in at.button if b.key == "unggah_rollback"]
    assert at.text_input(key="auth_username") is not None


def test_wrong_password_is_refused(app_env):
    at = sign_in(open_page(), "salah")
    assert len(at.get("file_uploader")) == 0
    assert any("salah" in e.value for e in at.error)


def test_upload_report_commit_and_rollback(app_env):
    at = sign_in(open_page())
    assert not at.exception
    assert len(at.get("file_uploader")) == 1
    before = store.series("akses_smp", 2024, url=app_env)
    assert len(before) == 666
    data = b"kode;kecamatan;akses_smp;keterangan\n35.78.04;Wonokromo;71,5;**tebal**\n35.78.09;Sukolilo;72,25;\n35.78.08;Gubeng;73;\n"
    at.get("file_uploader")[0].set_value(("smp <b>x</b>.csv", data, "text/csv"))
    at.number_input(key="unggah_year").set_value(2024)
    at.run()
    assert not at.exception
    texts = [el.value for el in at.get("text")]
    assert any("smp <b>x</b>.csv" in v for v in texts)  # the file name shown as text
    assert any("ditolak" in e.value.lower() for e in at.error) is False
    at.checkbox(key="unggah_confirm").check()
    at.run()
    at.button(key="unggah_commit").click()
    at.run()
    assert not at.exception
    after = store.series("akses_smp", 2024, url=app_env)
    assert after["35.78.04"] == 71.5 and after["35.78.09"] == 72.25 and after["35.78.08"] == 73
    assert len(after) == 666 and (after.drop(["35.78.04", "35.78.09", "35.78.08"])
                                  == before.drop(["35.78.04", "35.78.09", "35.78.08"])).all()
    assert at.session_state["indicator"] == "akses_smp" and at.session_state["year"] == 2024
    # roll back: the previous values come back
    at.selectbox(key="unggah_rollback_indicator").set_value("akses_smp")
    at.checkbox(key="unggah_rollback_confirm").check()
    at.run()
    at.button(key="unggah_rollback").click()
    at.run()
    assert not at.exception
    restored = store.series("akses_smp", 2024, url=app_env)
    assert restored.equals(before)


def test_rejected_upload_shows_located_errors_and_no_commit_button(app_env):
    at = sign_in(open_page())
    at.get("file_uploader")[0].set_value(("s.csv", (CORPUS / "scientific_codes.csv").read_bytes(), "text/csv"))
    at.number_input(key="unggah_year").set_value(2024)
    at.run()
    assert not at.exception
    errors = next(d.value for d in at.dataframe if list(d.value.columns[:3]) == ["Kode", "Baris data", "Baris berkas"])
    assert list(errors.iloc[:, 0]) == ["scientific_code", "scientific_code"]
    assert list(errors.iloc[:, 1]) == [1, 3] and list(errors.iloc[:, 2]) == [2, 4]
    assert not [b for b in at.button if b.key == "unggah_commit"]


def test_unknown_column_is_ignored_until_the_analyst_makes_it_a_new_indicator(app_env):
    at = sign_in(open_page())
    data = b"kode;skor_inovasi\n35.78.04;3\n35.78.09;4\n"
    at.get("file_uploader")[0].set_value(("inovasi.csv", data, "text/csv"))
    at.number_input(key="unggah_year").set_value(2024)
    at.run()
    assert not at.exception
    assert at.session_state["unggah_mapping"]["mapping"] == {"skor_inovasi": None}
    assert not [b for b in at.button if b.key == "unggah_commit"]  # nothing to store
    # the analyst declares the column a new indicator
    at.session_state["unggah_mapping"] = {"mapping": {"skor_inovasi": "skor_inovasi"}, "new": {"skor_inovasi": {
        "id": "skor_inovasi", "name": "Skor inovasi", "unit": "skor", "kind": "index", "direction": "higher_better"}}}
    at.run()
    at.checkbox(key="unggah_confirm").check()
    at.run()
    at.button(key="unggah_commit").click()
    at.run()
    assert not at.exception
    cat = store.catalogue(url=app_env)
    assert cat.at["skor_inovasi", "origin"] == "upload" and cat.at["skor_inovasi", "kind"] == "index"
    s = store.series("skor_inovasi", 2024, url=app_env)
    assert s.to_dict() == {"35.78.04": 3.0, "35.78.09": 4.0}


def test_workbook_sheet_is_chosen_on_the_page(app_env):
    at = sign_in(open_page())
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.get("file_uploader")[0].set_value(("dua.xlsx", (CORPUS / "two_sheets.xlsx").read_bytes(), xlsx))
    at.number_input(key="unggah_year").set_value(2024)
    at.run()
    assert not at.exception
    assert any("ditolak" in e.value.lower() for e in at.error)  # the first sheet holds only a note
    at.selectbox(key="unggah_sheet").set_value("data")
    at.run()
    assert not at.exception
    assert any("diterima" in s.value.lower() for s in at.success)


def test_repeated_failures_lock_the_session(app_env):
    at = open_page()
    for _ in range(5):
        sign_in(at, "salah-lagi")
    sign_in(at, PASSWORD)  # right password, but the session waits
    assert len(at.get("file_uploader")) == 0
    assert any("coba lagi" in w.value for w in at.warning)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_fresh_installation_says_how_to_create_an_analyst(app_env, tmp_path, monkeypatch, lang):
    from ui.i18n import t

    empty = tmp_path / "empty_secrets.toml"
    empty.write_text("")
    monkeypatch.setenv("RBK_SECRETS_FILE", str(empty))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/unggah.py")
    at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert t("unggah.auth.no_accounts", lang=lang) in infos
    assert not at.get("file_uploader")  # still no way in without an account


def test_no_account_notice_is_absent_when_analysts_exist(app_env):
    from ui.i18n import t

    at = open_page()
    assert t("unggah.auth.no_accounts", lang="id") not in [i.value for i in at.info]



@pytest.mark.parametrize("name", ["ui.upload", "ui.data.upload"])
def test_docstring_examples_of_the_page_modules(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
