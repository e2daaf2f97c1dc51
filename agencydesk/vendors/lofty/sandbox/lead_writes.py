"""Applying a LeadRequest (L4117) or EditLeadRequest (L3506) to a stored lead.

Request and response names differ (``isPrivate``→``privateFlag``, ``customAttributeList``→
``customAttributes``, ``inquiry``→``leadInquiry``, ``property``→``leadPropertyList``); ``tags``
replaces every tag (L3608) while ``tagsAdd`` keeps them and adds (L3611). Fields left out of an
edit are kept. Bad values are refused with a 400 naming the field.
"""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.times import is_birthday
from agencydesk.vendors.lofty.sandbox.wire import (
    body_bool,
    body_int,
    body_str,
    body_strs,
    invalid,
)

TEXT_FIELDS = (
    "firstName",
    "lastName",
    "buyHouse",
    "buyingTimeFrame",
    "city",
    "fthb",
    "houseToSell",
    "language",
    "mortgage",
    "preQual",
    "referredBy",
    "sellingTimeFrame",
    "state",
    "streetAddress",
    "withBuyerAgent",
    "withListingAgent",
    "zipCode",
)
FLAG_FIELDS = ("cannotCall", "cannotEmail", "cannotText", "unsubscription")
LEAD_TYPES = {-1, 1, 2, 3, 5}  # L3569 leadType
LEAD_TYPES_MULTI = {-1, 1, 2, 5, 6, 7, 8, 9}  # L3572 leadTypes
MAX_FAMILY = 4  # L3564 "You can add up to 4 family members"
MAX_PHONE = 20  # L3578 "No more than 20 characters per phone"
MAX_STAGE = 19  # L3599 "less than 20 characters"


def apply_lead(state: LoftyState, lead: Record, body: dict[str, Any], actor: int) -> None:
    for name in TEXT_FIELDS:
        if name in body:
            lead[name] = body_str(body, name)
    for name in FLAG_FIELDS:
        if name in body:
            lead[name] = bool(body_bool(body, name))
    if "isPrivate" in body:
        lead["privateFlag"] = bool(body_bool(body, "isPrivate"))
    if "birthday" in body:
        birthday = body_str(body, "birthday")
        if birthday and not is_birthday(birthday):
            raise invalid("birthday", "must match the pattern MMM d, yyyy (e.g. Jan 5, 1990)")
        lead["birthday"] = birthday
    if "emails" in body:
        lead["emails"] = [e.strip() for e in body_strs(body, "emails") or [] if e.strip()]
    if "phones" in body:
        phones = body_strs(body, "phones") or []
        if any(len(p) > MAX_PHONE for p in phones):
            raise invalid("phones", f"must be no more than {MAX_PHONE} characters each")
        lead["phones"] = phones
        lead["phoneStatuses"] = [1 for _ in phones]
    if "stage" in body:
        stage = body_str(body, "stage")
        if stage is not None and len(stage) > MAX_STAGE:
            raise invalid("stage", "must be less than 20 characters")
        lead["stage"], lead["stageId"] = stage, state.stage_id(stage) if stage else None
    if "source" in body:
        source = body_str(body, "source")
        lead["source"], lead["leadSource"] = source, state.source_id(source) if source else -1
    _apply_types(lead, body)
    if "assignedUserId" in body:
        assign(state, lead, body_int(body, "assignedUserId"))
    _apply_lists(state, lead, body, actor)
    state.touch(lead)


def assign(state: LoftyState, lead: Record, member_id: int | None) -> None:
    if member_id is not None and state.member(member_id) is None:
        raise invalid("assignedUserId", f"{member_id} is not a member of this team")
    member = state.member(member_id)
    lead["assignedUserId"] = member["id"] if member else None
    lead["_assigned"] = state.now()
    for role in lead["customRoleList"]:
        if role["role"] == "Agent":
            role["assigneeId"] = member["id"] if member else 0
            role["assignee"] = member["email"] if member else None


def _apply_types(lead: Record, body: dict[str, Any]) -> None:
    if "leadType" in body:
        kind = body_int(body, "leadType")
        if kind is not None and kind not in LEAD_TYPES:
            raise invalid("leadType", f"must be one of {sorted(LEAD_TYPES)}")
        lead["leadType"] = kind
    if "leadTypes" in body:
        kinds = body.get("leadTypes") or []
        if not isinstance(kinds, list) or any(
            isinstance(k, bool) or not isinstance(k, int) or k not in LEAD_TYPES_MULTI
            for k in kinds
        ):
            raise invalid("leadTypes", f"must be ids from {sorted(LEAD_TYPES_MULTI)}")
        lead["leadTypes"] = list(kinds)


def _apply_lists(state: LoftyState, lead: Record, body: dict[str, Any], actor: int) -> None:
    segments = body_strs(body, "segments")
    if segments is None:
        segments = body_strs(body, "groups")  # deprecated twin (L3546)
    if segments is not None:
        lead["segments"] = segments
    now = state.now()
    if "tags" in body:  # L3608: all existing tags are replaced
        lead["_tags"] = {}
        for name in body_strs(body, "tags") or []:
            lead["_tags"][name.lower()] = (name, now)
            state.tag(name, actor)
    for name in body_strs(body, "tagsAdd") or []:  # L3611: existing tags are retained
        lead["_tags"].setdefault(name.lower(), (name, now))
        state.tag(name, actor)
    if "leadFamilyMemberList" in body:
        family = body.get("leadFamilyMemberList") or []
        if not isinstance(family, list) or not all(isinstance(f, dict) for f in family):
            raise invalid("leadFamilyMemberList", "must be an array of objects")
        if len(family) > MAX_FAMILY:
            raise invalid("leadFamilyMemberList", f"allows up to {MAX_FAMILY} family members")
        lead["leadFamilyMemberList"] = [dict(f) for f in family]
    if "customAttributeList" in body:
        _apply_custom(state, lead, body.get("customAttributeList"))
    if isinstance(body.get("inquiry"), dict):
        lead["leadInquiry"] = inquiry_record(state, lead, body["inquiry"])
    if isinstance(body.get("property"), dict):
        lead["leadPropertyList"].append(property_record(state, lead, body["property"]))


def _apply_custom(state: LoftyState, lead: Record, items: Any) -> None:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise invalid("customAttributeList", "must be an array of objects")
    known = {f["attributeName"].lower(): f for f in state.custom_fields}
    for item in items:
        name = str(item.get("attributeName") or "")
        field = known.get(name.lower())
        if field is None:  # the team must define the field first (POST teamFeatures/custom-field)
            raise invalid("customAttributeList", f"unknown custom field '{name}'")
        current = [
            a for a in lead["customAttributes"] if a["attributeName"].lower() != name.lower()
        ]
        current.append(
            {
                "attributeName": field["attributeName"],
                "attributeType": field["attributeType"],
                "params": field["params"],
                "value": None if item.get("value") is None else str(item["value"]),
            }
        )
        lead["customAttributes"] = current


def inquiry_record(state: LoftyState, lead: Record, body: dict[str, Any]) -> Record:
    """LeadInquiryReq (L3848) -> LeadInquiryRes (L3889)."""
    now = state.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("priceMin", "priceMax", "bedroomsMin", "bedroomsMax"):
        body_int(body, name)
    record = {
        k: body.get(k)
        for k in (
            "bathroomsMax",
            "bathroomsMin",
            "bedroomsMax",
            "bedroomsMin",
            "priceMax",
            "priceMin",
        )
    }
    record.update(
        id=state.next_id(),
        leadUserId=lead["leadUserId"],
        defaultValue=False,
        modifyByAgent=True,
        createTime=now,
        updateTime=now,
        locations=list(body.get("locations") or []),
        propertyType=list(body.get("propertyType") or []),
    )
    return record


PROPERTY_FIELDS = (
    "autoListingId",
    "bathrooms",
    "bedrooms",
    "city",
    "county",
    "floors",
    "label",
    "labelList",
    "labelType",
    "listingId",
    "listingStatus",
    "lotSize",
    "mailAddress",
    "note",
    "parkingSpace",
    "pictureUrl",
    "price",
    "propertyType",
    "siteListingUrl",
    "squareFeet",
    "state",
    "streetAddress",
    "zipCode",
)


def property_record(state: LoftyState, lead: Record, body: dict[str, Any]) -> Record:
    """LeadPropertyReq (L3955) -> LeadPropertyRes (L4039): priceMin/priceMax are dropped."""
    for name in ("price", "bedrooms", "squareFeet"):
        body_int(body, name)
    record = {k: body.get(k) for k in PROPERTY_FIELDS}
    record.update(id=state.next_id(), leadUserId=lead["leadUserId"])
    return record
