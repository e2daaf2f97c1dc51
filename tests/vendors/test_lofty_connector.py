"""Lofty client and connector against the Lofty sandbox: bearer token + vendorKey, the limit
read from X-RateLimit-* headers, one renewal on expiry, leads (incremental, soft delete, tags
never wiped), notes and tasks per lead, history as threads, malformed records set aside,
conflicts, and one run over real HTTP."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs

import pytest

from agencydesk.domain import (
    Channel,
    Direction,
    Lead,
    LeadStatus,
    Message,
    Note,
    RecordKind,
    Task,
    TaskKind,
    TaskStatus,
    Thread,
)
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.bookmarks import read_bookmark
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.connector import PulledPage, PushRequest
from agencydesk.vendors.sandbox_kit.server import serve
from tests.vendors.test_lofty_support import Rig, keyed, lofty, wire

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


def _records(pages: list[PulledPage], kind: type) -> list:  # type: ignore[type-arg]
    return [r for p in pages for r in p.records if isinstance(r, kind)]


def _live_leads(rig: Rig) -> dict[int, dict]:  # type: ignore[type-arg]
    return {i: ld for i, ld in rig.state.leads.items() if not ld["_deleted"]}


async def _lead(rig: Rig, remote_id: str | None = None) -> Lead:
    leads: list[Lead] = _records(await rig.pull("leads"), Lead)
    return next(ld for ld in leads if remote_id is None or ld.provenance.remote_id == remote_id)


def _update(record: Lead | Task | Note, **changes: object) -> PushRequest:
    return PushRequest(
        "update",
        record.kind,
        replace(record, **changes),  # type: ignore[arg-type]
        record.provenance.remote_id,
        dict(changes),
        dict(record.raw),
    )


# -- auth and limits ------------------------------------------------------------------------------
async def test_bearer_token_signs_in_and_the_vendor_key_never_reaches_the_url() -> None:
    async with lofty() as rig:
        assert await rig.connector.check() == "Signed in as Joseph Lawson"
        request = rig.sent[-1]
        assert request.headers["authorization"].startswith("Bearer ")
        assert request.headers["vendorkey"] == rig.sandbox.credentials["vendor_key"]
        assert "vendorKey" not in str(request.url)


async def test_a_refused_or_missing_token_is_authentication_failed() -> None:
    async with lofty(secrets=lambda s: {"token": "not-a-token"}) as rig:
        with pytest.raises(errors.AuthenticationFailed):
            await rig.connector.check()
    with pytest.raises(errors.AuthenticationFailed, match="access token"):
        async with lofty(secrets=lambda s: {"vendor_key": "k"}):
            pass


async def test_an_expired_token_is_renewed_once_with_the_api_key() -> None:
    def with_api_key(sandbox):  # type: ignore[no-untyped-def]
        return {**keyed(sandbox), "api_key": sandbox.credentials["api_key"]}

    async with lofty(secrets=with_api_key) as rig:
        await rig.connector.check()
        rig.sandbox.expire_tokens()
        assert "Signed in" in await rig.connector.check()
        assert rig.connector.client.http.stats.reauths == 1
        assert rig.connector.client.auth.renewals == 1
    async with lofty() as rig:  # no API key: nothing to renew with
        rig.sandbox.expire_tokens()
        with pytest.raises(errors.AuthenticationFailed):
            await rig.connector.check()


async def test_without_a_vendor_key_the_limiter_follows_the_rate_limit_headers() -> None:
    limiter = AccountLimiter(100)
    async with lofty(secrets=lambda s: {"token": s.credentials["token"]}, limiter=limiter) as rig:
        await rig.connector.check()
        assert limiter.limit_now() == 10  # X-RateLimit-Limit: ten a minute without a key (L43)
    keyed_limiter = AccountLimiter(100)
    async with lofty(limiter=keyed_limiter) as rig:
        await rig.connector.check()
        # With a key the headers set the limit (L50-L55), above the configured first guess.
        assert keyed_limiter.limit_now() == 600


# -- leads -----------------------------------------------------------------------------------
async def test_leads_pull_every_live_lead_with_unknown_fields_kept() -> None:
    async with lofty() as rig:
        pages = await rig.pull("leads")
        leads: list[Lead] = _records(pages, Lead)
        assert {int(ld.provenance.remote_id) for ld in leads} == set(_live_leads(rig))
        assert pages[0].scan_begins
        assert pages[-1].scan_ends
        one = leads[0]
        vendor = rig.state.leads[int(one.provenance.remote_id)]
        assert one.first_name == vendor["firstName"]
        assert one.email == vendor["emails"][0]
        assert set(one.tags) == {name for name, _ in vendor["_tags"].values()}
        assert "customAttributes" in one.raw
        assert "leadPropertyList" in one.raw


async def test_next_leads_pull_asks_only_for_leads_updated_since() -> None:
    async with lofty() as rig:
        pages = await rig.pull("leads")
        some = next(iter(_live_leads(rig)))
        rig.sandbox.clock.advance(3600)
        rig.sandbox.edit_at_vendor("lead", str(some), {"firstName": "Renamed"})
        rig.sent.clear()
        again = await rig.pull("leads", pages[-1].bookmark)
        assert [r.url.path for r in rig.sent] == ["/v1.0/leads/updateTime"]
        leads: list[Lead] = _records(again, Lead)
        assert [ld.first_name for ld in leads] == ["Renamed"]
        assert not again[0].scan_begins


async def test_a_wrongly_typed_lead_is_set_aside_naming_the_field() -> None:
    async with lofty() as rig:
        rig.sandbox.faults.wrong_types_next(1)
        pages = await rig.pull("leads")
        unreadable = [u for p in pages for u in p.unreadable]
        assert len(unreadable) == 1
        assert "emails" in unreadable[0].reason
        assert len(_records(pages, Lead)) == len(_live_leads(rig)) - 1


async def test_editing_a_name_never_sends_tags_and_adding_a_tag_keeps_the_others() -> None:
    async with lofty() as rig:
        lead = next(ld for ld in _records(await rig.pull("leads"), Lead) if ld.tags)
        rid = int(lead.provenance.remote_id)
        saved = await rig.connector.push(_update(lead, first_name="Marcus"))
        assert "tags" not in rig.bodies("PUT", "/v1.0/leads/")[-1]
        assert "tagsAdd" not in rig.bodies("PUT", "/v1.0/leads/")[-1]
        assert isinstance(saved, Lead)
        assert saved.tags == lead.tags
        assert rig.state.leads[rid]["firstName"] == "Marcus"
        added = await rig.connector.push(_update(saved, tags=(*saved.tags, "Hot")))
        assert rig.bodies("PUT", "/v1.0/leads/")[-1] == {"tagsAdd": ["Hot"]}
        assert isinstance(added, Lead)
        assert set(added.tags) == {*lead.tags, "Hot"}
        removed = await rig.connector.push(_update(added, tags=("Hot",)))
        assert rig.bodies("PUT", "/v1.0/leads/")[-1] == {"tags": ["Hot"]}
        assert isinstance(removed, Lead)
        assert removed.tags == ("Hot",)


async def test_lead_create_and_soft_delete_are_seen_in_lofty() -> None:
    async with lofty() as rig:
        new = Lead(first_name="Nina", last_name="Park", email="nina@example.com", tags=("Web",))
        created = await rig.connector.push(PushRequest("create", RecordKind.LEAD, new, "", {}, {}))
        assert isinstance(created, Lead)
        rid = created.provenance.remote_id
        assert rig.state.leads[int(rid)]["emails"] == ["nina@example.com"]
        await rig.connector.push(PushRequest("delete", RecordKind.LEAD, None, rid, {}, {}))
        assert rig.state.leads[int(rid)]["_deleted"]  # in the trash, not gone
        assert await rig.connector.confirm_deleted(RecordKind.LEAD, [rid]) == [rid]


async def test_a_vendor_side_edit_since_the_read_is_a_conflict() -> None:
    async with lofty() as rig:
        lead = await _lead(rig)
        rig.sandbox.edit_at_vendor("lead", lead.provenance.remote_id, {"city": "Elsewhere"})
        with pytest.raises(errors.Conflict) as conflict:
            await rig.connector.push(_update(lead, first_name="Mine"))
        assert conflict.value.theirs["city"] == "Elsewhere"
        assert rig.state.leads[int(lead.provenance.remote_id)]["firstName"] != "Mine"


async def test_a_new_producer_is_assigned_and_a_status_edit_is_refused() -> None:
    async with lofty() as rig:
        lead = await _lead(rig)
        with pytest.raises(errors.ValidationFailed, match="stages, not statuses") as refused:
            await rig.connector.push(_update(lead, status=LeadStatus.WON))
        assert "status" in refused.value.field_errors
        with pytest.raises(errors.ValidationFailed) as unknown:
            await rig.connector.push(_update(lead, producer="Nobody Here"))
        assert "producer" in unknown.value.field_errors
        member = next(
            m for m in rig.state.members.values() if m["id"] != lead.raw["assignedUserId"]
        )
        name = f"{member['firstName']} {member['lastName']}"
        saved = await rig.connector.push(_update(lead, producer=name))
        assert isinstance(saved, Lead)
        assert saved.producer == name
        assert rig.state.leads[int(lead.provenance.remote_id)]["assignedUserId"] == member["id"]


# -- notes and tasks ----------------------------------------------------------------------------
async def test_notes_and_tasks_are_read_per_lead_and_linked_to_it() -> None:
    async with lofty() as rig:
        notes = await rig.pull("notes")
        tasks = await rig.pull("tasks")
        assert _records(notes, Note)
        assert _records(tasks, Task)
        for pages in (notes, tasks):
            for page in pages:
                assert set(page.links) == set(range(len(page.records)))
                assert all(kind is RecordKind.LEAD for kind, _ in page.links.values())
        live = {str(i) for i in _live_leads(rig)}
        linked = {rid for p in notes for _k, rid in p.links.values()}
        assert linked <= live


async def test_note_and_task_pushes_reach_lofty() -> None:
    async with lofty() as rig:
        lead = await _lead(rig)
        lid = lead.provenance.remote_id
        note = Note(parent_kind=RecordKind.LEAD, body="Called about renewal")
        made = await rig.connector.push(
            PushRequest("create", RecordKind.NOTE, note, "", {}, {}, {"parent_id": lid})
        )
        assert isinstance(made, Note)
        edited = await rig.connector.push(_update(made, body="Called twice"))
        assert isinstance(edited, Note)
        assert rig.state.notes[int(made.provenance.remote_id)]["content"] == "Called twice"
        task = Task(title="Send quote", task_kind=TaskKind.CALL, due_date=date(2026, 3, 12))
        new = await rig.connector.push(
            PushRequest("create", RecordKind.TASK, task, "", {}, {}, {"lead_id": lid})
        )
        assert isinstance(new, Task)
        assert new.due_date == date(2026, 3, 12)
        assert new.task_kind is TaskKind.CALL
        with pytest.raises(errors.ValidationFailed, match="cannot mark a task done"):
            await rig.connector.push(_update(new, status=TaskStatus.DONE))
        renamed = await rig.connector.push(_update(new, title="Send the quote"))
        assert isinstance(renamed, Task)
        assert renamed.title == "Send the quote"
        rid = new.provenance.remote_id
        await rig.connector.push(PushRequest("delete", RecordKind.TASK, None, rid, {}, {}))
        with pytest.raises(errors.NotFound):
            await rig.connector.client.task(rid)


# -- history as threads ----------------------------------------------------------------------
async def test_history_becomes_threads_and_only_new_events_are_read_next_time() -> None:
    async with lofty() as rig:
        pages = await rig.pull("threads")
        messages: list[Message] = _records(pages, Message)
        threads: list[Thread] = _records(pages, Thread)
        state = rig.state
        expected = len(state.calls) + len(state.emails) + len(state.texts) + len(state.log_types)
        assert len(messages) == expected
        assert {t.channel for t in threads} == {Channel.CALL, Channel.EMAIL, Channel.SMS}
        latest = {t.provenance.remote_id: t for t in threads}
        assert sum(t.message_count for t in threads) == expected  # per page, all pages
        for page in pages:  # every message points at a thread of the same page
            threads_here = {r.provenance.remote_id for r in page.records if isinstance(r, Thread)}
            for index, (kind, remote_id) in page.links.items():
                if isinstance(page.records[index], Message):
                    assert kind is RecordKind.THREAD
                    assert remote_id in threads_here
        rig.sent.clear()
        again = await rig.pull("threads", pages[-1].bookmark)
        assert not _records(again, Message)
        call = next(t for t in latest.values() if t.channel is Channel.CALL)
        logged = Message(direction=Direction.OUTBOUND, body="Left a voicemail")
        parents = {"thread_id": call.provenance.remote_id}
        made = await rig.connector.push(
            PushRequest("create", RecordKind.MESSAGE, logged, "", {}, {}, parents)
        )
        assert isinstance(made, Message)
        after = await rig.pull("threads", again[-1].bookmark)
        assert [m.provenance.remote_id for m in _records(after, Message)] == [
            made.provenance.remote_id
        ]
        thread = _records(after, Thread)[0]
        assert thread.provenance.remote_id == call.provenance.remote_id
        assert thread.last_message_at is not None


# -- real HTTP ------------------------------------------------------------------------------
async def test_check_and_leads_over_a_real_loopback_server() -> None:
    async with lofty() as rig:
        with serve(rig.sandbox.app) as server:
            async with new_http_client() as http:
                real = wire(rig.sandbox, http, server.base_url, keyed(rig.sandbox))
                assert "Signed in" in await real.connector.check()
                leads = _records(await real.pull("leads"), Lead)
        assert len(leads) == len(_live_leads(rig))


# -- paging and faults --------------------------------------------------------------------------
async def test_leads_and_history_are_paged_through_to_the_end() -> None:
    async with lofty() as rig:
        rig.connector.client.lead_page = 10
        rig.connector.client.history_page = 7
        leads = _records(await rig.pull("leads"), Lead)
        assert len(leads) == len({ld.provenance.remote_id for ld in leads})
        assert len(leads) == len(_live_leads(rig))
        messages = _records(await rig.pull("threads"), Message)
        state = rig.state
        expected = len(state.calls) + len(state.emails) + len(state.texts) + len(state.log_types)
        assert len({m.provenance.remote_id for m in messages}) == len(messages) == expected


async def test_token_expiry_in_the_middle_of_a_sync_renews_and_goes_on() -> None:
    def with_api_key(sandbox):  # type: ignore[no-untyped-def]
        return {**keyed(sandbox), "api_key": sandbox.credentials["api_key"]}

    async with lofty(secrets=with_api_key) as rig:
        pages = []
        async for page in rig.connector.pull(rig.stream("notes"), None):
            pages.append(page)
            if len(pages) == 1:
                rig.sandbox.expire_tokens()
        assert len(pages) > 2
        assert rig.connector.client.http.stats.reauths == 1
        reference = await rig.pull("notes")
        assert len(_records(pages, Note)) == len(_records(reference, Note))


async def test_dropped_connections_and_server_errors_are_retried() -> None:
    async with lofty() as rig:
        reference = len(_records(await rig.pull("tasks"), Task))
        rig.sandbox.faults.drop_rate = 0.1
        rig.sandbox.faults.error_rate = 0.1
        tasks = _records(await rig.pull("tasks"), Task)
        assert len(tasks) == reference
        stats = rig.connector.client.http.stats
        assert stats.retries > 2


async def test_next_notes_pull_reads_only_the_leads_created_since() -> None:
    async with lofty() as rig:
        pages = await rig.pull("notes")
        rig.sandbox.clock.advance(3600)
        old = await _lead(rig)
        rig.sandbox.edit_at_vendor("lead", old.provenance.remote_id, {"city": "Duluth"})
        new = Lead(first_name="Ada", last_name="Lane", email="ada@example.com")
        made = await rig.connector.push(PushRequest("create", RecordKind.LEAD, new, "", {}, {}))
        assert isinstance(made, Lead)
        lid = made.provenance.remote_id
        note = Note(parent_kind=RecordKind.LEAD, body="Wants a call after 5 pm")
        await rig.connector.push(
            PushRequest("create", RecordKind.NOTE, note, "", {}, {}, {"parent_id": lid})
        )
        rig.sent.clear()
        again = await rig.pull("notes", pages[-1].bookmark)
        assert [r.url.path for r in rig.sent] == ["/v1.0/leads/createTime", "/v1.0/notes"]
        assert parse_qs(rig.sent[-1].url.query.decode())["leadId"] == [lid]
        assert [n.body for n in _records(again, Note)] == ["Wants a call after 5 pm"]
        assert not again[0].scan_begins  # a partial read deletes nothing


async def test_the_catalog_builds_this_connector_with_a_capability_for_every_tab() -> None:
    from agencydesk.vendors.catalog import limiter_for, vendor_info

    info = vendor_info("lofty")
    async with new_http_client() as http:
        connector = info.connector_factory()(
            "Lofty", info.base_url, {"token": "t"}, http, limiter_for("lofty")
        )
        assert set(connector.capabilities) == set(RecordKind)
        assert {s.name for s in connector.streams()} == {"leads", "notes", "tasks", "threads"}
        await connector.aclose()


async def test_a_vendor_that_caps_lead_pages_below_our_limit_is_still_read_to_the_end() -> None:
    async with lofty() as rig:
        rig.state.config.live_page_cap = 25  # what the live service reportedly does
        leads = _records(await rig.pull("leads"), Lead)
        assert len({ld.provenance.remote_id for ld in leads}) == len(_live_leads(rig))


async def test_bookmarks_written_before_the_streams_were_declared_still_resume() -> None:
    """A cache synced with the old keys: notes stopped with leads ``todo`` read only those
    leads' notes; leads finished with ``since`` read only the leads updated since."""
    async with lofty() as rig:
        live = sorted(str(i) for i in _live_leads(rig))
        todo = live[-2:]
        old_notes = {
            "full": True,
            "since": None,
            "full_at": "2026-03-10T15:00:00+00:00",
            "next_since": "2026-03-10T14:50:00+00:00",
            "offset": 0,
            "todo": todo,
        }
        rig.sent.clear()
        notes = await rig.pull("notes", json.dumps(old_notes))
        assert {r.url.path for r in rig.sent} == {"/v1.0/notes"}  # no listing again
        asked = {parse_qs(r.url.query.decode())["leadId"][0] for r in rig.sent}
        assert asked == set(todo)
        assert not notes[0].scan_begins
        finished = read_bookmark(notes[-1].bookmark)
        assert (finished.since, finished.run) == (old_notes["next_since"], None)

        since = rig.sandbox.clock.now().isoformat()
        rig.sandbox.clock.advance(3600)
        edited = live[0]
        rig.sandbox.edit_at_vendor("lead", edited, {"city": "Duluth"})
        old_leads = {"since": since, "full_at": since}
        leads = await rig.pull("leads", json.dumps(old_leads))
        assert [ld.provenance.remote_id for ld in _records(leads, Lead)] == [edited]
        assert not leads[0].scan_begins


async def test_history_under_the_old_bookmark_reads_only_newer_events_and_deletes_nothing() -> None:
    async with lofty() as rig:
        pages = await rig.pull("threads")
        assert not any(p.scan_begins or p.scan_ends for p in pages)  # never a full listing
        cursors = read_bookmark(pages[-1].bookmark).carry["cursors"]
        again = await rig.pull("threads", json.dumps({"cursors": cursors}))  # the old keys
        assert not _records(again, Message)
        assert read_bookmark(again[-1].bookmark).carry["cursors"] == cursors
