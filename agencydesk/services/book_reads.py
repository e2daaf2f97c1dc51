"""Every read the window makes of the cache, as typed questions with typed answers.

The GUI never calls the store: it hands one of these (``BookReads.first_page``,
``BookReads.detail``…) to its one reader (``ui/reader.py``), which runs it off the GUI thread and
hands the answer back. A question here is one short transaction; none writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from agencydesk.domain import Customer, Lead, Message, Note, Policy, Record, RecordKind
from agencydesk.domain.record_names import title_of
from agencydesk.services.value_mappings import Meanings, meanings_of
from agencydesk.store.ledger_types import NEEDS_USER, OutboxState
from agencydesk.store.pending_book import PendingBook, resolved
from agencydesk.store.queries import Count, ListItem, ListQuery, SearchHit
from agencydesk.sync.outbox_counts import OutboxCounts, count_entries
from agencydesk.sync.per_record_queue import WantedRecords

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import AccountRow, OutboxEntry
    from agencydesk.store.link_book import LinkedRecord, PossibleMatch, Suggestion
    from agencydesk.store.timeline import TimelineEntry
    from agencydesk.sync.calls_left import KnownCalls

#: The tabs quick find searches (messages count through their threads).
QUICK_FIND_TABS = (
    RecordKind.CUSTOMER,
    RecordKind.LEAD,
    RecordKind.POLICY,
    RecordKind.THREAD,
    RecordKind.TASK,
)

LINKED_KINDS = (RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY)
# Quick-find hits whose per-record calls jump the sync's queue (the best ones, as typed).
WANTED_FROM_SEARCH = 5
RELATED_LIMIT = 200  # a detail pane lists at most this many of each related kind
REFUSED_NAMED = 5  # refused changes an account's sync details list by name


@dataclass(frozen=True, slots=True)
class FirstPage:
    """A query's row count and its first page: what a tab shows the moment it is filtered."""

    count: int
    items: list[ListItem]
    # Leads: the pipeline stages' counts for the query without its stage, read with the rows
    # (``BookReads.first_page(…, with_stages=True)``); None when they were not read with them.
    stages: list[Count] | None = None


@dataclass(frozen=True, slots=True)
class Located:
    """Where a record is in a tab's list: ``row`` None when the query leaves it out."""

    record: Record
    row: int | None


@dataclass(frozen=True, slots=True)
class RecordDetail:
    """What a detail pane shows beside the record itself (empty lists where it does not apply)."""

    notes: list[Note] = field(default_factory=list)
    tasks: list[ListItem] = field(default_factory=list)
    policies: list[ListItem] = field(default_factory=list)
    threads: list[ListItem] = field(default_factory=list)
    household: list[Customer] = field(default_factory=list)  # the others in the household
    messages: list[Message] = field(default_factory=list)  # a thread's, oldest first
    customer: Customer | None = None  # a policy's, thread's or task's customer
    lead: Lead | None = None  # a thread's or task's lead
    # Linking (issue 11): the records linked with this one, open suggestions, each linked
    # record as stored (their own values), the customer a lead already is, the household's
    # timeline across vendors.
    links: list[LinkedRecord] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    linked_records: list[Record] = field(default_factory=list)
    known_customer: Customer | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AccountsSummary:
    """The vendor accounts and what each has in the outbox: what the sync status bar, the
    Sync menu and the accounts list show."""

    accounts: list[AccountRow]
    outbox: dict[str, OutboxCounts]
    refused: dict[str, list[OutboxEntry]] = field(default_factory=dict)  # with the vendor's why
    unlinked: dict[str, int] = field(default_factory=dict)  # made at the vendor, not yet linked
    # Per-record calls left as the last pass kept them (shown from the start, "as of 14:05").
    calls: dict[str, KnownCalls] = field(default_factory=dict)
    # the refused changes' records by name ("Ada Quill"), for the user to recognise them
    names: dict[tuple[RecordKind, int], str] = field(default_factory=dict)

    def counts(self, label: str) -> OutboxCounts:
        return self.outbox.get(label, OutboxCounts())

    @property
    def conflicts(self) -> int:
        return sum(counts.conflicts for counts in self.outbox.values())


class BookReads:
    """The read-only questions the window asks the cache (run off the GUI thread)."""

    def __init__(self, book: Book | PendingBook, wanted: WantedRecords | None = None) -> None:
        """``wanted``: the process's list of records the user is looking at (the account
        registry's): a record opened or found makes its per-record calls (AgencyZoom: a
        customer's policies, a lead's notes) jump the sync's queue. ``book``: a pending one
        while the window starts (its first question is answered without the store, which is
        opened by the first question after it, on the reader's thread)."""
        self._source = book
        self._wanted = wanted
        # The window's first question (kept for the next start's recipe: start_recipe.keep).
        self.first_question: tuple[RecordKind, ListQuery, int] | None = None

    @property
    def _book(self) -> Book:
        return resolved(self._source)

    def first_page(
        self, kind: RecordKind, query: ListQuery, size: int, *, with_stages: bool = False
    ) -> FirstPage:
        """A tab's count and first page. ``with_stages`` (Leads): the stage counts too, from
        the same read, where they are cheap (``Book.first_page_with_stages``)."""
        if self.first_question is None:
            self.first_question = (kind, query, size)
            start = self._source.first_page if isinstance(self._source, PendingBook) else None
            answer = start.answer(kind, query, size) if start is not None else None
            if answer is not None:
                return FirstPage(*answer)
        if with_stages and kind is RecordKind.LEAD:
            return FirstPage(*self._book.first_page_with_stages(query, size))
        return FirstPage(*self._book.first_page(kind, query, size))

    def page(self, kind: RecordKind, query: ListQuery, offset: int, limit: int) -> list[ListItem]:
        return self._book.page(kind, query, offset, limit)

    def count(self, kind: RecordKind, query: ListQuery) -> int:
        return self._book.count(kind, query)

    def facets(self, kind: RecordKind, fields: list[str]) -> dict[str, list[str]]:
        """The distinct values of each field, for a tab's filter combos."""
        return {name: self._book.facet_values(kind, name) for name in fields}

    def facet_values(self, kind: RecordKind, field_name: str) -> list[str]:
        return self._book.facet_values(kind, field_name)

    def stage_counts(self, query: ListQuery) -> list[Count]:
        return self._book.stage_counts(query)

    def renewal_counts(self, within_days: int, today: date | None) -> list[Count]:
        return self._book.renewal_counts(within_days, today)

    def get(self, kind: RecordKind, record_id: int) -> Record | None:
        return self._book.get(kind, record_id)

    def locate(self, kind: RecordKind, query: ListQuery, record_id: int) -> Located | None:
        """The record and its row under ``query``; None when the record is gone."""
        record = self._book.get(kind, record_id)
        if record is None:
            return None
        return Located(record, self._book.position(kind, query, record_id))

    def quick_find(self, text: str, limit: int = 50) -> list[SearchHit]:
        hits = self._book.quick_find(text, limit=limit) if text else []
        if self._wanted is not None:
            found = [h for h in hits if h.kind in (RecordKind.CUSTOMER, RecordKind.LEAD)]
            for hit in reversed(found[:WANTED_FROM_SEARCH]):  # the best hit ends newest
                record = self._book.get(hit.kind, hit.id)
                if record is not None:
                    self._want(record)
        return hits

    def _want(self, record: Record) -> None:
        if isinstance(record, Policy) and record.customer_id is not None:
            holder = self._book.get(RecordKind.CUSTOMER, record.customer_id)
            record = holder if holder is not None else record
        prov = record.provenance
        if self._wanted is not None and not prov.is_local and prov.remote_id:
            self._wanted.want(prov.account, record.kind, prov.remote_id)

    def quick_find_total(self, text: str) -> int:
        """How many records the tabs hold for ``text`` (quick find stops at its cap and says
        "first 50 of 312", never "50 found")."""
        query = ListQuery(text=text)
        return sum(self._book.count(kind, query) for kind in QUICK_FIND_TABS) if text else 0

    def accounts_summary(self) -> AccountsSummary:
        entries = self._book.ledgers.outbox()
        refused: dict[str, list[OutboxEntry]] = {}
        unlinked: dict[str, int] = {}
        for entry in entries:
            if entry.state in NEEDS_USER and entry.state is not OutboxState.CONFLICT:
                refused.setdefault(entry.account, []).append(entry)
            elif entry.state is OutboxState.UNLINKED:
                unlinked[entry.account] = unlinked.get(entry.account, 0) + 1
        from agencydesk.sync.calls_left import at_rest  # (the rate limiter: not at start-up)

        accounts = self._book.ledgers.accounts()
        calls = {row.label: kept for row in accounts if (kept := at_rest(self._book, row))}
        names: dict[tuple[RecordKind, int], str] = {}
        for entry in (e for listed in refused.values() for e in listed[:REFUSED_NAMED]):
            record = self._book.get(entry.kind, entry.record_id)
            if record is not None:
                names[(entry.kind, entry.record_id)] = title_of(record)
        return AccountsSummary(
            accounts, count_entries(entries), refused, unlinked, calls=calls, names=names
        )

    def possible_matches(self, limit: int | None = None) -> tuple[int, list[PossibleMatch]]:
        """Every open suggestion (how many, and the first ``limit`` by name; None: all)."""
        return self._book.links.possible_matches(limit)

    def meanings(self, label: str) -> Meanings | None:
        """An account's own stage or status names and what each means here."""
        return meanings_of(self._book, label)

    def owner_of(self, kind: RecordKind, record_id: int) -> tuple[RecordKind, int] | None:
        """The record a message or note is shown under (its thread, its parent)."""
        inner = self._book.get(kind, record_id)
        if isinstance(inner, Message) and inner.thread_id is not None:
            return RecordKind.THREAD, inner.thread_id
        if isinstance(inner, Note) and inner.parent_id is not None:
            return inner.parent_kind, inner.parent_id
        return None

    def detail(self, record: Record) -> RecordDetail:
        """What the record's detail pane lists beside it (with what linking knows of it)."""
        plain = self._plain_detail(record)
        if record.id is None or record.kind not in LINKED_KINDS:
            self._want(record)
            return plain
        book, kind, record_id = self._book, record.kind, record.id
        links = book.links.group(kind, record_id)
        if self._wanted is not None:  # the same person in every system it is held in
            for member in links:
                if (linked := book.get(member.kind, member.id)) is not None:
                    self._want(linked)
        self._want(record)  # the one opened last: it goes first
        known: Customer | None = None
        if kind is RecordKind.LEAD:
            customer_id = next((m.id for m in links if m.kind is RecordKind.CUSTOMER), None)
            found = book.get(RecordKind.CUSTOMER, customer_id) if customer_id else None
            known = found if isinstance(found, Customer) else None
        return replace(
            plain,
            links=links,
            suggestions=book.links.suggestions(kind, record_id),
            linked_records=[r for m in links if (r := book.get(m.kind, m.id)) is not None],
            known_customer=known,
            timeline=book.timeline(kind, record_id) if kind is not RecordKind.POLICY else [],
        )

    def _plain_detail(self, record: Record) -> RecordDetail:
        kind, record_id = record.kind, record.id
        if record_id is None:
            return RecordDetail()
        book = self._book
        if kind is RecordKind.LEAD:
            return RecordDetail(
                notes=book.notes_of(kind, record_id),
                tasks=book.related(RecordKind.TASK, ListQuery(lead_id=record_id), RELATED_LIMIT),
            )
        if kind is RecordKind.CUSTOMER:
            assert isinstance(record, Customer)
            mine = ListQuery(customer_id=record_id)
            household: list[Customer] = []
            if record.household:
                for item in book.related(
                    RecordKind.CUSTOMER, ListQuery(household=record.household), RELATED_LIMIT
                ):
                    if item.record.id != record_id and isinstance(item.record, Customer):
                        household.append(item.record)
            return RecordDetail(
                notes=book.notes_of(kind, record_id),
                tasks=book.related(RecordKind.TASK, mine, RELATED_LIMIT),
                policies=book.related(RecordKind.POLICY, mine, RELATED_LIMIT),
                threads=book.related(RecordKind.THREAD, mine, RELATED_LIMIT),
                household=household,
            )
        customer_id = getattr(record, "customer_id", None)
        lead_id = getattr(record, "lead_id", None)
        customer = book.get(RecordKind.CUSTOMER, customer_id) if customer_id is not None else None
        lead = book.get(RecordKind.LEAD, lead_id) if lead_id is not None else None
        return RecordDetail(
            # a policy with no customer keeps its logged notes itself (services/activity_log)
            notes=book.notes_of(kind, record_id) if kind is RecordKind.POLICY else [],
            messages=book.messages_of(record_id) if kind is RecordKind.THREAD else [],
            customer=customer if isinstance(customer, Customer) else None,
            lead=lead if isinstance(lead, Lead) else None,
        )
