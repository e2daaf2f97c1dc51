"""What each tab can do with a Lofty account (../shared/vendor-notes/README.md and lofty.md §9;
each "no" carries the tooltip that says why)."""

from __future__ import annotations

from agencydesk.domain import Channel, RecordKind, Thread
from agencydesk.vendors.connector import ActivityRoute, Capabilities, TabCapability
from agencydesk.vendors.lofty import history

_NO_SENDING = (
    "Lofty's API cannot send email or text messages: it can only log a call, email or text "
    "that happened elsewhere (POST /v1.0/logType)."
)

CAPABILITIES: Capabilities = {
    RecordKind.LEAD: TabCapability(
        list=True,
        show=True,
        create=True,
        update=True,
        delete=True,
        why_not="Deleting a Lofty lead moves it to Lofty's trash. Lofty has stages, not "
        "statuses: change the stage.",
    ),
    RecordKind.CUSTOMER: TabCapability(
        False,
        False,
        False,
        False,
        False,
        "Lofty has only leads: clients are leads in a client stage (see the Leads tab).",
    ),
    RecordKind.POLICY: TabCapability(
        False, False, False, False, False, "Lofty is a real-estate CRM: it has no policies."
    ),
    RecordKind.THREAD: TabCapability(
        list=True, show=True, create=False, update=False, delete=False, why_not=_NO_SENDING
    ),
    RecordKind.MESSAGE: TabCapability(
        list=True,
        show=True,
        create=True,
        update=False,
        delete=True,
        why_not=_NO_SENDING + " Only logged entries can be deleted; none can be edited.",
    ),
    RecordKind.TASK: TabCapability(
        list=True,
        show=True,
        create=True,
        update=True,
        delete=True,
        complete=False,  # TaskRequest (lofty.md L1384-1390) has no status field: push.py refuses it
        why_not="Lofty's API cannot mark a task done or reopen it (no such field on write).",
    ),
    RecordKind.NOTE: TabCapability(list=True, show=True, create=True, update=True, delete=True),
}

# Lofty has only leads. A note is POST /v1.0/notes {leadId, content} (L1702); a call, email or
# text is POST /v1.0/logType (L2669, LogTypeRequest L4585: logCall/logEmail/logText with its
# outcome and direction).


def _log_thread(account: str, lead_id: str, channel: Channel) -> Thread:
    """The lead's calls, emails or texts, as the history sync names them."""
    return history.thread_for(history.thread_remote_id(lead_id, channel), account, 0, None, "")


ACTIVITY_ROUTES = {
    RecordKind.LEAD: ActivityRoute(notes=True, logs=True, log_thread=_log_thread),
}
