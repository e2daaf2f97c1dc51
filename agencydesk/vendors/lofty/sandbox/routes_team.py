"""Team features (§5.9), lead routing (§5.4), webhooks (§5.12), listings (§5.15) and the
opportunity notification (§5.17)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.state import LoftyState
from agencydesk.vendors.lofty.sandbox.views import tag_definition_view
from agencydesk.vendors.lofty.sandbox.wire import (
    body_int,
    body_str,
    fail,
    invalid,
    json_body,
    path_id,
    q_int,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response

ROUTING_TYPES = (1, 2, 4)  # L381 AGENT_LEAD(1), LENDER_LEAD(2), ASSISTANT_LEAD(4)


def routes(state: LoftyState) -> list[Route]:
    def routing_type(request: Request, role_required: bool = True) -> tuple[int, int]:
        kind = path_id(request, "type")
        if kind not in ROUTING_TYPES:
            raise invalid("type", "must be 1 (AGENT_LEAD), 2 (LENDER_LEAD) or 4 (ASSISTANT_LEAD)")
        role = q_int(request, "roleId")
        if kind == 4 and role is None and role_required:  # L436 required when type == 4
            raise invalid("roleId", "is required when type == 4")
        return kind, role or 0

    async def pond(request: Request) -> Response:  # L2036 LeadPond
        found = state.ponds.get(path_id(request, "id"))
        if found is None:
            raise fail(404)
        return json_response(dict(found))

    async def ponds(_request: Request) -> Response:  # L2063
        return json_response([dict(p) for p in state.ponds.values()])

    async def add_custom_field(request: Request) -> Response:  # L2083 CustomAttribute (L3431)
        body = await json_body(request)
        name = body_str(body, "attributeName", required=True) or ""
        kind = body_str(body, "attributeType", required=True)
        params = body_str(body, "params")
        if params is not None:
            try:
                json.loads(params)
            except ValueError as exc:
                raise invalid("params", 'must be JSON such as {"option":["item1"]}') from exc
        if any(f["attributeName"].lower() == name.lower() for f in state.custom_fields):
            raise invalid("attributeName", f"'{name}' already exists")
        state.custom_fields.append(
            {"attributeName": name, "attributeType": kind, "params": params, "value": None}
        )
        return string_result("success")

    async def custom_fields(_request: Request) -> Response:  # L2115
        return json_response([dict(f) for f in state.custom_fields])

    async def tags(_request: Request) -> Response:  # L2135 UserLeadTag[] (definitions)
        return json_response([tag_definition_view(t) for t in state.tags.values()])

    async def member_list(request: Request) -> Response:  # L373 AssignMember[]
        kind, _role = routing_type(request, role_required=False)  # roleId optional here (L382)
        wanted = {1: ("Admin", "Agent"), 2: ("Lender",), 4: ("Assistant",)}[kind]
        return json_response(
            [
                {"id": m["id"], "name": f"{m['firstName']} {m['lastName']}", "type": kind}
                for m in state.members.values()
                if m["roleName"] in wanted
            ]
        )

    async def role_list(_request: Request) -> Response:  # L406 AssignRole[]
        return json_response([dict(r) for r in state.roles])

    async def rule_list(request: Request) -> Response:  # L426 RoutingRule[]
        kind, role = routing_type(request)
        rules = [r for r in state.routing_rules.get(kind, []) if kind != 4 or r["_roleId"] == role]
        return json_response([{k: v for k, v in r.items() if not k.startswith("_")} for r in rules])

    async def supplement(request: Request) -> Response:  # L459 SupplementRoutingRule
        kind, role = routing_type(request)
        found = state.supplement_rules.get((kind, role if kind == 4 else 0))
        if found is None:
            raise fail(404)
        return json_response(dict(found))

    async def edit_supplement(request: Request) -> Response:  # L492 (L4974)
        kind = path_id(request, "type")
        if kind not in ROUTING_TYPES:
            raise invalid("type", "must be 1, 2 or 4")
        body = await json_body(request)
        role = body_int(body, "roleId", required=kind == 4) or 0
        key = (kind, role if kind == 4 else 0)
        rule = state.supplement_rules.setdefault(
            key, {"businessType": kind, "roleId": role or None}
        )
        agent = body_int(body, "assigneeAgentId")
        if agent is not None:
            member = state.member(agent)
            if member is None:
                raise invalid("assigneeAgentId", f"{agent} is not a team member")
            rule.update(
                assigneeAgentId=str(agent),
                assigneeAgentName=f"{member['firstName']} {member['lastName']}",
            )
        group = body_int(body, "assigneeGroupId")
        if group is not None:
            rule.update(
                assigneeGroupId=str(group),
                assigneeGroupName=state.offices.get(group, {}).get("name"),
            )
        for name in ("strategyType", "touchMinutes"):
            if name in body:
                rule[name] = body_int(body, name)
        rule["updateTime"] = int(state.now().timestamp() * 1000)
        return string_result("success")

    async def edit_rule(request: Request) -> Response:  # L528 RoutingRuleRequest (L4909)
        kind = path_id(request, "type")
        if kind not in ROUTING_TYPES:
            raise invalid("type", "must be 1, 2 or 4")
        body = await json_body(request)
        rule_id = body_int(body, "id", required=True)
        rule = next((r for r in state.routing_rules.get(kind, []) if r["id"] == rule_id), None)
        if rule is None:
            raise fail(404)
        for name in ("activeHours", "routingStrategy"):
            if isinstance(body.get(name), dict):
                rule[name] = {**rule[name], **body[name]}
        hours = rule["activeHours"]
        if not all(0 <= int(hours.get(k) or 0) <= 23 for k in ("hoursStart", "hoursEnd")) or any(
            not 1 <= int(d) <= 7 for d in hours.get("activeDays") or []
        ):
            raise invalid("activeHours", "days are 1-7 and hours 0-23 (L3022)")
        rule["updateTime"] = int(state.now().timestamp() * 1000)
        return string_result("success")

    return [
        Route("/v1.0/team-features/lead-pond/{id}", pond, methods=["GET"]),
        Route("/v1.0/team-features/lead-ponds", ponds, methods=["GET"]),
        Route("/v1.0/teamFeatures/custom-field", add_custom_field, methods=["POST"]),
        Route("/v1.0/teamFeatures/listCustomField", custom_fields, methods=["GET"]),
        Route("/v1.0/teamFeatures/listTag", tags, methods=["GET"]),
        Route("/v1.0/routing/member/list/{type}", member_list, methods=["GET"]),
        Route("/v1.0/routing/role/list", role_list, methods=["GET"]),
        Route("/v1.0/routing/rule/list/{type}", rule_list, methods=["GET"]),
        Route("/v1.0/routing/rule/supplement/{type}", supplement, methods=["GET"]),
        Route("/v1.0/routing/rule/supplement/{type}", edit_supplement, methods=["PUT"]),
        Route("/v1.0/routing/rule/{type}", edit_rule, methods=["PUT"]),
    ]
