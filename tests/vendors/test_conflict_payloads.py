"""Every vendor whose updates can conflict reads its current payload back as a record, so the
conflict dialog shows "theirs" field by field: Lofty leads, AgencyBloc policies, LeadExec
clients and ConeCRM accounts (plus AgencyZoom, which already did). A kind that cannot be read
back says so with ``PayloadNotReadable``."""

from __future__ import annotations

import pytest

from agencydesk.domain import Customer, Lead, Policy, RecordKind
from agencydesk.sync.conflicts import choices
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import PayloadNotReadable
from tests.vendors.test_agencybloc_connector import _read
from tests.vendors.test_agencybloc_connector import _update as policy_update
from tests.vendors.test_agencybloc_support import agencybloc
from tests.vendors.test_conecrm_connector import an_account, push, stored
from tests.vendors.test_conecrm_support import conecrm
from tests.vendors.test_leadexec_connector import customers
from tests.vendors.test_leadexec_connector import update as client_update
from tests.vendors.test_leadexec_support import leadexec
from tests.vendors.test_lofty_connector import _lead
from tests.vendors.test_lofty_connector import _update as lead_update
from tests.vendors.test_lofty_support import lofty

pytestmark = pytest.mark.asyncio


async def test_lofty_shows_the_vendors_current_lead() -> None:
    async with lofty() as rig:
        lead = await _lead(rig)
        rig.sandbox.edit_at_vendor("lead", lead.provenance.remote_id, {"city": "Elsewhere"})
        with pytest.raises(errors.Conflict) as conflict:
            await rig.connector.push(lead_update(lead, first_name="Mine"))
        theirs = rig.connector.read_payload(RecordKind.LEAD, conflict.value.theirs)
        assert isinstance(theirs, Lead)
        assert theirs.city == "Elsewhere"
        offered = {c.field: c.theirs for c in choices(lead, theirs)}
        assert offered["city"] == "Elsewhere"
        with pytest.raises(PayloadNotReadable):
            rig.connector.read_payload(RecordKind.POLICY, {})


async def test_agencybloc_shows_the_vendors_current_policy() -> None:
    async with agencybloc() as rig:
        policy = await _read(rig, "100004")
        rig.sandbox.edit_at_vendor("policy", "100004", {"policyNumber": "CHANGED-1"})
        with pytest.raises(errors.Conflict) as conflict:
            await rig.connector.push(policy_update(policy, premium_cents=100))
        theirs = rig.connector.read_payload(RecordKind.POLICY, conflict.value.theirs)
        assert isinstance(theirs, Policy)
        assert theirs.policy_number == "CHANGED-1"
        assert theirs.premium_cents == policy.premium_cents  # not my edit


async def test_leadexec_shows_the_vendors_current_client() -> None:
    async with leadexec() as rig:
        target = customers(await rig.pull())[0]
        rig.sandbox.edit_at_vendor("client", target.provenance.remote_id, {"Email": "x@y.example"})
        with pytest.raises(errors.Conflict) as conflict:
            await rig.connector.push(client_update(target, city="Pflugerville"))
        theirs = rig.connector.read_payload(RecordKind.CUSTOMER, conflict.value.theirs)
        assert isinstance(theirs, Customer)
        assert theirs.email == "x@y.example"
        assert theirs.city == target.city
        with pytest.raises(PayloadNotReadable, match="fields"):
            rig.connector.read_payload(RecordKind.CUSTOMER, {"ClientUID": 5})


async def test_conecrm_shows_the_vendors_current_account_and_reads_contacts() -> None:
    async with conecrm() as rig:
        account = await an_account(rig)
        rid = account.provenance.remote_id
        rig.sandbox.edit_at_vendor("account", rid.split(":")[1], {"primaryEmail": "x@y.example"})
        with pytest.raises(errors.Conflict) as conflict:
            await rig.connector.push(
                push(
                    "update",
                    RecordKind.CUSTOMER,
                    account,
                    rid,
                    changes={"city": "Waco"},
                    base=stored(account),
                )
            )
        theirs = rig.connector.read_payload(RecordKind.CUSTOMER, conflict.value.theirs)
        assert isinstance(theirs, Customer)
        assert theirs.provenance.remote_id == rid
        assert theirs.email == "x@y.example"
        contact = next(
            c
            for p in await rig.pull("customers")
            for c in p.records
            if c.provenance.remote_id.startswith("contact:")
        )
        again = rig.connector.read_payload(RecordKind.CUSTOMER, stored(contact))
        assert again.provenance.remote_id == contact.provenance.remote_id
        with pytest.raises(PayloadNotReadable):
            rig.connector.read_payload(RecordKind.TASK, {})
