"""The dashboard's presentation layer: one pure builder module per page, widgets, state.

Only this package, ``pages/`` and ``dashboard.py`` import streamlit. The data wing
:mod:`ui.data` is the only part that reaches the store, the geography and the analysis
library; the rest of ``ui`` builds tables and figures from what it returns.

- builders: :mod:`ui.overview` (Beranda), :mod:`ui.mapview` and :mod:`ui.maps` (Peta and the
  map figures), :mod:`ui.compare` (Bandingkan), :mod:`ui.disparity` and
  :mod:`ui.disparity_figures` (Ketimpangan), :mod:`ui.profile` and :mod:`ui.report` (Profil
  Kecamatan and its printable report), :mod:`ui.metode` (Data & Metode), :mod:`ui.upload`
  (Unggah Data);
- shared: :mod:`ui.i18n` (the session's language over :mod:`i18n`), :mod:`ui.state`
  (session-state keys and the URL), :mod:`ui.sidebar` (sidebar, footer, the current view),
  :mod:`ui.exports` (CSV/XLSX), :mod:`ui.badges` (the "data ilustrasi" badge),
  :mod:`ui.auth` (analyst sign-in), :mod:`ui.components` (the persistent map element).
"""
