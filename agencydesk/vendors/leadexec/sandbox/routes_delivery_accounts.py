"""Delivery accounts and delivery methods of clients (L1347-L2470)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox import delivery
from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.delivery_views import (
    CRITERIA_TYPES,
    OPERATORS,
    account_view,
)
from agencydesk.vendors.leadexec.sandbox.method_writes import upsert_method_from
from agencydesk.vendors.leadexec.sandbox.records import Criterion, DeliveryAccount
from agencydesk.vendors.leadexec.sandbox.seed_buyers import default_settings
from agencydesk.vendors.leadexec.sandbox.wire import (
    body_object,
    fail,
    json_response,
    maybe_wrong,
    path_int,
    req_bool,
    req_enum,
    req_float,
    req_int,
    req_str,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState


@guarded
async def accounts_by_criteria(request: Request) -> Response:
    """POST /v1/delivery/accounts/all/[LeadTypeUID] (L1357): accounts of the lead type with a
    FieldValue criterion on ``LeadFieldUID`` that ``Value`` satisfies (assumption on the match)."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    lead_type = state.lead_type(path_int(request, "LeadTypeUID")).uid
    body = await body_object(request)
    field_uid, value = req_int(body, "LeadFieldUID"), req_str(body, "Value")
    lead_field = state.lead_fields.get(field_uid)
    if lead_field is None or lead_field.lead_type_uid != lead_type:
        raise fail(400, f"LeadFieldUID {field_uid} is not a field of lead type {lead_type}.")
    rows = [
        account_view(state, a)
        for a in state.accounts.values()
        if state.account_lead_type(a) == lead_type
        and any(
            c.lead_field_uid == field_uid
            and c.type == "FieldValue"
            and delivery.criterion_holds(c.operator, c.value, value)
            for c in a.criteria
        )
    ]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def client_accounts(request: Request) -> Response:
    """GET /v1/delivery/[ClientUID]/accounts (L1622)."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    rows = [account_view(ctx.state, a) for a in ctx.state.accounts_of(client.uid)]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def account_detail(request: Request) -> Response:
    """GET /v1/delivery/[ClientUID]/accounts/[ClientAccountUID] (L1883): one object."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    account = ctx.state.account(client.uid, path_int(request, "ClientAccountUID"))
    return json_response(account_view(ctx.state, account))


def _criteria(
    state: LeadExecState, body: dict[str, Any], lead_type: int, old: list[Criterion]
) -> list[Criterion]:
    raw = body.get("Criteria") or []
    if not isinstance(raw, list):
        raise fail(400, "Criteria must be an array.")
    known = {c.uid for c in old}
    result = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise fail(400, f"Criteria[{i}] must be an object.")
        label = f"Criteria[{i}]."
        uid = req_int(item, "ClientCriteriaUID", label + "ClientCriteriaUID")
        if uid and uid not in known:
            raise fail(400, f"{label}ClientCriteriaUID {uid} is not a criteria of this account.")
        field_uid = req_int(item, "LeadFieldUID", label + "LeadFieldUID")
        lead_field = state.lead_fields.get(field_uid)
        if lead_field is None or lead_field.lead_type_uid != lead_type:
            raise fail(400, f"{label}LeadFieldUID {field_uid} is not a field of the lead type.")
        result.append(
            Criterion(
                uid or state.next_id("criteria"),
                field_uid,
                req_enum(item, "Type", CRITERIA_TYPES, label + "Type"),
                req_str(item, "Expression", label + "Expression"),
                req_enum(item, "Operator", OPERATORS, label + "Operator"),
                req_str(item, "Value", label + "Value"),
            )
        )
    return result


@guarded
async def upsert_account(request: Request) -> Response:
    """PUT /v1/delivery/[ClientUID]/accounts/ (L2194): ``ClientAccountUID`` 0 creates (L2141);
    the client id is in the path and the body (they must agree). Criteria sent replace the
    account's criteria (assumption: no Delete flag here). Answers the bare id (L2233)."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    client = state.client(path_int(request, "ClientUID"))
    body = await body_object(request)
    uid = req_int(body, "ClientAccountUID")
    if req_int(body, "ClientUID") != client.uid:
        raise fail(400, "ClientUID in the body does not match the ClientUID in the path.")
    method = state.method(req_int(body, "DeliveryUID"))
    if method.client_uid != client.uid:
        raise fail(400, f"DeliveryUID {method.uid} is not a delivery method of this client.")
    account = state.account(client.uid, uid) if uid else None
    values = {
        "price": req_float(body, "Price"),
        "hour_max": req_int(body, "HourMax"),
        "day_max": req_int(body, "DayMax"),
        "month_max": req_int(body, "MonthMax"),
        "week_max": req_int(body, "WeekMax"),
        "use_order": req_bool(body, "useOrder"),
        "status": req_enum(body, "Status", (9, 10, 11, 12)),
        "delivery_delay": req_int(body, "DeliveryDelay"),
        "description": req_str(body, "Description"),
        "redirect_url": req_str(body, "RedirectURL"),
        "automation_enabled": req_bool(body, "AutomationEnabled"),
        "alternate_posting": req_int(body, "AlternatePosting"),
        "account_type": req_enum(body, "AccountType", (0, 1, 2, 3)),
        "agent_name": req_str(body, "AgentName"),
        "agent_phone": req_str(body, "AgentPhone"),
    }
    criteria = _criteria(state, body, method.lead_type_uid, account.criteria if account else [])
    with state.lock:
        if account is None:
            account = DeliveryAccount(state.next_id("account"), client.uid, method.uid, "", 0.0)
            state.accounts[account.uid] = account
        account.delivery_uid = method.uid
        for name, value in values.items():
            setattr(account, name, value)
        account.criteria = criteria
    return json_response(account.uid)


@guarded
async def update_maxes(request: Request) -> Response:
    """PUT .../accounts/[DeliveryAccountUID]/maxes (L2256): "Send 0 for no maximum or exclude to
    not modify" (L2249) while accounts read -1 for no maximum (L1375): 0 is stored as -1."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    account = ctx.state.account(client.uid, path_int(request, "DeliveryAccountUID"))
    body = await body_object(request)
    updates = {}
    for wire_name, attr in (
        ("HourMax", "hour_max"),
        ("DailyMax", "day_max"),
        ("WeeklyMax", "week_max"),
        ("MonthlyMax", "month_max"),
    ):
        if body.get(wire_name) is not None:
            value = req_int(body, wire_name)
            if value < 0:
                raise fail(400, f"{wire_name} must be 0 (no maximum) or more.")
            updates[attr] = value or -1
    for attr, value in updates.items():
        setattr(account, attr, value)
    return json_response(True)


@guarded
async def upsert_method(request: Request) -> Response:
    """PUT /v1/delivery/[ClientUID]/methods (L2371): answers the bare id (L2446)."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    body = await body_object(request)
    with ctx.state.lock:
        method = upsert_method_from(ctx.state, client.uid, body)
    return json_response(method.uid)


@guarded
async def set_default_mappings(request: Request) -> Response:
    """PATCH /v1/delivery/methods/mappings/setdefault/[DeliveryUID] (L2460): the method's field
    settings become one Lead Field mapping per field of its lead type."""
    ctx: Context = request.app.state.ctx
    method = ctx.state.method(path_int(request, "DeliveryUID"))
    with ctx.state.lock:
        method.field_settings = default_settings(ctx.state, method)
    return json_response(True)


ROUTES = [
    Route("/v1/delivery/accounts/all/{LeadTypeUID}", accounts_by_criteria, methods=["POST"]),
    Route(
        "/v1/delivery/methods/mappings/setdefault/{DeliveryUID}",
        set_default_mappings,
        methods=["PATCH"],
    ),
    Route("/v1/delivery/{ClientUID}/accounts", client_accounts, methods=["GET"]),
    Route("/v1/delivery/{ClientUID}/accounts/", upsert_account, methods=["PUT"]),
    Route("/v1/delivery/{ClientUID}/accounts", upsert_account, methods=["PUT"]),
    Route("/v1/delivery/{ClientUID}/accounts/{ClientAccountUID}", account_detail, methods=["GET"]),
    Route(
        "/v1/delivery/{ClientUID}/accounts/{DeliveryAccountUID}/maxes",
        update_maxes,
        methods=["PUT"],
    ),
    Route("/v1/delivery/{ClientUID}/methods", upsert_method, methods=["PUT"]),
]
