"""Distribution lists: which clients a lead-field value routes to (L2746-L3018).

Paths put ``ClientUID`` first for the per-client calls (L2863, L2941, L3008) while the item
upsert has only the list id (L2972). ``AssignedClients`` is a pipe-delimited string (L2788);
``AssignedClient`` holds a single assignment and is 0 for several (L2969).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records_leads import DistributionList, ListItem
from agencydesk.vendors.leadexec.sandbox.wire import (
    as_int,
    body_object,
    fail,
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
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState


def _item_view(state: LeadExecState, item: ListItem) -> dict[str, Any]:
    single = item.assigned[0] if len(item.assigned) == 1 else 0
    if single and single in state.clients:
        name = state.client_name(state.clients[single])
    else:
        name = "Multiple Clients" if item.assigned else ""
    return {
        "CustomListItemUID": item.uid,
        "CustomListUID": item.list_uid,
        "Description": item.description,
        "Tag1": item.tag1,
        "Tag2": item.tag2,
        "Value": item.value,
        "AssignedClient": single,
        "AssignedClients": "|".join(str(c) for c in item.assigned),
        "AssignedName": name,
    }


def list_view(
    state: LeadExecState, dist: DistributionList, client_uid: int | None = None
) -> dict[str, Any]:
    items = list(dist.items.values())
    default = state.clients.get(dist.default_client)
    shown = items if client_uid is None else [i for i in items if client_uid in i.assigned]
    return {
        "CustomListUID": dist.uid,
        "AccountUID": state.account_uid,
        "LeadTypeUID": dist.lead_type_uid,
        "LeadFieldUID": dist.lead_field_uid,
        "Description": dist.description,
        "FieldName": dist.field_name,
        "DefaultClient": dist.default_client,
        "ClientName": state.client_name(default) if default else "",
        "Assigned": sum(1 for i in items if i.assigned),
        "Unassigned": sum(1 for i in items if not i.assigned),
        "Status": dist.status,
        "DependField": dist.depend_field,
        "Value": dist.value,
        "LinkFieldText": dist.link_field_text,
        "Items": [_item_view(state, i) for i in shown],
    }


def _item(dist: DistributionList, uid: int) -> ListItem:
    if uid not in dist.items:
        raise not_found("Distribution list item", uid)
    return dist.items[uid]


@guarded
async def all_lists(request: Request) -> Response:
    """GET /v1/distribution/lists/ (L2756): every list with its items."""
    ctx: Context = request.app.state.ctx
    rows = [list_view(ctx.state, d) for d in ctx.state.lists.values()]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def client_list(request: Request) -> Response:
    """GET /v1/distribution/lists/[ClientUID]/[DistributionListUID] (L2863): the list and the
    items assigned to the client."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    dist = ctx.state.dist_list(path_int(request, "DistributionListUID"))
    return json_response(list_view(ctx.state, dist, client.uid))


@guarded
async def remove_assignment(request: Request) -> Response:
    """DELETE .../[ClientUID]/[DistributionListUID]/[DistributionItemUID] (L2941): ``true``, or
    ``false`` when the client was not assigned to the item (assumption)."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    dist = ctx.state.dist_list(path_int(request, "DistributionListUID"))
    item = _item(dist, path_int(request, "DistributionItemUID"))
    if client.uid not in item.assigned:
        return json_response(False)
    item.assigned.remove(client.uid)
    return json_response(True)


@guarded
async def assign(request: Request) -> Response:
    """PUT .../[ClientUID]/[DistributionListUID]/[DistributionListItemUID] (L3008; the heading
    says PATCH, L2994, which is accepted too): adds the client to the item's assignments."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    dist = ctx.state.dist_list(path_int(request, "DistributionListUID"))
    item = _item(dist, path_int(request, "DistributionListItemUID"))
    if client.uid not in item.assigned:
        item.assigned.append(client.uid)
    return json_response(True)


def _assigned(state: LeadExecState, body: dict[str, Any]) -> list[int]:
    single = req_int(body, "AssignedClient")
    pipe = req_str(body, "AssignedClients")
    ids = (
        [single] if single else [as_int(p, "AssignedClients") for p in pipe.split("|") if p.strip()]
    )
    for uid in ids:
        if uid not in state.clients:
            raise fail(400, f"Client {uid} in the assignments does not exist.")
    return list(dict.fromkeys(ids))


@guarded
async def upsert_item(request: Request) -> Response:
    """PUT /v1/distribution/lists/[DistributionListUID] (L2972): ``CustomListItemUID`` 0
    creates (L2963); ``HashCode`` is "not used" (L2971). Answers ``true``."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    dist = state.dist_list(path_int(request, "DistributionListUID"))
    body = await body_object(request)
    uid = req_int(body, "CustomListItemUID")
    if req_int(body, "CustomListUID") != dist.uid:
        raise fail(400, "CustomListUID does not match the DistributionListUID in the path.")
    description = req_str(body, "Description")
    tag1, tag2 = req_str(body, "Tag1"), req_str(body, "Tag2")
    value = req_str(body, "Value")
    assigned = _assigned(state, body)
    with state.lock:
        item = _item(dist, uid) if uid else ListItem(state.next_id("list_item"), dist.uid, "")
        item.description, item.tag1, item.tag2, item.value = description, tag1, tag2, value
        item.assigned = assigned
        dist.items[item.uid] = item
    return json_response(True)


LISTS = "/v1/distribution/lists"
ROUTES = [
    Route(f"{LISTS}/", all_lists, methods=["GET"]),
    Route(LISTS, all_lists, methods=["GET"]),
    Route(f"{LISTS}/{{DistributionListUID}}", upsert_item, methods=["PUT"]),
    Route(f"{LISTS}/{{ClientUID}}/{{DistributionListUID}}", client_list, methods=["GET"]),
    Route(
        f"{LISTS}/{{ClientUID}}/{{DistributionListUID}}/{{DistributionItemUID}}",
        remove_assignment,
        methods=["DELETE"],
    ),
    Route(
        f"{LISTS}/{{ClientUID}}/{{DistributionListUID}}/{{DistributionListItemUID}}",
        assign,
        methods=["PUT", "PATCH"],
    ),
]
