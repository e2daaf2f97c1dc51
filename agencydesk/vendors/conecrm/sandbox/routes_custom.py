"""Custom fields (L5250-L5686) and custom labels (L5774-L6253).

A CustomField has no ``id`` in the document (L11777) although DELETE/PATCH address one
(``{customField}``, L5554) and lead create refers to ``field.id``: the sandbox accepts the
field's hidden UUID or its ``fieldName``. Custom labels are soft-deleted (L6087) and their
delete answers the JSON ``null`` (L6094).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.conecrm.sandbox.context import ConeContext, json_object
from agencydesk.vendors.conecrm.sandbox.responses import empty, error, ok
from agencydesk.vendors.conecrm.sandbox.serialize import custom_label_json
from agencydesk.vendors.conecrm.sandbox.state import Audit, CustomFieldDef, CustomLabel, User
from agencydesk.vendors.sandbox_kit.http import RespondWith

ENTITIES = ("contact", "account", "lead")


def field_json(definition: CustomFieldDef) -> dict[str, Any]:
    return {
        "entity": definition.entity,
        "fieldName": definition.field_name,
        "fieldType": definition.field_type,
        "options": definition.options,
    }


def _field_values(body: dict[str, Any], *, creating: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ("entity", "fieldName", "fieldType", "options"):
        if name not in body:
            if creating and name != "options":
                raise RespondWith(empty(400))
            continue
        value = body[name]
        if not isinstance(value, str) or (name != "options" and not value.strip()):
            raise RespondWith(empty(400))
        out[name] = value
    if out.get("entity", ENTITIES[0]) not in ENTITIES:
        raise RespondWith(empty(400))
    if "options" in out:  # "json encoded object" (L5275)
        try:
            json.loads(out["options"] or "{}")
        except ValueError as exc:
            raise RespondWith(empty(400)) from exc
    return out


class CustomRoutes:
    def __init__(self, ctx: ConeContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    def routes(self) -> list[Route]:
        a = self.ctx.authed
        return [
            Route("/api/custom-field", a(self.list_fields), methods=["GET"]),
            Route("/api/custom-field", a(self.create_field), methods=["POST"]),
            Route("/api/custom-field/{entity}", a(self.fields_of_entity), methods=["GET"]),
            Route("/api/custom-field/{customField}", a(self.delete_field), methods=["DELETE"]),
            Route("/api/custom-field/{customField}", a(self.update_field), methods=["PATCH"]),
            Route("/api/custom-labels", a(self.list_labels), methods=["GET"]),
            Route("/api/custom-labels", a(self.create_label), methods=["POST"]),
            Route("/api/custom-labels/{id}", a(self.delete_label), methods=["DELETE"]),
            Route("/api/custom-labels/{id}", a(self.update_label), methods=["PATCH"]),
        ]

    # -- custom fields ---------------------------------------------------------------------
    def _field(self, request: Request) -> CustomFieldDef:
        key = request.path_params["customField"]
        found = self.state.custom_fields.get(key) or next(
            (d for d in self.state.custom_fields.values() if d.field_name == key), None
        )
        if found is None:
            raise RespondWith(empty(400))  # only 400 is documented (L5559, L5686)
        return found

    async def list_fields(self, _request: Request, _user: User) -> Response:  # L5250
        return ok([field_json(d) for d in self.state.custom_fields.values()])

    async def create_field(self, request: Request, _user: User) -> Response:  # L5376
        body = await json_object(request, empty(400), optional=True)  # body not required (L5388)
        values = _field_values(body, creating=True)
        with self.state.lock:
            definition = CustomFieldDef(
                id=self.state.new_id(self.ctx.clock.now()),
                entity=values["entity"],
                field_name=values["fieldName"],
                field_type=values["fieldType"],
                options=values.get("options", "{}"),
            )
            self.state.custom_fields[definition.id] = definition
        return ok(field_json(definition))

    async def fields_of_entity(self, request: Request, _user: User) -> Response:  # L5470
        entity = request.path_params["entity"]
        if entity not in ENTITIES:
            return empty(400)
        # 200 with no schema in the document (L5479): the same array as the full list.
        return ok([field_json(d) for d in self.state.custom_fields.values() if d.entity == entity])

    async def delete_field(self, request: Request, _user: User) -> Response:  # L5549
        definition = self._field(request)
        with self.state.lock:
            del self.state.custom_fields[definition.id]
        return empty(200)

    async def update_field(self, request: Request, _user: User) -> Response:  # L5660
        definition = self._field(request)
        body = await json_object(request, empty(400), optional=True)
        values = _field_values(body, creating=False)
        definition.entity = values.get("entity", definition.entity)
        definition.field_name = values.get("fieldName", definition.field_name)
        definition.field_type = values.get("fieldType", definition.field_type)
        definition.options = values.get("options", definition.options)
        return ok(field_json(definition))

    # -- custom labels ---------------------------------------------------------------------
    def _label(self, request: Request) -> CustomLabel:
        label = self.state.custom_labels.get(request.path_params["id"])
        if label is None or label.audit.deleted is not None:
            raise RespondWith(empty(404))
        return label

    @staticmethod
    async def _value(request: Request) -> dict[str, Any]:
        bad = error(400, "Value is required")  # "Bad request - value is required" (L5993)
        body = await json_object(request, bad)
        if not isinstance(body.get("value"), dict):
            raise RespondWith(bad)
        return body["value"]  # type: ignore[no-any-return]

    async def list_labels(self, _request: Request, _user: User) -> Response:  # L5774
        labels = [
            custom_label_json(self.state, label)
            for label in self.state.custom_labels.values()
            if label.audit.deleted is None
        ]
        return ok(labels)

    async def create_label(self, request: Request, user: User) -> Response:  # L5947
        value = await self._value(request)
        now = self.ctx.clock.now()
        with self.state.lock:
            label = CustomLabel(self.state.new_id(now), Audit(now, user.id), value)
            self.state.custom_labels[label.id] = label
        return ok(custom_label_json(self.state, label))

    async def delete_label(self, request: Request, user: User) -> Response:  # L6085
        label = self._label(request)
        label.audit.deleted, label.audit.deleted_by = self.ctx.clock.now(), user.id
        return ok(None)  # the body is the JSON null (L6094)

    async def update_label(self, request: Request, user: User) -> Response:  # L6200
        label = self._label(request)
        value = await self._value(request)
        label.value = value
        label.audit.touch(self.ctx.clock.now(), user.id)
        return ok(custom_label_json(self.state, label))
