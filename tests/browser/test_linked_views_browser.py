"""Issue 13, linked views in a real browser: brushing the Klassen scatter (a box) or the
Moran scatter (a lasso) with the mouse outlines exactly the brushed regions on the map
beside it, and a click on the map highlights that region's point in the scatter
(GeoDa-style brushing).

The expected regions are read from what the browser drew: each scatter marker's position on
the screen (``path.point``) and its region code (the trace's ``customdata`` in Plotly's
``_fullData``), before the drag; the outlined regions are the ``locations`` of the map's
``selected`` trace after the rerun.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_harness import exception_boxes, open_app, wait_idle

from ui import linked
from ui.i18n import t

pytestmark = pytest.mark.browser

#: The Klassen scatter: every drawn marker as [code, x, y] (screen centre) and the plot area.
SCATTER = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => (g._fullData || [])
    .some(tr => tr.type === 'scatter' && tr.customdata));
  if (!gd) return null;
  const points = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach(group => {
    const cd = group.__data__;
    const trace = cd && cd[0] && cd[0].trace;
    if (!trace || !trace.customdata) return;
    group.querySelectorAll('path.point').forEach(p => {
      const r = p.getBoundingClientRect();
      const custom = trace.customdata[p.__data__.i];
      points.push([String(Array.isArray(custom) ? custom[0] : custom),
                   r.x + r.width / 2, r.y + r.height / 2]);
    });
  });
  const area = gd.querySelector('.nsewdrag').getBoundingClientRect();
  return {points, area: [area.x, area.y, area.width, area.height]};
}"""

#: Codes of the enlarged (selected) points of the Klassen scatter, from ``_fullData``.
ENLARGED = """(size) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => (g._fullData || [])
    .some(tr => tr.type === 'scatter' && tr.customdata));
  if (!gd) return null;
  const codes = [];
  for (const tr of gd._fullData) {
    if (tr.type !== 'scatter' || !tr.customdata || !Array.isArray(tr.marker.size)) continue;
    tr.marker.size.forEach((s, i) => { if (s >= size) codes.push(String(tr.customdata[i][0])); });
  }
  return codes;
}"""

#: Codes outlined on the Klassen map (its ``selected`` trace), or [] when none.
OUTLINED = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => (g._fullData || [])
    .some(tr => tr.type === 'choropleth'));
  if (!gd) return null;
  const sel = gd._fullData.find(tr => tr.name === 'selected');
  return sel ? sel.locations.map(String) : [];
}"""

#: The screen position inside the largest drawn region of the map among ``codes``.
FIND_REGION = """(codes) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => (g._fullData || [])
    .some(tr => tr.type === 'choropleth'));
  const paths = [...gd.querySelectorAll('.choroplethlocation')]
    .filter(p => p.__data__ && p.__data__.loc && codes.includes(p.__data__.loc));
  paths.sort((a, b) => { const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    return rb.width * rb.height - ra.width * ra.height; });
  for (const p of paths) {
    const r = p.getBoundingClientRect();
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    const pt = new DOMPoint(x, y).matrixTransform(p.getScreenCTM().inverse());
    const top = document.elementFromPoint(x, y);
    if (p.isPointInFill(pt) && top && gd.contains(top)) return [p.__data__.loc, x, y];
  }
  return null;
}"""

#: Box candidates as fractions of the plot area (left, top, right, bottom).
BOXES = [(0.6, 0.3, 0.9, 0.8), (0.55, 0.2, 0.85, 0.7), (0.1, 0.5, 0.5, 0.95)]
#: No marker centre this close to the box's edge (the expectation would be ambiguous).
EDGE = 2.0


def _clear(target: float, coords: list[float], lo: float, hi: float) -> float | None:
    """The position nearest ``target`` (within 40 px, inside ``lo``..``hi``) that no
    coordinate comes within :data:`EDGE` of."""
    for offset in sorted(range(-40, 41), key=abs):
        v = target + offset
        if lo < v < hi and all(abs(c - v) >= EDGE for c in coords):
            return v
    return None


def choose_box(points, area):
    """A box over part of the scatter, its edges moved off the markers: at least three
    points inside and three outside; returns the box in screen pixels and the codes inside."""
    x, y, w, h = area
    for fl, ft, fr, fb in BOXES:
        box = [x + fl * w, y + ft * h, x + fr * w, y + fb * h]
        for _ in range(3):
            rows = [px for _, px, py in points if box[1] - EDGE < py < box[3] + EDGE]
            cols = [py for _, px, py in points if box[0] - EDGE < px < box[2] + EDGE]
            edges = [
                _clear(box[0], rows, x, x + w), _clear(box[1], cols, y, y + h),
                _clear(box[2], rows, x, x + w), _clear(box[3], cols, y, y + h),
            ]
            if None in edges:
                break
            if edges == box:
                inside = {c for c, px, py in points
                          if box[0] < px < box[2] and box[1] < py < box[3]}
                if 3 <= len(inside) <= len(points) - 3:
                    return box, inside
                break
            box = edges
    raise AssertionError("no box over part of the scatter with clear edges")


def open_section(page, base, section: str):
    open_app(page, base, "ketimpangan")
    page.get_by_text(t(f"disparity.section.{section}", lang="id"), exact=True).click()
    wait_idle(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .choroplethlocation').length >= 600"
        " && document.querySelectorAll('.js-plotly-plot .scatterlayer path.point').length >= 500",
        timeout=60_000,
    )
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)


def brush_param(url: str) -> set[str]:
    values = parse_qs(urlparse(url).query).get("brush", [""])
    return {c for c in values[0].split(",") if c}


def drag(page, box, tool: str) -> None:
    """Select with the mouse as a person does: a box drag (the scatter's default tool), or
    the lasso chosen in the modebar and drawn around the box."""
    left, top, right, bottom = box
    if tool == "lasso":
        scatter = page.locator(".js-plotly-plot").first
        scatter.hover()
        scatter.locator(".modebar-btn[data-val='lasso']").click()
        page.mouse.move(left, top)
        page.mouse.down()
        for x, y in ((right, top), (right, bottom), (left, bottom), (left, top)):
            page.mouse.move(x, y, steps=12)
        page.mouse.up()
        return
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(right, bottom, steps=12)
    page.mouse.up()


@pytest.mark.parametrize("section, tool", [("klassen", "box"), ("moran", "lasso")])
def test_brushing_a_scatter_outlines_the_same_regions_on_the_map(
    app_server, page, section, tool
):
    open_section(page, app_server, section)
    assert page.evaluate(OUTLINED) == []  # nothing selected yet
    drawn = page.evaluate(SCATTER)
    box, expected = choose_box(drawn["points"], drawn["area"])

    drag(page, box, tool)
    page.wait_for_function(f"() => (({OUTLINED.strip()})() || []).length > 0", timeout=60_000)
    wait_idle(page)

    assert set(page.evaluate(OUTLINED)) == expected
    # the scatter marks the same points (larger, outlined) and the link reproduces it
    assert set(page.evaluate(ENLARGED, linked.SELECTED_SIZE)) == expected
    assert brush_param(page.url) == expected
    assert exception_boxes(page) == [] and page.page_errors == []

    # the other way round: a click on a region of the map highlights its point
    page.locator(".js-plotly-plot").nth(1).scroll_into_view_if_needed()
    in_scatter = sorted({c for c, _, _ in drawn["points"]} - expected)
    code, x, y = page.evaluate(FIND_REGION, in_scatter)
    page.mouse.click(x, y)
    page.wait_for_function(
        f"() => JSON.stringify(({ENLARGED.strip()})({linked.SELECTED_SIZE}))"
        f" === JSON.stringify(['{code}'])",
        timeout=60_000,
    )
    wait_idle(page)
    assert page.evaluate(OUTLINED) == [code]
    assert brush_param(page.url) == {code}
    assert exception_boxes(page) == [] and page.page_errors == []
