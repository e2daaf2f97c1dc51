"""Notes (document §5.7) and Tasks & Appointments (§5.8): lists per lead, unpaginated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record, all_or_nothing
from agencydesk.vendors.lofty.sandbox.timeline import add_note, add_timeline
from agencydesk.vendors.lofty.sandbox.times import from_ms
from agencydesk.vendors.lofty.sandbox.views import appt_view, note_view, task_view
from agencydesk.vendors.lofty.sandbox.wire import (
    NOTE_FIELDS,
    actor,
    body_bool,
    body_int,
    body_str,
    invalid,
    json_body,
    no_content_json,
    only_fields,
    path_id,
    q_bool,
    q_int,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response

ROLES = ("Agent", "Assistant")  # L5056 "Agent Or Assistant"


def routes(state: LoftyState) -> list[Route]:
    def lead_param(request: Request) -> Record:
        """``leadId`` is what these lists are about (L1745, L1923); without it: 400."""
        lead_id = q_int(request, "leadId")
        if lead_id is None:
            raise invalid("leadId", "is required")
        return state.lead(lead_id)

    # -- notes ------------------------------------------------------------------------------
    async def add(request: Request) -> Response:  # L1702 NoteRequest (L4685)
        body = await json_body(request)
        only_fields(body, NOTE_FIELDS)  # ASSUMPTIONS: no other field (a time) is taken
        lead = state.lead(body_int(body, "leadId", required=True) or 0)
        content = body_str(body, "content", required=True) or ""
        with state.lock:
            note = add_note(
                state,
                lead["leadId"],
                content,
                actor(request),
                state.now(),
                pin=bool(body_bool(body, "isPin")),
            )
            state.touch(lead)
        return string_result(note["noteId"])

    async def notes(request: Request) -> Response:  # L1734 bare NoteResponse[]
        lead = lead_param(request)
        system = bool(q_bool(request, "includeSystemNote", False))
        found = [
            n
            for n in state.notes.values()
            if n["leadId"] == lead["leadId"]
            and not n["deleteFlag"]
            and (system or not n["systemNote"])
        ]
        found.sort(key=lambda n: (not n["isPin"], -n["_created"].timestamp()))
        return json_response([note_view(state, n) for n in found])

    async def note(request: Request) -> Response:  # L1766
        return json_response(note_view(state, state.live(state.notes, path_id(request, "noteId"))))

    async def edit_note(request: Request) -> Response:  # L1793: 200 No Content
        record = state.live(state.notes, path_id(request, "noteId"))
        body = await json_body(request)
        content = body_str(body, "content", required=True) if "content" in body else None
        pin = body_bool(body, "isPin")  # both checked before anything changes
        with state.lock:
            if content is not None:
                record["content"] = content
            if pin is not None:
                record["isPin"] = pin
            member = state.members[actor(request)]
            record.update(
                lastEditorId=member["id"],
                lastEditorName=f"{member['firstName']} {member['lastName']}",
                _updated=state.now(),
            )
        return no_content_json()

    async def delete_note(request: Request) -> Response:  # L1829: 200 No Content
        record = state.live(state.notes, path_id(request, "noteId"))
        with state.lock:
            record["deleteFlag"] = True
            record["_updated"] = state.now()
        return no_content_json()

    # -- tasks ------------------------------------------------------------------------------
    def apply_task(task: Record, body: dict[str, Any]) -> None:
        """TaskRequest (L5052): no finish flag, no assignee id; deadline is int64 ms."""
        if "type" in body:
            task["type"] = body_str(body, "type", required=True)
        if "content" in body:
            task["content"] = body_str(body, "content")
        if "deadline" in body:
            ms = body_int(body, "deadline")
            task["_deadline"] = from_ms(ms) if ms is not None else None
        if "assignedRole" in body:
            role = body_str(body, "assignedRole")
            if role not in ROLES:
                raise invalid("assignedRole", "must be Agent or Assistant")
            task["assignedRole"] = role
        task["_updated"] = state.now()

    async def add_task(request: Request) -> Response:  # L1885
        body = await json_body(request)
        lead = state.lead(body_int(body, "leadId", required=True) or 0)
        body_str(body, "type", required=True)
        now: datetime = state.now()
        with state.lock:
            task_id = state.next_id()
            task = {
                "id": task_id,
                "leadId": lead["leadId"],
                "type": None,
                "subject": None,
                "content": None,
                "body": None,
                "assignedRole": "Agent",
                "assignedUserId": lead["assignedUserId"],
                "creatorId": actor(request),
                "finishFlag": False,
                "deleteFlag": False,
                "reminderType": 0,
                "queryId": None,
                "queryInfo": None,
                "teamId": state.team_id,
                "_created": now,
                "_updated": now,
                "_deadline": None,
                "_finished": None,
            }
            apply_task(task, body)
            task["subject"] = task["content"]
            state.tasks[task_id] = task
            add_timeline(
                state,
                lead["leadId"],
                actor(request),
                5,
                {"task": task["content"], "type": task["type"]},
                now,
            )
        return string_result(task_id)

    async def tasks(request: Request) -> Response:  # L1917 every task of one lead
        lead = lead_param(request)
        found = [
            t for t in state.tasks.values() if t["leadId"] == lead["leadId"] and not t["deleteFlag"]
        ]
        found.sort(key=lambda t: (t["_deadline"] is None, t["_deadline"] or t["_created"]))
        return json_response([task_view(state, t) for t in found])

    async def task(request: Request) -> Response:  # L1944
        return json_response(task_view(state, state.live(state.tasks, path_id(request, "taskId"))))

    async def edit_task(request: Request) -> Response:  # L1971
        record = state.live(state.tasks, path_id(request, "taskId"))
        body = await json_body(request)
        lead_id = body_int(body, "leadId")
        if lead_id is not None:
            state.lead(lead_id)  # 404 for an unknown lead, before anything changes

        def change(draft: Record) -> None:
            apply_task(draft, body)
            if lead_id is not None:
                draft["leadId"] = lead_id

        with state.lock:
            all_or_nothing(record, change)
        return string_result("success")

    async def delete_task(request: Request) -> Response:  # L2007
        record = state.live(state.tasks, path_id(request, "taskId"))
        with state.lock:
            record["deleteFlag"] = True
            record["_updated"] = state.now()
        return string_result("success")

    async def appts(request: Request) -> Response:  # L1858 read-only
        lead = lead_param(request)
        found = sorted(
            (
                a
                for a in state.appts.values()
                if a["leadId"] == lead["leadId"] and not a["deleteFlag"]
            ),
            key=lambda a: a["_start"],
        )
        return json_response([appt_view(state, a) for a in found])

    return [
        Route("/v1.0/notes", add, methods=["POST"]),
        Route("/v1.0/notes", notes, methods=["GET"]),
        Route("/v1.0/notes/{noteId}", note, methods=["GET"]),
        Route("/v1.0/notes/{noteId}", edit_note, methods=["PUT"]),
        Route("/v1.0/notes/{noteId}", delete_note, methods=["DELETE"]),
        Route("/v1.0/appts", appts, methods=["GET"]),
        Route("/v1.0/tasks", add_task, methods=["POST"]),
        Route("/v1.0/tasks", tasks, methods=["GET"]),
        Route("/v1.0/tasks/{taskId}", task, methods=["GET"]),
        Route("/v1.0/tasks/{taskId}", edit_task, methods=["PUT"]),
        Route("/v1.0/tasks/{taskId}", delete_task, methods=["DELETE"]),
    ]
