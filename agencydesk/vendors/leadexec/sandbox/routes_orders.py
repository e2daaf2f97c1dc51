"""Client orders and payments (L2470-L2745)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records import Order, OrderItem, Payment
from agencydesk.vendors.leadexec.sandbox.wire import (
    body_object,
    empty_ok,
    fail,
    json_response,
    maybe_wrong,
    not_found,
    opt_int,
    order_z,
    pacific_z,
    parse_date,
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

ORDER_STATUSES = ("Closed", "Open", "OnHold", "Filled", "Pending", "Paused")  # L2487-L2492
RENEWALS = ("No_Renewal", "On_End", "On_Qty_Fill")  # L2495-L2497
MAX_TAKE = 100  # "maximum: 100" (L2557)
CARD_LIMIT = 10_000.0  # assumption: larger charges are declined


def order_view(order: Order) -> dict[str, Any]:
    """An order as the query returns it (L2607-L2636): an item's "any account" 0 is ``null``
    as in the example (L2628), and totals are computed from the items."""
    return {
        "ClientOrderUID": order.uid,
        "ClientUID": order.client_uid,
        "StartDate": order_z(order.start),
        "EndDate": order_z(order.end),
        "Qty": sum(i.qty for i in order.items),
        "SentQty": sum(i.sent_qty for i in order.items),
        "PriceTotal": round(sum(i.qty * i.price for i in order.items), 2),
        "SentPriceTotal": round(sum(i.sent_price for i in order.items), 2),
        "Status": order.status,
        "Renewal": order.renewal,
        "AutoCharge": order.auto_charge,
        "Items": [
            {
                "ClientOrderItemUID": i.uid,
                "ClientAccountUID": i.account_uid or None,
                "Qty": i.qty,
                "SentQty": i.sent_qty,
                "ConstrainQuantity": i.constrain_quantity,
                "Price": i.price,
                "SentPrice": round(i.sent_price, 2),
            }
            for i in order.items
        ],
    }


def _items(
    state: LeadExecState, body: dict[str, Any], client_uid: int, order: Order | None
) -> list[OrderItem]:
    raw = body.get("Items")
    if not isinstance(raw, list):
        raise fail(400, "Items is required.")
    current = {i.uid: i for i in order.items} if order else {}
    for n, item in enumerate(raw):
        if not isinstance(item, dict):
            raise fail(400, f"Items[{n}] must be an object.")
        where = f"Items[{n}]."
        uid = req_int(item, "ClientOrderItemUID", where + "ClientOrderItemUID")
        if uid and uid not in current:
            raise fail(400, f"{where}ClientOrderItemUID {uid} is not an item of this order.")
        account_uid = opt_int(item, "ClientAccountUID", 0) or 0
        if account_uid:
            state.account(client_uid, account_uid)
        qty = req_int(item, "Qty", where + "Qty")
        if qty < 0:
            raise fail(400, f"{where}Qty must not be negative.")
        constrain = req_bool(item, "ConstrainQuantity", where + "ConstrainQuantity")
        price = req_float(item, "Price", where + "Price")
        old = current.get(uid)
        new = OrderItem(
            uid or state.next_id("order_item"),
            account_uid,
            qty,
            constrain,
            price,
            old.sent_qty if old else 0,
            old.sent_price if old else 0.0,
        )
        current[new.uid] = new
    return list(current.values())  # items not sent are kept: there is no way to delete one


@guarded
async def upsert_order(request: Request) -> Response:
    """PUT /v1/orders (L2505): ``ClientOrderUID`` 0 creates (L2481); answers the bare id."""
    ctx: Context = request.app.state.ctx
    state, body = ctx.state, await body_object(request)
    uid = req_int(body, "ClientOrderUID")
    client = state.client(req_int(body, "ClientUID"))
    start = parse_date(body.get("StartDate"), "StartDate")
    end = parse_date(body.get("EndDate"), "EndDate")
    if end < start:
        raise fail(400, "EndDate must not be before StartDate.")
    status = req_enum(body, "Status", ORDER_STATUSES)
    renewal = req_enum(body, "Renewal", RENEWALS)
    auto_charge = req_bool(body, "AutoCharge")
    order = None
    if uid:
        order = state.orders.get(uid)
        if order is None:
            raise not_found("Order", uid)
        if order.client_uid != client.uid:
            raise fail(400, f"Order {uid} belongs to another client.")
    with state.lock:
        items = _items(state, body, client.uid, order)
        if order is None:
            order = Order(
                state.next_id("order"), client.uid, start, end, status, renewal, auto_charge, items
            )
            state.add_order(order)
        else:
            order.start, order.end, order.status = start, end, status
            order.renewal, order.auto_charge, order.items = renewal, auto_charge, items
    return json_response(order.uid)


@guarded
async def query_orders(request: Request) -> Response:
    """POST /v1/orders (L2558): one order or a filtered page; ``Take`` over 100 is clamped."""
    ctx: Context = request.app.state.ctx
    state, body = ctx.state, await body_object(request)
    order_uid, client_uid = opt_int(body, "OrderUID"), opt_int(body, "ClientUID")
    status = body.get("OrderStatusFilter")
    if status is not None and status not in ORDER_STATUSES:
        raise fail(400, f"The value '{status}' is not valid for OrderStatusFilter.")
    since = None if body.get("StartDate") is None else parse_date(body["StartDate"], "StartDate")
    skip, take = req_int(body, "Skip"), req_int(body, "Take")
    if skip < 0 or take < 0:
        raise fail(400, "Skip and Take must not be negative.")
    take = min(take, MAX_TAKE)
    found = [
        o
        for o in sorted(state.orders.values(), key=lambda o: o.uid)
        if (order_uid is None or o.uid == order_uid)
        and (client_uid is None or o.client_uid == client_uid)
        and (status is None or o.status == status)
        and (since is None or o.start >= since)
    ]
    page = [maybe_wrong(ctx.faults, order_view(o)) for o in found[skip : skip + take]]
    return json_response(
        {"QueryTotal": len(found), "Count": len(page), "Skip": skip, "Take": take, "Orders": page}
    )


@guarded
async def log_payment(request: Request) -> Response:
    """PUT /v1/orders/billing/payments (L2681): "only logs a payment" (L2668). The table names
    the deprecated id ``CardTransID`` (L2677), the example ``CardTransUID`` (L2689)."""
    ctx: Context = request.app.state.ctx
    state, body = ctx.state, await body_object(request)
    client = state.client(req_int(body, "ClientUID"))
    order_uid = req_int(body, "ClientOrderUID")
    order = state.orders.get(order_uid)
    if order is None or order.client_uid != client.uid:
        raise not_found("Order", order_uid)
    if body.get("CardTransUID") is None and body.get("CardTransID") is None:
        raise fail(400, "CardTransID is required (send 0).")
    amount = req_float(body, "Amount")
    payment = Payment(
        state.next_id("payment"),
        client.uid,
        order.uid,
        amount,
        req_bool(body, "IsValid"),
        req_str(body, "Response"),
        ctx.clock.now(),
        charged=False,
    )
    state.payments.append(payment)
    return empty_ok()


@guarded
async def run_payment(request: Request) -> Response:
    """POST /v1/orders/[ClientUID]/billing/paymentmethods/run (L2713): charges the client's
    primary card; DateRan is Pacific (L2733)."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    client = state.client(path_int(request, "ClientUID"))
    body = await body_object(request)
    amount = req_float(body, "Amount")
    if amount <= 0:
        raise fail(400, "Amount must be greater than 0.")
    now = ctx.clock.now()
    if client.card_last4 is None:
        valid, response, card, exp = False, "No primary payment method on file", "", ""
    elif amount > CARD_LIMIT:
        valid, response = False, "Declined: amount over the card limit"
        card, exp = f"************{client.card_last4}", client.card_exp
    else:
        valid, response = True, "Approved"
        card, exp = f"************{client.card_last4}", client.card_exp
    payment = Payment(
        state.next_id("payment"),
        client.uid,
        0,
        amount,
        valid,
        response,
        now,
        charged=True,
        card_number=card,
        exp_date=exp,
    )
    state.payments.append(payment)
    return json_response(
        {
            "ClientTranUID": payment.uid,
            "ClientUID": client.uid,
            "IsValid": valid,
            "Response": response,
            "CardNumber": card,
            "ExpDate": exp,
            "Amount": amount,
            "DateRan": pacific_z(now),
        }
    )


ROUTES = [
    Route("/v1/orders", upsert_order, methods=["PUT"]),
    Route("/v1/orders", query_orders, methods=["POST"]),
    Route("/v1/orders/billing/payments", log_payment, methods=["PUT"]),
    Route("/v1/orders/{ClientUID}/billing/paymentmethods/run", run_payment, methods=["POST"]),
]
