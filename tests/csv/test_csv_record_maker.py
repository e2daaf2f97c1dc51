"""An import's records are made without their constructor (services/csv_io/record_maker.py): each
must be the very record the constructor makes, defaults and default factories included."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from agencydesk.domain import Lead, LeadStatus, Provenance
from agencydesk.services.csv_io.fields import IMPORTABLE
from agencydesk.services.csv_io.record_maker import record_maker

NOW = datetime(2026, 3, 31, 14, 5, tzinfo=UTC)
COMMON = {"provenance": Provenance(), "created_at": NOW, "updated_at": NOW}


@pytest.mark.parametrize("cls", list(IMPORTABLE.values()), ids=lambda cls: cls.__name__)
def test_every_importable_kind_is_made_as_its_constructor_makes_it(cls: type) -> None:
    make = record_maker(cls, COMMON)
    assert make({}) == cls(**COMMON)
    first, second = make({}), make({})
    assert first.raw == {}
    assert first.raw is not second.raw  # a fresh payload each, as before


def test_a_lead_with_its_fields_filled_is_the_same_lead() -> None:
    values = {
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann@example.com",
        "status": LeadStatus.QUOTED,
        "x_date": date(2026, 5, 1),
        "quoted_premium_cents": 120_000,
        "tags": ("auto",),
    }
    made = record_maker(Lead, COMMON)(values)
    assert type(made) is Lead
    assert made == Lead(**values, **COMMON)
    with pytest.raises(AttributeError):  # still frozen
        made.first_name = "Bob"  # type: ignore[misc]


def test_a_field_the_kind_does_not_have_is_refused_as_the_constructor_refuses_it() -> None:
    with pytest.raises(TypeError, match="policy_number"):
        record_maker(Lead, COMMON)({"policy_number": "P-1"})
