"""Links on a team book: each desk links its own replica (its offline edits link at once), under
the team's decisions. That is only right if linking the same rows under the same decisions
gives the same links wherever it runs: the hub on PostgreSQL, which hands rows back in its own
order once they have been updated, and every desk on SQLite. And a desk's own decision holds
on that desk from the moment it is made, through its push, until the hub's decisions carry it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from agencydesk.domain import Customer, Lead, Provenance, RecordKind
from agencydesk.services.team.desk import DeskReplica
from agencydesk.store.book import Book
from tests.book_files import fresh_book
from tests.hub.teams import Team

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def _held(vendor: str, remote_id: str) -> Provenance:
    return Provenance(vendor=vendor, account=f"{vendor} main", remote_id=remote_id)


Desks = list[tuple[Book, DeskReplica]]


@pytest.fixture
def desks(team: Team, tmp_path: Path, empty_cache: Path) -> Iterator[Desks]:
    made = []
    for name in ("a", "b"):
        book = fresh_book(empty_cache, tmp_path / f"{name}.sqlite3")
        made.append((book, DeskReplica(book, team.url, None)))
    yield made
    for book, desk in made:
        desk.close()
        book.close()


def _people(hub: Book) -> dict[str, int]:
    """Four vendors' records of Raj Patel (on one email, or one phone and his name), his wife on
    the same email (a suggestion only), a record of the family with no first name on that email
    (it joins whichever name the linker meets first), and a record that is Priya under her
    maiden name (linked only by hand)."""
    saved = {
        "az": Customer(provenance=_held("agencyzoom", "c1"), first_name="Raj", last_name="Patel",
                       email="raj@work.example", phone="+15125550111", updated_at=T0),
        "bloc": Customer(provenance=_held("agencybloc", "b1"), last_name="Patel",
                         email="RAJ@work.example", updated_at=T0),
        "lofty": Lead(provenance=_held("lofty", "l1"), first_name="Raj", last_name="Patel",
                      email="raj@work.example", phone="512.555.0111"),
        "cone": Lead(provenance=_held("conecrm", "n1"), first_name="Raj", last_name="Patel",
                     phone="(512) 555-0111"),
        "spouse": Lead(provenance=_held("lofty", "l2"), first_name="Priya", last_name="Patel",
                       email="raj@work.example"),
        "maiden": Lead(provenance=_held("leadexec", "x2"), first_name="Priya",
                       last_name="Shah", email="priya@home.example"),
    }  # fmt: skip
    ids = {}
    for name, record in saved.items():
        stored = hub.save(record)
        assert stored.id is not None
        ids[name] = stored.id
    return ids


def _links(book: Book) -> dict[str, Any]:
    """Everything linking leaves in a book: groups with their evidence, suggestions, and each
    row's Held in, hidden flag and the customer a lead shows with."""

    def rows(sql: str) -> list[tuple[Any, ...]]:
        with book.reading() as conn:
            return sorted(tuple(r) for r in conn.exec_driver_sql(sql))

    return {
        "links": rows("SELECT record_kind, record_id, group_id, rule, reason FROM record_links"),
        "suggestions": rows("SELECT a_kind, a_id, b_kind, b_id, reason FROM link_suggestions"),
        "leads": [
            (i, held, bool(hidden), customer)
            for i, held, hidden, customer in rows(
                "SELECT id, held_in, link_hidden, customer_link FROM leads"
            )
        ],
        "customers": [
            (i, held, bool(hidden))
            for i, held, hidden in rows("SELECT id, held_in, link_hidden FROM customers")
        ],
    }


@pytest.mark.asyncio
async def test_the_hub_and_every_desk_link_the_team_book_alike(team: Team, desks: Desks) -> None:
    hub = team.book
    ids = _people(hub)
    # Records the hub updates (a vendor's change synced, a desk's edit) come back from
    # PostgreSQL's table scan after the others: the hub reads them in another order than a
    # desk's SQLite, which reads by id.
    for name in ("az", "lofty"):
        kind = RecordKind.CUSTOMER if name == "az" else RecordKind.LEAD
        record = hub.get(kind, ids[name])
        assert record is not None
        hub.save(replace(record, city="Austin"))
    hub.links.relink()
    at_the_hub = _links(hub)
    assert len(at_the_hub["links"]) >= 4  # Raj at four vendors, or three and the family
    assert at_the_hub["suggestions"]  # the spouses share the email

    for book, desk in desks:
        desk.pull()  # copies the rows, then links the replica itself
        assert _links(book) == at_the_hub

    # A decision made on one desk gives the same links everywhere once the team has it.
    a_book, a = desks[0]
    a_book.links.unlink(RecordKind.LEAD, ids["cone"])
    assert a.push().shipped
    await team.hub.apply_edits()  # the hub links its book again under the team's decisions
    at_the_hub = _links(hub)
    assert ("lead", ids["cone"]) not in {(r[0], r[1]) for r in at_the_hub["links"]}
    for book, desk in desks:
        desk.pull()
        assert _links(book) == at_the_hub


@pytest.mark.asyncio
async def test_a_desks_own_link_decision_holds_until_the_team_has_it(
    team: Team, desks: Desks
) -> None:
    ids = _people(team.book)
    team.book.links.relink()
    (a_book, a), (b_book, b) = desks
    a.pull()
    b.pull()
    spouse = (RecordKind.LEAD, ids["spouse"])
    assert len(a_book.links.group(*spouse)) <= 1  # a suggestion only, as linked

    a_book.links.link(spouse, (RecordKind.LEAD, ids["maiden"]))  # "the same person"
    linked = {m.id for m in a_book.links.group(*spouse)}
    assert linked == {ids["spouse"], ids["maiden"]}
    assert a.push().shipped
    # Shipped, not yet applied by the hub: a pull (another desk's change, say) keeps it.
    team.book.save(replace(_lead(team.book, ids["cone"]), city="Round Rock"))
    assert a.pull().copied
    assert {m.id for m in a_book.links.group(*spouse)} == linked
    b.pull()
    assert len(b_book.links.group(*spouse)) <= 1  # not the team's word yet

    await team.hub.apply_edits()
    for book, desk in desks:
        desk.pull()
        assert {m.id for m in book.links.group(*spouse)} == linked


def _lead(book: Book, lead_id: int) -> Lead:
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    return lead
