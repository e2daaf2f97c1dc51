"""Linking on the team hub's PostgreSQL (issue 11): the pass reads and writes with the driver's
own SQL there too, so the same person at two vendors is one row, a policy reported twice is
counted once in its customer's totals, and a second pass changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from agencydesk.domain import Customer, Lead, Policy, PolicyStatus, Provenance, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.store.test_store_linking_changes import compare_bulk_writes, compare_passes

T0 = datetime(2026, 5, 1, tzinfo=UTC)
T1 = datetime(2026, 6, 1, tzinfo=UTC)


def _held(vendor: str, remote_id: str) -> Provenance:
    return Provenance(vendor=vendor, account=f"{vendor} main", remote_id=remote_id)


def test_the_hub_links_one_person_and_counts_a_policy_once(migrated_team_url: str) -> None:
    book = Book.open_team(migrated_team_url)
    try:
        az = book.save(
            Customer(provenance=_held("agencyzoom", "c1"), first_name="Raj", last_name="Patel",
                     email="raj@work.example", phone="+15125550111", updated_at=T0)
        )  # fmt: skip
        bloc = book.save(
            Customer(provenance=_held("agencybloc", "b1"), first_name="Raj", last_name="Patel",
                     email="RAJ@work.example", phone="(512) 555-0111", updated_at=T1)
        )  # fmt: skip
        lead = book.save(
            Lead(provenance=_held("lofty", "l1"), first_name="Raj", last_name="Patel",
                 phone="512.555.0111")
        )  # fmt: skip
        spouse = book.save(
            Lead(provenance=_held("lofty", "l2"), first_name="Priya", last_name="Patel",
                 email="raj@work.example")
        )  # fmt: skip
        for remote_id in ("p1", "p1:ams"):  # AgencyZoom's two endpoints, one policy
            book.save(
                Policy(provenance=_held("agencyzoom", remote_id), customer_id=az.id,
                       policy_number="HO-123", carrier="Acme", premium_cents=50_000,
                       status=PolicyStatus.ACTIVE, effective_date=date(2026, 1, 1),
                       expiration_date=date(2027, 1, 1))
            )  # fmt: skip
        report = book.links.relink()
        assert (report.groups, report.linked, report.suggestions) == (2, 5, 1)
        group = {(m.kind, m.id) for m in book.links.group(RecordKind.CUSTOMER, az.id or 0)}
        assert group == {
            (RecordKind.CUSTOMER, az.id),
            (RecordKind.CUSTOMER, bloc.id),
            (RecordKind.LEAD, lead.id),
        }
        [row] = book.page(RecordKind.CUSTOMER, ListQuery(), 0, 10)
        assert row.record.id == bloc.id  # the most recently updated
        assert row.held_in == "AgencyBloc · AgencyZoom · Lofty"
        assert (row.policy_count, row.total_premium_cents) == (1, 50_000)
        assert book.count(RecordKind.POLICY, ListQuery()) == 1
        [suggestion] = book.links.suggestions(RecordKind.LEAD, spouse.id or 0)
        assert suggestion.reason == "same email raj@work.example, different names"
        assert book.links.relink().changed == 0
    finally:
        book.close()


def test_the_hub_links_what_changed_as_it_links_the_whole_book(migrated_team_url: str) -> None:
    """On PostgreSQL the change log is filled by its own triggers (migration 0031): the hub's
    pass after a round links only what changed, with the whole-book result."""
    book = Book.open_team(migrated_team_url)
    try:
        compare_passes(book, seed=5, people=80, rounds=3)
    finally:
        book.close()


def test_the_hub_writes_a_big_pass_in_bulk_as_it_writes_each_row(
    migrated_team_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big pass's writes a value (or a book's totals) at a time, on PostgreSQL: the same
    book as written one row at a time."""
    book = Book.open_team(migrated_team_url)
    try:
        compare_bulk_writes(book, monkeypatch)
    finally:
        book.close()
