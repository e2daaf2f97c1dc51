"""ConeCRM sandbox: auth, rate limit and the customer endpoints (accounts, contacts), from
conecrm-api.txt, over HTTP."""

from __future__ import annotations

import jwt
import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.server import serve
from tests.sandboxes.conecrm_fixtures import client, cone, first, make_sandbox, request

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
__all__ = ["cone"]


# -- auth -----------------------------------------------------------------------------------------


async def test_the_reported_token_is_a_jwt_for_the_owner(cone: Sandbox) -> None:
    claims = jwt.decode(cone.credentials["token"], options={"verify_signature": False})
    assert claims["sub"] in cone.state.users
    assert claims["exp"] > claims["iat"]
    assert (await request(cone, "GET", "/api/stage")).status_code == 200


async def test_missing_invalid_and_expired_tokens_get_401(
    cone: Sandbox, frozen_clock: SandboxClock
) -> None:
    missing = await request(cone, "GET", "/api/account", token=None)
    assert missing.status_code == 401
    assert missing.json() == {"code": 401, "message": "JWT Token not found"}
    forged = jwt.encode({"sub": first(cone.state.users).id, "exp": 9999999999}, "x" * 32)
    invalid = await request(cone, "GET", "/api/account", token=forged)
    assert invalid.status_code == 401
    assert invalid.json()["message"] == "Invalid JWT Token"
    short = cone.extra["issue_token"](ttl_seconds=60)
    assert (await request(cone, "GET", "/api/account", token=short)).status_code == 200
    frozen_clock.advance(61)
    expired = await request(cone, "GET", "/api/account", token=short)
    assert expired.status_code == 401
    assert expired.json()["message"] == "Expired JWT Token"


async def test_expire_tokens_expires_every_issued_token(cone: Sandbox) -> None:
    cone.expire_tokens()
    old = await request(cone, "GET", "/api/stage")
    assert old.status_code == 401
    assert old.json()["message"] == "Expired JWT Token"
    fresh = cone.extra["issue_token"]()
    assert (await request(cone, "GET", "/api/stage", token=fresh)).status_code == 200


async def test_default_rate_limit_is_per_user_and_scaled(frozen_clock: SandboxClock) -> None:
    sandbox = make_sandbox(frozen_clock, default_rate_per_minute=2, rate_scale=2.0)
    async with client(sandbox) as c:
        assert (await c.get("/api/stage")).status_code == 200
        assert (await c.get("/api/stage")).status_code == 200
        refused = await c.get("/api/stage")
    assert refused.status_code == 429
    assert refused.json() == {"code": 429, "message": "Too Many Requests"}
    assert int(refused.headers["Retry-After"]) == 30
    other = sandbox.extra["tokens"]["front.desk"]
    assert (await request(sandbox, "GET", "/api/stage", token=other)).status_code == 200
    frozen_clock.advance(30)
    assert (await request(sandbox, "GET", "/api/stage")).status_code == 200


# -- accounts: offset/limit and {total, accounts} -------------------------------------------------


async def test_account_list_pages_with_offset_and_reports_the_total(cone: Sandbox) -> None:
    live = len(cone.state.accounts)
    seen: list[str] = []
    offset = 0
    async with client(cone) as c:
        while True:
            body = (await c.get("/api/account", params={"offset": offset, "limit": 4})).json()
            assert set(body) == {"total", "accounts"}
            assert body["total"] == live
            seen += [a["id"] for a in body["accounts"]]
            if len(body["accounts"]) < 4:
                break
            offset += 4
    assert len(seen) == len(set(seen)) == live


async def test_account_shape_and_one_level_of_embedding(cone: Sandbox) -> None:
    account = (await request(cone, "GET", "/api/account", params={"limit": 1})).json()["accounts"][
        0
    ]
    for key in ("id", "primaryEmail", "province", "isActive", "thirdPartyIds", "name"):
        assert key in account
    assert "dateCreated" not in account  # BaseCustomer carries no audit fields (L12423)
    contact = account["primaryContact"]
    assert contact["firstName"]
    assert all(set(a) == {"id"} for a in contact["accounts"])
    assert account["contacts"][0]["id"] == contact["id"]


async def test_account_sort_search_exclude_and_bad_parameters(cone: Sandbox) -> None:
    by_name = (
        await request(
            cone, "GET", "/api/account", params={"sortField": "name", "sortDirection": "DESC"}
        )
    ).json()["accounts"]
    names = [a["name"] for a in by_name]
    assert names == sorted(names, key=str.casefold, reverse=True)
    target = by_name[0]
    found = (await request(cone, "GET", "/api/account", params={"search": target["name"]})).json()
    assert target["id"] in [a["id"] for a in found["accounts"]]
    without = (await request(cone, "GET", "/api/account", params={"exclude": target["id"]})).json()
    assert target["id"] not in [a["id"] for a in without["accounts"]]
    assert without["total"] == len(cone.state.accounts) - 1
    for params in ({"sortField": "shoeSize"}, {"sortDirection": "UP"}, {"offset": "-1"}):
        bad = await request(cone, "GET", "/api/account", params=params)
        assert bad.status_code == 400
        assert bad.content == b""


async def test_franchise_filter_takes_the_integer_or_the_uuid(cone: Sandbox) -> None:
    franchise = first(cone.state.franchises)
    by_number = await request(cone, "GET", "/api/contact", params={"franchise": franchise.number})
    by_uuid = await request(cone, "GET", "/api/contact", params={"franchise": franchise.id})
    assert by_number.status_code == by_uuid.status_code == 200
    assert by_number.json() == by_uuid.json()
    assert by_number.json()
    bad = await request(cone, "GET", "/api/contact", params={"franchise": "x"})
    assert bad.status_code == 400


async def test_account_create_patch_delete(cone: Sandbox) -> None:
    existing = first(cone.state.contacts)
    created = await request(
        cone,
        "POST",
        "/api/account",
        json={
            "name": "Nguyen Bakery",
            "primaryEmail": "hello@nguyenbakery.com",
            "primaryContact": {"id": existing.id},
            "contacts": [{"firstName": "Linh", "lastName": "Nguyen"}],
        },
    )
    assert created.status_code == 200  # 200, not 201 (L1974)
    account = created.json()
    assert account["primaryContact"]["id"] == existing.id
    assert {c["firstName"] for c in account["contacts"]} >= {"Linh"}
    new_contact = next(c for c in account["contacts"] if c["firstName"] == "Linh")
    assert new_contact["id"] in cone.state.contacts  # contacts are created through accounts
    patched = await request(cone, "PATCH", f"/api/account/{account['id']}", json={"city": "Austin"})
    assert patched.json()["city"] == "Austin"
    assert patched.json()["name"] == "Nguyen Bakery"  # a true partial update
    bad = await request(cone, "PATCH", f"/api/account/{account['id']}", json={"isActive": "no"})
    assert bad.status_code == 400
    bad_email = await request(cone, "POST", "/api/account", json={"primaryEmail": "nope"})
    assert bad_email.status_code == 400
    deleted = await request(cone, "DELETE", f"/api/account/{account['id']}")
    assert deleted.status_code == 200
    assert deleted.content == b""
    listed = (await request(cone, "GET", "/api/account", params={"limit": 100})).json()
    assert account["id"] not in [a["id"] for a in listed["accounts"]]
    again = await request(cone, "DELETE", f"/api/account/{account['id']}")
    assert again.status_code == 404


# -- contacts: start/limit and a bare array -------------------------------------------------------


async def test_contact_list_pages_with_start_and_answers_a_bare_array(cone: Sandbox) -> None:
    total = len(cone.state.contacts)
    seen: list[str] = []
    start = 0
    async with client(cone) as c:
        default = (await c.get("/api/contact")).json()
        assert isinstance(default, list)
        assert len(default) == 25  # the sandbox's default page (an assumption)
        ignored_offset = (await c.get("/api/contact", params={"offset": 25})).json()
        assert ignored_offset == default  # contacts page with `start`, not `offset` (L4428)
        while True:
            page = (await c.get("/api/contact", params={"start": start, "limit": 20})).json()
            seen += [row["id"] for row in page]
            if len(page) < 20:
                break
            start += 20
    assert len(seen) == len(set(seen)) == total
    big = (await request(cone, "GET", "/api/contact", params={"limit": 1000})).json()
    assert len(big) == min(total, 100)


async def test_contacts_by_phone_and_open_leads(cone: Sandbox) -> None:
    contact = next(
        c
        for c in cone.state.contacts.values()
        if any(ld.contact == c.id for ld in cone.state.leads.values())
    )
    digits = "".join(ch for ch in contact.fields["mobilePhone"] if ch.isdigit())
    by_phone = (await request(cone, "GET", f"/api/contact/phone/+1{digits}")).json()
    assert contact.id in [c["id"] for c in by_phone]
    assert (await request(cone, "GET", "/api/contact/phone/5550000000")).json() == []
    open_id = cone.state.status_id("Open")
    leads = cone.state.leads.values()
    expected = {ld.id for ld in leads if ld.contact == contact.id and ld.status == open_id}
    by_number = (await request(cone, "GET", f"/api/contact/{contact.number}/lead/open")).json()
    by_uuid = (await request(cone, "GET", f"/api/contact/{contact.id}/lead/open")).json()
    assert {ld["id"] for ld in by_number} == {ld["id"] for ld in by_uuid} == expected
    missing = await request(cone, "GET", "/api/contact/999999/lead/open")
    assert missing.status_code == 404


async def test_contacts_are_population_people_and_seeding_is_deterministic(
    frozen_clock: SandboxClock,
) -> None:
    one, two = make_sandbox(frozen_clock), make_sandbox(frozen_clock)
    pop = one.extra["population"]
    cone_people = {p.id for p in pop.people_at("conecrm")}
    for contact in one.state.contacts.values():
        assert int(contact.person_key) in cone_people
        person = pop.person(int(contact.person_key))
        assert contact.fields["primaryEmail"] == person.email
    also_elsewhere = [
        c for c in one.state.contacts.values() if len(pop.vendors_of(int(c.person_key))) > 1
    ]
    assert also_elsewhere
    assert list(one.state.contacts) == list(two.state.contacts)
    assert one.credentials == two.credentials


async def test_over_a_real_server_on_loopback(cone: Sandbox) -> None:
    import httpx

    with serve(cone.app) as server:
        headers = {"Authorization": f"Bearer {cone.credentials['token']}"}
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as c:
            response = await c.get("/api/account", params={"limit": 2})
            unauth = await c.get("/api/account", headers={"Authorization": ""})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert len(response.json()["accounts"]) == 2
    assert unauth.status_code == 401


async def test_contact_exclude_and_account_contacts_replaced_by_patch(cone: Sandbox) -> None:
    contacts = (await request(cone, "GET", "/api/contact", params={"limit": 3})).json()
    without = (
        await request(
            cone, "GET", "/api/contact", params={"limit": 3, "exclude": contacts[0]["id"]}
        )
    ).json()
    assert contacts[0]["id"] not in [c["id"] for c in without]
    account = first(cone.state.accounts)
    patched = await request(
        cone, "PATCH", f"/api/account/{account.id}", json={"contacts": [{"id": contacts[2]["id"]}]}
    )
    assert patched.status_code == 200
    ids = [c["id"] for c in patched.json()["contacts"]]
    assert contacts[2]["id"] in ids
    member = (
        await request(cone, "GET", "/api/contact", params={"search": contacts[2]["primaryEmail"]})
    ).json()
    assert account.id in [a["id"] for a in member[0]["accounts"]]
    unknown = await request(
        cone, "PATCH", f"/api/account/{account.id}", json={"contacts": [{"id": "nope"}]}
    )
    assert unknown.status_code == 400


async def test_a_refused_account_body_creates_no_contact(cone: Sandbox) -> None:
    before = len(cone.state.contacts)
    refused = await request(
        cone,
        "POST",
        "/api/account",
        json={"contacts": [{"firstName": "Half"}, {"id": "not-a-contact"}]},
    )
    assert refused.status_code == 400
    assert len(cone.state.contacts) == before
