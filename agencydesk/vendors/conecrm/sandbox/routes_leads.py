"""Leads: create (L6628, body LeadCreateRequest L16234) and copy (L7557, body CopyLeadData
L16306). Validation errors answer ``{"errors": {field: [messages]}, "message"}`` (L6820)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.conecrm.sandbox.context import ConeContext, json_object
from agencydesk.vendors.conecrm.sandbox.responses import empty, form_errors, ok
from agencydesk.vendors.conecrm.sandbox.serialize import lead_json
from agencydesk.vendors.conecrm.sandbox.state import (
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    Audit,
    Customer,
    Lead,
    User,
)
from agencydesk.vendors.sandbox_kit.http import RespondWith

BLANK = "This value should not be blank."
INVALID = "This value is not valid."
TEXT_FIELDS = ("description", "category", "utmCampaign", "utmSource", "leadHandlingInstructions")
VEHICLE_FIELDS = ("makeStr", "modelStr", "yearStr", "trimStr")


class Problems:
    """Collects form errors field by field, then answers them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise RespondWith(form_errors(self.errors))


def ref_id(
    body: dict[str, Any], name: str, table: dict[str, Any], problems: Problems, *, required: bool
) -> str | None:
    """An ``{"id": uuid}`` reference that must name an existing record."""
    value = body.get(name)
    if value is None:
        if required:
            problems.add(name, BLANK)
        return None
    if not isinstance(value, dict) or not value.get("id"):
        problems.add(name, BLANK if required else INVALID)
        return None
    if str(value["id"]) not in table:
        problems.add(name, INVALID)
        return None
    return str(value["id"])


class LeadRoutes:
    def __init__(self, ctx: ConeContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    def routes(self) -> list[Route]:
        a = self.ctx.authed
        return [
            Route("/api/lead", a(self.create), methods=["POST"]),
            Route("/api/lead/{lead}/copy", a(self.copy), methods=["POST"]),
        ]

    def _assign(self, requested: list[str]) -> list[str]:
        """L6630: "automatically assigned … according to the system workflow" (round robin)."""
        if requested:
            return requested
        users = sorted(self.state.users)
        self.state.round_robin = (self.state.round_robin + 1) % len(users)
        return [users[self.state.round_robin]]

    async def create(self, request: Request, user: User) -> Response:  # L6628
        if not user.can_create_leads:
            return empty(403)  # "User not authorized to create leads" (L6815)
        body = await json_object(request, form_errors({}, "Invalid JSON body"))
        problems = Problems()
        subject = body.get("subject")
        if not isinstance(subject, str) or not subject.strip():
            problems.add("subject", BLANK)
        state = self.state
        department = ref_id(body, "department", state.departments, problems, required=True)
        contact = ref_id(body, "contact", state.contacts, problems, required=True)
        source = ref_id(body, "source", state.sources, problems, required=True)
        franchise = ref_id(body, "franchise", state.franchises, problems, required=True)
        account = ref_id(body, "account", state.accounts, problems, required=False)
        assignees: list[str] = []
        for item in body.get("assignees") or []:
            if not isinstance(item, dict) or str(item.get("id")) not in state.users:
                problems.add("assignees", INVALID)
            else:
                assignees.append(str(item["id"]))
        for name in (*TEXT_FIELDS, *VEHICLE_FIELDS):
            if body.get(name) is not None and not isinstance(body[name], str):
                problems.add(name, INVALID)
        if "customerInitiated" in body and not isinstance(body["customerInitiated"], bool):
            problems.add("customerInitiated", INVALID)
        custom = self._custom_values(body.get("customFieldValues"), problems)
        problems.raise_any()
        now = self.ctx.clock.now()
        with state.lock:
            lead = Lead(
                id=state.new_id(now),
                number=state.new_number(),
                audit=Audit(now, user.id),
                subject=str(subject),
                department=str(department),
                contact=str(contact),
                source=str(source),
                franchise=str(franchise),
                status=state.status_id("Open"),
                stage=next(iter(state.stages), None),
                account=account,
                assignees=self._assign(assignees),
                description=body.get("description"),
                category=body.get("category"),
                utm_campaign=body.get("utmCampaign"),
                utm_source=body.get("utmSource"),
                customer_initiated=bool(body.get("customerInitiated", False)),
                handling=body.get("leadHandlingInstructions"),
                vehicle={name: body.get(name) for name in VEHICLE_FIELDS},
                custom_values=custom,
            )
            state.leads[lead.id] = lead
        return ok(lead_json(state, lead))

    def _custom_values(self, values: Any, problems: Problems) -> dict[str, str]:
        out: dict[str, str] = {}
        if values is None:
            return out
        if not isinstance(values, list):
            problems.add("customFieldValues", INVALID)
            return out
        for item in values:
            field = item.get("field") if isinstance(item, dict) else None
            key = str(field.get("id")) if isinstance(field, dict) else ""
            definition = self.state.custom_fields.get(key) or next(
                (d for d in self.state.custom_fields.values() if d.field_name == key), None
            )
            if definition is None or not isinstance(item.get("value"), str):
                problems.add("customFieldValues", INVALID)
                continue
            out[definition.id] = item["value"]
        return out

    async def copy(self, request: Request, user: User) -> Response:  # L7557
        if not user.can_create_leads:
            return empty(403)  # "User not authorized to copy leads" (L8345)
        original = self.state.leads.get(request.path_params["lead"])
        if original is None or original.audit.deleted is not None:
            return empty(404)  # "Lead not found" (L8346)
        body = await json_object(request, form_errors({}, "Invalid JSON body"))
        problems = Problems()
        state = self.state
        contact_body = body.get("contact")
        contact: Customer | None = None
        if not isinstance(contact_body, dict):
            problems.add("contact", BLANK)
        elif contact_body.get("id"):
            contact = state.contacts.get(str(contact_body["id"]))
            if contact is None:
                problems.add("contact", INVALID)
        account = ref_id(body, "account", state.accounts, problems, required=False)
        department = ref_id(body, "department", state.departments, problems, required=False)
        franchise = ref_id(body, "franchise", state.franchises, problems, required=False)
        subject = body.get("subject")
        if subject is not None and (not isinstance(subject, str) or not subject.strip()):
            problems.add("subject", INVALID)
        problems.raise_any()
        now = self.ctx.clock.now()
        with state.lock:
            if contact is None:  # a Contact without id: a new contact from its fields
                assert isinstance(contact_body, dict)
                contact = Customer(
                    id=state.new_id(now),
                    number=state.new_number(),
                    kind="contact",
                    audit=Audit(now, user.id),
                    fields={
                        "isActive": True,
                        **{
                            k: contact_body.get(k)
                            for k in (*CUSTOMER_FIELDS, *CONTACT_FIELDS)
                            if k in contact_body
                        },
                    },
                    franchise=franchise or original.franchise,
                )
                state.contacts[contact.id] = contact
            copy = Lead(
                id=state.new_id(now),
                number=state.new_number(),
                audit=Audit(now, user.id),
                subject=subject or original.subject,
                department=department or original.department,
                contact=contact.id,
                source=original.source,
                franchise=franchise or original.franchise,
                status=state.status_id("Open"),
                stage=original.stage,
                account=account,
                assignees=list(original.assignees),
                description=original.description,
                category=original.category,
                utm_campaign=original.utm_campaign,
                utm_source=original.utm_source,
                customer_initiated=original.customer_initiated,
                handling=original.handling,
                vehicle=dict(original.vehicle),
                custom_values=dict(original.custom_values),
                priority=original.priority,
            )
            state.leads[copy.id] = copy
        return ok(lead_json(state, copy))
