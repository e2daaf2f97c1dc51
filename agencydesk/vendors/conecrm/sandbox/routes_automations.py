"""Automations (L3537-L4334). Responses are Automation3 (L20628): no ``id``.

The list's items are Automation2, an object with no documented properties (L3666, L20624);
the sandbox puts the automation's ``id`` and its Automation3 fields there, the only way a
client can learn an id to GET/PATCH/DELETE/duplicate (an assumption).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.conecrm.sandbox.context import ConeContext, json_object
from agencydesk.vendors.conecrm.sandbox.responses import empty, ok
from agencydesk.vendors.conecrm.sandbox.state import Automation, User
from agencydesk.vendors.sandbox_kit.http import RespondWith

TRIGGERS = ["lead.created", "lead.stage_changed", "task.overdue", "contact.created"]
ACTIONS = ["send_email", "send_sms", "create_task", "assign_user", "change_stage", "wait"]
CONDITIONS = ["field_equals", "field_contains", "stage_is", "source_is", "time_elapsed"]


def automation_json(automation: Automation) -> dict[str, Any]:
    """Automation3: ``franchise`` is always null, it can only hold other automations."""
    return {
        "name": automation.name,
        "automationTrigger": automation.trigger,
        "nodes": automation.nodes,
        "edges": automation.edges,
        "franchise": None,
        "delayedAutomationsCount": automation.delayed_count,
    }


def _fields(body: dict[str, Any]) -> dict[str, Any]:
    """Automation3 requires name, automationTrigger and delayedAutomationsCount."""
    name, trigger = body.get("name"), body.get("automationTrigger")
    count = body.get("delayedAutomationsCount")
    valid = (
        isinstance(name, str)
        and name.strip()
        and isinstance(trigger, str)
        and trigger.strip()
        and isinstance(count, int)
        and not isinstance(count, bool)
        and isinstance(body.get("nodes", []), list)
        and isinstance(body.get("edges", []), list)
        and (body.get("franchise") is None or isinstance(body["franchise"], dict))
    )
    if not valid:
        raise RespondWith(empty(400))
    return {
        "name": name,
        "trigger": trigger,
        "nodes": list(body.get("nodes", [])),
        "edges": list(body.get("edges", [])),
        "delayed_count": count,
    }


class AutomationRoutes:
    def __init__(self, ctx: ConeContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    def routes(self) -> list[Route]:
        a = self.ctx.authed
        base = "/api/automation"
        return [
            Route(f"{base}/builder/data", a(self.builder_data), methods=["GET"]),
            Route(base, a(self.list), methods=["GET"]),
            Route(base, a(self.create), methods=["POST"]),
            Route(f"{base}/{{automation}}", a(self.get), methods=["GET"]),
            Route(f"{base}/{{automation}}", a(self.delete), methods=["DELETE"]),
            Route(f"{base}/{{automation}}", a(self.update), methods=["PATCH"]),
            Route(f"{base}/{{automation}}/duplicate", a(self.duplicate), methods=["POST"]),
        ]

    def _automation(self, request: Request) -> Automation:
        automation = self.state.automations.get(request.path_params["automation"])
        if automation is None:
            raise RespondWith(empty(404))
        return automation

    async def builder_data(self, _request: Request, _user: User) -> Response:  # L3537
        return ok({"triggers": TRIGGERS, "actions": ACTIONS, "conditions": CONDITIONS})

    async def list(self, _request: Request, _user: User) -> Response:  # L3650
        return ok([{"id": a.id, **automation_json(a)} for a in self.state.automations.values()])

    async def create(self, request: Request, _user: User) -> Response:  # L3782
        fields = _fields(await json_object(request, empty(400)))
        with self.state.lock:
            automation = Automation(id=self.state.new_id(self.ctx.clock.now()), **fields)
            self.state.automations[automation.id] = automation
        return ok(automation_json(automation))

    async def get(self, request: Request, _user: User) -> Response:  # L3925
        return ok(automation_json(self._automation(request)))

    async def delete(self, request: Request, _user: User) -> Response:  # L4028
        automation = self._automation(request)
        with self.state.lock:
            del self.state.automations[automation.id]
        return empty(200)

    async def update(self, request: Request, _user: User) -> Response:  # L4155
        automation = self._automation(request)
        fields = _fields(await json_object(request, empty(400)))
        for name, value in fields.items():
            setattr(automation, name, value)
        return ok(automation_json(automation))

    async def duplicate(self, request: Request, _user: User) -> Response:  # L4300
        original = self._automation(request)
        with self.state.lock:
            copy = Automation(
                id=self.state.new_id(self.ctx.clock.now()),
                name=f"{original.name} (copy)",
                trigger=original.trigger,
                nodes=list(original.nodes),
                edges=list(original.edges),
                delayed_count=0,
            )
            self.state.automations[copy.id] = copy
        return ok(automation_json(copy))
