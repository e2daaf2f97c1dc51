"""Importing into a vendor account (issue 12): every row checked against the vendor's rules
before anything is queued, refused rows named with the reason, the rest queued in the account's
outbox in one transaction and sent; what the vendor holds is read back through the sandbox's
inspector over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest

from agencydesk.cli import main
from agencydesk.domain import Customer, Lead, Policy, Provenance, RecordKind, Task
from agencydesk.profile import prepare_profile
from agencydesk.services.csv_io.into_account import account_choices
from agencydesk.services.csv_io.run import plan_file_into_account
from agencydesk.services.csv_io.vendor_rules import KnownValues, why_not_create
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.queries import ListQuery
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.conecrm.sandbox import create_sandbox as create_conecrm
from agencydesk.vendors.lofty.sandbox import create_sandbox as create_lofty
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve
from tests.csv.conftest import WriteCsv

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]
LABEL = "AZ main"


@pytest.fixture
def az(profile_dir: Path) -> Iterator[tuple[Sandbox, str]]:
    """The AgencyZoom sandbox on a loopback port, an account for it in the profile, read once
    (so the account's pipelines and sources are known)."""
    sandbox = create_sandbox(SandboxOptions(size="small"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    creds = sandbox.credentials
    with serve(sandbox.app) as server:
        book = Book.open(prepare_profile(profile_dir).cache_path)
        settings = {"username": creds["username"], "rate_scale": 1000}
        book.ledgers.save_account(AccountRow(LABEL, "agencyzoom", server.base_url, settings))
        book.close()
        keyring.set_password("AgencyDesk", LABEL, json.dumps({"password": creds["password"]}))
        assert main(["sync", "--profile", str(profile_dir), "--account", LABEL]) == 0
        yield sandbox, server.base_url


def inspect(base_url: str, kind: str, remote_id: str) -> dict[str, Any]:
    answer = httpx.get(f"{base_url}/_sandbox/records/{kind}/{remote_id}")
    assert answer.status_code == 200, answer.text
    record = answer.json()
    assert isinstance(record, dict)
    return record


def leads_of(profile_dir: Path, email: str) -> list[Lead]:
    book = Book.open(prepare_profile(profile_dir).cache_path)
    try:
        rows = book.iter_rows(RecordKind.LEAD, ListQuery(every_record=True))
        found = [r.record for r in rows if r.record.email == email]  # type: ignore[attr-defined]
    finally:
        book.close()
    return [lead for lead in found if isinstance(lead, Lead)]


def outbox_size(profile_dir: Path) -> int:
    book = Book.open(prepare_profile(profile_dir).cache_path)
    try:
        return len(book.ledgers.outbox(LABEL))
    finally:
        book.close()


def test_the_vendor_gets_the_good_rows_and_each_refused_row_is_named(
    az: tuple[Sandbox, str],
    profile_dir: Path,
    write_csv: WriteCsv,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, base_url = az
    pipeline = sandbox.state.lookups.pipelines[-1]  # not the first: the one the file names
    path = write_csv(
        "First Name,Last Name,Email,Phone,Pipeline,Tags\n"
        f"Ada,Quill,ada.quill@example.com,(512) 555-0142,{pipeline.name},vip\n"
        "Bram,Stoke,,(512) 555-0143,,\n"  # AgencyZoom requires an email (#56)
        "Cleo,Ray,cleo.ray@example.com,,Renewals Typo,\n"  # no such pipeline: never the first
    )
    before = len(sandbox.state.leads)
    args = ["import", "--profile", str(profile_dir), "--tab", "leads", str(path), "--into", LABEL]
    capsys.readouterr()

    assert main(args) == 1  # refused rows: nothing queued, nothing sent
    out = capsys.readouterr().out
    assert "in.csv: row 3: AgencyZoom needs Email for a new lead (not sent)" in out
    assert "in.csv: row 4: AgencyZoom has no pipeline 'Renewals Typo' in this account" in out
    assert "1 to create in AZ main, 0 to update" in out
    assert "2 AgencyZoom would refuse" in out
    assert "AgencyZoom's API does not take Tags (1 row) on a new lead" in out
    assert len(sandbox.state.leads) == before
    assert outbox_size(profile_dir) == 0

    assert main([*args, "--skip-invalid"]) == 0
    captured = capsys.readouterr()
    assert "1 sent to AgencyZoom" in captured.out
    assert "AZ main: sent 1 of 1" in captured.err
    assert len(sandbox.state.leads) == before + 1
    [ada] = leads_of(profile_dir, "ada.quill@example.com")
    assert ada.provenance.account == LABEL
    assert ada.provenance.remote_id
    held = inspect(base_url, "leads", ada.provenance.remote_id)
    assert (held["firstname"], held["lastname"]) == ("Ada", "Quill")
    assert held["email"] == "ada.quill@example.com"
    assert held["pipelineId"] == pipeline.id  # the file's pipeline, not the account's first
    assert outbox_size(profile_dir) == 0
    assert not leads_of(profile_dir, "cleo.ray@example.com")


def test_an_update_matches_the_accounts_own_record_and_changes_only_the_files_fields(
    az: tuple[Sandbox, str],
    profile_dir: Path,
    write_csv: WriteCsv,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, base_url = az
    customer = next(iter(sandbox.state.customers.values()))
    held_before = inspect(base_url, "customers", str(customer.id))
    path = write_csv(f"First Name,Last Name,Email,City\n{held_before['firstname']},"
                     f"{held_before['lastname']},{held_before['email']},Round Rock\n")  # fmt: skip
    args = ["import", "--profile", str(profile_dir), "--tab", "customers", str(path)]
    assert main([*args, "--into", LABEL, "--dry-run"]) == 0
    assert "0 to create in AZ main, 1 to update" in capsys.readouterr().out

    assert main([*args, "--into", LABEL]) == 0
    assert "1 sent to AgencyZoom" in capsys.readouterr().out
    held_after = inspect(base_url, "customers", str(customer.id))
    changed = {k for k in held_before | held_after if held_before.get(k) != held_after.get(k)}
    assert held_after["city"] == "Round Rock"
    assert changed <= {"city", "updated"}  # nothing else the vendor held was touched


def test_an_unknown_account_and_one_whose_vendor_cannot_take_the_tab_are_refused(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Book.open(prepare_profile(profile_dir).cache_path)
    book.ledgers.save_account(AccountRow("Bloc", "agencybloc", "http://127.0.0.1:9"))
    book.close()
    path = write_csv("First Name,Email\nAda,ada@example.com\n")
    base = ["import", "--profile", str(profile_dir), "--tab", "leads", str(path), "--into"]
    assert main([*base, "Nope"]) == 2
    assert "no account called 'Nope'" in capsys.readouterr().err
    assert main([*base, "Bloc"]) == 2
    assert "AgencyBloc's Policies API has only policies" in capsys.readouterr().err


def test_the_choices_say_why_an_account_cannot_take_a_tab() -> None:
    rows = [AccountRow("Zoom", "agencyzoom", ""), AccountRow("Bloc", "agencybloc", "")]
    zoom, bloc = account_choices(rows, RecordKind.LEAD)
    assert zoom.why_not == ""
    assert zoom.title == "Zoom (AgencyZoom)"
    assert "only policies" in bloc.why_not


def test_lofty_gets_the_leads_it_can_take_and_never_a_stage_too_long_for_it(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = create_lofty(SandboxOptions(size="small", rate_scale=1000))
    with serve(sandbox.app) as server:
        book = Book.open(prepare_profile(profile_dir).cache_path)
        settings = {"rate_scale": 1000}
        book.ledgers.save_account(AccountRow("Lofty team", "lofty", server.base_url, settings))
        book.close()
        secrets = {"token": sandbox.credentials["token"]}
        keyring.set_password("AgencyDesk", "Lofty team", json.dumps(secrets))
        path = write_csv(
            "First Name,Last Name,Email,Stage\n"
            "Mira,Stone,mira.stone@example.com,Contacted\n"
            "Theo,Vance,theo.vance@example.com,Waiting for the pre-approval letter\n"  # ≥20
            ",Nameless,nameless@example.com,\n"  # Lofty needs a first name
        )
        before = len(sandbox.state.leads)
        args = ["import", "--profile", str(profile_dir), "--tab", "leads", str(path)]
        assert main([*args, "--into", "Lofty team", "--skip-invalid"]) == 0
        out = capsys.readouterr().out
        assert "row 3: Lofty takes a stage name shorter than 20 characters" in out
        assert "row 4: Lofty needs First name for a new lead" in out
        assert "1 sent to Lofty" in out
        assert len(sandbox.state.leads) == before + 1
        [mira] = leads_of(profile_dir, "mira.stone@example.com")
        held = inspect(server.base_url, "leads", mira.provenance.remote_id)
        assert held["firstName"] == "Mira"
        assert held["emails"] == ["mira.stone@example.com"]
        assert not leads_of(profile_dir, "theo.vance@example.com")


def test_agencybloc_never_gets_a_carrier_or_line_it_would_invent() -> None:
    """AgencyBloc creates any unknown dropdown value (agencybloc.md): a typo would become a new
    carrier. Only what the account's policies already use is sent."""
    known = KnownValues()
    known.learn("carrier", "Mutual of Omaha")
    known.learn("line_of_business", "Medicare Supplement")
    known.parents.add((RecordKind.CUSTOMER, 7))
    bloc = Provenance(vendor="agencybloc", account="Bloc")

    def policy(**values: Any) -> Policy:
        fields = {
            "carrier": "Mutual of Omaha",
            "line_of_business": "Medicare Supplement",
            "customer_id": 7,
        }
        return Policy(provenance=bloc, **{**fields, **values})

    assert why_not_create("agencybloc", policy(), known) == ""
    assert why_not_create("agencybloc", policy(carrier="mutual of omaha"), known) == ""
    assert why_not_create("agencybloc", policy(carrier="Mutual of Omha"), known) == (
        "AgencyBloc AMS+ has no carrier 'Mutual of Omha' in this account"
    )
    assert "needs Carrier" in why_not_create("agencybloc", policy(carrier=""), known)
    assert why_not_create("agencybloc", policy(customer_id=99), known) == (
        "its customer is not in this AgencyBloc AMS+ account"
    )
    never_read = KnownValues()
    never_read.parents.add((RecordKind.CUSTOMER, 7))
    assert "sync the AgencyBloc AMS+ account first" in why_not_create(
        "agencybloc", policy(), never_read
    )


def test_conecrm_gets_new_accounts_with_their_primary_contact(
    profile_dir: Path, write_csv: WriteCsv, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = create_conecrm(SandboxOptions(size="small"))
    with serve(sandbox.app) as server:
        book = Book.open(prepare_profile(profile_dir).cache_path)
        book.ledgers.save_account(AccountRow("Cone", "conecrm", server.base_url))
        book.close()
        keyring.set_password("AgencyDesk", "Cone", json.dumps(dict(sandbox.credentials)))
        path = write_csv(
            "Business Name,First Name,Last Name,Email,Phone,Tags\n"
            "Quill Roofing LLC,Ada,Quill,ada@quillroofing.example,(512) 555-0142,vip\n"
        )
        before = len(sandbox.state.accounts)
        args = ["import", "--profile", str(profile_dir), "--tab", "customers", str(path)]
        assert main([*args, "--into", "Cone"]) == 0
        out = capsys.readouterr().out
        assert "ConeCRM's API does not take Tags (1 row) on a new customer" in out
        assert "1 sent to ConeCRM" in out
        assert len(sandbox.state.accounts) == before + 1
        book = Book.open(prepare_profile(profile_dir).cache_path)
        try:
            rows = book.iter_rows(RecordKind.CUSTOMER, ListQuery(every_record=True))
            [made] = [r.record for r in rows if r.record.provenance.account == "Cone"]
        finally:
            book.close()
        # Our remote id names the kind ("account:<uuid>"): ConeCRM's own id is the uuid.
        uuid = made.provenance.remote_id.removeprefix("account:")
        held = inspect(server.base_url, "accounts", uuid)
        assert held["name"] == "Quill Roofing LLC"
        assert held["fields"]["primaryEmail"] == "ada@quillroofing.example"
        assert held["fields"]["workPhone"]  # the phone, as ConeCRM keeps it


def test_a_task_for_a_linked_person_goes_to_the_accounts_own_copy(
    csv_book: Book, write_csv: WriteCsv
) -> None:
    """The file's Customer column is looked up among the account's own people: Ann Lee is held
    here and by AgencyZoom (linked), and AgencyZoom gets the task on its own copy of her. A task
    for someone the account does not hold is refused, named, never sent without its person."""
    account = AccountRow(LABEL, "agencyzoom", "http://127.0.0.1:9")
    csv_book.ledgers.save_account(account)
    local, held = csv_book.save_many(
        [
            Customer(first_name="Ann", last_name="Lee", email="ann.lee@example.com"),
            Customer(
                first_name="Ann",
                last_name="Lee",
                email="ann.lee@example.com",
                provenance=Provenance(vendor="agencyzoom", account=LABEL, remote_id="77"),
            ),
        ]
    )
    csv_book.links.link((RecordKind.CUSTOMER, local), (RecordKind.CUSTOMER, held))
    path = write_csv(
        "Title,Customer,Due\n"
        "Call Ann about her renewal,Ann Lee,12/01/2027\n"
        "Call Bob about his quote,Bob Stone,12/02/2027\n"
    )
    report = plan_file_into_account(csv_book, path, RecordKind.TASK, account)
    assert [str(r) for r in report.plan.refused] == [
        "row 3: Bob Stone is not a customer or lead of this AgencyZoom account "
        "(or names more than one)"
    ]
    [send] = report.plan.sends
    assert isinstance(send.record, Task)
    assert send.record.customer_id == held  # not the local copy's id
    assert send.record.provenance.account == LABEL
