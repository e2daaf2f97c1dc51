"""Linking only what changed (``LinkBook.relink_changed``) leaves the book exactly as a pass over
the whole book would: every link, its evidence, every suggestion, each row's Held in, hidden flag
and customer link, and the customers' totals; the user's links and unlinks hold through it."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agencydesk.domain import Customer, Lead, Policy, Provenance, RecordKind
from agencydesk.store import link_book, link_changes, totals
from agencydesk.store.book import Book

VENDORS = ("agencyzoom", "lofty", "agencybloc", "conecrm", "local")
FIRST = ("Jane", "J", "John", "Ann", "Li", "")
LAST = ("Garcia", "García", "Ng", "Smith", "")
BUSINESS = ("", "", "", "Acme Roofing")
EMAILS = (
    *(f"p{i}@example.com" for i in range(100)),
    " P3@Example.com",
    "jo_ann@example.com",
    "JO_ANN@example.com ",
    "",
    "office@agency.com",
)
PHONES = (*(f"(512) 555-0{i:03d}" for i in range(90)), "+15125550100", "512.555.0001", "", "555")
CARRIERS = ("Progressive", "progressive", "Safeco")
NUMBERS = ("HO-1", "ho1", "AU-2", "AU 3", "")
T0 = datetime(2026, 5, 1, tzinfo=UTC)


def held(vendor: str, remote_id: str) -> Provenance:
    return Provenance(vendor=vendor, account=f"{vendor} main", remote_id=remote_id)


class Sandbox:
    """A small book whose people and policies share keys often: every kind of group, chain,
    suggestion and office email a real book has, in a few hundred records."""

    def __init__(self, book: Book, seed: int) -> None:
        self.book, self.rng, self.serial = book, random.Random(seed), 0
        self.records: dict[tuple[RecordKind, int], Any] = {}

    def person(self, kind: RecordKind) -> Lead | Customer:
        rng = self.rng
        self.serial += 1
        vendor = rng.choice(VENDORS)
        values: dict[str, Any] = {
            "first_name": rng.choice(FIRST),
            "last_name": rng.choice(LAST),
            "business_name": rng.choice(BUSINESS),
            "email": rng.choice(EMAILS),
            "phone": rng.choice(PHONES),
            "updated_at": T0 + timedelta(days=rng.randrange(4)),
        }
        if vendor != "local":
            values["provenance"] = held(vendor, str(self.serial))
        return Lead(**values) if kind is RecordKind.LEAD else Customer(**values)

    def policy(self) -> Policy:
        rng = self.rng
        self.serial += 1
        customers = [i for k, i in self.records if k is RecordKind.CUSTOMER]
        vendor = rng.choice(VENDORS[:3])
        return Policy(
            provenance=held(vendor, str(self.serial)),
            customer_id=rng.choice(customers) if customers else None,
            carrier=rng.choice(CARRIERS),
            policy_number=rng.choice(NUMBERS),
            premium_cents=rng.randrange(1, 5) * 10_000,
            updated_at=T0 + timedelta(days=rng.randrange(4)),
        )

    def add(self, record: Any) -> None:
        saved = self.book.save(record)
        self.records[(saved.kind, saved.id)] = saved

    def add_some(self, people: int, policies: int) -> None:
        for _ in range(people):
            self.add(self.person(self.rng.choice((RecordKind.LEAD, RecordKind.CUSTOMER))))
        for _ in range(policies):
            self.add(self.policy())

    def change_some(self, count: int) -> None:
        """Edits as a sync brings them: new emails, phones, names, policy numbers, newer
        records; some records deleted."""
        rng = self.rng
        for key in rng.sample(sorted(self.records, key=str), count):
            record = self.records[key]
            if rng.random() < 0.15:
                self.book.delete(key[0], [key[1]])
                del self.records[key]
                continue
            if key[0] is RecordKind.POLICY:
                field, value = rng.choice(
                    (("policy_number", rng.choice(NUMBERS)), ("carrier", rng.choice(CARRIERS)))
                )
            else:
                field, value = rng.choice(
                    (
                        ("email", rng.choice(EMAILS)),
                        ("phone", rng.choice(PHONES)),
                        ("first_name", rng.choice(FIRST)),
                        ("last_name", rng.choice(LAST)),
                    )
                )
            values: dict[str, Any] = {field: value}
            values["updated_at"] = record.updated_at + timedelta(days=rng.randrange(3))
            if (
                key[0] is RecordKind.POLICY
                and (RecordKind.CUSTOMER, record.customer_id) not in self.records
            ):
                values["customer_id"] = None  # its customer was deleted meanwhile
            self.add(dataclasses.replace(record, **values))

    def decide_some(self) -> None:
        """The user's word: a suggestion confirmed, one rejected, a record unlinked, two records
        linked by hand."""
        links, rng = self.book.links, self.rng
        suggestions = links.suggestions()
        for confirm, s in zip(
            (True, False), rng.sample(suggestions, min(2, len(suggestions))), strict=False
        ):
            pair = ((s.kind, s.id), (s.other_kind, s.other_id))
            (links.link if confirm else links.reject)(*pair)
        linked = [k for k in self.records if k[0] is not RecordKind.POLICY and self.group(k)]
        if linked:
            links.unlink(*rng.choice(linked))
        people = [k for k in self.records if k[0] is not RecordKind.POLICY]
        links.link(*rng.sample(people, 2))

    def group(self, key: tuple[RecordKind, int]) -> list[Any]:
        return self.book.links.group(*key)


def linking_state(book: Book) -> dict[str, list[Any]]:
    """Everything a linking pass writes."""
    with book.reading() as conn:

        def rows(sql: str) -> list[Any]:
            return sorted(tuple(r) for r in conn.exec_driver_sql(sql))

        return {
            "links": rows(
                "SELECT record_kind, record_id, group_id, rule, reason FROM record_links"
            ),
            "suggestions": rows("SELECT a_kind, a_id, b_kind, b_id, reason FROM link_suggestions"),
            "leads": rows("SELECT id, held_in, link_hidden, customer_link FROM leads"),
            "customers": rows(
                "SELECT id, held_in, link_hidden, policy_count, total_premium_cents FROM customers"
            ),
            "policies": rows("SELECT id, held_in, link_hidden FROM policies"),
        }


def compare_passes(book: Book, seed: int, *, people: int = 140, rounds: int = 5) -> None:
    """Rounds of edits, additions, deletions (then decisions), each linked by what changed and
    compared with a whole-book pass over the same book; then the records are deleted again."""
    sandbox = Sandbox(book, seed)
    sandbox.add_some(people=people, policies=people // 4)
    book.links.relink()
    groups_seen = 0
    for _round in range(rounds):
        sandbox.change_some(12)
        sandbox.add_some(people=6, policies=2)
        report = book.links.relink_changed()
        assert not report.whole_book  # a few changes: only their part of the book
        changed_only = linking_state(book)
        assert book.links.relink().changed == 0
        assert linking_state(book) == changed_only
        sandbox.decide_some()  # (each decision itself links only what it changed)
        decided = linking_state(book)
        book.links.relink()
        assert linking_state(book) == decided
        groups_seen += len(decided["links"])
    assert groups_seen > 10 * rounds  # the book really was linking: groups, not just lone rows
    assert decided["suggestions"]
    for kind in (RecordKind.LEAD, RecordKind.POLICY, RecordKind.CUSTOMER):
        book.delete(kind, [k[1] for k in sandbox.records if k[0] is kind])


def test_linking_what_changed_gives_what_linking_the_whole_book_gives(book: Book) -> None:
    for seed in range(3):
        compare_passes(book, seed)


def test_a_pass_with_nothing_new_reads_nothing_and_keeps_everything(book: Book) -> None:
    sandbox = Sandbox(book, 11)
    sandbox.add_some(people=60, policies=10)
    first = book.links.relink_changed()  # every record is new: all of them are linked
    assert first.linked > 0
    # A cache made before the change log (or new) asks for one whole-book pass first: what
    # changed before the log existed was never logged.
    assert first.whole_book
    before = linking_state(book)
    again = book.links.relink_changed()
    assert (again.groups, again.linked, again.changed, again.suggestions) == (0, 0, 0, 0)
    assert linking_state(book) == before
    with book.reading() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM link_changes").scalar_one() == 0


def test_a_log_naming_many_records_links_the_whole_book_without_reading_it_first(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-sync that touched most records: the log's size alone sends the pass over the whole
    book, with the result such a pass gives; many log rows about one record are one record."""
    monkeypatch.setattr(link_changes, "WHOLE_BOOK_FROM", 30)
    sandbox = Sandbox(book, 5)
    sandbox.add_some(people=90, policies=20)
    book.links.relink()
    lead_ids = [i for k, i in sandbox.records if k is RecordKind.LEAD]
    assert len(lead_ids) >= 30

    def resync(ids: list[int], stamp: str) -> None:
        with book.writing() as conn:
            for lead_id in ids:
                conn.exec_driver_sql(
                    "UPDATE leads SET updated_at = ? WHERE id = ?", (stamp, lead_id)
                )

    for day in range(40):  # forty log rows, one record: linked as a part of the book
        resync(lead_ids[:1], f"2026-07-{day % 28 + 1:02d} 09:{day:02d}:00.000000")
    assert not book.links.relink_changed().whole_book
    resync(lead_ids, "2026-08-01 09:00:00.000000")
    report = book.links.relink_changed()
    assert report.whole_book
    assert report.linked > 0
    after = linking_state(book)
    assert book.links.relink().changed == 0
    assert linking_state(book) == after
    with book.reading() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM link_changes").scalar_one() == 0


def test_an_unlink_and_a_rejection_hold_when_the_records_change_again(book: Book) -> None:
    def kim(vendor: str, **values: Any) -> Customer:
        saved = book.save(
            Customer(
                provenance=held(vendor, "1"),
                first_name="Kim",
                last_name="Ng",
                email="kim@example.com",
                **values,
            )
        )
        assert isinstance(saved, Customer)
        return saved

    a, b, c = kim("agencyzoom"), kim("agencybloc"), kim("conecrm", phone="+15125550123")
    spouse = kim("lofty", phone="+15125550999")
    spouse = book.save(dataclasses.replace(spouse, first_name="Lee"))
    book.links.relink_changed()
    ids = {m.id for m in book.links.group(RecordKind.CUSTOMER, a.id)}  # type: ignore[arg-type]
    assert ids == {a.id, b.id, c.id}
    [suggested] = book.links.suggestions(RecordKind.CUSTOMER, spouse.id)
    book.links.unlink(RecordKind.CUSTOMER, c.id)  # type: ignore[arg-type]
    book.links.reject(
        (RecordKind.CUSTOMER, spouse.id),  # type: ignore[arg-type]
        (suggested.other_kind, suggested.other_id),
    )
    # A re-sync brings newer versions of all four, same evidence as before.
    for record in (a, b, c, spouse):
        book.save(dataclasses.replace(record, updated_at=T0 + timedelta(days=9), city="Austin"))
    report = book.links.relink_changed()
    assert not report.whole_book
    assert book.links.group(RecordKind.CUSTOMER, c.id) == []  # type: ignore[arg-type]
    assert book.links.group(RecordKind.CUSTOMER, spouse.id) == []  # type: ignore[arg-type]
    assert book.links.suggestions(RecordKind.CUSTOMER, spouse.id) == []  # type: ignore[arg-type]
    ids = {m.id for m in book.links.group(RecordKind.CUSTOMER, b.id)}  # type: ignore[arg-type]
    assert ids == {a.id, b.id}
    # The email of one of the pair changes: the pair comes apart, in that pass alone.
    book.save(dataclasses.replace(a, email="kim.ng@elsewhere.com"))
    book.links.relink_changed()
    assert book.links.group(RecordKind.CUSTOMER, b.id) == []  # type: ignore[arg-type]
    kept = linking_state(book)
    book.links.relink()
    assert linking_state(book) == kept


def test_a_new_record_finds_the_one_it_matches_however_each_writes_email_and_phone(
    book: Book,
) -> None:
    """A record arriving alone is matched on its keys (not on stored links), whatever the case,
    spaces, underscores and separators in the other record's email and phone."""
    pairs = (
        ("Jo_Ann@Example.com ", "jo_ann@example.com", "", ""),
        ("", "", "(512) 555-0100", "512.555.0100"),
        ("", "", "+1 512 555 0177", "5125550177"),
    )
    for n, (email_a, email_b, phone_a, phone_b) in enumerate(pairs):
        last = f"Ng{n}"
        first = book.save(
            Customer(provenance=held("agencyzoom", last), first_name="Jo", last_name=last,
                     email=email_a, phone=phone_a)
        )  # fmt: skip
        book.links.relink_changed()
        second = book.save(
            Lead(provenance=held("lofty", last), first_name="Jo", last_name=last,
                 email=email_b, phone=phone_b)
        )  # fmt: skip
        report = book.links.relink_changed()
        assert not report.whole_book
        group = {m.id for m in book.links.group(RecordKind.LEAD, second.id)}  # type: ignore[arg-type]
        assert group == {first.id, second.id}, pairs[n]


def test_totals_of_many_regrouped_customers_are_those_counted_one_by_one(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass that regroups many customers adds up their totals from one grouped scan of the
    policies; each total is what the per-customer count gives (policies of the whole group,
    each copy once, premium of the active ones)."""
    sandbox = Sandbox(book, 23)
    sandbox.add_some(people=160, policies=80)
    monkeypatch.setattr(totals, "_ALL_AT_ONCE_FROM", 10**9)  # one customer at a time
    book.links.relink()
    one_by_one = linking_state(book)
    assert any(count > 1 for _id, _held, _hidden, count, _cents in one_by_one["customers"])
    with book.writing() as conn:  # linked customers' totals gone stale, their links lost
        stale = conn.exec_driver_sql(
            "UPDATE customers SET policy_count = 99, total_premium_cents = 1 WHERE id IN "
            "(SELECT record_id FROM record_links WHERE record_kind = 'customer')"
        ).rowcount
        conn.exec_driver_sql("DELETE FROM record_links")
    assert stale > 5
    monkeypatch.setattr(totals, "_ALL_AT_ONCE_FROM", 1)  # all at once
    book.links.relink()
    assert linking_state(book) == one_by_one


def forget_linking(book: Book) -> None:
    """Every row back to "never linked" (as stored before any pass)."""
    with book.writing() as conn:
        for table in ("leads", "customers", "policies"):
            conn.exec_driver_sql(f"UPDATE {table} SET held_in = '', link_hidden = FALSE")
        conn.exec_driver_sql("UPDATE leads SET customer_link = NULL")
        conn.exec_driver_sql("DELETE FROM record_links")
        conn.exec_driver_sql("DELETE FROM link_suggestions")


def test_a_pass_writing_rows_in_bulk_leaves_what_writing_them_one_by_one_leaves(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    compare_bulk_writes(book, monkeypatch)


def compare_bulk_writes(book: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big pass writes the rows sharing a value with one statement and the totals of many
    customers at once: the book ends as a pass writing each row and customer on its own leaves
    it, and passes over what changed agree with whole-book ones."""
    monkeypatch.setattr(link_book, "_ONE_STATEMENT_FROM", 10**9)
    monkeypatch.setattr(totals, "_ALL_AT_ONCE_FROM", 10**9)
    sandbox = Sandbox(book, 31)
    sandbox.add_some(people=200, policies=60)
    book.links.relink()
    one_by_one = linking_state(book)
    monkeypatch.setattr(link_book, "_ONE_STATEMENT_FROM", 1)
    monkeypatch.setattr(totals, "_ALL_AT_ONCE_FROM", 1)
    forget_linking(book)
    report = book.links.relink()
    assert report.changed > 50
    assert linking_state(book) == one_by_one
    compare_passes(book, 41, rounds=2)
