"""A pulled page's records the book cannot store are set aside like unreadable ones (named
with their vendor id and field, ``store/storable.py`` says why), so the rest of the page and
the account's read go on."""

from __future__ import annotations

import json
import logging

from agencydesk.domain import Record
from agencydesk.store.storable import why_unstorable
from agencydesk.vendors.connector import PulledPage, Unreadable

log = logging.getLogger(__name__)


def set_aside_unstorable(page: PulledPage, dialect: str) -> int:
    """Move the records of ``page`` that ``dialect`` cannot store onto its unreadable list
    (its links renumbered); how many were moved."""
    refused: dict[int, str] = {}
    for index, record in enumerate(page.records):
        reason = why_unstorable(record, dialect)
        if reason is not None:
            refused[index] = reason
    if not refused:
        return 0
    kept: list[Record] = []
    links = {}
    for index, record in enumerate(page.records):
        if index in refused:
            prov = record.provenance  # the reason names a field and what is wrong, no value
            log.warning("%s: %s %s set aside: %s", prov.account, record.kind.value,
                        prov.remote_id or "(no id)", refused[index])  # fmt: skip
            payload = json.dumps(record.raw, default=str)  # ASCII: NULs and surrogates escaped
            aside = Unreadable(prov.remote_id, payload, refused[index], unstorable=True)
            page.unreadable.append(aside)
            continue
        if index in page.links:
            links[len(kept)] = page.links[index]
        kept.append(record)
    page.records, page.links = kept, links
    return len(refused)
