"""Seeds a LeadExec account from the shared Population, deterministically.

The account sells insurance leads. Its leads are the Population's people present at
"leadexec" (some of them became AgencyZoom leads, which is how linking is tested); its clients
(lead buyers) are the Population's producers' agency plus other agencies; lead sources and their
campaigns post the leads; seeded sends, scans and orders follow the rules in ``delivery.py``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from agencydesk.vendors.leadexec.sandbox import catalog
from agencydesk.vendors.leadexec.sandbox.delivery import auto_deliver
from agencydesk.vendors.leadexec.sandbox.records import (
    ClientFieldDef,
    ClientGroup,
    DeliveryAccount,
    FieldEnum,
)
from agencydesk.vendors.leadexec.sandbox.records_leads import (
    Lead,
    LeadCategory,
    LeadField,
    LeadType,
    Visit,
    ZipCode,
)
from agencydesk.vendors.leadexec.sandbox.seed_buyers import seed_buyers, seed_lists
from agencydesk.vendors.leadexec.sandbox.seed_sources import seed_sources
from agencydesk.vendors.leadexec.sandbox.state import LeadExecState
from agencydesk.vendors.sandbox_kit.people import Person, Population

COUNTS = {"tiny": (24, 4), "small": (24, 4), "large": (240, 24)}  # (clients, lead sources)


def build_state(population: Population, seed: int) -> LeadExecState:
    rng = random.Random(f"leadexec:{seed}")
    state = LeadExecState()
    for kind, first in (
        ("client", 25701),
        ("group", 11),
        ("method", 4101),
        ("account", 8201),
        ("criteria", 90001),
        ("order", 61001),
        ("order_item", 71001),
        ("payment", 5001),
        ("lead", 480_000_001),
        ("source", 2001),
        ("campaign", 3001),
        ("list", 701),
        ("list_item", 7001),
        ("setting", 150001),
        ("mapping", 250001),
        ("day", 350001),
        ("rule", 450001),
        ("visit", 9_100_001),
    ):
        state.start_ids(kind, first)
    _reference(state)
    n_clients, n_sources = COUNTS[population.size]
    seed_buyers(state, population, rng, n_clients)
    seed_sources(state, rng, n_sources)
    seed_lists(state, rng)
    _leads(state, population, rng)
    return state


def _reference(state: LeadExecState) -> None:
    for uid, name, bit_type, _lines in catalog.LEAD_TYPES:
        state.lead_types[uid] = LeadType(uid, name, type_uid=bit_type)
        for i, caption in enumerate(catalog.CATEGORIES):
            cat_uid = uid * 10 + i + 1
            state.categories[cat_uid] = LeadCategory(cat_uid, uid, caption)
    field_uid = 5001
    for lt_uid, *_rest in catalog.LEAD_TYPES:
        specs: list[tuple[str, str, str, bool, tuple[str, ...]]] = [
            (d, t, s, r, ()) for d, t, s, r in catalog.COMMON_LEAD_FIELDS
        ]
        specs += [(d, t, "No_SpecialBit", False, e) for d, t, e in catalog.TYPE_LEAD_FIELDS[lt_uid]]
        for descriptor, data_type, special, required, enums in specs:
            lead_field = LeadField(
                field_uid,
                lt_uid,
                descriptor,
                data_type,
                special,
                required=required,
                is_state=descriptor == "State",
                description=f"{descriptor} of the prospect",
            )
            lead_field.enums = [
                FieldEnum(field_uid * 10 + i, field_uid, value, i) for i, value in enumerate(enums)
            ]
            state.lead_fields[field_uid] = lead_field
            field_uid += 1
    for uid, desc, dtype, bit, req, valid, fmt_err, is_state, choices in catalog.CLIENT_FIELDS:
        definition = ClientFieldDef(uid, desc, dtype, bit, req, valid, "", fmt_err, "", is_state)
        definition.enums = [FieldEnum(uid * 10 + i, uid, str(e), i) for i, e in enumerate(choices)]
        state.client_fields[uid] = definition
    for i, (name, abbr) in enumerate(catalog.US_STATES, 1):
        state.states.append((i, name, abbr))
    zip_uid = 1
    for (city, st), (prefix, county, fips, tz, lat, lon) in catalog.PLACES.items():
        for n in range(100):
            # Spread zips over about +-0.25 degrees around the city centre, deterministically.
            dlat = ((n * 37) % 100 - 50) / 200
            dlon = ((n * 53) % 100 - 50) / 200
            state.zips.append(
                ZipCode(
                    zip_uid,
                    f"{prefix}{n:02d}",
                    city,
                    st,
                    fips,
                    county,
                    tz,
                    round(lat + dlat, 4),
                    round(lon + dlon, 4),
                )
            )
            zip_uid += 1
    state.groups = {
        uid: ClientGroup(uid, name, order)
        for uid, name, order in (
            (11, "Preferred Buyers", 1),
            (12, "Standard Buyers", 2),
            (13, "Trial Buyers", 3),
        )
    }
    state.start_ids("group", 14)


def _lead_type_for(population: Population, asked_line: int | None, rng: random.Random) -> int:
    """The lead type of what the person asked about at AgencyZoom, if they are a lead there."""
    if asked_line is not None:
        line = population.line(asked_line).name
        for uid, _name, _t, lines in catalog.LEAD_TYPES:
            if line in lines:
                return uid
    return rng.choice((101, 101, 102, 102, 103, 104, 105))


def _values(person: Person, lead_type: int, rng: random.Random) -> dict[str, str]:
    values = {
        "FirstName": person.first_name,
        "LastName": person.last_name,
        "Email": person.email,
        "PrimaryPhone": person.phone.removeprefix("+1"),
        "Address": person.address.street,
        "City": person.address.city,
        "State": person.address.state,
        "Zip": person.address.zip,
        "DateOfBirth": person.birth_date.isoformat() + "T00:00:00",
    }
    if lead_type == 101:
        values.update(
            VehicleYear=str(rng.randint(2008, 2025)),
            VehicleMake=rng.choice(catalog.VEHICLE_MAKES),
            CurrentInsurer=rng.choice(("Progressive", "StateFarm", "Allstate", "GEICO", "None")),
        )
    elif lead_type == 102:
        values.update(
            HomeValue=str(rng.randrange(150_000, 900_000, 5000)),
            YearBuilt=str(rng.randint(1950, 2022)),
        )
    elif lead_type == 103:
        values.update(
            CoverageAmount=str(rng.choice((100_000, 250_000, 500_000, 1_000_000))),
            Smoker=rng.choice(("Yes", "No", "No", "No")),
        )
    elif lead_type == 104:
        values.update(HouseholdSize=str(rng.randint(1, 6)))
    else:
        values.update(
            BusinessName=f"{person.last_name} {rng.choice(('LLC', 'Inc', 'Co'))}",
            Employees=str(rng.randint(1, 80)),
        )
    return values


def _leads(state: LeadExecState, population: Population, rng: random.Random) -> None:
    asked = {ld.person_id: ld.line_id for ld in population.leads}
    created = {ld.person_id: ld.created_at for ld in population.leads if ld.source == "LeadExec"}
    people = sorted(population.people_at("leadexec", "lead"), key=lambda p: p.id)
    by_type: dict[int, list[DeliveryAccount]] = {uid: [] for uid in state.lead_types}
    for account in state.accounts.values():
        by_type[state.account_lead_type(account)].append(account)
    drafts = []
    for person in people:
        lead_type = _lead_type_for(population, asked.get(person.id), rng)
        campaigns = [c for c in state.campaigns.values() if c.lead_type_uid == lead_type]
        campaign = rng.choice(campaigns)
        received = created.get(person.id) or population.epoch - timedelta(
            days=rng.randint(1, 400), minutes=rng.randint(0, 1440)
        )
        outcome = rng.choices(("ok", "dup", "qc"), (88, 8, 4))[0]
        drafts.append((received, person.id, person, lead_type, campaign, outcome))
    # Leads arrive, get their ids and are sold in time order, so maxes and orders count right.
    for received, _pid, person, lead_type, campaign, outcome in sorted(drafts, key=lambda d: d[:2]):
        lead = Lead(
            uid=state.next_id("lead"),
            lead_type_uid=lead_type,
            vendor_uid=campaign.vendor_uid,
            campaign_uid=campaign.uid,
            values=_values(person, lead_type, rng),
            received=received,
            price=float(campaign.fields["LeadPrice"]),
            person_id=person.id,
            is_valid_post=outcome != "dup",
            response_type="Duplicate_Lead" if outcome == "dup" else "No_Error",
            response_details="Duplicate lead" if outcome == "dup" else "Lead accepted",
            pending_qc=outcome == "qc",
        )
        if campaign.fields["Channel"] == 0:  # Web campaigns carry site analytics (L3390)
            lead.visit = _visit(state, rng, received)
        state.leads[lead.uid] = lead
        if lead.is_valid_post and not lead.pending_qc:
            sent_at = received + timedelta(minutes=rng.randint(1, 30))
            auto_deliver(state, lead, sent_at, candidates=by_type[lead_type], verbose=False)


def _visit(state: LeadExecState, rng: random.Random, received: datetime) -> Visit:
    browser, os_name = rng.choice(catalog.BROWSERS)
    term = rng.choice(catalog.SEARCH_TERMS)
    enter = received - timedelta(minutes=rng.randint(2, 25))
    visit_uid = state.next_id("visit")
    return Visit(
        tracking_uid=visit_uid - 9_000_000,
        visit_uid=str(visit_uid),
        enter=enter,
        exit=received,
        user_agent=f"Mozilla/5.0 ({os_name}) {browser}",
        ip=".".join(str(rng.randint(1, 254)) for _ in range(4)),
        url="https://www.summitquotes.example/quote",
        enter_page="/quote/start",
        exit_page="/quote/thank-you",
        referrer="https://www.google.com/" if term else "",
        search_engine="Google" if term else "",
        search_term=term,
        browser=browser,
        os=os_name,
        page_views=rng.randint(2, 9),
        first_visit=rng.random() < 0.8,
    )
