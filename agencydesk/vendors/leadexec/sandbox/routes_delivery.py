"""Scanning leads against clients and sending them (L847-L1116): scans, scan logs, the
criteria scan, autosend and a single delivery."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox import delivery
from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records import Client
from agencydesk.vendors.leadexec.sandbox.records_leads import Send
from agencydesk.vendors.leadexec.sandbox.wire import (
    as_int,
    body_json,
    body_object,
    fail,
    json_response,
    maybe_wrong,
    not_found,
    opt_bool,
    opt_int,
    opt_str,
    path_int,
    req_bool,
    req_enum,
    req_int,
    req_str,
    utc_z,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState


def contact(state: LeadExecState, client: Client) -> dict[str, Any]:
    """A client's name and contact fields as scans and sends show them (L973-L986, L1286-L1302)."""
    value = state.client_value
    return {
        "ClientUID": client.uid,
        "ClientName": state.client_name(client),
        "ContactFirstName": value(client, "FirstName"),
        "ContactLastName": value(client, "LastName"),
        "Address": value(client, "Address"),
        "Address2": "",  # the table writes "Address 2" (L978), the example Address2
        "City": value(client, "City"),
        "State": value(client, "State"),
        "Country": "United States",
        "PostalCode": value(client, "Zip"),
        "PhoneNumber": value(client, "PrimaryPhone"),
        "Email": value(client, "Email"),
    }


@guarded
async def general_scan(request: Request) -> Response:
    """POST /v2/delivery/scanner/general (L865), the only v2 path."""
    ctx: Context = request.app.state.ctx
    body = await body_object(request)
    lead = ctx.state.lead(req_int(body, "LeadUID"), ctx.clock.now())
    automated, over = req_bool(body, "Automated"), req_bool(body, "AllowOverMax")
    ignore_exclusive = req_bool(body, "IgnoreExclusive")
    scan_type = req_enum(body, "ScanType", tuple(delivery.SCAN_TYPES))
    with ctx.state.lock:
        matches = delivery.scan(
            ctx.state,
            lead,
            ctx.clock.now(),
            account_type=delivery.SCAN_TYPES[scan_type],
            automated=automated,
            allow_over_max=over,
            ignore_exclusive=ignore_exclusive,
        )
    rows = [
        {
            "ClientUID": m.account.client_uid,
            "ClientAccountUID": m.account.uid,
            "ClientOrderUID": m.order.uid if m.order else 0,
            "ClientOrderItemUID": m.item.uid if m.item else 0,
            "Automation": m.account.automation_enabled,
        }
        for m in matches
    ]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def scan_logs(request: Request) -> Response:
    """GET /v1/delivery/scanner/logs/[LeadUID] (L915)."""
    ctx: Context = request.app.state.ctx
    lead = ctx.state.lead(path_int(request, "LeadUID"), ctx.clock.now())
    rows = [
        {"LeadUID": log.lead_uid, "ScanDate": utc_z(log.at), "Log": log.text}
        for log in ctx.state.scan_logs
        if log.lead_uid == lead.uid
    ]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def criteria_scan(request: Request) -> Response:
    """POST /v1/clients/scanner/criteria/[LeadTypeUID] (L954): the body is a bare array of
    ``{Name, Value}`` lead-field values (L959-L968)."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    lead_type = state.lead_type(path_int(request, "LeadTypeUID")).uid
    body = await body_json(request)
    if not isinstance(body, list):
        raise fail(400, "The body must be an array of {Name, Value}.")
    names = {f.descriptor for f in state.fields_of(lead_type)}
    values: dict[str, str] = {}
    for i, item in enumerate(body):
        if not isinstance(item, dict):
            raise fail(400, f"Criteria[{i}] must be an object.")
        name = req_str(item, "Name", f"Criteria[{i}].Name")
        if name not in names:
            raise fail(400, f"Criteria[{i}].Name '{name}' is not a field of lead type {lead_type}.")
        values[name] = req_str(item, "Value", f"Criteria[{i}].Value")
    best: dict[int, float] = {}
    for account in state.accounts.values():
        client = state.clients.get(account.client_uid)
        if client is None or client.status != "Active" or account.status != 12:
            continue
        if state.account_lead_type(account) != lead_type:
            continue
        if delivery.criteria_hold(state, account, values):
            best[client.uid] = max(best.get(client.uid, 0.0), account.price)
    rows = [
        {
            **contact(state, state.clients[uid]),
            "Price": price,
            "Website": state.client_value(state.clients[uid], "WebSite"),
        }
        for uid, price in sorted(best.items())
    ]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


def _result(send: Send | None, state: LeadExecState, status: str = "") -> dict[str, Any]:
    if send is None:
        return {
            "ClientUID": 0,
            "ClientName": "",
            "DeliveryAccountUID": 0,
            "DeliveryAccountName": "",
            "OrderUID": 0,
            "OrderItemUID": 0,
            "isValid": False,
            "Status": status,
            "Response": "",
        }
    return {
        "ClientUID": send.client_uid,
        "ClientName": state.client_name(state.clients[send.client_uid]),
        "DeliveryAccountUID": send.account_uid,
        "DeliveryAccountName": state.accounts[send.account_uid].description,
        "OrderUID": send.order_uid,
        "OrderItemUID": send.order_item_uid,
        "isValid": send.is_valid,
        "Status": "Sent",
        "Response": send.response,
    }


@guarded
async def autosend(request: Request) -> Response:
    """POST /v1/delivery/autosend (L1035): scan and send up to the lead's max sell; the answer is
    one object, the first send (L1062-L1072). ``ForceIDs`` are read as client ids (assumption)."""
    ctx: Context = request.app.state.ctx
    state, body = ctx.state, await body_object(request)
    lead = state.lead(req_int(body, "LeadUID"), ctx.clock.now())
    over = opt_bool(body, "AllowOverMax", False)
    force = body.get("ForceIDs")
    only = None
    if force:
        if not isinstance(force, list):
            raise fail(400, "ForceIDs must be an array.")
        only = {as_int(f, "ForceIDs") for f in force if f not in ("", None)} or None
    with state.lock:
        sends = delivery.auto_deliver(
            state, lead, ctx.clock.now(), allow_over_max=over, only_clients=only
        )
    if sends:
        return json_response(_result(sends[0], state))
    at_max = delivery.sell_count(state, lead) >= delivery.max_sell(state, lead)
    return json_response(
        _result(None, state, "Lead is at its max sell count" if at_max else "No matching accounts")
    )


def refused(status: str, response: str) -> Response:
    return json_response({"isValid": False, "Status": status, "Response": response})


@guarded
async def process(request: Request) -> Response:
    """POST /v1/delivery/process (L1091): send a lead to one client's delivery account."""
    ctx: Context = request.app.state.ctx
    state, body, now = ctx.state, await body_object(request), ctx.clock.now()
    lead = state.lead(req_int(body, "LeadUID"), now)
    client = state.client(req_int(body, "ClientUID"))
    account = state.account(client.uid, req_int(body, "ClientAccountUID"))
    order_uid = opt_int(body, "ClientOrderUID", 0) or 0
    notes, over = opt_str(body, "Notes"), opt_bool(body, "AllowOverMax", False)
    with state.lock:
        if any(s.client_uid == client.uid and s.is_valid for s in state.sends_of(lead.uid)):
            return refused("Duplicate", "The lead was already sent to this client.")
        if account.status != 12 or client.status != "Active":
            return refused("Account_Disabled", "The client or its delivery account is not open.")
        if state.account_lead_type(account) != lead.lead_type_uid:
            return refused("Outside_Criteria", "The delivery account takes another lead type.")
        if not over and delivery.sell_count(state, lead) >= delivery.max_sell(state, lead):
            return refused("Post_Over_Max", "The lead is at its max sell count.")
        found = delivery.order_for(state, account, now)
        if order_uid:
            order = state.orders.get(order_uid)
            if order is None or order.client_uid != client.uid:
                raise not_found("Order", order_uid)
            item = next((i for i in order.items if i.account_uid in (0, account.uid)), None)
            found = (order, item) if item else None
        if account.use_order and found is None:
            return refused("No_Order", "The delivery account requires an open order.")
        order, item = found if found else (None, None)
        match = delivery.Match(account, order, item)
        send = delivery.deliver(state, lead, match, now, notes)
    return json_response({"isValid": True, "Status": "Sent", "Response": send.response})


ROUTES = [
    Route("/v2/delivery/scanner/general", general_scan, methods=["POST"]),
    Route("/v1/delivery/scanner/logs/{LeadUID}", scan_logs, methods=["GET"]),
    Route("/v1/clients/scanner/criteria/{LeadTypeUID}", criteria_scan, methods=["POST"]),
    Route("/v1/delivery/autosend", autosend, methods=["POST"]),
    Route("/v1/delivery/process", process, methods=["POST"]),
]
