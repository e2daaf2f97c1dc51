"""Each vendor's one rule for what is a real change to a record (its ``changes.py``), by vendor
name: the sync hands it to the store's conflict check, the vendor's pusher uses it directly."""

from __future__ import annotations

from agencydesk.domain.change_rule import EVERY_FIELD, ChangeRule
from agencydesk.vendors.agencybloc.changes import CHANGE_RULE as AGENCYBLOC
from agencydesk.vendors.agencyzoom.changes import CHANGE_RULE as AGENCYZOOM
from agencydesk.vendors.conecrm.changes import CHANGE_RULE as CONECRM
from agencydesk.vendors.leadexec.changes import CHANGE_RULE as LEADEXEC
from agencydesk.vendors.lofty.changes import CHANGE_RULE as LOFTY

CHANGE_RULES: dict[str, ChangeRule] = {
    rule.vendor: rule for rule in (AGENCYBLOC, AGENCYZOOM, CONECRM, LEADEXEC, LOFTY)
}


def change_rule_of(vendor: str) -> ChangeRule:
    """The vendor's rule; a vendor without one (a test's fake) compares every field."""
    return CHANGE_RULES.get(vendor, EVERY_FIELD)
