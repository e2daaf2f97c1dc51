"""Contacts (batch create only, L306) and the signed-in user's profile (L5931)."""

from __future__ import annotations

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox.common import (
    fail,
    field_value,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.records import Contact
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route


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
