"""Leads: search by contact information, analytics, attachments, cache refresh, deletion
(L3282-L3580). The Account API has no lead listing (digest section 8)."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox.auth import guarded
from agencydesk.vendors.leadexec.sandbox.records_leads import Attachment, Lead, Visit
from agencydesk.vendors.leadexec.sandbox.state import SCHEDULED_DELETE_SECONDS
from agencydesk.vendors.leadexec.sandbox.wire import (
    body_object,
    empty_ok,
    fail,
    json_response,
    maybe_wrong,
    not_found,
    opt_str,
    pacific_z,
    path_int,
    req_str,
    utc_z,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from agencydesk.vendors.leadexec.sandbox.context import Context

CONTACT_FIELDS = ("FirstName", "LastName", "Email", "PrimaryPhone", "Address", "DateOfBirth")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # assumption: the document states no limit


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def search_row(lead: Lead) -> dict[str, Any]:
    """A search result (L3353-L3364); the table's ``PandingQCReview`` (L3350) is sent as the
    example's ``PendingQCReview``."""
    return {
        "DateReceived": utc_z(lead.received),
        "IsValidPost": lead.is_valid_post,
        "ResponseType": lead.response_type,
        "ResponseDetails": lead.response_details,
        "LeadIdentifier": lead.uid,
        "VID": lead.vendor_uid,
        "AID": lead.campaign_uid,
        "LID": lead.lead_type_uid,
        "PendingQCReview": lead.pending_qc,
        "Price": lead.price,
    }


@guarded
async def search(request: Request) -> Response:
    """POST /v1/leads/search/[LeadTypeUID] (L3316): every given field must match (email and
    address ignoring case and spacing, phone by digits); at least one is needed (assumption)."""
    ctx: Context = request.app.state.ctx
    lead_type = ctx.state.lead_type(path_int(request, "LeadTypeUID")).uid
    body = await body_object(request)
    email, address = opt_str(body, "Email").strip(), opt_str(body, "Address").strip()
    phone = _digits(opt_str(body, "PrimaryPhone"))
    if not (email or address or phone):
        raise fail(400, "At least one of Email, Address or PrimaryPhone is required.")
    rows = [
        search_row(lead)
        for lead in ctx.state.visible_leads(ctx.clock.now())
        if lead.lead_type_uid == lead_type
        and (not email or lead.values.get("Email", "").lower() == email.lower())
        and (not address or _norm(lead.values.get("Address", "")) == _norm(address))
        and (not phone or _digits(lead.values.get("PrimaryPhone", "")) == phone)
    ]
    return json_response([maybe_wrong(ctx.faults, r) for r in rows])


def visit_view(visit: Visit) -> dict[str, Any]:
    """Lead analytics (L3417-L3436); Enter/ExitDate are Pacific Time (L3401)."""
    return {
        "TrackingUID": visit.tracking_uid,
        "VisitUID": visit.visit_uid,
        "EnterDate": pacific_z(visit.enter),
        "ExitDate": pacific_z(visit.exit),
        "UserAgent": visit.user_agent,
        "IP": visit.ip,
        "URL": visit.url,
        "Host": urlparse(visit.url).hostname or "",
        "EnterPage": visit.enter_page,
        "ExitPage": visit.exit_page,
        "Referrer": visit.referrer,
        "ReferrerHost": urlparse(visit.referrer).hostname or "",
        "SearchEngine": visit.search_engine,
        "SearchTerm": visit.search_term,
        "Browser": visit.browser,
        "OS": visit.os,
        "PageViews": visit.page_views,
        "FirstVisit": visit.first_visit,
    }


@guarded
async def analytics(request: Request) -> Response:
    """GET /v1/leads/analytics/[LeadUID] (L3390): one object; 404 without analytics."""
    ctx: Context = request.app.state.ctx
    lead = ctx.state.lead(path_int(request, "LeadUID"), ctx.clock.now())
    if lead.visit is None:
        raise not_found("Analytics for lead", lead.uid)
    return json_response(visit_view(lead.visit))


@guarded
async def visit(request: Request) -> Response:
    """GET /v1/leads/analytics/visits/[VisitID] (L3450)."""
    ctx: Context = request.app.state.ctx
    wanted = str(path_int(request, "VisitID"))
    for lead in ctx.state.visible_leads(ctx.clock.now()):
        if lead.visit is not None and lead.visit.visit_uid == wanted:
            return json_response(visit_view(lead.visit))
    raise not_found("Visit", wanted)


@guarded
async def attach(request: Request) -> Response:
    """PUT /v1/leads/[LeadUID]/attachments (L3513): "File Name with Extension" (L3510); an
    empty 200 (L3526)."""
    ctx: Context = request.app.state.ctx
    lead = ctx.state.lead(path_int(request, "LeadUID"), ctx.clock.now())
    body = await body_object(request)
    name = req_str(body, "FileName", blank=False).strip()
    if "." not in name.strip(".") or name.endswith("."):
        raise fail(400, f"FileName '{name}' needs an extension.")
    description = req_str(body, "Description")
    data = req_str(body, "Base64Data", blank=False)
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise fail(400, "Base64Data is not valid base64.") from exc
    if len(raw) > MAX_ATTACHMENT_BYTES:
        raise fail(400, "The attachment is larger than 10 MB.")
    lead.attachments.append(Attachment(name, description, len(raw), ctx.clock.now()))
    return empty_ok()


@guarded
async def refresh_cache(request: Request) -> Response:
    """PUT /v1/leads/cache/update/[LeadUID] (L3291; its heading says GET, L3281, also served)."""
    ctx: Context = request.app.state.ctx
    lead = ctx.state.lead(path_int(request, "LeadUID"), ctx.clock.now())
    lead.cache_refreshes += 1
    return empty_ok()


def _lead_or_404(ctx: Context, request: Request) -> Lead | Response:
    uid = path_int(request, "LeadUID")
    lead = ctx.state.leads.get(uid)
    now = ctx.clock.now()
    if lead is None or (lead.delete_at is not None and now >= lead.delete_at):
        return json_response({"success": False, "message": f"Lead {uid} was not found."}, 404)
    return lead


@guarded
async def delete_lead(request: Request) -> Response:
    """DELETE /v1/leads/[LeadUID] (L3541): only *schedules* the deletion (L3533); the lead is
    gone once the sandbox clock passes the schedule (one minute, assumption)."""
    ctx: Context = request.app.state.ctx
    lead = _lead_or_404(ctx, request)
    if not isinstance(lead, Lead):
        return lead
    if lead.delete_at is None:
        lead.delete_at = ctx.clock.now() + timedelta(seconds=SCHEDULED_DELETE_SECONDS)
    return json_response({"success": True, "message": "Lead has been scheduled for deletion."})


@guarded
async def remove_lead(request: Request) -> Response:
    """DELETE /v1/leads/[LeadUID]/remove (L3566): contact information is stripped, the lead
    stays for reporting (L3558)."""
    ctx: Context = request.app.state.ctx
    lead = _lead_or_404(ctx, request)
    if not isinstance(lead, Lead):
        return lead
    for name in CONTACT_FIELDS:
        if name in lead.values:
            lead.values[name] = ""
    lead.removed = True
    return json_response({"success": True, "message": "Lead information has been removed."})


ROUTES = [
    Route("/v1/leads/cache/update/{LeadUID}", refresh_cache, methods=["PUT", "GET"]),
    Route("/v1/leads/search/{LeadTypeUID}", search, methods=["POST"]),
    Route("/v1/leads/analytics/visits/{VisitID}", visit, methods=["GET"]),
    Route("/v1/leads/analytics/{LeadUID}", analytics, methods=["GET"]),
    Route("/v1/leads/{LeadUID}/attachments", attach, methods=["PUT"]),
    Route("/v1/leads/{LeadUID}/remove", remove_lead, methods=["DELETE"]),
    Route("/v1/leads/{LeadUID}", delete_lead, methods=["DELETE"]),
]
