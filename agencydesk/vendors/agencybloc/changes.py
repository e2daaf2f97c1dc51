"""AgencyBloc AMS+'s one rule for what is a real change to a policy (used by the store's conflict
check and by ``push.py``): its custom fields are not compared (AgencyDesk neither shows nor
edits them, and their list of name/value pairs has no documented order)."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.domain.change_rule import ChangeRule

CHANGE_RULE = ChangeRule("agencybloc", ignored={RecordKind.POLICY: frozenset({"customFields"})})
