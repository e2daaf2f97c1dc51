"""What hangs off a lead: notes, tasks, opportunities and quotes (lead-scoped), files
(L2590-L3234, L4167-L4254)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox import shapes
from agencydesk.vendors.agencyzoom.sandbox.common import (
    coerce,
    fail,
    field_value,
    paging,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.leads import get_lead
from agencydesk.vendors.agencyzoom.sandbox.records import Note, Opportunity
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState
from agencydesk.vendors.sandbox_kit.http import json_response


@route("GET", "/v1/api/leads/{leadId}/notes", 4212)  # L4212
async def lead_notes(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    notes = sorted(ctx.state.notes_for("lead", lead.id), key=lambda n: (n.created, n.id))
    return json_response([shapes.note(n) for n in notes])


def add_note(ctx: Ctx, owner: str, owner_id: int, body: dict[str, Any]) -> Note:
    """``note`` is required; line breaks are kept as sent (changelog 2023.11.21, L100). It is
    the one field a note create has (L853, L4254): ASSUMPTIONS "note fields"."""
    extra = sorted(set(body) - {"note"})
    if extra:
        raise fail(f"a note takes only 'note', not {', '.join(extra)}")
    text = field_value(body, "note", str, required=True)
    me = ctx.me
    note = Note(
        ctx.state.next_id("note"),
        owner,
        owner_id,
        text,
        ctx.clock.now(),
        f"{me.firstname} {me.lastname}",
    )
    ctx.state.add_note(note)
    ctx.state.touch()
    return note


@route("POST", "/v1/api/leads/{leadId}/notes", 4254)  # L4254
async def create_lead_note(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    note = add_note(ctx, "lead", lead.id, await ctx.body())
    lead.last_activity = note.created
    return std("Note created", note.id)


@route("GET", "/v1/api/leads/{leadId}/tasks", 4167)  # L4167
async def lead_tasks(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    return json_response([shapes.task(ctx.state, t) for t in ctx.state.tasks_for(lead_id=lead.id)])


# -- opportunities and quotes ---------------------------------------------------------------------
def product_ids(
    st: AgencyZoomState, body: dict[str, Any], *, required: bool
) -> tuple[int | None, int | None]:
    """``carrierId`` "Optional if standardCarrierCode is provided", ``productLineId`` likewise
    with ``standardProductLineCode`` (L2677): either form is accepted."""
    carrier_id = field_value(body, "carrierId", int)
    if carrier_id is None and body.get("standardCarrierCode"):
        carrier = st.lookups.carrier_by_code(field_value(body, "standardCarrierCode", str))
        if carrier is None:
            raise fail("standardCarrierCode is unknown")
        carrier_id = carrier.id
    line_id = field_value(body, "productLineId", int)
    if line_id is None and body.get("standardProductLineCode"):
        line = st.lookups.product_line_by_code(field_value(body, "standardProductLineCode", str))
        if line is None:
            raise fail("standardProductLineCode is unknown")
        line_id = line.id
    if carrier_id is not None and st.lookups.carrier(carrier_id) is None:
        raise fail(f"carrierId {carrier_id} does not exist")
    if line_id is not None and st.lookups.product_line(line_id) is None:
        raise fail(f"productLineId {line_id} does not exist")
    if required and carrier_id is None:
        raise fail("carrierId is required")
    if required and line_id is None:
        raise fail("productLineId is required")
    return carrier_id, line_id


def fill_opportunity(
    st: AgencyZoomState, opp: Opportunity, body: dict[str, Any], *, required: bool, quote: bool
) -> None:
    carrier_id, line_id = product_ids(st, body, required=required)
    premium = field_value(body, "premium", int, required=required)
    items = field_value(body, "items", int, required=required and quote)
    assign_to = field_value(body, "assignTo", int)
    if assign_to is not None and assign_to not in st.employees:
        raise fail(f"assignTo {assign_to} is not an employee")
    custom = coerce(list[dict[str, Any]], body.get("customFields"), "customFields")
    prop = body.get("property")
    if prop is not None and not isinstance(prop, dict):
        raise fail("property must be an object")
    if carrier_id is not None:
        opp.carrierId = carrier_id
    if line_id is not None:
        opp.productLineId = line_id
    if premium is not None:
        opp.premium = premium
    if items is not None:
        opp.items = items
    if not quote:
        if "expiryDate" in body:
            opp.expiryDate = field_value(body, "expiryDate", str)
        if assign_to is not None:
            opp.assignTo = assign_to
        if prop is not None:
            opp.property = dict(prop)
    if custom is not None:
        opp.customFields = custom


def lead_child(ctx: Ctx, lead_id: int, child_id: int, *, quote: bool) -> Opportunity:
    opp = ctx.state.opportunities.get(child_id)
    if opp is None or opp.lead_id != lead_id or opp.is_quote != quote:
        raise fail(f"{'quote' if quote else 'opportunity'} {child_id} not found on lead {lead_id}")
    return opp


@route("GET", "/v1/api/leads/{leadId}/opportunities", 2590)  # L2590
async def lead_opportunities(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    opps = ctx.state.opportunities_for(lead.id, quotes=False)
    return json_response([shapes.opportunity(ctx.state, o) for o in opps])


@route("POST", "/v1/api/leads/{leadId}/opportunities", 2770)  # L2770
async def create_lead_opportunity(ctx: Ctx) -> Response:
    """``items`` has "Default: 1" (L2720); the rest of the required set must be sent."""
    lead = get_lead(ctx)
    st = ctx.state
    opp = Opportunity(0, lead.id, None, None, None, 1)
    fill_opportunity(st, opp, await ctx.body(), required=True, quote=False)
    opp.id = st.next_id("opportunity")
    st.add_opportunity(opp)
    lead.last_activity = ctx.clock.now()
    st.touch()
    return std("Opportunity created", opp.id)


@route("PUT", "/v1/api/leads/{leadId}/opportunities", 2677)  # L2677
async def update_lead_opportunity(ctx: Ctx) -> Response:
    """The opportunity id travels in the body (``id``, L2610)."""
    lead = get_lead(ctx)
    body = await ctx.body()
    opp = lead_child(ctx, lead.id, field_value(body, "id", int, required=True), quote=False)
    fill_opportunity(ctx.state, opp, body, required=True, quote=False)
    lead.last_activity = ctx.clock.now()
    ctx.state.touch()
    return std("Opportunity updated", opp.id)


@route("DELETE", "/v1/api/leads/{leadId}/opportunities/{opportunityId}", 2990)  # L2990
async def delete_lead_opportunity(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    opp = lead_child(ctx, lead.id, ctx.path_int("opportunityId"), quote=False)
    delete_opportunity(ctx.state, opp)
    return std("Opportunity deleted", opp.id)


def delete_opportunity(st: AgencyZoomState, opp: Opportunity) -> None:
    del st.opportunities[opp.id]
    st.opportunities_of[opp.lead_id].remove(opp.id)
    st.touch()


@route("GET", "/v1/api/leads/{leadId}/quotes", 3018)  # L3018
async def lead_quotes(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    quotes = ctx.state.opportunities_for(lead.id, quotes=True)
    return json_response([shapes.quote(ctx.state, q) for q in quotes])


@route("POST", "/v1/api/leads/{leadId}/quotes", 3183)  # L3183
async def create_lead_quote(ctx: Ctx) -> Response:
    """Answers the new quote's id in ``id`` (changelog 2023.11.07, L97)."""
    lead = get_lead(ctx)
    st = ctx.state
    quote = Opportunity(0, lead.id, None, None, None, 1, is_quote=True)
    fill_opportunity(st, quote, await ctx.body(), required=True, quote=True)
    quote.id = st.next_id("opportunity")
    quote.effectiveDate = ctx.clock.now().strftime("%Y-%m-%d")
    st.add_opportunity(quote)
    lead.last_activity = ctx.clock.now()
    if lead.data.quoteDate is None:
        lead.data.quoteDate = ctx.clock.now().strftime("%Y-%m-%d")
    st.touch()
    return std("Quote created", quote.id)


@route("PUT", "/v1/api/leads/{leadId}/quotes", 3101)  # L3101
async def update_lead_quote(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    body = await ctx.body()
    quote = lead_child(ctx, lead.id, field_value(body, "id", int, required=True), quote=True)
    fill_opportunity(ctx.state, quote, body, required=True, quote=True)
    ctx.state.touch()
    return std("Quote updated", quote.id)


@route("DELETE", "/v1/api/leads/{leadId}/quotes/{quoteId}", 3234)  # L3234
async def delete_lead_quote(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    quote = lead_child(ctx, lead.id, ctx.path_int("quoteId"), quote=True)
    delete_opportunity(ctx.state, quote)
    return std("Quote deleted", quote.id)


# -- files ----------------------------------------------------------------------------------------
@route("POST", "/v1/api/leads/files", 2844)  # L2844
async def lead_files(ctx: Ctx) -> Response:
    """No lead id in the path: ``customerReferralId`` is the lead id; ``fileType`` 1 = "quotes
    only" (L2820). A bare array, paged by the body (max 500)."""
    body = await ctx.body()
    page = paging(body, 500)
    lead = get_lead(ctx, field_value(body, "customerReferralId", int, required=True))
    file_type = field_value(body, "fileType", int)
    files = [  # the sample sends 0: every file (ASSUMPTIONS: zero ids)
        f for f in ctx.state.files_for("lead", lead.id) if not file_type or f.doc_type == file_type
    ]
    files.sort(key=lambda f: f.id, reverse=body.get("order") == "desc")
    return json_response([shapes.file(f) for f in page.slice(files)])


@route("DELETE", "/v1/api/leads/{leadId}/files/{fileId}", 2903)  # L2903
async def delete_lead_file(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    file_id = ctx.path_int("fileId")
    f = ctx.state.files.get(file_id)
    if f is None or f.owner != "lead" or f.owner_id != lead.id:
        raise fail(f"file {file_id} not found on lead {lead.id}")
    del ctx.state.files[file_id]
    ctx.state.touch()
    return std("File deleted", file_id)


@route("PUT", "/v1/api/leads/{leadId}/rename", 2946)  # L2946
async def rename_lead_file(ctx: Ctx) -> Response:
    """``customerReferralId`` repeats the lead id; ``fileId`` and ``newFileName`` (L2930)."""
    lead = get_lead(ctx)
    body = await ctx.body()
    referral = field_value(body, "customerReferralId", int)
    if referral is not None and referral != lead.id:
        raise fail("customerReferralId does not match leadId")
    file_id = field_value(body, "fileId", int, required=True)
    name = field_value(body, "newFileName", str, required=True)
    f = ctx.state.files.get(file_id)
    if f is None or f.owner != "lead" or f.owner_id != lead.id:
        raise fail(f"file {file_id} not found on lead {lead.id}")
    f.title, f.modified = name, ctx.clock.now()
    f.modified_by = f"{ctx.me.firstname} {ctx.me.lastname}"
    ctx.state.touch()
    return std("File renamed", file_id)
