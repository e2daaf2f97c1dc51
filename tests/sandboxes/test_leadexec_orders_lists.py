"""LeadExec orders and payments (L2470-L2745), distribution lists (L2746-L3018), reference data
and 2FA (L3020-L3282)."""

from __future__ import annotations

from typing import Any

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import make_leadexec, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


def order_body(client_uid: int, **kw: Any) -> dict[str, Any]:
    return {
        "ClientOrderUID": 0,
        "ClientUID": client_uid,
        "StartDate": "2026-03-01T00:00:00Z",
        "EndDate": "2026-06-30T00:00:00Z",
        "Status": "Open",
        "Renewal": "On_Qty_Fill",
        "AutoCharge": False,
        "Items": [
            {
                "ClientOrderItemUID": 0,
                "ClientAccountUID": 0,
                "Qty": 50,
                "Price": 12.5,
                "ConstrainQuantity": True,
            }
        ],
        **kw,
    }


async def test_order_zero_creates_and_the_query_shows_it(le: Sandbox) -> None:
    client_uid = next(iter(le.state.clients))
    async with signed_in(le) as api:
        uid = (await api.put("/v1/orders", order_body(client_uid))).json()
        page = (await api.post("/v1/orders", {"OrderUID": uid, "Skip": 0, "Take": 20})).json()
        item_uid = page["Orders"][0]["Items"][0]["ClientOrderItemUID"]
        more = order_body(
            client_uid,
            ClientOrderUID=uid,
            Status="Paused",
            Items=[
                {
                    "ClientOrderItemUID": 0,
                    "ClientAccountUID": 0,
                    "Qty": 10,
                    "Price": 20,
                    "ConstrainQuantity": False,
                }
            ],
        )
        assert (await api.put("/v1/orders", more)).json() == uid
        after = (await api.post("/v1/orders", {"OrderUID": uid, "Skip": 0, "Take": 20})).json()
    order = page["Orders"][0]
    assert (page["QueryTotal"], page["Count"]) == (1, 1)
    assert order["StartDate"] == "2026-03-01T00:00:00Z"
    assert (order["Qty"], order["PriceTotal"]) == (50, 625.0)
    assert order["Items"][0]["ClientAccountUID"] is None  # "0 = any" shown as null (L2628)
    changed = after["Orders"][0]
    assert changed["Status"] == "Paused"
    assert [i["ClientOrderItemUID"] == item_uid for i in changed["Items"]] == [True, False]


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"Status": "Active"}, 400),
        ({"Renewal": "Yearly"}, 400),
        ({"ClientUID": 1}, 404),
        ({"EndDate": "2026-01-01T00:00:00Z"}, 400),
        ({"Items": None}, 400),
        ({"ClientOrderUID": 5}, 404),
    ],
)
async def test_order_writes_are_checked(le: Sandbox, change: dict[str, Any], status: int) -> None:
    client_uid = next(iter(le.state.clients))
    before = len(le.state.orders)
    async with signed_in(le) as api:
        r = await api.put("/v1/orders", order_body(client_uid, **change))
    assert r.status_code == status
    assert len(le.state.orders) == before


async def test_payments_log_or_charge(le: Sandbox) -> None:
    order = next(iter(le.state.orders.values()))
    with_card = next(c for c in le.state.clients.values() if c.card_last4)
    without = next(c for c in le.state.clients.values() if c.card_last4 is None)
    async with signed_in(le) as api:
        logged = await api.put(
            "/v1/orders/billing/payments",
            {
                "ClientUID": order.client_uid,
                "ClientOrderUID": order.uid,
                "CardTransUID": 0,
                "Amount": 99.5,
                "IsValid": True,
                "Response": "Check #1042",
            },
        )
        charged = (
            await api.post(
                f"/v1/orders/{with_card.uid}/billing/paymentmethods/run", {"Amount": 150}
            )
        ).json()
        declined = (
            await api.post(f"/v1/orders/{without.uid}/billing/paymentmethods/run", {"Amount": 150})
        ).json()
        zero = await api.post(
            f"/v1/orders/{with_card.uid}/billing/paymentmethods/run", {"Amount": 0}
        )
    assert (logged.status_code, logged.content) == (200, b"")
    assert [(p.amount, p.charged) for p in le.state.payments][:1] == [(99.5, False)]
    assert charged["IsValid"] is True
    assert charged["CardNumber"].endswith(with_card.card_last4)
    assert charged["CardNumber"].startswith("****")
    assert charged["DateRan"].endswith("Z")
    assert declined["IsValid"] is False
    assert zero.status_code == 400


async def test_distribution_lists_assign_and_remove(le: Sandbox) -> None:
    dist = next(iter(le.state.lists.values()))
    item = next(i for i in dist.items.values() if not i.assigned)
    client_uid = next(c.uid for c in le.state.clients.values() if c.status == "Active")
    base = f"/v1/distribution/lists/{client_uid}/{dist.uid}"
    async with signed_in(le) as api:
        lists = (await api.get("/v1/distribution/lists/")).json()
        no_slash = (await api.get("/v1/distribution/lists")).json()
        assert (await api.put(f"{base}/{item.uid}")).json() is True
        assert (await api.patch(f"{base}/{item.uid}")).json() is True  # the heading's PATCH
        mine = (await api.get(base)).json()
        expected = {i.uid for i in dist.items.values() if client_uid in i.assigned}
        removed = await api.delete(f"{base}/{item.uid}")
        again = await api.delete(f"{base}/{item.uid}")
    assert lists == no_slash
    assert {d["CustomListUID"] for d in lists} == set(le.state.lists)
    assert item.uid in [i["CustomListItemUID"] for i in mine["Items"]]
    assert {i["CustomListItemUID"] for i in mine["Items"]} == expected
    assert (removed.json(), again.json()) == (True, False)


async def test_list_item_upsert_with_pipe_delimited_clients(le: Sandbox) -> None:
    dist = next(iter(le.state.lists.values()))
    a, b = list(le.state.clients)[:2]
    body = {
        "CustomListItemUID": 0,
        "CustomListUID": dist.uid,
        "Description": "Ohio (new)",
        "Tag1": "OH",
        "Tag2": "",
        "Value": "OH2",
        "AssignedClient": 0,
        "AssignedClients": f"{a}|{b}",
        "HashCode": 0,
    }
    async with signed_in(le) as api:
        r = await api.put(f"/v1/distribution/lists/{dist.uid}", body)
        row = next(
            i
            for d in (await api.get("/v1/distribution/lists/")).json()
            for i in d["Items"]
            if i["Description"] == "Ohio (new)"
        )
        wrong_list = await api.put(
            f"/v1/distribution/lists/{dist.uid}", {**body, "CustomListUID": 1}
        )
        bad_client = await api.put(
            f"/v1/distribution/lists/{dist.uid}", {**body, "AssignedClients": "1|2"}
        )
    assert r.json() is True
    assert (row["AssignedClient"], row["AssignedClients"]) == (0, f"{a}|{b}")
    assert wrong_list.status_code == 400
    assert bad_client.status_code == 400


async def test_states_and_zip_lookups(le: Sandbox) -> None:
    async with signed_in(le) as api:
        states = (await api.get("/v1/data/validation/states")).json()
        texas = (await api.get("/v1/data/validation/us/zips/state/TX")).json()
        travis = (await api.get("/v1/data/validation/us/zips/state/Texas/Travis")).json()
        fips = (await api.get("/v1/data/validation/us/zips/fips/48453")).json()
        near = (await api.get("/v1/data/validation/us/zips/78701/radius/10?InState=true")).json()
        no_flag = await api.get("/v1/data/validation/us/zips/78701/radius/10")
        nowhere = await api.get("/v1/data/validation/us/zips/state/XX")
    assert len(states) == 51
    assert {"StateUID", "Name", "Abbr"} == set(states[0])
    assert {z["City"] for z in texas} == {"Austin", "Dallas", "Houston"}
    assert {z["County"] for z in travis} == {"Travis"}
    assert travis == fips
    assert near[0]["ZIP"] == "78701"
    assert {z["State"] for z in near} == {"TX"}
    assert set(near[0]) == {
        "USZipUID",
        "ZIP",
        "City",
        "State",
        "FIPS",
        "County",
        "TimeZone",
        "Lat",
        "Long",
    }
    assert no_flag.status_code == 400
    assert nowhere.status_code == 404


async def test_two_factor_codes_verify_once_and_expire(
    le: Sandbox, frozen_clock: SandboxClock
) -> None:
    async with signed_in(le) as api:
        sent = (await api.post("/v1/data/validation/2fa/5125550101/send")).json()
        code = le.state.two_factor["5125550101"][0]
        wrong = (await api.post("/v1/data/validation/2fa/5125550101/verify/000000x")).json()
        ok = (await api.post(f"/v1/data/validation/2fa/5125550101/verify/{code}")).json()
        twice = (await api.post(f"/v1/data/validation/2fa/5125550101/verify/{code}")).json()
        await api.post("/v1/data/validation/2fa/5125550101/send")
        later = le.state.two_factor["5125550101"][0]
        frozen_clock.advance(601)
        expired = (await api.post(f"/v1/data/validation/2fa/5125550101/verify/{later}")).json()
        bad_phone = await api.post("/v1/data/validation/2fa/12ab/send")
    assert sent == {"success": True, "message": "2 factor message has been sent"}
    assert ok == {"success": True, "message": "2 factor successfully verified"}
    assert [wrong["success"], twice["success"], expired["success"]] == [False, False, False]
    assert bad_phone.status_code == 400
