"""Lofty's call, email and text history as threads (../shared/vendor-docs/lofty-api.txt, "L…").

Lofty has no conversations: the agency's history (L199 calls, L285 emails, L328 texts) and calls,
emails and texts logged by hand (L2701) become one thread per lead and channel, each event a
message. Every source is keyset-paged by ``currentId`` (L205), 1000 a call (L215), so each run
reads only events newer than the last one seen; the book recounts a thread from its messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agencydesk.domain import Channel, Direction, Message, RecordKind, SyncState, Thread
from agencydesk.vendors.client_kit.bookmarks import Bookmark, Run
from agencydesk.vendors.client_kit.streams import Fetched, text
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.client_kit.values import as_str, need_id
from agencydesk.vendors.connector import PulledPage, Unreadable
from agencydesk.vendors.lofty import mapping as m
from agencydesk.vendors.lofty.client import LoftyClient

HISTORY_SOURCES = ("call", "email", "text", "logCall", "logEmail", "logText")
SOURCES: dict[str, Channel] = {
    "call": Channel.CALL,
    "email": Channel.EMAIL,
    "text": Channel.SMS,
    "logCall": Channel.CALL,
    "logEmail": Channel.EMAIL,
    "logText": Channel.SMS,
}
LOG_KIND = {Channel.CALL: "logCall", Channel.EMAIL: "logEmail", Channel.SMS: "logText"}
CHANNEL_TITLE = {Channel.CALL: "Calls", Channel.EMAIL: "Emails", Channel.SMS: "Texts"}


def thread_remote_id(lead_id: str, channel: Channel) -> str:
    return f"{lead_id}:{channel.value}"


def split_thread_id(remote_id: str) -> tuple[str, Channel]:
    lead_id, _, channel = remote_id.partition(":")
    if not lead_id.isdigit() or channel not in {c.value for c in Channel}:
        raise ValueError(f"not a Lofty thread id: {remote_id!r}")
    return lead_id, Channel(channel)


def message_from(item: dict[str, Any], account: str, source: str) -> tuple[Message, str]:
    """One history event (CallResponse L3208, EmailResponse L3625, TextResponse L5157,
    LogTypeResponse L4609) and the thread it belongs to."""
    event_id = need_id(item, "id")
    lead_id = need_id(item, "leadId")
    channel = SOURCES[source]
    direction = as_str(item.get("direction") or item.get("outboundOrInbound")).casefold()
    if source == "call":
        when = m.lofty_time(item, "startTime") or m.lofty_time(item, "createTime")
        parts = [f"Call, {as_str(item.get('callingOutcome')) or as_str(item.get('status'))}"]
        if item.get("duration") is not None:
            parts.append(f"{as_str(item.get('duration'))} s")
        if item.get("note"):
            parts.append(as_str(item.get("note")))
        body = ", ".join(parts)
    elif source == "email":
        when = m.lofty_time(item, "emailEventTime")
        body = f"{as_str(item.get('eventType'))}: {as_str(item.get('emailSubject'))}"
    elif source == "text":
        when = m.lofty_time(item, "textTime")
        body = f"Text ({as_str(item.get('textOutcome'))}); Lofty gives no message text"
    else:
        when = m.lofty_time(item, "createTime")
        what = CHANNEL_TITLE[channel].lower().rstrip("s")
        body = f"Logged {what}: {as_str(item.get('callingOutcome'))}".rstrip(": ")
    if when is None:
        raise FieldUnreadable(f"{source} {event_id}: no time")
    message = Message(
        provenance=m.prov(account, f"{source}:{event_id}"),
        sync_state=SyncState.SYNCED,
        raw=item,
        direction=Direction.INBOUND if direction == "inbound" else Direction.OUTBOUND,
        sender=as_str(item.get("leadPhoneNumber")) if direction == "inbound" else "",
        body=body,
        sent_at=when,
        created_at=when,
        updated_at=when,
    )
    return message, thread_remote_id(lead_id, channel)


def thread_for(
    remote_id: str, account: str, count: int, last: datetime | None, counterpart: str
) -> Thread:
    """A lead's calls, emails or texts. ``count`` and ``last`` are what this page saw; the book
    recounts a thread from its stored messages."""
    lead_id, channel = split_thread_id(remote_id)
    return Thread(
        provenance=m.prov(account, remote_id),
        sync_state=SyncState.SYNCED,
        raw={"leadId": int(lead_id), "channel": channel.value},
        channel=channel,
        subject=CHANNEL_TITLE[channel],  # the lead shows beside it (the thread links to it)
        counterpart=counterpart,
        last_message_at=last,
        message_count=count,
        **(m.Times(created_at=last, updated_at=last) if last else m.Times()),
    )


class HistoryPages:
    """Each history source after its cursor (the sources are the stream's lists, run by
    client_kit/streams.py; the cursors are the bookmark's carry, kept from run to run). A
    thread (lead and channel) comes with its new messages; the book keeps its totals true to
    them."""

    def __init__(self, client: LoftyClient, account: str) -> None:
        self.client = client
        self.account = account

    async def fetch(self, run: Run, part: int, _cursor: Any) -> Fetched:
        source = HISTORY_SOURCES[part]
        cursors: dict[str, int] = run.carry.setdefault("cursors", {})
        after = cursors.get(source)
        if source in ("call", "email", "text"):
            items = await self.client.history(source, after)  # type: ignore[arg-type]
        else:
            items = await self.client.logged(source, after)  # type: ignore[arg-type]
        # currentId "starts from this ID" (L205): inclusive or not, skip what we had.
        fresh = [i for i in items if after is None or (_num(i) or 0) > after]
        ids = [n for n in (_num(i) for i in items) if n is not None]
        if ids:
            cursors[source] = max([*ids, after or 0])
        more = bool(fresh) and len(items) >= self.client.history_page
        return Fetched(
            fresh,
            next_cursor=str(cursors[source]) if more else None,
            keys=[_num(i) for i in fresh],
        )

    async def fill(self, page: PulledPage, items: list[Any], part: int) -> None:
        _history_page(page, self.account, items, HISTORY_SOURCES[part])


def legacy_bookmark(state: dict[str, Any]) -> Bookmark:
    """The bookmark this stream wrote before the streams were declared: ``cursors`` only."""
    return Bookmark(carry={"cursors": dict(state.get("cursors") or {})})


def _history_page(page: PulledPage, account: str, items: list[Any], source: str) -> None:
    messages: list[tuple[Message, str]] = []
    threads: dict[str, tuple[int, datetime, str]] = {}  # thread -> count, last, counterpart
    for item in items:
        try:
            if not isinstance(item, dict):
                raise FieldUnreadable("history event: not an object")
            message, thread_id = message_from(item, account, source)
        except FieldUnreadable as exc:
            remote_id = f"{source}:{_rid(item, 'id')}"
            page.unreadable.append(Unreadable(remote_id, text(item), str(exc)))
            continue
        count, last, who = threads.get(thread_id, (0, message.sent_at, ""))
        who = who or as_str(item.get("leadPhoneNumber"))
        threads[thread_id] = (count + 1, max(last, message.sent_at), who)
        messages.append((message, thread_id))
    for thread_id, (count, last, who) in threads.items():
        lead_id = split_thread_id(thread_id)[0]
        page.links[len(page.records)] = (RecordKind.LEAD, lead_id)
        page.records.append(thread_for(thread_id, account, count, last, who))
    for message, thread_id in messages:
        page.links[len(page.records)] = (RecordKind.THREAD, thread_id)
        page.records.append(message)


def _rid(item: Any, key: str) -> str:
    return str(item.get(key, "") or "") if isinstance(item, dict) else ""


def _num(item: Any) -> int | None:
    value = item.get("id") if isinstance(item, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
