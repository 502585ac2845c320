"""The store: SQLModel tables, the engine factory, the session scope and queries."""

from roi_tracker.store.db import get_engine, make_engine, session_scope

__all__ = ["get_engine", "make_engine", "session_scope"]
