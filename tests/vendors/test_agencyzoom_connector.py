"""The AgencyZoom connector against its sandbox: every stream in full, incremental leads by
last activity, resumable bookmarks, deletions noticed, unreadable records set aside, and
updates that never erase what the user did not touch."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agencydesk.domain import Lead, LeadStatus, RecordKind, Task, TaskStatus
from agencydesk.vendors.agencyzoom.capabilities import CAPABILITIES
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.bookmarks import read_bookmark
from agencydesk.vendors.connector import CONFIRMED_LOSS, PulledPage, PushRequest
from tests.vendors.test_agencyzoom_support import agencyzoom


def records(pages: list[PulledPage], kind: RecordKind) -> list[Any]:
    return [r for p in pages for r in p.records if r.kind is kind]


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_every_stream_reads_everything_the_vendor_has() -> None:
    async with agencyzoom() as rig:
        st = rig.state
        customers = await rig.pull("customers")
        assert len(records(customers, RecordKind.CUSTOMER)) == len(st.customers)
        leads = await rig.pull("leads")
        assert len(records(leads, RecordKind.LEAD)) == len(st.leads)
        assert records(leads, RecordKind.NOTE)  # notes ride along with their leads
        tasks = await rig.pull("tasks")
        assert len(records(tasks, RecordKind.TASK)) == len(st.tasks)
        policies = await rig.pull("policies")
        assert len(records(policies, RecordKind.POLICY)) == len(st.policies)  # AMS ones too
        threads = await rig.pull("threads")
        assert len(records(threads, RecordKind.THREAD)) == len(st.threads)
        for pages in (customers, leads, tasks, policies, threads):
            assert pages[0].scan_begins
            assert pages[-1].scan_ends
            assert not any(p.unreadable for p in pages)
        # Links say whose a policy is, so the engine can set customer_id.
        page = policies[0]
        assert all(page.links[i][0] is RecordKind.CUSTOMER for i in range(len(page.records)))


@pytest.mark.asyncio
async def test_a_lead_keeps_its_whole_payload_and_maps_our_fields() -> None:
    async with agencyzoom() as rig:
        [first, *_] = await rig.pull("leads")
        lead = records([first], RecordKind.LEAD)[0]
        assert isinstance(lead, Lead)
        assert lead.raw["id"] == int(lead.provenance.remote_id)
        assert lead.first_name == (lead.raw["firstname"] or "")
        assert lead.stage == (lead.raw["workflowStageName"] or "")
        assert lead.provenance.vendor == "agencyzoom"


@pytest.mark.asyncio
async def test_incremental_leads_read_only_recent_activity_in_a_few_calls() -> None:
    async with agencyzoom() as rig:
        full = await rig.pull("leads")
        bookmark = full[-1].bookmark
        assert bookmark is not None
        assert json.loads(bookmark)["since"]
        full_calls = rig.client.http.stats.requests
        target = next(iter(rig.state.leads.values()))
        rig.sandbox.edit_at_vendor("lead", target.id, {"city": "Springfield"})
        again = await rig.pull("leads", bookmark)
        calls = rig.client.http.stats.requests - full_calls
        changed = {r.provenance.remote_id: r for r in records(again, RecordKind.LEAD)}
        assert changed[str(target.id)].city == "Springfield"
        assert len(changed) < len(rig.state.leads)
        assert calls < full_calls / 4
        assert not again[0].scan_begins  # an incremental run notices no deletions


@pytest.mark.asyncio
async def test_a_bookmark_taken_mid_stream_resumes_where_it_stopped() -> None:
    async with agencyzoom() as rig:
        pages = await rig.pull("customers")
        assert len(pages) == 2
        middle = pages[0].bookmark
        resumed = await rig.pull("customers", middle)
        assert [r.provenance.remote_id for r in resumed[0].records] == [
            r.provenance.remote_id for r in pages[1].records
        ]
        assert not resumed[0].scan_begins


@pytest.mark.asyncio
async def test_wrongly_typed_records_are_set_aside_with_the_field_named() -> None:
    async with agencyzoom() as rig:
        rig.sandbox.faults.wrong_types_next(2)
        pages = await rig.pull("customers")
        bad = [u for p in pages for u in p.unreadable]
        assert len(bad) == 2
        assert "id" in bad[0].reason
        assert "not a number" in bad[0].reason
        assert json.loads(bad[0].payload)["firstname"] is not None
        assert len(records(pages, RecordKind.CUSTOMER)) == len(rig.state.customers) - 2


@pytest.mark.asyncio
async def test_confirm_deleted_keeps_what_still_exists() -> None:
    async with agencyzoom() as rig:
        lead_ids = [str(i) for i in list(rig.state.leads)[:2]]
        await rig.connector.push(PushRequest("delete", RecordKind.LEAD, None, lead_ids[0], {}, {}))
        assert await rig.connector.confirm_deleted(RecordKind.LEAD, lead_ids) == [lead_ids[0]]


# The user agreed to lose what AgencyZoom's lead PUT clears unread (write_risk.py).
AGREED = ["Business name", "Address line 2", "DBA", "Assignment group", "Other CSRs"]


async def _lead(rig: Any) -> Lead:
    [first, *_] = await rig.pull("leads")
    lead = records([first], RecordKind.LEAD)[0]
    assert isinstance(lead, Lead)
    return lead


@pytest.mark.asyncio
async def test_a_lead_edit_keeps_every_field_the_user_did_not_touch() -> None:
    """Confirmed by the user: only the edited field and those AgencyZoom clears unread change
    (the write-back property tests in test_agencyzoom_writeback.py cover every field)."""
    unreadable = {"streetAddressLine2", "assignmentGroupId", "otherCsrs", "name", "dba"}
    async with agencyzoom() as rig:
        lead = await _lead(rig)
        stored = rig.state.leads[int(lead.provenance.remote_id)]
        before = {k: getattr(stored.data, k) for k in stored.data.__slots__}
        if stored.status != 0:  # tags come back through the status change only when active
            unreadable.add("tagNames")
        request = PushRequest(
            "update",
            RecordKind.LEAD,
            lead,
            lead.provenance.remote_id,
            {"email": "new@example.com", CONFIRMED_LOSS: [*AGREED, "Tags"]},
            lead.raw,
        )
        result = await rig.connector.push(request)
        after = rig.state.leads[int(lead.provenance.remote_id)].data
        for key, value in before.items():
            if key in unreadable:
                continue
            expected = "new@example.com" if key == "email" else value
            assert (getattr(after, key) or None) == (expected or None), key
        assert isinstance(result, Lead)
        assert result.email == "new@example.com"


@pytest.mark.asyncio
async def test_a_lead_changed_at_the_vendor_since_the_edit_is_a_conflict() -> None:
    async with agencyzoom() as rig:
        lead = await _lead(rig)
        rig.sandbox.edit_at_vendor("lead", lead.provenance.remote_id, {"phone": "5125550199"})
        request = PushRequest(
            "update", RecordKind.LEAD, lead, lead.provenance.remote_id, {"city": "Austin"}, lead.raw
        )
        with pytest.raises(errors.Conflict) as caught:
            await rig.connector.push(request)
        assert "phone" in caught.value.message
        assert caught.value.theirs["phone"] == "5125550199"
        assert rig.state.leads[int(lead.provenance.remote_id)].data.city != "Austin"


@pytest.mark.asyncio
async def test_lead_status_goes_through_the_status_endpoint() -> None:
    async with agencyzoom() as rig:
        lead = await _lead(rig)
        request = PushRequest(
            "update",
            RecordKind.LEAD,
            lead,
            lead.provenance.remote_id,
            {"status": "lost"},
            lead.raw,
        )
        result = await rig.connector.push(request)
        assert isinstance(result, Lead)
        assert result.status is LeadStatus.LOST
        assert rig.state.leads[int(lead.provenance.remote_id)].status == 3


@pytest.mark.asyncio
async def test_tasks_are_created_on_their_lead_completed_and_deleted() -> None:
    async with agencyzoom() as rig:
        lead_id = str(next(iter(rig.state.leads)))
        new = Task(title="Call back about the quote")
        created = await rig.connector.push(
            PushRequest("create", RecordKind.TASK, new, "", {}, {}, parents={"lead_id": lead_id})
        )
        assert isinstance(created, Task)
        assert created.provenance.remote_id
        remote = created.provenance.remote_id
        assert rig.state.tasks[int(remote)].data.title == "Call back about the quote"
        done = await rig.connector.push(
            PushRequest("update", RecordKind.TASK, created, remote, {"status": "done"}, created.raw)
        )
        assert isinstance(done, Task)
        assert done.status is TaskStatus.DONE
        assert rig.state.tasks[int(remote)].status == 1
        await rig.connector.push(PushRequest("delete", RecordKind.TASK, None, remote, {}, {}))
        assert int(remote) not in rig.state.tasks


@pytest.mark.asyncio
async def test_what_the_api_cannot_do_is_refused_with_the_reason() -> None:
    assert not CAPABILITIES[RecordKind.THREAD].create
    assert "cannot send email" in CAPABILITIES[RecordKind.THREAD].why_not
    async with agencyzoom() as rig:
        with pytest.raises(errors.ValidationFailed) as caught:
            await rig.connector.push(PushRequest("create", RecordKind.THREAD, None, "", {}, {}))
        assert "cannot send email" in caught.value.message
        lead = await _lead(rig)
        with pytest.raises(errors.ValidationFailed) as refused:
            await rig.connector.push(
                PushRequest(
                    "update",
                    RecordKind.LEAD,
                    lead,
                    lead.provenance.remote_id,
                    {"tags": ["vip"]},
                    lead.raw,
                )
            )
        assert "tags" in refused.value.field_errors


@pytest.mark.asyncio
async def test_tags_survive_the_replacing_put_or_the_edit_is_refused() -> None:
    async with agencyzoom() as rig:
        tagged = [ld for ld in rig.state.leads.values() if ld.data.tagNames]
        active = next(ld for ld in tagged if ld.status == 0)
        other = next(ld for ld in tagged if ld.status != 0)
        for stored in (active, other):
            rig.sandbox.faults.reset()
            detail = await rig.client.lead(str(stored.id))
            lead = Lead(raw=detail)
            changes = {"city": "Waco", CONFIRMED_LOSS: AGREED}
            request = PushRequest("update", RecordKind.LEAD, lead, str(stored.id), changes, detail)
            tags_before = stored.data.tagNames
            if stored is active:
                await rig.connector.push(request)
                assert rig.state.leads[stored.id].data.city == "Waco"
            else:
                with pytest.raises(errors.ValidationFailed) as caught:
                    await rig.connector.push(request)
                assert "Tags" in caught.value.field_errors
                assert "would clear Tags on this lead" in caught.value.message
            assert rig.state.leads[stored.id].data.tagNames == tags_before


@pytest.mark.asyncio
async def test_threads_resume_at_the_list_page_they_stopped_on() -> None:
    async with agencyzoom() as rig:
        first = await rig.pull("threads")
        assert first[0].scan_begins
        assert first[-1].scan_ends
        middle = first[0].bookmark  # after the email list, before the text list
        assert middle is not None
        stopped = read_bookmark(middle).run
        assert stopped is not None
        assert stopped.position.part == 1  # the text list
        # The same place as the bookmark this connector wrote before its streams were declared.
        legacy = json.dumps({"since": None, "since_next": "2026-03-09", "channel": 1, "page": 0})
        for bookmark in (middle, legacy):
            resumed = await rig.pull("threads", bookmark)
            assert not resumed[0].scan_begins
            threads = records(resumed, RecordKind.THREAD)
            assert threads
            assert all(t.provenance.remote_id.startswith("text:") for t in threads)
            finished = read_bookmark(resumed[-1].bookmark)
            assert finished.run is None
            assert finished.since


@pytest.mark.asyncio
async def test_a_thread_missing_from_the_lists_is_confirmed_gone_by_asking_for_it() -> None:
    async with agencyzoom() as rig:
        kept, dropped = list(rig.state.threads.values())[:2]
        dropped.deleted = True  # deleted in AgencyZoom
        ids = [f"{t.channel}:{t.id}" for t in (kept, dropped)]
        assert await rig.connector.confirm_deleted(RecordKind.THREAD, ids) == [ids[1]]


@pytest.mark.asyncio
async def test_a_commercial_lead_goes_through_the_business_update_with_its_fields() -> None:
    async with agencyzoom() as rig:
        biz = next(
            ld
            for ld in rig.state.leads.values()
            if ld.lead_type == "commercial" and (not ld.data.tagNames or ld.status == 0)
        )
        personal = next(ld for ld in rig.state.leads.values() if ld.lead_type == "personal")
        for stored in (biz, personal):
            detail = await rig.client.lead(str(stored.id))
            lead = Lead(raw=detail)
            changes = {
                "business_name": "Acme Roofing LLC",
                "city": "Temple",
                CONFIRMED_LOSS: AGREED,
            }
            request = PushRequest("update", RecordKind.LEAD, lead, str(stored.id), changes, detail)
            if stored is biz:
                await rig.connector.push(request)
                assert rig.state.leads[biz.id].data.name == "Acme Roofing LLC"
                assert rig.state.leads[biz.id].data.city == "Temple"
            elif stored is personal:
                with pytest.raises(errors.ValidationFailed) as caught:
                    await rig.connector.push(request)
                assert "business_name" in caught.value.field_errors


@pytest.mark.asyncio
async def test_a_lead_listing_stopped_under_the_old_bookmark_resumes_at_its_page() -> None:
    """A cache synced before the streams were declared holds {"mode", "page", …}: the next
    sync goes on at that page, and writes the typed bookmark from then on."""
    async with agencyzoom() as rig:
        whole = await rig.pull("leads")
        assert len(whole) >= 2
        old = {
            "mode": "full",
            "filter": None,
            "since_next": "2026-03-09",
            "full_at": "2026-03-10T15:00:00+00:00",
            "page": 1,
        }
        resumed = await rig.pull("leads", json.dumps(old))
        assert not resumed[0].scan_begins
        assert resumed[-1].scan_ends  # the full listing's end: deletions are judged there
        later = [r.provenance.remote_id for p in whole[1:] for r in records([p], RecordKind.LEAD)]
        assert [r.provenance.remote_id for r in records(resumed, RecordKind.LEAD)] == later
        finished = read_bookmark(resumed[-1].bookmark)
        assert (finished.since, finished.full_at) == ("2026-03-09", old["full_at"])
