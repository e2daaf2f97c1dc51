"""Tables of the team book (issue 14): the hub's change feed and desks' shipped edits live in the
agency's PostgreSQL database; ``team_state`` lives in a desk's SQLite replica. Both dialects get
every table from the same revisions (an unused table costs nothing), so one schema serves both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agencydesk.store.models import Base

# A BIGINT key is PostgreSQL's bigserial; on SQLite only INTEGER PRIMARY KEY is the rowid alias.
Sequence64 = BigInteger().with_variant(Integer(), "sqlite")


class TeamChangeModel(Base):
    """One record written in the hub's database: which table and id, by which seat. ``seq``
    grows in commit order (the writers' trigger takes one transaction-wide lock first), so a
    desk that has read up to ``seq`` N has every change committed before N's."""

    __tablename__ = "team_changes"
    # Who last wrote a record (services/team/edits._last_writer): newest first (revision 0037).
    __table_args__ = (Index("ix_team_changes_record", "table_name", "record_id", "seq"),)

    seq: Mapped[int] = mapped_column(Sequence64, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool]
    seat: Mapped[str] = mapped_column(String(63))
    changed_at: Mapped[datetime]


class TeamEditModel(Base):
    """A desk's local edit shipped to the hub, once (``origin`` is the desk and its journal id);
    the hub applies it to the book and queues it for the vendor, and writes back the outcome."""

    __tablename__ = "team_edits"
    __table_args__ = (
        UniqueConstraint("origin", name="uq_team_edits_origin"),
        Index("ix_team_edits_state", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Sequence64, primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(String(120))
    seat: Mapped[str] = mapped_column(String(63))
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(BigInteger)  # hub id, or the desk's own for a create
    op: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict[str, Any]]
    values: Mapped[dict[str, Any]]  # the record as the desk holds it after the edit
    seen: Mapped[dict[str, Any] | None]  # the changed fields as the desk saw them before
    # queued | applied | refused | conflict (another change of the same field came first)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    theirs: Mapped[dict[str, Any] | None]  # on a conflict: who, and their values of the fields
    hub_entry: Mapped[int | None] = mapped_column(BigInteger)  # the hub's outbox entry for it
    # Numbers the outcomes a desk must take in (a conflict, a refusal), in commit order.
    outcome_seq: Mapped[int | None] = mapped_column(BigInteger)
    result_id: Mapped[int | None] = mapped_column(BigInteger)  # the hub id a create was given
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]


class TeamStateModel(Base):
    """A desk replica's place in the team book (one row). The database password is not here:
    it lives in the OS keyring like every secret."""

    __tablename__ = "team_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_url: Mapped[str] = mapped_column(String(500))  # without a password
    hub_id: Mapped[str] = mapped_column(String(64))  # which team database this replica copies
    seat: Mapped[str] = mapped_column(String(63))
    desk_id: Mapped[str] = mapped_column(String(64))  # names this desk's shipped edits
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # The outcomes of this desk's edits (``team_edits.outcome_seq``) taken in so far.
    outcomes_after: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    pulled_at: Mapped[datetime | None]


class TeamLinkJournalModel(Base):
    """On a desk: a link decision made here, waiting to be shipped to the hub. ``decision`` is
    ``link``, ``apart`` or ``forget`` (an earlier decision on the pair lifted)."""

    __tablename__ = "team_link_journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    a_kind: Mapped[str] = mapped_column(String(16))
    a_id: Mapped[int]
    b_kind: Mapped[str] = mapped_column(String(16))
    b_id: Mapped[int]
    decision: Mapped[str] = mapped_column(String(8))
    decided_at: Mapped[datetime]


class TeamHubProblemModel(Base):
    """On the hub: an account whose read an unexpected error stopped (the hub rests it and reads
    the others), so every desk can say so; gone once the account reads well again. Seats read
    it (revision 0037 grants it)."""

    __tablename__ = "team_hub_problems"

    account: Mapped[str] = mapped_column(String(120), primary_key=True)
    problem: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime]


TEAM_CHANGES: Table = TeamChangeModel.__table__  # type: ignore[assignment]
TEAM_EDITS: Table = TeamEditModel.__table__  # type: ignore[assignment]
TEAM_STATE: Table = TeamStateModel.__table__  # type: ignore[assignment]
TEAM_LINK_JOURNAL: Table = TeamLinkJournalModel.__table__  # type: ignore[assignment]
TEAM_HUB_PROBLEMS: Table = TeamHubProblemModel.__table__  # type: ignore[assignment]
