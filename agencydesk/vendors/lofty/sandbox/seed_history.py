"""Seeded history of one lead: notes, tasks, appointments, calls, emails, texts, logged
communication and web activity, spread between the lead's creation and the population epoch;
and an AgencyZoom customer's policies as lead transactions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.timeline import add_note
from agencydesk.vendors.sandbox_kit.people import Population

_OUTCOMES = ("Talked", "VoiceMessage", "NoAnswer", "BadNumber")  # L4589
_TASK_TYPES = ("Call", "Email", "Text", "Meeting", "Other")  # L5068 truncated; seen live
_NOTES = (
    "Asked for a bundle quote on home and auto.",
    "Renewal is coming up next month.",
    "Prefers texts after 5 pm.",
    "Sent the comparison sheet.",
    "Spouse will join the next call.",
    "Wants higher liability limits.",
)


def seed_history(state: LoftyState, rng: random.Random, lead: Record, epoch: datetime) -> None:
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


def seed_policies(state: LoftyState, pop: Population, lead: Record, customer_id: int) -> None:
    """Lofty has no policies; the nearest record is a lead transaction (LeadTransaction,
    L4431). A customer's AgencyZoom policies appear as closed "Purchase" transactions with the
    same policy number, so linking across vendors can be tested."""
    for policy in pop.policies_of(customer_id)[:3]:
        line, carrier = pop.line(policy.line_id), pop.carrier(policy.carrier_id)
        start = datetime(
            policy.effective.year, policy.effective.month, policy.effective.day, tzinfo=UTC
        )
        end = datetime(
            policy.expiration.year, policy.expiration.month, policy.expiration.day, tzinfo=UTC
        )
        tx_id = state.next_id()
        state.transactions[tx_id] = {
            "transactionId": tx_id,
            "transactionName": f"{line.name} - {carrier.name}",
            "transactionType": "Purchase",
            "transactionStatus": "Closed" if policy.status == "active" else policy.status.title(),
            "homePrice": policy.premium,
            "commissionRate": 10.0,
            "gci": round(policy.premium * 0.1, 2),
            "agentRevenue": round(policy.premium * 0.07, 2),
            "teamRevenue": round(policy.premium * 0.03, 2),
            "commissions": None,
            "customFields": [
                {"id": 41, "value": carrier.name},
                {"id": 42, "value": policy.number},
                {"id": 43, "value": line.name},
            ],
            "agreementSignedDate": None,
            "appointmentDate": None,
            "appraisalDate": None,
            "closeDate": int(start.timestamp() * 1000),
            "contractDate": None,
            "escrowDate": None,
            "expectedCloseDate": None,
            "expiration": int(end.timestamp() * 1000),
            "homeInspectionDate": None,
            "offerDate": None,
            "_leadId": lead["leadId"],
            "_created": lead["_created"],
            "_updated": lead["_updated"],
        }
