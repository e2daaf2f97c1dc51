"""Tables of the bookkeeping beside the records (see ``ledgers.py``). No secrets are stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from agencydesk.store.models import Base


class AccountModel(Base):
    __tablename__ = "accounts"

    label: Mapped[str] = mapped_column(String(200), primary_key=True)
    vendor: Mapped[str] = mapped_column(String(32))
    base_url: Mapped[str] = mapped_column(String(500))
    settings: Mapped[dict[str, Any]]
    last_synced_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")


class BookmarkModel(Base):
    """How far a stream of an account has been read (a cursor, a timestamp, a page token)."""

    __tablename__ = "bookmarks"

    account: Mapped[str] = mapped_column(String(200), primary_key=True)
    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class RecordFetchModel(Base):
    """A per-record call made for one parent record (a customer's policies, a lead's notes):
    when, and the parent's change stamp then. Written in the transaction that stores what the
    call brought, so a sync killed anywhere neither loses nor repeats one (migration 0027)."""

    __tablename__ = "record_fetches"

    account: Mapped[str] = mapped_column(String(200), primary_key=True)
    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the vendor's id
    fetched_at: Mapped[datetime]
    version: Mapped[str] = mapped_column(String(64), default="")


class OutboxModel(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_account", "account", "id"),
        Index("ix_outbox_record", "kind", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int]
    remote_id: Mapped[str] = mapped_column(String(200), default="")
    op: Mapped[str] = mapped_column(String(16))
    changes: Mapped[dict[str, Any]]
    base: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(16))
    last_error: Mapped[str] = mapped_column(Text, default="")
    # The changed fields' values when the user changed them (JSON; None: not known), so the team
    # hub can tell an edit made on an old picture of the record (0028).
    seen: Mapped[dict[str, Any] | None]
    # Who changed those fields meanwhile, on a conflict the team hub sent back; "" otherwise.
    raced_by: Mapped[str] = mapped_column(String(63), default="", server_default="")


class QuarantineModel(Base):
    __tablename__ = "quarantine"
    __table_args__ = (Index("ix_quarantine_account", "account", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(200))
    stream: Mapped[str] = mapped_column(String(64))
    remote_id: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    seen_at: Mapped[datetime]
    # When the sync last read it again (by id or in a listing); None: not tried again yet.
    last_tried_at: Mapped[datetime | None]


class ProfileFactModel(Base):
    """Small facts about the profile itself, by name (``profile_facts.py``). No secrets."""

    __tablename__ = "profile_facts"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ImportBatchModel(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(500))
    created: Mapped[int]
    updated: Mapped[int]
    at: Mapped[datetime]
    undone: Mapped[bool] = mapped_column(default=False)


class ImportItemModel(Base):
    """One record an import touched: created (undo deletes it) or updated (undo restores
    ``before``, the full row as it was)."""

    __tablename__ = "import_items"
    __table_args__ = (Index("ix_import_items_batch", "batch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))  # "created" | "updated"
    before: Mapped[dict[str, Any] | None]


class ExportLogModel(Base):
    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))
    rows: Mapped[int]
    path: Mapped[str] = mapped_column(Text)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


ACCOUNTS = _table(AccountModel)
BOOKMARKS = _table(BookmarkModel)
RECORD_FETCHES = _table(RecordFetchModel)
OUTBOX = _table(OutboxModel)
QUARANTINE = _table(QuarantineModel)
PROFILE_FACTS = _table(ProfileFactModel)
IMPORT_BATCHES = _table(ImportBatchModel)
IMPORT_ITEMS = _table(ImportItemModel)
EXPORT_LOG = _table(ExportLogModel)
