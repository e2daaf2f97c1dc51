"""AgencyZoom: set-aside leads, customers and tasks read again by id (``vendors/rereading.py``).
Leads are listed by last activity (L2363) and customers and tasks only when new between full
listings (L377), so a record set aside is not met again until it changes: its detail endpoint
reads it now. An unknown id answers 400, not 404 (vendor-notes §7.24): gone."""

from __future__ import annotations

from functools import partial

from agencydesk.vendors.agencyzoom import mapping as m
from agencydesk.vendors.agencyzoom.connector import AgencyZoomConnector
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import PulledPage, Stream
from agencydesk.vendors.rereading import page_of


async def reread(
    connector: AgencyZoomConnector, stream: Stream, remote_id: str
) -> PulledPage | None:
    if not remote_id.isdigit():
        return None  # the id itself was unreadable ("#12"): only a full listing meets it again
    client, account = connector.client, connector.account
    try:
        if stream.name == "leads":
            item = await client.lead(remote_id, fg=False)  # GET /v1/api/leads/{leadId} (L3826)
            return page_of(item, remote_id, partial(m.lead_from, account=account))
        if stream.name == "customers":
            item = await client.customer(remote_id, fg=False)  # GET …/customers/{id} (L482)
            producers = await connector.producers()
            return page_of(
                item, remote_id, partial(m.customer_from, account=account, producers=producers)
            )
        if stream.name == "tasks":
            item = await client.task(remote_id, fg=False)  # GET /v1/api/tasks/{taskId} (L6674)
            return page_of(item, remote_id, partial(m.task_from, account=account))
    except (errors.NotFound, errors.ValidationFailed):
        return PulledPage(deleted=[(stream.kind, remote_id)])
    return None  # threads and policies: read again with their parent's next listing
