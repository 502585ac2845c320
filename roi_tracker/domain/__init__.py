"""Pure domain logic: numpy and pandas only; no database, no Streamlit, no I/O."""
