"""Seeded pools of names, streets and businesses, drawn from Faker once so that generating even
the 100,000-lead benchmark book costs list lookups, not Faker calls."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

from agencydesk.services.demo.catalog import AREA_CODES, EMAIL_DOMAINS

# Real places (city, state, ZIP prefix) so addresses look like an agency's territory.
PLACES = (
    ("Austin", "TX", "787"),
    ("Round Rock", "TX", "786"),
    ("Cedar Park", "TX", "786"),
    ("Georgetown", "TX", "786"),
    ("San Antonio", "TX", "782"),
    ("San Marcos", "TX", "786"),
    ("Dallas", "TX", "752"),
    ("Plano", "TX", "750"),
    ("Houston", "TX", "770"),
    ("Katy", "TX", "774"),
    ("Denver", "CO", "802"),
    ("Aurora", "CO", "800"),
    ("Phoenix", "AZ", "850"),
    ("Mesa", "AZ", "852"),
)


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    city: str
    state: str
    zip_code: str


class PeoplePool:
    def __init__(self, seed: int, rng: random.Random) -> None:
        fake = Faker("en_US")
        fake.seed_instance(seed)
        self.rng = rng
        self.first_names = sorted({fake.first_name() for _ in range(900)})
        self.last_names = sorted({fake.last_name() for _ in range(900)})
        self.streets = sorted({fake.street_name() for _ in range(500)})
        self.companies = sorted({fake.company() for _ in range(700)})

    def first(self) -> str:
        return self.rng.choice(self.first_names)

    def last(self) -> str:
        return self.rng.choice(self.last_names)

    def company(self) -> str:
        return self.rng.choice(self.companies)

    def address(self) -> Address:
        rng = self.rng
        city, state, zip_prefix = rng.choice(PLACES)
        street = f"{rng.randint(100, 9899)} {rng.choice(self.streets)}"
        if rng.random() < 0.12:
            street += f" Apt {rng.randint(1, 40)}"
        return Address(street, city, state, f"{zip_prefix}{rng.randint(0, 99):02d}")

    def phone(self) -> str:
        """E.164, US, in the 555 exchange (the one set aside for fiction)."""
        return f"+1{self.rng.choice(AREA_CODES)}555{self.rng.randint(100, 9999):04d}"

    def email(self, first: str, last: str) -> str:
        rng = self.rng
        f, last_ = first.lower().replace("'", ""), last.lower().replace("'", "")
        local = rng.choice((f"{f}.{last_}", f"{f[0]}{last_}", f"{f}{last_}{rng.randint(1, 99)}"))
        return f"{local}@{rng.choice(EMAIL_DOMAINS)}"

    def business_email(self, company: str) -> str:
        words = "".join(ch for ch in company.lower() if ch.isalnum())[:18] or "office"
        return f"{self.rng.choice(('info', 'office', 'admin', 'billing'))}@{words}.com"
