"""Seeded Lofty data from the shared population: the people present at "lofty" become leads
(some of them AgencyZoom customers or leads too, so linking can be tested), each with notes,
tasks, appointments, calls, emails, texts, logged communication, web activity and timeline."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

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
_OUTCOMES = ("Talked", "VoiceMessage", "NoAnswer", "BadNumber")  # L4589
_TASK_TYPES = ("Call", "Email", "Text", "Meeting", "Other")  # L5064 truncated; seen live
_NOTES = (
    "Asked for a bundle quote on home and auto.",
    "Renewal is coming up next month.",
    "Prefers texts after 5 pm.",
    "Sent the comparison sheet.",
    "Spouse will join the next call.",
    "Wants higher liability limits.",
)


def seed(state: LoftyState, pop: Population) -> None:
    rng = random.Random(pop.seed * 7919 + 17)
    seed_team(state, pop, rng)
    agents = sorted(state.members)
    az_leads = {ld.person_id: ld for ld in pop.leads}
    az_customers = {c.person_id: c for c in pop.customers}
    for n, person in enumerate(sorted(pop.people_at("lofty"), key=lambda p: p.id)):
        lead = _lead(
            state, pop, rng, n, person, agents, az_leads.get(person.id), person.id in az_customers
        )
        state.leads[lead["leadId"]] = lead
        _history(state, rng, lead, pop.epoch)


def _lead(
    state: LoftyState,
    pop: Population,
    rng: random.Random,
    n: int,
    person: Person,
    agents: list[int],
    az_lead: object,
    is_customer: bool,
) -> Record:
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
                "value": rng.choice(pop.carriers).name,
            },
            {
                "attributeName": "Coverage Interest",
                "attributeType": "multi_select",
                "params": None,
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


def _history(state: LoftyState, rng: random.Random, lead: Record, epoch: datetime) -> None:
    lead_id, agent = lead["leadId"], lead["assignedUserId"]
    start: datetime = lead["_created"]
    span = max(60, int((epoch - start).total_seconds() // 60))

    def at() -> datetime:
        return start + timedelta(minutes=rng.randint(0, span))

    add_note(state, lead_id, f"Lead created from {lead['source']}", 0, start, system=True)
    for _ in range(rng.randint(0, 3)):
        add_note(state, lead_id, rng.choice(_NOTES), agent, at(), pin=rng.random() < 0.1)
    for _ in range(rng.randint(0, 2)):
        tid, when = state.next_id(), at()
        done = rng.random() < 0.5
        state.tasks[tid] = {
            "id": tid,
            "leadId": lead_id,
            "type": rng.choice(_TASK_TYPES),
            "subject": "Follow up",
            "content": "Follow up on the quote",
            "body": None,
            "assignedRole": "Agent",
            "assignedUserId": agent,
            "creatorId": agent,
            "finishFlag": done,
            "deleteFlag": False,
            "reminderType": 1,
            "queryId": None,
            "queryInfo": None,
            "teamId": state.team_id,
            "_created": when,
            "_updated": when,
            "_deadline": when + timedelta(days=rng.randint(1, 10)),
            "_finished": when + timedelta(days=1) if done else None,
        }
    if rng.random() < 0.3:
        aid, when = state.next_id(), at()
        state.appts[aid] = {
            "id": aid,
            "leadId": lead_id,
            "descr": "Policy review",
            "allDay": False,
            "address": lead["streetAddress"],
            "assignToUid": agent,
            "assignRoleType": 1,
            "creatorId": agent,
            "finishFlag": False,
            "deleteFlag": False,
            "_start": when,
            "_end": when + timedelta(hours=1),
            "_finished": None,
            "_created": when - timedelta(days=2),
            "_updated": when - timedelta(days=2),
        }
    for _ in range(rng.randint(0, 3)):
        cid, when, secs = state.next_id(), at(), rng.randint(0, 900)
        outbound = rng.random() < 0.7
        state.calls[cid] = {
            "id": cid,
            "leadId": lead_id,
            "agentId": agent,
            "userId": agent,
            "direction": "Outbound" if outbound else "Inbound",
            "status": "Completed" if secs else "NoAnswer",
            "callingOutcome": "Talked" if secs > 30 else rng.choice(_OUTCOMES[1:]),
            "duration": secs,
            "leadPhoneNumber": lead["phones"][0],
            "userPhoneNumber": "5125550100",
            "showUserNumber": "5125550100",
            "note": "Discussed coverage" if secs > 30 else None,
            "price": round(secs * 0.0002, 4),
            "rateScore": None,
            "recordingSwitch": False,
            "isMachineAnswered": False,
            "dialerCallRecordId": cid + 1,
            "_start": when,
            "_updated": when,
        }
        lead["_contacted"] = lead["_contacted"] or outbound
    for _ in range(rng.randint(0, 3)):
        eid = state.next_id()
        state.emails[eid] = {
            "id": eid,
            "leadId": lead_id,
            "agentId": agent,
            "direction": "Outbound",
            "emailSubject": rng.choice(("Your quote", "Renewal reminder", "Welcome!")),
            "emailType": rng.choice(("Manual", "Auto")),
            "eventType": rng.choice(("Sent", "Sent", "Opened", "Bounced")),
            "fromPond": False,
            "_time": at(),
        }
        lead["_contacted"] = True
    for _ in range(rng.randint(0, 3)):
        xid = state.next_id()
        state.texts[xid] = {
            "id": xid,
            "leadId": lead_id,
            "agentId": agent,
            "direction": rng.choice(("Outbound", "Inbound")),
            "textType": "Manual",
            "textOutcome": "Delivered",
            "_time": at(),
        }
    for _ in range(rng.randint(0, 2)):
        lid = state.next_id()
        state.log_types[lid] = {
            "id": lid,
            "leadId": lead_id,
            "agentId": agent,
            "logType": "logCall",
            "content": "Called from my cell",
            "callingOutcome": rng.choice(_OUTCOMES),
            "leadPhoneNumber": lead["phones"][0],
            "outboundOrInbound": "Outbound",
            "isPin": False,
            "_created": at(),
        }
    state.activities[lead_id] = [
        {
            "type": rng.choice(("Viewed Listing", "Searched", "Favorited Listing")),
            "created": int(at().timestamp() * 1000),
            "link": None,
            "listing": None,
            "pageName": None,
            "picture": None,
            "scheduledDate": None,
            "text": rng.choice(("3 bed Austin", "Homes under 400k", "Condos downtown")),
        }
        for _ in range(rng.randint(0, 4))
    ]


def add_note(
    state: LoftyState,
    lead_id: int,
    content: str,
    author: int,
    when: datetime,
    *,
    pin: bool = False,
    system: bool = False,
) -> Record:
    """A note and its timeline entry (NoteResponse ``id`` is the timeline id, L4712)."""
    note_id, timeline_id = state.next_id(), state.next_id()
    member = state.members.get(author)
    name = f"{member['firstName']} {member['lastName']}" if member else "System"
    note = {
        "id": timeline_id,
        "noteId": note_id,
        "leadId": lead_id,
        "content": content,
        "isPin": pin,
        "systemNote": system,
        "deleteFlag": False,
        "creatorId": author,
        "creatorName": name,
        "lastEditorId": author,
        "lastEditorName": name,
        "_created": when,
        "_updated": when,
    }
    state.notes[note_id] = note
    add_timeline(
        state, lead_id, author, 1 if system else 2, {"note": content}, when, timeline_id=timeline_id
    )
    return note


def add_timeline(
    state: LoftyState,
    lead_id: int,
    agent: int,
    kind: int,
    content: Record,
    when: datetime,
    *,
    timeline_id: int | None = None,
) -> None:
    """A system-log entry (SystemLogResponse, L4992); ``timelineType`` codes are ours."""
    lead = state.leads.get(lead_id)
    entry_id = timeline_id or state.next_id()
    member = state.members.get(agent)
    state.system_logs[entry_id] = {
        "id": entry_id,
        "leadId": lead_id,
        "agentId": agent,
        "leadFullName": f"{lead['firstName']} {lead['lastName']}" if lead else None,
        "content": json.dumps(content),
        "timelineType": kind,
        "sticky": False,
        "canSticky": True,
        "fromId": agent,
        "fromType": 1,
        "fromFirstName": member["firstName"] if member else None,
        "fromLastName": member["lastName"] if member else None,
        "toId": lead_id,
        "toType": 2,
        "toFirstName": lead["firstName"] if lead else None,
        "toLastName": lead["lastName"] if lead else None,
        "_created": when,
    }
