"""How the shared population is generated: seeded Faker pools of names and streets, real US
cities with matching ZIP prefixes and area codes, real carriers and lines of business, and the
overlap of people across the five vendors. See ``people.py`` for the records and timings."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from faker import Faker

from agencydesk.vendors.sandbox_kit.people import (
    LEAD_SOURCES,
    LEAD_STATUSES,
    PIPELINE_STAGES,
    Address,
    Carrier,
    Customer,
    Household,
    Lead,
    LineKind,
    LineOfBusiness,
    Person,
    Policy,
    Population,
    Producer,
    Role,
)

# (city, state, zip prefix, area code): real places, so addresses and phones agree.
_CITIES = (
    ("Austin", "TX", "787", "512"),
    ("Dallas", "TX", "752", "214"),
    ("Houston", "TX", "770", "713"),
    ("Chicago", "IL", "606", "312"),
    ("Naperville", "IL", "605", "630"),
    ("Columbus", "OH", "432", "614"),
    ("Cleveland", "OH", "441", "216"),
    ("Atlanta", "GA", "303", "404"),
    ("Savannah", "GA", "314", "912"),
    ("Phoenix", "AZ", "850", "602"),
    ("Tucson", "AZ", "857", "520"),
    ("Denver", "CO", "802", "303"),
    ("Nashville", "TN", "372", "615"),
    ("Charlotte", "NC", "282", "704"),
    ("Raleigh", "NC", "276", "919"),
    ("Tampa", "FL", "336", "813"),
    ("Orlando", "FL", "328", "407"),
    ("Minneapolis", "MN", "554", "612"),
    ("Kansas City", "MO", "641", "816"),
    ("Omaha", "NE", "681", "402"),
    ("Indianapolis", "IN", "462", "317"),
    ("Richmond", "VA", "232", "804"),
    ("Pittsburgh", "PA", "152", "412"),
    ("Madison", "WI", "537", "608"),
)
_STREET_SUFFIXES = ("St", "Ave", "Rd", "Dr", "Ln", "Ct", "Blvd", "Way", "Pl")
_EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com", "hotmail.com")

_CARRIERS = (
    ("Progressive", "pc"),
    ("State Farm", "pc"),
    ("Travelers", "pc"),
    ("Safeco", "pc"),
    ("Allstate", "pc"),
    ("Nationwide", "pc"),
    ("Liberty Mutual", "pc"),
    ("The Hartford", "pc"),
    ("Erie", "pc"),
    ("Chubb", "pc"),
    ("Mutual of Omaha", "life_health"),
    ("Aetna", "life_health"),
)
_LINES: tuple[tuple[str, LineKind, int, int], ...] = (  # name, kind, premium min/max (USD/yr)
    ("Personal Auto", "personal", 700, 3200),
    ("Homeowners", "personal", 900, 4200),
    ("Renters", "personal", 120, 400),
    ("Umbrella", "personal", 250, 900),
    ("Motorcycle", "personal", 200, 1100),
    ("Commercial Auto", "commercial", 2500, 14000),
    ("General Liability", "commercial", 800, 6000),
    ("Workers Compensation", "commercial", 1500, 22000),
    ("Term Life", "life", 300, 2400),
    ("Whole Life", "life", 1200, 7000),
    ("Medicare Supplement", "health", 1400, 3600),
    ("Dental", "health", 300, 900),
)

# (customers, AgencyZoom leads)
_COUNTS = {"tiny": (30, 40), "small": (200, 300), "large": (10_000, 20_000)}
_MIN_LARGE_POLICIES = 20_000


def build(pop: Population) -> None:
    """Fill ``pop`` with its seeded cast (called by ``Population.__init__``)."""
    rng = random.Random(pop.seed)
    fake = Faker("en_US")
    fake.seed_instance(pop.seed)
    first_m = [fake.first_name_male() for _ in range(300)]
    first_f = [fake.first_name_female() for _ in range(300)]
    lasts = [fake.last_name() for _ in range(500)]
    streets = [fake.street_name().rsplit(" ", 1)[0] for _ in range(400)]
    n_customers, n_leads = _COUNTS[pop.size]
    epoch = pop.epoch

    pop.carriers = [Carrier(i + 1, n, k) for i, (n, k) in enumerate(_CARRIERS)]  # type: ignore[arg-type]
    pop.lines = [LineOfBusiness(i + 1, n, k) for i, (n, k, _a, _b) in enumerate(_LINES)]
    titles = ("Agency Owner", "Producer", "Producer", "Account Manager", "CSR", "Producer")
    pop.producers = []
    for i in range(rng.randint(4, 6)):
        fn, ln = rng.choice(first_m + first_f), rng.choice(lasts)
        city = _CITIES[i % len(_CITIES)]
        pop.producers.append(
            Producer(
                i + 1,
                fn,
                ln,
                f"{fn}.{ln}@summitinsure.com".lower(),
                _phone(rng, city[3]),
                titles[i],
            )
        )

    # People come in households of 1-4 sharing a last name and an address.
    n_extra = n_customers // 5 + n_leads // 5  # people known only outside AgencyZoom
    wanted = n_customers + n_leads + n_extra
    people: list[Person] = []
    households: list[Household] = []
    while len(people) < wanted:
        hid = len(households) + 1
        city = rng.choice(_CITIES)
        addr = Address(
            f"{rng.randint(100, 9899)} {rng.choice(streets)} {rng.choice(_STREET_SUFFIXES)}",
            city[0],
            city[1],
            f"{city[2]}{rng.randint(0, 99):02d}",
        )
        last = rng.choice(lasts)
        members = []
        for _ in range(rng.choices((1, 2, 3, 4), (40, 35, 15, 10))[0]):
            pid = len(people) + 1
            gender: Literal["M", "F"] = "M" if rng.random() < 0.5 else "F"
            first = rng.choice(first_m if gender == "M" else first_f)
            email = (
                f"{first}.{last}{rng.randint(1, 99) if rng.random() < 0.4 else ''}"
                f"@{rng.choice(_EMAIL_DOMAINS)}".lower().replace("'", "")
            )
            born = date(1945, 1, 1) + timedelta(days=rng.randint(0, 365 * 58))
            people.append(
                Person(pid, hid, first, last, email, _phone(rng, city[3]), born, gender, addr)
            )
            members.append(pid)
        households.append(Household(hid, f"The {last} Household", addr, tuple(members)))
    pop.people, pop.households = people, households

    az: dict[int, Role] = {}
    ids = list(range(1, wanted + 1))
    rng.shuffle(ids)
    customer_pids, lead_pids = ids[:n_customers], ids[n_customers : n_customers + n_leads]
    extra_pids = ids[n_customers + n_leads :]
    producer_ids = [p.id for p in pop.producers]
    pc_carriers = [c.id for c in pop.carriers if c.kind == "pc"]
    lh_carriers = [c.id for c in pop.carriers if c.kind == "life_health"]
    pc_lines = [ln.id for ln in pop.lines if ln.kind in ("personal", "commercial")]
    lh_lines = [ln.id for ln in pop.lines if ln.kind in ("life", "health")]

    for cid, pid in enumerate(customer_pids, 1):
        since = (epoch - timedelta(days=rng.randint(30, 365 * 12))).date()
        created = datetime(since.year, since.month, since.day, 9, tzinfo=UTC) + timedelta(
            minutes=rng.randint(0, 600)
        )
        updated = epoch - timedelta(days=rng.randint(0, 200), minutes=rng.randint(0, 1440))
        pop.customers.append(
            Customer(
                cid,
                pid,
                pop.person(pid).household_id,
                rng.choice(producer_ids),
                since,
                rng.random() < 0.92,
                created,
                max(created, updated),
            )
        )
        az[pid] = "customer"
        # Two P&C policies per customer on average (20,000 for 10,000 customers).
        for _ in range(rng.choices((1, 2, 3), (30, 40, 30))[0]):
            pop.policies.append(
                _policy(rng, pop, cid, rng.choice(pc_carriers), rng.choice(pc_lines), "agencyzoom")
            )
    # ``large`` promises at least 20,000 P&C policies; a separate stream tops up so the rest of
    # the data (and all of ``small``) stays as the main stream made it.
    if pop.size == "large":
        top_up = random.Random(pop.seed + 20_000)
        while len(pop.policies) < _MIN_LARGE_POLICIES:
            cid = top_up.randint(1, n_customers)
            pop.policies.append(
                _policy(
                    top_up,
                    pop,
                    cid,
                    top_up.choice(pc_carriers),
                    top_up.choice(pc_lines),
                    "agencyzoom",
                )
            )
    for lid, pid in enumerate(lead_pids, 1):
        created = epoch - timedelta(days=rng.randint(0, 540), minutes=rng.randint(0, 1440))
        last_activity = min(
            epoch, created + timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 900))
        )
        status = rng.choices(LEAD_STATUSES, (30, 25, 20, 10, 15))[0]
        stage = {"new": 0, "contacted": 1, "quoted": rng.choice((2, 3)), "sold": 4, "lost": 5}
        line_id = rng.choice(pc_lines)
        quoted = (
            round(rng.uniform(*_LINES[line_id - 1][2:4]), 2)
            if status in ("quoted", "sold")
            else None
        )
        pop.leads.append(
            Lead(
                lid,
                pid,
                rng.choice(producer_ids),
                status,
                rng.choice(LEAD_SOURCES),
                PIPELINE_STAGES[stage[status]],
                line_id,
                quoted,
                created,
                last_activity,
            )
        )
        az[pid] = "lead"

    # Who else knows whom. Fractions are of AgencyZoom customers/leads plus vendor-only people.
    def pick(pool: list[int], fraction: float) -> list[int]:
        return rng.sample(pool, int(len(pool) * fraction))

    lofty: dict[int, Role] = {
        pid: "lead"
        for pid in pick(customer_pids, 0.15)
        + pick(lead_pids, 0.10)
        + extra_pids[: len(extra_pids) // 3]
    }
    bloc_pids = pick(customer_pids, 0.25)
    bloc: dict[int, Role] = {pid: "customer" for pid in bloc_pids}
    by_person = {c.person_id: c.id for c in pop.customers}
    for pid in bloc_pids:
        for _ in range(rng.choice((1, 1, 2))):
            pop.policies.append(
                _policy(
                    rng,
                    pop,
                    by_person[pid],
                    rng.choice(lh_carriers),
                    rng.choice(lh_lines),
                    "agencybloc",
                )
            )
    from_leadexec = [ld.person_id for ld in pop.leads if ld.source == "LeadExec"]
    leadexec: dict[int, Role] = {
        pid: "lead"
        for pid in from_leadexec + extra_pids[len(extra_pids) // 3 : 2 * len(extra_pids) // 3]
    }
    cone: dict[int, Role] = {
        pid: "contact"
        for pid in pick(customer_pids, 0.10)
        + pick(lead_pids, 0.05)
        + extra_pids[2 * len(extra_pids) // 3 :]
    }
    pop.presence = {
        "agencyzoom": az,
        "lofty": lofty,
        "agencybloc": bloc,
        "leadexec": leadexec,
        "conecrm": cone,
    }


def _phone(rng: random.Random, area: str) -> str:
    return f"+1{area}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"


def _policy(
    rng: random.Random,
    pop: Population,
    customer_id: int,
    carrier_id: int,
    line_id: int,
    system: Literal["agencyzoom", "agencybloc"],
) -> Policy:
    lo, hi = _LINES[line_id - 1][2:4]
    effective = (pop.epoch - timedelta(days=rng.randint(-60, 700))).date()
    months = 6 if _LINES[line_id - 1][0] in ("Personal Auto", "Motorcycle") else 12
    expiration = effective + timedelta(days=months * 365 // 12)
    today = pop.epoch.date()
    status: Literal["active", "pending", "cancelled", "expired"]
    if effective > today:
        status = "pending"
    elif expiration < today:
        status = "expired"
    else:
        status = "cancelled" if rng.random() < 0.06 else "active"
    prefix = "".join(w[0] for w in pop.carrier(carrier_id).name.split()).upper()
    number = f"{prefix}-{rng.randint(100000, 999999)}{rng.randint(10, 99)}"
    return Policy(
        len(pop.policies) + 1,
        customer_id,
        number,
        carrier_id,
        line_id,
        round(rng.uniform(lo, hi), 2),
        effective,
        expiration,
        status,
        system,
    )
