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

ROUTING_TYPES = (1, 2, 4)  # L379 AGENT_LEAD(1), LENDER_LEAD(2), ASSISTANT_LEAD(4)


def routes(state: LoftyState) -> list[Route]:
    def routing_type(request: Request, role_required: bool = True) -> tuple[int, int]:
        kind = path_id(request, "type")
        if kind not in ROUTING_TYPES:
            raise invalid("type", "must be 1 (AGENT_LEAD), 2 (LENDER_LEAD) or 4 (ASSISTANT_LEAD)")
        role = q_int(request, "roleId")
        if kind == 4 and role is None and role_required:  # L437 required when type == 4
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
        kind, _role = routing_type(request, role_required=False)  # roleId optional here (L383)
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
        agent = body_int(body, "assigneeAgentId")
        member = state.member(agent) if agent is not None else None
        if agent is not None and member is None:
            raise invalid("assigneeAgentId", f"{agent} is not a team member")
        group = body_int(body, "assigneeGroupId")
        if group is not None and group not in state.offices:
            raise invalid("assigneeGroupId", f"{group} is not an office of this team")
        numbers: dict[str, int | None] = {
            n: body_int(body, n) for n in ("strategyType", "touchMinutes") if n in body
        }
        key = (kind, role if kind == 4 else 0)  # everything is checked; now change
        rule = state.supplement_rules.setdefault(
            key, {"businessType": kind, "roleId": role or None}
        )
        if member is not None:
            rule.update(
                assigneeAgentId=str(agent),
                assigneeAgentName=f"{member['firstName']} {member['lastName']}",
            )
        if group is not None:
            rule.update(assigneeGroupId=str(group), assigneeGroupName=state.offices[group]["name"])
        rule.update(numbers, updateTime=int(state.now().timestamp() * 1000))
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
        merged = {
            name: {**rule[name], **body[name]} if isinstance(body.get(name), dict) else rule[name]
            for name in ("activeHours", "routingStrategy")
        }
        if not _active_hours_ok(merged["activeHours"]):
            raise invalid("activeHours", "days are 1-7 and hours 0-23 (L3022)")
        rule.update(merged, updateTime=int(state.now().timestamp() * 1000))
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


def _active_hours_ok(hours: dict[str, object]) -> bool:
    """ActiveHours (L3022): activeDays between 1 and 7, hoursStart/hoursEnd between 0 and 23."""

    def whole(value: object, low: int, high: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    days = hours.get("activeDays") or []
    return (
        isinstance(days, list)
        and all(whole(d, 1, 7) for d in days)
        and all(
            hours.get(k) is None or whole(hours.get(k), 0, 23) for k in ("hoursStart", "hoursEnd")
        )
    )
