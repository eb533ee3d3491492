"""The Unggah Data flow in a real browser: an anonymous visitor cannot reach upload or rollback;
an analyst signs in, uploads, sees the report and the preview, commits, sees the new values on
the map, and rolls back.

A server of its own runs on a copy of the built store and a temporary credentials file
(``RBK_SECRETS_FILE``), so the shared store and real secrets are never touched.
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
UPLOAD = b"kode;kecamatan;akses_smp\n35.78.04;Wonokromo;71,5\n35.78.09;Sukolilo;72,25\n35.78.08;Gubeng;73\n"


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make browser)")
    tmp = tmp_path_factory.mktemp("upload_server")
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
    try:
        yield base, url
    finally:
        stop_server(proc)
        store.dispose_all()


def test_anonymous_cannot_reach_upload_or_rollback(upload_server, page):
    base, _ = upload_server
    open_app(page, base, "unggah")
    assert page.locator("input[type=file]").count() == 0
    assert page.get_by_text("Masuk sebagai analis").count() >= 1
    assert page.get_by_role("button", name="Kembalikan").count() == 0
    assert page.get_by_role("button", name="Simpan sebagai versi baru").count() == 0
    assert exception_boxes(page) == []


#: The value the map carries for a kecamatan (``customdata[0]`` of the indicator trace).
MAP_VALUE = """(code) => { for (const gd of document.querySelectorAll('.js-plotly-plot')) {
  for (const tr of (gd.data || [])) { if (!tr.locations || !tr.customdata) continue;
    const i = Array.from(tr.locations).indexOf(code);
    if (i >= 0) return tr.customdata[i][0]; } } return null; }"""


def test_sign_in_upload_preview_commit_map_rollback(upload_server, page):
    base, url = upload_server
    before = store.series("akses_smp", 2024, url=url)
    assert len(before) == 666
    open_app(page, base, "unggah")
    page.get_by_label("Nama pengguna").fill("ana")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    wait_idle(page)
    page.wait_for_selector("input[type=file]", state="attached", timeout=30_000)
    page.set_input_files("input[type=file]", files=[{"name": "smp.csv", "mimeType": "text/csv", "buffer": UPLOAD}])
    wait_idle(page)
    year = page.get_by_label("Tahun data", exact=True).and_(page.locator("input"))
    year.fill("2024")
    year.press("Enter")
    wait_idle(page)
    page.get_by_text("Berkas diterima: tidak ada galat.").wait_for(timeout=30_000)
    # the preview: 3 values changed against the active version
    changed = page.locator("[data-testid='stMetric']", has_text="Berubah")
    assert changed.locator("[data-testid='stMetricValue']").inner_text().strip() == "3"
    page.get_by_text("Saya sudah memeriksa laporan").click()
    wait_idle(page)
    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    wait_idle(page)
    page.get_by_text("sekarang aktif").wait_for(timeout=30_000)
    after = store.series("akses_smp", 2024, url=url)
    assert after["35.78.04"] == 71.5 and after["35.78.09"] == 72.25 and after["35.78.08"] == 73
    # the new values on the map (same session: follow the link)
    page.get_by_text("Lihat nilai baru di peta").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 666", timeout=60_000)
    wait_idle(page)
    assert page.evaluate(MAP_VALUE, "35.78.04") == pytest.approx(71.5)
    assert page.evaluate(MAP_VALUE, "35.78.08") == pytest.approx(73)
    # roll back from the Versions tab
    page.get_by_role("link", name="Unggah Data").first.click()
    wait_idle(page)
    page.get_by_role("tab", name="Versi dan pengembalian").click()
    wait_idle(page)
    page.get_by_text("Saya yakin ingin mengembalikan").click()
    wait_idle(page)
    page.get_by_role("button", name="Kembalikan").click()
    wait_idle(page)
    page.get_by_text("dikembalikan ke versi").wait_for(timeout=30_000)
    store.dispose_all()
    restored = store.series("akses_smp", 2024, url=url)
    assert restored.equals(before)
    assert exception_boxes(page) == []
    assert page.page_errors == []
