"""Policy writes (L1250-L1592): create (bearer and ``X-Api-Token``), update, tags, status,
endorsement. Reads are per customer only (customers.py)."""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox.common import (
    fail,
    field_value,
    parse_any_date,
    parse_write,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.lead_children import product_ids
from agencydesk.vendors.agencyzoom.sandbox.records import (
    POLICY_REQUIRED,
    Policy,
    PolicyWrite,
)
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState

POLICY_STATUSES = (0, 1, 10, 11, 12, 13)  # L1530


def parse_policy(st: AgencyZoomState, body: dict[str, Any]) -> PolicyWrite:
    """``carrierId`` / ``policyType`` may be replaced by their standard codes (L1140-L1160)."""
    if body.get("carrierId") is None and not body.get("standardCarrierCode"):
        raise fail("carrierId is required")
    if body.get("policyType") is None and not body.get("standardProductLineCode"):
        raise fail("policyType is required")
    carrier_id, line_id = product_ids(
        st, {**body, "productLineId": body.get("policyType")}, required=True
    )
    required = tuple(f for f in POLICY_REQUIRED if f not in ("carrierId", "policyType"))
    data = parse_write(PolicyWrite, body, required=required)
    data.carrierId, data.policyType = carrier_id, line_id
    if data.agentId not in st.employees:
        raise fail(f"agentId {data.agentId} is not an employee")
    if st.lookups.lead_source(data.leadSourceId) is None:
        raise fail(f"leadSourceId {data.leadSourceId} does not exist")
    if all(num != data.agencyNumber for num, _ in st.lookups.locations):
        raise fail(f"agencyNumber {data.agencyNumber} is not a location")
    for name in ("soldDate", "effectiveDate", "expiryDate"):
        if parse_any_date(getattr(data, name)) is None:
            raise fail(f"{name} must be a date (MM/dd/yyyy)")
    if data.premium is not None and data.premium < 0:
        raise fail("premium must be >= 0 (cents)")
    return data


def get_policy(st: AgencyZoomState, policy_id: int | None) -> Policy:
    policy = st.policies.get(policy_id) if policy_id is not None else None
    if policy is None:
        raise fail(f"policy {policy_id} not found")
    return policy


@route("POST", "/v1/api/policies/create", 1250)  # L1250
async def create(ctx: Ctx) -> Response:
    """Needs the ``X-Api-Token`` header besides the bearer token (L1129; ASSUMPTIONS: its
    value is the sandbox credential ``api_token``)."""
    sent = ctx.request.headers.get("x-api-token", "")
    if not sent or not secrets.compare_digest(sent, ctx.state.api_token):
        raise fail("X-Api-Token is missing or invalid")
    body = await ctx.body()
    st = ctx.state
    customer_id = field_value(body, "customerId", int, required=True)
    if customer_id not in st.customers:
        raise fail(f"customerId {customer_id} does not exist")
    data = parse_policy(st, body)
    meta = body.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise fail("meta must be an object")
    policy = Policy(st.next_id("policy"), customer_id, data, 10, meta=meta)
    st.add_policy(policy)
    st.customers[customer_id].updated = ctx.clock.now()
    st.touch()
    return std("Policy created", policy.id)


@route("PUT", "/v1/api/policies/{policyId}", 1412)  # L1412
async def update(ctx: Ctx) -> Response:
    """Same required set as create; the body replaces the policy (ASSUMPTIONS: policy PUT)."""
    policy = get_policy(ctx.state, ctx.path_int("policyId"))
    if policy.ams:
        raise fail("AMS policies are read-only (tags only)")
    policy.data = parse_policy(ctx.state, await ctx.body())
    ctx.state.touch()
    return std("Policy updated", policy.id)


@route("POST", "/v1/api/policies/update-tags", 1481)  # L1481
async def update_tags(ctx: Ctx) -> Response:
    """``policyId`` "If the AMS policy ID is passed, then this field will be ignored" (L1466)."""
    body = await ctx.body()
    ams_id = field_value(body, "amsPolicyId", int)
    policy_id = field_value(body, "policyId", int)
    tags = field_value(body, "tagNames", str)
    if ams_id is not None:
        policy = get_policy(ctx.state, ams_id)
        if not policy.ams:
            raise fail(f"amsPolicyId {ams_id} is not an AMS policy")
    elif policy_id is not None:
        policy = get_policy(ctx.state, policy_id)
    else:
        raise fail("policyId or amsPolicyId is required")
    policy.data = dataclasses.replace(policy.data, tagNames=tags)
    ctx.state.touch()
    return std("Policy tags updated", policy.id)


@route("POST", "/v1/api/policies/update-status", 1530)  # L1530
async def update_status(ctx: Ctx) -> Response:
    body = await ctx.body()
    policy = get_policy(ctx.state, field_value(body, "policyId", int, required=True))
    status = field_value(body, "status", int, required=True)
    if status not in POLICY_STATUSES:
        raise fail("status must be one of 0, 1, 10, 11, 12, 13")
    policy.status = status
    ctx.state.touch()
    return std("Policy status updated", policy.id)


@route("POST", "/v1/api/policies/endorse", 1592)  # L1592
async def endorse(ctx: Ctx) -> Response:
    """Every field required; ``premiumChange`` in cents is added to the premium (L1570)."""
    body = await ctx.body()
    policy = get_policy(ctx.state, field_value(body, "policyId", int, required=True))
    effective = field_value(body, "effectiveDate", str, required=True)
    number = field_value(body, "endorsementNumber", str, required=True)
    change = field_value(body, "premiumChange", int, required=True)
    description = field_value(body, "description", str, required=True)
    if parse_any_date(effective) is None:
        raise fail("effectiveDate must be a date (MM/dd/yyyy)")
    policy.endorsements.append(
        {
            "effectiveDate": effective,
            "endorsementNumber": number,
            "premiumChange": change,
            "description": description,
        }
    )
    policy.data = dataclasses.replace(policy.data, premium=(policy.data.premium or 0) + change)
    ctx.state.touch()
    return std("Endorsement created", policy.id)
