"""Filter metadata (L6341-L6491) and the query builder (L8440-L8632)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.conecrm.sandbox.context import ConeContext, json_object
from agencydesk.vendors.conecrm.sandbox.querying import (
    BY_TYPE,
    ENTITY_SPECS,
    OPERATORS,
    QueryError,
    compile_group,
    filter_json,
    records_of,
)
from agencydesk.vendors.conecrm.sandbox.responses import error, ok
from agencydesk.vendors.conecrm.sandbox.serialize import account_json, contact_json, lead_json
from agencydesk.vendors.conecrm.sandbox.state import Lead, User
from agencydesk.vendors.sandbox_kit.http import RespondWith

INPUT_TYPES = {"string": "text", "number": "number", "boolean": "checkbox",
               "datetime": "datetime-local", "enum": "select"}  # fmt: skip


class QueryRoutes:
    def __init__(self, ctx: ConeContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    def routes(self) -> list[Route]:
        a = self.ctx.authed
        return [
            Route("/api/filters", a(self.all_filters), methods=["GET"]),
            Route("/api/filters/{entity}", a(self.entity_filters), methods=["GET"]),
            Route("/api/query-builder/config/{entity}", a(self.config), methods=["GET"]),
            Route("/api/query-builder/filter/{entity}", a(self.apply), methods=["POST"]),
        ]

    async def all_filters(self, _request: Request, _user: User) -> Response:  # L6341
        data = [
            {"entity": entity, "filters": [filter_json(self.state, s) for s in specs]}
            for entity, specs in ENTITY_SPECS.items()
        ]
        return ok({"data": data})  # the one list wrapped in "data" (L6364)

    async def entity_filters(self, request: Request, _user: User) -> Response:  # L6453
        specs = ENTITY_SPECS.get(request.path_params["entity"])
        if specs is None:
            return error(404, "Entity not found or no filters available")  # L6477
        return ok([filter_json(self.state, s) for s in specs])

    async def config(self, request: Request, _user: User) -> Response:  # L8440
        specs = ENTITY_SPECS.get(request.path_params["entity"])
        if specs is None:
            return error(404, "Entity not found")
        fields: list[dict[str, Any]] = []
        for spec in specs:
            item: dict[str, Any] = {
                "name": spec.field,
                "label": spec.label,
                "inputType": INPUT_TYPES[spec.type],
                "operators": [{"name": o, "label": o} for o in BY_TYPE[spec.type]],
            }
            if spec.options:
                item["valueEditorType"] = "select"
                item["values"] = [
                    {"name": o["value"], "label": o["label"]} for o in spec.options(self.state)
                ]
            fields.append(item)
        return ok({"fields": fields, "operators": list(OPERATORS)})

    async def apply(self, request: Request, _user: User) -> Response:  # L8581
        entity = request.path_params["entity"]
        if entity not in ENTITY_SPECS:
            return error(404, "Entity not found")
        body = await json_object(request, error(400, "Invalid JSON body"))
        if "query" not in body:
            raise RespondWith(error(400, "Missing query"))
        try:
            matches = compile_group(entity, body["query"])
            rows = [r for r in records_of(self.state, entity) if matches(r)]
        except QueryError as exc:
            return error(400, str(exc))
        faults, state = self.ctx.faults, self.state
        data = []
        for row in rows:
            wrong = faults.take_wrong_types()
            if isinstance(row, Lead):
                data.append(lead_json(state, row, wrong_types=wrong))
            elif row.kind == "account":
                data.append(account_json(state, row, wrong_types=wrong))
            else:
                data.append(contact_json(state, row, wrong_types=wrong))
        return ok({"success": True, "data": data})
