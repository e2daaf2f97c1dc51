"""Build the AgencyZoom state from the shared Population: its customers, P&C policies and leads,
plus the children AgencyZoom keeps (notes, tasks, email/text threads, opportunities, quotes,
drivers, vehicles, files, life & health leads, service tickets). Deterministic by seed."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

from agencydesk.vendors.agencyzoom.sandbox.records import (
    Customer,
    CustomerWrite,
    Employee,
    Lead,
    LeadWrite,
    Policy,
    PolicyWrite,
)
from agencydesk.vendors.agencyzoom.sandbox.seed_activity import (
    AGENCY_NUMBER,
    add_customer_files,
    add_life_and_tickets,
    add_note,
    add_opportunities,
    add_task,
    add_threads,
)
from agencydesk.vendors.agencyzoom.sandbox.seed_full import fill_writable_fields
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
    add_threads(st, pop, rng)
    add_life_and_tickets(st, pop, rng)
    add_customer_files(st, random.Random(seed * 31 + 5))  # own stream: the rest stays put
    fill_writable_fields(st, random.Random(seed * 53 + 11))  # own stream too
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
            add_note(st, "customer", c.id, rng, c.updated_at)
        if rng.random() < 0.4:
            add_task(
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
            add_note(st, "lead", ld.id, rng, ld.last_activity_at)
        if ld.status in ("new", "contacted", "quoted") and rng.random() < 0.6:
            add_task(st, rng, ld.last_activity_at, lead_id=ld.id, assignee=ld.producer_id)
        if ld.quoted_premium:
            add_opportunities(
                st, rng, lead, ld.line_id, round(ld.quoted_premium), ld.status == "sold"
            )
    st.start_ids("lead", len(pop.leads) + 1)
    st.start_ids("customer", len(pop.customers) + 1)
