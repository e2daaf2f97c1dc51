"""Lofty calls, communication history, logged calls/emails/texts and system logs."""

from __future__ import annotations

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.lofty_fixtures import a_lead_with, client, make_lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


async def test_calls_use_the_metadata_envelope_and_page(lofty: Sandbox) -> None:
    seen: list[int] = []
    async with client(lofty) as c:
        offset = 0
        while True:
            body = (await c.get("/v1.0/calls", params={"offset": offset, "limit": 40})).json()
            assert body["_metadata"]["collection"] == "calls"
            assert body["_metadata"]["total"] == len(lofty.state.calls)
            if not body["calls"]:
                break
            seen += [call["id"] for call in body["calls"]]
            offset += len(body["calls"])
        one = (await c.get(f"/v1.0/calls/{seen[0]}")).json()
    assert sorted(seen) == sorted(lofty.state.calls)
    assert isinstance(one["duration"], int)
    assert isinstance(one["price"], float)


@pytest.mark.parametrize(
    ("path", "table", "fields"),
    [
        ("/v1.0/communication/call", "calls", {"callingOutcome", "duration", "note"}),
        ("/v1.0/communication/call/v2", "calls", {"leadPhoneNumber", "createTime"}),
        ("/v1.0/communication/email", "emails", {"emailSubject", "eventType", "emailEventTime"}),
        ("/v1.0/communication/text", "texts", {"textOutcome", "textTime", "textType"}),
    ],
)
async def test_history_pages_through_every_row_with_current_id(
    lofty: Sandbox, path: str, table: str, fields: set[str]
) -> None:
    seen: list[int] = []
    async with client(lofty) as c:
        first = (await c.get(path)).json()
        current = None
        while True:
            params = {"limit": 50} if current is None else {"limit": 50, "currentId": current}
            page = (await c.get(path, params=params)).json()
            if not page:
                break
            seen += [row["id"] for row in page]
            current = page[-1]["id"]
    assert isinstance(first, list)  # bare array
    assert len(first) == 10  # L215 default 10
    assert fields <= set(first[0])
    assert seen == sorted(getattr(lofty.state, table))


async def test_history_limit_max_is_1000_and_lead_filter(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "calls")
    async with client(lofty) as c:
        big = (await c.get("/v1.0/communication/call", params={"limit": 5000})).json()
        mine = (await c.get("/v1.0/communication/call", params={"leadId": lead_id})).json()
        zero = await c.get("/v1.0/communication/call", params={"limit": 0})
    assert len(big) == min(1000, len(lofty.state.calls))
    assert {r["leadId"] for r in mine} == {lead_id}
    assert zero.status_code == 400


async def test_log_a_call_then_read_it_without_content(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "calls")
    async with client(lofty) as c:
        r = await c.post(
            "/v1.0/logType",
            json={
                "leadId": lead_id,
                "logType": "logCall",
                "content": "Left voicemail",
                "callingOutcome": "VoiceMessage",
                "outboundOrInbound": "Outbound",
            },
        )
        log_id = int(r.json())
        one = (await c.get(f"/v1.0/logType/{log_id}")).json()
        calls = (
            await c.get("/v1.0/logType", params={"leadId": lead_id, "logType": "logCall"})
        ).json()
        texts = (
            await c.get("/v1.0/logType", params={"leadId": lead_id, "logType": "logText"})
        ).json()
        gone = await c.delete(f"/v1.0/logType/{log_id}")
        after = await c.get(f"/v1.0/logType/{log_id}")
        bad_kind = await c.post("/v1.0/logType", json={"leadId": lead_id, "logType": "logFax"})
        bad_outcome = await c.post(
            "/v1.0/logType",
            json={"leadId": lead_id, "logType": "logCall", "callingOutcome": "Maybe"},
        )
    assert "content" not in one  # L4609 LogTypeResponse has neither content nor logType
    assert "logType" not in one
    assert one["callingOutcome"] == "VoiceMessage"
    assert log_id in [row["id"] for row in calls]
    assert log_id not in [row["id"] for row in texts]
    assert (gone.status_code, gone.content) == (200, b"")
    assert gone.headers["content-type"] == "application/json;charset=UTF-8"
    assert after.status_code == 404
    assert bad_kind.status_code == 400
    assert bad_outcome.status_code == 400
    assert lofty.state.leads[lead_id]["_contacted"] is True


async def test_agent_communication_page_result_and_24h_window(lofty: Sandbox) -> None:
    call = next(iter(lofty.state.calls.values()))
    t = int(call["_start"].timestamp() * 1000)
    window = {"type": "CALL", "startTime": t - 3_600_000, "endTime": t + 3_600_000}
    async with client(lofty) as c:
        team = (await c.post("/v1.0/agent/communication", json={**window, "teamView": True})).json()
        too_long = await c.post(
            "/v1.0/agent/communication", json={**window, "endTime": t + 25 * 3_600_000}
        )
        no_type = await c.post(
            "/v1.0/agent/communication",
            json={"startTime": window["startTime"], "endTime": window["endTime"]},
        )
    assert set(team) == {"hasMore", "limit", "offset", "pageData"}
    assert (team["limit"], team["offset"]) == (10, 0)
    assert call["id"] in [row["id"] for row in team["pageData"]]
    assert team["pageData"][0]["eventType"] == "Call"
    assert too_long.status_code == 400  # L3326
    assert no_type.status_code == 400


async def test_agent_communication_without_team_view_is_mine_only(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        start = int(lofty.clock.now().timestamp() * 1000) - 1000
        lead_id = a_lead_with(lofty, "calls")
        await c.post("/v1.0/logType", json={"leadId": lead_id, "logType": "logText"})
        mine = (
            await c.post(
                "/v1.0/agent/communication",
                json={"type": "TEXT", "startTime": start, "endTime": start + 60_000},
            )
        ).json()
    assert [r["communicationType"] for r in mine["pageData"]] == ["LOGGED"]
    assert {r["agentId"] for r in mine["pageData"]} == {lofty.state.owner_id}


async def test_system_logs_page_by_page_number(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "notes")
    total = sum(1 for e in lofty.state.system_logs.values() if e["leadId"] == lead_id)
    seen: list[int] = []
    async with client(lofty) as c:
        page = 0
        while True:
            rows = (
                await c.get(
                    "/v1.0/systemLogs",
                    params={"leadId": lead_id, "pageNumber": page, "pageSize": 1},
                )
            ).json()
            if not rows:
                break
            seen += [r["id"] for r in rows]
            page += 1
        missing = await c.get("/v1.0/systemLogs")
    assert len(seen) == total
    assert missing.status_code == 400
