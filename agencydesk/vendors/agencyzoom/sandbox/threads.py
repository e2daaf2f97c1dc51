"""Thread routes (L1680-L2242): email and text conversations, listed and read, marked
(un)read, deleted. The document offers no way to send. Item shapes are ASSUMPTIONS (the
document collapses ``threadInfo`` and ``messageInfo``)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from agencydesk.vendors.agencyzoom.sandbox import shapes
from agencydesk.vendors.agencyzoom.sandbox.common import (
    fail,
    field_value,
    paging,
    parse_day,
    std,
)
from agencydesk.vendors.agencyzoom.sandbox.records import Message, Thread
from agencydesk.vendors.agencyzoom.sandbox.routing import Ctx, route
from agencydesk.vendors.sandbox_kit.http import json_response


def _last(t: Thread) -> Any:
    live = t.live_messages()
    return live[-1].sent if live else None


def _list(ctx: Ctx, channel: str, body: dict[str, Any]) -> Response:
    """Filters: ``searchTerm``, ``from``, ``agentSelect``, ``status`` (ASSUMPTIONS: 1 unread,
    0 read), ``lastDateUTC`` (last message on or after), ``accountId``,
    ``isIncludeEmptyThreads``. Newest first unless ``order`` is "asc". No totalCount (L1680)."""
    page = paging(body, 500)
    term = (field_value(body, "searchTerm", str) or "").lower()
    sender = (field_value(body, "from", str) or "").lower()
    agent = field_value(body, "agentSelect", str)
    status = field_value(body, "status", int)
    since = parse_day(body.get("lastDateUTC"), "lastDateUTC")
    account = field_value(body, "accountId", str)
    with_empty = bool(field_value(body, "isIncludeEmptyThreads", bool))

    def matches(t: Thread) -> bool:
        if t.deleted or t.channel != channel:
            return False
        last = _last(t)
        if last is None and not with_empty:
            return False
        if (
            term
            and term not in f"{t.subject} {t.contact_name} {t.contact}".lower()
            and not any(term in m.body.lower() for m in t.live_messages())
        ):
            return False
        if sender and not t.contact.lower().startswith(sender):
            return False
        if agent and str(t.agent_id) != agent:
            return False
        if status is not None and t.unread != (status == 1):
            return False
        if since and (last is None or last.date() < since):
            return False
        return not account or t.account_id == account

    found = [t for t in ctx.state.threads.values() if matches(t)]
    found.sort(
        key=lambda t: (_last(t) is not None, _last(t) or 0, t.id),
        reverse=body.get("order") != "asc",
    )
    return json_response({"threadInfo": [shapes.thread(ctx.state, t) for t in page.slice(found)]})


def _thread(ctx: Ctx, channel: str, thread_id: Any) -> Thread:
    if not isinstance(thread_id, str) or not thread_id:
        raise fail("threadId is required")
    thread = ctx.state.threads.get(thread_id)
    if thread is None or thread.deleted or thread.channel != channel:
        raise fail(f"thread {thread_id} not found")
    return thread


def _detail(ctx: Ctx, channel: str, body: dict[str, Any]) -> Response:
    """``status`` 0 all, 2 all except trash, 100 trash (L1860; default 2, ASSUMPTIONS);
    ``messageCount`` counts every matching message, the page holds ``pageSize``."""
    page = paging(body, 500)
    thread = _thread(ctx, channel, body.get("threadId"))
    status = field_value(body, "status", int)
    status = 2 if status is None else status
    if status not in (0, 2, 100):
        raise fail("status must be 0, 2 or 100")
    term = (field_value(body, "searchTerm", str) or "").lower()
    since = parse_day(body.get("lastDateUTC"), "lastDateUTC")

    def matches(m: Message) -> bool:
        if (status == 2 and m.trashed) or (status == 100 and not m.trashed):
            return False
        if term and term not in m.body.lower():
            return False
        return not since or m.sent.date() >= since

    found = [m for m in thread.messages if matches(m)]
    if body.get("order") == "desc":
        found.reverse()
    return json_response(
        {
            "messageInfo": [shapes.message(thread, m) for m in page.slice(found)],
            "messageCount": len(found),
        }
    )


async def _unread(ctx: Ctx, channel: str) -> Response:
    body = await ctx.body()
    thread = _thread(ctx, channel, body.get("threadId"))
    mark = body.get("markUnread")
    if not isinstance(mark, bool):  # ASSUMPTIONS: unread-thread body
        raise fail("markUnread is required: true or false")
    thread.unread = mark
    ctx.state.touch()
    return json_response({"threadId": thread.id, "success": True})


async def _delete(ctx: Ctx, channel: str) -> Response:
    """The body carries paging fields that mean nothing here (L1793)."""
    body = await ctx.body()
    paging(body, 500)
    thread = _thread(ctx, channel, body.get("threadId"))
    thread.deleted = True
    ctx.state.touch()
    return std("delete successfully")


@route("POST", "/v1/api/email-thread/list", 1680)  # L1680
async def email_list(ctx: Ctx) -> Response:
    return _list(ctx, "email", await ctx.body(allow_empty=True))


@route("POST", "/v1/api/text-thread/list", 2029)  # L2029
async def text_list(ctx: Ctx) -> Response:
    return _list(ctx, "text", await ctx.body(allow_empty=True))


@route("POST", "/v1/api/email-thread/email-thread-detail", 1870)  # L1870
async def email_detail(ctx: Ctx) -> Response:
    return _detail(ctx, "email", await ctx.body())


@route("POST", "/v1/api/text-thread/text-thread-detail", 2242)  # L2242
async def text_detail(ctx: Ctx) -> Response:
    return _detail(ctx, "text", await ctx.body())


@route("POST", "/v1/api/email-thread/unread-thread", 1734)  # L1734
async def email_unread(ctx: Ctx) -> Response:
    return await _unread(ctx, "email")


@route("POST", "/v1/api/text-thread/unread-thread", 2106)  # L2106
async def text_unread(ctx: Ctx) -> Response:
    return await _unread(ctx, "text")


@route("POST", "/v1/api/email-thread/delete-thread", 1793)  # L1793
async def email_delete(ctx: Ctx) -> Response:
    return await _delete(ctx, "email")


@route("POST", "/v1/api/text-thread/delete-thread", 2165)  # L2165
async def text_delete(ctx: Ctx) -> Response:
    return await _delete(ctx, "text")


@route("POST", "/v1/api/email-thread/delete-message", 1939)  # L1939
async def email_delete_message(ctx: Ctx) -> Response:
    """Email only; moves the message to trash and answers the thread's remaining messages as
    ``messageInfo``/``messageCount``, not the confirmation body (L1939)."""
    body = await ctx.body()
    page = paging(body, 500)
    message_id = field_value(body, "messageId", str, required=True)
    for thread in ctx.state.threads.values():
        if thread.channel != "email" or thread.deleted:
            continue
        for m in thread.messages:
            if m.id == message_id and not m.trashed:
                m.trashed = True
                ctx.state.touch()
                live = thread.live_messages()
                return json_response(
                    {
                        "messageInfo": [shapes.message(thread, x) for x in page.slice(live)],
                        "messageCount": len(live),
                    }
                )
    raise fail(f"message {message_id} not found")


@route("GET", "/v1/api/text-thread/producer", 2072)  # L2072
async def text_producers(ctx: Ctx) -> Response:
    """``{"producers": [...]}`` (items collapsed, L2072): the employees who text."""
    producers = [
        {"id": e.id, "firstname": e.firstname, "lastname": e.lastname, "phone": e.phone}
        for e in ctx.state.employees.values()
        if e.active
    ]
    return json_response({"producers": producers})
