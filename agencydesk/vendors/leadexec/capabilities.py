"""What each tab can do with a LeadExec account (../shared/vendor-notes/README.md and §8 of
leadexec.md; each "no" carries the tooltip that says why). LeadExec distributes leads: its
"clients" are lead buyers (shown as customers), and it has no policies, messages or tasks."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.vendors.connector import Capabilities, TabCapability

NO_POLICIES = "LeadExec's API has no policies: it distributes leads to buyers."
NO_MESSAGES = "LeadExec's API has no email, text or call history."

CAPABILITIES: Capabilities = {
    RecordKind.LEAD: TabCapability(
        list=False,
        show=True,
        create=False,
        update=False,
        delete=True,
        why_not="LeadExec's API cannot list, create or edit leads: it finds a lead by email, "
        "phone or address and can delete it.",
    ),
    RecordKind.CUSTOMER: TabCapability(
        list=True,
        show=True,
        create=True,
        update=True,
        delete=False,
        why_not="LeadExec's API cannot delete a client (lead buyer): close it in LeadExec.",
    ),
    RecordKind.POLICY: TabCapability(False, False, False, False, False, NO_POLICIES),
    RecordKind.THREAD: TabCapability(False, False, False, False, False, NO_MESSAGES),
    RecordKind.MESSAGE: TabCapability(False, False, False, False, False, NO_MESSAGES),
    RecordKind.TASK: TabCapability(
        False, False, False, False, False, "LeadExec's API has no tasks."
    ),
    RecordKind.NOTE: TabCapability(
        False, False, False, False, False, "LeadExec's API has no notes on leads or clients."
    ),
}
