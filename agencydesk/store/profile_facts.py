"""Facts about the profile itself, kept in its cache: today its id.

The id is random, made the first time it is asked for, and never changes: the keyring entries of
the profile's accounts are filed under a service named with it, so an account called "LX main" in
one profile and another "LX main" in a second profile keep separate secrets.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from agencydesk.store import ledger_models as lm

if TYPE_CHECKING:
    from agencydesk.store.book import Book

PROFILE_ID = "profile_id"


def profile_id(book: Book) -> str:
    """The profile's id (made now if it has none yet; two processes asking at once agree)."""
    facts = lm.PROFILE_FACTS
    with book.reading() as conn:
        found = conn.execute(select(facts.c.value).where(facts.c.name == PROFILE_ID)).scalar()
    if found:
        return str(found)
    with book.writing() as conn:
        # The team hub's book is on PostgreSQL (its accounts' secrets are filed under its id).
        if conn.dialect.name == "postgresql":  # (its dialect module loads only for the hub)
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt: Any = pg_insert(facts)
        else:
            from sqlalchemy.dialects.sqlite import insert

            stmt = insert(facts)
        conn.execute(
            stmt.values(name=PROFILE_ID, value=uuid.uuid4().hex).on_conflict_do_nothing(
                index_elements=["name"]
            )
        )
        return str(
            conn.execute(select(facts.c.value).where(facts.c.name == PROFILE_ID)).scalar_one()
        )
