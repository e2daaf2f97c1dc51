"""One sender per team database: the hub's counterpart of a desk's ``send.lock`` file. It is a
PostgreSQL session advisory lock, so it holds across machines (two hubs started by mistake on
two servers never send the same entry) and is released by the server when the holder's
connection drops, even when the hub was killed with SIGKILL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, text

from agencydesk.store.book import Book
from agencydesk.sync.send_lock import DEFAULT_WAIT_S, SendLock

# Any fixed 64-bit number: the one lock every hub of any team database takes in its own database.
_HUB_SENDER = 7263390215


class TeamSendLock(SendLock):
    def __init__(self, book: Book, *, wait_s: float = DEFAULT_WAIT_S) -> None:
        super().__init__(Path(str(book.path)), wait_s=wait_s)  # the path only names it
        self._book = book
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def try_acquire(self) -> bool:
        if self._conn is not None:
            raise RuntimeError("the team database's send lock is already held by this hub")
        conn = self._book.engine.connect()
        taken = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _HUB_SENDER})
        if not taken.scalar_one():
            conn.close()
            return False
        conn.commit()  # keep the session (and its lock), end the implicit transaction
        self._conn = conn
        return True

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _HUB_SENDER})
            conn.commit()
        finally:
            conn.close()

    def holder(self) -> int | None:
        """The server process of the hub that holds it (a hub on another machine has no pid
        here that would mean anything)."""
        with self._book.engine.connect() as conn:
            found = conn.execute(
                text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                     "AND objid = (:k & 4294967295)::bigint::oid LIMIT 1"),
                {"k": _HUB_SENDER},
            ).scalar()  # fmt: skip
        return int(found) if found is not None else None


class HeldByTheRound(SendLock):
    """What the hub hands its sync engine: the round already holds the team database's send
    lock (``TeamSendLock``) for applying desks' edits and sending them, so the engine takes
    nothing more."""

    def __init__(self, book: Book) -> None:
        super().__init__(Path(str(book.path)))

    @property
    def held(self) -> bool:
        return True

    async def acquire(self) -> None:
        return None

    def try_acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None
