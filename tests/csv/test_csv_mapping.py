"""Headers people and vendors use map to our fields; presets and hand changes win; a field
filled twice or a required field without a column is refused before any row is read."""

from __future__ import annotations

import pytest

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.fields import FIELDS
from agencydesk.services.csv_io.mapping import auto_map, check_mapping
from agencydesk.services.csv_io.problems import CsvProblem


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("First Name", "first_name"),
        ("Firstname", "first_name"),
        ("first_name", "first_name"),
        ("Email Address", "email"),
        ("Cell", "phone"),
        ("X-Date", "x_date"),
        ("Exp Date", "x_date"),
        ("Premium ($)", "quoted_premium_cents"),
        # AgencyZoom lead fields (agencyzoom.md §5.1)
        ("streetAddress", "street"),
        ("xDate", "x_date"),
        ("leadSourceName", "source"),
        ("workflowStageName", "stage"),
        # Lofty (zipCode) and LeadExec (PrimaryPhone, PostalCode)
        ("zipCode", "zip_code"),
        ("PrimaryPhone", "phone"),
        ("PostalCode", "zip_code"),
    ],
)
def test_lead_headers_map_to_fields(header: str, field: str) -> None:
    mapping = auto_map(RecordKind.LEAD, ["Last Name", header])
    assert mapping.fields[1] == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Policy #", "policy_number"),
        ("policyNumber", "policy_number"),
        ("CarrierName", "carrier"),  # AgencyBloc detail
        ("policyCoverageType", "line_of_business"),  # AgencyBloc write field
        ("expiryDate", "expiration_date"),  # AgencyZoom policy
        ("Exp Date", "expiration_date"),
        ("StatusDescript", "status"),
        ("Premium ($)", "premium_cents"),
    ],
)
def test_policy_headers_map_to_fields(header: str, field: str) -> None:
    assert auto_map(RecordKind.POLICY, ["Policy Number", header]).fields[1] in (field, "")
    assert auto_map(RecordKind.POLICY, [header]).fields[0] == field


@pytest.mark.parametrize("kind", list(FIELDS))
def test_every_export_label_maps_back_to_its_field(kind: RecordKind) -> None:
    labels = [spec.label for spec in FIELDS[kind]]
    assert auto_map(kind, labels).fields == tuple(spec.name for spec in FIELDS[kind])


def test_best_synonym_wins_and_the_other_column_is_ignored() -> None:
    mapping = auto_map(RecordKind.LEAD, ["Phone", "Cell", "Notes"])
    assert mapping.fields == ("phone", "", "")


def test_preset_maps_columns_first() -> None:
    preset = {"Nom": "last_name", "courriel": "email"}
    mapping = auto_map(RecordKind.LEAD, ["Nom", "Courriel"], preset)
    assert mapping.fields == ("last_name", "email")


def test_same_header_twice_is_refused_naming_both_columns() -> None:
    mapping = auto_map(RecordKind.LEAD, ["First Name", "Email", "Phone", "Email"])
    with pytest.raises(CsvProblem) as caught:
        check_mapping(RecordKind.LEAD, mapping)
    assert caught.value.row == 1
    assert "B (Email)" in str(caught.value)
    assert "D (Email)" in str(caught.value)
    check_mapping(RecordKind.LEAD, mapping.with_field(3, ""))  # ignoring one column resolves it


def test_missing_required_header_is_refused() -> None:
    with pytest.raises(CsvProblem, match="row 1: no column for 'Policy Number'"):
        check_mapping(RecordKind.POLICY, auto_map(RecordKind.POLICY, ["Carrier", "Premium"]))
    with pytest.raises(CsvProblem, match="no column for a name"):
        check_mapping(RecordKind.LEAD, auto_map(RecordKind.LEAD, ["Email", "Phone"]))
