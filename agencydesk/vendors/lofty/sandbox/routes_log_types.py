"""Logged calls, emails and texts (document §5.16 LogType) and the lead timeline
(§5.18 System Logs): currentId keyset paging for the first, pageNumber/pageSize for the second."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.routes_comms import keyset
from agencydesk.vendors.lofty.sandbox.state import LoftyState
from agencydesk.vendors.lofty.sandbox.timeline import add_timeline
from agencydesk.vendors.lofty.sandbox.times import epoch_ms
from agencydesk.vendors.lofty.sandbox.views import log_type_view, system_log_view
from agencydesk.vendors.lofty.sandbox.wire import (
    LOG_FIELDS,
    actor,
    body_bool,
    body_int,
    body_str,
    invalid,
    json_body,
    no_content_json,
    only_fields,
    path_id,
    q_int,
    q_page,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response

LOG_TYPES = ("logCall", "logEmail", "logText")  # L4604
OUTCOMES = ("Talked", "VoiceMessage", "NoAnswer", "BadNumber", "DNCNumber", "DNCContact")
SYSLOG_DEFAULT, SYSLOG_MAX = 10, 100  # L2860 pageSize: no default or maximum given


def routes(state: LoftyState) -> list[Route]:
    async def add_log(request: Request) -> Response:  # L2669 LogTypeRequest (L4585)
        body = await json_body(request)
        only_fields(body, LOG_FIELDS)  # ASSUMPTIONS: no other field (a time) is taken
        lead = state.lead(body_int(body, "leadId", required=True) or 0)
        kind = body_str(body, "logType", required=True)
        if kind not in LOG_TYPES:
            raise invalid("logType", "must be logCall, logEmail or logText")
        direction = body_str(body, "outboundOrInbound")
        if direction is not None and direction not in ("Outbound", "Inbound"):  # ASSUMPTIONS
            raise invalid("outboundOrInbound", "must be Outbound or Inbound")
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
                "outboundOrInbound": direction,
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
            state,
            request,
            state.log_types,
            log_type_view,
            lambda r: kind is None or r["logType"] == kind,
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
        Route("/v1.0/logType", add_log, methods=["POST"]),
        Route("/v1.0/logType", logs, methods=["GET"]),
        Route("/v1.0/logType/{logTypeId}", log, methods=["GET"]),
        Route("/v1.0/logType/{logTypeId}", delete_log, methods=["DELETE"]),
        Route("/v1.0/systemLogs", system_logs, methods=["GET"]),
    ]
