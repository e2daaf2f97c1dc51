"""LeadExec clients (lead buyers), groups and client fields (L48-L840)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import make_leadexec, new_client_body, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
STATUSES = [
    "New",
    "Pending",
    "Working",
    "Waiting",
    "Dead",
    "Inactive",
    "Active",
    "Late",
    "Suspended",
    "Closed",
]


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


async def test_client_list_is_a_bare_array_with_the_status_ordinal(le: Sandbox) -> None:
    async with signed_in(le) as api:
        r = await api.get("/v1/clients/list")
    rows = r.json()
    assert isinstance(rows, list)
    assert len(rows) == len(le.state.clients)
    first = rows[0]
    client = le.state.clients[first["ClientUID"]]
    assert first["Status"] == STATUSES.index(client.status)  # "Status": 0 in the example (L208)
    assert "OutLookUID" in first
    assert "OutlookUID" not in first
    assert "Name" not in first  # names live in client fields (digest quirk 21)
    pacific = client.date_added.astimezone(ZoneInfo("America/Los_Angeles"))
    assert first["DateAdded"].startswith(pacific.strftime("%Y-%m-%dT%H:%M"))
    assert first["DateAdded"].endswith("Z")


async def test_zero_creates_a_client_and_answers_its_bare_id(le: Sandbox) -> None:
    async with signed_in(le) as api:
        r = await api.patch("/v1/clients", new_client_body())
        assert r.status_code == 200
        uid = r.json()
        assert isinstance(uid, int)
        assert uid not in (0, 1)
        listed = {row["ClientUID"]: row for row in (await api.get("/v1/clients/list")).json()}
        fields = {f["Descriptor"]: f for f in (await api.get(f"/v1/clients/fields/{uid}")).json()}
    assert listed[uid]["Username"] == "newbuyer"
    assert listed[uid]["Status"] == 0
    # Pacific wall time in and out, with the document's Z (L62).
    assert listed[uid]["DateAdded"] == "2026-03-10T07:00:00.5Z"
    assert fields["Company"]["FieldValue"] == "Prairie Insurance Agency"
    assert fields["Email"]["PastValues"] == []


async def test_the_example_body_as_written_is_refused(le: Sandbox) -> None:
    """The document's own example (empty Username, ClientFieldUID 0) cannot create a client."""
    body = new_client_body(username="")
    async with signed_in(le) as api:
        r = await api.patch("/v1/clients", body)
        body["Info"]["Username"] = "x1"
        body["FieldData"].append({"ClientFieldUID": 0, "Value": ""})
        r2 = await api.patch("/v1/clients", body)
    assert r.status_code == 400
    assert "Username" in r.json()["Message"]
    assert r2.status_code == 400
    assert "ClientFieldUID 0" in r2.json()["Message"]


@pytest.mark.parametrize(
    ("field_uid", "value", "words"),
    [(304, "not-an-email", "Email"), (305, "555-0101", "Phone"), (312, "Fax", "PreferredContact")],
)
async def test_field_values_are_checked_against_their_definitions(
    le: Sandbox, field_uid: int, value: str, words: str
) -> None:
    body = new_client_body()
    body["FieldData"].append({"ClientFieldUID": field_uid, "Value": value})
    async with signed_in(le) as api:
        r = await api.patch("/v1/clients", body)
    assert r.status_code == 400
    assert words in r.json()["Message"]
    assert not any(c.username == "newbuyer" for c in le.state.clients.values())


async def test_duplicate_username_and_missing_required_fields_are_refused(le: Sandbox) -> None:
    taken = next(iter(le.state.clients.values())).username
    no_company = new_client_body()
    no_company["FieldData"] = [{"ClientFieldUID": 304, "Value": "a@b.example"}]
    async with signed_in(le) as api:
        dup = await api.patch("/v1/clients", new_client_body(username=taken.upper()))
        missing = await api.patch("/v1/clients", no_company)
        bad_status = await api.patch("/v1/clients", new_client_body(Status="Open"))
    assert dup.status_code == 400
    assert "already in use" in dup.json()["Message"]
    assert missing.status_code == 400
    assert "Company" in missing.json()["Message"]
    assert bad_status.status_code == 400
    assert "Info.Status" in bad_status.json()["Message"]


async def test_update_that_leaves_fields_out_is_refused_and_changes_nothing(le: Sandbox) -> None:
    """The document does not say whether an update keeps what it leaves out: only the whole
    form our client sends is taken (assumptions.py)."""
    client = next(c for c in le.state.clients.values() if c.notes)
    old_email, old_status = client.values[304], client.status
    body = {
        "Info": {"ClientUID": client.uid, "DateAdded": "2025-01-02T03:04:05Z", "Status": "Late"},
        "FieldData": [{"ClientFieldUID": 304, "Value": "new@buyer.example"}],
    }
    async with signed_in(le) as api:
        r = await api.patch("/v1/clients", body)
    assert r.status_code == 400
    assert "Info.Notes" in r.json()["Message"]
    assert (client.values[304], client.status) == (old_email, old_status)


async def test_a_whole_update_records_past_values(le: Sandbox) -> None:
    client = next(c for c in le.state.clients.values() if c.notes)
    old_email = client.values[304]
    info = {
        "ClientUID": client.uid, "DateAdded": "2025-01-02T03:04:05Z", "Status": "Late",
        "UserUID": client.user_uid, "TimeOffset": client.time_offset,
        "TimeZoneName": client.time_zone_name, "Notes": client.notes,
        "ResellerUID": client.reseller_uid, "GroupUID": client.group_uid,
        "Username": client.username, "OverrideReassign": client.override_reassign,
        "DeliveryAccountAutomationType": client.automation_type,
    }  # fmt: skip
    data = [{"ClientFieldUID": uid, "Value": value} for uid, value in client.values.items()]
    data = [d if d["ClientFieldUID"] != 304 else {**d, "Value": "new@buyer.example"} for d in data]
    async with signed_in(le) as api:
        r = await api.patch("/v1/clients", {"Info": info, "FieldData": data})
        fields = (await api.get(f"/v1/clients/fields/{client.uid}")).json()
    assert r.json() == client.uid
    assert client.status == "Late"
    assert client.notes
    email = next(f for f in fields if f["Descriptor"] == "Email")
    assert (email["FieldValue"], email["PastValues"]) == ("new@buyer.example", [old_email])


async def test_unknown_client_update_is_404(le: Sandbox) -> None:
    body = new_client_body(ClientUID=999)
    async with signed_in(le) as api:
        r = await api.patch("/v1/clients", body)
    assert r.status_code == 404


async def test_status_patch_answers_true_and_checks_the_enum(le: Sandbox) -> None:
    uid = next(iter(le.state.clients))
    async with signed_in(le) as api:
        ok = await api.patch(f"/v1/clients/{uid}/status", {"Status": "Suspended"})
        bad = await api.patch(f"/v1/clients/{uid}/status", {"Status": "suspended"})
        gone = await api.patch("/v1/clients/4242/status", {"Status": "New"})
    assert (ok.status_code, ok.text) == (200, "true")
    assert le.state.clients[uid].status == "Suspended"
    assert bad.status_code == 400
    assert gone.status_code == 404


async def test_group_assignment_by_uid_name_and_zero(le: Sandbox) -> None:
    uid = next(iter(le.state.clients))
    path = f"/v1/clients/{uid}/group"
    async with signed_in(le) as api:
        assert (await api.patch(path, {"ClientGroupName": "", "ClientGroupUID": 11})).json()
        assert le.state.clients[uid].group_uid == 11
        assert (await api.patch(path, {"ClientGroupName": "trial buyers"})).json()
        assert le.state.clients[uid].group_uid == 13
        assert (await api.patch(path, {"ClientGroupUID": "0"})).json()  # typed string (L492)
        assert le.state.clients[uid].group_uid == 0
        unknown = await api.patch(path, {"ClientGroupName": "Gold"})
        neither = await api.patch(path, {})
    assert unknown.status_code == 400
    assert neither.status_code == 400


async def test_groups_put_zero_creates_with_an_empty_200_and_counts_clients(le: Sandbox) -> None:
    body = {"ClientGroupUID": 0, "Description": "Night Buyers", "DisplayOrder": 9, "ClientCount": 0}
    async with signed_in(le) as api:
        r = await api.put("/v1/clients/groups", body)
        groups = (await api.get("/v1/clients/groups")).json()
        new = next(g for g in groups if g["Description"] == "Night Buyers")
        uid = next(iter(le.state.clients))
        await api.patch(f"/v1/clients/{uid}/group", {"ClientGroupUID": new["ClientGroupUID"]})
        counted = (await api.get("/v1/clients/groups")).json()
        renamed = await api.put("/v1/clients/groups", {**new, "Description": "Late Buyers"})
        missing = await api.put("/v1/clients/groups", {**body, "ClientGroupUID": 777})
    assert (r.status_code, r.content) == (200, b"")
    assert (
        next(g for g in counted if g["ClientGroupUID"] == new["ClientGroupUID"])["ClientCount"] == 1
    )
    assert renamed.status_code == 200
    assert le.state.groups[new["ClientGroupUID"]].description == "Late Buyers"
    assert missing.status_code == 404
    assert sum(g["ClientCount"] for g in counted) <= len(le.state.clients)


async def test_available_fields_have_no_values_and_a_boolean_is_state(le: Sandbox) -> None:
    async with signed_in(le) as api:
        fields = (await api.get("/v1/clients/fields")).json()
    assert {f["FieldValue"] for f in fields} == {""}
    assert all(isinstance(f["isState"], bool) for f in fields)  # the example's "isState": ,
    contact = next(f for f in fields if f["Descriptor"] == "PreferredContact")
    assert contact["Enumerated"]
    assert [e["Descriptor"] for e in contact["Enums"]] == [
        "Email",
        "Phone",
        "Text",
    ]
    assert next(f for f in fields if f["Descriptor"] == "State")["isState"] is True


async def test_login_returns_the_client_with_status_name_and_password(le: Sandbox) -> None:
    client = next(iter(le.state.clients.values()))
    async with signed_in(le) as api:
        ok = await api.post(
            "/v1/clients/login", {"Username": client.username.upper(), "Password": client.password}
        )
        bad = await api.post("/v1/clients/login", {"Username": client.username, "Password": "x"})
    body = ok.json()
    assert body["ClientUID"] == client.uid
    assert body["Status"] == client.status  # a name here, an ordinal in the list
    assert body["Password"] == client.password
    assert bad.status_code == 400


async def test_username_check_is_true_when_in_use(le: Sandbox) -> None:
    client = next(iter(le.state.clients.values()))
    async with signed_in(le) as api:
        used = await api.get(f"/v1/clients/username/check/{client.username}")
        free = await api.get("/v1/clients/username/check/nobody-has-this")
    assert (used.json(), free.json()) == (True, False)


async def test_client_dates_round_trip_as_pacific_wall_time(le: Sandbox) -> None:
    async with signed_in(le) as api:
        uid = (await api.patch("/v1/clients", new_client_body())).json()
    stored = le.state.clients[uid].date_added
    assert stored == datetime(2026, 3, 10, 14, 0, 0, 500000, tzinfo=UTC)  # 07:00 PDT = 14:00 UTC


async def test_a_refused_update_changes_nothing(le: Sandbox) -> None:
    client = next(iter(le.state.clients.values()))
    before = (client.status, client.notes, dict(client.values))
    body = {
        "Info": {
            "ClientUID": client.uid,
            "DateAdded": "2025-01-02T03:04:05Z",
            "Status": "Dead",
            "Notes": "changed",
            "UserUID": "abc",
        },
        "FieldData": [{"ClientFieldUID": 301, "Value": "Other Co"}],
    }
    async with signed_in(le) as api:
        r = await api.patch("/v1/clients", body)
    assert r.status_code == 400
    assert "UserUID" in r.json()["Message"]
    assert (client.status, client.notes, client.values) == before
