"""Sending one local change to AgencyZoom (the outbox's ``push``). Updates read the vendor's
record first: to find a conflict (it changed since the edit was made) and because the lead PUT
replaces the whole lead (L3923), so the body is what the vendor has now plus the edit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agencydesk.domain import Customer, Lead, LeadStatus, Note, Record, RecordKind, Task, TaskStatus
from agencydesk.vendors.agencyzoom import mapping as m
from agencydesk.vendors.agencyzoom.capabilities import CAPABILITIES
from agencydesk.vendors.agencyzoom.client import AgencyZoomClient
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.created_ids import real_id
from agencydesk.vendors.connector import PushRequest

# Fields that change without anyone editing the record (activity, totals, names looked up from
# ids): a difference there is not a conflict.
VOLATILE = {
    RecordKind.LEAD: frozenset(
        [
            "lastActivityDate",
            "enterStageDate",
            "taskCount",
            "premium",
            "quoted",
            "totalOpportunityPremium",
            "totalQuotePremium",
            "totalPolicyPremium",
            "opportunities",
            "quotes",
            "leadSourceName",
            "assignToFirstname",
            "assignToLastname",
            "workflowName",
            "workflowStageName",
            "csrFirstname",
            "csrLastname",
            "creditToFirstname",
            "creditToLastname",
        ]
    ),
    RecordKind.CUSTOMER: frozenset(["totalPremium", "policies", "notes", "tasks", "files"]),
    RecordKind.TASK: frozenset(["assignedDate"]),
}
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

    def _check(self, kind: RecordKind, rid: str, base: dict[str, Any], now: dict[str, Any]) -> None:
        volatile = VOLATILE.get(kind, frozenset())
        changed = sorted(k for k in base if k in now and k not in volatile and base[k] != now[k])
        if changed:
            raise errors.Conflict(
                m.VENDOR,
                f"{kind} {rid} changed in AgencyZoom since it was read ({', '.join(changed)})",
                theirs=now,
            )

    # -- leads -------------------------------------------------------------------------------
    async def _update_lead(self, r: PushRequest) -> Record:
        changes = r.changes
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
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        tags = [t for t in current.get("tagNames") or [] if isinstance(t, int)]
        replacing = bool(set(changes) & (set(m.LEAD_EDITS) | {"producer"}))
        if replacing and tags and current.get("status") != 0:
            # Tags read back as ids (L3884) but the PUT takes names (L4089) and erases what it
            # lacks; only the status change puts ids back (tagIds, L4340), and only status 0 is
            # sent back unchanged by it. Refuse rather than lose the tags.
            raise errors.ValidationFailed(
                m.VENDOR,
                "AgencyZoom's API would drop this lead's tags on this edit: make it in AgencyZoom",
                field_errors={"tags": "kept only by AgencyZoom itself for this lead"},
                status=None,
            )
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
        """PUT …/status (L4340) knows 0 active, 2 won, 3 lost; PUT …/stage (L4439) moves to a
        stage of the lead's pipeline by ``toStageId``."""
        status = LeadStatus(
            changes.get("status") or m.LEAD_STATUS.get(current.get("status") or 0, LeadStatus.NEW)
        )
        body: dict[str, Any] = {
            "status": m.LEAD_STATUS_CHANGE[status],
            "workflowId": current.get("workflowId"),
            "workflowStageId": current.get("workflowStageId"),
        }
        if tags:
            body["tagIds"] = tags  # put back what the PUT just erased
        if "status" in changes:
            await self.c.send("PUT", f"/v1/api/leads/{rid}/status", body)
            raw["status"] = LEAD_STATUS_CODE[status]
        if "stage" in changes:
            stage_id = await self._stage_id(current.get("workflowId"), str(changes["stage"]))
            await self.c.send("PUT", f"/v1/api/leads/{rid}/stage", {**body, "toStageId": stage_id})
            raw["workflowStageId"], raw["workflowStageName"] = stage_id, changes["stage"]

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
        answer = await self.c.send("POST", "/v1/api/leads/create", body)
        new_id = real_id(m.VENDOR, answer, numeric=True)  # 0 or none: MadeNotLinked
        found = await self.c.search(
            "lead", "/v1/api/leads/list", "leads", {"id": new_id, "page": 0, "pageSize": 1}, fg=True
        )
        item = found.items[0] if found.items else await self.c.lead(new_id)
        return m.lead_from(item, self.account)

    async def _delete_lead(self, r: PushRequest) -> None:
        """POST /v1/api/leads/{leadId}/delete-lead (L4820), keeping the contacts."""
        await self.c.send(
            "POST", f"/v1/api/leads/{r.remote_id}/delete-lead", {"deleteContact": False}
        )

    # -- customers -----------------------------------------------------------------------------
    async def _update_customer(self, r: PushRequest) -> Record:
        self._refuse(r.changes, set(m.CUSTOMER_EDITS) | {"producer"}, "customer")
        current = await self.c.customer(r.remote_id)
        self._check(RecordKind.CUSTOMER, r.remote_id, r.base, current)
        body = m.customer_put_body(current, r.changes)
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        if "producer" in r.changes:
            body["agentId"] = raw["agentId"] = await self._employee_id(r.changes["producer"])
        await self.c.send("PUT", f"/v1/api/customers/{r.remote_id}", body)  # L643
        for ours, value in r.changes.items():
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
        self._refuse(r.changes, {"title", "comments", "due_date", "status"}, "task")
        current = await self.c.task(r.remote_id)
        self._check(RecordKind.TASK, r.remote_id, r.base, current)
        raw = {k: current.get(k, v) for k, v in r.base.items()}
        if set(r.changes) - {"status"}:
            await self.c.send(
                "PUT", f"/v1/api/tasks/{r.remote_id}", m.task_put_body(current, r.changes)
            )
            for ours, name in (("title", "title"), ("comments", "comments")):
                if ours in r.changes:
                    raw[name] = r.changes[ours]
            if "due_date" in r.changes:
                raw["dueDate"] = raw["taskDateTime"] = r.changes["due_date"]
        if "status" in r.changes:
            done = TaskStatus(r.changes["status"]) is TaskStatus.DONE
            if done:  # L6856
                await self.c.send("PUT", f"/v1/api/tasks/{r.remote_id}/completed")
            else:  # L6932
                await self.c.send("PUT", f"/v1/api/tasks/{r.remote_id}/reopened", {"comments": ""})
            raw["status"] = 1 if done else 0
            if done and not raw.get("completeDate"):
                raw["completeDate"] = datetime.now(UTC).date().isoformat()
        task, _link = m.task_from(raw, self.account)
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
