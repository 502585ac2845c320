"""Alembic migrations; shipped inside the package as ``roi_tracker.migrations``."""
