"""How ConeCRM's connector sends one outbox change (conecrm-api.txt, "L…"): accounts are
created, changed with a partial PATCH after a conflict check, and deleted; contacts are
read-only; leads are read-only (capabilities says why there is no create from here); tasks
are created, replaced in full from the stored payload plus the edit, and deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agencydesk.domain import Customer, Record, RecordKind, Task, TaskStatus
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.conecrm import mapping as m
from agencydesk.vendors.conecrm import task_mapping as tm
from agencydesk.vendors.conecrm import write_risk
from agencydesk.vendors.conecrm.capabilities import CAPABILITIES
from agencydesk.vendors.conecrm.changes import CHANGE_RULE
from agencydesk.vendors.conecrm.client import VENDOR
from agencydesk.vendors.conecrm.reconcile import created_account_id
from agencydesk.vendors.connector import CONFIRMED_LOSS, PushRequest

if TYPE_CHECKING:
    from agencydesk.vendors.conecrm.connector import ConeCrmConnector

TASK_EDITS = {"title", "comments", "due_date", "due_time", "task_kind", "status"}


class ConePusher:
    def __init__(self, connector: ConeCrmConnector) -> None:
        self.c = connector

    async def push(self, request: PushRequest) -> Record | None:
        handler = {
            (RecordKind.CUSTOMER, "create"): self._create_account,
            (RecordKind.CUSTOMER, "update"): self._update_account,
            (RecordKind.CUSTOMER, "delete"): self._delete_account,
            (RecordKind.TASK, "create"): self._create_task,
            (RecordKind.TASK, "update"): self._update_task,
            (RecordKind.TASK, "delete"): self._delete_task,
        }.get((request.kind, request.op))
        if handler is None:
            why = CAPABILITIES[request.kind].why_not or f"ConeCRM's API cannot {request.op} this"
            raise errors.ValidationFailed(VENDOR, why, status=None)
        return await handler(request)

    def _account_id(self, remote_id: str) -> str:
        kind, uid = m.split_customer_id(remote_id)
        if kind != "account":
            raise errors.ValidationFailed(VENDOR, CAPABILITIES[RecordKind.CUSTOMER].why_not)
        return uid

    async def _create_account(self, r: PushRequest) -> Record:
        assert isinstance(r.record, Customer)
        answer = await self.c.client.create_account(m.new_account_body(r.record))
        created_account_id(answer)  # made without a usable id: MadeNotLinked (issue 15)
        return _mapped(m.account_from, answer, self.c.account)

    async def _update_account(self, r: PushRequest) -> Record:
        uid = self._account_id(r.remote_id)
        body = m.account_body(r.changes, r.base)
        current = await self._current_account(uid, str(r.base.get("name") or ""))
        changed = CHANGE_RULE.changed(RecordKind.CUSTOMER, r.base, current)
        if changed:
            raise errors.Conflict(
                VENDOR,
                f"account {uid} changed in ConeCRM since it was read ({', '.join(changed)})",
                theirs=current,
            )
        return _mapped(
            m.account_from, await self.c.client.update_account(uid, body), self.c.account
        )

    async def _current_account(self, uid: str, name: str) -> dict[str, Any]:
        """No single-account read exists: search by name (L104), else list them all."""
        for search in ([name] if name else []) + [""]:
            async for items in self.c.client.iter_accounts(search=search):
                for item in items:
                    if isinstance(item, dict) and item.get("id") == uid:
                        return item
        raise errors.NotFound(VENDOR, f"account {uid} is no longer in ConeCRM")

    async def _delete_account(self, r: PushRequest) -> None:
        await self.c.client.delete_account(self._account_id(r.remote_id))

    def _assignee(self) -> str:
        if not m.UUID.match(self.c.user_id):
            raise errors.ValidationFailed(
                VENDOR,
                "ConeCRM needs the user a task is assigned to: set the account's ConeCRM user id",
                field_errors={"assignee": "unknown ConeCRM user"},
            )
        return self.c.user_id

    async def _create_task(self, r: PushRequest) -> Record:
        task = r.record
        assert isinstance(task, Task)
        if task.status is TaskStatus.DONE:
            raise errors.ValidationFailed(VENDOR, CAPABILITIES[RecordKind.TASK].why_not)
        body = tm.new_task_body(task, self._assignee(), r.parents)
        return _mapped(tm.task_from, await self.c.client.create_task(body), self.c.account)

    async def _update_task(self, r: PushRequest) -> Record:
        changes = {k: v for k, v in r.changes.items() if k != CONFIRMED_LOSS}
        extra = sorted(set(changes) - TASK_EDITS)
        done = "status" in changes and TaskStatus(changes["status"]) is TaskStatus.DONE
        if extra or done:
            names = extra or ["status"]
            raise errors.ValidationFailed(
                VENDOR,
                f"ConeCRM's API cannot change {', '.join(names)} of a task"
                + (": it cannot mark tasks done" if done else ""),
                field_errors={f: "cannot be changed through ConeCRM's API" for f in names},
                status=None,
            )
        risky = write_risk.unconfirmed(RecordKind.TASK, r.record, r.changes)
        if risky:  # the PATCH replaces the task, which cannot be read first (write_risk.py)
            raise errors.ValidationFailed(
                VENDOR,
                write_risk.warning(risky),
                field_errors={label: "would be set back unread" for label in risky},
                status=None,
            )
        body = tm.task_update_body(r.base, changes)
        body["assignee"] = body["assignee"] or self._assignee()
        try:
            answer = await self.c.client.update_task(r.remote_id, body)
        except errors.PermissionDenied as exc:
            raise _not_allowed(exc, "edit", r) from exc
        return _mapped(tm.task_from, answer, self.c.account)

    async def _delete_task(self, r: PushRequest) -> None:
        try:
            await self.c.client.delete_task(r.remote_id)
        except errors.PermissionDenied as exc:
            raise _not_allowed(exc, "delete", r) from exc


def _not_allowed(
    exc: errors.PermissionDenied, verb: str, r: PushRequest
) -> errors.PermissionDenied:
    """ConeCRM's 403 on a task's PATCH or DELETE comes without a body: the document says only
    "Not authorized to edit this task" (L11764) / "Not authorized to delete this task" (L10799),
    which the user hears in plain words, the task named, with what they can do."""
    title = r.record.title if isinstance(r.record, Task) else str(r.base.get("title") or "")
    task = f'the task "{title}"' if title else "this task"
    if verb == "delete":
        what_then = "delete it (or to give that user the right, then Retry), or Discard to keep it"
    else:
        what_then = (
            "make the change (or to give that user the right, then Retry), or Discard to keep "
            "the task as it is in ConeCRM"
        )
    return errors.PermissionDenied(
        VENDOR,
        f"ConeCRM did not let you {verb} {task}: the ConeCRM user this account signs in as may "
        f"not {verb} it. Ask a ConeCRM admin to {what_then}.",
        status=exc.status,
    )


def _mapped(
    read: Callable[[dict[str, Any], str], Record], answer: dict[str, Any], account: str
) -> Record:
    try:
        return read(answer, account)
    except FieldUnreadable as exc:
        raise errors.BadPayload(VENDOR, str(answer.get("id", "")), str(exc)) from exc
