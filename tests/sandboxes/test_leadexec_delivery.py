"""LeadExec scanning and delivery (L847-L1345): scans, sends, max sell, automation, logs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agencydesk.vendors.leadexec.sandbox.records_leads import Lead
from agencydesk.vendors.leadexec.sandbox.state import LeadExecState
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import LeadExec, make_leadexec, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
SCHEDULED = "Record has been scheduled for automation"


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


def unsold(le: Sandbox) -> Lead:
    """A lead nobody bought yet whose lead type has open accounts."""
    state: LeadExecState = le.state
    for lead in state.leads.values():
        if state.sends_of(lead.uid) or not lead.values.get("Email"):
            continue
        if any(state.account_lead_type(a) == lead.lead_type_uid for a in state.accounts.values()):
            return lead
    raise AssertionError("no unsold lead")


async def scan(api: LeadExec, lead: Lead, **kw: object) -> list[dict[str, object]]:
    body = {
        "LeadUID": lead.uid,
        "Automated": False,
        "AllowOverMax": False,
        "IgnoreExclusive": False,
        "ScanType": "General",
        **kw,
    }
    r = await api.post("/v2/delivery/scanner/general", body)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_general_scan_lists_open_accounts_of_active_clients(le: Sandbox) -> None:
    lead = unsold(le)
    state = le.state
    async with signed_in(le) as api:
        matches = await scan(api, lead, AllowOverMax=True)
        bad = await api.post("/v2/delivery/scanner/general", {"LeadUID": lead.uid})
        logs = (await api.get(f"/v1/delivery/scanner/logs/{lead.uid}")).json()
    assert matches
    for m in matches:
        account = state.accounts[m["ClientAccountUID"]]
        assert set(m) == {
            "ClientUID",
            "ClientAccountUID",
            "ClientOrderUID",
            "ClientOrderItemUID",
            "Automation",
        }
        assert account.client_uid == m["ClientUID"]
        assert state.clients[account.client_uid].status == "Active"
        assert account.status == 12
        assert state.account_lead_type(account) == lead.lead_type_uid
        assert m["Automation"] is account.automation_enabled
    assert bad.status_code == 400
    assert logs[-1]["Log"].startswith("Scan found")
    assert logs[-1]["LeadUID"] == lead.uid


async def test_process_sends_once_per_client(le: Sandbox) -> None:
    lead = unsold(le)
    async with signed_in(le) as api:
        match = (await scan(api, lead, AllowOverMax=True))[0]
        body = {
            "LeadUID": lead.uid,
            "ClientUID": match["ClientUID"],
            "ClientAccountUID": match["ClientAccountUID"],
            "ClientOrderUID": 0,
            "Notes": "hand picked",
            "AllowOverMax": True,
        }
        first = (await api.post("/v1/delivery/process", body)).json()
        second = (await api.post("/v1/delivery/process", body)).json()
        sends = (await api.get(f"/v1/delivery/sends/{lead.uid}")).json()
        wrong = await api.post("/v1/delivery/process", {**body, "ClientUID": 1})
    assert first == {"isValid": True, "Status": "Sent", "Response": "Lead accepted"}
    assert second["isValid"] is False
    assert second["Status"] == "Duplicate"
    assert [(s["ClientUID"], s["Notes"]) for s in sends] == [(match["ClientUID"], "hand picked")]
    client = le.state.clients[match["ClientUID"]]
    assert sends[0]["ClientName"] == le.state.client_name(client)
    assert wrong.status_code == 404


async def test_autosend_stops_at_the_campaigns_max_sell(le: Sandbox) -> None:
    lead = unsold(le)
    max_sell = le.state.campaigns[lead.campaign_uid].max_sell
    async with signed_in(le) as api:
        first = (
            await api.post("/v1/delivery/autosend", {"LeadUID": lead.uid, "ForceIDs": []})
        ).json()
        sold = len((await api.get(f"/v1/delivery/sends/{lead.uid}")).json())
        again = (await api.post("/v1/delivery/autosend", {"LeadUID": lead.uid})).json()
    assert first["isValid"] is True
    assert first["ClientName"]
    assert 1 <= sold <= max_sell
    assert again["isValid"] is False
    if sold == max_sell:
        assert again["Status"] == "Lead is at its max sell count"


async def test_autosend_force_ids_restrict_the_clients(le: Sandbox) -> None:
    lead = unsold(le)
    async with signed_in(le) as api:
        target = (await scan(api, lead, AllowOverMax=True))[-1]["ClientUID"]
        r = (
            await api.post(
                "/v1/delivery/autosend",
                {"LeadUID": lead.uid, "AllowOverMax": True, "ForceIDs": [str(target)]},
            )
        ).json()
    assert r["ClientUID"] == target
    assert {s.client_uid for s in le.state.sends_of(lead.uid)} == {target}


async def test_run_automation_is_queued_and_runs_on_the_next_request(le: Sandbox) -> None:
    lead = unsold(le)
    async with signed_in(le) as api:
        automated = await scan(api, lead, Automated=True)
        r = await api.post(f"/v1/delivery/runautomation/{lead.uid}")
        assert r.json() == {"Result": SCHEDULED}
        assert le.state.sends_of(lead.uid) == []
        await api.get("/v1/leadtypes")
    sent = le.state.sends_of(lead.uid)
    assert bool(sent) == bool(automated)
    assert {s.account_uid for s in sent} <= {m["ClientAccountUID"] for m in automated}


async def test_scheduled_automation_waits_for_its_time(
    le: Sandbox, frozen_clock: SandboxClock
) -> None:
    lead = unsold(le)
    when = frozen_clock.now() + timedelta(minutes=30)
    async with signed_in(le) as api:
        r = await api.post(
            f"/v1/delivery/scheduleautomation/{lead.uid}",
            {"SendDateUtc": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        assert (r.status_code, r.json()) == (200, SCHEDULED)  # a bare JSON string (L1167)
        await api.get("/v1/leadtypes")
        assert len(le.state.automation) == 1
        frozen_clock.advance(30 * 60)
        await api.get("/v1/leadtypes")
        bad = await api.post(f"/v1/delivery/scheduleautomation/{lead.uid}", {"SendDateUtc": "soon"})
    assert le.state.automation == []
    assert bad.status_code == 400


async def test_confirm_delivery_needs_a_send_to_that_client(le: Sandbox) -> None:
    send = le.state.sends[0]
    async with signed_in(le) as api:
        ok = await api.post(f"/v1/delivery/{send.client_uid}/confirm/{send.lead_uid}")
        other = next(uid for uid in le.state.clients if uid != send.client_uid)
        missing = await api.post(f"/v1/delivery/{other}/confirm/{send.lead_uid}")
    assert (ok.status_code, ok.content) == (200, b"")
    assert send.confirmed
    assert missing.status_code == 404


async def test_log_delivery_records_without_sending(le: Sandbox) -> None:
    lead = unsold(le)
    account = next(a for a in le.state.accounts.values() if a.client_uid in le.state.clients)
    body = {
        "ClientUID": account.client_uid,
        "LeadUID": lead.uid,
        "DeliveryUID": account.delivery_uid,
        "PostString": "a=1",
        "Response": "OK",
        "ClientOrderUID": 0,
        "ClientOrderItemUID": 0,
        "ClientAccountUID": account.uid,
    }
    async with signed_in(le) as api:
        r = await api.put("/v1/delivery/log", body)
        sends = (await api.get(f"/v1/delivery/sends/{lead.uid}")).json()
        no_account = await api.put("/v1/delivery/log", {**body, "ClientAccountUID": None})
    assert (r.status_code, r.content) == (200, b"")
    assert [(s["ClientUID"], s["Response"]) for s in sends] == [(account.client_uid, "OK")]
    assert le.state.sends_of(lead.uid)[0].logged_only
    assert no_account.status_code == 400
    assert "ClientAccountUID" in no_account.json()["Message"]


async def test_redirect_confirmation(le: Sandbox) -> None:
    redirect = next((a for a in le.state.accounts.values() if a.account_type == 1), None)
    lead = unsold(le)
    async with signed_in(le) as api:
        none = (
            await api.post(
                "/v1/delivery/redirectconfirmation",
                {"LeadUID": lead.uid, "RedirectURL": "https://x.example", "IsValid": 1},
            )
        ).json()
        assert none["isValid"] is False
        if redirect is None:
            return
        await api.put(
            "/v1/delivery/log",
            {
                "ClientUID": redirect.client_uid,
                "LeadUID": lead.uid,
                "DeliveryUID": redirect.delivery_uid,
                "ClientAccountUID": redirect.uid,
            },
        )
        ok = (
            await api.post(
                "/v1/delivery/redirectconfirmation",
                {
                    "LeadUID": lead.uid,
                    "RedirectURL": redirect.redirect_url,
                    "IsValid": True,
                    "Response": "landed",
                },
            )
        ).json()
    assert ok == {"isValid": True, "Status": "Confirmed", "Response": "landed"}


async def test_criteria_scan_takes_a_bare_array(le: Sandbox) -> None:
    async with signed_in(le) as api:
        tx = (
            await api.post("/v1/clients/scanner/criteria/101", [{"Name": "State", "Value": "TX"}])
        ).json()
        everyone = (await api.post("/v1/clients/scanner/criteria/101", [])).json()
        as_object = await api.post("/v1/clients/scanner/criteria/101", {"Name": "State"})
        unknown = await api.post("/v1/clients/scanner/criteria/101", [{"Name": "Foo", "Value": ""}])
    assert {r["ClientUID"] for r in tx} <= {r["ClientUID"] for r in everyone}
    assert everyone
    row = everyone[0]
    assert set(row) == {
        "ClientUID",
        "ClientName",
        "ContactFirstName",
        "ContactLastName",
        "Address",
        "Address2",
        "City",
        "State",
        "Country",
        "PostalCode",
        "PhoneNumber",
        "Email",
        "Price",
        "Website",
    }
    assert as_object.status_code == 400
    assert unknown.status_code == 400


async def test_process_refuses_an_account_of_another_lead_type(le: Sandbox) -> None:
    lead = unsold(le)
    state: LeadExecState = le.state
    account = next(
        a
        for a in state.accounts.values()
        if a.status == 12
        and state.clients[a.client_uid].status == "Active"
        and state.account_lead_type(a) != lead.lead_type_uid
    )
    body = {
        "LeadUID": lead.uid,
        "ClientUID": account.client_uid,
        "ClientAccountUID": account.uid,
        "AllowOverMax": True,
    }
    async with signed_in(le) as api:
        r = (await api.post("/v1/delivery/process", body)).json()
    assert r["isValid"] is False
    assert r["Status"] == "Outside_Criteria"
    assert state.sends_of(lead.uid) == []
