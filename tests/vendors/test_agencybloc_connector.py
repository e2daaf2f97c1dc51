"""AgencyBloc AMS+ client and connector against the AgencyBloc sandbox: sid/key in the form
body, every policy pulled, incremental by updatedDTM, deletions noticed, malformed records set
aside, updates that never invent a dropdown value, conflicts, and one run over real HTTP."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qs

import pytest

from agencydesk.domain import Customer, Policy, PolicyStatus, RecordKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.bookmarks import read_bookmark
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.connector import PushRequest
from agencydesk.vendors.sandbox_kit.server import serve
from tests.vendors.test_agencybloc_support import DAY, START, agencybloc, wire

ONE_DAY = timedelta(days=1)

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


def _policies(pages: list) -> list[Policy]:  # type: ignore[type-arg]
    return [r for p in pages for r in p.records if isinstance(r, Policy)]


async def test_credentials_travel_in_the_form_body_never_the_url() -> None:
    async with agencybloc() as rig:
        assert "Signed in" in await rig.connector.check()
        request = rig.sent[-1]
        assert request.method == "POST"
        assert not request.url.query
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        form = parse_qs(request.content.decode())
        assert form["sid"] == [rig.sandbox.credentials["sid"]]
        assert form["key"] == [rig.sandbox.credentials["key"]]


async def test_wrong_or_regenerated_key_is_authentication_failed() -> None:
    async with agencybloc(secrets={"sid": "SBX00007", "key": "nope"}) as rig:
        with pytest.raises(errors.AuthenticationFailed, match="sid/key"):
            await rig.connector.check()
    async with agencybloc() as rig:
        await rig.connector.check()
        rig.sandbox.expire_tokens()  # an admin regenerated the API key: nothing to renew
        with pytest.raises(errors.AuthenticationFailed):
            await rig.connector.check()


async def test_first_pull_reads_every_policy_in_detail_with_unknown_fields_kept() -> None:
    async with agencybloc() as rig:
        pages = await rig.pull()
        policies = _policies(pages)
        assert len(policies) == len(rig.state.policies)
        assert rig.calls("search") == 1  # limit=0: every policy in one call (L90)
        assert rig.calls("detail") == len(rig.state.policies)
        assert pages[0].scan_begins
        assert pages[-1].scan_ends
        assert all(p.bookmark for p in pages)
        one = next(p for p in policies if p.provenance.remote_id == "100001")
        vendor = rig.state.policies[100001]
        assert one.policy_number == vendor.policy_number
        assert one.carrier == vendor.carrier.name
        assert one.premium_cents == round(vendor.premium * 100)
        assert one.insured_name == vendor.holder.name
        assert one.raw["PolicyID"] == 100001
        assert "AdditionalAgent3ID" in one.raw
        assert "customFields" in one.raw
        holders = {
            r.provenance.remote_id: r for p in pages for r in p.records if isinstance(r, Customer)
        }
        assert holders[f"Individual:{vendor.holder.id}"].display_name == vendor.holder.name
        for page in pages:  # every policy points at its holder, stored before it
            for index, (kind, remote_id) in page.links.items():
                assert isinstance(page.records[index], Policy)
                assert kind is RecordKind.CUSTOMER
                assert remote_id in holders
        statuses = {p.status for p in policies}
        assert PolicyStatus.ACTIVE in statuses
        # "Terminated" is the agency's own name: no meaning until the user maps it (issue 15).
        assert PolicyStatus.OTHER in statuses
        assert PolicyStatus.EXPIRED not in statuses


async def test_next_pull_reads_only_what_changed_and_notices_deletions() -> None:
    async with agencybloc() as rig:
        pages = await rig.pull()
        rig.sandbox.clock.advance(3 * DAY)
        rig.sandbox.edit_at_vendor("policy", "100003", {"premium": "1234.50"})
        del rig.state.policies[100005]
        rig.sent.clear()
        again = await rig.pull(pages[-1].bookmark)
        assert rig.calls("search") == 2
        assert rig.calls("detail") == 1
        assert [p.provenance.remote_id for p in _policies(again)] == ["100003"]
        assert _policies(again)[0].premium_cents == 123450
        assert again[0].deleted == [(RecordKind.POLICY, "100005")]
        assert not again[0].scan_begins


async def test_a_stopped_run_resumes_from_its_bookmark() -> None:
    async with agencybloc() as rig:
        stream = rig.connector.streams()[0]
        first = await anext(aiter(rig.connector.pull(stream, None)))
        rig.sent.clear()
        rest = await rig.pull(first.bookmark)
        assert rig.calls("search") == 0
        seen = {p.provenance.remote_id for p in _policies([first, *rest])}
        assert len(seen) == len(rig.state.policies)


async def test_a_wrongly_typed_detail_is_set_aside_naming_the_field() -> None:
    async with agencybloc() as rig:
        count = len(rig.state.policies)
        rig.sandbox.faults.wrong_types_next(count + 1)  # every search row, then one detail
        pages = await rig.pull()
        unreadable = [u for p in pages for u in p.unreadable]
        assert len(unreadable) == 1
        assert "Premium" in unreadable[0].reason
        assert len(_policies(pages)) == count - 1
        rig.sent.clear()
        again = await rig.pull(pages[-1].bookmark)  # read again next time
        assert [p.provenance.remote_id for p in _policies(again)] == [unreadable[0].remote_id]


async def test_rate_limit_burst_and_server_errors_are_retried() -> None:
    async with agencybloc() as rig:
        rig.sandbox.faults.burst_429(2, retry_after=0)
        pages = await rig.pull()
        assert len(_policies(pages)) == len(rig.state.policies)
        assert rig.connector.client.http.stats.rate_limited == 2


async def _read(rig, remote_id: str) -> Policy:  # type: ignore[no-untyped-def]
    pages = await rig.pull()
    return next(p for p in _policies(pages) if p.provenance.remote_id == remote_id)


def _update(policy: Policy, **changes: object) -> PushRequest:
    return PushRequest(
        "update",
        RecordKind.POLICY,
        replace(policy, **changes),  # type: ignore[arg-type]
        policy.provenance.remote_id,
        dict(changes),
        dict(policy.raw),
    )


async def test_update_sends_only_the_edit_with_the_vendors_own_status_name() -> None:
    async with agencybloc() as rig:
        policy = await _read(rig, "100002")
        lookups_before = rig.state.lookups.values("policyStatus")
        notes_before = rig.state.policies[100002].notes
        rig.sent.clear()
        push = _update(policy, status=PolicyStatus.CANCELLED, premium_cents=99_900)
        saved = await rig.connector.push(push)
        assert isinstance(saved, Policy)
        assert saved.status is PolicyStatus.CANCELLED
        assert saved.premium_cents == 99_900
        vendor = rig.state.policies[100002]
        assert rig.state.lookups.text("policyStatus", vendor.status_id) == "Cancelled"
        assert rig.state.lookups.values("policyStatus") == lookups_before  # nothing invented
        assert vendor.notes == notes_before
        update = next(r for r in rig.sent if r.url.path.endswith("/update"))
        sent = parse_qs(update.content.decode())
        assert set(sent) == {"sid", "key", "policyID", "policyStatus", "premium"}


async def test_a_coverage_type_the_vendor_never_gave_is_refused_not_created() -> None:
    async with agencybloc() as rig:
        policy = await _read(rig, "100002")
        before = rig.state.lookups.values("policyCoverageType")
        rig.sent.clear()
        with pytest.raises(errors.ValidationFailed) as refused:
            await rig.connector.push(_update(policy, line_of_business="Term Lyfe"))
        assert "line_of_business" in refused.value.field_errors
        assert rig.calls("update") == 0
        assert rig.state.lookups.values("policyCoverageType") == before
        # The vendor's own value in other letters is sent in the vendor's spelling.
        carrier = rig.state.policies[100002].carrier.name
        saved = await rig.connector.push(
            _update(policy, line_of_business="  whole LIFE", carrier=carrier.upper())
        )
        assert parse_qs(rig.sent[-2].content.decode())["carrier"] == [carrier]
        assert isinstance(saved, Policy)
        assert saved.line_of_business == "Whole Life"
        assert rig.state.lookups.values("policyCoverageType") == before


async def test_a_vendor_side_edit_since_the_read_is_a_conflict() -> None:
    async with agencybloc() as rig:
        policy = await _read(rig, "100004")
        rig.sandbox.edit_at_vendor("policy", "100004", {"policyNumber": "CHANGED-1"})
        with pytest.raises(errors.Conflict) as conflict:
            await rig.connector.push(_update(policy, premium_cents=100))
        assert conflict.value.theirs["PolicyNumber"] == "CHANGED-1"
        assert rig.state.policies[100004].policy_number == "CHANGED-1"


async def test_create_ties_the_policy_to_its_individual_and_delete_is_refused() -> None:
    async with agencybloc() as rig:
        pages = await rig.pull()
        customer = next(r for p in pages for r in p.records if isinstance(r, Customer))
        holder_type, _, holder_id = customer.provenance.remote_id.partition(":")
        holder = rig.state.holders[(holder_type, int(holder_id))]
        carrier = next(iter(rig.state.carriers.values())).name
        new = Policy(
            policy_number="NEW-77",
            carrier=carrier,
            line_of_business="Dental",
            premium_cents=45_000,
            status=PolicyStatus.PENDING,
        )
        request = PushRequest(
            "create",
            RecordKind.POLICY,
            new,
            "",
            {},
            {},
            {"customer_id": customer.provenance.remote_id},
        )
        saved = await rig.connector.push(request)
        assert isinstance(saved, Policy)
        assert saved.provenance.remote_id
        vendor = rig.state.policies[int(saved.provenance.remote_id)]
        assert vendor.holder is holder
        assert vendor.policy_number == "NEW-77"
        assert rig.state.lookups.text("policyStatus", vendor.status_id) == "Pending"
        assert rig.connector.capabilities[RecordKind.POLICY].delete is False
        assert "cannot delete" in rig.connector.capabilities[RecordKind.POLICY].why_not
        gone = PushRequest("delete", RecordKind.POLICY, None, saved.provenance.remote_id, {}, {})
        with pytest.raises(errors.ValidationFailed, match="cannot delete"):
            await rig.connector.push(gone)
        assert int(saved.provenance.remote_id) in rig.state.policies


async def test_pull_over_a_real_loopback_server() -> None:
    async with agencybloc() as rig:
        with serve(rig.sandbox.app) as server:
            async with new_http_client() as http:
                real = wire(rig.sandbox, http, server.base_url, dict(rig.sandbox.credentials))
                pages = await real.pull()
        assert len(_policies(pages)) == len(rig.state.policies)


async def test_dropped_connections_and_server_errors_are_retried() -> None:
    async with agencybloc() as rig:
        rig.sandbox.faults.drop_rate = 0.1
        rig.sandbox.faults.error_rate = 0.1
        pages = await rig.pull()
        assert len(_policies(pages)) == len(rig.state.policies)
        assert rig.connector.client.http.stats.retries > 2


async def test_the_catalog_builds_this_connector_with_a_capability_for_every_tab() -> None:
    from agencydesk.vendors.catalog import limiter_for, vendor_info

    info = vendor_info("agencybloc")
    async with new_http_client() as http:
        connector = info.connector_factory()(
            "AB", info.base_url, {"sid": "s", "key": "k"}, http, limiter_for("agencybloc")
        )
        assert set(connector.capabilities) == set(RecordKind)
        assert [s.name for s in connector.streams()] == ["policies"]
        await connector.aclose()


async def test_bookmarks_written_before_the_streams_were_declared_still_resume() -> None:
    """A cache synced with the old keys: a run stopped with details ``todo`` reads only those
    (no search); a finished one (mm/dd/yyyy ``since``, known ``ids``) reads only what changed
    and notices deletions."""
    async with agencybloc() as rig:
        ids = sorted((str(i) for i in rig.state.policies), key=int)
        stopped = {
            "todo": ids[-2:],
            "full": True,
            "ids": ids,
            "full_at": START.isoformat(),
            "next_since": (START - ONE_DAY).strftime("%m/%d/%Y"),
            "retry": [],
        }
        rest = await rig.pull(json.dumps(stopped))
        assert rig.calls("search") == 0
        assert [p.provenance.remote_id for p in _policies(rest)] == ids[-2:]
        assert read_bookmark(rest[-1].bookmark).since == (START - ONE_DAY).date().isoformat()

        finished = {
            "since": (START - ONE_DAY).strftime("%m/%d/%Y"),
            "full_at": START.isoformat(),
            "ids": ids,
            "retry": [],
        }
        rig.sandbox.clock.advance(3 * DAY)
        rig.sandbox.edit_at_vendor("policy", "100003", {"premium": "1234.50"})
        del rig.state.policies[100005]
        rig.sent.clear()
        again = await rig.pull(json.dumps(finished))
        assert rig.calls("search") == 2
        assert [p.provenance.remote_id for p in _policies(again)] == ["100003"]
        assert again[0].deleted == [(RecordKind.POLICY, "100005")]
