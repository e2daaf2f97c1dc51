"""Customers: with policy count and total premium; one household's members together."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from PySide6.QtWidgets import QPushButton

from agencydesk.domain import Customer, Policy, RecordKind
from agencydesk.domain.policy_state import in_force
from agencydesk.services.book_reads import RecordDetail
from agencydesk.store.queries import ListItem
from agencydesk.ui import detail_html as h
from agencydesk.ui.paged_model import Column
from agencydesk.ui.tabs import linked, related
from agencydesk.ui.tabs.base import BaseTab


def _customer(item: ListItem) -> Customer:
    assert isinstance(item.record, Customer)
    return item.record


# Who and how to reach them first, then the book's figures (at 1280 px the name, phone, email
# and customer-since date stay in view with the detail pane open).
NAME, PHONE, EMAIL, SINCE, POLICIES, PREMIUM, PRODUCER, CITY, HOUSEHOLD, HELD_IN = range(10)


class CustomersTab(BaseTab):
    kind = RecordKind.CUSTOMER
    title = "Customers"
    noun = "customer"
    widths: ClassVar[dict[str, int]] = {
        "Name": 170,
        "Household": 95,
        "Email": 210,
        "Phone": 115,
        "City": 110,
        "Producer": 115,
        "Policies": 65,
        "Total premium": 105,
        "Customer since": 105,
        "Held in": 150,
    }

    NARROW_FIRST = ("Household", "City", "Email", "Held in", "Producer", "Customer since")
    household = ""  # when set, only this household's members are listed

    def columns(self) -> list[Column]:
        return [
            Column("Name", lambda i: _customer(i).display_name, "display_name"),
            Column("Phone", lambda i: h.phone(_customer(i).phone), "phone"),
            Column("Email", lambda i: _customer(i).email, "email"),
            Column(
                "Customer since", lambda i: h.text(_customer(i).customer_since), "customer_since"
            ),
            Column("Policies", lambda i: f"{i.policy_count:,}", "policy_count", numeric=True),
            Column(
                "Total premium",
                lambda i: h.money(i.total_premium_cents),
                "total_premium_cents",
                numeric=True,
            ),
            Column("Producer", lambda i: _customer(i).producer, "producer"),
            Column("City", lambda i: _customer(i).city, "city"),
            Column("Household", lambda i: _customer(i).household, "household"),
            Column("Held in", linked.held_in, "held_in"),
        ]

    def build_filters(self) -> None:
        self.add_facet("producer", "All producers")
        held_in = self.add_facet("held_in", "Held anywhere")
        held_in.setMinimumWidth(48)  # may shrink: the window's minimum width stays
        self.household_button = QPushButton("Show household")
        self.household_button.setObjectName("household_button")
        self.household_button.setCheckable(True)
        self.household_button.setToolTip("List only the selected customer's household")
        self.household_button.toggled.connect(self._household_toggled)
        self.filter_bar.addWidget(self.household_button)

    def _household_toggled(self, on: bool) -> None:
        record = self.current_record()
        chosen = record.household if on and isinstance(record, Customer) else ""
        self.show_household(chosen)

    def show_household(self, household: str) -> None:
        """List only ``household``'s members ('' lists everyone again)."""
        self.household = household
        self.household_button.blockSignals(True)
        self.household_button.setChecked(bool(household))
        self.household_button.setText(f"Household: {household}" if household else "Show household")
        self.household_button.blockSignals(False)
        self.apply_filters()

    def clear_filters(self) -> None:
        super().clear_filters()
        self.household = ""
        self.household_button.blockSignals(True)
        self.household_button.setChecked(False)
        self.household_button.setText("Show household")
        self.household_button.blockSignals(False)

    def extra_query(self) -> dict[str, Any]:
        return {"household": self.household} if self.household else {}

    def blank_record(self) -> Customer:
        return Customer(producer=self.user_name)

    def detail_html(self, item: ListItem, detail: RecordDetail) -> str:
        customer = _customer(item)
        address = h.address(customer.street, customer.city, customer.state, customer.zip_code)
        members = [
            h.link(RecordKind.CUSTOMER, member.id, member.display_name)
            for member in detail.household
        ]
        return (
            h.heading(customer.display_name, f"Customer · {customer.producer}")
            + h.fields(
                [
                    ("Email", customer.email),
                    ("Phone", h.phone(customer.phone)),
                    ("Address", address),
                    ("Birth date", h.text(customer.birth_date)),
                    ("Household", customer.household),
                    ("Customer since", h.text(customer.customer_since)),
                    ("Policies", _policies_line(item, detail)),
                    ("Tags", h.text(customer.tags)),
                    ("Held in", linked.held_in(item)),
                    ("Record", h.provenance(customer)),
                ]
            )
            + self.log_link(customer)
            + linked.vendor_values(detail)
            + linked.linked_records(detail, RecordKind.CUSTOMER, customer.id)
            + linked.suggestions(detail, RecordKind.CUSTOMER, customer.id)
            + (h.section("Household", members) if customer.household else "")
            + related.policies(detail.policies)
            + linked.timeline(detail)  # the household's threads, tasks and notes, every vendor
        )


def _policies_line(item: ListItem, detail: RecordDetail) -> str:
    """ "3 · $2,451.93 in force": premium of the policies in force by date (as the Policies tab
    and its Status column judge them), not of those the vendor still calls active, when the
    pane has read all of them; else the stored total, which follows the vendors' status."""
    if not item.policy_count:
        return ""
    policies = [p.record for p in detail.policies if isinstance(p.record, Policy)]
    if len(policies) != item.policy_count:  # more than the pane reads
        return f"{item.policy_count:,} · {h.money(item.total_premium_cents)} active premium"
    today = date.today()
    premium = sum(p.premium_cents for p in policies if in_force(p, today))
    line = f"{item.policy_count:,} · {h.money(premium)} in force"
    if premium != item.total_premium_cents:  # the list's Total premium: said where it differs
        line += f" ({h.money(item.total_premium_cents)} by the vendors' status)"
    return line
