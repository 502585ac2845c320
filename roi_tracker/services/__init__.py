"""Use cases: store + domain -> view models. Never imports streamlit."""
