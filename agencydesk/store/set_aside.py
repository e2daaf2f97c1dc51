"""The set-aside list (``quarantine``) inside a sync transaction: a payload that cannot be read is
added once per vendor id and, when met again still unreadable, only has its payload, reason and
"last tried" time refreshed; a record read correctly leaves the list in the same transaction
that stores it (``Ledgers.store_page``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from agencydesk.domain import Record
from agencydesk.store import ledger_models as lm

_QUARANTINE = lm.QUARANTINE


def set_aside(
    conn: Connection,
    account: str,
    stream: str,
    items: Sequence[tuple[str, str, str]],  # (remote_id, payload, reason)
    now: datetime,
) -> None:
    q = _QUARANTINE
    for remote_id, raw_payload, raw_reason in items:
        # What could not be read may hold what the book cannot store (a NUL, on PostgreSQL):
        # the list keeps it escaped, so setting it aside cannot fail the page.
        payload, reason = _escaped(raw_payload), _escaped(raw_reason)
        if remote_id:
            found = conn.execute(
                update(q)
                .where(q.c.account == account, q.c.stream == stream, q.c.remote_id == remote_id)
                .values(payload=payload, reason=reason, last_tried_at=now)
            ).rowcount
            if found:
                continue
        conn.execute(
            insert(q).values(
                account=account,
                stream=stream,
                remote_id=remote_id,
                payload=payload,
                reason=reason,
                seen_at=now,
                last_tried_at=None,
            )
        )


def _escaped(text: str) -> str:
    if text.isascii() and "\x00" not in text:
        return text
    return text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")


def read_again(conn: Connection, account: str, stream: str, records: Sequence[Record]) -> int:
    """Entries of ``stream`` whose record is now read correctly leave the list; how many."""
    q = _QUARANTINE
    ids = {r.provenance.remote_id for r in records if r.provenance.remote_id}
    if not ids:
        return 0
    waiting = set(
        conn.execute(
            select(q.c.remote_id).where(q.c.account == account, q.c.stream == stream)
        ).scalars()
    )
    healed = sorted(waiting & ids)
    if not healed:
        return 0
    conn.execute(
        delete(q).where(q.c.account == account, q.c.stream == stream, q.c.remote_id.in_(healed))
    )
    return len(healed)


def listing_complete(conn: Connection, account: str, stream: str) -> None:
    """A full listing of the stream read every record correctly: whatever of it was set aside
    has been read since (even one whose id itself was unreadable, so never matched by id)."""
    q = _QUARANTINE
    conn.execute(delete(q).where(q.c.account == account, q.c.stream == stream))
