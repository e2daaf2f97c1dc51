"""List-only sections: life & health leads (L4937) and service tickets (L7068)."""

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
)
from agencydesk.vendors.agencyzoom.sandbox.lead_search import digits
from agencydesk.vendors.agencyzoom.sandbox.records import LifeLead, ServiceTicket
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route


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
