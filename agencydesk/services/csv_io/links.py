"""Imported policies and tasks attached to the customer (or, for a task, the lead) they belong
to. A file names people, never our ids: our own export's Customer column holds the name, with
the email (or phone) added where two customers share the name ("Ann Lee <ann@example.com>");
a carrier's download names only the insured. A name that fits no one, or more than one, links
nothing and is reported."""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from agencydesk.domain import Customer, Lead, Policy, RecordKind, Task
from agencydesk.domain.validation import format_phone
from agencydesk.services.csv_io.problems import ImportCancelled
from agencydesk.services.csv_io.validate import ParsedRow, Validation
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery

_WITH_CONTACT = re.compile(r"^(?P<name>.*?)\s*<(?P<contact>[^<>]*)>\s*$")
#: Who a kind's Customer column can name.
PARTY_KINDS: dict[RecordKind, tuple[RecordKind, ...]] = {
    RecordKind.POLICY: (RecordKind.CUSTOMER,),
    RecordKind.TASK: (RecordKind.CUSTOMER, RecordKind.LEAD),
}


@dataclass(frozen=True, slots=True)
class Party:
    kind: RecordKind
    id: int
    contacts: tuple[str, ...]  # email, phone as export writes it, street, birth date; or ''

    def has(self, contact: str) -> bool:
        folded = contact.casefold()
        return any(c.casefold() == folded for c in self.contacts if c)


@dataclass
class LinkReport:
    linked: int = 0
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (row, name) fits no one
    ambiguous: list[tuple[int, str]] = field(default_factory=list)  # fits more than one


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def split_link(text: str) -> tuple[str, str]:
    """'Ann Lee <ann@example.com>' -> ('Ann Lee', 'ann@example.com'); 'Ann' -> ('Ann', '')."""
    hit = _WITH_CONTACT.match(text)
    if hit is None:
        return text.strip(), ""
    return hit.group("name").strip(), hit.group("contact").strip()


def _contacts(record: Customer | Lead) -> tuple[str, ...]:
    """What can tell two people of one name apart, in the order export prefers it: a parent and
    child of one name share a street, not a birth date."""
    born = getattr(record, "birth_date", None)
    return (
        record.email,
        format_phone(record.phone),
        record.street,
        born.isoformat() if born is not None else "",
    )


def _parties(
    book: Book,
    kinds: Iterable[RecordKind],
    cancel: threading.Event | None,
    account: str | None = None,
) -> Iterator[tuple[str, Party]]:
    for kind in kinds:
        for index, item in enumerate(book.iter_rows(kind, ListQuery(every_record=True))):
            if index % 2000 == 0 and cancel is not None and cancel.is_set():
                raise ImportCancelled
            record = item.record
            if record.id is None or not isinstance(record, Customer | Lead):
                continue
            if account is not None and record.provenance.account != account:
                continue  # an import into an account links to that account's own people
            yield name_key(record.display_name), Party(kind, record.id, _contacts(record))


def disambiguators(book: Book, kind: RecordKind) -> dict[tuple[RecordKind, int], str]:
    """For each possible owner of a ``kind`` record whose name another one shares: the first of
    its email, phone and street that none of the others has (what export writes after the name
    and import matches). Owners with a name of their own are not listed."""
    groups: dict[str, list[Party]] = {}
    for name, party in _parties(book, PARTY_KINDS.get(kind, ()), None):
        groups.setdefault(name, []).append(party)
    chosen: dict[tuple[RecordKind, int], str] = {}
    for parties in groups.values():
        if len(parties) < 2:
            continue
        for party in parties:
            others = {
                c.casefold() for other in parties if other is not party for c in other.contacts
            }
            chosen[(party.kind, party.id)] = next(
                (c for c in party.contacts if c and c.casefold() not in others), ""
            )
    return chosen


def link_to_parties(
    book: Book,
    validation: Validation,
    *,
    cancel: threading.Event | None = None,
    account: str | None = None,
) -> LinkReport:
    """Set ``customer_id`` (or a task's ``lead_id``) of each imported policy or task from its
    Customer column; a policy without one falls back to its insured name. Rows already linked
    are left alone. ``account``: only that account's customers and leads (an import into it:
    the vendor knows its own records only)."""
    report = LinkReport()
    kinds = PARTY_KINDS.get(validation.kind)
    if kinds is None:
        return report
    wanted: dict[int, tuple[str, str]] = {}  # file row -> (name key, contact)
    for parsed in validation.rows:
        record = parsed.record
        if getattr(record, "customer_id", None) is not None:
            continue
        name, contact = split_link(parsed.link)
        if not name and isinstance(record, Policy):
            name = record.insured_name
        if name.strip():
            wanted[parsed.row] = (name_key(name), contact)
    if not wanted:
        return report
    names = {name for name, _contact in wanted.values()}
    found: dict[str, list[Party]] = {}
    for name, party in _parties(book, kinds, cancel, account):
        if name in names:
            found.setdefault(name, []).append(party)
    for parsed in validation.rows:
        if parsed.row not in wanted:
            continue
        name, contact = wanted[parsed.row]
        candidates = found.get(name, [])
        if contact:
            candidates = [party for party in candidates if party.has(contact)]
        elif len(candidates) > 1 and isinstance(parsed.record, Task) and parsed.record.lead_id:
            candidates = [p for p in candidates if p.kind is RecordKind.LEAD]
        shown = split_link(parsed.link)[0] or getattr(parsed.record, "insured_name", "")
        if not candidates:
            if parsed.link:  # an insured name nobody has is normal for a carrier's download
                report.unknown.append((parsed.row, shown))
            continue
        if len(candidates) > 1:
            report.ambiguous.append((parsed.row, shown))
            continue
        _attach(parsed, candidates[0])
        report.linked += 1
    return report


def _attach(parsed: ParsedRow, party: Party) -> None:
    record = parsed.record
    assert isinstance(record, Policy | Task)
    key = "customer_id" if party.kind is RecordKind.CUSTOMER else "lead_id"
    parsed.record = dataclasses.replace(record, **{key: party.id})  # type: ignore[arg-type]
    parsed.filled = parsed.filled | {key}


def describe_links(report: LinkReport) -> str:
    """One line for the user about rows whose Customer could not be linked ('' when none)."""
    parts = []
    if report.unknown:
        rows = ", ".join(str(row) for row, _name in report.unknown[:5])
        parts.append(
            f"{len(report.unknown):,} row(s) name a customer who is not in the book (rows {rows}"
            f"{'…' if len(report.unknown) > 5 else ''})"
        )
    if report.ambiguous:
        rows = ", ".join(str(row) for row, _name in report.ambiguous[:5])
        parts.append(
            f"{len(report.ambiguous):,} name more than one (rows {rows}"
            f"{'…' if len(report.ambiguous) > 5 else ''})"
        )
    if not parts:
        return ""
    return "; ".join(parts) + ": imported without the link."
