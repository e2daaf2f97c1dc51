"""AgencyBloc: a set-aside policy read again by id (``vendors/rereading.py``) through the policy
detail call the sync already makes for changed policies (L108); a policy is otherwise read in
detail only when its search row says it changed."""

from __future__ import annotations

from agencydesk.vendors.agencybloc.connector import AgencyBlocConnector
from agencydesk.vendors.connector import PulledPage, Stream


async def reread(
    connector: AgencyBlocConnector, stream: Stream, remote_id: str
) -> PulledPage | None:
    if stream.name != "policies" or not remote_id.isdigit():
        return None  # (an id that was itself unreadable: only a full listing meets it again)
    page = PulledPage()
    await connector._read_detail(page, remote_id)  # (the vendor's own folder)
    return page
