"""Linking in the store: records of several vendor accounts (and local ones) that are the same
person or policy become one row, only on strong evidence; weak evidence is a suggestion; the
user's links and unlinks are kept through later passes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from agencydesk.domain import Customer, Lead, Policy, PolicyStatus, Provenance, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery

T0 = datetime(2026, 5, 1, tzinfo=UTC)
T1 = datetime(2026, 6, 1, tzinfo=UTC)


def held(vendor: str, remote_id: str) -> Provenance:
    return Provenance(vendor=vendor, account=f"{vendor} main", remote_id=remote_id)


def shown(book: Book, kind: RecordKind, **query: object) -> list[int]:
    items = book.page(kind, ListQuery(**query), 0, 100)  # type: ignore[arg-type]
    return sorted(i.record.id for i in items if i.record.id is not None)


def test_same_email_and_name_at_two_vendors_is_one_row_held_in_both(book: Book) -> None:
    az = book.save(
        Lead(
            provenance=held("agencyzoom", "1"),
            first_name="Jane",
            last_name="Garcia",
            email="Jane.Garcia@Example.com",
            updated_at=T0,
        )
    )
    lofty = book.save(
        Lead(
            provenance=held("lofty", "9"),
            first_name="Jane",
            last_name="García",
            email=" jane.garcia@example.com",
            phone="(512) 555-0100",
            updated_at=T1,
        )
    )
    other = book.save(Lead(first_name="Tom", last_name="Hill", email="tom@example.com"))
    report = book.links.relink()
    assert (report.groups, report.linked) == (1, 2)
    # The most recently updated record is the row; the other is behind it.
    assert shown(book, RecordKind.LEAD) == sorted([lofty.id, other.id])  # type: ignore[type-var]
    assert book.count(RecordKind.LEAD, ListQuery()) == 2
    assert book.count(RecordKind.LEAD, ListQuery(every_record=True)) == 3
    [row] = [i for i in book.page(RecordKind.LEAD, ListQuery(), 0, 10) if i.record.id == lofty.id]
    assert row.held_in == "AgencyZoom · Lofty"
    assert shown(book, RecordKind.LEAD, held_in="AgencyZoom · Lofty") == [lofty.id]
    assert book.facet_values(RecordKind.LEAD, "held_in") == ["AgencyZoom · Lofty", "This device"]
    group = book.links.group(RecordKind.LEAD, az.id)  # type: ignore[arg-type]
    assert {(m.holder, m.id) for m in group} == {("AgencyZoom", az.id), ("Lofty", lofty.id)}
    why = {m.id: m.reason for m in group}
    # The other record named as the detail pane names it, never by an internal number.
    assert why[az.id] == "same email jane.garcia@example.com and name as Jane García, lead at Lofty"
    assert (
        why[lofty.id]
        == "same email jane.garcia@example.com and name as Jane Garcia, lead at AgencyZoom"
    )
    assert book.links.group(RecordKind.LEAD, other.id) == []  # type: ignore[arg-type]


def test_same_phone_and_name_links_a_lead_to_a_customer_who_is_flagged(book: Book) -> None:
    customer = book.save(
        Customer(
            provenance=held("agencyzoom", "c1"),
            first_name="Raj",
            last_name="Patel",
            phone="+15125550111",
        )
    )
    lead = book.save(
        Lead(
            provenance=held("lofty", "l1"),
            first_name="Raj",
            last_name="Patel",
            phone="512.555.0111",
            email="raj@work.example",
        )
    )
    stranger = book.save(Lead(first_name="Ravi", last_name="Patel", phone="512-555-0111"))
    book.links.relink()
    leads = {i.record.id: i for i in book.page(RecordKind.LEAD, ListQuery(), 0, 10)}
    # Both kinds keep their row (a lead is not a customer row) but the lead knows the customer.
    assert leads[lead.id].customer_link == customer.id
    assert leads[lead.id].held_in == "AgencyZoom · Lofty"
    assert leads[stranger.id].customer_link is None  # same phone, another name: not linked
    [member] = [
        m
        for m in book.links.group(RecordKind.LEAD, lead.id)
        if (m.kind, m.id) == (RecordKind.LEAD, lead.id)
    ]  # type: ignore[arg-type]
    assert member.rule == "phone+name"
    assert shown(book, RecordKind.CUSTOMER) == [customer.id]


def test_spouses_sharing_an_email_stay_two_rows_with_a_suggestion(book: Book) -> None:
    ann = book.save(
        Customer(
            provenance=held("agencyzoom", "a"),
            first_name="Ann",
            last_name="Lee",
            email="lees@example.com",
        )
    )
    bob = book.save(
        Lead(
            provenance=held("lofty", "b"),
            first_name="Bob",
            last_name="Lee",
            email="LEES@example.com",
        )
    )
    report = book.links.relink()
    assert (report.linked, report.suggestions) == (0, 1)
    assert shown(book, RecordKind.LEAD) == [bob.id]
    [suggestion] = book.links.suggestions(RecordKind.LEAD, bob.id)  # type: ignore[arg-type]
    assert (suggestion.other_kind, suggestion.other_id) == (RecordKind.CUSTOMER, ann.id)
    assert (suggestion.other_name, suggestion.other_holder) == ("Ann Lee", "AgencyZoom")
    assert "different names" in suggestion.reason
    # Rejected: gone for good, still two people.
    book.links.reject((RecordKind.LEAD, bob.id), (RecordKind.CUSTOMER, ann.id))  # type: ignore[arg-type]
    book.links.relink()
    assert book.links.suggestions() == []
    assert book.links.group(RecordKind.LEAD, bob.id) == []  # type: ignore[arg-type]


def test_a_confirmed_suggestion_links_and_an_unlink_holds_through_later_passes(book: Book) -> None:
    a = book.save(
        Customer(
            provenance=held("agencyzoom", "1"),
            first_name="Kim",
            last_name="Ng",
            email="kim@example.com",
        )
    )
    b = book.save(
        Customer(
            provenance=held("agencybloc", "1"),
            first_name="Kim",
            last_name="Ng",
            email="kim@example.com",
        )
    )
    c = book.save(
        Customer(
            provenance=held("conecrm", "1"),
            first_name="Kim",
            last_name="Ng",
            phone="+15125550123",
            email="kim@example.com",
        )
    )
    book.links.relink()
    assert len(book.links.group(RecordKind.CUSTOMER, a.id)) == 3  # type: ignore[arg-type]
    book.links.unlink(RecordKind.CUSTOMER, c.id)  # type: ignore[arg-type]
    for _ in range(2):  # a later pass (a re-sync) finds the same evidence and keeps it apart
        book.links.relink()
        assert book.links.group(RecordKind.CUSTOMER, c.id) == []  # type: ignore[arg-type]
        assert {m.id for m in book.links.group(RecordKind.CUSTOMER, a.id)} == {a.id, b.id}  # type: ignore[arg-type]
    assert len(shown(book, RecordKind.CUSTOMER)) == 2
    # Linked again by hand: the user's word wins over their earlier unlink.
    book.links.link((RecordKind.CUSTOMER, c.id), (RecordKind.CUSTOMER, a.id))  # type: ignore[arg-type]
    rules = {m.id: m.rule for m in book.links.group(RecordKind.CUSTOMER, c.id)}  # type: ignore[arg-type]
    assert rules[c.id] == "manual"
    assert len(rules) == 3


def test_one_policy_reported_twice_is_one_row_and_counted_once(book: Book) -> None:
    ann = book.save(
        Customer(
            provenance=held("agencyzoom", "c"),
            first_name="Ann",
            last_name="Lee",
            email="ann@example.com",
        )
    )
    ann_bloc = book.save(
        Customer(
            provenance=held("agencybloc", "c"),
            first_name="Ann",
            last_name="Lee",
            email="ann@example.com",
        )
    )
    policies = [
        Policy(
            provenance=held("agencyzoom", "c:1"),
            customer_id=ann.id,
            carrier="Erie",
            policy_number="E-100 200",
            premium_cents=50_000,
        ),
        Policy(
            provenance=held("agencyzoom", "c:ams:1"),
            customer_id=ann.id,
            carrier="Erie",
            policy_number="e100200",
            premium_cents=50_000,
        ),
        Policy(
            provenance=held("agencybloc", "7"),
            customer_id=ann_bloc.id,
            carrier="Erie",
            policy_number="E-100200",
            premium_cents=50_000,
        ),
        Policy(
            provenance=held("agencybloc", "8"),
            customer_id=ann_bloc.id,
            carrier="Aflac",
            policy_number="A-1",
            premium_cents=2_000,
        ),
        Policy(
            provenance=held("agencyzoom", "c:2"),
            customer_id=ann.id,
            carrier="Aflac",
            policy_number="E-100200",
            premium_cents=7_000,
        ),  # same number, other carrier
    ]
    book.save_many(policies)
    before = {
        i.record.id: i.policy_count for i in book.page(RecordKind.CUSTOMER, ListQuery(), 0, 9)
    }
    assert before == {ann.id: 3, ann_bloc.id: 2}
    book.links.relink()
    assert book.count(RecordKind.POLICY, ListQuery()) == 3
    assert book.count(RecordKind.POLICY, ListQuery(every_record=True)) == 5
    [row] = book.page(RecordKind.CUSTOMER, ListQuery(), 0, 9)
    # The person's row counts the policies of both their records, each policy once.
    assert (row.policy_count, row.total_premium_cents) == (3, 59_000)
    assert row.held_in == "AgencyBloc · AgencyZoom"
    # Their policies, whichever record the user opens.
    assert book.count(RecordKind.POLICY, ListQuery(customer_id=ann_bloc.id)) == 3


def test_in_force_is_by_date_whatever_the_vendor_status(book: Book) -> None:
    today = date(2026, 6, 15)

    def policy(number: str, status: PolicyStatus, start: date, end: date) -> Policy:
        return Policy(
            policy_number=number,
            status=status,
            effective_date=start,
            expiration_date=end,
            carrier="Erie",
        )

    book.save_many(
        [
            policy("STALE", PolicyStatus.ACTIVE, date(2024, 3, 1), date(2025, 3, 1)),
            policy("CURRENT", PolicyStatus.ACTIVE, date(2026, 1, 1), date(2027, 1, 1)),
            policy("LAGGING", PolicyStatus.EXPIRED, date(2026, 1, 1), date(2026, 7, 1)),
            policy("LATER", PolicyStatus.PENDING, date(2026, 9, 1), date(2027, 9, 1)),
            policy("CANCELLED", PolicyStatus.CANCELLED, date(2026, 1, 1), date(2027, 1, 1)),
        ]
    )
    numbers = [
        i.record.policy_number  # type: ignore[attr-defined]
        for i in book.page(RecordKind.POLICY, ListQuery(in_force=True, today=today), 0, 10)
    ]
    assert numbers == ["LAGGING", "CURRENT"]
    renewals = book.page(RecordKind.POLICY, ListQuery(renewal_within_days=30, today=today), 0, 9)
    assert [i.record.policy_number for i in renewals] == ["LAGGING"]  # type: ignore[attr-defined]
    assert book.renewal_counts(30, today)[0].count == 1


def test_quick_find_returns_a_person_once_with_where_they_are_held(book: Book) -> None:
    customer = book.save(
        Customer(
            provenance=held("agencyzoom", "c"),
            first_name="Zelda",
            last_name="Quirke",
            email="zq@example.com",
            updated_at=T1,
        )
    )
    copy = book.save(
        Customer(
            provenance=held("agencybloc", "c"),
            first_name="Zelda",
            last_name="Quirke",
            email="zq@example.com",
            updated_at=T0,
        )
    )
    book.save(
        Lead(
            provenance=held("lofty", "l"),
            first_name="Zelda",
            last_name="Quirke",
            email="ZQ@example.com",
            updated_at=T0,
        )
    )
    assert len(book.quick_find("quirke")) == 3  # before linking: three records
    book.links.relink()
    [hit] = book.quick_find("quirke")
    assert (hit.kind, hit.id) == (RecordKind.CUSTOMER, customer.id)
    assert "held in AgencyBloc · AgencyZoom · Lofty" in hit.subtitle
    assert copy.id != hit.id


def test_a_stored_record_is_held_where_it_is_before_any_pass_and_the_next_pass_links_it(
    book: Book,
) -> None:
    """A record is stored with its own holder as Held in (the column and its filter show it at
    once, and a first pass over a big book writes only the rows it links); the change log still
    hands it to the next pass over what changed, which links it."""
    customer = book.save(
        Customer(provenance=held("agencybloc", "c1"), first_name="Ana", last_name="Ruiz")
    )
    first = book.save(
        Lead(
            provenance=held("lofty", "7"),
            first_name="Ana",
            last_name="Ruiz",
            phone="5125550111",
            updated_at=T0,
        )
    )
    assert shown(book, RecordKind.LEAD, held_in="Lofty") == [first.id]
    assert shown(book, RecordKind.CUSTOMER, held_in="AgencyBloc") == [customer.id]
    book.links.relink_changed()
    second = book.save(
        Lead(
            provenance=held("agencyzoom", "8"),
            first_name="Ana",
            last_name="Ruiz",
            phone="+15125550111",
            updated_at=T1,
        )
    )
    [row] = [i for i in book.page(RecordKind.LEAD, ListQuery(), 0, 10) if i.record.id == second.id]
    assert row.held_in == "AgencyZoom"  # stored alone, not yet linked
    report = book.links.relink_changed()
    assert not report.whole_book
    assert report.linked == 2
    assert shown(book, RecordKind.LEAD) == [second.id]  # the newer one is the row
    assert shown(book, RecordKind.LEAD, held_in="AgencyZoom · Lofty") == [second.id]
    assert shown(book, RecordKind.LEAD, held_in="Lofty") == []
