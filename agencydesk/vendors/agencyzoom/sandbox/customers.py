"""Customer Management routes (L423-L1075): search, detail, create, update, delete, tasks,
notes, files, and the per-customer policy reads (the only way to read policies)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox import shapes
from agencydesk.vendors.agencyzoom.sandbox.common import (
    day_range,
    descending,
    envelope,
    fail,
    field_value,
    id_filter,
    in_range,
    paging,
    parse_day,
    parse_write,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.lead_children import add_note
from agencydesk.vendors.agencyzoom.sandbox.lead_search import digits
from agencydesk.vendors.agencyzoom.sandbox.records import Customer, CustomerWrite
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState
from agencydesk.vendors.sandbox_kit.http import json_response

CUSTOMER_SORTS = {
    "id": lambda c: (c.id,),
    "firstname": lambda c: ((c.data.firstname or "").lower(), c.id),
    "lastname": lambda c: ((c.data.lastname or "").lower(), c.id),
    "createDate": lambda c: (c.created, c.id),
}


def get_customer(ctx: Ctx) -> Customer:
    cid = ctx.path_int("customerId")
    customer = ctx.state.customers.get(cid)
    if customer is None:
        raise fail(f"customer {cid} not found")
    return customer


def search_customers(st: AgencyZoomState, body: dict[str, Any]) -> list[Customer]:
    """Filters of L340-L420: partial first/last name, exact state/city/email/phone, creation
    dates, lead source, policy type, agent, ``status`` 1/0/-1 (default -1, all)."""
    text = {
        k: (field_value(body, k, str) or "").strip().lower()
        for k in (
            "state",
            "city",
            "email",
            "firstname",
            "lastname",
            "fullName",
            "standardProductLineCode",
        )
    }
    phone = digits(field_value(body, "phone", str))
    source = id_filter(body, "leadSourceId")
    policy_type = id_filter(body, "policyType")
    agent = id_filter(body, "agentId")
    status = field_value(body, "status", int)
    status = -1 if status is None else status
    if status not in (-1, 0, 1):
        raise fail("status must be 1, 0 or -1")
    lo, hi = day_range(
        parse_day(body.get("startDate"), "startDate"), parse_day(body.get("endDate"), "endDate")
    )

    def matches(c: Customer) -> bool:
        d = c.data
        if status != -1 and c.active != (status == 1):
            return False
        if text["state"] and (d.state or "").lower() != text["state"]:
            return False
        if text["city"] and (d.city or "").lower() != text["city"]:
            return False
        if text["email"] and (d.email or "").lower() != text["email"]:
            return False
        if phone and digits(d.phone) != phone:
            return False
        if text["firstname"] and text["firstname"] not in (d.firstname or "").lower():
            return False
        if text["lastname"] and text["lastname"] not in (d.lastname or "").lower():
            return False
        full = f"{d.firstname or ''} {d.lastname or ''}".lower()
        if text["fullName"] and text["fullName"] not in full:
            return False
        if source is not None and c.lead_source_id != source:
            return False
        if agent is not None and d.agentId != agent:
            return False
        if (lo or hi) and not in_range(c.created, lo, hi):
            return False
        if policy_type is not None or text["standardProductLineCode"]:
            policies = st.policies_for(c.id, ams=False)
            if policy_type is not None and all(p.data.policyType != policy_type for p in policies):
                return False
            code = text["standardProductLineCode"]
            if code and all(
                (p.data.standardProductLineCode or "").lower() != code for p in policies
            ):
                return False
        return True

    sort = body.get("sort")
    key = CUSTOMER_SORTS.get(sort if isinstance(sort, str) else "", CUSTOMER_SORTS["id"])
    found = [c for c in st.customers.values() if matches(c)]
    found.sort(key=key, reverse=descending(body))
    return found


@route("POST", "/v1/api/customers", 423)  # L423
async def search(ctx: Ctx) -> Response:
    """POST on the collection path is the search (max 100 per page, L340)."""
    body = await ctx.body(allow_empty=True)
    page = paging(body, 100)
    found = search_customers(ctx.state, body)
    items = [
        shapes.customer_list_item(ctx.state, c, ctx.faults.take_wrong_types())
        for c in page.slice(found)
    ]
    return envelope("customers", items, len(found), page)


@route("GET", "/v1/api/customers/{customerId}", 482)  # L482
async def detail(ctx: Ctx) -> Response:
    customer = get_customer(ctx)
    return json_response(shapes.customer_detail(ctx.state, customer, ctx.faults.take_wrong_types()))


def check_people(st: AgencyZoomState, data: CustomerWrite) -> None:
    if data.csrId == 0:  # the samples send 0 for "none" (ASSUMPTIONS: zero ids)
        data.csrId = None
    for name in ("agentId", "csrId"):
        value = getattr(data, name)
        if value is not None and value not in st.employees:
            raise fail(f"{name} {value} is not an employee")
    if data.bizCustomer not in (None, 0, 1):
        raise fail("bizCustomer must be 1 or 0")
    if data.email and "@" not in data.email:
        raise fail("email is not an email address")


@route("POST", "/v1/api/customers/create", 1075)  # L1075
async def create(ctx: Ctx) -> Response:
    """Required: ``firstname``, ``email``, ``agentId`` (L1000-L1070)."""
    data = parse_write(CustomerWrite, await ctx.body(), required=("firstname", "email", "agentId"))
    check_people(ctx.state, data)
    now = ctx.clock.now()
    cid = ctx.state.next_id("customer")
    ctx.state.customers[cid] = Customer(cid, data, True, now, now, now)
    ctx.state.touch()
    return std("Customer created", cid)


@route("PUT", "/v1/api/customers/{customerId}", 643)  # L643
async def update(ctx: Ctx) -> Response:
    """Nothing is required and, unlike the lead PUT, no erase warning: fields sent replace,
    others stay (ASSUMPTIONS: customer update merges)."""
    customer = get_customer(ctx)
    data = parse_write(CustomerWrite, await ctx.body(), keep=customer.data)
    check_people(ctx.state, data)
    customer.data = data
    customer.updated = ctx.clock.now()
    ctx.state.touch()
    return std("Customer updated", customer.id)


@route("DELETE", "/v1/api/customers/{customerId}", 706)  # L706
async def delete(ctx: Ctx) -> Response:
    customer = get_customer(ctx)
    st = ctx.state
    del st.customers[customer.id]
    for pid in st.policies_of.pop(customer.id, []):
        st.policies.pop(pid, None)
    for nid in st.notes_of.pop(("customer", customer.id), []):
        st.notes.pop(nid, None)
    for fid in st.files_of.pop(("customer", customer.id), []):
        st.files.pop(fid, None)
    st.touch()
    return std("Customer deleted", customer.id)


@route("GET", "/v1/api/customers/{customerId}/tasks", 734)  # L734
async def tasks(ctx: Ctx) -> Response:
    customer = get_customer(ctx)
    found = ctx.state.tasks_for(customer_id=customer.id)
    return json_response([shapes.task(ctx.state, t) for t in found])


@route("POST", "/v1/api/customers/{customerId}/notes", 853)  # L853
async def create_note(ctx: Ctx) -> Response:
    customer = get_customer(ctx)
    note = add_note(ctx, "customer", customer.id, await ctx.body())
    customer.updated = note.created
    return std("Note created", note.id)


@route("DELETE", "/v1/api/customers/{customerId}/files/{fileId}", 817)  # L817
async def delete_file(ctx: Ctx) -> Response:
    customer = get_customer(ctx)
    file_id = ctx.path_int("fileId")
    f = ctx.state.files.get(file_id)
    if f is None or f.owner != "customer" or f.owner_id != customer.id:
        raise fail(f"file {file_id} not found on customer {customer.id}")
    del ctx.state.files[file_id]
    ctx.state.touch()
    return std("File deleted", file_id)


@route("GET", "/v1/api/customers/{customerId}/policies", 934)  # L934
async def policies(ctx: Ctx) -> Response:
    """ "The list of policies' information" (L920): an array, although the sample shows one
    object (ASSUMPTIONS: policy list shape). There is no agency-wide policy list."""
    customer = get_customer(ctx)
    found = ctx.state.policies_for(customer.id, ams=False)
    return json_response(
        [shapes.policy(ctx.state, p, ctx.faults.take_wrong_types()) for p in found]
    )


@route("GET", "/v1/api/customers/{customerId}/ams-policies", 890)  # L890
async def ams_policies(ctx: Ctx) -> Response:
    customer = get_customer(ctx)
    found = ctx.state.policies_for(customer.id, ams=True)
    return json_response([shapes.ams_policy(ctx.state, p) for p in found])


@route("DELETE", "/v1/api/customers/{customerId}/policies/{policyId}", 784)  # L784
async def delete_policy(ctx: Ctx) -> Response:
    """The only policy delete, and it needs the customer id (L760)."""
    customer = get_customer(ctx)
    policy_id = ctx.path_int("policyId")
    policy = ctx.state.policies.get(policy_id)
    if policy is None or policy.customer_id != customer.id:
        raise fail(f"policy {policy_id} not found on customer {customer.id}")
    del ctx.state.policies[policy_id]
    ctx.state.policies_of[customer.id].remove(policy_id)
    ctx.state.touch()
    return std("Policy deleted", policy_id)
