"""Tasks: create (L9864), delete (L10789), update (L10906). There is no list and no detail.

The body is TaskRequest (L15626): bare UUID strings for relations, unlike the lead's ``{"id"}``
objects. Validation answers a bare JSON string, property path then message (L10714-L10715).
PATCH takes the same body with the same required fields, so it replaces the task.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.conecrm.sandbox.context import ConeContext, json_body
from agencydesk.vendors.conecrm.sandbox.responses import empty, ok, parse_iso, violation
from agencydesk.vendors.conecrm.sandbox.serialize import task_json
from agencydesk.vendors.conecrm.sandbox.state import TASK_TYPES, Audit, Task, User
from agencydesk.vendors.sandbox_kit.http import RespondWith

BLANK = "This value should not be blank."


def _uuid(path: str, value: Any, table: dict[str, Any], *, required: bool) -> str | None:
    if value is None or value == "":
        if required:
            raise RespondWith(violation(path, BLANK))
        return None
    try:
        text = str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise RespondWith(violation(path, "This is not a valid UUID.")) from exc
    if text not in table:
        raise RespondWith(violation(path, "This value is not valid."))
    return text


def _when(path: str, value: Any) -> Any:
    try:
        return parse_iso(value)
    except ValueError as exc:
        raise RespondWith(violation(path, "This value is not a valid datetime.")) from exc


class TaskRoutes:
    def __init__(self, ctx: ConeContext) -> None:
        self.ctx = ctx
        self.state = ctx.state

    def routes(self) -> list[Route]:
        a = self.ctx.authed
        return [
            Route("/api/task", a(self.create), methods=["POST"]),
            Route("/api/task/{task}", a(self.delete), methods=["DELETE"]),
            Route("/api/task/{task}", a(self.update), methods=["PATCH"]),
        ]

    async def _request(self, request: Request) -> dict[str, Any]:
        """A validated TaskRequest, in the schema's property order (L15642-L15650)."""
        body = await json_body(request, violation("", "This value should be of type object."))
        if not isinstance(body, dict):
            raise RespondWith(violation("", "This value should be of type object."))
        state = self.state
        task_type = body.get("type")
        if task_type is not None and task_type not in TASK_TYPES:
            raise RespondWith(violation("type", "The value you selected is not a valid choice."))
        fields = {
            "type": task_type or None,
            "assignee": _uuid("assignee", body.get("assignee"), state.users, required=True),
            "start": _when("start", body.get("start")),
            "end": _when("end", body.get("end")),
        }
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise RespondWith(violation("title", BLANK))
        note = body.get("note")
        if note is not None and not isinstance(note, str):
            raise RespondWith(violation("note", "This value should be of type string."))
        fields.update(
            title=title,
            note=note,
            contact=_uuid("contact", body.get("contact"), state.contacts, required=False),
            account=_uuid("account", body.get("account"), state.accounts, required=False),
            connection=_uuid("connection", body.get("connection"), state.leads, required=False),
        )
        return fields

    def _task(self, request: Request, user: User) -> Task:
        task = self.state.tasks.get(request.path_params["task"])
        if task is None or task.audit.deleted is not None:
            raise RespondWith(empty(404))
        # L10799 / L11764: a plain user may change only tasks assigned to or created by them.
        if user.user_type == "USER" and user.id not in (task.assignee, task.audit.created_by):
            raise RespondWith(empty(403))
        return task

    async def create(self, request: Request, user: User) -> Response:  # L9864
        fields = await self._request(request)
        now = self.ctx.clock.now()
        with self.state.lock:
            task = Task(id=self.state.new_id(now), audit=Audit(now, user.id), **fields)
            self.state.tasks[task.id] = task
        return ok(task_json(self.state, task))

    async def update(self, request: Request, user: User) -> Response:  # L10906
        task = self._task(request, user)
        fields = await self._request(request)
        with self.state.lock:
            for name, value in fields.items():  # every field, sent or not: a full replace
                setattr(task, name, value)
            task.edited = True
            task.audit.touch(self.ctx.clock.now(), user.id)
        return ok(task_json(self.state, task))

    async def delete(self, request: Request, user: User) -> Response:  # L10789
        task = self._task(request, user)
        with self.state.lock:
            task.audit.deleted = self.ctx.clock.now()
            task.audit.deleted_by = user.id
        return empty(200)
