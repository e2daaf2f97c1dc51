"""Clients (lead buyers): upsert, list, status, group, login, username check (L48-L840)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records import Client
from agencydesk.vendors.leadexec.sandbox.state import CLIENT_STATUSES, LeadExecState
from agencydesk.vendors.leadexec.sandbox.wire import (
    as_int,
    body_object,
    fail,
    json_response,
    maybe_wrong,
    not_found,
    opt_bool,
    opt_int,
    opt_str,
    pacific_z,
    parse_date,
    path_int,
    req_enum,
    req_int,
    req_str,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context

AUTOMATION_TYPES = ("Price", "Priority", "RoundRobin")  # L88-L91


def client_row(client: Client, account_uid: int) -> dict[str, Any]:
    """One item of GET /v1/clients/list, in the example's field order (L191-L254). Its Status is
    the enum's ordinal, as the example shows (``"Status": 0``), not the name."""
    return {
        "ClientUID": client.uid,
        "AccountUID": account_uid,
        "DateAdded": pacific_z(client.date_added),
        "Status": CLIENT_STATUSES.index(client.status),
        "InternalUID": 0,
        "UserUID": client.user_uid,
        "TimeOffset": client.time_offset,
        "Image": "",
        "Notes": client.notes,
        "IsLocked": False,
        "LockedBy": 0,
        "DateLocked": None,
        "LockedReason": "",
        "OutLookUID": "",  # the table spells it OutlookUID (L171); the example wins
        "TimeZoneName": client.time_zone_name,
        "ResellerUID": client.reseller_uid,
        "GroupUID": client.group_uid,
        "AutomationType": client.automation_type,
        "Priority": client.priority,
        "DeliveryGroupUID": client.delivery_group_uid,
        "Username": client.username,
        "ShowLeadGrade": True,
        "ShowLeadSource": False,
        "ShowCampaign": False,
        "AllowCalls": True,
        "AllowReassign": client.override_reassign,
        "UserAssigned": client.user_uid,
        "UseDeliveryTiers": False,
        "OverrideReassign": client.override_reassign,
        "MFAPhone": client.mfa_phone,
        "MFAEmail": client.mfa_email,
    }


def login_view(client: Client) -> dict[str, Any]:
    """POST /v1/clients/login's client (L800-L820): Status by name, and the password in clear."""
    return {
        "ClientUID": client.uid,
        "DateAdded": pacific_z(client.date_added),
        "Status": client.status,
        "InternalUID": 0,
        "UserUID": client.user_uid,
        "TimeOffset": client.time_offset,
        "Image": "",
        "Notes": client.notes,
        "IsLocked": False,
        "LockedBy": 0,
        "DateLocked": None,
        "LockedReason": "",
        "OutLookUID": "",
        "TimeZoneName": client.time_zone_name,
        "ResellerUID": client.reseller_uid,
        "GroupUID": client.group_uid,
        "Username": client.username,
        "Password": client.password,
        "OverrideReassign": client.override_reassign,
    }


def _field_values(state: LeadExecState, body: dict[str, Any]) -> dict[int, str]:
    raw = body.get("FieldData") or []
    if not isinstance(raw, list):
        raise fail(400, "FieldData must be an array.")
    values: dict[int, str] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise fail(400, f"FieldData[{i}] must be an object.")
        uid = req_int(item, "ClientFieldUID", f"FieldData[{i}].ClientFieldUID")
        value = req_str(item, "Value", f"FieldData[{i}].Value")
        definition = state.client_fields.get(uid)
        if definition is None:
            raise fail(400, f"FieldData[{i}].ClientFieldUID {uid} is not a client field.")
        if value and definition.validation and not re.match(definition.validation, value):
            raise fail(400, f"{definition.descriptor}: {definition.format_error or 'bad format'}.")
        allowed = [e.descriptor for e in definition.enums]
        if value and allowed and value not in allowed:
            raise fail(400, f"{definition.descriptor} must be one of {', '.join(allowed)}.")
        values[uid] = value
    return values


def _username_taken(state: LeadExecState, username: str, except_uid: int = 0) -> bool:
    wanted = username.strip().lower()
    return any(c.username.lower() == wanted and c.uid != except_uid for c in state.clients.values())


# Info fields of an update (L61-L90) beyond the required three. The document does not say
# whether an update keeps or clears what it leaves out: the sandbox takes only the whole form
# our client sends (assumptions.py), so a client that left one out would fail here.
UPDATE_INFO_FIELDS = (
    "UserUID", "TimeOffset", "TimeZoneName", "Notes", "ResellerUID", "GroupUID", "Username",
    "OverrideReassign", "DeliveryAccountAutomationType",
)  # fmt: skip


def _whole_update(info: dict[str, Any], values: dict[int, str], client: Client) -> None:
    missing = [f"Info.{name}" for name in UPDATE_INFO_FIELDS if name not in info]
    missing += [f"ClientFieldUID {uid}" for uid in client.values if uid not in values]
    if missing:
        raise fail(
            400,
            "An update must carry the whole client (what it leaves out is undefined): missing "
            + ", ".join(missing)
            + ".",
        )


@guarded
async def upsert_client(request: Request) -> Response:
    """PATCH /v1/clients (L94): ``Info.ClientUID`` 0 creates (L54); the answer is the bare id."""
    ctx: Context = request.app.state.ctx
    state, body = ctx.state, await body_object(request)
    info = body.get("Info")
    if not isinstance(info, dict):
        raise fail(400, "Info is required.")
    uid = req_int(info, "ClientUID", "Info.ClientUID")
    date_added = parse_date(info.get("DateAdded"), "Info.DateAdded", pacific=True)
    status = req_enum(info, "Status", CLIENT_STATUSES, "Info.Status")
    automation = info.get("DeliveryAccountAutomationType")
    if automation is not None:
        req_enum(info, "DeliveryAccountAutomationType", AUTOMATION_TYPES)
    group_uid = opt_int(info, "GroupUID", 0) or 0
    if group_uid and group_uid not in state.groups:
        raise fail(400, f"Info.GroupUID {group_uid} is not a client group.")
    username, password = opt_str(info, "Username").strip(), opt_str(info, "Password")
    # Every optional Info field is read before anything changes: the write is all or nothing.
    optional: dict[str, Any] = {
        "user_uid": opt_int(info, "UserUID"),
        "time_offset": opt_int(info, "TimeOffset"),
        "time_zone_name": None
        if info.get("TimeZoneName") is None
        else opt_str(info, "TimeZoneName"),
        "notes": None if info.get("Notes") is None else opt_str(info, "Notes"),
        "reseller_uid": opt_int(info, "ResellerUID"),
        "group_uid": group_uid if "GroupUID" in info else None,
        "override_reassign": None
        if info.get("OverrideReassign") is None
        else opt_bool(info, "OverrideReassign", False),
        "automation_type": automation,
    }
    with state.lock:
        values = _field_values(state, body)
        if uid == 0:
            if not username or not password:
                raise fail(400, "Info.Username and Info.Password are required for a new client.")
            if _username_taken(state, username):
                raise fail(400, f"Username '{username}' is already in use.")
            missing = [
                d.descriptor
                for d in state.client_fields.values()
                if d.required and not values.get(d.uid)
            ]
            if missing:
                raise fail(400, f"Client field(s) required: {', '.join(missing)}.")
            client = Client(state.next_id("client"), date_added, status, username, password)
            state.clients[client.uid] = client
        else:
            client = state.client(uid)
            _whole_update(info, values, client)
            if username and _username_taken(state, username, uid):
                raise fail(400, f"Username '{username}' is already in use.")
            client.date_added, client.status = date_added, status
            client.username = username or client.username
            client.password = password or client.password
        for attr, value in optional.items():
            if value is not None:
                setattr(client, attr, value)
        for field_uid, value in values.items():
            old = client.values.get(field_uid)
            if old is not None and old != value:
                client.past_values.setdefault(field_uid, []).append(old)
            client.values[field_uid] = value
    return json_response(client.uid)


@guarded
async def list_clients(request: Request) -> Response:
    """GET /v1/clients/list (L143): every client, a bare array, no paging."""
    ctx: Context = request.app.state.ctx
    rows = [client_row(c, ctx.state.account_uid) for c in ctx.state.clients.values()]
    return json_response([maybe_wrong(ctx.faults, row) for row in rows])


@guarded
async def update_status(request: Request) -> Response:
    """PATCH /v1/clients/[ClientUID]/status (L426): answers a bare ``true`` (L438)."""
    ctx: Context = request.app.state.ctx
    client = ctx.state.client(path_int(request, "ClientUID"))
    body = await body_object(request)
    client.status = req_enum(body, "Status", CLIENT_STATUSES)
    return json_response(True)


@guarded
async def assign_group(request: Request) -> Response:
    """PATCH /v1/clients/[ClientUID]/group (L493): by name or UID; UID 0 removes (L483)."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    client = state.client(path_int(request, "ClientUID"))
    body = await body_object(request)
    raw_uid, name = body.get("ClientGroupUID"), body.get("ClientGroupName")
    if raw_uid is not None and raw_uid != "":
        uid = as_int(raw_uid, "ClientGroupUID")  # typed string in the table, 0 in the example
        if uid and uid not in state.groups:
            raise not_found("Client group", uid)
        client.group_uid = uid
    elif isinstance(name, str) and name.strip():
        group = next(
            (g for g in state.groups.values() if g.description.lower() == name.strip().lower()),
            None,
        )
        if group is None:
            raise fail(400, f"ClientGroupName '{name}' does not match any client group.")
        client.group_uid = group.uid
    else:
        raise fail(400, "Either ClientGroupName or ClientGroupUID is required.")
    return json_response(True)


@guarded
async def login(request: Request) -> Response:
    """POST /v1/clients/login (L761): validates a portal username/password (L752)."""
    ctx: Context = request.app.state.ctx
    body = await body_object(request)
    username, password = req_str(body, "Username"), req_str(body, "Password")
    for client in ctx.state.clients.values():
        if client.username.lower() == username.strip().lower() and client.password == password:
            return json_response(login_view(client))
    raise fail(400, "The username or password is incorrect.")


@guarded
async def check_username(request: Request) -> Response:
    """GET /v1/clients/username/check/[Username] (L834): ``true`` when the name is in use
    ("checks to see if the supplied username is in use", L826)."""
    ctx: Context = request.app.state.ctx
    return json_response(_username_taken(ctx.state, request.path_params["Username"]))


ROUTES = [
    Route("/v1/clients", upsert_client, methods=["PATCH"]),
    Route("/v1/clients/list", list_clients, methods=["GET"]),
    Route("/v1/clients/login", login, methods=["POST"]),
    Route("/v1/clients/username/check/{Username}", check_username, methods=["GET"]),
    Route("/v1/clients/{ClientUID}/status", update_status, methods=["PATCH"]),
    Route("/v1/clients/{ClientUID}/group", assign_group, methods=["PATCH"]),
]
