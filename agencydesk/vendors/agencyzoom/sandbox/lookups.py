"""Lookup lists the forms need: configuration lists (L5966-L6284), departments and groups
(L6315), pipelines and end stages (L6351, L6379), business classifications (L6434)."""

from __future__ import annotations

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox.common import (
    descending,
    fail,
    field_value,
    paging,
)
from agencydesk.vendors.agencyzoom.sandbox.leads import get_lead
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.sandbox_kit.http import json_response


@route("GET", "/v1/api/product-categories", 5966)  # L5966
async def product_categories(ctx: Ctx) -> Response:
    return json_response(
        [{"id": c.id, "name": c.name} for c in ctx.state.lookups.product_categories]
    )


@route("GET", "/v1/api/product-lines", 5990)  # L5990
async def product_lines(ctx: Ctx) -> Response:
    return json_response(
        [
            {
                "id": p.id,
                "name": p.name,
                "productCategoryId": p.category_id,
                "standardProductLineCode": p.code,
            }
            for p in ctx.state.lookups.product_lines
        ]
    )


@route("GET", "/v1/api/employees", 6016)  # L6016
async def employees(ctx: Ctx) -> Response:
    return json_response(
        [
            {
                "id": e.id,
                "firstname": e.firstname,
                "lastname": e.lastname,
                "email": e.email,
                "phone": e.phone,
                "isProducer": e.is_producer,
                "isActive": e.active,
                "isOwner": e.is_owner,
                "userId": e.user_id,
                "avatar": None,
                "externalSystem": None,
                "externalIds": [],
            }
            for e in ctx.state.employees.values()
        ]
    )


@route("GET", "/v1/api/life-professionals", 6050)  # L6050
async def life_professionals(ctx: Ctx) -> Response:
    return json_response(
        [
            {
                "id": e.id,
                "firstname": e.firstname,
                "lastname": e.lastname,
                "email": e.email,
                "phone": e.phone,
                "isActive": e.active,
            }
            for e in ctx.state.lookups.life_professionals
        ]
    )


@route("GET", "/v1/api/lead-sources", 6078)  # L6078
async def lead_sources(ctx: Ctx) -> Response:
    return json_response(
        [
            {
                "id": s.id,
                "name": s.name,
                "excludeAsSales": s.exclude_as_sales,
                "categoryId": s.category_id,
            }
            for s in ctx.state.lookups.lead_sources
        ]
    )


@route("GET", "/v1/api/lead-source-categories", 6104)  # L6104
async def lead_source_categories(ctx: Ctx) -> Response:
    return json_response(
        [{"id": c.id, "name": c.name} for c in ctx.state.lookups.lead_source_categories]
    )


@route("GET", "/v1/api/assign-groups", 6128)  # L6128
async def assign_groups(ctx: Ctx) -> Response:
    return json_response([{"id": g.id, "name": g.name} for g in ctx.state.lookups.assign_groups])


@route("GET", "/v1/api/locations", 6152)  # L6152
async def locations(ctx: Ctx) -> Response:
    """Location ``id`` is a string (sample ``"string"``, L6152)."""
    return json_response([{"id": num, "name": name} for num, name in ctx.state.lookups.locations])


@route("GET", "/v1/api/carriers", 6176)  # L6176
async def carriers(ctx: Ctx) -> Response:
    return json_response(
        [
            {"id": c.id, "name": c.name, "standardCarrierCode": c.code}
            for c in ctx.state.lookups.carriers
        ]
    )


@route("GET", "/v1/api/loss-reasons", 6201)  # L6201
async def loss_reasons(ctx: Ctx) -> Response:
    return json_response([{"id": r.id, "name": r.name} for r in ctx.state.lookups.loss_reasons])


@route("GET", "/v1/api/{leadId}/recycle-events", 6231)  # L6231
async def recycle_events(ctx: Ctx) -> Response:
    """No ``leads/`` segment in this path (L6231)."""
    lead = get_lead(ctx)
    existing = (
        [{"xDateType": lead.x_date_type or "X-Date", "xDate": lead.data.xDate}]
        if lead.status == 5
        else []
    )
    return json_response(
        {"existingXDate": existing, "newXDate": list(ctx.state.lookups.x_date_types)}
    )


@route("GET", "/v1/api/custom-fields", 6257)  # L6257
async def custom_fields(ctx: Ctx) -> Response:
    return json_response([dict(f) for f in ctx.state.lookups.custom_fields])


@route("GET", "/v1/api/csrs", 6284)  # L6284
async def csrs(ctx: Ctx) -> Response:
    """Wrapped in ``{"csrs": [...]}``, unlike employees (L6284)."""
    return json_response(
        {
            "csrs": [
                {"id": e.id, "firstname": e.firstname, "lastname": e.lastname, "email": e.email}
                for e in ctx.state.employees.values()
                if e.is_csr
            ]
        }
    )


@route("POST", "/v1/api/department-groups", 6315)  # L6315
async def department_groups(ctx: Ctx) -> Response:
    body = await ctx.body(allow_empty=True)
    number = field_value(body, "agencyNumber", str)
    lk = ctx.state.lookups
    if number and all(n != number for n, _ in lk.locations):
        raise fail(f"agencyNumber {number} is not a location")
    return json_response(
        {
            "departments": [{"code": c, "name": n} for c, n in lk.departments],
            "groups": [{"code": c, "name": n} for c, n in lk.groups],
        }
    )


@route("GET", "/v1/api/pipelines-and-stages", 6351)  # L6351
async def pipelines(ctx: Ctx) -> Response:
    """Pipeline ``id`` is a string (``"1"``, L6351) while leads carry it as an integer."""
    return json_response(
        [
            {
                "id": str(p.id),
                "name": p.name,
                "type": p.type,
                "seq": p.seq,
                "status": 1,
                "stages": [
                    {"id": s.id, "name": s.name, "seq": s.seq, "status": 1} for s in p.stages
                ],
            }
            for p in ctx.state.lookups.pipelines
        ]
    )


@route("GET", "/v1/api/end-stages", 6379)  # L6379
async def end_stages(ctx: Ctx) -> Response:
    return json_response(
        [
            {"id": str(s.id), "name": s.name, "seq": s.id, "status": 1}
            for s in ctx.state.lookups.end_stages
        ]
    )


@route("POST", "/v1/api/get-classifications", 6434)  # L6434
async def classifications(ctx: Ctx) -> Response:
    """A bare array although the body pages (max 500, L6410)."""
    body = await ctx.body(allow_empty=True)
    page = paging(body, 500)
    text = (field_value(body, "searchText", str) or "").lower()
    found = [
        (i, code, d)
        for i, code, d in ctx.state.lookups.classifications
        if not text or text in d.lower() or text in str(code)
    ]
    found.sort(reverse=descending(body))
    return json_response(
        [{"id": i, "code": code, "description": d} for i, code, d in page.slice(found)]
    )
