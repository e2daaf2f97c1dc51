"""Detail-pane sections and list cells for linked records (issue 11): where a person or policy is
held and why its records were linked, the customer a lead already is, each vendor's own value
where they disagree, open suggestions, and the household's one timeline."""

from __future__ import annotations

import re
from datetime import date, time
from html import escape
from typing import TYPE_CHECKING

from agencydesk.domain import Customer, Lead, Policy, PolicyStatus, Record, RecordKind
from agencydesk.domain.holders import holder_name
from agencydesk.domain.policy_state import state_text
from agencydesk.services.book_reads import RecordDetail
from agencydesk.services.vendor_catalog import policy_status_shown
from agencydesk.store.queries import ListItem
from agencydesk.ui import detail_html as h
from agencydesk.ui.tabs.link_actions import action

if TYPE_CHECKING:
    from agencydesk.store.link_book import LinkedRecord

#: Person fields whose values are compared across the records of a group.
_COMPARED = (("Email", "email"), ("Phone", "phone"), ("Address", "street"))


def held_in(item: ListItem) -> str:
    """The Held in cell: the group's holders, or the record's own before any linking pass."""
    return item.held_in or holder_name(item.record.provenance.vendor)


def policy_state(policy: Policy, today: date | None = None) -> str:
    """The Status cell and line: the honest state, the vendor's status beside it when it
    disagrees ("Active at AgencyBloc, expired 03/01/2025"); a status with no meaning here is
    the vendor's own name for it (issue 15), never in force."""
    if policy.status is PolicyStatus.OTHER:
        return policy_status_shown(policy.status.value, policy.provenance.vendor, policy.raw)
    return state_text(policy, today or date.today(), holder_name(policy.provenance.vendor))


def already_customer(detail: RecordDetail) -> str:
    """For a lead: the customer this person already is (at any vendor), as a link, so nobody
    cold-calls an existing customer."""
    customer = detail.known_customer
    if customer is None:
        return ""
    where = holder_name(customer.provenance.vendor)
    line = h.link(RecordKind.CUSTOMER, customer.id, customer.display_name) + escape(
        f" · customer at {where}"
    )
    return h.section("Already a customer", [line])


def _label(member: LinkedRecord) -> str:
    return f"{member.holder} {member.kind.value}"


def _without_numbers(reason: str) -> str:
    """Evidence stored by an older pass named the other record by its internal number ("as
    Lofty lead #3001"; a pass now names it "as Ann Oduya, lead at Lofty"): until its group is
    linked again, the number goes (a name's own "#", "Store #12", stays)."""
    return re.sub(r"\b(lead|customer|policy) #\d+\b", r"\1", reason)


def linked_records(detail: RecordDetail, kind: RecordKind, record_id: int | None) -> str:
    """The records linked with this one, each with its holder and why it was linked."""
    if record_id is None:
        return ""
    lines = []
    for member in detail.links:
        me = (member.kind, member.id) == (kind, record_id)
        name = escape(member.name) if me else h.link(member.kind, member.id, member.name)
        unlink = action("Unlink", "unlink", (member.kind, member.id))
        lines.append(
            f"{name}{escape(f' · {_label(member)} · {member.account}')} · {unlink}"
            f'<br><span class="meta">{escape(_without_numbers(member.reason))}</span>'
        )
    more = action("Link with another record…", "pick", (kind, record_id))
    return h.section("Linked records", lines, empty="none") + f"<p>{more}</p>"


def suggestions(detail: RecordDetail, kind: RecordKind, record_id: int | None) -> str:
    """Records that may be the same person (weak evidence), for the user to decide."""
    if record_id is None or not detail.suggestions:
        return ""
    lines = [
        h.link(s.other_kind, s.other_id, s.other_name)
        + escape(f" · {s.other_holder} {s.other_kind.value} · {s.reason}")
        + "<br>"
        + action("Same person", "link", (kind, record_id), (s.other_kind, s.other_id))
        + " · "
        + action("Not the same", "apart", (kind, record_id), (s.other_kind, s.other_id))
        for s in detail.suggestions
    ]
    return h.section("Maybe the same person", lines)


def _value(record: Record, field: str) -> str:
    if field == "phone":
        return h.phone(str(getattr(record, "phone", "")))
    if field == "street":
        parts = (getattr(record, name, "") for name in ("street", "city", "state", "zip_code"))
        return ", ".join(p for p in parts if p)
    return str(getattr(record, field, "") or "")


def vendor_values(detail: RecordDetail) -> str:
    """Where the linked records disagree (two phones, two addresses): each value and whose it
    is. The row itself shows the most recently updated record's."""
    labels = {(m.kind, m.id): _label(m) for m in detail.links}
    people = [r for r in detail.linked_records if isinstance(r, Customer | Lead)]
    lines = []
    for label, field in _COMPARED:
        values: dict[str, tuple[str, list[str]]] = {}  # compared form -> (shown, holders)
        for record in people:
            value = _value(record, field)
            if value:
                same = "".join(value.casefold().split())  # "CY@DIAZ.ORG" is cy@diaz.org
                holder = labels.get((record.kind, record.id or 0), "")
                values.setdefault(same, (value, []))[1].append(holder)
        if len(values) > 1:
            for value, holders in values.values():
                lines.append(
                    f"<b>{escape(label)}</b> {escape(value)}"
                    f' <span class="meta">{escape(" · ".join(holders))}</span>'
                )
    return h.section("Each system's values", lines) if lines else ""


def timeline(detail: RecordDetail) -> str:
    """Emails, texts, calls, notes and tasks of every record of the person's household and
    group, at every vendor, newest first."""
    lines = []
    for entry in detail.timeline:
        when = h.text(entry.at)
        if entry.kind is RecordKind.TASK and entry.what == "Task" and entry.at.time() == time():
            when = f"due {h.text(entry.at.date())}"  # a due date has no time of day
        meta = " · ".join(part for part in (entry.what, entry.holder, when) if part)
        shown = entry.title
        if entry.kind is RecordKind.THREAD and shown.startswith("+"):
            shown = h.phone(shown)  # a text with no subject: its number as the grid writes it
        title = h.link(entry.kind, entry.id, shown) if entry.linkable else escape(shown)
        said = f"<br>{escape(entry.text)}" if entry.text else ""
        lines.append(f'{title}{said}<br><span class="meta">{escape(meta)}</span>')
    return h.section("Timeline", lines)
