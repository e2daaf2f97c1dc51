"""After the scan (L1118-L1345): automation queued now or later, delivery confirmations,
sends logged without delivering, and a lead's sends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records_leads import AutomationJob, Send
from agencydesk.vendors.leadexec.sandbox.routes_delivery import contact, refused
from agencydesk.vendors.leadexec.sandbox.wire import (
    as_int,
    body_object,
    empty_ok,
    fail,
    json_response,
    maybe_wrong,
    not_found,
    opt_int,
    opt_str,
    parse_date,
    path_int,
    req_int,
    req_str,
    utc_z,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context

SCHEDULED = "Record has been scheduled for automation"  # L1140, L1167


@guarded
async def run_automation(request: Request) -> Response:
    """POST /v1/delivery/runautomation/[LeadUID] (L1130): queued now, runs on the next request;
    its table names a ``Result`` property (L1139)."""
    ctx: Context = request.app.state.ctx
    lead = ctx.state.lead(path_int(request, "LeadUID"), ctx.clock.now())
    ctx.state.automation.append(AutomationJob(lead.uid, ctx.clock.now()))
    return json_response({"Result": SCHEDULED})


@guarded
async def schedule_automation(request: Request) -> Response:
    """POST /v1/delivery/scheduleautomation/[LeadUID] (L1155): the answer is a bare string."""
    ctx: Context = request.app.state.ctx
    lead = ctx.state.lead(path_int(request, "LeadUID"), ctx.clock.now())
    body = await body_object(request)
    due = parse_date(body.get("SendDateUtc"), "SendDateUtc")
    ctx.state.automation.append(AutomationJob(lead.uid, due))
    return json_response(SCHEDULED)


@guarded
async def confirm(request: Request) -> Response:
    """POST /v1/delivery/[ClientUID]/confirm/[LeadUID] (L1182): an empty 200."""
    ctx: Context = request.app.state.ctx
    client_uid, lead_uid = path_int(request, "ClientUID"), path_int(request, "LeadUID")
    lead = ctx.state.lead(lead_uid, ctx.clock.now())
    sends = [s for s in ctx.state.sends_of(lead.uid) if s.client_uid == client_uid]
    if not sends:
        raise not_found("Send of lead to client", f"{lead_uid}/{client_uid}")
    sends[-1].confirmed = True
    return empty_ok()


@guarded
async def redirect_confirmation(request: Request) -> Response:
    """POST /v1/delivery/redirectconfirmation (L1207): confirms the lead's latest send to a
    Redirect account (type 1). The table types RedirectURL/IsValid as integers (L1204-L1206)."""
    ctx: Context = request.app.state.ctx
    state, body = ctx.state, await body_object(request)
    lead = state.lead(req_int(body, "LeadUID"), ctx.clock.now())
    req_str(body, "RedirectURL")
    if body.get("IsValid") is None:
        raise fail(400, "IsValid is required.")
    valid = (
        bool(as_int(body["IsValid"], "IsValid"))
        if not isinstance(body["IsValid"], bool)
        else body["IsValid"]
    )
    response = str(body.get("Response") or "")
    sends = [s for s in state.sends_of(lead.uid) if state.accounts[s.account_uid].account_type == 1]
    if not sends:
        return refused("No redirect delivery found for this lead", response)
    sends[-1].confirmed = valid
    return json_response(
        {"isValid": valid, "Status": "Confirmed" if valid else "Rejected", "Response": response}
    )


@guarded
async def log_delivery(request: Request) -> Response:
    """PUT /v1/delivery/log (L1244): "only logs the send" (L1229). The table lists a second
    ``ClientOrderItemUID`` for the delivery account (L1243); the example names it
    ``ClientAccountUID`` (L1257)."""
    ctx: Context = request.app.state.ctx
    state, body, now = ctx.state, await body_object(request), ctx.clock.now()
    lead = state.lead(req_int(body, "LeadUID"), now)
    client = state.client(req_int(body, "ClientUID"))
    method = state.method(req_int(body, "DeliveryUID"))
    account = state.account(client.uid, req_int(body, "ClientAccountUID"))
    if method.client_uid != client.uid:
        raise not_found("Delivery method", method.uid)
    order_uid, item_uid = opt_int(body, "ClientOrderUID", 0), opt_int(body, "ClientOrderItemUID", 0)
    item = None
    if order_uid:
        order = state.orders.get(order_uid)
        if order is None or order.client_uid != client.uid:
            raise not_found("Order", order_uid)
        item = next((i for i in order.items if i.uid == item_uid), None)
    with state.lock:
        send = Send(
            lead.uid,
            client.uid,
            account.uid,
            method.uid,
            now,
            True,
            opt_str(body, "Response"),
            item.price if item else account.price,
            order_uid=order_uid or 0,
            order_item_uid=item.uid if item else 0,
            post_string=opt_str(body, "PostString"),
            logged_only=True,
        )
        state.add_send(send)
        if item is not None:
            item.sent_qty += 1
            item.sent_price += send.price
        client.last_sent = now
    return empty_ok()


@guarded
async def lead_sends(request: Request) -> Response:
    """GET /v1/delivery/sends/[LeadUID] (L1277)."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    lead = state.lead(path_int(request, "LeadUID"), ctx.clock.now())
    rows = [
        {
            **contact(state, state.clients[s.client_uid]),
            "Notes": s.notes,
            "DateSent": utc_z(s.date_sent),
            "IsValid": s.is_valid,
            "Response": s.response,
            "Price": s.price,
        }
        for s in state.sends_of(lead.uid)
    ]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


ROUTES = [
    Route("/v1/delivery/runautomation/{LeadUID}", run_automation, methods=["POST"]),
    Route("/v1/delivery/scheduleautomation/{LeadUID}", schedule_automation, methods=["POST"]),
    Route("/v1/delivery/redirectconfirmation", redirect_confirmation, methods=["POST"]),
    Route("/v1/delivery/log", log_delivery, methods=["PUT"]),
    Route("/v1/delivery/sends/{LeadUID}", lead_sends, methods=["GET"]),
    Route("/v1/delivery/{ClientUID}/confirm/{LeadUID}", confirm, methods=["POST"]),
]
