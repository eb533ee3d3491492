"""Issue 13: no button label is cut ("Tabel indikator (XL…", "Download CSV (Indonesian
Exc…") on the pages with download rows, in either language, at 1440 px and on a phone; the
Beranda's change tables are not cut at 1440 px."""

from __future__ import annotations

import pytest
from browser_harness import wait_idle

pytestmark = pytest.mark.browser

#: Texts of visible buttons and page links whose label (or a part of it) overflows its box.
CUT_LABELS = """() => [...document.querySelectorAll('button, [data-testid=stPageLink] a')]
  .filter(b => b.offsetParent && !b.closest("[data-testid=stSidebar][data-collapsed=true]"))
  .filter(b => [...b.querySelectorAll('p, [data-testid=stMarkdownContainer]')].some(p => p.scrollWidth > p.clientWidth + 1))
  .map(b => b.innerText.trim())"""


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_button_label_is_cut(app_server, browser, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        cut = {}
        for path in ("peta", "bandingkan", "profil"):
            page.goto(
                f"{app_server}/{path}?lang={lang}&kec=35.78.08,35.07.01",
                wait_until="domcontentloaded",
            )
            page.wait_for_selector("[data-testid='stDownloadButton']", timeout=60_000)
            wait_idle(page)
            found = page.evaluate(CUT_LABELS)
            if found:
                cut[path] = found
        assert cut == {}
    finally:
        context.close()


#: Width needed and width shown of every table (glide grid) on the page.
TABLE_WIDTHS = """() => [...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')]
  .map(s => [s.scrollWidth, s.clientWidth])"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_beranda_change_tables_are_not_cut_at_1440(app_server, browser, lang):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        # poverty has two years, so the page shows the change tables
        page.goto(
            f"{app_server}/?lang={lang}&ind=persentase_penduduk_miskin",
            wait_until="domcontentloaded",
        )
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=stDataFrame]').length >= 4",
            timeout=60_000,
        )
        wait_idle(page)
        widths = page.evaluate(TABLE_WIDTHS)
        assert len(widths) >= 4
        assert [w for w in widths if w[0] > w[1] + 1] == []
    finally:
        context.close()
