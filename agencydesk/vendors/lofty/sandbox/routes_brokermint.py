"""Brokermint sync (document §5.5.1-5.5.2): contact upsert and transaction update."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.lead_records import new_lead
from agencydesk.vendors.lofty.sandbox.lead_writes import apply_lead
from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record, all_or_nothing
from agencydesk.vendors.lofty.sandbox.transactions import apply_transaction
from agencydesk.vendors.lofty.sandbox.views import lead_view
from agencydesk.vendors.lofty.sandbox.wire import (
    actor,
    body_int,
    body_str,
    fail,
    json_body,
    string_result,
)


def routes(state: LoftyState) -> list[Route]:
    async def brokermint_lead(request: Request) -> Response:  # L566 Contacts (L3404)
        body = await json_body(request)
        external = body_str(body, "externalId", required=True)
        email = (body_str(body, "email") or "").lower()
        with state.lock:
            lead = next(
                (
                    ld
                    for ld in state.leads.values()
                    if not ld["_deleted"]
                    and (
                        ld.get("_brokermintId") == external
                        or (email and email in (e.lower() for e in ld["emails"]))
                    )
                ),
                None,
            )
            created = lead is None
            if lead is None:
                lead = new_lead(state)
            mapped: dict[str, Any] = {k: body[k] for k in ("firstName", "lastName") if k in body}
            mapped.update(
                {
                    dst: body[src]
                    for src, dst in (
                        ("address", "streetAddress"),
                        ("city", "city"),
                        ("state", "state"),
                        ("zip", "zipCode"),
                        ("leadSource", "source"),
                    )
                    if src in body
                }
            )
            if email:
                mapped["emails"] = [body["email"]]
            if body.get("phone"):
                mapped["phones"] = [body["phone"]]
            if "bmPrivate" in body:
                mapped["isPrivate"] = body["bmPrivate"]

            def change(draft: Record) -> None:
                apply_lead(state, draft, mapped, actor(request))
                draft["_brokermintId"] = external

            all_or_nothing(lead, change)  # a 400 half-way stores nothing
            if created:
                state.leads[lead["leadId"]] = lead
        return string_result(lead["leadId"])

    async def brokermint_transaction(request: Request) -> Response:  # L598 IncomingTransaction
        body = await json_body(request)
        tx = state.transactions.get(body_int(body, "id", required=True) or 0)
        if tx is None:
            raise fail(404)
        mapped = {
            dst: body[src]
            for src, dst in (
                ("price", "homePrice"),
                ("status", "transactionStatus"),
                ("transactionType", "transactionType"),
                ("closingDate", "closeDate"),
                ("expirationDate", "expiration"),
                ("acceptanceDate", "contractDate"),
            )
            if src in body
        }
        with state.lock:
            all_or_nothing(tx, lambda draft: apply_transaction(state, draft, mapped))
            if any(k in body for k in ("address", "city", "state", "zip")):
                state.tx_addresses[tx["transactionId"]] = {
                    "transactionId": tx["transactionId"],
                    "streetAddress": body.get("address"),
                    "city": body.get("city"),
                    "state": body.get("state"),
                    "zipCode": body.get("zip"),
                    "county": None,
                    "label": None,
                    "unit": None,
                }
            lead = state.leads.get(tx["_leadId"])
            if lead is not None:
                state.emit_event(2, lead_view(state, lead))
        return string_result("success")

    return [
        Route("/v1.0/brokermint/lead", brokermint_lead, methods=["PUT"]),
        Route("/v1.0/brokermint/transaction", brokermint_transaction, methods=["PUT"]),
    ]
