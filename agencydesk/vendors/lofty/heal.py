"""Lofty: a set-aside lead read again by id (``vendors/rereading.py``). Leads are read by a
cursor of changes since the last run, so a lead set aside is not met again until it changes:
GET /v1.0/leads/{leadId} (L1032) reads it now. Notes, tasks and threads come per lead and are
read again with their lead's next change."""

from __future__ import annotations

from functools import partial

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import PulledPage, Stream
from agencydesk.vendors.lofty import mapping as m
from agencydesk.vendors.lofty.connector import LoftyConnector
from agencydesk.vendors.rereading import page_of


async def reread(connector: LoftyConnector, stream: Stream, remote_id: str) -> PulledPage | None:
    if stream.name != "leads" or not remote_id.isdigit():
        return None  # (an id that was itself unreadable: only a full listing meets it again)
    try:
        item = await connector.client.lead(remote_id, fg=False)
    except errors.NotFound:  # trashed or deleted (trashed leads need withTrash, L1032)
        return PulledPage(deleted=[(stream.kind, remote_id)])
    return page_of(item, remote_id, partial(m.lead_from, account=connector.account))
