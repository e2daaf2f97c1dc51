"""Sample records shared by the store and UI test books: the same people, policies and leads."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from agencydesk.domain import Customer, Lead, LeadStatus, Policy, PolicyStatus


def ann_lee(**extra: Any) -> Customer:
    """Ann Lee, household H1, Pat's customer."""
    return Customer(
        first_name="Ann",
        last_name="Lee",
        email="ann.lee@example.com",
        phone="+15125550123",
        city="Austin",
        household="H1",
        producer="Pat",
        **extra,
    )


def bob_lee() -> Customer:
    """Bob Lee, household H1, no policies."""
    return Customer(first_name="Bob", last_name="Lee", household="H1", producer="Pat")


def cy_diaz(**extra: Any) -> Customer:
    """Cy Diaz, household H2, Quinn's customer."""
    return Customer(
        first_name="Cy",
        last_name="Diaz",
        email="cy@diaz.org",
        household="H2",
        producer="Quinn",
        **extra,
    )


def sample_policies(ann: int, cy: int, today: date) -> list[Policy]:
    """Ann's two active policies and a cancelled umbrella, then Cy's one active policy."""
    return [
        Policy(
            customer_id=ann,
            policy_number="PA-100200",
            carrier="Progressive",
            line_of_business="Personal Auto",
            premium_cents=120_000,
            expiration_date=today + timedelta(days=20),
            producer="Pat",
        ),
        Policy(
            customer_id=ann,
            policy_number="HO-300400",
            carrier="State Farm",
            line_of_business="Homeowners",
            premium_cents=210_000,
            expiration_date=today + timedelta(days=75),
            producer="Pat",
        ),
        Policy(
            customer_id=ann,
            policy_number="UM-1",
            carrier="Chubb",
            line_of_business="Umbrella",
            premium_cents=50_000,
            status=PolicyStatus.CANCELLED,
            expiration_date=today + timedelta(days=10),
            producer="Pat",
        ),
        Policy(
            customer_id=cy,
            policy_number="CA-9",
            carrier="Travelers",
            line_of_business="Commercial Auto",
            premium_cents=500_000,
            expiration_date=today + timedelta(days=45),
            producer="Quinn",
        ),
    ]


def sample_leads(t0: datetime, **acme_extra: Any) -> list[Lead]:
    """Lead Dana Fox (New, made at t0) and lead Acme Roofing LLC (Quoted, a day later)."""
    return [
        Lead(
            first_name="Dana",
            last_name="Fox",
            email="dana@fox.net",
            status=LeadStatus.NEW,
            pipeline="New Business",
            stage="New",
            source="Web",
            producer="Pat",
            created_at=t0,
        ),
        Lead(
            business_name="Acme Roofing LLC",
            status=LeadStatus.QUOTED,
            pipeline="New Business",
            stage="Quoted",
            source="Referral",
            producer="Quinn",
            created_at=t0 + timedelta(days=1),
            **acme_extra,
        ),
    ]
