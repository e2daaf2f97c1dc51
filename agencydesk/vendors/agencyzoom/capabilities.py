"""What each tab can do with an AgencyZoom account (../shared/vendor-notes/README.md, §8 of
agencyzoom.md; each "no" carries the tooltip that says why)."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.vendors.connector import ActivityRoute, Capabilities, TabCapability

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

# A logged note, call, email or text goes on the lead or customer as a note: POST
# /v1/api/leads/{leadId}/notes (L4254) and /v1/api/customers/{customerId}/notes (L853) take only
# ``note`` (a string). The API has no call or message log of its own (its "call" is a task type
# to do, L6606, not one done).
ACTIVITY_ROUTES = {
    RecordKind.LEAD: ActivityRoute(notes=True),
    RecordKind.CUSTOMER: ActivityRoute(notes=True),
}

# Opening a thread marks it read there too: POST …/email-thread/unread-thread (L1714) and
# …/text-thread/unread-thread (L2086) take {threadId, markUnread}.
MARKS_THREADS_READ = True
