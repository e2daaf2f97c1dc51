"""The team around the leads: members (from the shared producers), roles, routing, ponds, tags,
custom fields, offices, permission profiles, the registered vendor and a few MLS listings."""

from __future__ import annotations

import json
import random

from agencydesk.vendors.lofty.sandbox.state import LoftyState
from agencydesk.vendors.sandbox_kit.people import Population

# UserResponse.role is an int with no documented meanings (digest §6.3): our own codes.
_ROLES = {
    "Agency Owner": (1, "Admin"),
    "Producer": (2, "Agent"),
    "Account Manager": (4, "Assistant"),
    "CSR": (4, "Assistant"),
}
CUSTOM_FIELDS = (
    ("Current Carrier", "text", None),
    ("Policy Renewal Date", "date", None),
    ("Coverage Interest", "multi_select", None),  # options: the population's lines
)
TX_CUSTOM_FIELDS = (
    ("Carrier", "text", None),
    ("Policy Number", "text", None),
    ("Line", "select", None),  # options: the population's lines
)


def seed_team(state: LoftyState, pop: Population, rng: random.Random) -> None:
    now = pop.epoch
    for i, producer in enumerate(pop.producers):
        role, role_name = _ROLES.get(producer.title, (2, "Agent"))
        member_id = 1001 + i  # ext: /me "id" is a short id, unlike the 15-digit user ids
        state.members[member_id] = {
            "id": member_id,
            "memberUserId": 100_000_000_514 + i * 37,
            "firstName": producer.first_name,
            "lastName": producer.last_name,
            "firstLetter": producer.first_name[:1].upper(),
            "email": producer.email,
            "phoneNumber": producer.phone.removeprefix("+1"),
            "virtualNumber": f"512555{1000 + i:04d}",
            "role": role,
            "roleName": role_name,
            "isAdmin": role == 1,
            "status": 1,
            "accountStatus": "Active",
            "groupId": 501 if i % 2 == 0 else 502,
            "groupName": "Austin Office" if i % 2 == 0 else "Dallas Office",
            "invitorUserId": None if i == 0 else 100_000_000_514,
            "timeZoneId": "America/Chicago",
            "newLeadCount": 0,
            "agentInfo": {
                "agentPid": f"P{700 + i}",
                "companyAddress": "100 Congress Ave",
                "companyName": "Summit Insurance Group",
                "licenseId": f"TX-{2200 + i}",
                "mlsAgentId": f"MLS{900 + i}",
                "position": producer.title,
            },
        }
    state.owner_id = 1001
    agents = [m["id"] for m in state.members.values()]
    state.roles = [
        {"id": 1, "name": "Agent"},
        {"id": 2, "name": "Lender"},
        {"id": 3, "name": "Assistant"},
        {"id": 4, "name": "Transaction Coordinator"},
    ]
    state.ponds = {
        61: {
            "id": 61,
            "pondName": "Unworked Internet Leads",
            "pondOwnerId": 1001,
            "agentIds": agents,
        },
        62: {
            "id": 62,
            "pondName": "Renewal Follow-up",
            "pondOwnerId": 1001,
            "agentIds": agents[:2],
        },
    }
    owner = state.members[1001]
    for kind in (1, 2, 4):
        role_ids = (3,) if kind == 4 else (0,)
        for role_id in role_ids:
            state.supplement_rules[(kind, role_id)] = {
                "assigneeAgentId": str(agents[0]),
                "assigneeAgentName": f"{owner['firstName']} {owner['lastName']}",
                "assigneeGroupId": "501",
                "assigneeGroupName": "Austin Office",
                "businessType": kind,
                "roleId": role_id or None,
                "strategyType": 1,
                "touchMinutes": 15,
                "updateTime": int(now.timestamp() * 1000),
            }
        state.routing_rules[kind] = [
            {
                "id": 8000 + kind * 10 + n,
                "name": name,
                "ruleSwitch": True,
                "leadType": "Buyer",
                "leadTypeFilters": "2",
                "groupMatchType": 0,
                "groupNames": [],
                "sourceMatchType": 1,
                "sourceName": source,
                "tagMatchType": 0,
                "tagNames": [],
                "priceMin": None,
                "priceMax": None,
                "phone": None,
                "_roleId": 3 if kind == 4 else None,
                "locationRule": {
                    "city": "Austin",
                    "county": None,
                    "locationMatchType": 0,
                    "state": "TX",
                    "streetAddress": None,
                    "zipcode": None,
                },
                "activeHours": {"activeDays": [1, 2, 3, 4, 5], "hoursStart": 8, "hoursEnd": 18},
                "routingStrategy": {
                    "groupId": None,
                    "groupName": None,
                    "strategyType": 1,
                    "touchMinutes": 15,
                    "memberWeights": [{"memberId": a, "weight": 1} for a in agents],
                },
                "updateTime": int(now.timestamp() * 1000),
            }
            for n, (name, source) in enumerate((("Web leads", "Website"), ("Zillow", "Zillow")))
        ]
    lines = json.dumps({"option": [line.name for line in pop.lines]}, separators=(",", ":"))
    for attr_name, attr_type, attr_params in CUSTOM_FIELDS:
        state.custom_fields.append(
            {
                "attributeName": attr_name,
                "attributeType": attr_type,
                "params": lines if attr_type == "multi_select" else attr_params,
                "value": None,
            }
        )
    for i, (field_name, field_kind, field_params) in enumerate(TX_CUSTOM_FIELDS):
        state.tx_custom_fields.append(
            {
                "id": 41 + i,
                "name": field_name,
                "type": field_kind,
                "params": lines if field_kind == "select" else field_params,
            }
        )
    state.company = {
        "teamId": state.team_id,
        "name": "Summit Insurance Group",
        "email": "office@summitinsure.com",
        "phone": "5125550100",
        "phoneCode": "1",
        "phoneCountry": "US",
        "streetAddress": "100 Congress Ave",
        "city": "Austin",
        "state": "TX",
        "zipcode": "78701",
        "header": None,
    }
    for oid, (name, city) in {
        501: ("Austin Office", "Austin"),
        502: ("Dallas Office", "Dallas"),
    }.items():
        state.offices[oid] = {
            "id": oid,
            "name": name,
            "parentId": None,
            "allowManageSub": True,
            "city": city,
            "state": "TX",
            "streetAddress": "1 Main St",
            "zipcode": "78701",
            "email": None,
            "phone": None,
            "phoneCode": "1",
            "phoneCountry": "US",
            "websiteOwnerId": 1001,
        }
    state.profiles = [
        {"id": 11, "name": "Team Admin"},
        {"id": 12, "name": "Agent"},
        {"id": 13, "name": "Assistant"},
    ]
    state.vendors = [
        {
            "id": 3301,
            "agentUserId": 100_000_000_514,
            "firstName": "Agency",
            "lastName": "Desk",
            "email": "api@agencydesk.example",
            "companyName": "AgencyDesk",
            "companyAddress": "AgencyDesk",
            "phoneCode": "1",
            "phoneCountry": "US",
            "phoneNumber": "5125550199",
            "roleName": "Vendor",
        }
    ]
    for n in range(24):
        city = ("Austin", "Dallas", "Houston")[n % 3]
        state.listings.append(
            {
                "listingId": f"L{5000 + n}",
                "mlsListingId": f"MLS-{880000 + n}",
                "userId": 100_000_000_514 + (n % len(agents)) * 37,
                "street": f"{100 + n * 7} {rng.choice(('Oak', 'Elm', 'Cedar', 'Lamar'))} St",
                "city": city,
                "state": "TX",
                "price": rng.randrange(180_000, 1_900_000, 5_000),
                "bedrooms": rng.randint(1, 5),
                "bathrooms": rng.choice((1, 1.5, 2, 2.5, 3)),
                "status": "Sold" if n % 6 == 0 else "Active",
                "agentListing": n % 2 == 0,
                "officeListing": n % 3 != 0,
                "buildingName": None,
                "category": ("LuxVT", "AptCom", "AllOnMarket")[n % 3],
            }
        )
