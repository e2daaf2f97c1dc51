"""Seeding one ConeCRM tenant from the shared Population.

The Population's ``conecrm`` people become contacts (some are AgencyZoom customers or leads, so
they can be linked by name, email and phone); households with several contacts and a few small
businesses become accounts; the AgencyZoom leads among them, plus some others, become leads
(connections). Producers become users. Phones are in national format, ``(512) 555-0100``,
as a dealership CRM keeps them. Everything derives from the seed.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from agencydesk.vendors.conecrm.sandbox.state import (
    Audit,
    Automation,
    ConeState,
    Customer,
    CustomFieldDef,
    CustomLabel,
    Lead,
    Named,
    SavedFilter,
    Task,
    User,
)
from agencydesk.vendors.sandbox_kit.people import LEAD_SOURCES, PIPELINE_STAGES, Population
from agencydesk.vendors.sandbox_kit.people import Lead as PopulationLead

FRANCHISES = (("Summit Insurance - Main Office", "MAIN"), ("Summit Insurance - North", "NORTH"))
DEPARTMENTS = ("Sales New", "Personal Lines", "Commercial Lines")
USER_TYPES = {"Agency Owner": "ADMIN", "Account Manager": "MANAGER"}
STATUS_OF = {"sold": "Won", "lost": "Lost"}
BUSINESS = ("Landscaping LLC", "Auto Repair", "Family Dental", "Bakery", "Roofing Inc")


def national(phone: str) -> str:
    digits = phone[-10:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def seed_state(state: ConeState, pop: Population) -> None:
    rng = random.Random(pop.seed * 17 + 4)
    epoch = pop.epoch
    start = epoch - timedelta(days=900)

    def named(table: dict[str, Named], name: str, code: str = "") -> Named:
        item = Named(state.new_id(start), state.new_number(), name, code)
        table[item.id] = item
        return item

    for producer in pop.producers:
        user = User(
            id=state.new_id(start),
            number=state.new_number(),
            username=producer.email.split("@")[0],
            first_name=producer.first_name,
            last_name=producer.last_name,
            email=producer.email,
            user_type=USER_TYPES.get(producer.title, "USER"),
        )
        state.users[user.id] = user
    desk = User(state.new_id(start), state.new_number(), "front.desk", "Front", "Desk",
                "front.desk@summitinsure.com", "USER", can_create_leads=False)  # fmt: skip
    state.users[desk.id] = desk
    owner = next(iter(state.users))
    for name, code in FRANCHISES:
        named(state.franchises, name, code)
    named(state.pipelines, "Sales Pipeline")
    for name in DEPARTMENTS:
        named(state.departments, name)
    for name in LEAD_SOURCES:
        named(state.sources, name)
    for name in ("Open", "Won", "Lost"):
        named(state.statuses, name)
    stages = {name: named(state.stages, name) for name in PIPELINE_STAGES}
    franchises = list(state.franchises)
    sources = {s.name: s.id for s in state.sources.values()}
    users = [u for u in state.users.values() if u.can_create_leads]

    customers = {c.person_id: c for c in pop.customers}
    az_leads = {ld.person_id: ld for ld in pop.leads}
    by_household: dict[int, list[Customer]] = {}
    for person in sorted(pop.people_at("conecrm"), key=lambda p: p.id):
        known = customers.get(person.id) or az_leads.get(person.id)
        created = getattr(known, "created_at", None) or (
            epoch - timedelta(days=rng.randint(1, 800), minutes=rng.randint(0, 1440))
        )
        contact = Customer(
            id=state.new_id(created),
            number=state.new_number(),
            kind="contact",
            audit=Audit(created, owner),
            fields={
                "primaryEmail": person.email,
                "secondaryEmail": None,
                "homePhone": national(person.phone) if rng.random() < 0.3 else None,
                "workPhone": None,
                "workPhoneExtension": None,
                "mobilePhone": national(person.phone),
                "address": person.address.street,
                "city": person.address.city,
                "province": person.address.state,
                "postalCode": person.address.zip,
                "country": "US",
                "language": "en-US",
                "isActive": rng.random() < 0.95,
                "firstName": person.first_name,
                "lastName": person.last_name,
                "companyName": None,
                "civility": "Mr." if person.gender == "M" else rng.choice(("Mrs.", "Ms.")),
                "preferredMethodOfContact": rng.choice(("email", "phone", "sms")),
            },
            franchise=franchises[person.household_id % len(franchises)],
            person_key=str(person.id),
        )
        if rng.random() < 0.25:  # came in through the agency's web form (L12486)
            contact.third_party.append(
                {
                    "id": state.new_id(created),
                    "systemName": "AGENCY_WEBSITE",
                    "thirdPartyId": f"WEB-{contact.number}",
                    "metadata": json.dumps({"source": "web_form", "campaign": "spring_quotes"}),
                }
            )
        state.contacts[contact.id] = contact
        by_household.setdefault(person.household_id, []).append(contact)
        if rng.random() < 0.08:  # a small-business owner: the company is an account
            contact.fields["companyName"] = f"{person.last_name} {rng.choice(BUSINESS)}"
            _account(state, contact.fields["companyName"], [contact], owner, created)
        lead_source = az_leads.get(person.id)
        if lead_source is not None or rng.random() < 0.5:
            _lead(state, rng, contact, lead_source, pop, stages, sources, users, epoch)
    for household_id, members in by_household.items():
        if len(members) > 1:
            name = pop.households[household_id - 1].name
            _account(state, name, members, owner, min(m.audit.created for m in members))
    _configuration(state, owner, epoch)


def _account(
    state: ConeState, name: str, members: list[Customer], owner: str, created: datetime
) -> None:
    first = members[0]
    account = Customer(
        id=state.new_id(created),
        number=state.new_number(),
        kind="account",
        audit=Audit(created, owner),
        fields={
            **{
                k: first.fields.get(k)
                for k in ("primaryEmail", "address", "city", "province", "postalCode", "country")
            },
            "homePhone": first.fields.get("homePhone"),
            # Every other writable field of L1089 holds a value too, so a write that erases one
            # shows in the inspector.
            "secondaryEmail": f"office@{name.split()[0].lower()}-family.example",
            "workPhone": first.fields.get("workPhone") or "(412) 555-0142",
            "workPhoneExtension": "210",
            "mobilePhone": first.fields.get("mobilePhone") or "(412) 555-0199",
            "language": "en-US",
            "isActive": True,
        },
        franchise=first.franchise,
        name=name,
        primary_contact=first.id,
        contact_ids=[m.id for m in members],
    )
    state.accounts[account.id] = account


def _lead(
    state: ConeState,
    rng: random.Random,
    contact: Customer,
    source: PopulationLead | None,
    pop: Population,
    stages: dict[str, Named],
    sources: dict[str, str],
    users: list[User],
    epoch: datetime,
) -> None:
    if source is not None:
        status = STATUS_OF.get(source.status, "Open")
        stage = stages[source.stage].id
        line = pop.line(source.line_id)
        origin = sources[source.source]
        created = source.created_at
    else:
        status = rng.choices(("Open", "Won", "Lost"), (60, 25, 15))[0]
        stage = stages[{"Open": rng.choice(PIPELINE_STAGES[:4]), "Won": "Won", "Lost": "Lost"}[
            status]].id  # fmt: skip
        line = rng.choice(pop.lines)
        origin = rng.choice(list(sources.values()))
        created = epoch - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 1440))
    assignee = rng.choice(users).id
    closed = created + timedelta(days=rng.randint(1, 40)) if status != "Open" else None
    lead = Lead(
        id=state.new_id(created),
        number=state.new_number(),
        audit=Audit(created, assignee),
        subject=f"{line.name} quote for {contact.fields['firstName']} {contact.fields['lastName']}",
        department=list(state.departments)[2 if line.kind == "commercial" else 1],
        contact=contact.id,
        source=origin,
        franchise=contact.franchise or next(iter(state.franchises)),
        status=state.status_id(status),
        stage=stage,
        assignees=[assignee],
        category="CAR" if line.name in ("Personal Auto", "Commercial Auto") else line.kind.upper(),
        customer_initiated=rng.random() < 0.6,
        closed=closed,
        lost=closed if status == "Lost" else None,
        sold=closed if status == "Won" else None,
        priority=rng.choice((None, 1, 2, 3)),
        is_qualified=status != "Lost",
    )
    state.leads[lead.id] = lead
    if rng.random() < 0.3:
        task = Task(
            id=state.new_id(created),
            audit=Audit(created, assignee),
            title=f"Call {contact.fields['firstName']} about the {line.name} quote",
            assignee=assignee,
            type=rng.choice(("CALL", "FOLLOW_UP", "SMS")),
            start=created + timedelta(days=rng.randint(1, 5)),
            contact=contact.id,
            connection=lead.id,
            done=status != "Open",
        )
        state.tasks[task.id] = task


def _configuration(state: ConeState, owner: str, epoch: datetime) -> None:
    others = [u for u in state.users if u != owner]
    filters = (
        ("My open auto leads", "lead", owner, True),
        ("Won this year", "lead", others[0] if others else owner, False),
    )
    for name, module, user, private in filters:
        query = {"combinator": "and", "rules": [{"field": "category", "operator": "=",
                                                  "value": "CAR"}]}  # fmt: skip
        saved = SavedFilter(state.new_id(epoch), state.new_number(), name, module,
                            json.dumps(query), user, private)  # fmt: skip
        state.saved_filters[saved.id] = saved
    for entity, name, kind, options in (
        ("lead", "Current carrier", "text", "{}"),
        ("contact", "Best time to call", "select",
         json.dumps({"choices": ["Morning", "Afternoon", "Evening"]})),
        ("lead", "Renewal month", "number", json.dumps({"min": 1, "max": 12})),
    ):  # fmt: skip
        definition = CustomFieldDef(state.new_id(epoch), entity, name, kind, options)
        state.custom_fields[definition.id] = definition
    label = CustomLabel(
        state.new_id(epoch), Audit(epoch, owner), {"lead": "Opportunity", "account": "Household"}
    )
    state.custom_labels[label.id] = label
    for name, trigger in (("Welcome new lead", "lead.created"), ("Nudge stale", "task.overdue")):
        automation = Automation(
            state.new_id(epoch),
            name,
            trigger,
            [{"id": "1", "type": "send_email"}],
            [],
            0,
        )
        state.automations[automation.id] = automation
