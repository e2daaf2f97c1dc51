"""The SQLite offline cache: SQLAlchemy models, queries, migrations."""
