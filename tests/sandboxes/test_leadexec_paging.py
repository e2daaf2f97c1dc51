"""The two paged LeadExec lists: active clients by lead type (L292) and orders (L2558)."""

from __future__ import annotations

from typing import Any

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import LeadExec, make_leadexec, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
ACTIVE = "/v1/clients/list/active/leadtype/{}"


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


def active_body(**kw: Any) -> dict[str, Any]:
    """The document's example body (L297-L310)."""
    return {
        "DeliveryAccountType": "",
        "SortBy": "LastSentDate",
        "SortDirection": "Decending",
        "Filters": {"HasActiveOrder": None, "AutomationEnabled": None},
        "Skip": 0,
        "Take": 100,
        **kw,
    }


async def _all_pages(api: LeadExec, lead_type: int, take: int, **kw: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    skip = 0
    while True:
        r = await api.post(ACTIVE.format(lead_type), active_body(Skip=skip, Take=take, **kw))
        assert r.status_code == 200, r.text
        page = r.json()
        assert set(page) == {
            "QueryTotal",
            "QueryDurationTotalMS",
            "QueryDurationItemAverageMS",
            "Skip",
            "Take",
            "FetchedCount",
            "Clients",
        }
        assert (page["Skip"], page["Take"]) == (skip, take)
        assert page["FetchedCount"] == len(page["Clients"]) <= take
        rows += page["Clients"]
        skip += take
        if skip >= page["QueryTotal"]:
            assert len(rows) == page["QueryTotal"]
            return rows


async def test_active_clients_page_through_every_page_in_order(le: Sandbox) -> None:
    async with signed_in(le) as api:
        rows = await _all_pages(api, 101, 2, SortBy="Name", SortDirection="Ascending")
        whole = (
            await api.post(
                ACTIVE.format(101), active_body(SortBy="Name", Take=1000, SortDirection="Ascending")
            )
        ).json()
    assert len(rows) > 4  # several pages
    assert [r["ClientUID"] for r in rows] == [r["ClientUID"] for r in whole["Clients"]]
    names = [r["Name"].lower() for r in rows]
    assert names == sorted(names)
    assert len({r["ClientUID"] for r in rows}) == len(rows)
    for row in rows:
        client = le.state.clients[row["ClientUID"]]
        assert client.status == "Active"
        assert row["Email"] == client.values[304]
        assert row["Phone"] == client.values[305]


async def test_decending_is_the_wire_spelling(le: Sandbox) -> None:
    async with signed_in(le) as api:
        down = (await api.post(ACTIVE.format(102), active_body(SortBy="Price"))).json()
        wrong = await api.post(ACTIVE.format(102), active_body(SortDirection="Descending"))
    prices = [c["Price"] for c in down["Clients"]]
    assert prices == sorted(prices, reverse=True)
    assert wrong.status_code == 400
    assert "Decending" in wrong.json()["Message"]


@pytest.mark.parametrize("missing", ["DeliveryAccountType", "SortBy", "Skip", "Take"])
async def test_required_active_list_fields(le: Sandbox, missing: str) -> None:
    body = active_body()
    del body[missing]
    async with signed_in(le) as api:
        r = await api.post(ACTIVE.format(101), body)
    assert r.status_code == 400
    assert missing in r.json()["Message"]


async def test_active_list_filters_and_dates(le: Sandbox) -> None:
    async with signed_in(le) as api:
        grouped = (
            await api.post(
                ACTIVE.format(101), active_body(Take=1000, Filters={"ClientGroupUIDs": [11]})
            )
        ).json()["Clients"]
        transfers = (
            await api.post(
                ACTIVE.format(101), active_body(Take=1000, DeliveryAccountType="TransferForm")
            )
        ).json()["Clients"]
        unknown = await api.post(ACTIVE.format(999), active_body())
    assert grouped
    assert {le.state.clients[c["ClientUID"]].group_uid for c in grouped} == {11}
    assert transfers
    assert all(c["Agent"] and c["Agent"]["Phone"] for c in transfers)
    row = grouped[0]
    assert row["DateCreated"].endswith("Z")
    client = le.state.clients[row["ClientUID"]]
    assert row["DateCreated"].startswith(client.date_added.strftime("%Y-%m-%dT%H:%M"))  # UTC
    assert unknown.status_code == 404


def _order(client_uid: int) -> dict[str, Any]:
    """The document's PUT /v1/orders example (L2510-L2528) for a new order."""
    return {
        "ClientOrderUID": 0,
        "ClientUID": client_uid,
        "StartDate": "2026-03-01T00:00:00Z",
        "EndDate": "2026-12-31T00:00:00Z",
        "Status": "Open",
        "Renewal": "No_Renewal",
        "AutoCharge": True,
        "Items": [
            {
                "ClientOrderItemUID": 0,
                "ClientAccountUID": 0,
                "Qty": 10,
                "Price": 20,
                "ConstrainQuantity": True,
            }
        ],
    }


async def test_orders_page_to_the_end_and_take_is_capped_at_100(le: Sandbox) -> None:
    seen: list[int] = []
    client_uid = next(iter(le.state.clients))
    async with signed_in(le) as api:
        for _ in range(100):
            assert (await api.put("/v1/orders", _order(client_uid))).status_code == 200
        total = len(le.state.orders)
        assert total > 100
        big = (await api.post("/v1/orders", {"Skip": 0, "Take": 500})).json()
        skip = 0
        while skip < total:
            page = (
                await api.post(
                    "/v1/orders",
                    {
                        "OrderUID": None,
                        "OrderStatusFilter": None,
                        "ClientUID": None,
                        "StartDate": None,
                        "Skip": skip,
                        "Take": 40,
                    },
                )
            ).json()
            assert page["QueryTotal"] == total
            assert page["Count"] == len(page["Orders"])
            seen += [o["ClientOrderUID"] for o in page["Orders"]]
            skip += 40
    assert (big["Take"], big["Count"]) == (100, 100)
    assert seen == sorted(le.state.orders)


async def test_order_filters(le: Sandbox) -> None:
    order = next(o for o in le.state.orders.values() if o.status == "Closed")
    async with signed_in(le) as api:
        one = (await api.post("/v1/orders", {"OrderUID": order.uid, "Skip": 0, "Take": 20})).json()
        closed = (
            await api.post("/v1/orders", {"OrderStatusFilter": "Closed", "Skip": 0, "Take": 100})
        ).json()
        mine = (
            await api.post("/v1/orders", {"ClientUID": order.client_uid, "Skip": 0, "Take": 100})
        ).json()
        recent = (
            await api.post(
                "/v1/orders", {"StartDate": "2025-06-01T00:00:00Z", "Skip": 0, "Take": 100}
            )
        ).json()
        bad = await api.post("/v1/orders", {"OrderStatusFilter": 2, "Skip": 0, "Take": 1})
    assert [o["ClientOrderUID"] for o in one["Orders"]] == [order.uid]
    assert one["Orders"][0]["StartDate"][-1] == "Z"
    assert "." not in one["Orders"][0]["StartDate"]
    assert {o["Status"] for o in closed["Orders"]} == {"Closed"}
    assert {o["ClientUID"] for o in mine["Orders"]} == {order.client_uid}
    assert all(o["StartDate"] >= "2025-06-01" for o in recent["Orders"])
    assert bad.status_code == 400
