"""Sending local changes to Lofty (../shared/vendor-docs/lofty-api.txt, "L…"): leads, notes,
tasks and hand-logged calls/emails/texts. Each update first reads the vendor's record and raises
``Conflict`` when it changed since the edit was made on it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from agencydesk.domain import Channel, Lead, Message, Note, Record, RecordKind, Task, TaskStatus
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import CALL_OUTCOME, PushRequest
from agencydesk.vendors.lofty import history as h
from agencydesk.vendors.lofty import mapping as m
from agencydesk.vendors.lofty.changes import CHANGE_RULE
from agencydesk.vendors.lofty.client import LoftyClient, created_id
from agencydesk.vendors.value_maps import ValueMap

TASK_EDITS = {"title", "task_kind", "due_date", "due_time"}


class _Meanings(Protocol):
    meanings: ValueMap


class LoftyPusher:
    def __init__(self, account: str, client: LoftyClient, meanings: _Meanings) -> None:
        self.account = account
        self.c = client
        self._meanings = meanings  # the connector: its stage mapping may be set after build

    async def push(self, r: PushRequest) -> Record | None:
        handlers = {
            (RecordKind.LEAD, "create"): self._create_lead,
            (RecordKind.LEAD, "update"): self._update_lead,
            (RecordKind.LEAD, "delete"): self._delete_lead,
            (RecordKind.NOTE, "create"): self._create_note,
            (RecordKind.NOTE, "update"): self._update_note,
            (RecordKind.NOTE, "delete"): self._delete_note,
            (RecordKind.TASK, "create"): self._create_task,
            (RecordKind.TASK, "update"): self._update_task,
            (RecordKind.TASK, "delete"): self._delete_task,
            (RecordKind.MESSAGE, "create"): self._log_message,
            (RecordKind.MESSAGE, "delete"): self._delete_logged,
        }
        handler = handlers.get((r.kind, r.op))
        if handler is None:
            raise errors.ValidationFailed(
                m.VENDOR, f"Lofty's API cannot {r.op} a {r.kind}", status=None
            )
        try:
            return await handler(r)
        except FieldUnreadable as exc:
            raise errors.BadPayload(m.VENDOR, r.remote_id, str(exc)) from exc

    def _check(self, kind: RecordKind, r: PushRequest, now: dict[str, Any]) -> None:
        changed = CHANGE_RULE.changed(kind, r.base, now)
        if changed:
            raise errors.Conflict(
                m.VENDOR,
                f"{kind} {r.remote_id} changed in Lofty since it was read ({', '.join(changed)})",
                theirs=now,
            )

    def _refuse(self, changes: dict[str, Any], allowed: set[str], what: str) -> None:
        extra = sorted(set(changes) - allowed)
        if extra:
            raise errors.ValidationFailed(
                m.VENDOR,
                f"Lofty's API cannot change {', '.join(extra)} of a {what}",
                field_errors={f: "cannot be changed through Lofty's API" for f in extra},
                status=None,
            )

    # -- leads -----------------------------------------------------------------------------
    async def _create_lead(self, r: PushRequest) -> Record:
        """POST /v1.0/leads (L632); the answer is the new id (a string)."""
        lead = r.record
        assert isinstance(lead, Lead)
        new_id = created_id(await self.c.send("POST", "/v1.0/leads", m.lead_body(lead)), "lead")
        return m.lead_from(await self.c.lead(new_id), self.account, self._meanings.meanings)

    async def _update_lead(self, r: PushRequest) -> Record:
        """PUT /v1.0/leads/{leadId} (L1065) with only what changed; a new producer through
        POST …/assignment (L1203)."""
        if "status" in r.changes:
            why = "Lofty has pipeline stages, not statuses: change the lead's stage"
            raise errors.ValidationFailed(m.VENDOR, why, field_errors={"status": why}, status=None)
        allowed = set(m.LEAD_EDITS) | set(m.LEAD_LIST_EDITS) | {"tags", "producer"}
        self._refuse(r.changes, allowed, "lead")
        current = await self.c.lead(r.remote_id)
        self._check(RecordKind.LEAD, r, current)
        if "producer" in r.changes:
            await self._assign(r.remote_id, str(r.changes["producer"] or ""))
        body = m.lead_edit_body(current, r.changes)
        if body:
            await self.c.send("PUT", f"/v1.0/leads/{r.remote_id}", body)
        return m.lead_from(await self.c.lead(r.remote_id), self.account, self._meanings.meanings)

    async def _assign(self, lead_id: str, producer: str) -> None:
        """The lead's Agent: a team member by full name, sent as the member's account (email)
        in LeadAssigineeRequest ``{assiginee, role}`` (L3782, the document's spelling)."""
        for member in await self.c.members():
            name = f"{member.get('firstName') or ''} {member.get('lastName') or ''}".strip()
            if name.casefold() == producer.strip().casefold() and member.get("email"):
                body = [{"assiginee": member["email"], "role": "Agent"}]
                await self.c.send("POST", f"/v1.0/leads/{lead_id}/assignment", body)
                return
        raise errors.ValidationFailed(
            m.VENDOR,
            f"no Lofty team member named '{producer}'",
            field_errors={"producer": f"no Lofty team member named '{producer}'"},
            status=None,
        )

    async def _delete_lead(self, r: PushRequest) -> None:
        """DELETE /v1.0/leads/{leadId}?reason= moves the lead to the trash (L1101, L1111)."""
        await self.c.send("DELETE", f"/v1.0/leads/{r.remote_id}", reason="Deleted in AgencyDesk")

    # -- notes -----------------------------------------------------------------------------
    async def _create_note(self, r: PushRequest) -> Record:
        """POST /v1.0/notes (L1702) {leadId, content}; read back to get its noteId's record."""
        note = r.record
        assert isinstance(note, Note)
        lead_id = r.parents.get("parent_id", "")
        if not lead_id or note.parent_kind is not RecordKind.LEAD:
            raise errors.ValidationFailed(
                m.VENDOR, "a Lofty note belongs to a lead that is in Lofty", status=None
            )
        body = {"leadId": int(lead_id), "content": note.body, "isPin": False}
        new_id = created_id(await self.c.send("POST", "/v1.0/notes", body), "note")
        created, _link = m.note_from(await self.c.note(new_id), self.account)
        return created

    async def _update_note(self, r: PushRequest) -> Record:
        """PUT /v1.0/notes/{noteId} (L1793) answers no content: read it back."""
        self._refuse(r.changes, {"body"}, "note")
        current = await self.c.note(r.remote_id)
        self._check(RecordKind.NOTE, r, current)
        body = {
            "leadId": current.get("leadId"),
            "content": r.changes["body"],
            "isPin": bool(current.get("isPin")),
        }
        await self.c.send("PUT", f"/v1.0/notes/{r.remote_id}", body)
        note, _link = m.note_from(await self.c.note(r.remote_id), self.account)
        return note

    async def _delete_note(self, r: PushRequest) -> None:
        await self.c.send("DELETE", f"/v1.0/notes/{r.remote_id}")  # L1829

    # -- tasks -----------------------------------------------------------------------------
    async def _create_task(self, r: PushRequest) -> Record:
        """POST /v1.0/tasks (L1885): a task belongs to a lead."""
        task = r.record
        assert isinstance(task, Task)
        lead_id = r.parents.get("lead_id", "")
        if not lead_id:
            raise errors.ValidationFailed(
                m.VENDOR, "a Lofty task belongs to a lead that is in Lofty", status=None
            )
        if task.status is TaskStatus.DONE:
            raise errors.ValidationFailed(m.VENDOR, _NO_DONE, status=None)
        body = m.task_body(lead_id, task.task_kind, task.title, task.due_date, task.due_time)
        new_id = created_id(await self.c.send("POST", "/v1.0/tasks", body), "task")
        created, _link = m.task_from(await self.c.task(new_id), self.account)
        return created

    async def _update_task(self, r: PushRequest) -> Record:
        """PUT /v1.0/tasks/{taskId} (L1971) with the whole TaskRequest (it has five fields)."""
        if "status" in r.changes:
            raise errors.ValidationFailed(
                m.VENDOR, _NO_DONE, field_errors={"status": _NO_DONE}, status=None
            )
        self._refuse(r.changes, TASK_EDITS, "task")
        current = await self.c.task(r.remote_id)
        self._check(RecordKind.TASK, r, current)
        task, _link = m.task_from(current, self.account)
        merged = {**{k: getattr(task, k) for k in TASK_EDITS}, **r.changes}
        body = m.task_body(
            str(current.get("leadId")),
            merged["task_kind"],
            merged["title"],
            merged["due_date"],
            merged["due_time"],
        )
        # The deadline's time as Lofty holds it, to the second, unless the user changed the
        # time: our "HH:MM" (blank at midnight) would move a task due 00:00 to 09:00.
        due = m.lofty_time(current, "deadline")
        if due is not None and "due_time" not in r.changes:
            day = merged["due_date"]
            if day is not None:
                kept = due.replace(year=day.year, month=day.month, day=day.day)
                body["deadline"] = int(kept.timestamp() * 1000)
        if "task_kind" not in r.changes and current.get("type"):
            body["type"] = current["type"]  # the vendor's own word, kept
        if current.get("assignedRole"):
            body["assignedRole"] = current["assignedRole"]
        await self.c.send("PUT", f"/v1.0/tasks/{r.remote_id}", body)
        updated, _link = m.task_from(await self.c.task(r.remote_id), self.account)
        return updated

    async def _delete_task(self, r: PushRequest) -> None:
        await self.c.send("DELETE", f"/v1.0/tasks/{r.remote_id}")  # L2007

    # -- logged calls, emails, texts -------------------------------------------------------------
    async def _log_message(self, r: PushRequest) -> Record:
        """POST /v1.0/logType (L2669): a call, email or text that happened elsewhere, logged on
        the thread's lead. Lofty cannot send one (digest §9.4)."""
        message = r.record
        assert isinstance(message, Message)
        try:
            lead_id, channel = h.split_thread_id(r.parents.get("thread_id", ""))
        except ValueError:
            raise errors.ValidationFailed(
                m.VENDOR, "log it on a Lofty lead's call, email or text thread", status=None
            ) from None
        kind = h.LOG_KIND[channel]
        body = {
            "leadId": int(lead_id),
            "logType": kind,
            "content": message.body,
            "outboundOrInbound": "Inbound" if message.direction.value == "inbound" else "Outbound",
            "isPin": False,
        }
        # callingOutcome (Talked, VoiceMessage…, L4589) only when the user chose one: "Talked"
        # written for every call recorded a voicemail as a conversation.
        outcome = r.changes.get(CALL_OUTCOME)
        if channel is Channel.CALL and isinstance(outcome, str) and outcome:
            body["callingOutcome"] = outcome
        new_id = created_id(await self.c.send("POST", "/v1.0/logType", body), "logType")
        logged = await self.c.get(f"/v1.0/logType/{new_id}", fg=True)  # L2749
        if not isinstance(logged, dict):
            raise errors.BadPayload(m.VENDOR, new_id, "logType: expected an object")
        read, _thread = h.message_from({**logged, "leadId": int(lead_id)}, self.account, kind)
        # LogTypeResponse has no content (L4609): the text the user wrote is kept here.
        return replace(read, body=message.body or read.body)

    async def _delete_logged(self, r: PushRequest) -> None:
        """DELETE /v1.0/logType/{logTypeId} (L2776); recorded history cannot be deleted."""
        source, _, event_id = r.remote_id.partition(":")
        if not source.startswith("log"):
            raise errors.ValidationFailed(
                m.VENDOR, "only calls, emails and texts logged by hand can be deleted", status=None
            )
        await self.c.send("DELETE", f"/v1.0/logType/{event_id}")


_NO_DONE = "Lofty's API cannot mark a task done or reopen it: do it in Lofty."
