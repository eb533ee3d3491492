"""Streamlit-only helpers of the dashboard.

Only this package and ``pages/`` import streamlit. Modules:

- :mod:`ui.i18n` — translations (``t``) and number formatting;
- :mod:`ui.state` — session-state keys, their defaults and the URL query parameters;
- :mod:`ui.loaders` — the only cached wrappers around ``store`` and ``regions``;
- :mod:`ui.sidebar` — the shared sidebar and footer;
- :mod:`ui.maps` — pure figure builders for maps (data in, Plotly figure out);
- :mod:`ui.exports` — CSV/XLSX bytes with formula neutralisation;
- :mod:`ui.badges` — the "data ilustrasi" badge.
"""
