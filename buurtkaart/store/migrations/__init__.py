"""Alembic migrations of the store, run automatically by :func:`open_store`."""
