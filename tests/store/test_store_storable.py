"""Which vendor records the book cannot store, per dialect, and how a page sets them aside
(store/storable.py; the real servers' refusals are tests/hub/test_team_unstorable.py)."""

from __future__ import annotations

from agencydesk.domain import Customer, Policy, Provenance, RecordKind, Thread
from agencydesk.store.storable import why_unstorable
from agencydesk.sync.unstorable import set_aside_unstorable
from agencydesk.vendors.connector import PulledPage

HELD = Provenance(vendor="agencyzoom", account="AZ main", remote_id="7")


def _policy(premium_cents: int, remote_id: str = "7") -> Policy:
    held = Provenance(vendor="agencyzoom", account="AZ main", remote_id=remote_id)
    return Policy(provenance=held, premium_cents=premium_cents, raw={"premium": premium_cents})


def test_a_premium_is_kept_to_64_bits_on_both_dialects() -> None:
    thirty_million = _policy(3_000_000_000)  # $30M in cents: past 32 bits (migration 0039)
    assert why_unstorable(thirty_million, "postgresql") is None
    assert why_unstorable(thirty_million, "sqlite") is None
    for dialect in ("postgresql", "sqlite"):
        assert why_unstorable(_policy(2**63), dialect) == (
            "premium: a number larger than the book keeps (over 9,223,372,036,854,775,807)"
        )


def test_a_32_bit_column_is_still_checked_on_postgresql_only() -> None:
    chatty = Thread(provenance=HELD, message_count=2**31)
    assert (why_unstorable(chatty, "postgresql") or "").startswith(
        "message_count: a number larger than the book keeps (over 2,147,483,647)"
    )
    assert why_unstorable(chatty, "sqlite") is None


def test_the_field_is_named_as_the_vendor_names_it_else_as_the_book_does() -> None:
    nul = Customer(provenance=HELD, city="Austin\x00", raw={"data": {"cityName": "Austin\x00"}})
    assert why_unstorable(nul, "postgresql") == (
        "data.cityName: holds a NUL character (\\x00), which the team book cannot store"
    )
    assert why_unstorable(nul, "sqlite") is None
    unnamed = Customer(provenance=HELD, city="Austin\x00")
    assert (why_unstorable(unnamed, "postgresql") or "").startswith("city: holds a NUL")
    # A NUL the record does not show still reaches the link trigger's jsonb on PostgreSQL.
    hidden = Customer(provenance=HELD, raw={"memo": "a\x00b"})
    assert (why_unstorable(hidden, "postgresql") or "").startswith("memo: holds a NUL")


def test_a_page_keeps_its_other_records_and_their_parents() -> None:
    customer = Customer(provenance=HELD, city="Austin")
    page = PulledPage(
        records=[customer, _policy(2**63, "8"), _policy(12_000, "9")],
        links={1: (RecordKind.CUSTOMER, "7"), 2: (RecordKind.CUSTOMER, "7")},
    )
    assert set_aside_unstorable(page, "postgresql") == 1
    assert [r.provenance.remote_id for r in page.records] == ["7", "9"]
    assert page.links == {1: (RecordKind.CUSTOMER, "7")}
    [aside] = page.unreadable
    assert (aside.remote_id, aside.payload) == ("8", f'{{"premium": {2**63}}}')
    assert aside.reason.startswith("premium: a number larger than the book keeps")
