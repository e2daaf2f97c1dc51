"""Tables of record linking (see ``linking.py``): which records of several vendor accounts (and
local ones) are the same person or policy, why, and what the user decided.

Records are named by (kind, local id): a vendor record keeps its local id across re-syncs (the
sync upserts by the vendor's id), so links and decisions survive them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from agencydesk.store.models import Base


class RecordLinkModel(Base):
    """One row per record that is linked to at least one other: its group and why it is in it.
    Records alone in their group have no row."""

    __tablename__ = "record_links"
    __table_args__ = (Index("ix_record_links_group", "group_id"),)

    record_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    record_id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int]
    rule: Mapped[str] = mapped_column(String(32))  # email+name, phone+name, carrier+number, manual
    reason: Mapped[str] = mapped_column(Text, default="")  # the evidence, in words


class LinkDecisionModel(Base):
    """The user's word on a pair of records: ``link`` (linked by hand) or ``apart`` (unlinked, or
    a suggestion rejected). Linking never overrides it. The pair is stored in a fixed order
    (the smaller (kind, id) first)."""

    __tablename__ = "link_decisions"

    a_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    a_id: Mapped[int] = mapped_column(primary_key=True)
    b_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    b_id: Mapped[int] = mapped_column(primary_key=True)
    decision: Mapped[str] = mapped_column(String(8))
    decided_at: Mapped[datetime]


class LinkSuggestionModel(Base):
    """A pair linking found only weak evidence for (spouses share an email): the user confirms
    (a ``link`` decision) or rejects (``apart``). Rebuilt by every linking pass."""

    __tablename__ = "link_suggestions"
    __table_args__ = (Index("ix_link_suggestions_b", "b_kind", "b_id"),)

    a_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    a_id: Mapped[int] = mapped_column(primary_key=True)
    b_kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    b_id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(Text, default="")


class LinkChangeModel(Base):
    """A record whose match keys changed since the last linking pass (written by triggers,
    migration 0031), with the keys it had before: a pass links only the records sharing old or
    new keys with these (``link_changes.py``) and forgets the rows it consumed. ``seq`` only
    grows (AUTOINCREMENT on SQLite), so a pass forgets exactly what it read."""

    __tablename__ = "link_changes"
    __table_args__ = ({"sqlite_autoincrement": True},)

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    record_kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(BigInteger)
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    carrier: Mapped[str | None] = mapped_column(String(200))
    policy_number: Mapped[str | None] = mapped_column(String(120))


RECORD_LINKS: Table = RecordLinkModel.__table__  # type: ignore[assignment]
LINK_DECISIONS: Table = LinkDecisionModel.__table__  # type: ignore[assignment]
LINK_SUGGESTIONS: Table = LinkSuggestionModel.__table__  # type: ignore[assignment]
LINK_CHANGES: Table = LinkChangeModel.__table__  # type: ignore[assignment]
