"""Reading one set-aside record again by its vendor id, through the vendor's detail endpoint.

A record set aside for a payload we could not read is read again at the next sync. A full
listing meets it again by itself; a stream read by cursor or "changed since" never does, so for
those the vendor's ``heal.py`` (``agencydesk/vendors/<vendor>/heal.py``) fetches it by id:
``async def reread(connector, stream, remote_id) -> PulledPage | None``, a page holding the
record (or it, still unreadable, in ``unreadable``; or its id in ``deleted`` when the vendor no
longer has it), or None when the stream has no detail endpoint (the next listing heals it).
Kept beside the connectors, not in them, so each vendor's part is one small file.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from typing import Any

from agencydesk.domain import Record, RecordKind
from agencydesk.vendors.client_kit.streams import text
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import PulledPage, Stream, Unreadable

Reread = Callable[[Any, Stream, str], Awaitable[PulledPage | None]]

# Vendors with a detail endpoint for some stream. ConeCRM and LeadExec list everything at every
# sync (their set-aside records are met again in the listing).
_HEALERS = {
    "agencyzoom": "agencydesk.vendors.agencyzoom.heal",
    "agencybloc": "agencydesk.vendors.agencybloc.heal",
    "lofty": "agencydesk.vendors.lofty.heal",
}


def reader_for(vendor: str) -> Reread | None:
    name = _HEALERS.get(vendor)
    if name is None:
        return None
    reread: Reread = importlib.import_module(name).reread
    return reread


def page_of(
    item: Any,
    remote_id: str,
    read: Callable[[dict[str, Any]], Record | tuple[Record, tuple[RecordKind, str] | None]],
) -> PulledPage:
    """A page holding the record read from ``item``, or ``item`` set aside with the reason."""
    page = PulledPage()
    try:
        if not isinstance(item, dict):
            raise FieldUnreadable("record: not an object")
        read_back = read(item)
    except FieldUnreadable as exc:
        page.unreadable.append(Unreadable(remote_id, text(item), str(exc)))
        return page
    record, link = read_back if isinstance(read_back, tuple) else (read_back, None)
    if link is not None:
        page.links[0] = link
    page.records.append(record)
    return page
