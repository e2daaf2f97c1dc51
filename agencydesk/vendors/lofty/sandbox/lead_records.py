"""A blank lead in LeadResponse shape (L4254), before a LeadRequest is applied to it."""

from __future__ import annotations

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record


def new_lead(state: LoftyState) -> Record:
    lead_id = max(state.leads, default=200_000_000) + 1
    now = state.now()
    return {
        "leadId": lead_id,
        "leadUserId": 1_100_000_000_000 + (lead_id - 200_000_001) * 13,
        "teamId": state.team_id,
        "firstName": None,
        "lastName": None,
        "emails": [],
        "phones": [],
        "phoneStatuses": [],
        "birthday": None,
        "language": None,
        "facebook": None,
        "twitter": None,
        "streetAddress": None,
        "city": None,
        "state": None,
        "zipCode": None,
        "source": None,
        "leadSource": -1,
        "stage": "New Lead",
        "stageId": state.stage_id("New Lead"),
        "leadType": -1,
        "leadTypes": [],
        "opportunity": None,
        "score": 0,
        "segments": [],
        "assignedUserId": None,
        "assignCompletionStatus": True,
        "lenderUserId": None,
        "customRoleList": [
            {"role": r["name"], "roleId": r["id"], "assigneeId": 0, "assignee": None}
            for r in state.roles
        ],
        "pondId": None,
        "pondName": None,
        "privateFlag": False,
        "cannotCall": False,
        "cannotEmail": False,
        "cannotText": False,
        "unsubscription": False,
        "buyHouse": None,
        "buyingTimeFrame": None,
        "sellingTimeFrame": None,
        "houseToSell": None,
        "fthb": None,
        "mortgage": None,
        "preQual": None,
        "withBuyerAgent": None,
        "withListingAgent": None,
        "referredBy": None,
        "leadInquiry": None,
        "leadPropertyList": [],
        "leadFamilyMemberList": [],
        "customAttributes": [],
        "_created": now,
        "_updated": now,
        "_assigned": None,
        "_touched": None,
        "_visited": None,
        "_tags": {},
        "_deleted": False,
        "_deleteTime": None,
        "_deleteReason": None,
        "_contacted": False,
        "_personId": None,
    }
