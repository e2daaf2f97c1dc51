"""Webhook subscriptions (§5.12, singular to write and plural to list), listings (§5.15:
JSON with nextPageKey, and an XML feed) and the opportunity notification (§5.17)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.views import public
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

WEBHOOK_LISTS = (1, 2, 3, 4)  # L2262-2275
WEBHOOK_MAX = 5000  # L5380 "max is 5000"
LISTING_TYPES = ("LuxVT", "AptCom", "AllOnMarket")  # L2563
LISTING_DEFAULT = 20  # /v1.0/listing limit: no default given (assumption)


def routes(state: LoftyState) -> list[Route]:
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
        return json_response(public(hook))

    async def delete_webhook(request: Request) -> Response:  # L2309
        if state.webhooks.pop(path_id(request, "subscribeId"), None) is None:
            raise fail(404)
        return string_result("success")

    async def webhooks(_request: Request) -> Response:  # L2336 typed "string": a JSON array
        return json_response([public(h) for h in state.webhooks.values()])

    async def published(request: Request) -> Response:  # L2557 application/xml
        # Produces application/xml only (L2582): an Accept that rules XML out is a 406.
        accept = request.headers.get("accept", "*/*").lower()
        if not any(t in accept for t in ("application/xml", "*/*", "application/*")):
            return Response(b"", status_code=406)
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
                # L4786: description and link show only together
                "description": body.get("description") if body.get("link") else None,
                "link": body.get("link") if body.get("description") else None,
            }
        )
        return string_result("success")

    return [
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
