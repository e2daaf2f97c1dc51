"""What each tab can do with a ConeCRM account (../shared/vendor-notes/README.md and §8 of
conecrm.md; each "no" carries the tooltip that says why). ConeCRM is a dealership CRM: no
policies and no messages; contacts are read-only, accounts can be changed."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.vendors.connector import Capabilities, TabCapability

NO_MESSAGES = "ConeCRM's API has no email, text or call history."

CAPABILITIES: Capabilities = {
    RecordKind.LEAD: TabCapability(
        list=True,
        show=True,
        create=False,
        update=False,
        delete=False,
        # L6628 needs department, source and franchise ids no endpoint lists; the only other way,
        # copying a lead (L7557), "will inherit most properties from the original lead": another
        # lead's stage, status, assignees and category would land on the new person.
        why_not="ConeCRM's API cannot add a lead from here without copying another lead's stage, "
        "assignee, department and category onto it, and cannot change or delete a lead: do it "
        "in ConeCRM.",
    ),
    RecordKind.CUSTOMER: TabCapability(
        list=True,
        show=True,
        create=True,
        update=True,
        delete=True,
        why_not="ConeCRM's API can change and delete accounts only: its contacts are read-only.",
    ),
    RecordKind.POLICY: TabCapability(
        False, False, False, False, False, "ConeCRM's API has no policies (a dealership CRM)."
    ),
    RecordKind.THREAD: TabCapability(False, False, False, False, False, NO_MESSAGES),
    RecordKind.MESSAGE: TabCapability(False, False, False, False, False, NO_MESSAGES),
    RecordKind.TASK: TabCapability(
        list=False,
        show=False,
        create=True,
        update=True,
        delete=True,
        complete=False,  # push.py refuses a status change: the API has no completion field
        why_not="ConeCRM's API cannot list tasks or mark them done: tasks made here can be "
        "changed and deleted.",
    ),
    RecordKind.NOTE: TabCapability(
        False, False, False, False, False, "ConeCRM's API has no notes."
    ),
}
