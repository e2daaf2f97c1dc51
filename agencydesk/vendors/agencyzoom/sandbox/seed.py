"""Build the AgencyZoom state from the shared Population: its customers, P&C policies and leads,
plus the children AgencyZoom keeps (notes, tasks, email/text threads, opportunities, quotes,
drivers, vehicles, files, life & health leads, service tickets). Deterministic by seed."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta

from agencydesk.vendors.agencyzoom.sandbox.records import (
    Customer,
    CustomerWrite,
    Driver,
    DriverWrite,
    Employee,
    File,
    Lead,
    LeadWrite,
    LifeLead,
    Message,
    Note,
    Opportunity,
    Policy,
    PolicyWrite,
    ServiceTicket,
    Task,
    TaskWrite,
    Thread,
    Vehicle,
    VehicleWrite,
)
from agencydesk.vendors.agencyzoom.sandbox.state import (
    AgencyZoomState,
    CarrierRow,
    LeadSource,
    Lookups,
    NamedItem,
    Pipeline,
    ProductLine,
    Stage,
)
from agencydesk.vendors.sandbox_kit.people import (
    LEAD_SOURCES,
    PIPELINE_STAGES,
    Person,
    Population,
)

AGENCY_NUMBER = "A0A0070"  # the document's own sample location number (L1412)
_CARRIER_CODES = {
    "Progressive": "PROG",
    "State Farm": "STFM",
    "Travelers": "TRAV",
    "Safeco": "SAFE",
    "Allstate": "ALLS",
    "Nationwide": "NATW",
    "Liberty Mutual": "LIBM",
    "The Hartford": "HART",
    "Erie": "ERIE",
    "Chubb": "CHUB",
    "Mutual of Omaha": "MOFO",
    "Aetna": "AETN",
}
_LINE_CODES = {
    "Personal Auto": "AUTOP",
    "Homeowners": "HOME",
    "Renters": "RENT",
    "Umbrella": "UMBRP",
    "Motorcycle": "CYCL",
    "Commercial Auto": "AUTOB",
    "General Liability": "CGL",
    "Workers Compensation": "WORK",
    "Term Life": "LIFE",
    "Whole Life": "WLIFE",
    "Medicare Supplement": "MEDSUP",
    "Dental": "DENT",
}
_CATEGORY = {"personal": 1, "commercial": 2, "life": 3, "health": 4}
# Population lead status -> AgencyZoom status (L2320: 0 NEW 1 QUOTED 2 WON 3 LOST 4 CONTACTED)
LEAD_STATUS = {"new": 0, "quoted": 1, "sold": 2, "lost": 3, "contacted": 4}
_NOTE_TEXTS = (
    "Called, left voicemail.\nWill try again Thursday.",
    "Sent quote comparison by email.",
    "Customer asked about bundling home and auto.",
    "Renewal review scheduled.",
    "Requested updated driver list and VINs.",
    "Prefers text messages after 5 PM.",
)
_EMAIL_SUBJECTS = (
    "Your quote",
    "Renewal documents",
    "Proof of insurance",
    "Claim follow-up",
    "Policy change request",
    "Welcome to Summit Insurance",
)
_TEXTS = (
    "Hi, this is your agent at Summit Insurance.",
    "Can you send me a photo of the VIN?",
    "Thanks! Got it.",
    "Your ID cards are in your inbox.",
    "Call me when you have a minute.",
)
_CLASSES = (
    "Accounting Services",
    "Auto Repair",
    "Bakery",
    "Barber Shop",
    "Carpentry",
    "Cleaning Services",
    "Coffee Shop",
    "Dental Office",
    "Electrician",
    "Florist",
    "General Contractor",
    "Hair Salon",
    "HVAC Contractor",
    "Insurance Agency",
    "Landscaping",
    "Law Office",
    "Painting Contractor",
    "Pet Grooming",
    "Plumbing",
    "Real Estate Agency",
    "Restaurant",
    "Retail Store",
    "Roofing",
    "Trucking",
)


def build_state(pop: Population, seed: int) -> AgencyZoomState:
    rng = random.Random(seed * 7919 + 1)
    st = AgencyZoomState()
    st.api_token = f"az-api-token-{seed}"
    st.lookups = _lookups(pop)
    _employees(st, pop, seed)
    _customers(st, pop, rng)
    _leads(st, pop, rng)
    _threads(st, pop, rng)
    _life_and_tickets(st, pop, rng)
    return st


def _lookups(pop: Population) -> Lookups:
    lk = Lookups()
    lk.pipelines = [
        Pipeline(
            pid,
            name,
            kind,
            pid,
            tuple(
                Stage(pid * 100 + i + 1, pid, stage, i + 1)
                for i, stage in enumerate(PIPELINE_STAGES)
            ),
        )
        for pid, name, kind in ((1, "Personal Lines", "personal"), (2, "Commercial Lines", "biz"))
    ]
    lk.end_stages = [NamedItem(1, "Won"), NamedItem(2, "Lost"), NamedItem(3, "X-Dated")]
    lk.lead_source_categories = [
        NamedItem(1, "Online"),
        NamedItem(2, "Referral"),
        NamedItem(3, "Lead Vendor"),
        NamedItem(4, "Walk-in"),
    ]
    category = {
        "Website": 1,
        "Facebook Ads": 1,
        "Zillow": 1,
        "EverQuote": 3,
        "LeadExec": 3,
        "Referral": 2,
        "Cross-sell": 2,
        "Walk-in": 4,
    }
    lk.lead_sources = [
        LeadSource(i + 1, name, category[name], name == "Cross-sell")
        for i, name in enumerate(LEAD_SOURCES)
    ]
    lk.carriers = [CarrierRow(c.id, c.name, _CARRIER_CODES[c.name]) for c in pop.carriers]
    lk.product_categories = [
        NamedItem(1, "Personal Lines"),
        NamedItem(2, "Commercial Lines"),
        NamedItem(3, "Life"),
        NamedItem(4, "Health"),
    ]
    lk.product_lines = [
        ProductLine(ln.id, ln.name, _CATEGORY[ln.kind], _LINE_CODES[ln.name]) for ln in pop.lines
    ]
    lk.assign_groups = [NamedItem(1, "Personal Lines Team"), NamedItem(2, "Commercial Team")]
    lk.loss_reasons = [
        NamedItem(i + 1, n)
        for i, n in enumerate(
            ("Price", "Coverage", "Went with competitor", "No response", "Not eligible")
        )
    ]
    lk.locations = [
        (AGENCY_NUMBER, "Summit Insurance - Main Office"),
        ("A0A0071", "Summit Insurance - North Branch"),
    ]
    lk.departments = [("SALES", "Sales"), ("SERV", "Service")]
    lk.groups = [("PL", "Personal Lines"), ("CL", "Commercial Lines")]
    lk.custom_fields = [
        {
            "fieldName": "cf1",
            "label": "Preferred contact time",
            "dataType": "singleOption",
            "options": ["Morning", "Afternoon", "Evening"],
            "targets": ["lead", "customer"],
        },
        {
            "fieldName": "cf2",
            "label": "Referred by",
            "dataType": "text",
            "options": [],
            "targets": ["lead"],
        },
        {
            "fieldName": "cf3",
            "label": "Renewal review date",
            "dataType": "date",
            "options": [],
            "targets": ["customer"],
        },
    ]
    lk.classifications = [(i + 1, 10000 + 37 * i, name) for i, name in enumerate(_CLASSES)]
    lk.x_date_types = ["X-Date", "Renewal", "Birthday"]
    return lk


def _employees(st: AgencyZoomState, pop: Population, seed: int) -> None:
    for p in pop.producers:
        is_csr = p.title in ("CSR", "Account Manager")
        st.employees[p.id] = Employee(
            p.id,
            p.first_name,
            p.last_name,
            p.email,
            p.phone,
            is_producer=not is_csr,
            is_owner=p.title == "Agency Owner",
            is_csr=is_csr,
            user_id=1000 + p.id,
            password=f"Zoom-{seed}-{p.last_name.lower()}",
        )
    base = len(pop.producers)
    for i, (first, last) in enumerate((("Dana", "Whitfield"), ("Marcus", "Ortega"))):
        st.lookups.life_professionals.append(
            Employee(
                base + i + 1,
                first,
                last,
                f"{first}.{last}@summitinsure.com".lower(),
                f"+1512555{i:04d}",
                False,
                False,
                False,
                2000 + i,
                "",
                True,
            )
        )


def _set_addr(data: LeadWrite | CustomerWrite, person: Person) -> None:
    a = person.address
    data.streetAddress, data.city, data.state, data.zip = a.street, a.city, a.state, a.zip
    data.country = "US"


def _customers(st: AgencyZoomState, pop: Population, rng: random.Random) -> None:
    csrs = [e.id for e in st.employees.values() if e.is_csr] or [1]
    for c in pop.customers:
        person = pop.person(c.person_id)
        data = CustomerWrite(
            firstname=person.first_name,
            lastname=person.last_name,
            email=person.email,
            phone=person.phone,
            birthday=person.birth_date.strftime("%m/%d/%Y"),
            agentId=c.producer_id,
            csrId=rng.choice(csrs),
            bizCustomer=0,
        )
        _set_addr(data, person)
        st.customers[c.id] = Customer(
            c.id,
            data,
            c.active,
            c.created_at,
            c.created_at,
            c.updated_at,
            lead_source_id=rng.randint(1, len(LEAD_SOURCES)),
            person_id=person.id,
        )
        for _ in range(rng.choice((0, 0, 1, 2))):
            _note(st, "customer", c.id, rng, c.updated_at)
        if rng.random() < 0.4:
            _task(
                st, rng, c.updated_at, customer_id=c.id, assignee=c.producer_id, kind="onboarding"
            )
    status = {"active": 1, "pending": 10, "cancelled": 0, "expired": 11}
    for p in pop.policies:
        if p.system != "agencyzoom":
            continue
        customer = st.customers[p.customer_id]
        person = pop.person(customer.person_id or 1)
        pdata = PolicyWrite(
            insuredName=person.name,
            carrierId=p.carrier_id,
            soldDate=p.effective.strftime("%m/%d/%Y"),
            agentId=customer.data.agentId,
            policyType=p.line_id,
            policyNumber=p.number,
            premium=round(p.premium * 100),
            items=rng.choice((1, 1, 2)),
            leadSourceId=customer.lead_source_id,
            agencyNumber=AGENCY_NUMBER,
            effectiveDate=p.effective.strftime("%m/%d/%Y"),
            expiryDate=p.expiration.strftime("%m/%d/%Y"),
            csrId=customer.data.csrId,
            standardProductLineCode=_LINE_CODES[pop.line(p.line_id).name],
            standardCarrierCode=_CARRIER_CODES[pop.carrier(p.carrier_id).name],
        )
        st.add_policy(Policy(p.id, p.customer_id, pdata, status[p.status]))
        if p.customer_id % 3 == 0:  # an AMS download of the same policy (L890)
            ams_id = 900_000 + p.id
            st.add_policy(
                Policy(
                    ams_id,
                    p.customer_id,
                    dataclasses.replace(pdata),
                    status[p.status],
                    ams=True,
                    external_system="EZLynx",
                    external_id=f"EZ{p.id:07d}",
                )
            )
    st.start_ids("policy", len(pop.policies) + 1)


def _leads(st: AgencyZoomState, pop: Population, rng: random.Random) -> None:
    by_id = {ln.id: ln for ln in pop.lines}
    for ld in pop.leads:
        person = pop.person(ld.person_id)
        commercial = by_id[ld.line_id].kind == "commercial"
        pipeline = st.lookups.pipelines[1 if commercial else 0]
        stage = pipeline.stages[PIPELINE_STAGES.index(ld.stage)]
        source = LEAD_SOURCES.index(ld.source) + 1
        data = LeadWrite(
            firstname=person.first_name,
            lastname=person.last_name,
            email=person.email,
            phone=person.phone,
            pipelineId=pipeline.id,
            stageId=stage.id,
            leadSourceId=source,
            assignTo=ld.producer_id,
            birthday=person.birth_date.strftime("%m/%d/%y"),
            agencyNumber=AGENCY_NUMBER,
            tagNames="web;auto" if ld.line_id == 1 else None,
        )
        _set_addr(data, person)
        if commercial:
            data.name = f"{person.last_name} {rng.choice(_CLASSES)}"
            data.contactName = person.name
            data.numberOfEmployees = rng.randint(2, 60)
            data.annualRevenue = rng.randint(150, 9000) * 1000
        if ld.status == "sold" and ld.quoted_premium:
            data.soldDate = (ld.last_activity_at).strftime("%Y-%m-%d")
        if ld.quoted_premium:
            data.quoteDate = (ld.created_at + timedelta(days=2)).strftime("%Y-%m-%d")
        lead = Lead(
            ld.id,
            "commercial" if commercial else "personal",
            data,
            LEAD_STATUS[ld.status],
            creator=ld.producer_id,
            created=ld.created_at,
            last_activity=ld.last_activity_at,
            enter_stage=ld.last_activity_at - timedelta(hours=rng.randint(0, 72)),
            person_id=person.id,
        )
        lead.enter_stage = max(lead.enter_stage, lead.created)
        if lead.status == 2:
            lead.sold_at = ld.last_activity_at
        if ld.source == "LeadExec":
            lead.external_id = f"LX-{ld.id:06d}"
        st.leads[ld.id] = lead
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            _note(st, "lead", ld.id, rng, ld.last_activity_at)
        if ld.status in ("new", "contacted", "quoted") and rng.random() < 0.6:
            _task(st, rng, ld.last_activity_at, lead_id=ld.id, assignee=ld.producer_id)
        if ld.quoted_premium:
            _opportunities(st, rng, lead, ld.line_id, round(ld.quoted_premium), ld.status == "sold")
    st.start_ids("lead", len(pop.leads) + 1)
    st.start_ids("customer", len(pop.customers) + 1)


def _note(st: AgencyZoomState, owner: str, owner_id: int, rng: random.Random, at: datetime) -> None:
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


def _task(
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


def _opportunities(
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


def _threads(st: AgencyZoomState, pop: Population, rng: random.Random) -> None:
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
            subject = rng.choice(_EMAIL_SUBJECTS) if channel == "email" else ""
            thread = Thread(
                tid,
                channel,
                subject,
                person.name,
                contact,
                agent.id,
                f"acct-{agent.id}",
                owner_id if kind == "customer" else None,
                owner_id if kind == "lead" else None,
                rng.random() < 0.3,
            )
            when = pop.epoch - timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 900))
            agent_addr = agent.email if channel == "email" else agent.phone
            for m in range(rng.randint(1, 6)):
                inbound = m % 2 == 1
                text = (
                    rng.choice(_TEXTS)
                    if channel == "text"
                    else (
                        f"Hello {person.first_name},\n\n{rng.choice(_NOTE_TEXTS)}\n\n"
                        f"{agent.firstname}"
                    )
                )
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
                when += timedelta(hours=rng.randint(1, 40))
            st.threads[tid] = thread


def _life_and_tickets(st: AgencyZoomState, pop: Population, rng: random.Random) -> None:
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
