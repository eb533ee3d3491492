"""The desa drill-down of Profil Kecamatan in a real browser: a person chooses a kecamatan in
the box, the map of its desa is drawn (one filled path per desa and kelurahan of
``regions.desa()``), and the downloaded report carries the same desa as an inline SVG."""

from __future__ import annotations

import re

import pytest
from browser_harness import exception_boxes, open_app, wait_idle

import regions
from i18n import translate as t
from ui import maps

PACITAN = "35.01.04"  # 20 desa and 5 kelurahan

#: The filled paths of the desa map: every choropleth location whose fill is not the
#: transparent fill of the kecamatan outline, with its colour.
DESA_PATHS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const out = [];
  for (const plot of plots) {
    for (const p of plot.querySelectorAll('.choroplethlocation')) {
      const fill = getComputedStyle(p).fill;
      const opacity = getComputedStyle(p).fillOpacity;
      if (fill !== 'rgba(0, 0, 0, 0)' && opacity !== '0') out.push(fill);
    }
  }
  return out;
}"""


#: Screen position inside a drawn desa with an IDM status (a 35.xx.xx.2xxx code whose path
#: is filled), and its code.
DESA_ON_MAP = """() => {
  const paths = [...document.querySelectorAll('.js-plotly-plot .choroplethlocation')]
    .filter(p => p.__data__ && /^35\\.\\d\\d\\.\\d\\d\\.2\\d{3}$/.test(p.__data__.loc));
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


def _rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))


@pytest.mark.usefixtures("app_server")
def test_choosing_a_kecamatan_draws_its_desa_map(page, app_server):
    want = regions.desa(PACITAN)
    n_kelurahan = int((want["jenis"] == "kelurahan").sum())
    assert len(want) == 25 and n_kelurahan == 5
    open_app(page, app_server, "profil")
    box = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first
    box.click()
    page.keyboard.type("Pacitan — Kabupaten Pacitan")
    page.get_by_role("option", name=re.compile(re.escape(f"({PACITAN} "))).first.click()
    page.wait_for_function(f"() => ({DESA_PATHS})().length >= {len(want)}", timeout=60_000)
    wait_idle(page)
    fills = page.evaluate(DESA_PATHS)
    assert len(fills) == len(want)
    assert fills.count(_rgb(maps.NOT_APPLICABLE_COLOR)) == n_kelurahan
    assert set(fills) - {_rgb(maps.NOT_APPLICABLE_COLOR)} <= {
        _rgb(c) for c in maps.IDM_STATUS_COLORS.values()
    }
    assert f"kec={PACITAN}" in page.url
    # hovering a desa names it, with its status in words and its IDM
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    code, x, y = page.evaluate(DESA_ON_MAP)
    page.mouse.move(x, y)
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(timeout=10_000)
    text = hover.text_content()
    name = want.set_index("kode").at[code, "nama"]
    assert name in text and "IDM: 0," in text, text
    assert any(t(f"profile.status.s{i}", "id") in text for i in range(1, 6)), text
    # the report of the same choice carries the desa as an inline SVG map
    button = page.get_by_role("button", name=re.compile("Unduh laporan"))
    with page.expect_download(timeout=60_000) as info:
        button.first.click()
    html = open(info.value.path(), encoding="utf-8").read()
    svg = re.search(r'<svg [^>]*class="desa-map".*?</svg>', html, re.S).group(0)
    assert sorted(re.findall(r'data-kode="([^"]+)"', svg)) == sorted(want["kode"])
    assert exception_boxes(page) == []
    assert page.page_errors == [] and page.console_errors == []
