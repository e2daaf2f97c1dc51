"""Team features (§5.9), lead routing (§5.4), webhooks (§5.12), listings (§5.15) and the
opportunity notification (§5.17)."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.views import tag_definition_view
from agencydesk.vendors.lofty.sandbox.wire import (
    actor,
    body_int,
    body_str,
    fail,
    invalid,
    json_body,
    path_id,
    q_bool,
    q_int,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response

ROUTING_TYPES = (1, 2, 4)  # L381 AGENT_LEAD(1), LENDER_LEAD(2), ASSISTANT_LEAD(4)
WEBHOOK_LISTS = (1, 2, 3, 4)  # L2262-2275
WEBHOOK_MAX = 5000  # L5380 "max is 5000"
LISTING_TYPES = ("LuxVT", "AptCom", "AllOnMarket")  # L2566
LISTING_DEFAULT = 20  # /v1.0/listing limit: no default given (assumption)


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
        kind, role = routing_type(request, role_required=False)
        wanted = {1: ("Admin", "Agent"), 2: ("Lender",), 4: ("Assistant",)}[kind]
        return json_response(
            [
                {"id": m["id"], "name": f"{m['firstName']} {m['lastName']}", "type": kind}
                for m in state.members.values()
                if m["roleName"] in wanted or (kind == 4 and role)
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

    async def add_webhook(request: Request) -> Response:  # L2277 WebhookRequest -> Response
        body = await json_body(request)
        url = body_str(body, "callbackUrl", required=True) or ""
        if not url.startswith(("http://", "https://")):
            raise invalid("callbackUrl", "must be an http(s) URL")
        list_id = body_int(body, "listId", required=True)
        if list_id not in WEBHOOK_LISTS:
            raise invalid("listId", "must be 1, 2, 3 or 4")
        limit = body_int(body, "limit")
        if limit is not None and not 1 <= limit <= WEBHOOK_MAX:
            raise invalid("limit", f"must be between 1 and {WEBHOOK_MAX}")
        hook = {
            "subscribeId": state.next_id(),
            "callbackUrl": url,
            "listId": list_id,
            "limit": limit or WEBHOOK_MAX,
            "teamId": state.team_id,
            "vendorId": state.vendors[0]["id"],
        }
        state.webhooks[hook["subscribeId"]] = hook
        return json_response(dict(hook))

    async def delete_webhook(request: Request) -> Response:  # L2309
        if state.webhooks.pop(path_id(request, "subscribeId"), None) is None:
            raise fail(404)
        return string_result("success")

    async def webhooks(_request: Request) -> Response:  # L2336 typed "string": a JSON array
        return json_response([dict(h) for h in state.webhooks.values()])

    async def published(request: Request) -> Response:  # L2557 application/xml
        kind = request.query_params.get("type")
        if kind is not None and kind not in LISTING_TYPES:
            raise invalid("type", "must be LuxVT, AptCom or AllOnMarket")
        rows = [
            lst
            for lst in state.listings
            if lst["status"] == "Active" and kind in (None, "AllOnMarket", lst["category"])
        ]
        items = "".join(
            f"<listing><listingId>{escape(r['listingId'])}</listingId>"
            f"<mlsListingId>{escape(r['mlsListingId'])}</mlsListingId>"
            f"<address>{escape(r['street'])}, {escape(r['city'])}, {r['state']}</address>"
            f"<price>{r['price']}</price><bedrooms>{r['bedrooms']}</bedrooms>"
            f"<bathrooms>{r['bathrooms']}</bathrooms></listing>"
            for r in rows
        )
        xml = f'<?xml version="1.0" encoding="UTF-8"?><listings>{items}</listings>'
        return Response(xml, media_type="application/xml")

    async def listing(request: Request) -> Response:  # L2584 "string" (JSON), nextPageKey
        rows = _filter_listings(state.listings, request)
        limit = q_int(request, "limit", LISTING_DEFAULT) or LISTING_DEFAULT
        start = 0
        key = request.query_params.get("nextPageKey")
        if key:
            if not key.isdigit():
                raise invalid("nextPageKey", "is not a key this service issued")
            start = int(key)
        page = rows[start : start + limit]
        more = start + limit < len(rows)
        return json_response(
            {
                "listings": [dict(r) for r in page],
                "nextPageKey": str(start + limit) if more else None,
            }
        )

    async def notify(request: Request) -> Response:  # L2805 OpportunityNotificationRequest
        body = await json_body(request)
        lead = state.lead(body_int(body, "leadId", required=True) or 0)
        message = body_str(body, "message", required=True)
        state.notifications.append(
            {
                "leadId": lead["leadId"],
                "message": message,
                "to": actor(request),
                "notificationType": body_int(body, "notificationType"),
                # L4785: description and link show only together
                "description": body.get("description") if body.get("link") else None,
                "link": body.get("link") if body.get("description") else None,
            }
        )
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
        Route("/v1.0/webhook", add_webhook, methods=["POST"]),
        Route("/v1.0/webhook/{subscribeId}", delete_webhook, methods=["DELETE"]),
        Route("/v1.0/webhooks", webhooks, methods=["GET"]),
        Route("/v1.0/getPublishedListings", published, methods=["GET"]),
        Route("/v1.0/listing", listing, methods=["GET"]),
        Route("/v1.0/agent/send-notification", notify, methods=["POST"]),
    ]


def _filter_listings(rows: list[Record], request: Request) -> list[Record]:
    params = request.query_params
    user = q_int(request, "userId")
    agent, office = q_bool(request, "agentListings"), q_bool(request, "officeListings")
    q_bool(request, "showCondition")
    mls = {m.strip() for m in (params.get("mlsListingIds") or "").split(",") if m.strip()}
    out = []
    for r in rows:
        if user is not None and r["userId"] != user:
            continue
        if agent and not r["agentListing"]:
            continue
        if office and not r["officeListing"]:
            continue
        if params.get("listingId") and r["listingId"] != params["listingId"]:
            continue
        if mls and r["mlsListingId"] not in mls:
            continue
        if params.get("soldListingId") and not (
            r["listingId"] == params["soldListingId"] and r["status"] == "Sold"
        ):
            continue
        street = (params.get("street") or params.get("buildingAddress") or "").lower()
        if street and street not in r["street"].lower():
            continue
        if params.get("buildingName") and r["buildingName"] != params["buildingName"]:
            continue
        out.append(r)
    return out
