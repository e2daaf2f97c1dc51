"""Lead Management routes: search, counts, detail, create (personal, commercial, batch), the
full-replace updates, status/stage changes, sold, delete (L2378-L4820)."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox import shapes
from agencydesk.vendors.agencyzoom.sandbox.common import (
    envelope,
    fail,
    field_value,
    paging,
    parse_any_date,
    parse_write,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.lead_search import search_leads, stage_counts
from agencydesk.vendors.agencyzoom.sandbox.records import (
    BIZ_ONLY_FIELDS,
    LEAD_REQUIRED,
    Customer,
    CustomerWrite,
    Lead,
    LeadWrite,
    Policy,
    PolicyWrite,
)
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState
from agencydesk.vendors.sandbox_kit.http import json_response

PERSONAL_FIELDS = tuple(
    f.name for f in dataclasses.fields(LeadWrite) if f.name not in BIZ_ONLY_FIELDS
)
ALL_FIELDS = tuple(f.name for f in dataclasses.fields(LeadWrite))


def get_lead(ctx: Ctx, lead_id: int | None = None) -> Lead:
    lid = ctx.path_int("leadId") if lead_id is None else lead_id
    lead = ctx.state.leads.get(lid)
    if lead is None:
        raise fail(f"lead {lid} not found")  # ASSUMPTIONS: unknown ids are a 400
    return lead


def check_references(st: AgencyZoomState, data: LeadWrite) -> None:
    """Ids in a lead body must exist: pipeline, its stage, lead source, producer, CSR. Optional
    ids sent as 0 (as the samples do) mean none (ASSUMPTIONS: zero ids)."""
    for name in ("csrId", "assignmentGroupId", "businessClassificationId"):
        if getattr(data, name) == 0:
            setattr(data, name, None)
    pipeline = st.lookups.pipeline(data.pipelineId)
    if pipeline is None:
        raise fail(f"pipelineId {data.pipelineId} does not exist")
    if all(s.id != data.stageId for s in pipeline.stages):
        raise fail(f"stageId {data.stageId} is not a stage of pipeline {data.pipelineId}")
    if st.lookups.lead_source(data.leadSourceId) is None:
        raise fail(f"leadSourceId {data.leadSourceId} does not exist")
    if data.assignTo not in st.employees:
        raise fail(f"assignTo {data.assignTo} is not an employee")
    if data.csrId is not None and data.csrId not in st.employees:
        raise fail(f"csrId {data.csrId} is not an employee")
    if data.email and "@" not in data.email:
        raise fail("email is not an email address")


def parse_lead(st: AgencyZoomState, body: dict[str, Any], *, commercial: bool) -> LeadWrite:
    data = parse_write(
        LeadWrite, body, required=LEAD_REQUIRED, only=ALL_FIELDS if commercial else PERSONAL_FIELDS
    )
    check_references(st, data)
    return data


def new_lead(ctx: Ctx, data: LeadWrite, *, commercial: bool) -> Lead:
    st, now = ctx.state, ctx.clock.now()
    lead = Lead(
        st.next_id("lead"),
        "commercial" if commercial else "personal",
        data,
        0,
        creator=ctx.me.id,
        created=now,
        last_activity=now,
        enter_stage=now,
    )
    st.leads[lead.id] = lead
    st.touch()
    return lead


@route("POST", "/v1/api/leads/list", 2378)  # L2378
async def search(ctx: Ctx) -> Response:
    body = await ctx.body(allow_empty=True)
    page = paging(body, 100)
    found = search_leads(ctx.state, body, ctx.clock.now())
    items = [
        shapes.lead_list_item(ctx.state, ld, ctx.faults.take_wrong_types())
        for ld in page.slice(found)
    ]
    quote_amount = sum(
        o.premium or 0 for ld in found for o in ctx.state.opportunities_for(ld.id, quotes=True)
    )
    return envelope("leads", items, len(found), page, quoteAmount=quote_amount)


@route("POST", "/v1/api/leads/pipeline-count", 2529)  # L2529
async def pipeline_count(ctx: Ctx) -> Response:
    body = await ctx.body(allow_empty=True)
    paging(body, 100)
    found = search_leads(ctx.state, body, ctx.clock.now())
    return json_response({"leadsCount": stage_counts(ctx.state, found)})


@route("GET", "/v1/api/leads/{leadId}", 3826)  # L3826
async def detail(ctx: Ctx) -> Response:
    lead = get_lead(ctx)
    return json_response(shapes.lead_detail(ctx.state, lead, ctx.faults.take_wrong_types()))


@route("POST", "/v1/api/leads/create", 4692)  # L4692
async def create(ctx: Ctx) -> Response:
    """Required since 2024.01.18 also ``pipelineId`` and ``stageId`` (L109)."""
    data = parse_lead(ctx.state, await ctx.body(), commercial=False)
    return std("Lead created", new_lead(ctx, data, commercial=False).id)


@route("POST", "/v1/api/leads/create-biz-lead", 3737)  # L3737
async def create_biz(ctx: Ctx) -> Response:
    data = parse_lead(ctx.state, await ctx.body(), commercial=True)
    return std("Lead created", new_lead(ctx, data, commercial=True).id)


@route("POST", "/v1/api/leads/batch-create", 4773)  # L4773
async def batch_create(ctx: Ctx) -> Response:
    """ "maximum 5 leads can be created" (L4750); all or nothing (ASSUMPTIONS: batch)."""
    body = await ctx.body()
    items = body.get("leadDataRequests")
    if not isinstance(items, list) or not items:
        raise fail("leadDataRequests is required")
    if len(items) > 5:
        raise fail("maximum 5 leads can be created in a single call")
    parsed = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise fail(f"leadDataRequests[{n}] must be an object")
        parsed.append(parse_lead(ctx.state, item, commercial=False))
    ids = [new_lead(ctx, data, commercial=False).id for data in parsed]
    return std(f"{len(ids)} leads created", ids[-1])


@route("PUT", "/v1/api/leads/{leadId}", 4089)  # L4089
async def update(ctx: Ctx) -> Response:
    return await _update(ctx, commercial=False)


@route("PUT", "/v1/api/leads/{leadId}/update-biz-lead", 3458)  # L3458
async def update_biz(ctx: Ctx) -> Response:
    return await _update(ctx, commercial=True)


async def _update(ctx: Ctx, *, commercial: bool) -> Response:
    """ "If no parameter is provided, the existing data will be deleted." (L3829, L3461): the
    body replaces every writable field; what it leaves out is erased."""
    lead = get_lead(ctx)
    data = parse_lead(ctx.state, await ctx.body(), commercial=commercial)
    now = ctx.clock.now()
    if data.stageId != lead.data.stageId:
        lead.enter_stage = now
    lead.data = data
    lead.last_activity = now
    ctx.state.touch()
    return std("Lead updated", lead.id)


async def _change_status(ctx: Ctx, *, stage_move: bool) -> Response:
    """Body of L4340/L4439: ``status`` 0 ACTIVE, 2 WON, 3 LOST, 5 XDATED; ``toStageId`` moves."""
    lead = get_lead(ctx)
    body = await ctx.body()
    st, now = ctx.state, ctx.clock.now()
    status = field_value(body, "status", int, required=True)
    if status not in (0, 2, 3, 5):
        raise fail("status must be one of 0, 2, 3, 5")
    to_stage = field_value(body, "toStageId", int)
    if stage_move and to_stage is None:
        to_stage = field_value(body, "workflowStageId", int)
    loss_reason = field_value(body, "lossReasonId", int)
    new_source = field_value(body, "changeLeadSourceTo", int)
    tag_ids = field_value(body, "tagIds", list[int])
    when = field_value(body, "date", str)
    if to_stage is not None and st.lookups.stage(to_stage) is None:
        raise fail(f"toStageId {to_stage} does not exist")
    if loss_reason is not None and all(r.id != loss_reason for r in st.lookups.loss_reasons):
        raise fail(f"lossReasonId {loss_reason} does not exist")
    if new_source is not None and st.lookups.lead_source(new_source) is None:
        raise fail(f"changeLeadSourceTo {new_source} does not exist")
    if status == 5 and not parse_any_date(when):
        raise fail("date is required when the status is XDATED")
    lead.status = status
    if status == 2:
        lead.sold_at = now
    if status == 3:
        lead.loss_reason_id = loss_reason
    if status == 5:
        lead.data.xDate = when
        lead.x_date_type = field_value(body, "xDateType", str)
        recycle = field_value(body, "recycleToStage", int)
        if recycle is not None and st.lookups.stage(recycle) is not None:
            to_stage = recycle
    elif when:
        lead.data.contactDate = when
    if to_stage is not None and to_stage != lead.data.stageId:
        stage = st.lookups.stage(to_stage)
        assert stage is not None
        lead.data.stageId, lead.data.pipelineId = stage.id, stage.pipeline_id
        lead.enter_stage = now
    if new_source is not None:
        lead.data.leadSourceId = new_source
    if tag_ids is not None:
        names = {v: k for k, v in st.tags.items()}
        lead.data.tagNames = ";".join(names[i] for i in tag_ids if i in names) or None
    lead.last_activity = now
    st.touch()
    return std("Lead status changed", lead.id)


@route("PUT", "/v1/api/leads/{leadId}/status", 4340)  # L4340
async def change_status(ctx: Ctx) -> Response:
    return await _change_status(ctx, stage_move=False)


@route("PUT", "/v1/api/leads/{leadId}/stage", 4439)  # L4439
async def change_stage(ctx: Ctx) -> Response:
    """Same title and body as the status change (L4439); moves to ``toStageId`` or
    ``workflowStageId`` (ASSUMPTIONS: stage change)."""
    return await _change_status(ctx, stage_move=True)


@route("POST", "/v1/api/leads/{leadId}/sold", 4502)  # L4502
async def sold(ctx: Ctx) -> Response:
    """Converts the lead into a customer with one policy per sold product; answers
    ``{customerId, leadSourceId, opportunities}`` (L4502; ASSUMPTIONS: SoldProduct)."""
    lead = get_lead(ctx)
    body = await ctx.body()
    st, now = ctx.state, ctx.clock.now()
    keep_open = bool(field_value(body, "keepOpen", bool))
    products = body.get("soldProducts")
    if not isinstance(products, list) or not products:
        raise fail("soldProducts is required")
    policies = []
    for n, item in enumerate(products):
        if not isinstance(item, dict):
            raise fail(f"soldProducts[{n}] must be an object")
        line = field_value(item, "productLineId", int, required=True)
        carrier = field_value(item, "carrierId", int, required=True)
        premium = field_value(item, "premium", int, required=True)
        if st.lookups.product_line(line) is None or st.lookups.carrier(carrier) is None:
            raise fail(f"soldProducts[{n}]: unknown productLineId or carrierId")
        policies.append(
            PolicyWrite(
                carrierId=carrier,
                policyType=line,
                premium=premium,
                items=field_value(item, "items", int) or 1,
                agentId=lead.data.assignTo,
                leadSourceId=lead.data.leadSourceId,
                agencyNumber=lead.data.agencyNumber,
                policyNumber=field_value(item, "policyNumber", str),
                effectiveDate=field_value(item, "effectiveDate", str) or now.strftime("%m/%d/%Y"),
                expiryDate=field_value(item, "expiryDate", str),
                soldDate=now.strftime("%m/%d/%Y"),
                insuredName=f"{lead.data.firstname} {lead.data.lastname or ''}".strip(),
            )
        )
    customer_id = lead.converted_household_id
    if customer_id is None or customer_id not in st.customers:
        d = lead.data
        customer_id = st.next_id("customer")
        st.customers[customer_id] = Customer(
            customer_id,
            CustomerWrite(
                firstname=d.firstname,
                lastname=d.lastname,
                email=d.email,
                phone=d.phone,
                secondaryEmail=d.secondaryEmail,
                secondaryPhone=d.secondaryPhone,
                streetAddress=d.streetAddress,
                city=d.city,
                state=d.state,
                country=d.country,
                zip=d.zip,
                agentId=d.assignTo,
                csrId=d.csrId,
                tagNames=d.tagNames,
                bizCustomer=1 if lead.lead_type == "commercial" else 0,
            ),
            True,
            now,
            now,
            now,
            lead_source_id=d.leadSourceId,
            person_id=lead.person_id,
            business_name=d.name,
        )
    for data in policies:
        st.add_policy(Policy(st.next_id("policy"), customer_id, data, 10))
    lead.converted_household_id = customer_id
    if not keep_open:
        lead.status, lead.sold_at = 2, now
        lead.data.soldDate = now.strftime("%Y-%m-%d")
    lead.last_activity = now
    for opp in st.opportunities_for(lead.id, quotes=False):
        opp.status = 2
    st.touch()
    return json_response(
        {
            "customerId": customer_id,
            "leadSourceId": lead.data.leadSourceId,
            "opportunities": [
                shapes.opportunity(st, o) for o in st.opportunities_for(lead.id, quotes=False)
            ],
        }
    )


@route("POST", "/v1/api/leads/{leadId}/delete-lead", 4820)  # L4820
async def delete_lead(ctx: Ctx) -> Response:
    """A delete by POST with ``deleteContact`` ("Delete the contacts?", L4800)."""
    lead = get_lead(ctx)
    body = await ctx.body(allow_empty=True)
    delete_contact = bool(field_value(body, "deleteContact", bool))
    st = ctx.state
    del st.leads[lead.id]
    for oid in st.opportunities_of.pop(lead.id, []):
        st.opportunities.pop(oid, None)
    for nid in st.notes_of.pop(("lead", lead.id), []):
        st.notes.pop(nid, None)
    for fid in st.files_of.pop(("lead", lead.id), []):
        st.files.pop(fid, None)
    if delete_contact:
        for cid in [c.id for c in st.contacts.values() if c.lead_id == lead.id]:
            del st.contacts[cid]
    st.touch()
    return std("Lead deleted", lead.id)
