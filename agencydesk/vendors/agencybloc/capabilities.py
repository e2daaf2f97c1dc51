"""What each tab can do with an AgencyBloc AMS+ account. The document covers policies only
(L1-L2: create, search, update, view) and has no delete (vendor-notes agencybloc.md §8)."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.vendors.connector import Capabilities, TabCapability

_ONLY_POLICIES = "AgencyBloc's Policies API has only policies: {what} stay in AMS+."

CAPABILITIES: Capabilities = {
    RecordKind.POLICY: TabCapability(
        list=True,
        show=True,
        create=True,
        update=True,
        delete=False,
        why_not="AgencyBloc's API cannot delete policies: set a cancelled status instead, or "
        "delete it in AMS+.",
    ),
    RecordKind.LEAD: TabCapability(
        False, False, False, False, False, _ONLY_POLICIES.format(what="leads")
    ),
    RecordKind.CUSTOMER: TabCapability(
        list=True,
        show=True,
        create=False,
        update=False,
        delete=False,
        why_not="AgencyBloc's Policies API names a policy's group or individual but cannot "
        "create or change them: do it in AMS+.",
    ),
    RecordKind.THREAD: TabCapability(
        False, False, False, False, False, _ONLY_POLICIES.format(what="messages")
    ),
    RecordKind.MESSAGE: TabCapability(
        False, False, False, False, False, _ONLY_POLICIES.format(what="messages")
    ),
    RecordKind.TASK: TabCapability(
        False, False, False, False, False, _ONLY_POLICIES.format(what="tasks and activities")
    ),
    RecordKind.NOTE: TabCapability(
        False, False, False, False, False, _ONLY_POLICIES.format(what="notes")
    ),
}
