"""SQLAlchemy models: one table per record kind, typed columns for every field of the domain
records plus provenance, sync state, times and the vendor's raw payload.

Nothing here is SQLite-specific, so the same models can run on PostgreSQL; SQLite-only pieces
(pragmas, FTS5) live in ``sqlite_engine``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC instants; stored naive UTC (SQLite has no time zones), returned aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: instants must be timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# Money in cents: PostgreSQL's integer keeps 2**31 - 1 cents ($21,474,836.47), less than one
# commercial policy or a customer's total; its bigint keeps any amount. SQLite's INTEGER is
# already 64-bit, so a desk's schema stays as it was (migration 0039).
Cents = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy's declared configuration
        datetime: UTCDateTime(),
        date: Date(),
        dict[str, Any]: JSON(),
        dict[str, Any] | None: JSON(),
        list[str]: JSON(),
    }


class RecordColumns:
    """Columns every record table has. ``remote_id`` is NULL for local records so the unique
    (vendor, account, remote_id) constraint only binds vendor records (on SQLite and PostgreSQL)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor: Mapped[str] = mapped_column(String(32), default="local")
    account: Mapped[str] = mapped_column(String(200), default="")
    remote_id: Mapped[str | None] = mapped_column(String(200))
    sync_state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    raw: Mapped[dict[str, Any]]


class PersonColumns:
    first_name: Mapped[str] = mapped_column(String(200), default="")
    last_name: Mapped[str] = mapped_column(String(200), default="")
    business_name: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    street: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    zip_code: Mapped[str] = mapped_column(String(20), default="")
    producer: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list[str]]
    # "last first" or the business name, lower-cased: the Customers tab's order, read off an index.
    sort_name: Mapped[str] = mapped_column(String(400), default="")
    held_in: Mapped[str] = mapped_column(String(200), default="", server_default="")  # linking.py
    link_hidden: Mapped[bool] = mapped_column(default=False, server_default="0")  # linking.py


class LeadRow(RecordColumns, PersonColumns, Base):
    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("vendor", "account", "remote_id", name="uq_leads_remote"),
        # The Held in filter and its count off the index alone. (held_in first: SQLite must not
        # take it for the link_hidden = 0 every list has, which would sort the whole table.)
        Index("ix_leads_shown", "held_in", "link_hidden"),
        Index("ix_leads_created", "created_at", "id"),
        Index("ix_leads_name", "sort_name", "id"),
        Index("ix_leads_status", "status"),
        Index("ix_leads_stage", "stage"),
        Index("ix_leads_stage_group", "stage_group"),
        Index("ix_leads_source", "source"),
        Index("ix_leads_producer", "producer"),
        Index("ix_leads_x_date", "x_date"),
    )

    status: Mapped[str] = mapped_column(String(16))
    pipeline: Mapped[str] = mapped_column(String(120), default="")
    stage: Mapped[str] = mapped_column(String(120), default="")
    # Our stage (domain.LeadStage) for the vendor's stage and status: domain/stages.py.
    stage_group: Mapped[str] = mapped_column(String(16), default="", server_default="")
    source: Mapped[str] = mapped_column(String(120), default="")
    x_date: Mapped[date | None]
    quoted_premium_cents: Mapped[int | None] = mapped_column(Cents)
    # The customer (any vendor's) this lead is already: set by linking.py, read by the Leads tab.
    customer_link: Mapped[int | None]


class CustomerRow(RecordColumns, PersonColumns, Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("vendor", "account", "remote_id", name="uq_customers_remote"),
        Index("ix_customers_shown", "held_in", "link_hidden"),
        Index("ix_customers_name", "sort_name", "id"),
        Index("ix_customers_household", "household"),
        Index("ix_customers_producer", "producer"),
        Index("ix_customers_created", "created_at"),
        Index("ix_customers_policy_count", "policy_count", "id"),
        Index("ix_customers_premium", "total_premium_cents", "id"),
    )

    birth_date: Mapped[date | None]
    household: Mapped[str] = mapped_column(String(120), default="")
    customer_since: Mapped[date | None]
    # All policies, and the premium of the active ones: kept current by totals.py.
    policy_count: Mapped[int] = mapped_column(default=0, server_default="0")
    total_premium_cents: Mapped[int] = mapped_column(Cents, default=0, server_default="0")


class PolicyRow(RecordColumns, Base):
    __tablename__ = "policies"
    __table_args__ = (
        UniqueConstraint("vendor", "account", "remote_id", name="uq_policies_remote"),
        # (link_hidden too: customers' totals count each copy once off the index alone.)
        Index("ix_policies_customer", "customer_id", "status", "premium_cents", "link_hidden"),
        Index("ix_policies_expiration", "expiration_date", "id"),
        Index("ix_policies_carrier", "carrier"),
        Index("ix_policies_line", "line_of_business"),
        # Covers the renewal filter and its per-producer counts without touching the rows
        # (in force by date and one row per linked group: effective_date and link_hidden).
        Index(
            "ix_policies_renewal",
            "status",
            "expiration_date",
            "producer",
            "link_hidden",
            "effective_date",
        ),
        Index("ix_policies_producer", "producer"),
        Index("ix_policies_number", "policy_number"),
        Index("ix_policies_related", "related_name", "id"),
        # Policies opens on "in force" by expiration: this index is read in that order from
        # today on and filtered on its own columns (status, one row per linked group, effective
        # date), so a page reads ~100 index entries instead of sorting every policy in force
        # (migrations 0006 and 0012 seed the statistics that make SQLite prefer it).
        Index(
            "ix_policies_in_force",
            "expiration_date",
            "id",
            "status",
            "link_hidden",
            "effective_date",
        ),
    )

    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    insured_name: Mapped[str] = mapped_column(String(300), default="")
    policy_number: Mapped[str] = mapped_column(String(120), default="")
    carrier: Mapped[str] = mapped_column(String(200), default="")
    line_of_business: Mapped[str] = mapped_column(String(120), default="")
    premium_cents: Mapped[int] = mapped_column(Cents, default=0)
    effective_date: Mapped[date | None]
    expiration_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16))
    producer: Mapped[str] = mapped_column(String(200), default="")
    related_name: Mapped[str] = mapped_column(
        String(400), default="", server_default=""
    )  # related.py
    held_in: Mapped[str] = mapped_column(String(200), default="", server_default="")  # linking.py
    link_hidden: Mapped[bool] = mapped_column(default=False, server_default="0")  # linking.py


class ThreadRow(RecordColumns, Base):
    __tablename__ = "threads"
    __table_args__ = (
        UniqueConstraint("vendor", "account", "remote_id", name="uq_threads_remote"),
        Index("ix_threads_inbox", "unread", "last_message_at", "id"),
        Index("ix_threads_customer", "customer_id"),
        Index("ix_threads_lead", "lead_id"),
        Index("ix_threads_producer", "producer"),
        Index("ix_threads_related", "related_name", "id"),
    )

    channel: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(500), default="")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"))
    counterpart: Mapped[str] = mapped_column(String(320), default="")
    last_message_at: Mapped[datetime | None]
    unread: Mapped[bool] = mapped_column(default=False)
    message_count: Mapped[int] = mapped_column(default=0)
    producer: Mapped[str] = mapped_column(String(200), default="")
    related_name: Mapped[str] = mapped_column(
        String(400), default="", server_default=""
    )  # related.py


class MessageRow(RecordColumns, Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("vendor", "account", "remote_id", name="uq_messages_remote"),
        Index("ix_messages_thread", "thread_id", "sent_at"),
    )

    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(320), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime]


class TaskRow(RecordColumns, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("vendor", "account", "remote_id", name="uq_tasks_remote"),
        Index("ix_tasks_assignee", "assignee", "status", "due_date"),
        Index("ix_tasks_customer", "customer_id"),
        Index("ix_tasks_lead", "lead_id"),
        Index("ix_tasks_related", "related_name", "id"),
    )

    title: Mapped[str] = mapped_column(String(500), default="")
    task_kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[date | None]
    due_time: Mapped[str] = mapped_column(String(5), default="")
    assignee: Mapped[str] = mapped_column(String(200), default="")
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"))
    comments: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None]
    related_name: Mapped[str] = mapped_column(
        String(400), default="", server_default=""
    )  # related.py


class NoteRow(RecordColumns, Base):
    """Notes hang off a lead or a customer (``parent_kind``): no FK, the store cascades them."""

    __tablename__ = "notes"
    __table_args__ = (
        UniqueConstraint("vendor", "account", "remote_id", name="uq_notes_remote"),
        Index("ix_notes_parent", "parent_kind", "parent_id", "created_at"),
    )

    parent_kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")


# The Tasks tab's default order (open first, then by due date, undated last) read off an index.
Index(
    "ix_tasks_due",
    TaskRow.status.desc(),
    TaskRow.due_date.is_(None),
    TaskRow.due_date,
    TaskRow.id,
)
# Its four parts (today's, overdue, upcoming, undated) each read off one of these (0038).
Index(
    "ix_tasks_day",
    TaskRow.status,
    TaskRow.due_date,
    TaskRow.due_time == literal_column("''"),
    TaskRow.due_time,
    TaskRow.id,
)
Index(
    "ix_tasks_overdue",
    TaskRow.status,
    TaskRow.due_date.desc(),
    TaskRow.due_time == literal_column("''"),
    TaskRow.due_time,
    TaskRow.id,
)
