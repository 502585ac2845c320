"""Streamlit helpers used only by app_pages/: cached resources, components, charts."""
