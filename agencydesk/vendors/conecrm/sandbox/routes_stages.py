"""Connection stages (L9307-L9757) and saved filters (L8720-L9219).

Both answer 201 on create and 204 on delete, unlike the rest of the API (200). The saved-filter
``{id}`` is documented as an integer on GET (L8980) and ``{filter}`` a string on DELETE/PATCH
(L9074): both accept the filter's UUID or its number.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.conecrm.sandbox.context import ConeContext, json_object
from agencydesk.vendors.conecrm.sandbox.responses import empty, ok
from agencydesk.vendors.conecrm.sandbox.state import Named, SavedFilter, User
from agencydesk.vendors.sandbox_kit.http import RespondWith


def _stage_json(stage: Named) -> dict[str, Any]:
    return {"id": stage.id, "name": stage.name}


def _filter_json(saved: SavedFilter) -> dict[str, Any]:
    return {
        "id": saved.id,
        "name": saved.name,
        "module": saved.module,
        "value": saved.value,
        "owner": {"id": saved.owner},
        "private": saved.private,
    }


def _name(body: dict[str, Any], *, required: bool) -> str | None:
    if "name" not in body and not required:
        return None
    value = body.get("name")
    if not isinstance(value, str) or not value.strip():
        raise RespondWith(empty(400))
    return value


class StageAndFilterRoutes:
    def __init__(self, ctx: ConeContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    def routes(self) -> list[Route]:
        a = self.ctx.authed
        return [
            Route("/api/stage", a(self.list_stages), methods=["GET"]),
            Route("/api/stage", a(self.create_stage), methods=["POST"]),
            Route("/api/stage/{id}", a(self.get_stage), methods=["GET"]),
            Route("/api/stage/{id}", a(self.delete_stage), methods=["DELETE"]),
            Route("/api/stage/{id}", a(self.update_stage), methods=["PATCH"]),
            Route("/api/saved-filter", a(self.list_filters), methods=["GET"]),
            Route("/api/saved-filter", a(self.create_filter), methods=["POST"]),
            Route("/api/saved-filter/{id}", a(self.get_filter), methods=["GET"]),
            Route("/api/saved-filter/{id}", a(self.delete_filter), methods=["DELETE"]),
            Route("/api/saved-filter/{id}", a(self.update_filter), methods=["PATCH"]),
        ]

    # -- stages ----------------------------------------------------------------------------
    def _stage(self, request: Request) -> Named:
        stage = self.state.stages.get(request.path_params["id"])
        if stage is None:
            raise RespondWith(empty(404))
        return stage

    async def list_stages(self, _request: Request, _user: User) -> Response:  # L9307
        return ok([_stage_json(s) for s in self.state.stages.values()])

    async def create_stage(self, request: Request, _user: User) -> Response:  # L9427
        body = await json_object(request, empty(400))
        name = _name(body, required=True)
        with self.state.lock:
            now = self.ctx.clock.now()
            stage = Named(self.state.new_id(now), self.state.new_number(), str(name))
            self.state.stages[stage.id] = stage
        return ok(_stage_json(stage), status=201)

    async def get_stage(self, request: Request, _user: User) -> Response:  # L9536
        return ok(_stage_json(self._stage(request)))

    async def delete_stage(self, request: Request, _user: User) -> Response:  # L9622
        stage = self._stage(request)
        in_use = any(
            lead.stage == stage.id and lead.audit.deleted is None
            for lead in self.state.leads.values()
        )
        if in_use:  # "Cannot delete stage that is used in connections or pipelines" (L9633)
            return empty(400)
        with self.state.lock:
            del self.state.stages[stage.id]
        return empty(204)

    async def update_stage(self, request: Request, _user: User) -> Response:  # L9733
        stage = self._stage(request)
        body = await json_object(request, empty(400))
        name = _name(body, required=False)
        if name is not None:
            stage.name = name
        return ok(_stage_json(stage))

    # -- saved filters ---------------------------------------------------------------------
    def _filter(self, request: Request, user: User, *, owner_only: bool) -> SavedFilter:
        saved = self.state.find(self.state.saved_filters, request.path_params["id"])
        if saved is None:
            raise RespondWith(empty(404))
        if saved.owner != user.id and (owner_only or saved.private):
            raise RespondWith(empty(403))  # "Access denied" (L8997, L9079, L9218)
        assert isinstance(saved, SavedFilter)
        return saved

    async def list_filters(self, _request: Request, user: User) -> Response:  # L8720
        visible = [
            _filter_json(f)
            for f in self.state.saved_filters.values()
            if f.owner == user.id or not f.private
        ]
        return ok(visible)

    @staticmethod
    def _filter_fields(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("name", "module", "value"):
            if name in body or creating:
                value = body.get(name)
                if not isinstance(value, str) or (name != "value" and not value.strip()):
                    raise RespondWith(empty(400))
                out[name] = value
        if "private" in body:
            if not isinstance(body["private"], bool):
                raise RespondWith(empty(400))
            out["private"] = body["private"]
        return out

    async def create_filter(self, request: Request, user: User) -> Response:  # L8853
        body = await json_object(request, empty(400))
        fields = self._filter_fields(body, creating=True)
        with self.state.lock:
            now = self.ctx.clock.now()
            saved = SavedFilter(
                id=self.state.new_id(now),
                number=self.state.new_number(),
                name=fields["name"],
                module=fields["module"],
                value=fields["value"],
                owner=user.id,
                private=fields.get("private", False),
            )
            self.state.saved_filters[saved.id] = saved
        return ok(_filter_json(saved), status=201)

    async def get_filter(self, request: Request, user: User) -> Response:  # L8974
        return ok(_filter_json(self._filter(request, user, owner_only=False)))

    async def delete_filter(self, request: Request, user: User) -> Response:  # L9067
        saved = self._filter(request, user, owner_only=True)
        with self.state.lock:
            del self.state.saved_filters[saved.id]
        return empty(204)

    async def update_filter(self, request: Request, user: User) -> Response:  # L9181
        saved = self._filter(request, user, owner_only=True)
        body = await json_object(request, empty(400))
        for name, value in self._filter_fields(body, creating=False).items():
            setattr(saved, name, value)
        return ok(_filter_json(saved))
