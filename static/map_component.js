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
  loadPlotly(data.plotly_url).then((Plotly) => {
    return Plotly.react(root, figure.data, figure.layout, config).then(() => {
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
