"""What autogenerate compares (shared by env.py and the schema drift test)."""

from __future__ import annotations


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate ignores the FTS5 tables (made by ``sqlite_engine``, not by the models)."""
    return not (type_ == "table" and (name or "").startswith("fts_"))
