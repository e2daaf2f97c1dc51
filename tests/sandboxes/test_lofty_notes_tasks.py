"""Lofty notes (§5.7) and tasks & appointments (§5.8) over HTTP."""

from __future__ import annotations

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.lofty_fixtures import a_lead_with, client, make_lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


async def test_notes_list_is_a_bare_array_without_system_notes_by_default(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "notes")
    async with client(lofty) as c:
        plain = (await c.get("/v1.0/notes", params={"leadId": lead_id})).json()
        with_system = (
            await c.get("/v1.0/notes", params={"leadId": lead_id, "includeSystemNote": "true"})
        ).json()
        missing = await c.get("/v1.0/notes")
    assert isinstance(plain, list)
    assert not any(n["systemNote"] for n in plain)
    assert len(with_system) == len(plain) + 1
    note = with_system[0]
    assert note["id"] != note["noteId"]  # L4716 timeline id vs note id
    assert missing.status_code == 400


async def test_note_add_edit_delete_answer_as_documented(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "notes")
    async with client(lofty) as c:
        added = await c.post("/v1.0/notes", json={"leadId": lead_id, "content": "Called back"})
        note_id = int(added.json())
        edited = await c.put(f"/v1.0/notes/{note_id}", json={"content": "Called back twice"})
        one = (await c.get(f"/v1.0/notes/{note_id}")).json()
        deleted = await c.delete(f"/v1.0/notes/{note_id}")
        after = await c.get(f"/v1.0/notes/{note_id}")
        no_content = await c.post("/v1.0/notes", json={"leadId": lead_id})
        no_lead = await c.post("/v1.0/notes", json={"leadId": 1, "content": "x"})
    assert added.status_code == 200
    for r in (edited, deleted):  # L1809, L1842: 200 No Content, application/json;charset=UTF-8
        assert (r.status_code, r.content) == (200, b"")
        assert r.headers["content-type"] == "application/json;charset=UTF-8"
    assert one["content"] == "Called back twice"
    assert one["lastEditorId"] == lofty.state.owner_id
    assert after.status_code == 404
    assert no_content.status_code == 400
    assert no_lead.status_code == 404


async def test_task_round_trip_deadline_is_ms_in_and_string_out(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "notes")
    deadline = int(lofty.clock.now().timestamp() * 1000) + 86_400_000
    async with client(lofty) as c:
        r = await c.post(
            "/v1.0/tasks",
            json={
                "leadId": lead_id,
                "type": "Call",
                "content": "Call about renewal",
                "deadline": deadline,
                "assignedRole": "Agent",
            },
        )
        task_id = int(r.json())
        task = (await c.get(f"/v1.0/tasks/{task_id}")).json()
        listed = (await c.get("/v1.0/tasks", params={"leadId": lead_id})).json()
        put = await c.put(f"/v1.0/tasks/{task_id}", json={"content": "Call twice"})
        again = (await c.get(f"/v1.0/tasks/{task_id}")).json()
        gone = await c.delete(f"/v1.0/tasks/{task_id}")
        after = await c.get(f"/v1.0/tasks/{task_id}")
    assert isinstance(task["deadline"], str)  # L5096 string on read, int64 on write (L5062)
    assert task["leadId"] == lead_id
    assert task["leadName"]
    assert task["finishFlag"] is False
    assert task["overdueFlag"] is False
    assert task_id in [t["id"] for t in listed]
    assert put.json() == "success"
    assert again["content"] == "Call twice"
    assert again["type"] == "Call"  # kept
    assert gone.status_code == 200
    assert after.status_code == 404


async def test_task_becomes_overdue_on_the_sandbox_clock(
    lofty: Sandbox, frozen_clock: SandboxClock
) -> None:
    lead_id = a_lead_with(lofty, "notes")
    deadline = int(frozen_clock.now().timestamp() * 1000) + 60_000
    async with client(lofty) as c:
        task_id = int(
            (
                await c.post(
                    "/v1.0/tasks", json={"leadId": lead_id, "type": "Email", "deadline": deadline}
                )
            ).json()
        )
        frozen_clock.advance(120)
        task = (await c.get(f"/v1.0/tasks/{task_id}")).json()
    assert task["overdueFlag"] is True


LEAD = -1  # replaced by a real lead id in the test


@pytest.mark.parametrize(
    "body",
    [
        {"type": "Call"},  # no leadId
        {"leadId": "LEAD", "type": "Call"},  # not an int64
        {"leadId": LEAD, "type": "Call", "assignedRole": "Manager"},  # L5056 Agent or Assistant
        {"leadId": LEAD, "content": "no type"},
    ],
)
async def test_task_bad_input_is_400(lofty: Sandbox, body: dict[str, object]) -> None:
    lead_id = a_lead_with(lofty, "notes")
    sent = {k: lead_id if v == LEAD else v for k, v in body.items()}
    async with client(lofty) as c:
        r = await c.post("/v1.0/tasks", json=sent)
    assert r.status_code == 400


async def test_appointments_are_read_per_lead_with_ms_times(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "appts")
    async with client(lofty) as c:
        appts = (await c.get("/v1.0/appts", params={"leadId": lead_id})).json()
        none = await c.get("/v1.0/appts")
    assert appts
    assert isinstance(appts[0]["deadline"], int)
    assert appts[0]["createTime"].endswith("Z")  # string(date-time)
    assert none.status_code == 400
