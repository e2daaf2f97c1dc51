"""LeadExec scan rules over HTTP: active-list filters, daily maxes, exclusive sources and
orders (L292-L310, L865-L905, L2256)."""

from __future__ import annotations

from typing import Any

import pytest

from agencydesk.vendors.leadexec.sandbox.records import DeliveryAccount
from agencydesk.vendors.leadexec.sandbox.records_leads import Lead
from agencydesk.vendors.leadexec.sandbox.state import LeadExecState
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import LeadExec, make_leadexec, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
ACTIVE = "/v1/clients/list/active/leadtype/101"


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


async def _active(api: LeadExec, **filters: Any) -> set[int]:
    body = {
        "DeliveryAccountType": "Web",
        "SortBy": "Priority",
        "SortDirection": "Ascending",
        "Filters": filters,
        "Skip": 0,
        "Take": 1000,
    }
    r = await api.post(ACTIVE, body)
    assert r.status_code == 200, r.text
    return {c["ClientUID"] for c in r.json()["Clients"]}


@pytest.mark.parametrize("name", ["HasActiveOrder", "AutomationEnabled"])
async def test_boolean_filters_split_the_active_clients(le: Sandbox, name: str) -> None:
    async with signed_in(le) as api:
        everyone = await _active(api)
        yes = await _active(api, **{name: True})
        no = await _active(api, **{name: False})
    assert yes | no == everyone
    assert not yes & no
    assert yes


def _open_account(state: LeadExecState, lead: Lead) -> DeliveryAccount:
    for account in state.accounts.values():
        client = state.clients[account.client_uid]
        if (
            account.status == 12
            and account.account_type == 0
            and not account.use_order
            and not account.criteria
            and client.status == "Active"
            and state.account_lead_type(account) == lead.lead_type_uid
        ):
            return account
    raise AssertionError("no open account")


def _two_unsold(state: LeadExecState) -> tuple[Lead, Lead]:
    by_type: dict[int, list[Lead]] = {}
    for lead in state.leads.values():
        if not state.sends_of(lead.uid) and lead.values.get("Email"):
            by_type.setdefault(lead.lead_type_uid, []).append(lead)
    for leads in by_type.values():
        if len(leads) >= 2:
            try:
                _open_account(state, leads[0])
            except AssertionError:
                continue
            return leads[0], leads[1]
    raise AssertionError("no two unsold leads of one type")


async def _scan(api: LeadExec, lead: Lead, **kw: Any) -> set[int]:
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
    return {m["ClientAccountUID"] for m in r.json()}


async def test_a_daily_max_set_through_the_maxes_endpoint_stops_the_scan(le: Sandbox) -> None:
    state: LeadExecState = le.state
    first, second = _two_unsold(state)
    account = _open_account(state, first)
    path = f"/v1/delivery/{account.client_uid}/accounts/{account.uid}/maxes"
    async with signed_in(le) as api:
        assert (await api.put(path, {"DailyMax": 1})).json() is True
        sent = await api.post(
            "/v1/delivery/process",
            {
                "LeadUID": first.uid,
                "ClientUID": account.client_uid,
                "ClientAccountUID": account.uid,
                "AllowOverMax": True,
            },
        )
        assert sent.json()["isValid"] is True
        held = await _scan(api, second)
        over = await _scan(api, second, AllowOverMax=True)
        await api.put(path, {"DailyMax": 0})  # 0 = no maximum again
        freed = await _scan(api, second)
    assert account.uid not in held
    assert account.uid in over
    assert account.uid in freed


async def test_a_lead_sold_to_its_exclusive_client_is_not_scanned_again(le: Sandbox) -> None:
    state: LeadExecState = le.state
    lead, _other = _two_unsold(state)
    account = _open_account(state, lead)
    campaign = state.campaigns[lead.campaign_uid]
    campaign.max_sell = 5
    campaign.fields["ExclusiveClientUID"] = account.client_uid
    async with signed_in(le) as api:
        await api.post(
            "/v1/delivery/process",
            {"LeadUID": lead.uid, "ClientUID": account.client_uid, "ClientAccountUID": account.uid},
        )
        blocked = await _scan(api, lead)
        ignored = await _scan(api, lead, IgnoreExclusive=True)
    assert blocked == set()
    assert ignored
    assert account.uid not in ignored  # the client already has it


async def test_an_account_that_needs_an_order_is_scanned_only_with_one(le: Sandbox) -> None:
    state: LeadExecState = le.state
    lead, _other = _two_unsold(state)
    account = _open_account(state, lead)
    account.use_order = True
    order = {
        "ClientOrderUID": 0,
        "ClientUID": account.client_uid,
        "StartDate": "2026-01-01T00:00:00Z",
        "EndDate": "2026-12-31T00:00:00Z",
        "Status": "Open",
        "Renewal": "No_Renewal",
        "AutoCharge": False,
        "Items": [
            {
                "ClientOrderItemUID": 0,
                "ClientAccountUID": account.uid,
                "Qty": 1,
                "Price": 99,
                "ConstrainQuantity": True,
            }
        ],
    }
    async with signed_in(le) as api:
        for existing in list(state.orders.values()):
            if existing.client_uid == account.client_uid:
                existing.status = "Closed"
        before = await _scan(api, lead)
        order_uid = (await api.put("/v1/orders", order)).json()
        r = await api.post(
            "/v2/delivery/scanner/general",
            {
                "LeadUID": lead.uid,
                "Automated": False,
                "AllowOverMax": False,
                "IgnoreExclusive": False,
                "ScanType": "General",
            },
        )
        match = next(m for m in r.json() if m["ClientAccountUID"] == account.uid)
        sent = await api.post(
            "/v1/delivery/process",
            {
                "LeadUID": lead.uid,
                "ClientUID": account.client_uid,
                "ClientAccountUID": account.uid,
                "AllowOverMax": True,
            },
        )
        filled = (
            await api.post("/v1/orders", {"OrderUID": order_uid, "Skip": 0, "Take": 1})
        ).json()["Orders"][0]
    assert account.uid not in before
    assert match["ClientOrderUID"] == order_uid
    assert sent.json()["isValid"] is True
    assert (filled["SentQty"], filled["SentPriceTotal"]) == (1, 99.0)
