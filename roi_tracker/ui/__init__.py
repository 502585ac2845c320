"""Streamlit helpers used only by pages/: cached resources, components, charts."""
