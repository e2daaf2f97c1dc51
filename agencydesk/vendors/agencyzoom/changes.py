"""AgencyZoom's one rule for what is a real change to a record (used by the store's conflict
check and by ``push.py``): fields that move without anyone editing the record (activity, totals,
names looked up from ids) are not."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.domain.change_rule import ChangeRule

VOLATILE = {
    RecordKind.LEAD: frozenset(
        [
            "lastActivityDate",
            "enterStageDate",
            "taskCount",
            "premium",
            "quoted",
            "totalOpportunityPremium",
            "totalQuotePremium",
            "totalPolicyPremium",
            "opportunities",
            "quotes",
            "leadSourceName",
            "assignToFirstname",
            "assignToLastname",
            "workflowName",
            "workflowStageName",
            "csrFirstname",
            "csrLastname",
            "creditToFirstname",
            "creditToLastname",
        ]
    ),
    RecordKind.CUSTOMER: frozenset(["totalPremium", "policies", "notes", "tasks", "files"]),
    RecordKind.TASK: frozenset(["assignedDate"]),
}

CHANGE_RULE = ChangeRule("agencyzoom", ignored=VOLATILE)
