"""Client groups and client fields (L442-L748)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records import Client, ClientFieldDef, ClientGroup
from agencydesk.vendors.leadexec.sandbox.wire import (
    body_object,
    empty_ok,
    json_response,
    maybe_wrong,
    not_found,
    path_int,
    req_int,
    req_str,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context


def field_view(definition: ClientFieldDef, client: Client | None) -> dict[str, Any]:
    """A client field in the example's order (L613-L640). The example's ``"isState": ,`` is not
    JSON; a boolean is sent. ``FieldValue``/``PastValues`` are "Not used" without a client."""
    return {
        "ClientFieldUID": definition.uid,
        "Descriptor": definition.descriptor,
        "DataType": definition.data_type,
        "Required": definition.required,
        "Status": True,
        "Computed": False,
        "ComputedExpr": "",
        "Enumerated": bool(definition.enums),
        "Enums": [
            {
                "ClientFieldEnumUID": e.uid,
                "ClientFieldUID": e.field_uid,
                "Descriptor": e.descriptor,
                "Priority": e.priority,
            }
            for e in definition.enums
        ],
        "Validation": definition.validation,
        "InvalidChars": definition.invalid_chars,
        "FormatError": definition.format_error,
        "FormatString": definition.format_string,
        "SpecialBit": definition.special_bit,
        "isState": definition.is_state,
        "FieldValue": client.values.get(definition.uid, "") if client else "",
        "PastValues": list(client.past_values.get(definition.uid, [])) if client else [],
    }


@guarded
async def list_groups(request: Request) -> Response:
    """GET /v1/clients/groups (L451): a bare array with each group's client count."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    counts: dict[int, int] = {}
    for client in state.clients.values():
        counts[client.group_uid] = counts.get(client.group_uid, 0) + 1
    rows = [
        {
            "ClientGroupUID": g.uid,
            "Description": g.description,
            "DisplayOrder": g.display_order,
            "ClientCount": counts.get(g.uid, 0),
        }
        for g in sorted(state.groups.values(), key=lambda g: (g.display_order, g.uid))
    ]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def upsert_group(request: Request) -> Response:
    """PUT /v1/clients/groups (L524): ``ClientGroupUID`` 0 creates (L513); ``ClientCount`` is
    ignored (L523). The answer is an empty 200 (L539): a new group's id is not returned."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    body = await body_object(request)
    uid = req_int(body, "ClientGroupUID")
    description = req_str(body, "Description", blank=False)
    order = req_int(body, "DisplayOrder")
    with state.lock:
        if uid == 0:
            uid = state.next_id("group")
            state.groups[uid] = ClientGroup(uid, description, order)
        elif uid in state.groups:
            group = state.groups[uid]
            group.description, group.display_order = description, order
        else:
            raise not_found("Client group", uid)
    return empty_ok()


@guarded
async def client_fields(request: Request) -> Response:
    """GET /v1/clients/fields/[ClientUID] (L553): the fields with the client's values."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    rows = [field_view(d, client) for d in ctx.state.client_fields.values()]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def all_client_fields(request: Request) -> Response:
    """GET /v1/clients/fields (L656): every possible client field."""
    ctx: Context = request.app.state.ctx
    rows = [field_view(d, None) for d in ctx.state.client_fields.values()]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


ROUTES = [
    Route("/v1/clients/groups", list_groups, methods=["GET"]),
    Route("/v1/clients/groups", upsert_group, methods=["PUT"]),
    Route("/v1/clients/fields", all_client_fields, methods=["GET"]),
    Route("/v1/clients/fields/{ClientUID}", client_fields, methods=["GET"]),
]
