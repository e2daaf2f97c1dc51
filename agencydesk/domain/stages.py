"""One vocabulary for lead stages (issue 11): every vendor's pipeline stage names and lead
statuses map to ``LeadStage``, which the Leads tab groups and counts by; the vendor's own stage
name stays on the lead and is shown beside it ("Negotiating (Negotiation)").

Each vendor's names are listed once below, in its own table (the store computes a lead's stage
when it writes it, and the store may only import the domain). A name no table knows (an agency
names its own stages) is placed by the words in it, then by the lead's normalised status."""

from __future__ import annotations

from collections.abc import Mapping

from agencydesk.domain.values import LeadStage, LeadStatus

#: Records made here (the demo book, local leads): our own words.
LOCAL: Mapping[str, LeadStage] = {
    stage.value.casefold(): stage for stage in LeadStage if stage is not LeadStage.OTHER
}

#: AgencyZoom agencies name their own pipelines and stages (GET /v1/api/pipelines-and-stages,
#: agencyzoom-api L6351); these are the default pipelines' stages.
AGENCYZOOM: Mapping[str, LeadStage] = {
    "new lead": LeadStage.NEW,
    "contacted": LeadStage.CONTACTED,
    "quote sent": LeadStage.QUOTED,
    "quoted": LeadStage.QUOTED,
    "negotiation": LeadStage.NEGOTIATING,
    "won": LeadStage.WON,
    "sold": LeadStage.WON,
    "lost": LeadStage.LOST,
}

#: Lofty's ``stage`` is a free name under 20 characters (vendor-notes lofty, L735); "Past Client"
#: is a lead who bought.
LOFTY: Mapping[str, LeadStage] = {
    "new lead": LeadStage.NEW,
    "contacted": LeadStage.CONTACTED,
    "quote sent": LeadStage.QUOTED,
    "negotiation": LeadStage.NEGOTIATING,
    "won": LeadStage.WON,
    "past client": LeadStage.WON,
    "lost": LeadStage.LOST,
}

#: ConeCRM leads point at a stage of the account's own stage list by id (its mapping reads the
#: names); these are the names an account starts with.
CONECRM: Mapping[str, LeadStage] = {
    "new lead": LeadStage.NEW,
    "contacted": LeadStage.CONTACTED,
    "quote sent": LeadStage.QUOTED,
    "negotiation": LeadStage.NEGOTIATING,
    "won": LeadStage.WON,
    "lost": LeadStage.LOST,
}

#: vendor -> (its stage name, case-folded) -> our stage. AgencyBloc and LeadExec leads have no
#: pipeline stage: their status places them.
VENDOR_STAGES: Mapping[str, Mapping[str, LeadStage]] = {
    "local": LOCAL,
    "agencyzoom": AGENCYZOOM,
    "lofty": LOFTY,
    "conecrm": CONECRM,
}

#: Words that give a stage away in a name no table knows, most telling first.
STAGE_WORDS: tuple[tuple[str, LeadStage], ...] = (
    ("past client", LeadStage.WON),
    ("won", LeadStage.WON),
    ("sold", LeadStage.WON),
    ("closed", LeadStage.WON),
    ("lost", LeadStage.LOST),
    ("dead", LeadStage.LOST),
    ("negotiat", LeadStage.NEGOTIATING),
    ("quot", LeadStage.QUOTED),
    ("proposal", LeadStage.QUOTED),
    ("contact", LeadStage.CONTACTED),
    ("attempt", LeadStage.CONTACTED),
    ("new", LeadStage.NEW),
)

BY_STATUS: Mapping[str, LeadStage] = {
    LeadStatus.NEW.value: LeadStage.NEW,
    LeadStatus.CONTACTED.value: LeadStage.CONTACTED,
    LeadStatus.QUOTED.value: LeadStage.QUOTED,
    LeadStatus.WON.value: LeadStage.WON,
    LeadStatus.LOST.value: LeadStage.LOST,
    "other": LeadStage.OTHER,  # LeadStatus.OTHER (main): the agency's own, not mapped yet
}


def stage_of(vendor: str, stage: str, status: str) -> LeadStage:
    """Our stage for a lead ``vendor`` puts in ``stage`` with (normalised) ``status``."""
    name = (stage or "").strip().casefold()
    if name:
        known = VENDOR_STAGES.get(vendor, {}).get(name)
        if known is not None:
            return known
        for word, found in STAGE_WORDS:
            if word in name:
                return found
    return BY_STATUS.get(str(status), LeadStage.NEW)


def stage_label(vendor: str, stage: str, status: str) -> str:
    """Our stage, with the vendor's own name beside it when it differs."""
    ours = stage_of(vendor, stage, status)
    if not stage.strip() or stage.strip().casefold() == ours.value.casefold():
        return ours.value
    return f"{ours.value} ({stage.strip()})"
