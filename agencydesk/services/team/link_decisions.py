"""The team's link decisions (issue 11 on a team book, issue 14): a person's word that two
records are one person, or are not, made on any desk, holds on every desk.

A desk journals each decision it makes (``team_link_journal``, written by ``LinkBook`` in the
same transaction as the decision) and ships it with its edits; the hub applies it to the team's
``link_decisions`` and links the book again, which every desk follows. At each pull a desk copies
the team's decisions, with its own not yet shipped laid over them, and links its replica again
when they changed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select
from sqlalchemy.exc import DBAPIError

from agencydesk.store import link_models as lk
from agencydesk.store.team_models import TEAM_EDITS, TEAM_LINK_JOURNAL

log = logging.getLogger(__name__)

KIND = "link"  # team_edits.kind of a shipped link decision
_PAIR = ("a_kind", "a_id", "b_kind", "b_id")


def ship(hub: Connection, desk: Connection, desk_id: str, seat: str) -> list[int]:
    """Ship this desk's journalled decisions; returns the journal ids shipped (the caller lets
    them go once the hub's transaction committed). Once per decision: the origin names it."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    shipped: list[int] = []
    for row in desk.execute(select(TEAM_LINK_JOURNAL).order_by(TEAM_LINK_JOURNAL.c.id)):
        made = int(row.decided_at.replace(tzinfo=UTC).timestamp() * 1_000_000)
        hub.execute(
            pg_insert(TEAM_EDITS)
            .values(
                origin=f"{desk_id}:link{row.id}:{made}",
                seat=seat,
                kind=KIND,
                record_id=0,
                op=row.decision,
                changes={name: getattr(row, name) for name in _PAIR},
                values={},
                state="queued",
                error="",
                created_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing(constraint="uq_team_edits_origin")
        )
        shipped.append(int(row.id))
    return shipped


def forget_shipped(desk: Connection, journal_ids: list[int]) -> None:
    if journal_ids:
        desk.execute(delete(TEAM_LINK_JOURNAL).where(TEAM_LINK_JOURNAL.c.id.in_(journal_ids)))


def apply(conn: Connection, decision: str, pair: dict[str, Any]) -> None:
    """One decision into ``link_decisions`` (the hub's, or a desk's copy): ``forget`` lifts the
    pair's decision, ``link``/``apart`` replaces it."""
    table = lk.LINK_DECISIONS
    where = and_(*(table.c[name] == pair[name] for name in _PAIR))
    conn.execute(delete(table).where(where))
    if decision in ("link", "apart"):
        conn.execute(
            insert(table).values(
                **{name: pair[name] for name in _PAIR},
                decision=decision,
                decided_at=datetime.now(UTC),
            )
        )


def copy_team_decisions(hub: Connection, desk: Connection, desk_id: str) -> bool:
    """The team's decisions, with this desk's own over them: those shipped that the hub has not
    applied yet, then those not shipped. True when the desk's decisions changed (its replica is
    then linked again). A decision made here thus holds here from the moment it is made; it
    never goes off between its push and the hub taking it (the same pull reads the team's
    decisions and the shipped ones' state, in one snapshot)."""
    table = lk.LINK_DECISIONS
    columns = [table.c[name] for name in (*_PAIR, "decision")]
    try:
        with hub.begin_nested():
            team = {tuple(r) for r in hub.execute(select(*columns))}
            shipped = hub.execute(
                select(TEAM_EDITS.c.op, TEAM_EDITS.c.changes)
                .where(
                    TEAM_EDITS.c.state == "queued",
                    TEAM_EDITS.c.kind == KIND,
                    TEAM_EDITS.c.origin.like(f"{desk_id}:link%"),
                )
                .order_by(TEAM_EDITS.c.id)
            ).all()
    except DBAPIError as exc:  # a seat added before decisions were shared cannot read them
        log.warning("the team's link decisions cannot be read (%s): keeping this desk's", exc)
        return False
    before = {tuple(r) for r in desk.execute(select(*columns))}
    wanted = dict.fromkeys(team)
    desk.execute(delete(table))
    now = datetime.now(UTC)
    if wanted:
        desk.execute(
            insert(table),
            [dict(zip((*_PAIR, "decision"), row, strict=True), decided_at=now) for row in wanted],
        )
    for decision, pair in shipped:
        apply(desk, decision, dict(pair))
    for row in desk.execute(select(TEAM_LINK_JOURNAL).order_by(TEAM_LINK_JOURNAL.c.id)).all():
        apply(desk, row.decision, {name: getattr(row, name) for name in _PAIR})
    after = {tuple(r) for r in desk.execute(select(*columns))}
    return after != before
