"""Seeding the AgencyBloc account from the shared Population.

AgencyBloc holds the agency's life & health book: the Population's ``agencybloc`` policies become
Individual policies of the same people who are AgencyZoom customers (linkable by name, email and
``Holder.person_key``), plus a few employer Groups with group benefits. Producers become agents
and users (account managers). Everything is derived from the seed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from agencydesk.vendors.agencybloc.sandbox.state import (
    AgencyBlocState,
    Carrier,
    Coverage,
    CustomFieldDef,
    Holder,
    Person,
    Policy,
)
from agencydesk.vendors.sandbox_kit.people import Population

STATUS_NAMES = {
    "active": "Active",
    "pending": "Pending",
    "cancelled": "Cancelled",
    "expired": "Terminated",
}
PRODUCTS = {
    "Term Life": ("Term Life 10", "Term Life 20", "Term Life 30"),
    "Whole Life": ("Whole Life Paid-Up at 65", "Whole Life Guaranteed"),
    "Medicare Supplement": ("Medigap Plan G", "Medigap Plan N"),
    "Dental": ("Dental PPO", "Dental HMO"),
    "Group Health": ("Group PPO 1500", "Group HSA 3000"),
}
PROJECT_CODES = ("AEP 2025", "OEP 2026", "Cross-sell Q4")
GROUP_SUFFIXES = ("Plumbing LLC", "Family Dental", "Auto Body Inc", "Landscaping Co", "Law Group")


def seed_state(state: AgencyBlocState, pop: Population) -> None:
    rng = random.Random(pop.seed * 31 + 2)
    for kind, values in (
        # The agency's own names (L15): some are our words, most are not.
        ("policyStatus", (*STATUS_NAMES.values(), "Lapsed", "Declined", "Submitted to Carrier")),
        ("policyCoverageType", (*PRODUCTS.keys(),)),
        ("projectCode", PROJECT_CODES),
    ):
        for value in values:
            state.lookups.id_for(kind, value)
    for known in pop.carriers:
        state.carriers[known.name.casefold()] = Carrier(1200 + known.id, known.name)
    for products in PRODUCTS.values():
        for known in pop.carriers:
            if known.kind == "life_health":
                for product in products:
                    state.product_for(state.carriers[known.name.casefold()], product)
    for producer in pop.producers:
        state.agents[4100 + producer.id] = Person(
            4100 + producer.id, producer.first_name, producer.last_name
        )
        state.users[700 + producer.id] = Person(
            700 + producer.id, producer.first_name, producer.last_name
        )
    state.custom_fields["Referral Source"] = CustomFieldDef("Referral Source")
    state.custom_fields["Riders"] = CustomFieldDef(
        "Riders",
        checkbox_list=True,
        options=["Waiver of Premium", "Accidental Death", "Child Term"],
    )
    customers = {c.id: c for c in pop.customers}
    agents = list(state.agents.values())
    users = list(state.users.values())
    lh_carriers = [c for c in pop.carriers if c.kind == "life_health"]
    for source in (p for p in pop.policies if p.system == "agencybloc"):
        person = pop.person(customers[source.customer_id].person_id)
        key = ("Individual", 200000 + person.id)
        holder = state.holders.setdefault(
            key, Holder(key[1], "Individual", person.name, person_key=str(person.id))
        )
        line = pop.line(source.line_id).name
        policy = _policy(
            state, rng, holder, pop.carrier(source.carrier_id).name, line, agents, users, pop.epoch
        )
        policy.policy_number = source.number
        policy.premium = source.premium
        policy.effective_date = source.effective
        policy.renewal_date = source.expiration
        policy.app_submit_date = source.effective - timedelta(days=rng.randint(7, 45))
        policy.issue_date = source.effective - timedelta(days=rng.randint(0, 6))
        policy.status_id = state.lookups.id_for("policyStatus", STATUS_NAMES[source.status])
        policy.updated = pop.epoch - timedelta(
            days=rng.randint(0, 300), minutes=rng.randint(0, 1440)
        )
        if source.status == "cancelled":
            policy.term_date = source.effective + timedelta(days=rng.randint(30, 120))
        state.policies[policy.id] = policy
    n_groups = 60 if pop.size == "large" else 5
    for index in range(n_groups):
        owner = pop.people[(index * 7919) % len(pop.people)]
        holder = Holder(
            300000 + index + 1,
            "Group",
            f"{owner.last_name} {GROUP_SUFFIXES[index % len(GROUP_SUFFIXES)]}",
        )
        state.holders[("Group", holder.id)] = holder
        for line in ("Group Health", "Dental")[: rng.choice((1, 2))]:
            carrier_name = rng.choice(lh_carriers).name
            policy = _policy(state, rng, holder, carrier_name, line, agents, users, pop.epoch)
            policy.lives = rng.randint(3, 85)
            policy.premium = round(policy.lives * rng.uniform(2400, 7200), 2)
            policy.effective_date = (pop.epoch - timedelta(days=rng.randint(0, 700))).date()
            policy.renewal_date = policy.effective_date + timedelta(days=365)
            policy.app_submit_date = policy.effective_date - timedelta(days=rng.randint(14, 60))
            policy.policy_number = f"GRP-{rng.randint(10000, 99999)}"
            policy.updated = pop.epoch - timedelta(days=rng.randint(0, 300))
            state.policies[policy.id] = policy


def _policy(
    state: AgencyBlocState,
    rng: random.Random,
    holder: Holder,
    carrier_name: str,
    line: str,
    agents: list[Person],
    users: list[Person],
    epoch: datetime,
) -> Policy:
    carrier = state.carriers[carrier_name.casefold()]
    product = rng.choice(PRODUCTS.get(line, (line,)))
    state.product_for(carrier, product)
    policy = Policy(
        id=state.new_policy_id(),
        holder=holder,
        carrier=carrier,
        status_id=state.lookups.id_for("policyStatus", "Active"),
        coverage_type_id=state.lookups.id_for("policyCoverageType", line),
        updated=epoch,
        pay_frequency=rng.choice((1, 1, 4, 12)),
        servicing_agent=rng.choice(agents),
        signed_by_agent=rng.choice(agents),
        account_manager=rng.choice(users),
        coverages=[Coverage(state.new_coverage_id(), product)],
    )
    if rng.random() < 0.3:
        policy.project_code_id = state.lookups.id_for("projectCode", rng.choice(PROJECT_CODES))
    if rng.random() < 0.4:
        policy.custom["Referral Source"] = rng.choice(("Existing client", "Website", "Seminar"))
    _fill_rest(policy)
    return policy


def _fill_rest(policy: Policy) -> None:
    """Every other writable field holds a value too (L135-L171), so a write that erases one
    shows in the inspector. A generator of its own keeps the main sequence unchanged."""
    rng = random.Random(policy.id)
    policy.waiting_period = rng.choice(("30 days", "60 days", "90 days", "First of month"))
    policy.classifications = rng.choice(("All full-time", "Salaried", "Class 1: Owners"))
    policy.notes = rng.choice(
        ("Client prefers email.", "Rider review at renewal.", "Spouse also insured.")
    )
    policy.renewal_increase = rng.choice((0.0, 3.5, 4.0, 7.25))
    policy.lives = policy.lives or 1
    policy.custom.setdefault("Riders", "Waiver of Premium||Accidental Death")
