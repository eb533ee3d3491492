"""The Unggah Data flow in a real browser, driven as a person drives it.

The file is chosen through the file input, every choice is made in the widgets (selectboxes,
text inputs, checkbox, buttons); nothing writes session state. Three files:

(a) a catalogue column and an unknown column; the unknown one becomes a new indicator; the
    commit is followed to Peta (the new values on the map) and the catalogue column is rolled
    back on the Versions tab;
(b) only an unknown column, made a new indicator;
(c) only catalogue columns.

Each runs on a server that has already served other pages and on a fresh server entered at
``/unggah`` (where the project's navigation and language switch must show, not Streamlit's
default page list). Each ends with no error box, a page that settles (the script does not run
for 5 s) and exactly one success message.

Servers run on a copy of the built store and a temporary credentials file
(``RBK_SECRETS_FILE``); the shared store and real secrets are never touched.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from browser_harness import (
    CHROMIUM,
    exception_boxes,
    open_app,
    start_server,
    stop_server,
    wait_idle,
)

import settings
import store
from ui.auth import hash_password

pytestmark = pytest.mark.browser
PASSWORD = "kata-sandi-peramban-42"
FILE_A = b"kode,akses_smp,kolom_baru\n35.78.04,60.5,3\n35.78.09,61.25,4\n35.78.08,62,5\n"
FILE_B = b"kode;skor_inovasi\n35.78.04;3\n35.78.09;4\n"
FILE_C = b"kode;kecamatan;akses_smp\n35.78.04;Wonokromo;71,5\n35.78.09;Sukolilo;72,25\n35.78.08;Gubeng;73\n"
SETTLED = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""
#: The value the map carries for a kecamatan (``customdata[0]`` of the indicator trace).
MAP_VALUE = """(code) => { for (const gd of document.querySelectorAll('.js-plotly-plot')) {
  for (const tr of (gd.data || [])) { if (!tr.locations || !tr.customdata) continue;
    const i = Array.from(tr.locations).indexOf(code);
    if (i >= 0) return tr.customdata[i][0]; } } return null; }"""


def _server(tmp: Path):
    """A server on a copy of the built store; returns (process, base url, store url)."""
    src = Path(settings.database_url().removeprefix("sqlite:///"))
    if not src.exists():
        pytest.fail(f"the built store is needed ({src}); run `python -m pipeline build`")
    dst = tmp / "store.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    secrets = tmp / "secrets.toml"
    secrets.write_text(f'[rbk_analysts.ana]\nname = "Ana Uji"\npassword_hash = "{hash_password(PASSWORD, 4)}"\n')
    url = f"sqlite:///{dst}"
    saved = {k: os.environ.get(k) for k in ("RBK_DATABASE_URL", "RBK_SECRETS_FILE")}
    os.environ["RBK_DATABASE_URL"] = url
    os.environ["RBK_SECRETS_FILE"] = str(secrets)
    try:
        proc, base = start_server()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return proc, base, url


@pytest.fixture(scope="module")
def served_server(tmp_path_factory, browser_context):
    """A server that has already served Beranda and Peta to another session."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser)")
    proc, base, url = _server(tmp_path_factory.mktemp("served"))
    pg = browser_context.new_page()
    open_app(pg, base)
    open_app(pg, base, "peta")
    pg.close()
    try:
        yield base, url
    finally:
        stop_server(proc)
        store.dispose_all()


@pytest.fixture
def fresh_server(tmp_path):
    """A server nobody has visited: the first request is /unggah."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser)")
    proc, base, url = _server(tmp_path)
    try:
        yield base, url
    finally:
        stop_server(proc)
        store.dispose_all()


@pytest.fixture(params=["served", "fresh"])
def server(request):
    return request.getfixturevalue(f"{request.param}_server")


# --------------------------------------------------------------------------- a person's steps
def settle(page, seconds: float = 5.0) -> None:
    """Wait for the rerun to end, then check the script stays idle for ``seconds``."""
    wait_idle(page)
    for _ in range(int(seconds * 10)):
        assert page.evaluate(SETTLED), "the page started another run without a user action"
        page.wait_for_timeout(100)


def sign_in(page, base: str) -> None:
    open_app(page, base, "unggah")
    page.get_by_label("Nama pengguna").fill("ana")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    wait_idle(page)
    page.wait_for_selector("input[type=file]", state="attached", timeout=30_000)


def choose_file(page, name: str, content: bytes, year: int = 2024) -> None:
    page.set_input_files("input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    wait_idle(page)
    box = page.get_by_label("Tahun data", exact=True).and_(page.locator("input"))
    box.fill(str(year))
    box.press("Enter")
    wait_idle(page)


def choose(page, label: str, option: str, within=None) -> None:
    """Open the selectbox labelled ``label`` (in ``within``, default the page) and click
    ``option``."""
    box = (within or page).get_by_role("combobox", name=label, exact=True)
    for attempt in range(3):  # a rerun that ends just then closes the list: open it again
        wait_idle(page)
        box.locator("xpath=..").get_by_role("button", name="Open").click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except Exception:
            if attempt == 2:
                raise
    wait_idle(page)


def type_into(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def commit(page) -> None:
    page.get_by_text("Saya sudah memeriksa laporan").click()
    wait_idle(page)
    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    page.get_by_text("sekarang aktif").wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_text("sekarang aktif").count() == 1  # one success message
    assert page.get_by_role("button", name="Simpan sebagai versi baru").count() == 0  # no second commit


def make_new(page, column: str, name_id: str, name_en: str, unit: str) -> None:
    choose(page, f"Kolom {column}", "Indikator baru dari kolom ini")
    type_into(page, "Nama (Bahasa Indonesia)", name_id)
    type_into(page, "Nama (Bahasa Inggris)", name_en)
    type_into(page, "Satuan", unit)
    choose(page, "Arah", "makin tinggi makin baik")


def check_shell(page) -> None:
    """The project's navigation (translated titles) and language switch, not Streamlit's list."""
    nav = page.locator("[data-testid='stSidebarNav']")
    assert nav.get_by_text("Unggah Data", exact=True).count() == 1
    assert nav.get_by_text("Data & Metode", exact=True).count() == 1
    assert nav.get_by_text("dashboard", exact=True).count() == 0
    assert page.locator("[data-testid='stSidebar']").get_by_text("Bahasa", exact=True).count() >= 1


def no_errors(page) -> None:
    assert exception_boxes(page) == []
    assert page.page_errors == []


# --------------------------------------------------------------------------- tests
def test_anonymous_cannot_reach_upload_or_rollback(served_server, page):
    base, _ = served_server
    open_app(page, base, "unggah")
    assert page.locator("input[type=file]").count() == 0
    assert page.get_by_text("Masuk sebagai analis").count() >= 1
    assert page.get_by_role("button", name="Kembalikan").count() == 0
    assert page.get_by_role("button", name="Simpan sebagai versi baru").count() == 0
    no_errors(page)


def test_a_catalogue_and_new_column_committed_seen_on_the_map_and_rolled_back(server, page):
    base, url = server
    before = store.series("akses_smp", 2024, url=url)
    sign_in(page, base)
    check_shell(page)
    choose_file(page, "ipm_baru.csv", FILE_A)
    page.get_by_text("Berkas diterima: tidak ada galat.").wait_for(timeout=30_000)
    make_new(page, "kolom_baru", "Kolom baru uji", "New test column", "skor")
    commit(page)
    store.dispose_all()
    assert store.series("akses_smp", 2024, url=url)["35.78.04"] == 60.5
    assert store.series("kolom_baru", 2024, url=url).to_dict() == {"35.78.04": 3.0, "35.78.09": 4.0, "35.78.08": 5.0}
    no_errors(page)
    # the link shows the new indicator's values on the map
    page.get_by_text("Lihat nilai baru di peta").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 666", timeout=60_000)
    wait_idle(page)
    assert page.evaluate(MAP_VALUE, "35.78.08") == pytest.approx(5.0)
    assert page.evaluate(MAP_VALUE, "35.78.04") == pytest.approx(3.0)
    no_errors(page)
    # roll the catalogue column back on the Versions tab
    page.locator("[data-testid='stSidebarNav']").get_by_text("Unggah Data", exact=True).click()
    wait_idle(page)
    page.get_by_role("tab", name="Versi dan pengembalian").click()
    choose(page, "Indikator", "Desa dengan SMP/sederajat dalam jangkauan (akses_smp)",
           within=page.get_by_role("tabpanel"))
    page.get_by_text("Saya yakin ingin mengembalikan").click()
    wait_idle(page)
    page.get_by_role("button", name="Kembalikan").click()
    page.get_by_text("kembali ke versi").wait_for(timeout=30_000)
    settle(page)
    message = page.get_by_text("kembali ke versi").inner_text()
    assert "id " not in message  # no internal ids
    store.dispose_all()
    assert store.series("akses_smp", 2024, url=url).equals(before)
    no_errors(page)


def test_b_only_an_unknown_column_becomes_a_new_indicator(server, page):
    base, url = server
    sign_in(page, base)
    check_shell(page)
    choose_file(page, "inovasi.csv", FILE_B)
    page.get_by_text("Belum ada kolom yang dipetakan").wait_for(timeout=30_000)
    settle(page)  # the mapping stays on screen; no endless reruns
    assert page.get_by_text("Kolom skor_inovasi").count() == 1
    make_new(page, "skor_inovasi", "Skor inovasi", "Innovation score", "skor")
    page.get_by_text("Berkas diterima: tidak ada galat.").wait_for(timeout=30_000)
    commit(page)
    store.dispose_all()
    cat = store.catalogue(url=url)
    assert cat.at["skor_inovasi", "name_en"] == "Innovation score"
    assert store.series("skor_inovasi", 2024, url=url).to_dict() == {"35.78.04": 3.0, "35.78.09": 4.0}
    no_errors(page)


def test_c_only_catalogue_columns(server, page):
    base, url = server
    sign_in(page, base)
    check_shell(page)
    choose_file(page, "smp.csv", FILE_C)
    page.get_by_text("Berkas diterima: tidak ada galat.").wait_for(timeout=30_000)
    changed = page.locator("[data-testid='stMetric']", has_text="Berubah")
    assert changed.locator("[data-testid='stMetricValue']").inner_text().strip() == "3"
    commit(page)
    store.dispose_all()
    after = store.series("akses_smp", 2024, url=url)
    assert after["35.78.04"] == 71.5 and after["35.78.09"] == 72.25 and after["35.78.08"] == 73
    no_errors(page)
