"""Where a record's latest version lives, in the user's words (the detail pane's "Record" line).
Kept free of Qt and of the rest of the sync UI: the tabs' HTML builders import it."""

from __future__ import annotations

from agencydesk.domain import Record, SyncState
from agencydesk.services.vendor_catalog import VENDOR_INFO


def sync_state_text(record: Record) -> str:
    """For the detail pane: where this record's latest version lives."""
    if record.provenance.is_local:
        return "Saved on this device only"
    info = VENDOR_INFO.get(record.provenance.vendor)
    name = info.display_name if info else record.provenance.vendor
    if record.sync_state is SyncState.PENDING:
        return f"Waiting to send to {name}"
    if record.sync_state is SyncState.CONFLICT:
        return f"Changed in {name} and here: choose in Sync ▸ Resolve conflicts…"
    return f"Synced with {name}"
