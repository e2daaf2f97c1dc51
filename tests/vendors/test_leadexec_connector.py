"""The LeadExec connector against its sandbox: the lead buyers in full (names from their client
fields), resumable scans, wrong-typed records set aside, lossless updates, conflicts, creation,
and leads found by contact details then deleted."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest

from agencydesk.domain import Customer, Lead, RecordKind, Task
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.bookmarks import read_bookmark
from agencydesk.vendors.connector import PulledPage, PushRequest
from agencydesk.vendors.leadexec import connector as connector_module
from agencydesk.vendors.leadexec.capabilities import CAPABILITIES
from agencydesk.vendors.leadexec.client import LeadExecClient
from agencydesk.vendors.leadexec.mapping import PACIFIC
from tests.vendors.test_leadexec_support import leadexec

COMPANY, EMAIL, PHONE, CITY = 301, 304, 305, 307  # the sandbox's client field ids


def customers(pages: list[PulledPage]) -> list[Customer]:
    return [r for p in pages for r in p.records if isinstance(r, Customer)]


def update(customer: Customer, **changes: Any) -> PushRequest:
    return PushRequest(
        "update",
        RecordKind.CUSTOMER,
        customer,
        customer.provenance.remote_id,
        changes,
        json.loads(json.dumps(customer.raw)),  # as the store gives it back
    )


@pytest.mark.asyncio
async def test_every_lead_buyer_is_read_with_its_name_and_whole_payload() -> None:
    async with leadexec() as rig:
        pages = await rig.pull()
        found = {c.provenance.remote_id: c for c in customers(pages)}
        assert set(found) == {str(uid) for uid in rig.state.clients}
        assert pages[0].scan_begins
        assert pages[-1].scan_ends
        assert not any(p.unreadable for p in pages)
        uid, client = next(iter(rig.state.clients.items()))
        ours = found[str(uid)]
        assert ours.business_name == client.values[COMPANY]
        assert ours.email == client.values[EMAIL]
        assert ours.city == client.values[CITY]
        # Unknown fields kept: the row's portal settings and the full field list.
        assert ours.raw["MFAEmail"] == client.mfa_email
        assert {f["ClientFieldUID"] for f in ours.raw["ClientFields"]} >= {COMPANY, 311, 312}
        # DateAdded is Pacific wall time written with Z (L62): read as Pacific.
        assert ours.customer_since == client.date_added.astimezone(PACIFIC).date()
        assert ours.created_at == client.date_added.replace(microsecond=ours.created_at.microsecond)


@pytest.mark.asyncio
async def test_a_bookmark_taken_mid_scan_resumes_after_the_last_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connector_module, "PAGE", 10)
    async with leadexec() as rig:
        pages = await rig.pull()
        assert len(pages) == 3  # 24 clients, 10 a page
        resumed = await rig.pull(pages[0].bookmark)
        assert [c.provenance.remote_id for c in customers(resumed)] == [
            c.provenance.remote_id for c in customers(pages[1:])
        ]
        assert not resumed[0].scan_begins
        assert resumed[-1].scan_ends


@pytest.mark.asyncio
async def test_a_wrong_typed_client_is_set_aside_naming_the_field_and_the_rest_is_read() -> None:
    async with leadexec() as rig:
        rig.sandbox.faults.wrong_types_next(1)
        pages = await rig.pull()
        [bad] = [u for p in pages for u in p.unreadable]
        assert bad.reason.startswith("DateAdded:")
        assert bad.remote_id == str(next(iter(rig.state.clients)))
        assert len(customers(pages)) == len(rig.state.clients) - 1


@pytest.mark.asyncio
async def test_an_update_changes_only_the_edited_field_and_keeps_everything_else() -> None:
    async with leadexec() as rig:
        target = customers(await rig.pull())[0]
        client = rig.state.clients[int(target.provenance.remote_id)]
        before = dict(client.values)
        notes, status = client.notes, client.status
        result = await rig.connector.push(update(target, city="Round Rock", phone="(512) 555-0199"))
        assert isinstance(result, Customer)
        assert result.city == "Round Rock"
        assert client.values[CITY] == "Round Rock"
        assert client.values[PHONE] == "5125550199"  # sent as the digits its regex wants
        untouched = {k: v for k, v in client.values.items() if k not in (CITY, PHONE)}
        assert untouched == {k: v for k, v in before.items() if k not in (CITY, PHONE)}
        assert (client.notes, client.status) == (notes, status)


@pytest.mark.asyncio
async def test_a_bad_value_is_refused_naming_our_field() -> None:
    async with leadexec() as rig:
        target = customers(await rig.pull())[0]
        with pytest.raises(errors.ValidationFailed) as caught:
            await rig.connector.push(update(target, state="Texas"))
        assert "state" in caught.value.field_errors


@pytest.mark.asyncio
async def test_a_vendor_side_edit_since_reading_is_a_conflict() -> None:
    async with leadexec() as rig:
        target = customers(await rig.pull())[0]
        rig.sandbox.edit_at_vendor("client", target.provenance.remote_id, {"Email": "x@y.example"})
        with pytest.raises(errors.Conflict, match="Email") as caught:
            await rig.connector.push(update(target, city="Pflugerville"))
        assert caught.value.theirs["ClientUID"] == int(target.provenance.remote_id)
        assert rig.state.clients[int(target.provenance.remote_id)].values[CITY] != "Pflugerville"


@pytest.mark.asyncio
async def test_a_new_customer_becomes_a_lead_buyer() -> None:
    async with leadexec() as rig:
        record = Customer(
            business_name="Prairie Insurance Agency",
            first_name="Ada",
            email="owner@prairie.example",
            phone="512-555-0101",
            state="TX",
        )
        created = await rig.connector.push(
            PushRequest("create", RecordKind.CUSTOMER, record, "", {}, {})
        )
        assert isinstance(created, Customer)
        client = rig.state.clients[int(created.provenance.remote_id)]
        assert client.values[COMPANY] == "Prairie Insurance Agency"
        assert client.username == "owner"
        assert client.status == "New"
        assert created.email == "owner@prairie.example"
        assert created.customer_since == date(2026, 3, 10)


@pytest.mark.asyncio
async def test_a_new_customer_without_what_leadexec_requires_is_refused_clearly() -> None:
    async with leadexec() as rig:
        record = Customer(first_name="Ada", email="ada@example.com")
        with pytest.raises(errors.ValidationFailed, match="Company") as caught:
            await rig.connector.push(PushRequest("create", RecordKind.CUSTOMER, record, "", {}, {}))
        assert "business_name" in caught.value.field_errors


@pytest.mark.asyncio
async def test_a_lead_found_by_email_can_be_deleted() -> None:
    async with leadexec() as rig:
        lead = next(iter(rig.state.leads.values()))
        page = await rig.connector.find_leads(email=lead.values["Email"].upper())
        [found] = [r for r in page.records if r.provenance.remote_id == str(lead.uid)]
        assert isinstance(found, Lead)
        assert found.email == lead.values["Email"].upper()
        assert found.raw["LID"] == lead.lead_type_uid
        await rig.connector.push(
            PushRequest("delete", RecordKind.LEAD, None, str(lead.uid), {}, {})
        )
        assert lead.delete_at is not None  # deletion is scheduled (L3533)
        with pytest.raises(errors.ValidationFailed):
            await rig.connector.find_leads()


@pytest.mark.asyncio
async def test_what_leadexec_cannot_do_is_refused_with_the_tooltip() -> None:
    async with leadexec() as rig:
        assert not CAPABILITIES[RecordKind.CUSTOMER].delete
        assert not CAPABILITIES[RecordKind.LEAD].list
        with pytest.raises(errors.ValidationFailed, match="cannot delete a client"):
            await rig.connector.push(PushRequest("delete", RecordKind.CUSTOMER, None, "1", {}, {}))
        with pytest.raises(errors.ValidationFailed, match="no tasks"):
            await rig.connector.push(PushRequest("create", RecordKind.TASK, Task(), "", {}, {}))


@pytest.mark.asyncio
async def test_active_clients_are_paged_through_with_skip_and_take() -> None:
    async with leadexec() as rig:
        lead_type = str(next(iter(rig.state.lead_types)))
        pages = [p async for p in rig.client.iter_active_clients(lead_type, take=3)]
        ids = [c["ClientUID"] for p in pages for c in p]
        assert len(ids) == len(set(ids)) > 3
        assert len(pages) >= 2


@pytest.mark.asyncio
async def test_a_vendor_answering_the_same_page_again_is_a_paging_loop() -> None:
    def vendor(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/authorization/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        same = [{"ClientUID": 1}, {"ClientUID": 2}]  # Skip ignored: page 1 again
        return httpx.Response(200, json={"QueryTotal": 9, "Clients": same})

    async with httpx.AsyncClient(transport=httpx.MockTransport(vendor)) as http:
        client = LeadExecClient("https://x.test", http, None, client_id="a", client_secret="b")
        with pytest.raises(errors.PagingLoop):
            async for _ in client.iter_active_clients("101", take=2):
                pass


@pytest.mark.asyncio
async def test_a_scan_stopped_under_the_old_bookmark_resumes_after_its_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A cache synced before the streams were declared holds {"after": client id}."""
    monkeypatch.setattr(connector_module, "PAGE", 10)
    async with leadexec() as rig:
        pages = await rig.pull()
        last_read = customers(pages[:1])[-1].provenance.remote_id
        resumed = await rig.pull(json.dumps({"after": last_read}))
        assert [c.provenance.remote_id for c in customers(resumed)] == [
            c.provenance.remote_id for c in customers(pages[1:])
        ]
        assert not resumed[0].scan_begins
        assert read_bookmark(resumed[-1].bookmark).run is None
