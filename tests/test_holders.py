"""Every vendor AgencyDesk can hold records in has a short name for "Held in" and a stage table
or a documented reason to have none; stage names map to one vocabulary."""

from __future__ import annotations

from agencydesk.domain import LeadStage, LeadStatus
from agencydesk.domain.holders import HOLDER_NAMES, holder_name
from agencydesk.domain.stages import VENDOR_STAGES, stage_label, stage_of
from agencydesk.vendors.catalog import VENDOR_INFO


def test_every_catalog_vendor_has_a_holder_name() -> None:
    assert set(VENDOR_INFO) <= set(HOLDER_NAMES)
    assert holder_name("agencybloc") == "AgencyBloc"
    assert VENDOR_INFO["agencybloc"].display_name.startswith(holder_name("agencybloc"))


def test_vendor_stage_names_map_to_one_vocabulary() -> None:
    assert set(VENDOR_STAGES) - {"local"} <= set(VENDOR_INFO)
    assert stage_of("agencyzoom", "New Lead", "new") is stage_of("local", "New", "new")
    assert stage_of("lofty", "Negotiation", "new") is LeadStage.NEGOTIATING
    assert stage_of("local", "Negotiating", "quoted") is LeadStage.NEGOTIATING
    assert stage_of("lofty", "Past Client", "won") is LeadStage.WON
    # An agency's own stage name is placed by its words, then by the lead's status.
    assert stage_of("agencyzoom", "Quoting - Home", "new") is LeadStage.QUOTED
    assert stage_of("agencyzoom", "Stage 7", LeadStatus.LOST.value) is LeadStage.LOST
    assert stage_of("leadexec", "", LeadStatus.CONTACTED.value) is LeadStage.CONTACTED
    assert stage_label("conecrm", "Negotiation", "contacted") == "Negotiating (Negotiation)"
    assert stage_label("local", "Won", "won") == "Won"
