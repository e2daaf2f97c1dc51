"""Lookups and the smaller sections: configuration lists (L5966-L6284), departments and groups
(L6315), pipelines (L6351, L6379), business classifications (L6434), my profile (L5931),
contacts (L306), life & health leads (L4937), service tickets (L7068)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox import shapes
from agencydesk.vendors.agencyzoom.sandbox.common import (
    coerce,
    day_range,
    descending,
    envelope,
    fail,
    field_value,
    id_filter,
    in_range,
    paging,
    parse_any_date,
    parse_day,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.lead_search import digits
from agencydesk.vendors.agencyzoom.sandbox.leads import get_lead
from agencydesk.vendors.agencyzoom.sandbox.records import Contact, LifeLead, ServiceTicket
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


@route("PUT", "/v1/api/profile/my", 5931)  # L5931
async def my_profile(ctx: Ctx) -> Response:
    """``firstname``, ``lastname``, ``email`` required (L5910); the new email is the new
    login name."""
    body = await ctx.body()
    first = field_value(body, "firstname", str, required=True)
    last = field_value(body, "lastname", str, required=True)
    email = field_value(body, "email", str, required=True)
    phone = field_value(body, "phone", str)
    if "@" not in email:
        raise fail("email is not an email address")
    if any(
        e.email.lower() == email.lower() and e.id != ctx.me.id for e in ctx.state.employees.values()
    ):
        raise fail("email is already used by another user")
    me = ctx.me
    me.firstname, me.lastname, me.email = first, last, email
    if phone is not None:
        me.phone = phone
    ctx.state.touch()
    return std("Profile updated", me.id)


@route("POST", "/v1/api/contact/batch-create", 306)  # L306
async def batch_create_contacts(ctx: Ctx) -> Response:
    """At most 5 per call (L290). ``ContactDataRequest`` is not expanded in the document
    (ASSUMPTIONS: ``firstname``* plus lastname, email, phone, customerId, leadId)."""
    body = await ctx.body()
    items = body.get("contactDataRequests")
    if not isinstance(items, list) or not items:
        raise fail("contactDataRequests is required")
    if len(items) > 5:
        raise fail("maximum 5 contacts can be created in a single call")
    st = ctx.state
    parsed = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise fail(f"contactDataRequests[{n}] must be an object")
        first = field_value(item, "firstname", str, required=True)
        customer_id = field_value(item, "customerId", int)
        lead_id = field_value(item, "leadId", int)
        if customer_id is not None and customer_id not in st.customers:
            raise fail(f"contactDataRequests[{n}].customerId {customer_id} does not exist")
        if lead_id is not None and lead_id not in st.leads:
            raise fail(f"contactDataRequests[{n}].leadId {lead_id} does not exist")
        parsed.append(
            (
                first,
                field_value(item, "lastname", str),
                field_value(item, "email", str),
                field_value(item, "phone", str),
                customer_id,
                lead_id,
            )
        )
    last = 0
    for values in parsed:
        last = st.next_id("contact")
        st.contacts[last] = Contact(last, *values)
    st.touch()
    return std(f"{len(parsed)} contacts created", last)


@route("POST", "/v1/api/life", 4937)  # L4937
async def life_leads(ctx: Ctx) -> Response:
    """Life & health leads, list only (max 500 per page)."""
    body = await ctx.body(allow_empty=True)
    page = paging(body, 500)
    agent = id_filter(body, "agentId")
    efs = id_filter(body, "efsId")
    statuses = coerce(list[int], body.get("status"), "status")
    if statuses and any(s not in range(9) for s in statuses):
        raise fail("status items must be 0-8")
    last = (field_value(body, "customerLastname", str) or "").lower()
    email = (field_value(body, "customerEmail", str) or "").lower()
    phone = digits(field_value(body, "customerPhone", str))
    location = field_value(body, "locationId", str)
    kept, set_only = field_value(body, "keptOnly", bool), field_value(body, "setOnly", bool)
    windows = {
        k: day_range(parse_day(body.get(a), a), parse_day(body.get(b), b))
        for k, a, b in (
            ("appointment", "start", "end"),
            ("created", "startCreate", "endCreate"),
            ("sold", "soldStartDate", "soldEndDate"),
        )
    }

    def matches(x: LifeLead) -> bool:
        if agent is not None and x.agent_id != agent:
            return False
        if efs is not None and x.efs_id != efs:
            return False
        if statuses and x.status not in statuses:
            return False
        if last and not x.lastname.lower().startswith(last):
            return False
        if email and x.email.lower() != email:
            return False
        if phone and digits(x.phone) != phone:
            return False
        if location and x.location_id != location:
            return False
        if (kept and not x.kept) or (set_only and not x.set_by_agent):
            return False
        for attr, (lo, hi) in windows.items():
            if lo or hi:
                value: datetime | None = getattr(x, attr)
                if value is None or not in_range(value, lo, hi):
                    return False
        return True

    found = sorted(
        (x for x in ctx.state.life_leads.values() if matches(x)),
        key=lambda x: x.id,
        reverse=descending(body),
    )
    return envelope("alrLeads", [shapes.life_lead(x) for x in page.slice(found)], len(found), page)


def _ticket_day(body: dict[str, Any], name: str) -> Any:
    """Service ticket dates are written like ``"01/07/12"`` (L7068 sample)."""
    raw = field_value(body, name, str)
    if not raw:
        return None
    day = parse_any_date(raw)
    if day is None:
        raise fail(f"{name} must be a date (MM/dd/yy)")
    return day


@route("POST", "/v1/api/serviceTicket/service-tickets/list", 7068)  # L7068
async def service_tickets(ctx: Ctx) -> Response:
    """Max 100 per page. ``category``, ``priority``, ``workflowId``, ``workflowStageId``: 0 means
    all (sample L7110); ``tags`` a comma string; the id arrays or their standard codes."""
    body = await ctx.body(allow_empty=True)
    page = paging(body, 100)
    lk = ctx.state.lookups
    name = (field_value(body, "fullName", str) or "").lower()
    ints = {
        k: field_value(body, k, int) or 0
        for k in ("category", "priority", "workflowId", "workflowStageId")
    }
    status = field_value(body, "status", int)
    resolution = field_value(body, "resolution", str)
    tags = {
        int(t)
        for t in (field_value(body, "tags", str) or "").replace(" ", "").split(",")
        if t.isdigit()
    }
    ids = set(coerce(list[int], body.get("serviceTicketIds"), "serviceTicketIds") or [])
    types = set(coerce(list[int], body.get("policyType"), "policyType") or [])
    for code in coerce(list[str], body.get("standardProductLineCodes"), "codes") or []:
        line = lk.product_line_by_code(code)
        types.add(line.id if line else -1)
    carriers = set(coerce(list[int], body.get("carrier"), "carrier") or [])
    for code in coerce(list[str], body.get("standardCarrierCodes"), "codes") or []:
        carrier = lk.carrier_by_code(code)
        carriers.add(carrier.id if carrier else -1)
    created = day_range(_ticket_day(body, "createStart"), _ticket_day(body, "createEnd"))
    completed = day_range(_ticket_day(body, "completeStart"), _ticket_day(body, "completeEnd"))

    def matches(t: ServiceTicket) -> bool:
        if name and name not in t.household_name.lower():
            return False
        if status is not None and t.status != status:
            return False
        checks = (
            ("category", t.category),
            ("priority", t.priority),
            ("workflowId", t.workflow_id),
            ("workflowStageId", t.workflow_stage_id),
        )
        if any(ints[k] and ints[k] != v for k, v in checks):
            return False
        if resolution and t.resolution != resolution:
            return False
        if (tags and not tags & set(t.tags)) or (ids and t.id not in ids):
            return False
        if (types and t.policy_type not in types) or (carriers and t.carrier_id not in carriers):
            return False
        if (created[0] or created[1]) and not in_range(t.created, *created):
            return False
        return not (completed[0] or completed[1]) or (
            t.completed is not None and in_range(t.completed, *completed)
        )

    found = sorted(
        (t for t in ctx.state.tickets.values() if matches(t)),
        key=lambda t: t.id,
        reverse=descending(body),
    )
    return envelope(
        "serviceTickets", [shapes.ticket(t) for t in page.slice(found)], len(found), page
    )
