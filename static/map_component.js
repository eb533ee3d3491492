// The persistent map component of the dashboard (see ui/components/plotly_map.py).
// Served by Streamlit's static serving at app/static/map_component.js and imported by the
// component's one-line module, so the code is not resent with every rerun.
function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__rbkPlotlyLoading) {
    window.__rbkPlotlyLoading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.async = true;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => reject(new Error("could not load " + url));
      document.head.appendChild(s);
    });
  }
  return window.__rbkPlotlyLoading;
}

// Below this width (px) the map's title gets a line of its own under Plotly's mode bar.
const NARROW = 720;
const MODE_BAR_HEIGHT = 28;

// Level of detail (`data.lod`, see ui/mapview.py): a map of the whole province draws the overview
// GeoJSON of each layer; zoomed in `lod.zoom` times or more, the display GeoJSON named in
// `lod.detail`. The user's zoom survives reruns (uirevision), so a rerun's figure, which names
// the overview, is given the layer the current zoom needs.
function zoomedIn(root, lod, uirevision) {
  const full = root._fullLayout;
  if (!lod || !full || !full.geo || !root.layout || root.layout.uirevision !== uirevision) {
    return false;
  }
  return full.geo.projection.scale >= lod.zoom;
}

function layerFor(url, lod, detailed) {
  if (!lod || typeof url !== "string") return url;
  if (detailed) return lod.detail[url] || url;
  const overview = Object.keys(lod.detail).find((key) => lod.detail[key] === url);
  return overview || url;
}

function followZoom(Plotly, root) {
  const lod = root.__rbkLod;
  if (!lod) return;
  const detailed = zoomedIn(root, lod, root.layout.uirevision);
  const indices = [];
  const urls = [];
  root.data.forEach((trace, i) => {
    const url = layerFor(trace.geojson, lod, detailed);
    if (url !== trace.geojson) {
      indices.push(i);
      urls.push(url);
    }
  });
  if (indices.length) {
    Plotly.restyle(root, { geojson: urls }, indices).then(() => {
      root.setAttribute("data-detail", detailed ? "display" : "overview");
    });
  }
}

// The first map of a page is painted before Plotly.js has loaded (in a fresh browser Plotly.js
// takes ~0.2 s to run and ~0.15 s to draw, on the page's critical path): the choropleth
// traces as plain SVG paths, with the projection Plotly's `geo` subplot will use for the
// view (Mercator, centred on `geo.center`, the `lonaxis`/`lataxis` ranges fitted into the
// area between the top margin and the legend's rows), and Plotly's own paths replace them
// once it has drawn (benchmarks/map/README.md). Only where that area is known beforehand:
// a view given as ranges, and a legend whose rows can be told for certain.
const SVG_NS = "http://www.w3.org/2000/svg";
let textCanvas = null;
let previewCount = 0;

function mercatorY(lat) {
  return Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
}

// Where Plotly's horizontal legend puts each entry when each is a group of its own (ui/maps.py's
// legend traces), as its legend/draw.js lays them out: an entry takes 40 px (symbol) + its
// text + 5 px, entries go left to right and the next starts a new row where it would pass
// the plot's width (the title, on the left, is not counted).
function legendPlaces(texts, width) {
  let row = 0;
  let x = 0;
  return texts.map((text) => {
    const entry = 45 + text;
    if (x > 0 && x + entry > width) {
      row += 1;
      x = 0;
    }
    const place = { x, row };
    x += entry;
    return place;
  });
}

// Plotly's legend below the map, as it will lay it out: its height (px), the font, the title
// and each entry's place; or null where it cannot be told beforehand: another legend layout,
// the legend's font not loaded yet (Plotly would measure another font), an entry of several
// lines, a row break that would move were each entry's text 0.5 px narrower or 1 px wider
// (the browser's SVG text is up to ~0.5 px wider than the canvas measures it), or a legend
// taller than half the figure (Plotly then makes it scroll).
function legendOf(figure, width) {
  const layout = figure.layout;
  const legend = layout.legend || {};
  const traces = figure.data.filter((t) => t.showlegend);
  if (!traces.length || layout.showlegend === false) return { height: 0, entries: [] };
  const groups = new Set(traces.map((t) => t.legendgroup));
  if (legend.orientation !== "h" || groups.size !== traces.length || groups.has(undefined)) {
    return null;
  }
  const size = (legend.font && legend.font.size) || 12;
  const family = (layout.font && layout.font.family) || "sans-serif";
  const titleSize = Math.round(size * 1.2);
  const names = traces.map((t) => String(t.name || ""));
  const title = String((legend.title && legend.title.text) || "");
  if (!document.fonts.check(size + "px " + family)) return null;
  if (title && !document.fonts.check(titleSize + "px " + family)) return null;
  if (names.concat(title).some((name) => /<br|\n/i.test(name))) return null;
  textCanvas = textCanvas || document.createElement("canvas");
  const ctx = textCanvas.getContext("2d");
  ctx.font = size + "px " + family;
  const texts = names.map((name) => ctx.measureText(name).width);
  const places = legendPlaces(texts, width);
  const rowsOf = (list) => list.map((place) => place.row).join();
  const sure = [-0.5, 1].every(
    (d) => rowsOf(legendPlaces(texts.map((w) => w + d), width)) === rowsOf(places),
  );
  if (!sure) return null;
  ctx.font = titleSize + "px " + family;
  // Plotly's constants: an entry's line is 1.3 font sizes (at least 16 px) + 3, rows are
  // `tracegroupgap` (10) apart, 5 px of padding above and below; the title on the left takes
  // its width + 10 px.
  const line = Math.max(size * 1.3, 16) + 3;
  const gap = legend.tracegroupgap !== undefined ? legend.tracegroupgap : 10;
  const rows = places[places.length - 1].row + 1;
  const height = Math.ceil(
    Math.max(rows * line + (rows - 1) * gap + 10, title ? titleSize * 1.3 + 10 : 0),
  );
  if (height > layout.height / 2) return null;
  return {
    height,
    size,
    family,
    title: title && { text: title, size: titleSize, width: ctx.measureText(title).width + 10 },
    entries: traces.map((trace, i) => ({
      trace,
      name: names[i],
      x: places[i].x,
      y: 5 + line / 2 + places[i].row * (line + gap),  // the middle of the entry's line
    })),
  };
}

// The legend as Plotly draws it (square symbols only; other symbols leave the legend to
// Plotly): at the plot's bottom left, the title at the top left, each entry's symbol
// centred 20 px and its text 40 px after the entry's start.
function paintLegend(legend, left, top) {
  const square = (t) => t.marker && t.marker.symbol === "square" && typeof t.marker.color === "string";
  if (!legend.entries.length || !legend.entries.every((e) => square(e.trace))) return null;
  const g = document.createElementNS(SVG_NS, "g");
  g.setAttribute("class", "rbk-map-preview-legend");
  g.setAttribute("transform", `translate(${left},${top})`);
  const text = (content, x, y, size) => {
    const node = document.createElementNS(SVG_NS, "text");
    node.textContent = content;
    node.setAttribute("x", x);
    node.setAttribute("y", y);
    node.setAttribute("fill", "#444");
    node.style.font = size + "px " + legend.family;
    node.style.whiteSpace = "pre";
    return node;
  };
  const offset = legend.title ? legend.title.width : 0;
  if (legend.title) {
    const title = text(legend.title.text, 2, legend.title.size * 1.3, legend.title.size);
    title.setAttribute("class", "rbk-map-preview-legend-title");
    g.appendChild(title);
  }
  for (const entry of legend.entries) {
    const marker = entry.trace.marker;
    const half = (marker.size || 12) / 2;
    const symbol = document.createElementNS(SVG_NS, "rect");
    const box = { x: offset + entry.x + 20 - half, y: entry.y - half, width: 2 * half, height: 2 * half };
    Object.entries(box).forEach(([name, v]) => symbol.setAttribute(name, v));
    symbol.setAttribute("fill", marker.color);
    symbol.setAttribute("stroke", (marker.line && marker.line.color) || "#444");
    symbol.setAttribute("stroke-width", marker.line && marker.line.width !== undefined ? marker.line.width : 0);
    // Plotly puts a line's baseline 0.3 of its height (1.3 font sizes) below its middle.
    const label = text(entry.name, offset + entry.x + 40, entry.y + 0.3 * legend.size * 1.3, legend.size);
    const item = document.createElementNS(SVG_NS, "g");
    item.setAttribute("class", "rbk-map-preview-legend-entry");
    item.append(symbol, label);
    g.appendChild(item);
  }
  return g;
}

// A colorscale of steps (each colour held over its interval), as the maps' classes use: the
// first paint gives a value its step's colour; any other scale is left to Plotly.
function stepped(scale) {
  return Array.isArray(scale) && scale.length > 0 && scale.every(
    ([at, colour], i) => i === scale.length - 1 ||
      colour === scale[i + 1][1] || at === scale[i + 1][0],
  );
}

// The colour Plotly gives `value` on the trace's stepped colorscale (between zmin and zmax).
function colourOf(trace, value) {
  const scale = trace.colorscale;
  const lo = trace.zmin !== undefined ? trace.zmin : 0;
  const hi = trace.zmax !== undefined ? trace.zmax : 1;
  const t = Math.min(1, Math.max(0, hi > lo ? (value - lo) / (hi - lo) : 0));
  let i = 0;
  while (i < scale.length - 1 && scale[i + 1][0] <= t) i++;
  return scale[i][1];
}

function ringsPath(rings, project) {
  let d = "";
  for (const ring of rings) {
    ring.forEach((point, i) => {
      const [x, y] = project(point);
      d += (i ? "L" : "M") + x.toFixed(2) + "," + y.toFixed(2);
    });
    d += "Z";
  }
  return d;
}

function featurePath(geometry, project) {
  if (!geometry) return "";
  if (geometry.type === "Polygon") return ringsPath(geometry.coordinates, project);
  if (geometry.type === "MultiPolygon") {
    return geometry.coordinates.map((polygon) => ringsPath(polygon, project)).join("");
  }
  return "";
}

async function geojsonOf(url) {
  const prefetched = window.__rbkPrefetched && window.__rbkPrefetched[url];
  const response = (prefetched && (await prefetched)) || (await fetch(url));
  const geojson = await response.clone().json();
  const byId = new Map();
  for (const feature of geojson.features || []) byId.set(String(feature.id), feature);
  return byId;
}

async function paintPreview(root, figure, width, current) {
  const layout = figure.layout;
  const geo = layout.geo || {};
  if (geo.fitbounds || !geo.center || !geo.lonaxis || !geo.lataxis) return false;
  const margin = layout.margin || {};
  const legend = legendOf(figure, width - (margin.l || 0) - (margin.r || 0));
  if (legend === null) return false;
  const traces = figure.data.filter((t) => t.type === "choropleth" && typeof t.geojson === "string");
  if (!traces.every((t) => stepped(t.colorscale))) return false;
  const layers = await Promise.all(traces.map((t) => geojsonOf(t.geojson)));
  if ((window.Plotly && root._fullLayout) || !current()) return false;  // too late
  const left = margin.l || 0;
  const top = margin.t || 0;
  const areaW = width - left - (margin.r || 0);
  const areaH = layout.height - top - Math.max(margin.b || 0, legend.height);
  const [lon0, lon1] = geo.lonaxis.range;
  const [lat0, lat1] = geo.lataxis.range;
  const k = Math.min(
    areaW / (((lon1 - lon0) * Math.PI) / 180),
    areaH / Math.abs(mercatorY(lat1) - mercatorY(lat0)),
  );
  const cx = left + areaW / 2;
  const cy = top + areaH / 2;
  const y0 = mercatorY(geo.center.lat);
  const project = ([lon, lat]) => [
    cx + (k * (lon - geo.center.lon) * Math.PI) / 180,
    cy - k * (mercatorY(lat) - y0),
  ];
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "rbk-map-preview");
  svg.setAttribute("width", width);
  svg.setAttribute("height", layout.height);
  svg.style.cssText = "position:absolute;left:0;top:0;pointer-events:none";
  // Plotly clips the regions to the view's box (a region reaching out of a zoomed view).
  const [xa, ya] = project([lon0, lat0]);
  const [xb, yb] = project([lon1, lat1]);
  const clip = document.createElementNS(SVG_NS, "clipPath");
  clip.id = "rbk-map-preview-clip-" + (previewCount += 1);
  const box = document.createElementNS(SVG_NS, "rect");
  const corner = { x: Math.min(xa, xb), y: Math.min(ya, yb) };
  const extent = { width: Math.abs(xb - xa), height: Math.abs(yb - ya) };
  Object.entries({ ...corner, ...extent }).forEach(([name, v]) => box.setAttribute(name, v));
  clip.appendChild(box);
  svg.appendChild(clip);
  const regions = document.createElementNS(SVG_NS, "g");
  regions.setAttribute("clip-path", `url(#${clip.id})`);
  svg.appendChild(regions);
  traces.forEach((trace, i) => {
    const line = (trace.marker && trace.marker.line) || {};
    const group = document.createElementNS(SVG_NS, "g");
    group.setAttribute("stroke", line.color || "#444");
    group.setAttribute("stroke-width", line.width !== undefined ? line.width : 1);
    (trace.locations || []).forEach((code, j) => {
      const feature = layers[i].get(String(code));
      const value = trace.z ? trace.z[j] : 0;
      if (!feature || value === null || value === undefined || Number.isNaN(value)) return;
      const path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("d", featurePath(feature.geometry, project));
      path.setAttribute("fill", colourOf(trace, value));
      path.setAttribute("data-code", code);
      group.appendChild(path);
    });
    regions.appendChild(group);
  });
  const title = layout.title;
  if (title && title.text) {
    // Where Plotly puts its baseline: above the map (`y: 1`, anchored at its bottom) on a
    // narrow screen, else in the middle of the top margin; at `x` of the width, from the left.
    const text = document.createElementNS(SVG_NS, "text");
    const narrow = title.yanchor === "bottom";
    text.textContent = title.text;
    text.setAttribute("x", (title.x !== undefined ? title.x : 0.5) * width);
    text.setAttribute("y", narrow ? top - ((title.pad && title.pad.b) || 0) : top / 2);
    text.setAttribute("fill", "#444");
    text.style.font = ((title.font && title.font.size) || 17) + "px " +
      ((layout.font && layout.font.family) || "sans-serif");
    svg.appendChild(text);
  }
  const legendPaint = paintLegend(legend, left, top + areaH);
  if (legendPaint) svg.appendChild(legendPaint);
  root.style.position = "relative";
  root.querySelectorAll(".rbk-map-preview").forEach((old) => old.remove());
  root.appendChild(svg);
  return true;
}

// `data`: the component's data, sent as compact JSON in bytes (smaller than Streamlit's own
// JSON) and decoded by the one-line module.
export default function (component, data) {
  const { parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".rbk-plotly-map");
  if (!root) {
    root = document.createElement("div");
    root.className = "rbk-plotly-map";
    root.setAttribute("data-testid", "rbkPlotlyMap");
    parentElement.appendChild(root);
  }
  // Fetch the GeoJSON and topojson files while Plotly.js loads and compiles (Plotly asks for
  // them only after it has started); the browser then serves Plotly's requests from its cache.
  for (const url of data.prefetch || []) {
    window.__rbkPrefetched = window.__rbkPrefetched || {};
    if (!window.__rbkPrefetched[url]) {
      window.__rbkPrefetched[url] = fetch(url).catch(() => null);
    }
  }
  // Long lists (region codes, hover columns) and the config are sent once per session and
  // referenced by key afterwards.
  window.__rbkShared = window.__rbkShared || {};
  Object.assign(window.__rbkShared, data.shared || {});
  const figure = data.figure;
  let missing = false;
  const resolve = (key) => {
    const value = window.__rbkShared[key];
    if (!value) missing = true;
    return value;
  };
  const config = resolve(data.config);
  for (const trace of figure.data) {
    if (trace._loc) {
      trace.locations = resolve(trace._loc);
      delete trace._loc;
    }
    if (trace._cd) {
      trace._cd = trace._cd.map((col) => (typeof col === "string" ? resolve(col) : col));
    }
  }
  if (missing) {
    setTriggerValue("missing", Date.now());  // Python resends the lists
    return;
  }
  for (const trace of figure.data) {
    if (trace._cd) {  // hover data sent as columns: back to one row per region
      const cols = trace._cd;
      trace.customdata = cols[0].map((_, i) => cols.map((col) => col[i]));
      delete trace._cd;
    }
  }
  // East Java is wide: on a narrow screen (a phone) a full-height map would be mostly
  // empty, so the height follows the width (at least 300 px, at most the figure's height).
  const fullHeight = figure.layout.height || 600;
  const width = root.clientWidth || parentElement.clientWidth || 0;
  figure.layout.height = width ? Math.round(Math.min(fullHeight, Math.max(300, width * 0.85))) : fullHeight;
  root.style.height = figure.layout.height + "px";
  // A touch screen shows Plotly's mode bar all the time, at the top right: on a narrow
  // screen it would cover the end of the title, which then goes on its own line below it.
  const title = figure.layout.title;
  if (width && width < NARROW && title && title.text) {
    const margin = figure.layout.margin || {};
    figure.layout.margin = Object.assign({}, margin, { t: (margin.t || 0) + MODE_BAR_HEIGHT });
    figure.layout.title = Object.assign({}, title, {
      y: 1, yref: "paper", yanchor: "bottom", pad: { b: 4 },
    });
  }
  root.setAttribute("data-revision", data.revision);
  root.__rbkLod = data.lod || null;
  const detailed = zoomedIn(root, root.__rbkLod, figure.layout.uirevision);
  for (const trace of figure.data) {
    if (typeof trace.geojson === "string") {
      trace.geojson = layerFor(trace.geojson, root.__rbkLod, detailed);
    }
  }
  // Before Plotly.js has come, paint the preview first and let the browser show it, then
  // start Plotly.js (whose run would otherwise hold the paint back). A call that a later
  // one (a rerun while Plotly.js loads) has overtaken neither paints nor draws.
  const call = (root.__rbkCalls = (root.__rbkCalls || 0) + 1);
  const current = () => call === root.__rbkCalls;
  const previewed = window.Plotly || !width
    ? Promise.resolve(false)
    : paintPreview(root, figure, width, current).catch((err) => {
      console.warn("map preview:", err);  // Plotly draws the map all the same
      return false;
    });
  previewed.then((painted) => {
    if (painted) return new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  }).then(() => loadPlotly(data.plotly_url)).then((Plotly) => {
    if (!current()) return;
    return Plotly.react(root, figure.data, figure.layout, config).then(() => {
      root.querySelectorAll(".rbk-map-preview").forEach((old) => old.remove());
      root.setAttribute("data-drawn", data.revision);
      if (root.__rbkLod) root.setAttribute("data-detail", detailed ? "display" : "overview");
      else root.removeAttribute("data-detail");
      if (!root.__rbkBound) {
        root.__rbkBound = true;
        root.on("plotly_relayout", () => followZoom(Plotly, root));
        root.on("plotly_click", (event) => {
          const point = event && event.points && event.points[0];
          if (point && point.location) {
            setTriggerValue("clicked", { code: String(point.location), at: Date.now() });
          }
        });
      }
    });
  }).catch((err) => {
    root.textContent = String(err);
    console.error(err);
  });
}
