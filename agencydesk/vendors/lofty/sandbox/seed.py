"""Seeded Lofty data from the shared population: the people present at "lofty" become leads
(some of them AgencyZoom customers or leads too, so linking can be tested), each with notes,
tasks, appointments, calls, emails, texts, logged communication, web activity and timeline."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from agencydesk.vendors.lofty.sandbox.seed_history import seed_history, seed_policies
from agencydesk.vendors.lofty.sandbox.seed_team import seed_team
from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.times import birthday_text
from agencydesk.vendors.sandbox_kit.people import PIPELINE_STAGES, Person, Population

_LINE_SEGMENT = {
    "personal": "Personal Lines",
    "commercial": "Commercial",
    "life": "Life",
    "health": "Health",
}


def seed(state: LoftyState, pop: Population) -> None:
    rng = random.Random(pop.seed * 7919 + 17)
    seed_team(state, pop, rng)
    agents = sorted(state.members)
    az_leads = {ld.person_id: ld for ld in pop.leads}
    az_customers = {c.person_id: c for c in pop.customers}
    for n, person in enumerate(sorted(pop.people_at("lofty"), key=lambda p: p.id)):
        lead = _lead(
            state,
            pop,
            rng,
            n,
            person,
            agents,
            az_leads.get(person.id),
            az_customers.get(person.id),
        )
        _fill_rest(lead)
        state.leads[lead["leadId"]] = lead
        seed_history(state, rng, lead, pop.epoch)
        customer = az_customers.get(person.id)
        if customer is not None:
            seed_policies(state, pop, lead, customer.id)


def _lead(
    state: LoftyState,
    pop: Population,
    rng: random.Random,
    n: int,
    person: Person,
    agents: list[int],
    az_lead: object,
    customer: object,
) -> Record:
    is_customer = customer is not None
    if az_lead is not None:  # also an AgencyZoom lead: same source, stage and dates
        created: datetime = az_lead.created_at  # type: ignore[attr-defined]
        source: str = az_lead.source  # type: ignore[attr-defined]
        stage: str = az_lead.stage  # type: ignore[attr-defined]
        line = pop.line(az_lead.line_id)  # type: ignore[attr-defined]
        agent = agents[(az_lead.producer_id - 1) % len(agents)]  # type: ignore[attr-defined]
    else:
        created = pop.epoch - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1440))
        source = rng.choice(("Website", "Zillow", "Referral", "Facebook Ads", "Open House"))
        stage = "Past Client" if is_customer else rng.choice(PIPELINE_STAGES)
        line = rng.choice(pop.lines)
        agent = rng.choice(agents)
    carrier = rng.choice(pop.carriers).name
    if customer is not None:  # an AgencyZoom customer: their first policy's line and dates
        created = customer.created_at  # type: ignore[attr-defined]
        policies = pop.policies_of(customer.id)  # type: ignore[attr-defined]
        if policies:
            line = pop.line(policies[0].line_id)
            carrier = pop.carrier(policies[0].carrier_id).name
        agent = agents[(customer.producer_id - 1) % len(agents)]  # type: ignore[attr-defined]
    updated = min(pop.epoch, created + timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 23)))
    tags = (
        [line.name]
        + (["Customer"] if is_customer else [])
        + (["Hot"] if rng.random() < 0.2 else [])
    )
    household = [
        p
        for p in (pop.person(pid) for pid in pop.households[person.household_id - 1].member_ids)
        if p.id != person.id
    ][:4]
    lead_id = 200_000_001 + n
    in_pond = rng.random() < 0.08
    lead: Record = {
        "leadId": lead_id,
        "leadUserId": 1_100_000_000_000 + n * 13,
        "teamId": state.team_id,
        "firstName": person.first_name,
        "lastName": person.last_name,
        "emails": [person.email],
        "phones": [person.phone.removeprefix("+1")],
        "phoneStatuses": [1],
        "birthday": birthday_text(person.birth_date),
        "language": "en",
        "facebook": None,
        "twitter": None,
        "streetAddress": person.address.street,
        "city": person.address.city,
        "state": person.address.state,
        "zipCode": person.address.zip,
        "source": source,
        "leadSource": state.source_id(source),
        "stage": stage,
        "stageId": state.stage_id(stage),
        "leadType": 8 if is_customer else 2,
        "leadTypes": [8] if is_customer else [2],
        "opportunity": None,
        "score": rng.randint(0, 100),
        "segments": [_LINE_SEGMENT[line.kind]],
        "assignedUserId": agent,
        "assignCompletionStatus": True,
        "lenderUserId": None,
        "customRoleList": [
            {
                "role": r["name"],
                "roleId": r["id"],
                "assigneeId": agent if r["name"] == "Agent" else 0,
                "assignee": state.members[agent]["email"] if r["name"] == "Agent" else None,
            }
            for r in state.roles
        ],
        "pondId": 61 if in_pond else None,
        "pondName": "Unworked Internet Leads" if in_pond else None,
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
        "leadPropertyList": [
            {
                "id": state.next_id(),
                "leadUserId": 1_100_000_000_000 + n * 13,
                "label": "Home",
                "streetAddress": person.address.street,
                "city": person.address.city,
                "state": person.address.state,
                "zipCode": person.address.zip,
                "county": None,
                "propertyType": "Single Family",
                "price": rng.randrange(150_000, 900_000, 1000),
                "bedrooms": rng.randint(1, 5),
                "bathrooms": float(rng.randint(1, 4)),
                "squareFeet": rng.randrange(800, 4200, 10),
                "lotSize": None,
                "floors": None,
                "parkingSpace": None,
                "mailAddress": True,
                "autoListingId": None,
                "labelList": None,
                "labelType": None,
                "listingId": None,
                "listingStatus": None,
                "note": None,
                "pictureUrl": None,
                "siteListingUrl": None,
            }
        ],
        "leadFamilyMemberList": [
            {
                "firstName": p.first_name,
                "lastName": p.last_name,
                "relationship": "Spouse" if i == 0 else "Child",
                "emails": [p.email],
                "phones": [p.phone.removeprefix("+1")],
                "birthday": birthday_text(p.birth_date),
            }
            for i, p in enumerate(household)
        ],
        "customAttributes": [
            {
                "attributeName": "Current Carrier",
                "attributeType": "text",
                "params": None,
                "value": carrier,
            },
            {
                "attributeName": "Coverage Interest",
                "attributeType": "multi_select",
                "params": state.custom_fields[2]["params"],
                "value": f'["{line.name}"]',
            },
        ],
        "_created": created,
        "_updated": updated,
        "_assigned": created,
        "_touched": updated if rng.random() < 0.7 else None,
        "_visited": None,
        "_tags": {t.lower(): (t, created) for t in tags},
        "_deleted": False,
        "_deleteTime": None,
        "_deleteReason": None,
        "_contacted": False,
        "_personId": person.id,
    }
    for t in tags:
        state.tag(t, state.owner_id)
    return lead


def _fill_rest(lead: Record) -> None:
    """Every other text field of EditLeadRequest (L3506-L3612) holds a value too, so a write
    that erases one shows in the inspector. A generator of its own keeps the main sequence (and
    every other seeded value) unchanged."""
    rng = random.Random(lead["leadId"])
    lead.update(
        buyHouse=rng.choice(("Yes", "No", "Maybe")),
        buyingTimeFrame=rng.choice(("0-3 months", "3-6 months", "6-12 months")),
        sellingTimeFrame=rng.choice(("Not selling", "6-12 months")),
        houseToSell=rng.choice(("Yes", "No")),
        fthb=rng.choice(("Yes", "No")),
        mortgage=rng.choice(("Pre-approved", "Needs lender")),
        preQual=rng.choice(("Yes", "No")),
        withBuyerAgent="No",
        withListingAgent="No",
        referredBy=rng.choice(("Past client", "Open house", "Neighbor")),
    )
