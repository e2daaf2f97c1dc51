"""AgencyZoom email/text threads (L1680-L2242) and tasks (L6537-L6932)."""

from __future__ import annotations

import pytest

from tests.sandboxes.conftest import AgencyZoomSession

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.mark.parametrize("channel", ["email", "text"])
async def test_thread_list_has_no_total_and_pages(az: AgencyZoomSession, channel: str) -> None:
    ids: list[str] = []
    page = 0
    while True:
        body = (
            await az.post(f"/v1/api/{channel}-thread/list", {"page": page, "pageSize": 25})
        ).json()
        assert set(body) == {"threadInfo"}
        ids += [t["threadId"] for t in body["threadInfo"]]
        if len(body["threadInfo"]) < 25:
            break
        page += 1
    expected = [t.id for t in az.state.threads.values() if t.channel == channel]
    assert sorted(ids) == sorted(expected)
    assert (await az.post(f"/v1/api/{channel}-thread/list", {"pageSize": 501})).status_code == 400


async def test_thread_item_has_no_customer_link_and_newest_first(az: AgencyZoomSession) -> None:
    items = (await az.post("/v1/api/email-thread/list", {"pageSize": 50})).json()["threadInfo"]
    assert "customerId" not in items[0]
    assert "@" in items[0]["from"]
    dates = [t["lastDateUTC"] for t in items]
    assert dates == sorted(dates, reverse=True)


async def test_unread_and_status_filter(az: AgencyZoomSession) -> None:
    thread = next(t for t in az.state.threads.values() if t.channel == "text")
    r = await az.post(
        "/v1/api/text-thread/unread-thread", {"threadId": thread.id, "markUnread": True}
    )
    assert r.json() == {"threadId": thread.id, "success": True}
    unread = (await az.post("/v1/api/text-thread/list", {"status": 1, "pageSize": 500})).json()[
        "threadInfo"
    ]
    assert thread.id in [t["threadId"] for t in unread]
    assert all(t["unread"] for t in unread)
    await az.post("/v1/api/text-thread/unread-thread", {"threadId": thread.id, "markUnread": False})
    assert thread.unread is False
    missing = await az.post("/v1/api/text-thread/unread-thread", {"threadId": "nope"})
    assert missing.status_code == 400


async def test_thread_detail_pages_messages(az: AgencyZoomSession) -> None:
    thread = max(
        (t for t in az.state.threads.values() if t.channel == "email"),
        key=lambda t: len(t.messages),
    )
    first = (
        await az.post(
            "/v1/api/email-thread/email-thread-detail", {"threadId": thread.id, "pageSize": 2}
        )
    ).json()
    assert first["messageCount"] == len(thread.messages)
    assert len(first["messageInfo"]) == min(2, len(thread.messages))
    assert {"messageId", "body", "from", "to", "dateUTC"} <= set(first["messageInfo"][0])
    assert (
        await az.post(
            "/v1/api/email-thread/email-thread-detail", {"threadId": thread.id, "status": 3}
        )
    ).status_code == 400


async def test_delete_message_moves_it_to_trash(az: AgencyZoomSession) -> None:
    thread = max(
        (t for t in az.state.threads.values() if t.channel == "email"),
        key=lambda t: len(t.messages),
    )
    n = len(thread.messages)
    victim = thread.messages[0].id
    r = await az.post("/v1/api/email-thread/delete-message", {"messageId": victim})
    assert set(r.json()) == {"messageInfo", "messageCount"}
    assert r.json()["messageCount"] == n - 1
    trash = (
        await az.post(
            "/v1/api/email-thread/email-thread-detail", {"threadId": thread.id, "status": 100}
        )
    ).json()
    assert [m["messageId"] for m in trash["messageInfo"]] == [victim]
    everything = (
        await az.post(
            "/v1/api/email-thread/email-thread-detail", {"threadId": thread.id, "status": 0}
        )
    ).json()
    assert everything["messageCount"] == n


async def test_delete_thread(az: AgencyZoomSession) -> None:
    thread = next(t for t in az.state.threads.values() if t.channel == "email")
    r = await az.post(
        "/v1/api/email-thread/delete-thread", {"page": 0, "pageSize": 20, "threadId": thread.id}
    )
    assert r.json()["result"] is True
    listed = (await az.post("/v1/api/email-thread/list", {"pageSize": 500})).json()["threadInfo"]
    assert thread.id not in [t["threadId"] for t in listed]
    wrong_channel = next(t for t in az.state.threads.values() if t.channel == "text")
    r = await az.post("/v1/api/email-thread/delete-thread", {"threadId": wrong_channel.id})
    assert r.status_code == 400


async def test_text_producers(az: AgencyZoomSession) -> None:
    body = (await az.get("/v1/api/text-thread/producer")).json()
    assert len(body["producers"]) == len(az.state.employees)


async def test_task_search_accepts_a_null_body_and_pages(az: AgencyZoomSession) -> None:
    """The request sample is literally ``null`` (L6537)."""
    r = await az.client.post(
        "/v1/api/tasks/list",
        content=b"null",
        headers={**az.headers, "Content-Type": "application/json"},
    )
    body = r.json()
    assert set(body) == {"totalCount", "page", "pageSize", "tasks", "outstandingCount"}
    assert body["totalCount"] == len(az.state.tasks)
    ids: list[int] = []
    for page in range(10):
        chunk = (await az.post("/v1/api/tasks/list", {"page": page, "pageSize": 200})).json()
        ids += [t["id"] for t in chunk["tasks"]]
        if len(chunk["tasks"]) < 200:
            break
    assert sorted(ids) == sorted(az.state.tasks)
    assert (await az.post("/v1/api/tasks/list", {"pageSize": 201})).status_code == 400


async def test_task_filters(az: AgencyZoomSession) -> None:
    open_tasks = (await az.post("/v1/api/tasks/list", {"status": 0, "pageSize": 200})).json()
    assert {t["status"] for t in open_tasks["tasks"]} == {0}
    assert open_tasks["outstandingCount"] == open_tasks["totalCount"]
    onboarding = (await az.post("/v1/api/tasks/list", {"type": "onboarding"})).json()
    assert all(t["customerType"] == "customer" for t in onboarding["tasks"])
    assert (await az.post("/v1/api/tasks/list", {"period": "someday"})).status_code == 400
    r = await az.post("/v1/api/tasks", {"title": "Today", "dueDatetime": "2026-03-10 18:00:00"})
    today = (await az.post("/v1/api/tasks/list", {"period": "today", "pageSize": 200})).json()
    assert r.json()["id"] in [t["id"] for t in today["tasks"]]


async def test_task_lifecycle(az: AgencyZoomSession) -> None:
    lead = az.state.leads[12]
    r = await az.post(
        "/v1/api/tasks",
        {
            "title": "Quote follow-up",
            "type": "call",
            "contactEmail": lead.data.email,
            "duration": 30,
            "dueDatetime": "2026-03-12 09:00:00",
            "invitees": ["a@example.com"],
        },
    )
    task_id = r.json()["id"]
    task = (await az.get(f"/v1/api/tasks/{task_id}")).json()
    assert (task["customerId"], task["customerType"], task["dueDate"]) == (12, "lead", "2026-03-12")
    assert task_id in [t["id"] for t in (await az.get("/v1/api/leads/12/tasks")).json()]
    await az.put(f"/v1/api/tasks/{task_id}", {"title": "Renamed"})
    assert (await az.get(f"/v1/api/tasks/{task_id}")).json()["duration"] == 30
    await az.put(f"/v1/api/tasks/{task_id}/completed")
    done = (await az.get(f"/v1/api/tasks/{task_id}")).json()
    assert (done["status"], done["completeDate"]) == (1, "2026-03-10")
    await az.put(f"/v1/api/tasks/{task_id}/reopened", {"comments": "not yet"})
    again = (await az.get(f"/v1/api/tasks/{task_id}")).json()
    assert (again["status"], again["comments"]) == (0, "not yet")
    assert (await az.put(f"/v1/api/tasks/{task_id}", {"type": "fax"})).status_code == 400
    assert (await az.delete(f"/v1/api/tasks/{task_id}")).status_code == 200
    assert (await az.get(f"/v1/api/tasks/{task_id}")).status_code == 400


async def test_task_batch_delete_is_all_or_nothing(az: AgencyZoomSession) -> None:
    ids = sorted(az.state.tasks)[:3]
    assert (
        await az.post("/v1/api/tasks/batch-delete", {"taskIds": [*ids, 999999]})
    ).status_code == 400
    assert all(i in az.state.tasks for i in ids)
    assert (await az.post("/v1/api/tasks/batch-delete", {"taskIds": ids})).status_code == 200
    assert not any(i in az.state.tasks for i in ids)


async def test_task_create_accepts_the_document_sample(az: AgencyZoomSession) -> None:
    """The sample (L6650) sends 0 for the links it does not use."""
    sample = {
        "title": "Example task",
        "dueDatetime": "2020-12-12 00:00:00",
        "comments": "This is example comments",
        "assigneeId": 2,
        "lifeProfessionalId": 0,
        "contactEmail": "string",
        "customerId": 0,
        "leadId": 24,
        "duration": 60,
        "type": "todo",
        "invitees": ["example@email.com"],
        "timeSpecific": True,
    }
    r = await az.post("/v1/api/tasks", sample)
    assert r.status_code == 200
    task = (await az.get(f"/v1/api/tasks/{r.json()['id']}")).json()
    assert (task["customerId"], task["customerType"]) == (24, "lead")


async def test_text_detail_delete_and_email_unread(az: AgencyZoomSession) -> None:
    text = next(t for t in az.state.threads.values() if t.channel == "text")
    detail = (
        await az.post(
            "/v1/api/text-thread/text-thread-detail", {"threadId": text.id, "pageSize": 500}
        )
    ).json()
    assert detail["messageCount"] == len(text.messages)
    assert (await az.post("/v1/api/text-thread/delete-thread", {"threadId": text.id})).json()[
        "result"
    ] is True
    gone = await az.post("/v1/api/text-thread/text-thread-detail", {"threadId": text.id})
    assert gone.status_code == 400
    email = next(t for t in az.state.threads.values() if t.channel == "email" and not t.deleted)
    r = await az.post(
        "/v1/api/email-thread/unread-thread", {"threadId": email.id, "markUnread": True}
    )
    assert r.json() == {"threadId": email.id, "success": True}
    assert email.unread is True


async def test_work_on_a_lead_task_is_lead_activity(az: AgencyZoomSession) -> None:
    today = az.sandbox.clock.now().strftime("%Y-%m-%d")
    await az.post("/v1/api/tasks", {"title": "Call", "leadId": 30, "type": "call"})
    changed = (await az.post("/v1/api/leads/list", {"lastActivityEarliestDate": today})).json()
    assert [x["id"] for x in changed["leads"]] == [30]
