"""What autogenerate compares (shared by env.py and the schema drift tests)."""

from __future__ import annotations


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate ignores the search indexes, which are made by the search modules, not by
    the models: SQLite's FTS5 tables (``sqlite_engine``) and PostgreSQL's GIN expression
    indexes (``pg_search``, revision 0029)."""
    if type_ == "table" and (name or "").startswith("fts_"):
        return False
    return not (type_ == "index" and reflected and (name or "").endswith("_search"))
