"""ConeCRM's one rule for what is a real change to a record (used by the store's conflict check
and by ``push.py``): an account's contacts, primary contact and third-party ids change without
anyone editing the account itself."""

from __future__ import annotations

from agencydesk.domain import RecordKind
from agencydesk.domain.change_rule import ChangeRule

VOLATILE = frozenset({"contacts", "primaryContact", "thirdPartyIds"})

CHANGE_RULE = ChangeRule("conecrm", ignored={RecordKind.CUSTOMER: VOLATILE})
