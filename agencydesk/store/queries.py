"""What callers ask the store for: typed list queries and the typed rows that come back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from agencydesk.domain import Record, RecordKind


class TaskDue(StrEnum):
    OVERDUE = "overdue"  # open and due before today
    TODAY = "today"  # open and due today
    UPCOMING = "upcoming"  # open and due after today (or no due date)


@dataclass(frozen=True, slots=True, kw_only=True)
class ListQuery:
    """One tab's filter and sort. Empty strings and ``None`` mean "no constraint"."""

    text: str = ""  # the tab's filter box: word prefixes over names, emails, phones, numbers…
    status: str = ""  # LeadStatus / PolicyStatus / TaskStatus value
    statuses: tuple[str, ...] = ()  # any of these statuses (Policies' "in force": active, pending)
    pipeline: str = ""
    stage: str = ""
    source: str = ""
    carrier: str = ""
    line_of_business: str = ""
    producer: str = ""  # leads, customers, policies, threads: producer; tasks: assignee
    household: str = ""
    customer_id: int | None = None
    lead_id: int | None = None
    renewal_within_days: int | None = None  # policies in force expiring in [today, today+N]
    in_force: bool = False  # policies in force by date (domain.policy_state), whatever the status
    held_in: str = ""  # leads, customers, policies: where the row's group is held ("AgencyZoom")
    every_record: bool = False  # one row per record instead of one per linked group
    due: TaskDue | None = None
    include_done: bool = True  # tasks: False hides completed tasks
    unread_only: bool = False  # threads
    channel: str = ""  # threads: a Channel value (email, sms, call)
    sort: str = ""  # a field name of the record (or of ListItem); "" is the tab's default order
    descending: bool = False
    today: date | None = None  # "today" for date filters; None means the real today


@dataclass(frozen=True, slots=True)
class ListItem:
    """One row of a tab: the record plus what the list shows beside it."""

    record: Record
    related_name: str = ""  # policy/thread/task: the customer's (or lead's) display name
    policy_count: int = 0  # customers only
    total_premium_cents: int = 0  # customers only
    held_in: str = ""  # leads, customers, policies: "AgencyZoom · Lofty" (linking)
    customer_link: int | None = None  # leads: the customer this lead already is (any vendor)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A quick-find result across all tabs (Ctrl+K)."""

    kind: RecordKind
    id: int
    title: str  # e.g. the person's name or the policy number
    subtitle: str  # e.g. "Policy · State Farm · Auto" or the matching message snippet


@dataclass(frozen=True, slots=True)
class Count:
    """A labelled count: stage counts on Leads, renewals per producer on Policies."""

    label: str
    count: int
