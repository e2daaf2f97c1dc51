"""The paged, sorted active-client list by lead type (L292).

``POST /v1/clients/list/active/leadtype/[leadtypeuid]``: the lead type is a path segment though
the table calls it a "query parameter" (L270); ``Skip``/``Take`` in the body; ``SortDirection`` is
``Ascending`` or ``Decending`` (sic, L285) and nothing else; the example sends
``"DeliveryAccountType": ""`` (L298), read as "any account type" (assumption).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.delivery import order_for
from agencydesk.vendors.leadexec.sandbox.records import Client, DeliveryAccount
from agencydesk.vendors.leadexec.sandbox.wire import (
    as_int,
    body_object,
    fail,
    json_response,
    maybe_wrong,
    path_int,
    req_bool,
    req_enum,
    req_int,
    utc_z,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState

ACCOUNT_TYPES = {"Web": 0, "Redirect": 1, "TransferForm": 2, "PhoneRouting": 3}  # L273-L276
SORT_BY = ("Name", "Price", "Priority", "LastSentDate")  # L279-L282
SORT_DIRECTIONS = ("Ascending", "Decending")  # L285, misspelt on the wire


def _filters(body: dict[str, Any]) -> tuple[set[int] | None, bool | None, bool | None]:
    raw = body.get("Filters")
    if raw is None:
        return None, None, None
    if not isinstance(raw, dict):
        raise fail(400, "Filters must be an object.")
    groups = raw.get("ClientGroupUIDs")
    if groups is not None and not isinstance(groups, list):
        raise fail(400, "Filters.ClientGroupUIDs must be an array.")
    group_set = {as_int(g, "Filters.ClientGroupUIDs") for g in groups} if groups else None
    has_order = None if raw.get("HasActiveOrder") is None else req_bool(raw, "HasActiveOrder")
    automation = (
        None if raw.get("AutomationEnabled") is None else req_bool(raw, "AutomationEnabled")
    )
    return group_set, has_order, automation


def _row(
    state: LeadExecState, client: Client, accounts: list[DeliveryAccount], cheapest: bool
) -> dict[str, Any]:
    chosen = (
        min(accounts, key=lambda a: a.price) if cheapest else max(accounts, key=lambda a: a.price)
    )
    agent = next((a for a in accounts if a.agent_name), None)
    lists = []
    for dist in state.lists.values():
        assigned = [i.description for i in dist.items.values() if client.uid in i.assigned]
        if assigned:
            lists.append({"Name": dist.description, "Assignments": assigned})
    return {
        "ClientUID": client.uid,
        "DateCreated": utc_z(client.date_added),  # UTC here (L325), Pacific in DateAdded
        "Name": state.client_name(client),
        "Email": state.client_value(client, "Email"),
        "Phone": state.client_value(client, "PrimaryPhone"),
        "LastSentDate": utc_z(client.last_sent),
        "Priority": client.priority,
        "Price": chosen.price,
        "Agent": {"Name": agent.agent_name, "Phone": agent.agent_phone} if agent else None,
        "DistributionLists": lists,
    }


def _sort_key(sort_by: str, row: dict[str, Any]) -> tuple[Any, ...]:
    if sort_by == "Name":
        return (row["Name"].lower(), row["ClientUID"])
    if sort_by == "LastSentDate":
        return (row["LastSentDate"] or "", row["ClientUID"])
    return (row[sort_by], row["ClientUID"])


@guarded
async def active_clients(request: Request) -> Response:
    started = time.perf_counter()
    ctx: Context = request.app.state.ctx
    state = ctx.state
    lead_type = state.lead_type(path_int(request, "leadtypeuid")).uid
    body = await body_object(request)
    if "DeliveryAccountType" not in body:
        raise fail(400, "DeliveryAccountType is required.")
    kind = body["DeliveryAccountType"]
    if kind not in ("", None, *ACCOUNT_TYPES):
        raise fail(400, f"The value '{kind}' is not valid for DeliveryAccountType.")
    sort_by = req_enum(body, "SortBy", SORT_BY)
    direction = req_enum(body, "SortDirection", SORT_DIRECTIONS)
    skip, take = req_int(body, "Skip"), req_int(body, "Take")
    if skip < 0 or take < 0:
        raise fail(400, "Skip and Take must not be negative.")
    groups, has_order, automation = _filters(body)
    now: datetime = ctx.clock.now()
    rows = []
    for client in state.clients.values():
        if client.status != "Active" or (groups is not None and client.group_uid not in groups):
            continue
        accounts = [
            a
            for a in state.accounts_of(client.uid)
            if a.status == 12
            and state.account_lead_type(a) == lead_type
            and (not kind or a.account_type == ACCOUNT_TYPES[kind])
        ]
        if not accounts:
            continue
        if automation is not None and any(a.automation_enabled for a in accounts) != automation:
            continue
        if has_order is not None and any(order_for(state, a, now) for a in accounts) != has_order:
            continue
        cheapest = sort_by == "Price" and direction == "Ascending"
        rows.append(_row(state, client, accounts, cheapest))
    rows.sort(key=lambda r: _sort_key(sort_by, r), reverse=direction == "Decending")
    page = [maybe_wrong(ctx.faults, r) for r in rows[skip : skip + take]]
    elapsed_ms = int((time.perf_counter() - started) * 1000)
    return json_response(
        {
            "QueryTotal": len(rows),
            "QueryDurationTotalMS": elapsed_ms,
            "QueryDurationItemAverageMS": round(elapsed_ms / len(page), 1) if page else 0.0,
            "Skip": skip,
            "Take": take,
            "FetchedCount": len(page),
            "Clients": page,
        }
    )


ROUTES = [
    Route("/v1/clients/list/active/leadtype/{leadtypeuid}", active_clients, methods=["POST"]),
]
