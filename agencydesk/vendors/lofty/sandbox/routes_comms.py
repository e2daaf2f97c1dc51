"""Calls (§5.2), communication history (§5.3), logged calls/emails/texts (§5.16) and the lead
timeline (§5.18). Four pagination styles live here: ``_metadata`` offset/limit (/calls),
``currentId`` keyset + offset/limit over bare arrays (/communication/*, /logType), PageResult
(/agent/communication) and pageNumber/pageSize (/systemLogs)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.seed import add_timeline
from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.times import epoch_ms, text_time
from agencydesk.vendors.lofty.sandbox.views import (
    call_history_view,
    call_view,
    email_view,
    emit,
    log_type_view,
    system_log_view,
    text_view,
)
from agencydesk.vendors.lofty.sandbox.wire import (
    actor,
    body_bool,
    body_int,
    body_str,
    invalid,
    json_body,
    no_content_json,
    path_id,
    q_int,
    q_offset,
    q_page,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response

HISTORY_DEFAULT, HISTORY_MAX = 10, 1000  # L215 "limit default Value 10, max value 1000"
CALLS_DEFAULT, CALLS_MAX = 10, 100  # /calls states neither (L108-117): assumption
LOG_TYPES = ("logCall", "logEmail", "logText")  # L4601
OUTCOMES = ("Talked", "VoiceMessage", "NoAnswer", "BadNumber", "DNCNumber", "DNCContact")
DAY_MS = 24 * 3600 * 1000  # L3326 "The maximum time interval for a single query is 24 hours"
SYSLOG_DEFAULT, SYSLOG_MAX = 10, 100  # L2858 pageSize: no default or maximum given


def routes(state: LoftyState) -> list[Route]:
    def keyset(
        request: Request,
        table: dict[int, Record],
        view: Callable[..., Record],
        extra: Callable[[Record], bool] = lambda _r: True,
    ) -> Response:
        """L203: ``currentId`` starts after that id (ids ascending); offset applies after it."""
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

    async def calls(request: Request) -> Response:  # L100 CallListResponse (L3201)
        limit = q_page(request, default=CALLS_DEFAULT, maximum=CALLS_MAX)
        offset = q_offset(request)
        lead_id = q_int(request, "leadId")
        rows = sorted(
            (c for c in state.calls.values() if lead_id is None or c["leadId"] == lead_id),
            key=lambda c: (-c["_start"].timestamp(), c["id"]),
        )
        meta = {"collection": "calls", "limit": limit, "offset": offset, "total": len(rows)}
        page = [call_view(state, c) for c in rows[offset : offset + limit]]
        return json_response({"_metadata": meta, "calls": page})

    async def call(request: Request) -> Response:  # L138
        return json_response(call_view(state, state.live(state.calls, path_id(request, "callId"))))

    async def history_call(request: Request) -> Response:  # L199 CallResponse[]
        return keyset(request, state.calls, call_view)

    async def history_call_v2(request: Request) -> Response:  # L242 CallHistory[]
        return keyset(request, state.calls, call_history_view)

    async def history_email(request: Request) -> Response:  # L285 EmailResponse[]
        return keyset(request, state.emails, email_view)

    async def history_text(request: Request) -> Response:  # L328 TextResponse[]
        return keyset(request, state.texts, text_view)

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

    async def add_log(request: Request) -> Response:  # L2669 LogTypeRequest (L4585)
        body = await json_body(request)
        lead = state.lead(body_int(body, "leadId", required=True) or 0)
        kind = body_str(body, "logType", required=True)
        if kind not in LOG_TYPES:
            raise invalid("logType", "must be logCall, logEmail or logText")
        outcome = body_str(body, "callingOutcome")
        if outcome is not None and outcome not in OUTCOMES:
            raise invalid("callingOutcome", f"must be one of {','.join(OUTCOMES)}")
        now = state.now()
        with state.lock:
            log_id = state.next_id()
            state.log_types[log_id] = {
                "id": log_id,
                "leadId": lead["leadId"],
                "agentId": actor(request),
                "logType": kind,
                "content": body_str(body, "content"),
                "callingOutcome": outcome,
                "leadPhoneNumber": body_str(body, "leadPhoneNumber"),
                "outboundOrInbound": body_str(body, "outboundOrInbound"),
                "isPin": bool(body_bool(body, "isPin")),
                "_created": now,
            }
            lead["_contacted"] = True
            lead["_touched"] = now
            state.touch(lead)
            add_timeline(
                state,
                lead["leadId"],
                actor(request),
                3,
                {"logType": kind, "content": body.get("content")},
                now,
            )
        return string_result(log_id)

    async def logs(request: Request) -> Response:  # L2701 LogTypeResponse[]
        kind = request.query_params.get("logType")
        if kind is not None and kind not in LOG_TYPES:
            raise invalid("logType", "must be logCall, logEmail or logText")
        return keyset(
            request, state.log_types, log_type_view, lambda r: kind is None or r["logType"] == kind
        )

    async def log(request: Request) -> Response:  # L2749
        record = state.live(state.log_types, path_id(request, "logTypeId"))
        return json_response(log_type_view(state, record))

    async def delete_log(request: Request) -> Response:  # L2776: 200 No Content
        record = state.live(state.log_types, path_id(request, "logTypeId"))
        record["_deleted"] = True
        return no_content_json()

    async def system_logs(request: Request) -> Response:  # L2839 bare SystemLogResponse[]
        lead_id = q_int(request, "leadId")
        if lead_id is None:
            raise invalid("leadId", "is required")
        state.lead(lead_id)
        page = q_int(request, "pageNumber", 0) or 0  # L2855 "fist is 0"
        size = q_page(request, default=SYSLOG_DEFAULT, maximum=SYSLOG_MAX, name="pageSize")
        start, end = q_int(request, "startTime"), q_int(request, "endTime")
        if page < 0:
            raise invalid("pageNumber", "must not be negative")
        rows = [
            e
            for e in state.system_logs.values()
            if e["leadId"] == lead_id
            and (start is None or (epoch_ms(e["_created"]) or 0) >= start)
            and (end is None or (epoch_ms(e["_created"]) or 0) <= end)
        ]
        rows.sort(key=lambda e: (-e["_created"].timestamp(), e["id"]))
        return json_response(
            [system_log_view(state, e) for e in rows[page * size : (page + 1) * size]]
        )

    return [
        Route("/v1.0/calls", calls, methods=["GET"]),
        Route("/v1.0/calls/{callId}", call, methods=["GET"]),
        Route("/v1.0/agent/communication", by_agent, methods=["POST"]),
        Route("/v1.0/communication/call", history_call, methods=["GET"]),
        Route("/v1.0/communication/call/v2", history_call_v2, methods=["GET"]),
        Route("/v1.0/communication/email", history_email, methods=["GET"]),
        Route("/v1.0/communication/text", history_text, methods=["GET"]),
        Route("/v1.0/logType", add_log, methods=["POST"]),
        Route("/v1.0/logType", logs, methods=["GET"]),
        Route("/v1.0/logType/{logTypeId}", log, methods=["GET"]),
        Route("/v1.0/logType/{logTypeId}", delete_log, methods=["DELETE"]),
        Route("/v1.0/systemLogs", system_logs, methods=["GET"]),
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
