"""The short names lists use for where a record is held ("Held in: AgencyZoom · Lofty", "Active
at AgencyBloc"). The vendor catalog has the full product names ("AgencyBloc AMS+"); these are the
names agents say (tests/test_holders.py checks every catalog vendor has one)."""

from __future__ import annotations

from agencydesk.domain.records import LOCAL_VENDOR

HOLDER_NAMES: dict[str, str] = {
    LOCAL_VENDOR: "This device",
    "agencyzoom": "AgencyZoom",
    "lofty": "Lofty",
    "agencybloc": "AgencyBloc",
    "conecrm": "ConeCRM",
    "leadexec": "LeadExec",
}


def holder_name(vendor: str) -> str:
    return HOLDER_NAMES.get(vendor, vendor)
