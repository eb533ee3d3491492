"""The Unggah Data page through Streamlit's AppTest: sign-in gate, upload, report, commit, rollback.

The store is a copy of the built one in a temporary directory and the credentials are a
temporary secrets file (``RBK_SECRETS_FILE``); nothing real is used or changed.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import store
from ui.auth import hash_password

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def app_env(tmp_path, monkeypatch, backend, built_store):
    url = backend.built_copy(built_store)  # a copy of the built store, SQLite or PostgreSQL
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
    next(c for c in at.checkbox if c.key and c.key.endswith("_confirm")).check()
    at.run()
    next(b for b in at.button if b.key and b.key.endswith("_commit")).click()
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
    assert not [b for b in at.button if b.key and b.key.endswith("_commit")]


def by_label(elements, label: str):
    """The one widget of ``elements`` with this label."""
    return next(e for e in elements if e.label == label)


def column_choice(at: AppTest, header: str):
    """The mapping selectbox of one column of the file (found by its label)."""
    return next(s for s in at.selectbox if s.label == f"Kolom {header}")


def test_unknown_column_is_ignored_until_the_analyst_makes_it_a_new_indicator(app_env):
    at = sign_in(open_page())
    data = b"kode;skor_inovasi\n35.78.04;3\n35.78.09;4\n"
    at.get("file_uploader")[0].set_value(("inovasi.csv", data, "text/csv"))
    at.number_input(key="unggah_year").set_value(2024)
    at.run()
    assert not at.exception
    choice = column_choice(at, "skor_inovasi")
    assert choice.value == "__abaikan__"
    assert not [b for b in at.button if b.key and b.key.endswith("_commit")]  # nothing to store
    assert any("Belum ada kolom yang dipetakan" in i.value for i in at.info)
    # the analyst declares the column a new indicator, through the widgets
    choice.set_value("__baru__")
    at.run()
    assert not at.exception
    assert column_choice(at, "skor_inovasi").value == "__baru__"  # the rerun kept the choice
    by_label(at.text_input, "Nama (Bahasa Indonesia)").set_value("Skor inovasi")
    by_label(at.text_input, "Nama (Bahasa Inggris)").set_value("Innovation score")
    by_label(at.text_input, "Satuan").set_value("skor")
    by_label(at.selectbox, "Jenis").set_value("index")
    by_label(at.selectbox, "Arah").set_value("higher_better")
    at.run()
    confirm = next(c for c in at.checkbox if c.key and c.key.endswith("_confirm"))
    confirm.check()
    at.run()
    next(b for b in at.button if b.key and b.key.endswith("_commit")).click()
    at.run()
    assert not at.exception
    cat = store.catalogue(url=app_env)
    assert cat.at["skor_inovasi", "origin"] == "upload" and cat.at["skor_inovasi", "kind"] == "index"
    assert cat.at["skor_inovasi", "name_en"] == "Innovation score"
    s = store.series("skor_inovasi", 2024, url=app_env)
    assert s.to_dict() == {"35.78.04": 3.0, "35.78.09": 4.0}
    assert len([s for s in at.success if "sekarang aktif" in s.value]) == 1
    assert at.session_state["indicator"] == "skor_inovasi"


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


def upload_csv(at: AppTest, name: str, data: bytes, year: int = 2024) -> AppTest:
    """Choose a file and its year through the widgets, as an analyst does."""
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    at.number_input(key="unggah_year").set_value(year)
    at.run()
    assert not at.exception
    return at


def test_catalogue_and_unknown_column_keep_their_choices_across_reruns(app_env):
    at = upload_csv(sign_in(open_page()), "dua.csv",
                    b"kode,ipm,kolom_baru\n35.78.04,80.5,3\n35.78.09,81.25,4\n")
    assert column_choice(at, "ipm").value == "ipm"
    assert column_choice(at, "kolom_baru").value == "__abaikan__"
    for _ in range(2):  # reruns without a user action change nothing
        at.run()
        assert column_choice(at, "ipm").value == "ipm"
        assert column_choice(at, "kolom_baru").value == "__abaikan__"
    column_choice(at, "kolom_baru").set_value("__baru__")
    at.run()
    by_label(at.text_input, "Nama (Bahasa Indonesia)").set_value("Kolom baru")
    at.run()
    assert column_choice(at, "ipm").value == "ipm"  # the other choice is untouched
    next(c for c in at.checkbox if c.key and c.key.endswith("_confirm")).check()
    at.run()
    next(b for b in at.button if b.key and b.key.endswith("_commit")).click()
    at.run()
    assert not at.exception
    assert store.series("ipm", 2024, url=app_env)["35.78.04"] == 80.5
    assert store.series("kolom_baru", 2024, url=app_env).to_dict() == {"35.78.04": 3.0, "35.78.09": 4.0}
    # the view follows the new indicator; the committed file offers no second commit
    assert at.session_state["indicator"] == "kolom_baru"
    assert not [b for b in at.button if b.key and b.key.endswith("_commit")]


@pytest.mark.parametrize("name", ["[x](http://a.b)", "![](http://a.b/i.png)", "<b>x</b>", "**tebal**",
                                  '<a href="http://a.b">x</a>'])
def test_a_new_indicator_with_markup_in_its_name_is_refused_with_a_located_message(app_env, name):
    at = upload_csv(sign_in(open_page()), "baru.csv", b"kode;skor\n35.78.04;3\n35.78.09;4\n")
    column_choice(at, "skor").set_value("__baru__")
    at.run()
    by_label(at.text_input, "Nama (Bahasa Indonesia)").set_value(name)
    at.run()
    assert not at.exception
    problems = "\n".join(el.value for el in at.get("text"))
    assert "Kolom “skor”: Nama: karakter" in problems
    assert not [b for b in at.button if b.key and b.key.endswith("_commit")]
    assert "skor" not in store.catalogue(url=app_env).index
