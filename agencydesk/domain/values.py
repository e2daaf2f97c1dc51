"""Enumerations shared by every layer. Values are stable strings: they are stored in SQLite."""

from __future__ import annotations

from enum import StrEnum


class RecordKind(StrEnum):
    """What a record is; also the name of its tab (threads carry their messages)."""

    LEAD = "lead"
    CUSTOMER = "customer"
    POLICY = "policy"
    THREAD = "thread"
    MESSAGE = "message"
    TASK = "task"
    NOTE = "note"


class SyncState(StrEnum):
    """Whether a record exists only on this device or matches its vendor."""

    LOCAL_ONLY = "local_only"  # made or imported here, no vendor account behind it
    SYNCED = "synced"  # equal to what the vendor last gave us
    PENDING = "pending"  # edited here, waiting in the outbox
    CONFLICT = "conflict"  # vendor changed it too; the user must choose field by field


class LeadStatus(StrEnum):
    """Normalised lead status. Vendors' own codes are kept in the raw payload."""

    NEW = "new"
    CONTACTED = "contacted"
    QUOTED = "quoted"
    WON = "won"
    LOST = "lost"
    # The vendor's own status or stage, which has no meaning here yet (an agency-defined name
    # the user has not mapped): kept as the vendor's value (the lead's stage or raw payload),
    # shown as such, and never written back as anything else.
    OTHER = "other"


class PolicyStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    RENEWED = "renewed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    # The vendor's own status with no meaning here yet (see LeadStatus.OTHER); its name is in
    # the record's raw payload.
    OTHER = "other"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class TaskKind(StrEnum):
    TODO = "todo"
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    CALL = "call"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
