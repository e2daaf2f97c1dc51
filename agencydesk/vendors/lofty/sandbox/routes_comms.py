"""Calls (§5.2) and communication history (§5.3). Three pagination styles live here:
``_metadata`` offset/limit (/calls), ``currentId`` keyset + offset/limit over bare arrays
(/communication/*; /logType reuses ``keyset``) and PageResult (/agent/communication)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.times import epoch_ms, text_time
from agencydesk.vendors.lofty.sandbox.views import (
    call_history_view,
    call_view,
    email_view,
    emit,
    text_view,
)
from agencydesk.vendors.lofty.sandbox.wire import (
    actor,
    body_bool,
    body_int,
    body_str,
    invalid,
    json_body,
    path_id,
    q_int,
    q_offset,
    q_page,
)
from agencydesk.vendors.sandbox_kit.http import json_response

HISTORY_DEFAULT, HISTORY_MAX = 10, 1000  # L215 "limit default Value 10, max value 1000"
CALLS_DEFAULT, CALLS_MAX = 10, 100  # /calls states neither (L109-117): assumption
DAY_MS = 24 * 3600 * 1000  # L3326 "The maximum time interval for a single query is 24 hours"


def keyset(
    state: LoftyState,
    request: Request,
    table: dict[int, Record],
    view: Callable[..., Record],
    extra: Callable[[Record], bool] = lambda _r: True,
) -> Response:
    """L205: ``currentId`` starts after that id (ids ascending); offset applies after it."""
    limit = q_page(request, default=HISTORY_DEFAULT, maximum=HISTORY_MAX)
    offset = q_offset(request)
    current = q_int(request, "currentId")
    lead_id = q_int(request, "leadId")
    rows = sorted(
        (
            r
            for r in table.values()
            if (lead_id is None or r["leadId"] == lead_id)
            and not r.get("_deleted")
            and (current is None or r["id"] > current)
            and extra(r)
        ),
        key=lambda r: r["id"],
    )
    return json_response([view(state, r) for r in rows[offset : offset + limit]])


def routes(state: LoftyState) -> list[Route]:
    async def calls(request: Request) -> Response:  # L100 CallListResponse (L3201)
        limit = q_page(request, default=CALLS_DEFAULT, maximum=CALLS_MAX)
        offset = q_offset(request)
        lead_id = q_int(request, "leadId")
        rows = sorted(
            (c for c in state.calls.values() if lead_id is None or c["leadId"] == lead_id),
            key=lambda c: (-c["_start"].timestamp(), c["id"]),
        )
        # MetaData (L4658); scrollId is only issued by the lead searches
        meta = {
            "collection": "calls",
            "limit": limit,
            "offset": offset,
            "total": len(rows),
            "scrollId": None,
        }
        page = [call_view(state, c) for c in rows[offset : offset + limit]]
        return json_response({"_metadata": meta, "calls": page})

    async def call(request: Request) -> Response:  # L138
        return json_response(call_view(state, state.live(state.calls, path_id(request, "callId"))))

    async def history_call(request: Request) -> Response:  # L199 CallResponse[]
        return keyset(state, request, state.calls, call_view)

    async def history_call_v2(request: Request) -> Response:  # L242 CallHistory[]
        return keyset(state, request, state.calls, call_history_view)

    async def history_email(request: Request) -> Response:  # L285 EmailResponse[]
        return keyset(state, request, state.emails, email_view)

    async def history_text(request: Request) -> Response:  # L328 TextResponse[]
        return keyset(state, request, state.texts, text_view)

    async def by_agent(request: Request) -> Response:  # L167 CommunicationRequest -> PageResult
        body = await json_body(request)
        kind = body_str(body, "type", required=True)
        if kind not in ("CALL", "EMAIL", "TEXT"):
            raise invalid("type", "must be CALL, EMAIL or TEXT")
        start = body_int(body, "startTime", required=True) or 0
        end = body_int(body, "endTime", required=True) or 0
        if end < start or end - start > DAY_MS:
            raise invalid("endTime", "must be after startTime and at most 24 hours later")
        offset = body_int(body, "offset") or 0
        limit = body_int(body, "limit") or 10
        if offset < 0 or limit < 1:
            raise invalid("limit", "offset must be >= 0 and limit >= 1")
        limit = min(limit, 1000)
        team = bool(body_bool(body, "teamView"))  # "default false": only the caller's own
        me = actor(request)
        rows = [
            r
            for r in _communications(state, kind)
            if start <= r["_ms"] <= end and (team or r["agentId"] == me)
        ]
        rows.sort(key=lambda r: (r["_ms"], r["id"]))
        page = [
            emit(state, {k: v for k, v in r.items() if k != "_ms"})
            for r in rows[offset : offset + limit]
        ]
        return json_response(
            {
                "hasMore": offset + limit < len(rows),
                "limit": limit,
                "offset": offset,
                "pageData": page,
            }
        )

    return [
        Route("/v1.0/calls", calls, methods=["GET"]),
        Route("/v1.0/calls/{callId}", call, methods=["GET"]),
        Route("/v1.0/agent/communication", by_agent, methods=["POST"]),
        Route("/v1.0/communication/call", history_call, methods=["GET"]),
        Route("/v1.0/communication/call/v2", history_call_v2, methods=["GET"]),
        Route("/v1.0/communication/email", history_email, methods=["GET"]),
        Route("/v1.0/communication/text", history_text, methods=["GET"]),
    ]


def _communications(state: LoftyState, kind: str) -> list[Record]:
    """CommunicationResponse rows (L3343) for one channel, logged ones included as LOGGED."""
    rows: list[Record] = []
    if kind == "CALL":
        for c in state.calls.values():
            rows.append(
                _comm(
                    c["id"],
                    c["leadId"],
                    c["agentId"],
                    "MANUAL",
                    "Call",
                    c["direction"],
                    c["status"],
                    c["_start"],
                    str(c["duration"]),
                    c["callingOutcome"],
                )
            )
    elif kind == "EMAIL":
        for e in state.emails.values():
            event = {"Sent": "Sent Email", "Opened": "Opened Email", "Bounced": "Bounced Email"}[
                e["eventType"]
            ]
            rows.append(
                _comm(
                    e["id"],
                    e["leadId"],
                    e["agentId"],
                    e["emailType"].upper(),
                    event,
                    e["direction"],
                    e["eventType"],
                    e["_time"],
                    None,
                    None,
                )
            )
    else:
        for t in state.texts.values():
            rows.append(
                _comm(
                    t["id"],
                    t["leadId"],
                    t["agentId"],
                    t["textType"].upper(),
                    "Text",
                    t["direction"],
                    t["textOutcome"],
                    t["_time"],
                    None,
                    None,
                )
            )
    wanted = {"CALL": "logCall", "EMAIL": "logEmail", "TEXT": "logText"}[kind]
    for lg in state.log_types.values():
        if lg["logType"] == wanted and not lg.get("_deleted"):
            event = {"logCall": "Call", "logEmail": "Sent Email", "logText": "Text"}[wanted]
            rows.append(
                _comm(
                    lg["id"],
                    lg["leadId"],
                    lg["agentId"],
                    "LOGGED",
                    event,
                    lg["outboundOrInbound"],
                    None,
                    lg["_created"],
                    None,
                    lg["callingOutcome"],
                )
            )
    return rows


def _comm(
    rid: int,
    lead_id: int,
    agent: int,
    ctype: str,
    event: str,
    direction: str | None,
    status: str | None,
    when: datetime,
    duration: str | None,
    outcome: str | None,
) -> Record:
    return {
        "id": rid,
        "leadId": lead_id,
        "agentId": agent,
        "communicationType": ctype,
        "eventType": event,
        "direction": direction,
        "status": status,
        "communicationTime": text_time(when),
        "callDuration": duration,
        "callOutcome": outcome,
        "fromPond": False,
        "_ms": epoch_ms(when),
    }
