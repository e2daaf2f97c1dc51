"""The sandbox's in-memory Lofty account: one team, its members, leads and everything hanging
off a lead. Records are stored in the vendor's own response shape (field names as documented);
keys starting with ``_`` are sandbox bookkeeping and never sent."""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from agencydesk.vendors.lofty.sandbox.wire import fail
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.faults import FaultController

Record = dict[str, Any]


def all_or_nothing(record: Record, change: Callable[[Record], None]) -> None:
    """Writes are transactional: ``change`` edits a copy, which replaces the record's contents
    only if it raised nothing (a 400 half-way leaves the record as it was)."""
    draft = copy.deepcopy(record)
    change(draft)
    record.clear()
    record.update(draft)


WEBHOOK_WINDOW = timedelta(minutes=30)  # L5380 "limitation of webhook notifications in 30 mins"


@dataclass(slots=True)
class LoftyConfig:
    """Choices where the document contradicts itself (see assumptions.py)."""

    # L48 wraps list items as {"lead": {...}} while LeadListResponse.leads is LeadResponse[]
    # (L3933); we follow the example, and wrap GET /leads/{id} the same way (seen live).
    lead_envelope: bool = True
    # L59 says "UTC epoch seconds", the examples (L51, L61) show 23000/21000.
    reset_header: Literal["epoch", "relative_ms"] = "epoch"
    unkeyed_per_minute: int = 10  # L43 "only ten calls per minute ... without a valid vendorKey"
    keyed_per_minute: int = 600  # not documented: SandboxOptions.default_rate_per_minute
    token_ttl_seconds: int = 30 * 24 * 3600  # not documented
    # Off by default: the live service reportedly cuts /leads and /members pages to 25 whatever
    # the limit (digest Appendix A). Set to 25 to test a client against that.
    live_page_cap: int | None = None


@dataclass(slots=True)
class LoftyState:
    clock: SandboxClock
    faults: FaultController
    config: LoftyConfig
    team_id: int = 77001
    owner_id: int = 0  # the member the issued token belongs to
    members: dict[int, Record] = field(default_factory=dict)
    leads: dict[int, Record] = field(default_factory=dict)
    notes: dict[int, Record] = field(default_factory=dict)
    tasks: dict[int, Record] = field(default_factory=dict)
    appts: dict[int, Record] = field(default_factory=dict)
    calls: dict[int, Record] = field(default_factory=dict)
    emails: dict[int, Record] = field(default_factory=dict)
    texts: dict[int, Record] = field(default_factory=dict)
    log_types: dict[int, Record] = field(default_factory=dict)
    system_logs: dict[int, Record] = field(default_factory=dict)
    activities: dict[int, list[Record]] = field(default_factory=dict)  # by leadId
    transactions: dict[int, Record] = field(default_factory=dict)
    tx_addresses: dict[int, Record] = field(default_factory=dict)  # by transactionId
    tx_custom_fields: list[Record] = field(default_factory=list)
    tags: dict[str, Record] = field(default_factory=dict)  # tag name -> UserLeadTag
    custom_fields: list[Record] = field(default_factory=list)  # team CustomAttribute list
    ponds: dict[int, Record] = field(default_factory=dict)
    roles: list[Record] = field(default_factory=list)  # AssignRole
    routing_rules: dict[int, list[Record]] = field(default_factory=dict)  # by routing type
    supplement_rules: dict[tuple[int, int], Record] = field(default_factory=dict)
    webhooks: dict[int, Record] = field(default_factory=dict)
    webhook_events: list[tuple[int, Record]] = field(default_factory=list)  # (subscribeId, body)
    company: Record = field(default_factory=dict)
    offices: dict[int, Record] = field(default_factory=dict)
    profiles: list[Record] = field(default_factory=list)
    broker_teams: dict[int, Record] = field(default_factory=dict)
    vendors: list[Record] = field(default_factory=list)
    listings: list[Record] = field(default_factory=list)
    notifications: list[Record] = field(default_factory=list)
    login_links: dict[str, Record] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)  # stage name -> stageId
    sources: dict[str, int] = field(default_factory=dict)  # source name -> leadSource id
    segment_ids: dict[str, int] = field(default_factory=dict)  # segment name -> id
    scrolls: dict[str, Record] = field(default_factory=dict)  # scrollId -> position
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(900_000_001))
    lock: threading.RLock = field(default_factory=threading.RLock)

    def now(self) -> datetime:
        return self.clock.now()

    def next_id(self) -> int:
        """Ids are int64 and unique across kinds (like Lofty's own)."""
        return next(self._ids)

    # -- look-ups that answer the documented 404 ---------------------------------------------------
    def lead(self, lead_id: int, *, with_trash: bool = False) -> Record:
        lead = self.leads.get(lead_id)
        if lead is None or (lead["_deleted"] and not with_trash):
            raise fail(404)
        return lead

    def live(self, table: dict[int, Record], record_id: int) -> Record:
        record = table.get(record_id)
        if record is None or record.get("deleteFlag") or record.get("_deleted"):
            raise fail(404)
        return record

    def member_by_email(self, email: str) -> Record | None:
        email = email.strip().lower()
        return next((m for m in self.members.values() if m["email"].lower() == email), None)

    def member(self, member_id: int | None) -> Record | None:
        if member_id is None:
            return None
        found = self.members.get(member_id)
        if found is None:
            found = next((m for m in self.members.values() if m["memberUserId"] == member_id), None)
        return found

    @property
    def owner(self) -> Record:
        return self.members[self.owner_id]

    def stage_id(self, name: str) -> int:
        return self.stages.setdefault(name, 3_000 + len(self.stages) + 1)

    def source_id(self, name: str) -> int:
        return self.sources.setdefault(name, 100 + len(self.sources) + 1)

    def segment_id(self, name: str) -> int:
        return self.segment_ids.setdefault(name, 7_000 + len(self.segment_ids) + 1)

    def tag(self, name: str, creator: int) -> Record:
        """The team's tag definition (leadId 0), created on first use."""
        found = self.tags.get(name.lower())
        if found is None:
            now = self.now()
            found = {
                "tagId": self.next_id(),
                "tagName": name,
                "leadId": 0,
                "creatorUserId": creator,
                "visibleType": 1,
                "_created": now,
                "_updated": now,
            }
            self.tags[name.lower()] = found
        return found

    def emit_event(self, list_id: int, body: Record) -> None:
        """Queue a webhook notification for every subscription to ``list_id`` (L2262-2275),
        at most ``limit`` per subscription in any 30 minutes (L5380); the rest are dropped."""
        now = self.now()
        for hook in self.webhooks.values():
            if hook["listId"] != list_id:
                continue
            recent = [t for t in hook.setdefault("_sent", []) if now - t < WEBHOOK_WINDOW]
            if len(recent) < hook["limit"]:
                recent.append(now)
                self.webhook_events.append((hook["subscribeId"], body))
            hook["_sent"] = recent

    def touch(self, lead: Record) -> None:
        """Every change to a lead moves its ``lastUpdateTime`` (what /leads/updateTime reads)."""
        lead["_updated"] = self.now()
