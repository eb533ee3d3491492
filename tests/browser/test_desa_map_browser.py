"""The desa/kelurahan map in a real browser: level and kabupaten chosen through the sidebar
widgets draw that kabupaten's desa paths; a click on a desa selects it (URL, outline,
summary)."""

from __future__ import annotations

import pytest
from browser_harness import exception_boxes, open_app, wait_idle

import regions

pytestmark = pytest.mark.browser

KAB = "35.09"

#: The screen position of a desa path's interior (its bounding-box centre when that point is
#: inside the polygon), largest paths first; ``allowed`` limits the candidates.
FIND_DESA = """(allowed) => {
  const paths = [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
    .filter(p => p.__data__ && allowed.includes(p.__data__.loc));
  paths.sort((a, b) => { const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    return rb.width * rb.height - ra.width * ra.height; });
  for (const p of paths) {
    const r = p.getBoundingClientRect();
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    const pt = new DOMPoint(x, y).matrixTransform(p.getScreenCTM().inverse());
    if (p.isPointInFill(pt)) return [p.__data__.loc, x, y];
  }
  return null;
}"""

DESA_CODES = """() => [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
  .map(p => p.__data__ && p.__data__.loc).filter(c => c && /^35\\.\\d\\d\\.\\d\\d\\.\\d{4}$/.test(c))"""


def choose(page, index: int, text: str) -> None:
    """Pick ``text`` in the sidebar's ``index``-th selectbox, typing to narrow the list."""
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(index).click()
    page.keyboard.type(text)
    page.locator("[role='option']").filter(has_text=text).first.click()
    wait_idle(page)


def test_choose_desa_level_and_kabupaten_then_click_a_desa(app_server, page):
    desa = regions.desa()
    desa = desa[desa["kab_kode"] == KAB]
    name = regions.kabupaten().set_index("kode").loc[KAB, "nama"]
    open_app(page, app_server, "peta")
    choose(page, 0, "Desa/kelurahan")
    page.wait_for_function("() => window.location.search.includes('level=desa')", timeout=30_000)
    choose(page, 1, name)
    page.wait_for_function(f"() => window.location.search.includes('kab={KAB}')", timeout=30_000)
    page.wait_for_function(
        f"() => ({DESA_CODES})().filter(c => c.startsWith('{KAB}.')).length >= {len(desa)}",
        timeout=60_000,
    )
    codes = page.evaluate(DESA_CODES)
    assert set(codes) == set(desa["kode"])  # this kabupaten's desa, and only them

    candidates = desa.loc[desa["jenis"] == "desa", "kode"].tolist()
    code, x, y = page.evaluate(FIND_DESA, candidates)
    page.mouse.click(x, y)
    page.wait_for_function(f"() => window.location.search.includes('desa={code}')", timeout=30_000)
    wait_idle(page)
    # outlined on the map (its own path and the selection outline) and summarised beside it
    page.wait_for_function(
        f"() => ({DESA_CODES})().filter(c => c === '{code}').length >= 2", timeout=30_000
    )
    row = desa.set_index("kode").loc[code]
    assert page.get_by_text(row["nama"], exact=True).first.is_visible()
    assert page.get_by_text(f"Kec. {row['kec_nama']}", exact=False).first.is_visible()
    assert exception_boxes(page) == [] and page.console_errors == []
    # and opens the profile of its kecamatan
    page.get_by_role("button", name="Buka profil kecamatannya").click()
    page.wait_for_function(
        f"() => window.location.pathname.endsWith('/profil')"
        f" && window.location.search.includes('kec={row['kec_kode']}')",
        timeout=30_000,
    )
    wait_idle(page)
    assert exception_boxes(page) == [] and page.console_errors == []
