"""Logging a note, call, email or text where the work happens (issue 12), and marking threads
read.

An activity is logged on a person: the lead or customer itself, a policy's insured customer, a
thread's customer or lead. It is saved here at once and queued in the outbox for every vendor
account that holds that person (the record and the records linked with it) and whose API takes
it: ``ACTIVITY_ROUTES`` in the vendor's capabilities says how (a note, or a logged call, email or
text). Where none takes it, it stays on this device, and ``ActivityTarget`` says so before the
user saves. Creates go through the outbox like any other: its reconcile rules settle one whose
answer was lost.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from agencydesk.domain import (
    Channel,
    Customer,
    Lead,
    Message,
    Note,
    Policy,
    Provenance,
    Record,
    RecordKind,
    SyncState,
    Thread,
)
from agencydesk.domain.activity import CHANNELS, Activity, ActivityKind
from agencydesk.domain.holders import holder_name
from agencydesk.domain.records import utc_now
from agencydesk.services.capabilities import load_capabilities
from agencydesk.services.record_edits import changed_fields
from agencydesk.store.ledger_types import OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.vendors.connector import CALL_OUTCOME, ActivityRoute

if TYPE_CHECKING:
    from agencydesk.store.book import Book

PEOPLE = (RecordKind.LEAD, RecordKind.CUSTOMER)
_NOUN = {RecordKind.LEAD: "lead", RecordKind.CUSTOMER: "customer", RecordKind.POLICY: "policy"}


class NothingToLogOn(ValueError):
    """The record is gone, or is of a kind nothing is logged on; ``str()`` says which."""


@dataclass(frozen=True, slots=True)
class Holder:
    """One record of the person, where it is held, and whether that vendor takes activity."""

    kind: RecordKind
    id: int
    vendor: str
    account: str
    route: ActivityRoute | None  # None: stays here (a local record, or a vendor that cannot)
    why_not: str = ""  # a vendor's reason it cannot take it
    at_vendor: bool = True  # the record has the vendor's id (a new one is still on its way)

    @property
    def name(self) -> str:
        return holder_name(self.vendor)

    def how(self, kind: ActivityKind) -> str:
        """What the vendor will hold: "a note on the lead", "a logged call on the lead"."""
        noun = _NOUN.get(self.kind, self.kind.value)
        logs = self.route is not None and self.route.logs and kind is not ActivityKind.NOTE
        if logs and self.at_vendor:
            return f"a logged {kind.value} on the {noun}"
        if not self.at_vendor:
            return f"a note on the {noun}, once the {noun} is there"
        return f"a note on the {noun}"


@dataclass(frozen=True, slots=True)
class ActivityTarget:
    """Where an activity logged from ``origin`` goes: said to the user before saving."""

    origin: tuple[RecordKind, int]
    person: tuple[RecordKind, int] | None  # None: a thread linked to nobody
    person_name: str
    about: str  # "Policy HO-1234 (Acme Mutual)" heads the text when logged from a policy
    holders: tuple[Holder, ...]

    @property
    def senders(self) -> list[Holder]:
        return [h for h in self.holders if h.route is not None]

    @property
    def refusers(self) -> list[Holder]:
        return [h for h in self.holders if h.route is None and h.why_not]

    @property
    def local_only(self) -> bool:
        return not self.senders

    def where(self, kind: ActivityKind) -> list[str]:
        """One line per vendor it is sent to, then one per vendor that cannot take it."""
        lines = [f"Sent to {h.name} ({h.account}) as {h.how(kind)}." for h in self.senders]
        lines += [f"Not sent to {h.name}: {h.why_not}" for h in self.refusers]
        if self.local_only:
            if self.person is None:
                lines.append(
                    "This conversation is linked to no customer or lead: the entry is kept "
                    "here, in the conversation, on this device only."
                )
            elif self.person[0] is RecordKind.POLICY:
                lines.append(
                    "This policy has no customer in the book: the entry is kept on the policy, "
                    "on this device only."
                )
            else:
                lines.append(
                    "No system that holds this record accepts it: it is kept on this device only."
                )
        return lines


@dataclass(frozen=True, slots=True)
class Logged:
    """What saving did: the records made here (their outbox entries queued with them)."""

    records: list[tuple[RecordKind, int]]
    queued: int  # outbox entries: one per vendor account it goes to


def activity_routes(vendor: str) -> Mapping[RecordKind, ActivityRoute]:
    try:
        module = importlib.import_module(f"agencydesk.vendors.{vendor}.capabilities")
    except ModuleNotFoundError:
        return {}
    found: Mapping[RecordKind, ActivityRoute] = getattr(module, "ACTIVITY_ROUTES", {})
    return found


def _why_not(vendor: str, kind: RecordKind) -> str:
    table = load_capabilities(vendor) or {}
    capability = table.get(RecordKind.NOTE)
    if capability is not None and capability.why_not and not capability.create:
        return capability.why_not
    return f"{holder_name(vendor)}'s API takes no notes or activity on {_NOUN[kind]}s."


def _name(record: Record) -> str:
    return str(getattr(record, "display_name", "") or "")


class ActivityLog:
    def __init__(self, book: Book, author: str = "") -> None:
        self._book = book
        self.author = author  # the user's name, as tasks are assigned to it

    # --- where it goes (a read: the dialog asks before it opens) ------------------------------
    def target(self, kind: RecordKind, record_id: int) -> ActivityTarget:
        record = self._book.get(kind, record_id)
        if record is None:
            raise NothingToLogOn(f"That {kind.value} is no longer in the cache.")
        about = ""
        person: Record | None = record
        if isinstance(record, Policy):
            about = f"Policy {record.policy_number or '(no number)'}"
            about += f" ({record.carrier})" if record.carrier else ""
            person = self._get(RecordKind.CUSTOMER, record.customer_id)
            if person is None:  # an AgencyBloc policy, say: the note stays on the policy
                return ActivityTarget(
                    (kind, record_id),
                    (kind, record_id),
                    about,
                    "",
                    tuple(self._holders(record)),
                )
        elif isinstance(record, Thread):
            person = self._get(RecordKind.CUSTOMER, record.customer_id) or self._get(
                RecordKind.LEAD, record.lead_id
            )
            if person is None:
                return ActivityTarget((kind, record_id), None, record.counterpart, "", ())
        elif not isinstance(record, Lead | Customer):
            raise NothingToLogOn(
                f"Activity is logged on leads, customers, policies and "
                f"threads, not on a {kind.value}."
            )
        assert person is not None
        assert person.id is not None
        return ActivityTarget(
            (kind, record_id),
            (person.kind, person.id),
            _name(person),
            about,
            tuple(self._holders(person)),
        )

    def _get(self, kind: RecordKind, record_id: int | None) -> Record | None:
        return self._book.get(kind, record_id) if record_id is not None else None

    def _holders(self, person: Record) -> list[Holder]:
        """The person's records, one per account (itself first), each with its route."""
        assert person.id is not None
        records = [person]
        for mate in self._book.links.group(person.kind, person.id):
            if mate.kind in PEOPLE and (mate.kind, mate.id) != (person.kind, person.id):
                found = self._book.get(mate.kind, mate.id)
                if found is not None:
                    records.append(found)
        holders: list[Holder] = []
        seen: set[tuple[str, str]] = set()
        for record in records:
            prov = record.provenance
            if (prov.vendor, prov.account) in seen or record.id is None:
                continue
            seen.add((prov.vendor, prov.account))
            if prov.is_local:
                holders.append(Holder(record.kind, record.id, prov.vendor, "", None))
                continue
            route = activity_routes(prov.vendor).get(record.kind)
            why = "" if route is not None else _why_not(prov.vendor, record.kind)
            holders.append(
                Holder(
                    record.kind,
                    record.id,
                    prov.vendor,
                    prov.account,
                    route,
                    why,
                    at_vendor=bool(prov.remote_id),
                )
            )
        return holders

    # --- saving -----------------------------------------------------------------------------
    def log(self, target: ActivityTarget, activity: Activity) -> Logged:
        """Save ``activity`` here and queue it for every vendor in ``target.senders``."""
        problem = activity.problem()
        if problem:
            raise ValueError(problem)
        now = utc_now()  # a call logged after the fact carries its own time
        when = activity.occurred_at or now
        if target.person is None:
            return self._on_thread(target.origin[1], activity, when, now)
        made: list[tuple[RecordKind, int]] = []
        for holder in target.senders:
            assert holder.route is not None
            logs = holder.route.logs and activity.kind is not ActivityKind.NOTE
            if logs and self._log_thread_known(holder, CHANNELS[activity.kind]):
                made.append(self._log_entry(holder, activity, when, now))
            else:
                made.append(self._note(holder, target, activity, when, now))
        if made:
            return Logged(made, len(made))
        kind, person_id = target.person
        note = Note(
            parent_kind=kind,
            parent_id=person_id,
            body=_with_about(target.about, activity.as_note()),
            author=self.author,
            created_at=when,
            updated_at=now,
        )
        saved = self._book.save(note)
        assert saved.id is not None
        return Logged([(RecordKind.NOTE, saved.id)], 0)

    def _note(
        self,
        holder: Holder,
        target: ActivityTarget,
        activity: Activity,
        when: datetime,
        now: datetime,
    ) -> tuple[RecordKind, int]:
        note = Note(
            provenance=Provenance(vendor=holder.vendor, account=holder.account),
            parent_kind=holder.kind,
            parent_id=holder.id,
            body=_with_about(target.about, activity.as_note()),
            author=self.author,
            created_at=when,
            updated_at=now,
        )
        saved = self._book.ledgers.save_local_edit(
            note, OutboxOp.CREATE, changed_fields(None, note)
        )
        assert saved.id is not None
        return RecordKind.NOTE, saved.id

    def _log_entry(
        self, holder: Holder, activity: Activity, when: datetime, now: datetime
    ) -> tuple[RecordKind, int]:
        """A call, email or text on the lead's thread of that channel (made when the book has
        none yet: the vendor keeps one per lead and channel)."""
        channel = CHANNELS[activity.kind]
        thread = self._thread_of(holder, channel)
        message = Message(
            provenance=Provenance(vendor=holder.vendor, account=holder.account),
            thread_id=thread.id,
            direction=activity.direction,
            sender=self.author,
            body=activity.as_log(),
            sent_at=when,
            created_at=when,
            updated_at=now,
        )
        changes = changed_fields(None, message)
        if activity.outcome is not None:
            changes[CALL_OUTCOME] = activity.outcome.value
        saved = self._book.ledgers.save_local_edit(message, OutboxOp.CREATE, changes)
        self._book.save(
            replace(
                thread,
                message_count=thread.message_count + 1,
                last_message_at=max(thread.last_message_at or when, when),
            )
        )
        assert saved.id is not None
        return RecordKind.MESSAGE, saved.id

    def _log_thread_known(self, holder: Holder, channel: Channel) -> bool:
        """Whether the entry can be logged on the vendor's thread: the book has it, or the
        lead is at the vendor so its thread can be named. (A lead still on its way there gets
        a note instead, which waits in the outbox for it.)"""
        if self._existing_thread(holder, channel) is not None:
            return True
        person = self._book.get(holder.kind, holder.id)
        route = holder.route
        return bool(
            person is not None
            and person.provenance.remote_id
            and route is not None
            and route.log_thread is not None
        )

    def _existing_thread(self, holder: Holder, channel: Channel) -> Thread | None:
        query = (
            ListQuery(lead_id=holder.id)
            if holder.kind is RecordKind.LEAD
            else ListQuery(customer_id=holder.id)
        )
        for item in self._book.related(RecordKind.THREAD, query):
            thread = item.record
            if (
                isinstance(thread, Thread)
                and thread.channel == channel
                and (thread.provenance.vendor, thread.provenance.account)
                == (holder.vendor, holder.account)
            ):
                return thread
        return None

    def _thread_of(self, holder: Holder, channel: Channel) -> Thread:
        """The lead's thread of that channel, made when the book has none yet (the vendor
        keeps one per lead and channel; ``_log_thread_known`` said it can be named)."""
        found = self._existing_thread(holder, channel)
        if found is not None:
            return found
        person = self._book.get(holder.kind, holder.id)
        route = holder.route
        assert person is not None
        assert route is not None
        assert route.log_thread is not None
        fresh = route.log_thread(holder.account, person.provenance.remote_id, channel)
        fresh = replace(fresh, lead_id=holder.id, counterpart=_name(person))
        saved = self._book.save(fresh)
        assert isinstance(saved, Thread)
        return saved

    def _on_thread(
        self, thread_id: int, activity: Activity, when: datetime, now: datetime
    ) -> Logged:
        """A thread linked to nobody: the entry joins the conversation, on this device."""
        thread = self._book.get(RecordKind.THREAD, thread_id)
        if not isinstance(thread, Thread):
            raise NothingToLogOn("That conversation is no longer in the cache.")
        message = Message(
            thread_id=thread_id,
            direction=activity.direction,
            sender=self.author,
            body=activity.as_note(),
            sent_at=when,
            created_at=when,
            updated_at=now,
            sync_state=SyncState.LOCAL_ONLY,
        )
        saved = self._book.save(message)
        self._book.save(
            replace(
                thread,
                message_count=thread.message_count + 1,
                last_message_at=max(thread.last_message_at or when, when),
            )
        )
        assert saved.id is not None
        return Logged([(RecordKind.MESSAGE, saved.id)], 0)


def _with_about(about: str, text: str) -> str:
    return f"{about}: {text}" if about else text
