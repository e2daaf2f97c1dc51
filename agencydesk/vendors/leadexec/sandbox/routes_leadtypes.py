"""Lead types, their fields and categories (L4170-L4485)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records_leads import LeadField, LeadType
from agencydesk.vendors.leadexec.sandbox.wire import json_response, maybe_wrong, path_int

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context


def type_view(lead_type: LeadType, account_uid: int) -> dict[str, Any]:
    """As the examples send it (L4193-L4210): ``AccountUID`` an integer though typed string,
    ``InQC`` an integer though typed bool (L4187-L4188)."""
    return {
        "LeadTypeUID": lead_type.uid,
        "AccountUID": account_uid,
        "InQC": int(lead_type.in_qc),
        "Descriptor": lead_type.descriptor,
        "Status": lead_type.status,
        "DefaultDupSets": lead_type.default_dup_sets,
        "TypeUID": lead_type.type_uid,
    }


def field_view(f: LeadField) -> dict[str, Any]:
    """A lead field in the example's order (L4390-L4428)."""
    return {
        "LeadFieldUID": f.uid,
        "LeadTypeUID": f.lead_type_uid,
        "Descriptor": f.descriptor,
        "FieldDataType": f.data_type,
        "Required": f.required,
        "Status": True,
        "Computed": False,
        "ComputedExpr": "",
        "Enumerated": bool(f.enums),
        "Validation": f.validation,
        "InvalidChars": "",
        "FmtError": f.format_error,
        "FormatString": "",
        "isState": f.is_state,
        "FieldDescription": f.description,
        "ColSpan": 1,
        "Width": 200,
        "Height": 20,
        "SpecialBit": f.special_bit,
        "FieldEnums": [
            {
                "LeadFieldEnumUID": e.uid,
                "LeadFieldUID": e.field_uid,
                "Descriptor": e.descriptor,
                "Priority": e.priority,
                "Delete": False,
            }
            for e in f.enums
        ],
    }


@guarded
async def list_types(request: Request) -> Response:
    """GET /v1/leadtypes (L4177)."""
    ctx: Context = request.app.state.ctx
    rows = [type_view(t, ctx.state.account_uid) for t in ctx.state.lead_types.values()]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def type_detail(request: Request) -> Response:
    """GET /v1/leadtypes/[LeadTypeUID] (L4225)."""
    ctx: Context = request.app.state.ctx
    lead_type = ctx.state.lead_type(path_int(request, "LeadTypeUID"))
    return json_response(type_view(lead_type, ctx.state.account_uid))


@guarded
async def locate(request: Request) -> Response:
    """GET /v1/leadtypes/locate/[LeadUID] (L4263): the lead type of a lead."""
    ctx: Context = request.app.state.ctx
    lead = ctx.state.lead(path_int(request, "LeadUID"), ctx.clock.now())
    return json_response(type_view(ctx.state.lead_types[lead.lead_type_uid], ctx.state.account_uid))


@guarded
async def fields(request: Request) -> Response:
    """GET /v1/leadtypes/[LeadTypeUID]/fields (L4301)."""
    ctx: Context = request.app.state.ctx
    lead_type = ctx.state.lead_type(path_int(request, "LeadTypeUID"))
    rows = [field_view(f) for f in ctx.state.fields_of(lead_type.uid)]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


@guarded
async def categories(request: Request) -> Response:
    """GET /v1/leadtypes/[LeadTypeUID]/categories (L4464): the only list wrapped in an object,
    ``{"LeadCategories": [...]}`` (L4476)."""
    ctx: Context = request.app.state.ctx
    lead_type = ctx.state.lead_type(path_int(request, "LeadTypeUID"))
    rows = [
        {"LeadCatUID": c.uid, "Caption": c.caption}
        for c in ctx.state.categories.values()
        if c.lead_type_uid == lead_type.uid
    ]
    return json_response({"LeadCategories": [maybe_wrong(ctx.faults, r) for r in rows]})


ROUTES = [
    Route("/v1/leadtypes", list_types, methods=["GET"]),
    Route("/v1/leadtypes/locate/{LeadUID}", locate, methods=["GET"]),
    Route("/v1/leadtypes/{LeadTypeUID}", type_detail, methods=["GET"]),
    Route("/v1/leadtypes/{LeadTypeUID}/fields", fields, methods=["GET"]),
    Route("/v1/leadtypes/{LeadTypeUID}/categories", categories, methods=["GET"]),
]
