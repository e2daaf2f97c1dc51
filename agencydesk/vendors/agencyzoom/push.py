"""Sending one local change to AgencyZoom (the outbox's ``push``). Updates read the vendor's
record first: to find a conflict (it changed since the edit was made) and because the lead PUT
replaces the whole lead (L3923), so the body is what the vendor has now plus the edit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from agencydesk.domain import (
    Customer,
    Lead,
    LeadStatus,
    Note,
    Record,
    RecordKind,
    Task,
    TaskStatus,
    Thread,
)
from agencydesk.vendors.agencyzoom import mapping as m
from agencydesk.vendors.agencyzoom import write_risk
from agencydesk.vendors.agencyzoom.capabilities import CAPABILITIES
from agencydesk.vendors.agencyzoom.changes import CHANGE_RULE, VOLATILE
from agencydesk.vendors.agencyzoom.client import AgencyZoomClient
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.created_ids import real_id
from agencydesk.vendors.connector import CONFIRMED_LOSS, PushRequest
from agencydesk.vendors.write_risk import clears_warning, unconfirmed

LEAD_STATUS_CODE = {  # our status -> the search status code the vendor reads back (L2320)
    LeadStatus.NEW: 0,
    LeadStatus.QUOTED: 1,
    LeadStatus.WON: 2,
    LeadStatus.LOST: 3,
    LeadStatus.CONTACTED: 4,
}


class Pusher:
    """Sends one outbox change. Updates read the vendor's record first: to find a conflict
    (it changed since the edit was made) and because the lead PUT replaces the whole lead
    (L3923), so the body is what the vendor has now plus the edit."""

    def __init__(self, account: str, client: AgencyZoomClient) -> None:
        self.account = account
        self.c = client
        self._lookups: dict[str, list[Any]] = {}

    async def push(self, request: PushRequest) -> Record | None:
        kind, op = request.kind, request.op
        handler = {
            (RecordKind.LEAD, "update"): self._update_lead,
            (RecordKind.LEAD, "create"): self._create_lead,
            (RecordKind.LEAD, "delete"): self._delete_lead,
            (RecordKind.CUSTOMER, "update"): self._update_customer,
            (RecordKind.CUSTOMER, "create"): self._create_customer,
            (RecordKind.CUSTOMER, "delete"): self._delete_customer,
            (RecordKind.TASK, "update"): self._update_task,
            (RecordKind.TASK, "create"): self._create_task,
            (RecordKind.TASK, "delete"): self._delete_task,
            (RecordKind.POLICY, "delete"): self._delete_policy,
            (RecordKind.NOTE, "create"): self._create_note,
            (RecordKind.THREAD, "update"): self._mark_thread,
        }.get((kind, op))
        if handler is None:
            why = CAPABILITIES[kind].why_not or f"AgencyZoom's API cannot {op} a {kind}"
            raise errors.ValidationFailed(m.VENDOR, why, status=None)
        return await handler(request)

    async def _lookup(self, name: str) -> list[Any]:
        if name not in self._lookups:
            self._lookups[name] = await self.c.lookup(name)
        return self._lookups[name]

    async def _employee_id(self, name: str) -> int:
        """An employee by full name (L6016); without one, the agency owner."""
        people = [p for p in await self._lookup("employees") if isinstance(p, dict)]
        for person in people:
            full = f"{person.get('firstname') or ''} {person.get('lastname') or ''}".strip()
            if name and full.lower() == name.lower():
                return int(person["id"])
        if name:
            raise errors.ValidationFailed(
                m.VENDOR, f"no AgencyZoom user named '{name}'", field_errors={"producer": name}
            )
        owner = next((p for p in people if p.get("isOwner")), people[0] if people else None)
        if owner is None:
            raise errors.ValidationFailed(m.VENDOR, "the agency has no users to assign")
        return int(owner["id"])

    def _refuse(self, changes: dict[str, Any], allowed: set[str], what: str) -> None:
        extra = sorted(set(changes) - allowed)
        if extra:
            raise errors.ValidationFailed(
                m.VENDOR,
                f"AgencyZoom's API cannot change {', '.join(extra)} of a {what}",
                field_errors={f: "cannot be changed through AgencyZoom's API" for f in extra},
                status=None,
            )

    def _guard(self, kind: RecordKind, at_risk: list[str], r: PushRequest) -> None:
        """Never a silent loss: fields the vendor would clear unread go only with the user's
        confirmation for this record (``CONFIRMED_LOSS``, set where the edit was queued)."""
        missing = unconfirmed(at_risk, r.changes)
        if missing:
            raise errors.ValidationFailed(
                m.VENDOR,
                clears_warning(m.VENDOR, kind, missing) + ": confirm the edit to send it",
                field_errors={label: "would be cleared by AgencyZoom" for label in missing},
                status=None,
            )

    def _check(self, kind: RecordKind, rid: str, base: dict[str, Any], now: dict[str, Any]) -> None:
        changed = CHANGE_RULE.changed(kind, base, now)
        if changed:
            raise errors.Conflict(
                m.VENDOR,
                f"{kind} {rid} changed in AgencyZoom since it was read ({', '.join(changed)})",
                theirs=now,
            )

    # -- leads -------------------------------------------------------------------------------
    async def _update_lead(self, r: PushRequest) -> Record:
        changes = _edits(r)
        self._refuse(changes, set(m.LEAD_EDITS) | {"status", "stage", "producer"}, "lead")
        current = await self.c.lead(r.remote_id)
        self._check(RecordKind.LEAD, r.remote_id, r.base, current)
        if "business_name" in changes and not m.is_commercial(current):
            raise errors.ValidationFailed(
                m.VENDOR,
                "AgencyZoom keeps a business name only on commercial leads",
                field_errors={"business_name": "this is a personal lead in AgencyZoom"},
                status=None,
            )
        self._guard(RecordKind.LEAD, write_risk.lead_fields_at_risk(current, changes), r)
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        # Tags read back as ids (L3884) but the PUT takes names (L4089) and erases what it
        # lacks; the status change puts ids back (tagIds, L4340), sent unchanged only for an
        # active lead (status 0). Other leads' tags are named by the guard above.
        tags = m.lead_tag_ids(current) if current.get("status") == 0 else []
        replacing = bool(set(changes) & write_risk.PUT_EDITS)
        if replacing:
            body = m.lead_put_body(current, changes)
            if "producer" in changes:
                body["assignTo"] = raw["assignedTo"] = await self._employee_id(changes["producer"])
            commercial = m.is_commercial(current)
            path = f"/v1/api/leads/{r.remote_id}" + ("/update-biz-lead" if commercial else "")
            await self.c.send("PUT", path, body)  # L4089 / L3458
            for ours, value in changes.items():
                if ours in m.LEAD_EDITS and m.LEAD_EDITS[ours] in raw:
                    raw[m.LEAD_EDITS[ours]] = value
        if "status" in changes or "stage" in changes:
            await self._move_lead(r.remote_id, current, changes, raw, tags if replacing else None)
        elif replacing and tags:
            body = {
                "status": 0,
                "workflowId": current.get("workflowId"),
                "workflowStageId": current.get("workflowStageId"),
                "tagIds": tags,
            }
            await self.c.send("PUT", f"/v1/api/leads/{r.remote_id}/status", body)
        return m.lead_from(raw, self.account)

    async def _move_lead(
        self,
        rid: str,
        current: dict[str, Any],
        changes: dict[str, Any],
        raw: dict[str, Any],
        tags: list[int] | None,
    ) -> None:
        """PUT …/status (L4340) knows 0 active, 2 won, 3 lost, 5 x-dated; PUT …/stage (L4439)
        takes the same body, ``status`` required, and moves to ``toStageId``. A stage move alone
        re-sends the lead's own status with what that status carries (loss reason, x-date), so
        only the stage changes (write_risk.py names what cannot be re-sent)."""
        body: dict[str, Any] = {
            "workflowId": current.get("workflowId"),
            "workflowStageId": current.get("workflowStageId"),
        }
        if tags:
            body["tagIds"] = tags  # put back what the PUT just erased
        if "status" in changes:
            status = LeadStatus(changes["status"])
            if status not in m.LEAD_STATUS_CHANGE:  # OTHER: a vendor's own status, never written
                why = f"AgencyZoom has no lead status meaning '{status.value}'"
                raise errors.ValidationFailed(
                    m.VENDOR, why, field_errors={"status": why}, status=None
                )
            body["status"] = m.LEAD_STATUS_CHANGE[status]
            await self.c.send("PUT", f"/v1/api/leads/{rid}/status", body)
            raw["status"] = LEAD_STATUS_CODE[status]
        else:
            body.update(await self._same_status(current))
        if "stage" in changes:
            stage_id = await self._stage_id(current.get("workflowId"), str(changes["stage"]))
            await self.c.send("PUT", f"/v1/api/leads/{rid}/stage", {**body, "toStageId": stage_id})
            raw["workflowStageId"], raw["workflowStageName"] = stage_id, changes["stage"]

    async def _same_status(self, current: dict[str, Any]) -> dict[str, Any]:
        """The status-change fields that leave the lead's status as it is: search statuses 1
        QUOTED and 4 CONTACTED (L2320) have no change value and go as 0 ACTIVE (named at risk
        before queuing); LOST keeps its loss reason (read by name, L3914; ids from L6201);
        XDATED keeps its date and recycle event ("date" is required for it, L4310)."""
        read = current.get("status")
        code = read if isinstance(read, int) else 0
        same: dict[str, Any] = {"status": 0 if code in (1, 4) else code}
        if code == 3 and current.get("lossReason"):
            reasons = [r for r in await self._lookup("loss-reasons") if isinstance(r, dict)]
            found = next((r for r in reasons if r.get("name") == current["lossReason"]), None)
            if found is None:
                raise errors.ValidationFailed(
                    m.VENDOR,
                    clears_warning(m.VENDOR, RecordKind.LEAD, ["Loss reason"]),
                    field_errors={"Loss reason": str(current["lossReason"])},
                    status=None,
                )
            same["lossReasonId"] = found["id"]
        if code == 5:
            same["date"] = current.get("xDate")
            if current.get("xDateType"):
                same["xDateType"] = current["xDateType"]
        return same

    async def _stage_id(self, pipeline_id: Any, stage: str) -> int:
        for pipeline in await self._lookup("pipelines-and-stages"):  # L6351
            if not isinstance(pipeline, dict) or str(pipeline.get("id")) != str(pipeline_id):
                continue
            for item in pipeline.get("stages") or []:
                if isinstance(item, dict) and str(item.get("name", "")).lower() == stage.lower():
                    return int(item["id"])
        raise errors.ValidationFailed(
            m.VENDOR, f"the lead's pipeline has no stage '{stage}'", field_errors={"stage": stage}
        )

    async def _create_lead(self, r: PushRequest) -> Record:
        """POST /v1/api/leads/create (L4692): firstname, email, pipelineId, stageId,
        leadSourceId, assignTo and country are required (changelog 2024.01.18)."""
        lead = r.record
        assert isinstance(lead, Lead)
        pipelines = [p for p in await self._lookup("pipelines-and-stages") if isinstance(p, dict)]
        pipeline = next((p for p in pipelines if p.get("name") == lead.pipeline), None) or (
            pipelines[0] if pipelines else {}
        )
        stages = [s for s in pipeline.get("stages") or [] if isinstance(s, dict)]
        stage = next((s for s in stages if s.get("name") == lead.stage), None) or (
            stages[0] if stages else {}
        )
        sources = [s for s in await self._lookup("lead-sources") if isinstance(s, dict)]
        source = next((s for s in sources if s.get("name") == lead.source), None) or (
            sources[0] if sources else {}
        )
        body = {
            "firstname": lead.first_name,
            "lastname": lead.last_name,
            "email": lead.email,
            "phone": lead.phone,
            "streetAddress": lead.street,
            "city": lead.city,
            "state": lead.state,
            "zip": lead.zip_code,
            "country": "US",
            "pipelineId": pipeline.get("id"),
            "stageId": stage.get("id"),
            "leadSourceId": source.get("id"),
            "assignTo": await self._employee_id(lead.producer),
            "xDate": lead.x_date.isoformat() if lead.x_date else None,
        }
        path = "/v1/api/leads/create"
        if lead.business_name:  # only the commercial create keeps a business name (L3737)
            body["name"] = lead.business_name
            path = "/v1/api/leads/create-biz-lead"
        answer = await self.c.send("POST", path, body)
        new_id = real_id(m.VENDOR, answer, numeric=True)  # 0 or none: MadeNotLinked
        found = await self.c.search(
            "lead", "/v1/api/leads/list", "leads", {"id": new_id, "page": 0, "pageSize": 1}, fg=True
        )
        item = found.items[0] if found.items else await self.c.lead(new_id)
        # The business name is written but never read back (write_risk.py): kept as typed.
        return replace(m.lead_from(item, self.account), business_name=lead.business_name)

    async def _delete_lead(self, r: PushRequest) -> None:
        """POST /v1/api/leads/{leadId}/delete-lead (L4820), keeping the contacts."""
        await self.c.send(
            "POST", f"/v1/api/leads/{r.remote_id}/delete-lead", {"deleteContact": False}
        )

    # -- customers -----------------------------------------------------------------------------
    async def _update_customer(self, r: PushRequest) -> Record:
        changes = _edits(r)
        self._refuse(changes, set(m.CUSTOMER_EDITS) | {"producer"}, "customer")
        current = await self.c.customer(r.remote_id)
        self._check(RecordKind.CUSTOMER, r.remote_id, r.base, current)
        body = m.customer_put_body(changes)
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        if "producer" in changes:
            body["agentId"] = raw["agentId"] = await self._employee_id(changes["producer"])
        await self.c.send("PUT", f"/v1/api/customers/{r.remote_id}", body)  # L643
        for ours, value in changes.items():
            if ours in m.CUSTOMER_EDITS:
                raw[m.CUSTOMER_EDITS[ours]] = value
        return m.customer_from(raw, self.account, {})

    async def _create_customer(self, r: PushRequest) -> Record:
        """POST /v1/api/customers/create (L1075): firstname, email and agentId required."""
        customer = r.record
        assert isinstance(customer, Customer)
        body = {
            "firstname": customer.first_name or customer.business_name,
            "lastname": customer.last_name,
            "email": customer.email,
            "phone": customer.phone,
            "streetAddress": customer.street,
            "city": customer.city,
            "state": customer.state,
            "zip": customer.zip_code,
            "agentId": await self._employee_id(customer.producer),
            "birthday": customer.birth_date.strftime("%m/%d/%Y") if customer.birth_date else None,
        }
        answer = await self.c.send("POST", "/v1/api/customers/create", body)
        new_id = real_id(m.VENDOR, answer, numeric=True)  # 0 or none: MadeNotLinked
        detail = await self.c.customer(new_id)
        item = {
            k: v
            for k, v in detail.items()
            if k not in VOLATILE[RecordKind.CUSTOMER] or k == "totalPremium"
        }
        return m.customer_from(item, self.account, {})

    async def _delete_customer(self, r: PushRequest) -> None:
        await self.c.send("DELETE", f"/v1/api/customers/{r.remote_id}")  # L706

    # -- tasks ---------------------------------------------------------------------------------
    async def _update_task(self, r: PushRequest) -> Record:
        changes = _edits(r)
        allowed = {"title", "comments", "due_date", "due_time", "status"}
        if "status" in changes:  # the time it was done follows the status: AgencyZoom stamps it
            allowed.add("completed_at")
        self._refuse(changes, allowed, "task")
        current = await self.c.task(r.remote_id)
        self._check(RecordKind.TASK, r.remote_id, r.base, current)
        self._guard(RecordKind.TASK, write_risk.task_fields_at_risk(current, changes), r)
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        body = m.task_put_body(current, changes)
        if body:
            await self.c.send("PUT", f"/v1/api/tasks/{r.remote_id}", body)  # L6776
            for ours in ("title", "comments"):
                if ours in changes:
                    raw[ours] = changes[ours]
            if "dueDatetime" in body:
                day = (body["dueDatetime"] or "")[:10] or None
                raw["dueDate"] = raw["taskDateTime"] = day  # read back as a day (L6688)
        if "status" in changes:
            done = TaskStatus(changes["status"]) is TaskStatus.DONE
            if done:  # L6856
                await self.c.send("PUT", f"/v1/api/tasks/{r.remote_id}/completed")
            else:  # L6932: no field is required; ``comments`` sent would replace the task's
                await self.c.send("PUT", f"/v1/api/tasks/{r.remote_id}/reopened", {})
            raw["status"] = 1 if done else 0
            if done and not raw.get("completeDate"):
                raw["completeDate"] = datetime.now(UTC).date().isoformat()
        task, _link = m.task_from(raw, self.account)
        if isinstance(r.record, Task):  # the time the read cannot give back: as the user has it
            task = replace(task, due_time=r.record.due_time)
        return task

    async def _create_task(self, r: PushRequest) -> Record:
        """POST /v1/api/tasks (L6623), linked by ``leadId`` or ``customerId``."""
        task = r.record
        assert isinstance(task, Task)
        body: dict[str, Any] = {
            "title": task.title,
            "comments": task.comments,
            "type": task.task_kind.value,  # todo/email/call/meeting, the same words (L6606)
            "dueDatetime": f"{task.due_date.isoformat()} {task.due_time or '00:00'}:00"
            if task.due_date
            else None,
            "timeSpecific": bool(task.due_time),
        }
        if r.parents.get("lead_id"):
            body["leadId"] = int(r.parents["lead_id"])
        if r.parents.get("customer_id"):
            body["customerId"] = int(r.parents["customer_id"])
        answer = await self.c.send("POST", "/v1/api/tasks", body)
        new_id = real_id(m.VENDOR, answer, numeric=True)  # 0 or none: MadeNotLinked
        created, _link = m.task_from(await self.c.task(new_id), self.account)
        return created

    async def _delete_task(self, r: PushRequest) -> None:
        await self.c.send("DELETE", f"/v1/api/tasks/{r.remote_id}")  # L6828

    async def _delete_policy(self, r: PushRequest) -> None:
        """DELETE /v1/api/customers/{customerId}/policies/{policyId} (L784), the only one."""
        customer_id, policy_id = m.split_policy_id(r.remote_id)
        if policy_id.startswith("ams:"):
            raise errors.ValidationFailed(
                m.VENDOR, "AMS policies come from the agency's AMS: delete it there", status=None
            )
        await self.c.send("DELETE", f"/v1/api/customers/{customer_id}/policies/{policy_id}")

    async def _create_note(self, r: PushRequest) -> Record | None:
        """POST …/leads/{leadId}/notes (L4254) or …/customers/{customerId}/notes (L853). A lead
        note is read back (notes have no id: ours is made from its content)."""
        note = r.record
        assert isinstance(note, Note)
        parent = r.parents.get("parent_id", "")
        if not parent:
            raise errors.ValidationFailed(
                m.VENDOR, "the note's lead or customer is not in AgencyZoom yet"
            )
        owner = "leads" if note.parent_kind is RecordKind.LEAD else "customers"
        await self.c.send("POST", f"/v1/api/{owner}/{parent}/notes", {"note": note.body})
        if owner != "leads":
            return None  # customer notes cannot be read back (no list, vendor-notes §5.5)
        for item in reversed(await self.c.lead_notes(parent)):
            if isinstance(item, dict) and item.get("body") == note.body:
                return m.note_from(item, self.account, parent)
        return None

    async def _mark_thread(self, r: PushRequest) -> Record | None:
        """Read or unread, the one change the API makes to a thread: POST
        /v1/api/email-thread/unread-thread (L1714) or /text-thread/unread-thread (L2086) with
        ``{threadId, markUnread}``; it answers ``{threadId, success}`` (L1744)."""
        self._refuse(_edits(r), {"unread"}, "conversation")
        channel, _, thread_id = r.remote_id.partition(":")
        if channel not in ("email", "text") or not thread_id:
            raise errors.ValidationFailed(m.VENDOR, f"not an AgencyZoom thread: {r.remote_id}")
        unread = bool(r.changes["unread"])
        answer = await self.c.http.request_json(
            "POST",
            f"/v1/api/{channel}-thread/unread-thread",
            idempotent=True,  # marking read twice changes nothing
            json={"threadId": thread_id, "markUnread": unread},
        )
        if not isinstance(answer, dict) or answer.get("success") is not True:
            raise errors.ValidationFailed(
                m.VENDOR, f"AgencyZoom did not mark the conversation {'un' if unread else ''}read"
            )
        thread = r.record
        return replace(thread, unread=unread) if isinstance(thread, Thread) else None


def _edits(r: PushRequest) -> dict[str, Any]:
    """The user's edits, without the confirmation that rides along with them."""
    return {k: v for k, v in r.changes.items() if k != CONFIRMED_LOSS}
