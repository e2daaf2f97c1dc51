"""Plain records of an agency's book. No Qt, no I/O, nothing else of ours is imported here."""

from agencydesk.domain.records import (
    LOCAL_VENDOR,
    Customer,
    Lead,
    Message,
    Note,
    Policy,
    Provenance,
    Record,
    Task,
    Thread,
)
from agencydesk.domain.values import (
    Channel,
    Direction,
    LeadStage,
    LeadStatus,
    PolicyStatus,
    RecordKind,
    SyncState,
    TaskKind,
    TaskStatus,
)

__all__ = [
    "LOCAL_VENDOR",
    "Channel",
    "Customer",
    "Direction",
    "Lead",
    "LeadStage",
    "LeadStatus",
    "Message",
    "Note",
    "Policy",
    "PolicyStatus",
    "Provenance",
    "Record",
    "RecordKind",
    "SyncState",
    "Task",
    "TaskKind",
    "TaskStatus",
    "Thread",
]
