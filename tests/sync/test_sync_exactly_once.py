"""Exactly-once sending, tried by killing a real ``agencydesk sync`` (SIGKILL) right after the
vendor applied its create, update or delete and before the answer reached it (the sandbox's
``AfterApply`` hook), for each vendor and operation it supports. The restarted sync must leave
the vendor (its stored state) and the book with exactly one copy, the user's value, and no
conflict; two senders on one profile must send each entry once."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from agencydesk.domain import Customer, Lead, Provenance, Record, RecordKind, SyncState
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.send_lock import SendLock
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.write_risk import load_fields_at_risk
from tests.sync.crash_rig import CrashRig, crash_rig, rows_where

pytestmark = [pytest.mark.slow, pytest.mark.sandbox, pytest.mark.system]  # kills real syncs

NEW_CITY = "Pflugerville"


@dataclass(frozen=True)
class Vendor:
    """How a test reads one vendor's stored state (not its API's echo)."""

    name: str
    kind: RecordKind
    method: dict[str, tuple[str, str]]  # op -> (HTTP method, path regex) of the applying write
    new: Callable[[CrashRig], Record]  # op "create": the record typed here
    pick: Callable[[Sandbox], str]  # ops "update"/"delete": a record's id at the vendor
    copies: Callable[[Sandbox, str], int]  # records the vendor holds with this natural key
    stored: Callable[[Sandbox, str], Any]  # the edited field as stored; None: no such record
    key: tuple[str, str] = ("email", "once.only@example.com")  # the new record's natural key
    edit: tuple[str, Any] = ("city", NEW_CITY)  # the update: our field, the new value
    # How the record to update or delete gets into the book (default: read through the client).
    seed: Callable[[CrashRig, str], Record] | None = None


# -- AgencyZoom (vendor docs: create L1075 / L4692, update L643 / L4089, delete L706 / L4820) --
def _az_records(sb: Sandbox, kind: RecordKind) -> dict[int, Any]:
    return sb.state.customers if kind is RecordKind.CUSTOMER else sb.state.leads


def _az(kind: RecordKind) -> Vendor:
    plural = "customers" if kind is RecordKind.CUSTOMER else "leads"

    def new(rig: CrashRig) -> Record:
        cls = Customer if kind is RecordKind.CUSTOMER else Lead
        return cls(
            provenance=Provenance(vendor="agencyzoom", account=rig.label),
            first_name="Once",
            last_name="Only",
            email="once.only@example.com",
            city="Austin",
        )

    def pick(sb: Sandbox) -> str:
        return str(min(k for k, r in _az_records(sb, kind).items() if r.data.email))

    def copies(sb: Sandbox, email: str) -> int:
        return sum(
            1 for r in _az_records(sb, kind).values() if (r.data.email or "").lower() == email
        )

    def city(sb: Sandbox, remote_id: str) -> str | None:
        found = _az_records(sb, kind).get(int(remote_id))
        return None if found is None else str(found.data.city or "")

    delete = (
        ("DELETE", r"^/v1/api/customers/\d+$")
        if kind is RecordKind.CUSTOMER
        else ("POST", r"^/v1/api/leads/\d+/delete-lead$")
    )
    return Vendor(
        "agencyzoom",
        kind,
        {
            "create": ("POST", rf"^/v1/api/{plural}/create$"),
            # A commercial lead is written through …/update-biz-lead (L3458).
            "update": ("PUT", rf"^/v1/api/{plural}/\d+(/update-biz-lead)?$"),
            "delete": delete,
        },
        new,
        pick,
        copies,
        city,
    )


def _az_policies() -> Vendor:
    """The only policy delete (L760), answered 400 "not found" when sent again (no 404)."""

    def pick(sb: Sandbox) -> str:
        policy = min((p for p in sb.state.policies.values() if not p.ams), key=lambda p: p.id)
        return f"{policy.customer_id}:{policy.id}"

    def stored(sb: Sandbox, remote_id: str) -> str | None:
        return "there" if int(remote_id.partition(":")[2]) in sb.state.policies else None

    return Vendor(
        "agencyzoom",
        RecordKind.POLICY,
        {"delete": ("DELETE", r"^/v1/api/customers/\d+/policies/\d+$")},
        lambda rig: Lead(),
        pick,
        lambda sb, key: 0,
        stored,
    )


# -- Lofty (create L632, edit L1065, trash L1101; a trashed lead reads as not found, L1042) -----
def _lofty() -> Vendor:
    def new(rig: CrashRig) -> Record:
        return Lead(
            provenance=Provenance(vendor="lofty", account=rig.label),
            first_name="Once",
            last_name="Only",
            email="once.only@example.com",
            city="Austin",
        )

    def live(sb: Sandbox) -> dict[int, Any]:
        return {k: r for k, r in sb.state.leads.items() if not r["_deleted"]}

    def pick(sb: Sandbox) -> str:
        return str(min(k for k, r in live(sb).items() if r["emails"]))

    def copies(sb: Sandbox, email: str) -> int:
        return sum(1 for r in live(sb).values() if email in [e.lower() for e in r["emails"]])

    def city(sb: Sandbox, remote_id: str) -> str | None:
        found = live(sb).get(int(remote_id))
        return None if found is None else str(found.get("city") or "")

    return Vendor(
        "lofty",
        RecordKind.LEAD,
        {
            "create": ("POST", r"^/v1\.0/leads$"),
            "update": ("PUT", r"^/v1\.0/leads/\d+$"),
            "delete": ("DELETE", r"^/v1\.0/leads/\d+$"),
        },
        new,
        pick,
        copies,
        city,
    )


# -- ConeCRM accounts (create L1089, PATCH L2562, DELETE L2044; no read by id) -----------------
def _cone() -> Vendor:
    def new(rig: CrashRig) -> Record:
        return Customer(
            provenance=Provenance(vendor="conecrm", account=rig.label),
            first_name="Once",
            last_name="Only",
            email="once.only@example.com",
            city="Austin",
        )

    def live(sb: Sandbox) -> dict[str, Any]:  # a deleted account is kept, marked (L2044)
        return {k: a for k, a in sb.state.accounts.items() if a.audit.deleted is None}

    def pick(sb: Sandbox) -> str:
        return f"account:{min(k for k, a in live(sb).items() if a.fields.get('primaryEmail'))}"

    def copies(sb: Sandbox, email: str) -> int:
        accounts = live(sb).values()
        return sum(1 for a in accounts if str(a.fields.get("primaryEmail") or "").lower() == email)

    def city(sb: Sandbox, remote_id: str) -> str | None:
        found = live(sb).get(remote_id.partition(":")[2])
        return None if found is None else str(found.fields.get("city") or "")

    uuid = "[0-9a-f-]{36}"
    return Vendor(
        "conecrm",
        RecordKind.CUSTOMER,
        {
            "create": ("POST", r"^/api/account$"),
            "update": ("PATCH", rf"^/api/account/{uuid}$"),
            "delete": ("DELETE", rf"^/api/account/{uuid}$"),
        },
        new,
        pick,
        copies,
        city,
    )


# -- AgencyBloc policies (create L5, update L130; no delete) ------------------------------------
def _bloc() -> Vendor:
    def pick(sb: Sandbox) -> str:
        return str(min(k for k, p in sb.state.policies.items() if not p.deleted))

    def new(rig: CrashRig) -> Record:
        """A new policy of an existing holder, with a carrier, status and line AgencyBloc already
        has (it auto-creates unknown ones, vendor-notes §7)."""
        model = rig.read(RecordKind.POLICY, pick(rig.sandbox))
        return replace(
            model,
            id=None,
            provenance=Provenance(vendor="agencybloc", account=rig.label),
            policy_number="ONCE-ONLY-1",
            raw={k: model.raw[k] for k in ("HolderType", "HolderID")},
        )

    def copies(sb: Sandbox, number: str) -> int:
        return sum(
            1
            for p in sb.state.policies.values()
            if not p.deleted and (p.policy_number or "").lower() == number.lower()
        )

    def stored(sb: Sandbox, remote_id: str) -> str | None:
        found = sb.state.policies.get(int(remote_id))
        return None if found is None or found.deleted else found.policy_number

    base = r"^/api/v1/policies"
    return Vendor(
        "agencybloc",
        RecordKind.POLICY,
        {"create": ("POST", base + "/create$"), "update": ("POST", base + "/update$")},
        new,
        pick,
        copies,
        stored,
        key=("policy_number", "ONCE-ONLY-1"),
        edit=("policy_number", "ONCE-ONLY-2"),
    )


# -- LeadExec clients (lead buyers; PATCH /v1/clients with ClientUID 0 creates, L54/L94) -------
def _leadexec() -> Vendor:
    def bit(sb: Sandbox, special: str) -> int:
        return next(d.uid for d in sb.state.client_fields.values() if d.special_bit == special)

    def new(rig: CrashRig) -> Record:
        return Customer(
            provenance=Provenance(vendor="leadexec", account=rig.label),
            business_name="Once Only Leads",
            first_name="Once",
            last_name="Only",
            email="once.only@example.com",
            phone="+15125550100",
            street="1 Main St",
            city="Austin",
            state="TX",
            zip_code="78701",
        )

    def pick(sb: Sandbox) -> str:
        return str(min(sb.state.clients))

    def copies(sb: Sandbox, email: str) -> int:
        uid = bit(sb, "Email")
        clients = sb.state.clients.values()
        return sum(1 for c in clients if (c.values.get(uid) or "").lower() == email)

    def stored(sb: Sandbox, remote_id: str) -> str | None:
        found = sb.state.clients.get(int(remote_id))
        return None if found is None else found.values.get(bit(sb, "City"), "")

    return Vendor(
        "leadexec",
        RecordKind.CUSTOMER,
        {"create": ("PATCH", r"^/v1/clients$"), "update": ("PATCH", r"^/v1/clients$")},
        new,
        pick,
        copies,
        stored,
    )


# -- LeadExec leads (found by a search, deleted: only scheduled, L3533/L3541) ------------------
def _leadexec_leads() -> Vendor:
    def pick(sb: Sandbox) -> str:
        return str(min(sb.state.leads))

    def seed(rig: CrashRig, remote_id: str) -> Record:
        # Leads cannot be listed or read by id: they reach the book through Find leads (a
        # search); what is stored is the lead's id and what the search showed.
        return Lead(
            provenance=Provenance(vendor="leadexec", account=rig.label, remote_id=remote_id),
            first_name="Found",
            raw={"LeadUID": int(remote_id)},
        )

    def stored(sb: Sandbox, remote_id: str) -> str | None:
        found = sb.state.leads.get(int(remote_id))
        return None if found is None or found.delete_at is not None else "there"

    return Vendor(
        "leadexec",
        RecordKind.LEAD,
        {"delete": ("DELETE", r"^/v1/leads/\d+$")},
        lambda rig: Lead(),
        pick,
        lambda sb, key: 0,
        stored,
        seed=seed,
    )


VENDORS = {
    "agencyzoom-customer": _az(RecordKind.CUSTOMER),
    "agencyzoom-lead": _az(RecordKind.LEAD),
    "agencyzoom-policy": _az_policies(),
    "lofty-lead": _lofty(),
    "conecrm-account": _cone(),
    "agencybloc-policy": _bloc(),
    "leadexec-client": _leadexec(),
    "leadexec-lead": _leadexec_leads(),
}
CASES = [
    pytest.param(name, op, id=f"{name}-{op}")
    for name, vendor in VENDORS.items()
    for op in ("create", "update", "delete")
    if op in vendor.method
]


@pytest.mark.parametrize(("name", "op"), CASES)
def test_a_sync_killed_after_the_vendor_applied_a_change_sends_it_once(
    tmp_path: Path, name: str, op: str
) -> None:
    vendor = VENDORS[name]
    with crash_rig(vendor.name, tmp_path) as rig:
        local_id, remote_id = _queue(rig, vendor, op)
        rig.arm(*vendor.method[op])

        killed = rig.sync(kill=True)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert rig.killer.kills, "the sync was not killed at the vendor's write"
        with rig.book() as book:
            [entry] = book.ledgers.outbox(rig.label)
            assert entry.state is OutboxState.IN_FLIGHT  # committed before the request went out

        again = rig.sync(kill=False)
        assert again.returncode == 0, again.stdout + again.stderr
        _assert_once(rig, vendor, op, local_id, remote_id)


def _queue(rig: CrashRig, vendor: Vendor, op: str) -> tuple[int, str]:
    """The local change waiting in the outbox: (its record's local id, its vendor id or "")."""
    if op == "create":
        with rig.book() as book:
            stored = book.ledgers.save_local_edit(vendor.new(rig), OutboxOp.CREATE, {})
        assert stored.id is not None
        return stored.id, ""
    remote_id = vendor.pick(rig.sandbox)
    if vendor.seed is None:
        local_id = rig.seed(vendor.kind, remote_id)
    else:
        with rig.book() as book:
            [local_id] = book.ledgers.store_page(rig.label, "seed", [vendor.seed(rig, remote_id)])
    with rig.book() as book:
        record = book.get(vendor.kind, local_id)
        assert record is not None
        if op == "update":
            field, value = vendor.edit
            edited = replace(record, **{field: value})
            changes: dict[str, Any] = {field: value}
            at_risk = load_fields_at_risk(vendor.name)
            if at_risk is not None and at_risk(vendor.kind, record, changes):
                # As the edit dialog's explicit confirmation does (issue 15).
                changes[CONFIRMED_LOSS] = at_risk(vendor.kind, record, changes)
            book.ledgers.save_local_edit(edited, OutboxOp.UPDATE, changes)
        else:
            book.ledgers.save_local_edit(record, OutboxOp.DELETE, {})
    return local_id, remote_id


def _assert_once(rig: CrashRig, vendor: Vendor, op: str, local_id: int, remote_id: str) -> None:
    with rig.book() as book:
        assert book.ledgers.outbox(rig.label) == []
        assert rows_where(book, vendor.kind, sync_state=SyncState.CONFLICT.value) == []
        if op == "create":
            column, value = vendor.key
            assert vendor.copies(rig.sandbox, value) == 1  # made once at the vendor
            [row] = rows_where(book, vendor.kind, **{column: value})  # and once in the book
            assert row["id"] == local_id
            assert row["remote_id"]
            assert row["sync_state"] == SyncState.SYNCED.value
        elif op == "update":
            field, value = vendor.edit
            assert vendor.stored(rig.sandbox, remote_id) == value
            [row] = rows_where(book, vendor.kind, remote_id=remote_id)
            assert (row[field], row["sync_state"]) == (value, SyncState.SYNCED.value)
        else:
            assert vendor.stored(rig.sandbox, remote_id) is None  # gone at the vendor
            assert rows_where(book, vendor.kind, remote_id=remote_id) == []


def test_two_senders_on_one_profile_send_each_entry_once(tmp_path: Path) -> None:
    vendor = VENDORS["agencyzoom-customer"]
    with crash_rig(vendor.name, tmp_path) as rig:
        with rig.book() as book:
            for n in range(3):
                new = replace(vendor.new(rig), email=f"twice.{n}@example.com")  # type: ignore[call-arg]
                book.ledgers.save_local_edit(new, OutboxOp.CREATE, {})
        # The first sender holds the profile while the vendor is slow to answer its creates.
        rig.arm("POST", r"^/v1/api/customers/create$")
        rig.hook.times = 3
        rig.hook.on_applied = lambda _hit: time.sleep(0.5)
        first = rig.start_sync()
        lock = SendLock.beside(rig.profile.cache_path)
        deadline = time.monotonic() + 60
        while lock.holder() != first.pid and first.poll() is None:  # the first has the profile
            assert time.monotonic() < deadline, "the first sender never took the profile"
            time.sleep(0.05)
        second = rig.start_sync()
        out2, err2 = second.communicate(timeout=120)
        out1, err1 = first.communicate(timeout=120)
    assert first.returncode == 0, out1 + err1
    assert "LookupError" not in err1 + err2
    # The second either waited for the first (then found nothing to send) or gave up after its
    # bounded wait naming the first sender's process, with nothing sent (exit 2).
    assert second.returncode in (0, 2), out2 + err2
    if second.returncode == 2:
        assert f"process {first.pid}" in err2
    for n in range(3):
        assert vendor.copies(rig.sandbox, f"twice.{n}@example.com") == 1
    with rig.book() as book:
        assert book.ledgers.outbox(rig.label) == []
        for n in range(3):
            assert len(rows_where(book, vendor.kind, email=f"twice.{n}@example.com")) == 1


def test_a_cli_sync_on_a_busy_profile_exits_2_naming_the_holder_and_sends_nothing(
    tmp_path: Path,
) -> None:
    vendor = VENDORS["agencyzoom-customer"]
    with crash_rig(vendor.name, tmp_path) as rig:
        with rig.book() as book:
            book.ledgers.save_local_edit(vendor.new(rig), OutboxOp.CREATE, {})
        holder = SendLock.beside(rig.profile.cache_path)
        assert holder.try_acquire()  # as the window's sync would hold it
        try:
            busy = rig.start_sync("--lock-wait", "0.5")
            out, err = busy.communicate(timeout=120)
        finally:
            holder.release()
        assert busy.returncode == 2, out + err
        assert f"process {os.getpid()} is already syncing this profile" in err
        assert vendor.copies(rig.sandbox, vendor.key[1]) == 0  # nothing sent
        with rig.book() as book:
            [entry] = book.ledgers.outbox(rig.label)
            assert entry.state is OutboxState.PENDING  # nothing half-written
