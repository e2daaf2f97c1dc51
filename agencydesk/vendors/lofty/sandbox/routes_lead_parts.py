"""What hangs off one lead (document §5.5.12-5.5.23): web activity, assignment, inquiry,
property, transactions and their property address, plus Brokermint's transaction update."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox.lead_writes import assign, inquiry_record, property_record
from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record, all_or_nothing
from agencydesk.vendors.lofty.sandbox.times import from_ms
from agencydesk.vendors.lofty.sandbox.transactions import (
    ADDRESS_FIELDS,
    apply_transaction,
    create_transaction,
)
from agencydesk.vendors.lofty.sandbox.views import emit, transaction_view
from agencydesk.vendors.lofty.sandbox.wire import (
    body_int,
    body_str,
    fail,
    invalid,
    json_any,
    json_body,
    path_id,
    q_int,
    string_result,
)
from agencydesk.vendors.sandbox_kit.http import json_response

ACTIVITY_PAGE = 100  # L1143 "One page has 100 data. Default value is 0."

ACTIVITY_PAGE = 100  # L1143 "One page has 100 data. Default value is 0."


def routes(state: LoftyState) -> list[Route]:
    def lead_of(request: Request) -> Record:
        return state.lead(path_id(request, "leadId"))

    def tx_of(request: Request) -> Record:
        lead = lead_of(request)
        tx = state.transactions.get(path_id(request, "transactionId"))
        if tx is None or tx["_leadId"] != lead["leadId"]:
            raise fail(404)
        return tx

    async def activities(request: Request) -> Response:  # L1132 bare array, 100 per page
        lead = lead_of(request)
        page = q_int(request, "curPage", 0) or 0
        if page < 0:
            raise invalid("curPage", "must not be negative")
        items = sorted(state.activities.get(lead["leadId"], []), key=lambda a: -a["created"])
        chunk = items[page * ACTIVITY_PAGE : (page + 1) * ACTIVITY_PAGE]
        return json_response([emit(state, dict(a)) for a in chunk])

    async def add_activity(request: Request) -> Response:  # L1165 LeadActivityReq (L3728)
        lead = lead_of(request)
        body = await json_body(request)
        kind = body_str(body, "type", required=True)
        created = body_int(body, "created") or int(state.now().timestamp() * 1000)
        item = {"type": kind, "created": created}
        for name in ("link", "pageName", "picture", "scheduledDate", "text"):
            item[name] = body_str(body, name)
        item["listing"] = body.get("listing")
        with state.lock:
            state.activities.setdefault(lead["leadId"], []).append(item)
            lead["_visited"] = max(lead["_visited"] or from_ms(created), from_ms(created))
            state.touch(lead)
            state.emit_event(3, {"leadId": lead["leadId"], **item})
        return string_result("success")

    async def assignment(request: Request) -> Response:  # L1203 LeadAssigineeRequest[] (sic)
        lead = lead_of(request)
        body = await json_any(request)
        if not isinstance(body, list) or not all(isinstance(i, dict) for i in body):
            raise invalid("assigneeRequest", "must be an array of {assiginee, role}")
        with state.lock:
            for item in body:
                account = body_str(item, "assiginee", required=True) or ""  # L3785 spelling
                member = state.member_by_email(account)
                if member is None:
                    raise invalid("assiginee", f"'{account}' is not a team member account")
                role_name = body_str(item, "role") or "Agent"
                if role_name.lower() == "agent":
                    assign(state, lead, member["id"])
                    continue
                role = next(
                    (r for r in lead["customRoleList"] if r["role"].lower() == role_name.lower()),
                    None,
                )
                if role is None:
                    raise invalid("role", f"'{role_name}' is not a role of this team")
                role.update(assigneeId=member["id"], assignee=member["email"])
                if role["role"] == "Lender":
                    lead["lenderUserId"] = member["id"]
            state.touch(lead)
        return string_result("success")

    async def inquiry(request: Request) -> Response:  # L1242
        lead = lead_of(request)
        body = await json_body(request)
        with state.lock:
            lead["leadInquiry"] = inquiry_record(state, lead, body)
            state.touch(lead)
        return string_result(lead["leadInquiry"]["id"])

    async def add_property(request: Request) -> Response:  # L1280
        lead = lead_of(request)
        body = await json_body(request)
        with state.lock:
            record = property_record(state, lead, body)
            lead["leadPropertyList"].append(record)
            state.touch(lead)
        return string_result(record["id"])

    async def add_transaction(request: Request) -> Response:  # L1318
        lead = lead_of(request)
        body = await json_body(request)
        with state.lock:
            tx = create_transaction(state, lead, body)
        return string_result(tx["transactionId"])

    async def set_address(request: Request) -> Response:  # L1356 carries transactionId
        lead = lead_of(request)
        body = await json_body(request)
        tx = state.transactions.get(body_int(body, "transactionId", required=True) or 0)
        if tx is None or tx["_leadId"] != lead["leadId"]:
            raise fail(404)
        with state.lock:
            state.tx_addresses[tx["transactionId"]] = {
                "transactionId": tx["transactionId"],
                **{k: body_str(body, k) for k in ADDRESS_FIELDS},
            }
            tx["_updated"] = state.now()
        return string_result("success")

    async def get_transaction(request: Request) -> Response:  # L1394
        return json_response(transaction_view(state, tx_of(request)))

    async def put_transaction(request: Request) -> Response:  # L1425
        tx = tx_of(request)
        body = await json_body(request)
        with state.lock:
            all_or_nothing(tx, lambda draft: apply_transaction(state, draft, body))
        return string_result("success")

    async def get_address(request: Request) -> Response:  # L1467
        tx = tx_of(request)
        address = state.tx_addresses.get(tx["transactionId"])
        if address is None:
            raise fail(404)
        return json_response(emit(state, dict(address)))

    async def transactions(request: Request) -> Response:  # L1498 bare array
        lead = lead_of(request)
        return json_response(
            [
                transaction_view(state, tx)
                for tx in state.transactions.values()
                if tx["_leadId"] == lead["leadId"]
            ]
        )

    async def custom_fields(_request: Request) -> Response:  # L1525
        return json_response([dict(f) for f in state.tx_custom_fields])

    base = "/v1.0/leads/{leadId}"
    return [
        Route(f"{base}/activities", activities, methods=["GET"]),
        Route(f"{base}/activity", add_activity, methods=["POST"]),
        Route(f"{base}/assignment", assignment, methods=["POST"]),
        Route(f"{base}/inquiry", inquiry, methods=["POST"]),
        Route(f"{base}/property", add_property, methods=["POST"]),
        Route(f"{base}/transaction", add_transaction, methods=["POST"]),
        Route(f"{base}/transaction/property/address", set_address, methods=["POST"]),
        Route(f"{base}/transaction/{{transactionId}}", get_transaction, methods=["GET"]),
        Route(f"{base}/transaction/{{transactionId}}", put_transaction, methods=["PUT"]),
        Route(
            f"{base}/transaction/{{transactionId}}/property/address", get_address, methods=["GET"]
        ),
        Route(f"{base}/transactions", transactions, methods=["GET"]),
        Route("/v1.0/transaction/customfields", custom_fields, methods=["GET"]),
    ]
