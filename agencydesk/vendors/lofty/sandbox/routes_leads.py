"""Leads (document §5.5): create, the three searches, read (``withTrash``), edit, trash, the
assignee search, the login link, and Brokermint's contact upsert."""

from __future__ import annotations

import copy
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.lead_records import new_lead
from agencydesk.vendors.lofty.sandbox.lead_search import digits, search_leads
from agencydesk.vendors.lofty.sandbox.lead_writes import apply_lead, assign
from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.timeline import add_note
from agencydesk.vendors.lofty.sandbox.transactions import create_transaction
from agencydesk.vendors.lofty.sandbox.views import lead_view, wrap_lead
from agencydesk.vendors.lofty.sandbox.wire import (
    actor,
    body_bool,
    body_int,
    body_str,
    invalid,
    json_body,
    path_id,
    q_bool,
    q_int,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response


def routes(state: LoftyState) -> list[Route]:
    def _route_lead(lead: Record, body: dict[str, Any]) -> None:
        """L634-636: routed only when ``leadRouting`` is true; the sandbox's rule is round robin
        over the routing rule's member weights (assignGroupId -1 = company rule)."""
        if lead["assignedUserId"] is not None or not body.get("leadRouting"):
            return
        group = body_int(body, "assignGroupId")
        members = sorted(
            m["id"] for m in state.members.values() if group in (None, -1) or m["groupId"] == group
        )
        if not members:
            raise invalid("assignGroupId", f"{group} has no members to route to")
        assign(state, lead, members[len(state.leads) % len(members)])

    async def create(request: Request) -> Response:  # L632
        body = await json_body(request)
        q_int(request, "hideVendorId")  # L641 a second "Body" parameter; read from the query
        if not any(body.get(k) for k in ("firstName", "lastName", "emails", "phones")):
            raise invalid("lead", "needs a firstName, lastName, email or phone")
        content = body_str(body, "content")  # L4148 an initial note
        pin, welcome = body_bool(body, "isPin"), body_bool(body, "welcomeEmail")
        body_bool(body, "leadRouting")
        with state.lock:  # everything that can refuse runs before anything is stored
            lead = new_lead(state)
            apply_lead(state, lead, body, actor(request))
            _route_lead(lead, body)
            if isinstance(body.get("leadTransaction"), dict):
                create_transaction(state, lead, body["leadTransaction"])
            state.leads[lead["leadId"]] = lead
            if content:
                add_note(state, lead["leadId"], content, actor(request), state.now(), pin=bool(pin))
            if welcome:  # L4243 "send Welcome Email"
                eid = state.next_id()
                state.emails[eid] = {
                    "id": eid,
                    "leadId": lead["leadId"],
                    "agentId": lead["assignedUserId"],
                    "direction": "Outbound",
                    "emailSubject": "Welcome!",
                    "emailType": "Auto",
                    "eventType": "Sent",
                    "fromPond": False,
                    "_time": state.now(),
                }
            state.emit_event(2, lead_view(state, lead))
        return string_result(lead["leadId"])

    async def search(request: Request) -> Response:  # L672
        return search_leads(state, request)

    async def by_create_time(request: Request) -> Response:  # L826
        return search_leads(state, request, since="leadCreateTime")

    async def by_update_time(request: Request) -> Response:  # L945
        return search_leads(state, request, since="leadUpdateTime")

    async def detail(request: Request) -> Response:  # L1032: withTrash reads trashed leads
        with_trash = bool(q_bool(request, "withTrash", False))
        lead = state.lead(path_id(request, "leadId"), with_trash=with_trash)
        return json_response(wrap_lead(state, lead_view(state, lead)))

    async def edit(request: Request) -> Response:  # L1065 EditLeadRequest: partial
        body = await json_body(request)
        with state.lock:
            lead = state.lead(path_id(request, "leadId"))
            draft = copy.deepcopy(lead)  # all or nothing: a 400 half-way changes nothing
            apply_lead(state, draft, body, actor(request))
            if isinstance(body.get("leadTransaction"), dict):
                create_transaction(state, draft, body["leadTransaction"])
            lead.clear()
            lead.update(draft)
            state.emit_event(2, lead_view(state, lead))
        return string_result("success")

    async def trash(request: Request) -> Response:  # L1101 soft delete, optional reason
        lead_id = path_id(request, "leadId")
        with state.lock:
            lead = state.lead(lead_id, with_trash=True)
            if not lead["_deleted"]:
                lead.update(
                    _deleted=True,
                    _deleteTime=state.now(),
                    _deleteReason=request.query_params.get("reason"),
                )
                state.touch(lead)
        return string_result("success")

    async def assignee(request: Request) -> Response:  # L794 -> LeadCustomRoleAssigneeInfo[]
        body = await json_body(request)
        email = (body_str(body, "email") or "").strip().lower()
        phone = digits(body_str(body, "phone") or "")
        first, last = body_str(body, "firstName"), body_str(body, "lastName")
        birthday = body_str(body, "birthday")
        if not (email or phone or first or last):
            raise invalid("leadAssigneeRequest", "needs an email, phone or name")
        found = []
        for lead in state.leads.values():
            if lead["_deleted"]:
                continue
            if email and email not in (e.lower() for e in lead["emails"]):
                continue
            if phone and phone not in (digits(p) for p in lead["phones"]):
                continue
            if first and (lead["firstName"] or "").lower() != first.lower():
                continue
            if last and (lead["lastName"] or "").lower() != last.lower():
                continue
            if birthday and lead["birthday"] != birthday:
                continue
            found.append(_assignees(lead))
        return json_response(found)

    def _assignees(lead: Record) -> Record:
        roles = []
        for role in lead["customRoleList"]:
            member = state.member(role["assigneeId"]) if role["assigneeId"] else None
            roles.append(
                {
                    **role,
                    "agentFullName": (
                        f"{member['firstName']} {member['lastName']}" if member else None
                    ),
                    "permissionProfileName": (
                        "Team Admin"
                        if member and member["isAdmin"]
                        else "Agent"
                        if member
                        else None
                    ),
                }
            )
        return {
            "leadId": lead["leadId"],
            "leadUserId": lead["leadUserId"],
            "firstName": lead["firstName"],
            "lastName": lead["lastName"],
            "customRoleAssignees": roles,
        }

    async def specified_url(request: Request) -> Response:  # L913 LinkRequest -> URL string
        body = await json_body(request)
        lead = state.lead(body_int(body, "leadId", required=True) or 0)
        url = body_str(body, "loftyWebsiteURL", required=True) or ""
        if not url.startswith(("http://", "https://")):
            raise invalid("loftyWebsiteURL", "must be an http(s) URL")
        token = secrets.token_urlsafe(16)
        state.login_links[token] = {"leadId": lead["leadId"], "url": url}
        joiner = "&" if "?" in url else "?"
        return string_result(f"{url}{joiner}token={token}")

    return [
        Route("/v1.0/leads", create, methods=["POST"]),
        Route("/v1.0/leads", search, methods=["GET"]),
        Route("/v1.0/leads/assignee", assignee, methods=["POST"]),
        Route("/v1.0/leads/createTime", by_create_time, methods=["GET"]),
        Route("/v1.0/leads/specified-url", specified_url, methods=["POST"]),
        Route("/v1.0/leads/updateTime", by_update_time, methods=["GET"]),
        Route("/v1.0/leads/{leadId}", detail, methods=["GET"]),
        Route("/v1.0/leads/{leadId}", edit, methods=["PUT"]),
        Route("/v1.0/leads/{leadId}", trash, methods=["DELETE"]),
    ]
