"""Calls a vendor makes one record at a time (AgencyZoom: a customer's policies, a lead's notes),
declared by the connector so the sync can make them AFTER every cheap listing, in the order that
is most useful to the user, and say how many are left.

A connector that has such calls implements ``FetchesPerRecord``: ``per_record_jobs()`` names
them, ``defer_per_record()`` tells its listings to leave them out from now on (the sync fetches
them one parent at a time through ``fetch_for``). Without ``defer_per_record`` a listing still
makes them inline, as before (tools and tests that read one stream on its own)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, runtime_checkable

from agencydesk.domain import RecordKind
from agencydesk.vendors.connector import PulledPage


@dataclass(frozen=True, slots=True)
class PerRecordJob:
    """One kind of per-record call: ``name`` ("policies"), made once per ``parent`` record
    (a customer), costing ``calls`` requests each, bringing records of ``kind``."""

    name: str
    parent: RecordKind
    kind: RecordKind
    calls: int
    # Every parent again after this long (AgencyZoom customers have no change stamp: their
    # policies are re-read in full rounds); None: only new parents and changed ones.
    every: timedelta | None = None
    # The parent's change stamp (``updated_at``) differing from the one fetched with: fetch again.
    when_parent_changes: bool = False
    # The answer is the parent's whole list: cached children missing from it are gone.
    answer_is_complete: bool = False
    # A listing stream this job replaces (the sync then never pulls that stream).
    replaces_stream: str = ""
    # The parents' listing stream, when a parent set aside there (unreadable, but its vendor id
    # known) still has children worth reading: a customer whose record is spoiled still holds
    # policies, which are then stored unlinked, as a listing would.
    set_aside_parents_of: str = ""


@runtime_checkable
class FetchesPerRecord(Protocol):
    def per_record_jobs(self) -> Sequence[PerRecordJob]: ...

    def defer_per_record(self) -> None:
        """From now on listings leave the per-record calls to ``fetch_for``."""
        ...

    async def fetch_for(self, job: str, parent_remote_id: str) -> PulledPage:
        """The records of one parent (links in ``PulledPage.links``); raises the client's
        typed errors like any call."""
        ...
