"""The shared population: deterministic by seed, realistic, and overlapping across vendors."""

from __future__ import annotations

import re

import pytest

from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.people import Population
from agencydesk.vendors.sandbox_kit.registry import SandboxNotAvailable, create_sandbox


def test_same_seed_same_people_other_seed_other_people() -> None:
    a, b, c = Population(11, "small"), Population(11, "small"), Population(12, "small")
    assert a.people == b.people
    assert a.policies == b.policies
    assert a.leads == b.leads
    assert a.presence == b.presence
    assert a.people != c.people


def test_small_sizes_and_realistic_fields() -> None:
    pop = Population(7, "small")
    assert len(pop.customers) == 200
    assert len(pop.leads) == 300
    assert 4 <= len(pop.producers) <= 6
    assert {"Progressive", "State Farm", "Aetna", "Mutual of Omaha"} <= {
        c.name for c in pop.carriers
    }
    for person in pop.people:
        assert re.fullmatch(r"\+1[2-9]\d{9}", person.phone), person
        assert "@" in person.email
        assert re.fullmatch(r"\d{5}", person.address.zip)
    for policy in pop.policies:
        assert policy.expiration > policy.effective
        assert policy.premium > 0


def test_same_people_appear_at_several_vendors() -> None:
    pop = Population(7, "small")
    az = pop.presence["agencyzoom"]
    lofty_customers = [pid for pid in pop.presence["lofty"] if az.get(pid) == "customer"]
    assert lofty_customers, "some Lofty leads are AgencyZoom customers"
    assert all(az.get(pid) == "customer" for pid in pop.presence["agencybloc"])
    bloc_policies = [p for p in pop.policies if p.system == "agencybloc"]
    assert bloc_policies
    assert {pop.carrier(p.carrier_id).kind for p in bloc_policies} == {"life_health"}
    assert any(az.get(pid) == "lead" for pid in pop.presence["leadexec"])
    assert any(pid in az for pid in pop.presence["conecrm"])
    assert set(pop.vendors_of(lofty_customers[0])) >= {"agencyzoom", "lofty"}


def test_shared_population_is_built_once() -> None:
    assert Population.shared(7, "small") is Population.shared(7, "small")


def test_policies_of_a_customer() -> None:
    pop = Population.shared(7, "small")
    customer = pop.customers[0]
    assert pop.policies_of(customer.id)
    assert all(p.customer_id == customer.id for p in pop.policies_of(customer.id))


@pytest.mark.slow
def test_large_has_the_promised_counts() -> None:
    pop = Population(7, "large")
    assert len(pop.leads) >= 20_000
    assert len(pop.customers) >= 10_000
    assert sum(p.system == "agencyzoom" for p in pop.policies) >= 20_000


def test_registry_reports_a_missing_sandbox_clearly() -> None:
    with pytest.raises(SandboxNotAvailable, match="unknown vendor"):
        create_sandbox("salesforce", SandboxOptions())
