"""Task Management routes (L6537-L6932)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox import shapes
from agencydesk.vendors.agencyzoom.sandbox.common import (
    day_range,
    descending,
    envelope,
    fail,
    field_value,
    id_filter,
    in_range,
    paging,
    parse_day,
    parse_write,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.records import Task, TaskWrite
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState
from agencydesk.vendors.sandbox_kit.http import json_response

TASK_TYPES = ("todo", "email", "call", "meeting")  # L6623
PERIODS = ("past-due-rotting", "past-due", "remainder-week", "next-week", "today")  # L6537


def due_of(t: Task) -> datetime | None:
    if not t.data.dueDatetime:
        return None
    try:
        return datetime.strptime(t.data.dueDatetime[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        day = parse_day(t.data.dueDatetime[:10], "dueDatetime")
        return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def in_period(t: Task, period: str, now: datetime) -> bool:
    """The presets of L6537 (ASSUMPTIONS: "rotting" is more than 7 days past due; weeks start
    on Monday; days are UTC)."""
    due = due_of(t)
    if due is None:
        return False
    today = datetime(now.year, now.month, now.day, tzinfo=UTC)
    week_end = today + timedelta(days=7 - today.weekday())
    if period == "today":
        return today <= due < today + timedelta(days=1)
    if period == "past-due":
        return t.status == 0 and due < now
    if period == "past-due-rotting":
        return t.status == 0 and due < now - timedelta(days=7)
    if period == "remainder-week":
        return now <= due < week_end
    return week_end <= due < week_end + timedelta(days=7)  # next-week


def _source_of(st: AgencyZoomState, t: Task) -> int | None:
    if t.data.leadId in st.leads:
        return st.leads[t.data.leadId].data.leadSourceId
    if t.data.customerId in st.customers:
        return st.customers[t.data.customerId].lead_source_id
    return None


def validate(st: AgencyZoomState, data: TaskWrite) -> TaskWrite:
    """Nothing is marked required (L6560-L6620); the values sent must make sense, and
    ``contactEmail`` "used to find the matching lead or customer" links the task. The request
    sample sends 0 for links it does not use (L6650): 0 means none (ASSUMPTIONS: zero ids)."""
    for name in ("customerId", "leadId", "lifeProfessionalId", "assigneeId"):
        if getattr(data, name) == 0:
            setattr(data, name, None)
    if data.type is not None and data.type not in TASK_TYPES:
        raise fail('type must be one of "todo", "email", "call", "meeting"')
    if data.assigneeId is not None and data.assigneeId not in st.employees:
        raise fail(f"assigneeId {data.assigneeId} is not an employee")
    if data.leadId is not None and data.leadId not in st.leads:
        raise fail(f"leadId {data.leadId} does not exist")
    if data.customerId is not None and data.customerId not in st.customers:
        raise fail(f"customerId {data.customerId} does not exist")
    if data.dueDatetime:
        try:
            datetime.strptime(data.dueDatetime, "%Y-%m-%d %H:%M:%S")
        except ValueError as exc:
            raise fail("dueDatetime must be yyyy-MM-dd HH:mm:ss") from exc
    if data.contactEmail and data.leadId is None and data.customerId is None:
        email = data.contactEmail.lower()
        customer = next(
            (c for c in st.customers.values() if (c.data.email or "").lower() == email), None
        )
        lead = (
            None
            if customer
            else next(
                (ld for ld in st.leads.values() if (ld.data.email or "").lower() == email), None
            )
        )
        data.customerId = customer.id if customer else None
        data.leadId = lead.id if lead else None
    return data


def get_task(ctx: Ctx) -> Task:
    tid = ctx.path_int("taskId")
    task = ctx.state.tasks.get(tid)
    if task is None:
        raise fail(f"task {tid} not found")
    return task


@route("POST", "/v1/api/tasks/list", 6537)  # L6537
async def search(ctx: Ctx) -> Response:
    """Max 200 per page; answers ``outstandingCount`` (open tasks among the matches,
    ASSUMPTIONS)."""
    body = await ctx.body(allow_empty=True)
    page = paging(body, 200)
    st, now = ctx.state, ctx.clock.now()
    kind = field_value(body, "type", str)
    if kind not in (None, "", "sales", "onboarding"):
        raise fail('type must be "sales" or "onboarding"')
    assignee = id_filter(body, "assigneeId")
    professional = id_filter(body, "lifeProfessionalId")
    status = field_value(body, "status", int)
    if status not in (None, 0, 1):
        raise fail("status must be 0 or 1")
    period = field_value(body, "period", str)
    if period not in (None, "", *PERIODS):
        raise fail("period is not a known period")
    source = id_filter(body, "leadSourceId")
    category = id_filter(body, "leadSourceCategoryId")
    lo, hi = day_range(
        parse_day(body.get("startDate"), "startDate"), parse_day(body.get("endDate"), "endDate")
    )

    def matches(t: Task) -> bool:
        if kind and t.kind != kind:
            return False
        if assignee is not None and t.data.assigneeId != assignee:
            return False
        if professional is not None and t.data.lifeProfessionalId != professional:
            return False
        if status is not None and t.status != status:
            return False
        if period and not in_period(t, period, now):
            return False
        if source is not None or category is not None:
            src = st.lookups.lead_source(_source_of(st, t))
            if source is not None and (src is None or src.id != source):
                return False
            if category is not None and (src is None or src.category_id != category):
                return False
        return not (lo or hi) or in_range(t.created, lo, hi)

    sort = body.get("sort")
    keys = {
        "dueDate": lambda t: (due_of(t) or now, t.id),
        "createDate": lambda t: (t.created, t.id),
        "title": lambda t: ((t.data.title or "").lower(), t.id),
    }
    found = [t for t in st.tasks.values() if matches(t)]
    found.sort(
        key=keys.get(sort if isinstance(sort, str) else "", lambda t: (t.id,)),
        reverse=descending(body),
    )
    items = [shapes.task(st, t, ctx.faults.take_wrong_types()) for t in page.slice(found)]
    outstanding = sum(1 for t in found if t.status == 0)
    return envelope("tasks", items, len(found), page, outstandingCount=outstanding)


@route("POST", "/v1/api/tasks", 6623)  # L6623
async def create(ctx: Ctx) -> Response:
    data = validate(ctx.state, parse_write(TaskWrite, await ctx.body()))
    now = ctx.clock.now()
    tid = ctx.state.next_id("task")
    kind = "onboarding" if data.customerId is not None and data.leadId is None else "sales"
    ctx.state.tasks[tid] = Task(tid, data, 0, now, now, kind=kind)
    _lead_activity(ctx, ctx.state.tasks[tid])
    return std("Task created", tid)


@route("GET", "/v1/api/tasks/{taskId}", 6674)  # L6674
async def detail(ctx: Ctx) -> Response:
    return json_response(shapes.task(ctx.state, get_task(ctx), ctx.faults.take_wrong_types()))


@route("PUT", "/v1/api/tasks/{taskId}", 6776)  # L6776
async def update(ctx: Ctx) -> Response:
    """Fields sent replace, others stay (ASSUMPTIONS: task update merges); ``status`` 0/1."""
    task = get_task(ctx)
    body = await ctx.body()
    status = field_value(body, "status", int)
    if status not in (None, 0, 1):
        raise fail("status must be 0 or 1")
    task.data = validate(ctx.state, parse_write(TaskWrite, body, keep=task.data))
    if status is not None and status != task.status:
        _set_status(ctx, task, status)
    _lead_activity(ctx, task)
    return std("Task updated", task.id)


def _lead_activity(ctx: Ctx, task: Task) -> None:
    """Work on a lead's task is activity on the lead: it shows in ``lastActivityDate`` and so
    in the incremental lead search (ASSUMPTIONS: lead activity)."""
    lead = ctx.state.leads.get(task.data.leadId) if task.data.leadId is not None else None
    if lead is not None:
        lead.last_activity = ctx.clock.now()
    ctx.state.touch()


def _set_status(ctx: Ctx, task: Task, status: int) -> None:
    task.status = status
    task.completed = ctx.clock.now() if status == 1 else None
    task.completed_by_employee = status == 1


@route("DELETE", "/v1/api/tasks/{taskId}", 6828)  # L6828
async def delete(ctx: Ctx) -> Response:
    task = get_task(ctx)
    del ctx.state.tasks[task.id]
    ctx.state.touch()
    return std("Task deleted", task.id)


@route("PUT", "/v1/api/tasks/{taskId}/completed", 6856)  # L6856
async def complete(ctx: Ctx) -> Response:
    task = get_task(ctx)
    _set_status(ctx, task, 1)
    _lead_activity(ctx, task)
    return std("Task completed", task.id)


@route("PUT", "/v1/api/tasks/{taskId}/reopened", 6932)  # L6932
async def reopen(ctx: Ctx) -> Response:
    task = get_task(ctx)
    body: dict[str, Any] = await ctx.body(allow_empty=True)
    comments = field_value(body, "comments", str)
    if comments is not None:
        task.data.comments = comments
    _set_status(ctx, task, 0)
    _lead_activity(ctx, task)
    return std("Task reopened", task.id)


@route("POST", "/v1/api/tasks/batch-delete", 6885)  # L6885
async def batch_delete(ctx: Ctx) -> Response:
    """All or nothing: an unknown id deletes none (ASSUMPTIONS: batch)."""
    body = await ctx.body()
    ids = field_value(body, "taskIds", list[int], required=True)
    if not ids:
        raise fail("taskIds is required")
    missing = [i for i in ids if i not in ctx.state.tasks]
    if missing:
        raise fail(f"tasks not found: {missing}")
    for i in set(ids):
        del ctx.state.tasks[i]
    ctx.state.touch()
    return std(f"{len(set(ids))} tasks deleted", ids[-1])
