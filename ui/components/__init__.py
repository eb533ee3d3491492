"""Custom Streamlit components of the dashboard (``st.components.v2``)."""
