"""Imported policies attached to their customers: a carrier's download names the insured, not
our customer id, so a policy goes to the one customer with that name."""

from __future__ import annotations

import dataclasses
import threading

from agencydesk.domain import Policy, RecordKind
from agencydesk.services.csv_io.problems import ImportCancelled
from agencydesk.services.csv_io.validate import Validation
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery


def link_policies_to_customers(
    book: Book, validation: Validation, *, cancel: threading.Event | None = None
) -> int:
    """Attach each imported policy without a customer to the one customer whose name is its
    insured name (a carrier's download names the insured, not our customer id). Returns how many
    were linked; a name two customers share links nothing."""
    if validation.kind is not RecordKind.POLICY:
        return 0
    wanted = {
        parsed.record.insured_name.strip().lower()
        for parsed in validation.rows
        if isinstance(parsed.record, Policy) and parsed.record.customer_id is None
    }
    wanted.discard("")
    if not wanted:
        return 0
    found: dict[str, int] = {}
    for index, item in enumerate(book.iter_rows(RecordKind.CUSTOMER, ListQuery())):
        if index % 2000 == 0 and cancel is not None and cancel.is_set():
            raise ImportCancelled
        name = getattr(item.record, "display_name", "").strip().lower()
        if name in wanted and item.record.id is not None:
            found[name] = -1 if name in found else item.record.id  # -1: ambiguous
    linked = 0
    for parsed in validation.rows:
        policy = parsed.record
        if not isinstance(policy, Policy) or policy.customer_id is not None:
            continue
        customer = found.get(policy.insured_name.strip().lower(), -1)
        if customer > 0:
            parsed.record = dataclasses.replace(policy, customer_id=customer)
            parsed.filled = parsed.filled | {"customer_id"}
            linked += 1
    return linked
