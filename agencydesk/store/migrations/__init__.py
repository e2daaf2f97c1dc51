"""Alembic migrations of the cache schema, run by ``Book.open`` (see ``store/schema.py``)."""
