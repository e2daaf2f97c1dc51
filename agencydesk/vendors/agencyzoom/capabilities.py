"""What each tab can do with an AgencyZoom account (../shared/vendor-notes/README.md, §8 of
agencyzoom.md; each "no" carries the tooltip that says why)."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.vendors.connector import Capabilities, TabCapability

CAPABILITIES: Capabilities = {
    RecordKind.LEAD: TabCapability(list=True, show=True, create=True, update=True, delete=True),
    RecordKind.CUSTOMER: TabCapability(list=True, show=True, create=True, update=True, delete=True),
    RecordKind.POLICY: TabCapability(
        list=True,
        show=True,
        create=False,
        update=False,
        delete=True,
        why_not="AgencyZoom's API reads policies per customer; creating or editing one needs "
        "fields it never gives back (agency number, X-Api-Token), so do it in AgencyZoom.",
    ),
    RecordKind.THREAD: TabCapability(
        list=True,
        show=True,
        create=False,
        update=False,
        delete=False,
        why_not="AgencyZoom's API cannot send email or text messages: reply in AgencyZoom.",
    ),
    RecordKind.MESSAGE: TabCapability(
        list=True,
        show=True,
        create=False,
        update=False,
        delete=False,
        why_not="AgencyZoom's API cannot send email or text messages: reply in AgencyZoom.",
    ),
    RecordKind.TASK: TabCapability(list=True, show=True, create=True, update=True, delete=True),
    RecordKind.NOTE: TabCapability(
        list=True,
        show=True,
        create=True,
        update=False,
        delete=False,
        why_not="AgencyZoom's API can add notes but not change or delete them.",
    ),
}
