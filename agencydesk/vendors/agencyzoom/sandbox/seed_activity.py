"""What AgencyZoom keeps around its people, generated for the seeded state: notes, tasks,
opportunities and quotes with drivers and vehicles, lead files, email/text threads, life &
health leads and service tickets. Deterministic through the caller's ``random.Random``."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from agencydesk.vendors.agencyzoom.sandbox.records import (
    Driver,
    DriverWrite,
    File,
    Lead,
    LifeLead,
    Message,
    Note,
    Opportunity,
    ServiceTicket,
    Task,
    TaskWrite,
    Thread,
    Vehicle,
    VehicleWrite,
)
from agencydesk.vendors.agencyzoom.sandbox.state import (
    AgencyZoomState,
)
from agencydesk.vendors.sandbox_kit import conversations
from agencydesk.vendors.sandbox_kit.people import (
    Person,
    Population,
)

AGENCY_NUMBER = "A0A0070"  # the document's own sample location number (L1412)
_NOTE_TEXTS = (
    "Called, left voicemail.\nWill try again Thursday.",
    "Sent quote comparison by email.",
    "Customer asked about bundling home and auto.",
    "Renewal review scheduled.",
    "Requested updated driver list and VINs.",
    "Prefers text messages after 5 PM.",
)
_LINES = ("Personal Auto", "Homeowners", "Renters", "Umbrella", "Flood")


def add_note(
    st: AgencyZoomState, owner: str, owner_id: int, rng: random.Random, at: datetime
) -> None:
    employee = st.employees[rng.choice(list(st.employees))]
    when = at - timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 600))
    st.add_note(
        Note(
            st.next_id("note"),
            owner,
            owner_id,
            rng.choice(_NOTE_TEXTS),
            when,
            f"{employee.firstname} {employee.lastname}",
        )
    )


def add_task(
    st: AgencyZoomState,
    rng: random.Random,
    at: datetime,
    *,
    assignee: int,
    lead_id: int | None = None,
    customer_id: int | None = None,
    kind: str = "sales",
) -> None:
    due = at + timedelta(days=rng.randint(-5, 20), hours=rng.randint(8, 17) - at.hour)
    ttype = rng.choice(("todo", "call", "email", "meeting"))
    title = {
        "todo": "Follow up",
        "call": "Call back",
        "email": "Send quote",
        "meeting": "Policy review",
    }[ttype]
    done = due < at and rng.random() < 0.7
    data = TaskWrite(
        title=title,
        dueDatetime=due.strftime("%Y-%m-%d %H:%M:%S"),
        type=ttype,
        comments="",
        assigneeId=assignee,
        leadId=lead_id,
        customerId=customer_id,
        duration=rng.choice((15, 30, 60)),
        timeSpecific=ttype in ("call", "meeting"),
        invitees=[],
    )
    tid = st.next_id("task")
    st.tasks[tid] = Task(
        tid,
        data,
        1 if done else 0,
        at - timedelta(days=1),
        at - timedelta(days=1),
        completed=due if done else None,
        completed_by_employee=done,
        kind=kind,
    )


def add_opportunities(
    st: AgencyZoomState, rng: random.Random, lead: Lead, line_id: int, premium: int, sold: bool
) -> None:
    carriers = [c.id for c in st.lookups.carriers[:10]]
    for n in range(rng.choice((1, 1, 2))):
        oid = st.next_id("opportunity")
        opp = Opportunity(
            oid,
            lead.id,
            rng.choice(carriers),
            line_id,
            premium + n * 85,
            1,
            status=2 if sold else 0,
            assignTo=lead.data.assignTo,
            expiryDate=(lead.created + timedelta(days=365)).strftime("%m/%d/%Y"),
        )
        st.add_opportunity(opp)
        if line_id == 1:  # Personal Auto: drivers and vehicles hang off the opportunity (L5050)
            did, vid = st.next_id("driver"), st.next_id("vehicle")
            st.drivers[did] = Driver(
                did,
                DriverWrite(
                    firstName=lead.data.firstname,
                    lastName=lead.data.lastname,
                    relationship="IN",
                    gender=rng.choice("MF"),
                    maritalStatus=rng.choice((1, 2)),
                    stateLicensed=lead.data.state,
                    licenseNumber=f"D{rng.randint(10**7, 10**8 - 1)}",
                    birthday=None,
                ),
            )
            st.vehicles[vid] = Vehicle(
                vid,
                VehicleWrite(
                    vin=f"1HGCM{rng.randint(10**11, 10**12 - 1)}",
                    year=rng.randint(2008, 2025),
                    make=rng.choice(("Honda", "Toyota", "Ford", "Subaru", "Chevrolet")),
                    model=rng.choice(("Civic", "Camry", "F-150", "Outback", "Equinox")),
                    ownership=rng.choice(("Owned", "Financed", "Leased")),
                ),
            )
            opp.driver_ids.append(did)
            opp.vehicle_ids.append(vid)
    qid = st.next_id("opportunity")
    st.add_opportunity(
        Opportunity(
            qid,
            lead.id,
            rng.choice(carriers),
            line_id,
            premium,
            1,
            is_quote=True,
            sold=sold,
            effectiveDate=(lead.created + timedelta(days=14)).strftime("%Y-%m-%d"),
        )
    )
    st.add_file(
        File(
            st.next_id("file"),
            "lead",
            lead.id,
            f"Quote {qid}.pdf",
            "application/pdf",
            rng.randint(40_000, 400_000),
            lead.created + timedelta(days=2),
            "system",
            1,
        )
    )


def add_threads(st: AgencyZoomState, pop: Population, rng: random.Random) -> None:
    owners: list[tuple[str, int, Person]] = [
        ("customer", c.id, pop.person(c.person_id or 1))
        for c in st.customers.values()
        if rng.random() < 0.5
    ] + [
        ("lead", ld.id, pop.person(ld.person_id or 1))
        for ld in st.leads.values()
        if rng.random() < 0.2
    ]
    n = 0
    for kind, owner_id, person in owners:
        for channel in ("email", "text"):
            if rng.random() < 0.45:
                continue
            n += 1
            agent = st.employees[rng.choice(list(st.employees))]
            tid = f"{channel[0]}t-{rng.getrandbits(48):012x}"
            contact = person.email if channel == "email" else person.phone
            thread = Thread(
                tid,
                channel,
                "",
                person.name,
                contact,
                agent.id,
                f"acct-{agent.id}",
                owner_id if kind == "customer" else None,
                owner_id if kind == "lead" else None,
                rng.random() < 0.3,
            )
            subject, script = conversations.conversation(
                rng,
                customer=person.first_name,
                agent=agent.firstname,
                line=rng.choice(_LINES),
                text=channel == "text",
                most=rng.randint(1, 4),
            )
            thread.subject = subject
            # Laid out backwards from the last message: none later than the epoch ("now").
            last = pop.epoch - timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 900))
            agent_addr = agent.email if channel == "email" else agent.phone
            for (inbound, text), when in zip(
                script, conversations.spaced_times(rng, last, len(script)), strict=True
            ):
                thread.messages.append(
                    Message(
                        f"m-{rng.getrandbits(48):012x}",
                        tid,
                        contact if inbound else agent_addr,
                        agent_addr if inbound else contact,
                        text,
                        when,
                        inbound,
                    )
                )
            st.threads[tid] = thread


def add_life_and_tickets(st: AgencyZoomState, pop: Population, rng: random.Random) -> None:
    professionals = [e.id for e in st.lookups.life_professionals]
    by_person = {c.person_id: c for c in st.customers.values()}
    for n, pid in enumerate(pop.presence.get("agencybloc", {}), 1):
        person = pop.person(pid)
        created = pop.epoch - timedelta(days=rng.randint(0, 400))
        status = rng.choice((0, 1, 1, 3, 4, 7, 8))
        st.life_leads[n] = LifeLead(
            n,
            person.first_name,
            person.last_name,
            person.email,
            person.phone,
            status,
            (by_person[pid].data.agentId or 1) if pid in by_person else 1,
            rng.choice(professionals),
            AGENCY_NUMBER,
            created,
            created + timedelta(days=rng.randint(1, 20)),
            created + timedelta(days=30) if status == 1 else None,
            rng.random() < 0.7,
            rng.random() < 0.5,
            rng.choice(("Term Life", "Whole Life", "Medicare Supplement")),
            rng.randint(300, 6000) * 100,
        )
    subjects = (
        "Add vehicle",
        "Remove driver",
        "Certificate of insurance",
        "Billing question",
        "Address change",
        "Mortgagee change",
    )
    for customer in st.customers.values():
        if rng.random() > 0.25:
            continue
        tid = st.next_id("ticket")
        created = customer.updated - timedelta(days=rng.randint(0, 60))
        status = rng.choice((1, 1, 2))
        policies = st.policies_for(customer.id, ams=False)
        policy = rng.choice(policies) if policies else None
        st.tickets[tid] = ServiceTicket(
            tid,
            customer.id,
            f"{customer.data.firstname} {customer.data.lastname}",
            rng.choice(subjects),
            status,
            rng.randint(1, 3),
            rng.randint(1, 3),
            "1" if status == 2 else None,
            created,
            created + timedelta(days=2) if status == 2 else None,
            3,
            301 + status,
            [rng.randint(1, 3)],
            policy.data.policyType if policy else None,
            policy.data.carrierId if policy else None,
            customer.data.csrId or 1,
        )


def add_customer_files(st: AgencyZoomState, rng: random.Random) -> None:
    """Documents on customers (declarations pages, ID cards); the API can only delete them
    (L817) and read them embedded in the customer detail (L482)."""
    titles = ("Declarations page.pdf", "Auto ID cards.pdf", "Signed application.pdf")
    for customer in st.customers.values():
        if rng.random() < 0.3:
            created = customer.updated - timedelta(days=rng.randint(0, 90))
            st.add_file(
                File(
                    st.next_id("file"),
                    "customer",
                    customer.id,
                    rng.choice(titles),
                    "application/pdf",
                    rng.randint(30_000, 900_000),
                    created,
                    "system",
                    2,
                )
            )
