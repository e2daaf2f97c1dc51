"""Lead sources (vendors posting leads) and their campaigns (L3582-L4170).

The source's ``State`` is typed string (L3604) but every example sends an integer (L3633): the
sandbox sends the StateUID and accepts either. The campaign detail, a single record, is shown
as an array of two (L3912): the sandbox answers a one-element array.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.campaign_writes import campaign_view, upsert_campaign_from
from agencydesk.vendors.leadexec.sandbox.records_leads import LeadSource
from agencydesk.vendors.leadexec.sandbox.wire import (
    RespondWith,
    as_int,
    body_object,
    fail,
    json_response,
    maybe_wrong,
    not_found,
    path_int,
    req_bool,
    req_enum,
    req_int,
    req_str,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState

SOURCE_STATUSES = (0, 1, 2, 3, 4)  # L3613-L3617
STRING_FIELDS = (
    "Address",
    "Address2",
    "City",
    "Zip",
    "Phone",
    "Fax",
    "Email",
    "ReturnString",
    "ReturnPostURL",
    "ImageURL",
)
INT_FIELDS = ("AdminUID", "CherryAccountUID", "AccountUID", "DefaultReturnDay")


def source_view(source: LeadSource) -> dict[str, Any]:
    """In the example's order (L3627-L3649), password included as the example shows it."""
    f = source.fields
    return {
        "LPVendorUID": source.uid,
        "Name": f["Name"],
        "Address": f["Address"],
        "Address2": f["Address2"],
        "City": f["City"],
        "State": f["State"],
        "Zip": f["Zip"],
        "Phone": f["Phone"],
        "Fax": f["Fax"],
        "Email": f["Email"],
        "ReturnString": f["ReturnString"],
        "ReturnPostURL": f["ReturnPostURL"],
        "SystemVendor": f["SystemVendor"],
        "Status": source.status,
        "UserName": source.username,
        "Password": f["Password"],
        "AdminUID": f["AdminUID"],
        "CherryAccountUID": f["CherryAccountUID"],
        "AccountUID": f["AccountUID"],
        "ImageURL": f["ImageURL"],
        "DefaultReturnDay": f["DefaultReturnDay"],
    }


def _username_free(state: LeadExecState, username: str, except_uid: int = 0) -> bool:
    wanted = username.strip().lower()
    return all(s.username.lower() != wanted or s.uid == except_uid for s in state.sources.values())


def _state_uid(state: LeadExecState, value: Any) -> int:
    if isinstance(value, str) and not value.strip().isdigit():
        for uid, name, abbr in state.states:
            if value.strip().lower() in (name.lower(), abbr.lower()):
                return uid
        raise fail(400, f"The value '{value}' is not valid for State.")
    uid = as_int(value, "State")
    if uid and not any(s[0] == uid for s in state.states):
        raise fail(400, f"State {uid} is not a StateUID.")
    return uid


@guarded
async def list_sources(request: Request) -> Response:
    """GET /v1/leadsources (L3590)."""
    ctx: Context = request.app.state.ctx
    rows = [source_view(s) for s in ctx.state.sources.values()]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def source_detail(request: Request) -> Response:
    """GET /v1/leadsources/{vendorUID} (L3687)."""
    ctx: Context = request.app.state.ctx
    return json_response(source_view(ctx.state.source(path_int(request, "vendorUID"))))


@guarded
async def check_username(request: Request) -> Response:
    """GET /v1/leadsources/usernames/check/[Username] (L3759): ``true`` when the name is unique
    ("to see if it unique", L3751) -- the opposite sense of the client check (L826)."""
    ctx: Context = request.app.state.ctx
    return json_response(_username_free(ctx.state, request.path_params["Username"]))


@guarded
async def upsert_source(request: Request) -> Response:
    """PUT /v1/leadsources (L3807): every field is required (L3780-L3805); ``LPVendorUID`` 0
    creates; ``UserName`` must be unique. Answers the bare id (L3839)."""
    ctx: Context = request.app.state.ctx
    state, body = ctx.state, await body_object(request)
    uid = req_int(body, "LPVendorUID")
    source = state.source(uid) if uid else None
    username = req_str(body, "UserName", blank=False).strip()
    if "State" not in body:
        raise fail(400, "State is required.")
    fields: dict[str, Any] = {
        "Name": req_str(body, "Name", blank=False),
        "State": _state_uid(state, body["State"]),
        "SystemVendor": req_bool(body, "SystemVendor"),
        "Password": req_str(body, "Password", blank=False),
    }
    fields.update({name: req_str(body, name) for name in STRING_FIELDS})
    fields.update({name: req_int(body, name) for name in INT_FIELDS})
    status = req_enum(body, "Status", SOURCE_STATUSES)
    if not _username_free(state, username, uid):
        raise fail(400, f"UserName '{username}' is already in use.")
    with state.lock:
        if source is None:
            source = LeadSource(state.next_id("source"), username, status, fields)
            state.sources[source.uid] = source
        else:
            source.username, source.status, source.fields = username, status, fields
    return json_response(source.uid)


@guarded
async def campaign_detail(request: Request) -> Response:
    """GET /v1/leadsources/{vendorUID}/campaigns/{campaignUID} (L3854)."""
    ctx: Context = request.app.state.ctx
    source = ctx.state.source(path_int(request, "vendorUID"))
    uid = path_int(request, "campaignUID")
    campaign = ctx.state.campaigns.get(uid)
    if campaign is None or campaign.vendor_uid != source.uid:
        raise not_found("Campaign", uid)
    return json_response([campaign_view(campaign)])


@guarded
async def upsert_campaign(request: Request) -> Response:
    """PUT /v1/leadsources/campaigns (L4071): answers ``{success, message, identifier}``
    (L4132-L4136); a refused write answers the same shape with ``success: false`` and 400."""
    ctx: Context = request.app.state.ctx
    try:
        body = await body_object(request)
        with ctx.state.lock:
            campaign = upsert_campaign_from(ctx.state, body)
    except RespondWith as exc:
        message = json.loads(bytes(exc.response.body))["Message"]
        return json_response(
            {"success": False, "message": message, "identifier": 0}, exc.response.status_code
        )
    return json_response(
        {"success": True, "message": "Campaign has been updated", "identifier": campaign.uid}
    )


@guarded
async def set_category(request: Request) -> Response:
    """PUT /v1/leadsources/[LeadSourceUID]/campaigns/[CampaignUID]/category (L4152): both ids
    are path segments though the table says body (L4149-L4150); ``CategoryUID`` 0 removes."""
    ctx: Context = request.app.state.ctx
    state = ctx.state
    source = state.source(path_int(request, "LeadSourceUID"))
    uid = path_int(request, "CampaignUID")
    campaign = state.campaigns.get(uid)
    if campaign is None or campaign.vendor_uid != source.uid:
        raise not_found("Campaign", uid)
    body = await body_object(request)
    category_uid = req_int(body, "CategoryUID")
    category = state.categories.get(category_uid)
    if category_uid and (category is None or category.lead_type_uid != campaign.lead_type_uid):
        raise fail(
            400, f"CategoryUID {category_uid} is not a category of the campaign's lead type."
        )
    campaign.lead_cat_uid = category_uid
    return json_response(True)


ROUTES = [
    Route("/v1/leadsources", list_sources, methods=["GET"]),
    Route("/v1/leadsources", upsert_source, methods=["PUT"]),
    Route("/v1/leadsources/campaigns", upsert_campaign, methods=["PUT"]),
    Route("/v1/leadsources/usernames/check/{Username}", check_username, methods=["GET"]),
    Route("/v1/leadsources/{vendorUID}", source_detail, methods=["GET"]),
    Route("/v1/leadsources/{vendorUID}/campaigns/{campaignUID}", campaign_detail, methods=["GET"]),
    Route(
        "/v1/leadsources/{LeadSourceUID}/campaigns/{CampaignUID}/category",
        set_category,
        methods=["PUT"],
    ),
]
