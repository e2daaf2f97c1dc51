"""A vendor record the book cannot store is set aside like an unreadable one, named with its
vendor id and field, while the rest of its page and its account's read go on (issue 14: one bad
record must not stop an account's read for every desk). Real AgencyZoom sandbox answers, stored
on PostgreSQL (the team book) and on SQLite (a desk's own book)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from agencydesk.cli import main as cli_main
from agencydesk.domain import Policy, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.engine import SyncEngine
from agencydesk.vendors.agencyzoom.connector import create_connector
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.catalog import agencyzoom_limit
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from tests.hub.teams import ACCOUNT, Team

NUL_NUMBER = "HO-\x00771"  # a stray NUL from a bad import at the agency's end
BROKEN_CITY = "San Marcos \ud800"  # a lone surrogate: JSON's "\ud800" escape with no pair


def _poison(sandbox: Sandbox) -> tuple[str, str, str, str]:
    """(policy id with a NUL, customer id with a broken character, customer id whose city
    is longer than the book's column, policy id with a premium past 64 bits), as the book
    names them."""
    policy, big = sorted(sandbox.state.policies.values(), key=lambda p: p.id)[:2]
    policy.data.policyNumber = NUL_NUMBER
    big.data.premium = 2**63  # cents (L1168): past 64 bits, which both books keep at most
    broken, long = sorted(sandbox.state.customers.values(), key=lambda c: c.id)[1:3]
    broken.data.city = BROKEN_CITY
    long.data.city = "Lakeway" * 20  # 140 characters; the book keeps 120
    # (A policy's id at AgencyZoom is read under its customer's: its listing is per customer.)
    return (
        f"{policy.customer_id}:{policy.id}",
        str(broken.id),
        str(long.id),
        f"{big.customer_id}:{big.id}",
    )


@pytest.mark.asyncio
async def test_the_team_book_sets_aside_what_postgresql_cannot_hold_and_reads_the_rest(
    team: Team, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    policy_id, broken_id, long_id, big_id = _poison(team.sandbox)

    done = await team.hub.run_round()

    [report] = done.reports
    assert report.ok, report.summary()
    assert ", set aside 4 that could not be stored, " in report.summary()
    book = team.book
    customers = book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT)
    assert set(customers) == {str(c) for c in team.sandbox.state.customers} - {broken_id, long_id}
    policies = book.remote_ids(RecordKind.POLICY, "agencyzoom", ACCOUNT)
    assert policy_id not in policies
    assert big_id not in policies
    assert len(policies) == len(team.sandbox.state.policies) - 2
    reasons = {q.remote_id: q.reason for q in book.ledgers.quarantined(ACCOUNT)}
    assert reasons[policy_id].startswith("policyNumber: holds a NUL character"), reasons
    assert reasons[broken_id].startswith("city: holds a broken character"), reasons
    assert reasons[long_id] == "city: 140 characters, more than the 120 the book keeps"
    assert reasons[big_id] == (
        "premium: a number larger than the book keeps (over 9,223,372,036,854,775,807)"
    )
    # The hub's log names each for its operator, without the value that could not be stored.
    said = [r.getMessage() for r in caplog.records if r.name == "agencydesk.sync.unstorable"]
    assert f"AZ main: policy {policy_id} set aside: {reasons[policy_id]}" in said
    assert not any("771" in line for line in said)
    # The operator's account list names each one with its vendor id and field.
    capsys.readouterr()
    assert cli_main(["hub", "account", "list", "--database", team.url]) == 0
    listed = capsys.readouterr().out
    assert f"policies {policy_id} (policyNumber: holds a NUL character" in listed, listed
    assert f"customers {long_id} (city: 140 characters" in listed, listed

    # Fixed at the vendor: the next read stores it and takes it off the list.
    team.sandbox.state.customers[int(long_id)].data.city = "Lakeway"
    await team.hub.run_round()
    assert long_id in book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT)
    assert long_id not in {q.remote_id for q in book.ledgers.quarantined(ACCOUNT)}


@pytest.mark.asyncio
async def test_a_desks_own_book_keeps_a_nul_and_sets_aside_a_broken_character(
    tmp_path: Path,
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="tiny"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    policy_id, broken_id, long_id, big_id = _poison(sandbox)
    # And one record no book can read: a premium that is not a number (L1168: integer cents).
    spoiled = max(sandbox.state.policies.values(), key=lambda p: p.id)
    assert str(spoiled.customer_id) not in {broken_id, long_id}
    spoiled.data.premium = "lots"  # type: ignore[assignment]
    book = Book.open(tmp_path / "desk.sqlite3")
    try:
        book.ledgers.save_account(AccountRow("AZ solo", "agencyzoom", "http://az.test"))
        transport = httpx.ASGITransport(app=sandbox.app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://az.test") as http:
            limiter = AccountLimiter(agencyzoom_limit, window_s=0.001)
            connector = create_connector("AZ solo", "http://az.test", sandbox.credentials, http,
                                         limiter)  # fmt: skip
            [report] = await SyncEngine(book, [connector], limiters={"AZ solo": limiter}).sync()
            await connector.aclose()
        assert report.ok, report.summary()
        # The summary says why each kind was set aside: not everything is "unreadable".
        said = "set aside 3 (1 unreadable, 2 could not be stored)"
        assert f", {said}, " in report.summary(), report.summary()
        # SQLite holds a NUL and any length as the vendor sent them: nothing set aside for them.
        found = book.find_remote(RecordKind.POLICY, "agencyzoom", "AZ solo", policy_id)
        assert isinstance(found, Policy)
        assert found.policy_number == NUL_NUMBER
        assert book.find_remote(RecordKind.CUSTOMER, "agencyzoom", "AZ solo", long_id)
        reasons = {q.remote_id: q.reason for q in book.ledgers.quarantined("AZ solo")}
        spoiled_id = str(spoiled.id)  # unreadable: named by the id the listing item carries
        assert reasons.keys() == {broken_id, big_id, spoiled_id}
        assert reasons[spoiled_id].startswith("premium")
        assert reasons[broken_id].startswith("city: holds a broken character")
        assert reasons[big_id].startswith("premium: a number larger than the book keeps")
    finally:
        book.close()
