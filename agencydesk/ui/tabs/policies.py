"""Policies: carrier, line, premium, term and status; renewals due in 30/60/90 days per producer."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtWidgets import QSplitter, QWidget

from agencydesk.domain import Policy, PolicyStatus, RecordKind
from agencydesk.services.book_reads import RecordDetail
from agencydesk.store.queries import ListItem, ListQuery
from agencydesk.ui import detail_html as h
from agencydesk.ui.paged_model import Column
from agencydesk.ui.tabs import linked, related
from agencydesk.ui.tabs.base import BaseTab
from agencydesk.ui.tabs.count_list import CountList


def _policy(item: ListItem) -> Policy:
    assert isinstance(item.record, Policy)
    return item.record


NUMBER, INSURED, CARRIER, LINE, PREMIUM, EFFECTIVE, EXPIRATION, STATUS, PRODUCER, HELD_IN = range(
    10
)
RENEWAL_WINDOWS = (30, 60, 90)
IN_FORCE = "in_force"  # the status combo's choice of several statuses at once
IN_FORCE_LABEL = "In force"


class PoliciesTab(BaseTab):
    kind = RecordKind.POLICY
    title = "Policies"
    noun = "policy"
    widths: ClassVar[dict[str, int]] = {
        "Policy #": 110,
        "Insured": 150,
        "Carrier": 120,
        "Line": 115,
        "Premium": 95,
        "Effective": 90,
        "Expiration": 90,
        "Status": 190,  # "Active at AgencyBloc, expired 03/01/2025"
        "Producer": 115,
        "Held in": 150,
    }

    # The honest state is read whole: "Active at AgencyBloc, expired 03/01/2025" (issue 11).
    FIT_WHOLE = BaseTab.FIT_WHOLE | {"Status"}
    NARROW_FIRST = ("Held in", "Line", "Producer", "Effective", "Status")

    def columns(self) -> list[Column]:
        return [
            Column("Policy #", lambda i: _policy(i).policy_number, "policy_number"),
            Column("Insured", lambda i: i.related_name or _policy(i).insured_name, "related_name"),
            Column("Carrier", lambda i: _policy(i).carrier, "carrier"),
            Column("Line", lambda i: _policy(i).line_of_business, "line_of_business"),
            Column(
                "Premium",
                lambda i: h.money(_policy(i).premium_cents),
                "premium_cents",
                numeric=True,
            ),
            Column("Effective", lambda i: h.text(_policy(i).effective_date), "effective_date"),
            Column("Expiration", lambda i: h.text(_policy(i).expiration_date), "expiration_date"),
            Column("Status", lambda i: linked.policy_state(_policy(i)), "status"),
            Column("Producer", lambda i: _policy(i).producer, "producer"),
            Column("Held in", linked.held_in, "held_in"),
        ]

    def status_text(self) -> str:
        count = self.model.rowCount()
        return f"{count:,} {'policy' if count == 1 else 'policies'}"

    def build_filters(self) -> None:
        self.add_facet("carrier", "All carriers")
        self.add_facet("line_of_business", "All lines")
        status = self.add_choice(
            "status",
            [("All statuses", ""), (IN_FORCE_LABEL, IN_FORCE)]
            + [(status.value.capitalize(), status.value) for status in PolicyStatus],
        )
        # A producer opens Policies for the business in force, not last year's expired terms;
        # "All statuses" stays first (one click, and what clearing the filters goes back to).
        status.blockSignals(True)
        status.setCurrentIndex(status.findData(IN_FORCE))
        status.blockSignals(False)
        self.add_facet("producer", "All producers")
        self.add_choice(
            "renewal_within_days",
            [("Any expiration", None)]
            + [(f"Renewing in {days} days", days) for days in RENEWAL_WINDOWS],
        )

    def extra_query(self) -> dict[str, Any]:
        if self.combos["status"].currentData() == IN_FORCE:
            return {"status": "", "in_force": True}  # by date, whatever the vendor's status
        return {}

    def table_area(self) -> QWidget:
        self.renewals = CountList("Renewals by producer", "All producers")
        self.renewals.chosen.connect(lambda producer: self.set_combo("producer", producer))
        area = QSplitter()
        area.addWidget(self.view)
        area.addWidget(self.renewals)
        area.setStretchFactor(0, 1)
        area.setSizes([620, 180])
        self.renewals.hide()  # shown while a renewal window is chosen
        return area

    def after_query(self, query: ListQuery) -> None:
        days = query.renewal_within_days
        self.renewals.setVisible(days is not None)
        if days is not None:
            self.renewals.heading.setText(f"Renewals in {days} days")
            self.reader.request(
                (id(self), "renewals"),
                lambda reads: reads.renewal_counts(days, query.today),
                lambda counts: self.renewals.set_counts(counts, query.producer),
            )

    def blank_record(self) -> Policy:
        return Policy(producer=self.user_name)

    def detail_html(self, item: ListItem, detail: RecordDetail) -> str:
        policy = _policy(item)
        return (
            h.heading(policy.policy_number, f"{policy.carrier} · {policy.line_of_business}")
            + h.fields(
                [
                    ("Insured", item.related_name or policy.insured_name),
                    ("Premium", h.money(policy.premium_cents)),
                    ("Effective", h.text(policy.effective_date)),
                    ("Expiration", h.text(policy.expiration_date)),
                    ("Status", linked.policy_state(policy)),
                    ("Held in", linked.held_in(item)),
                    ("Producer", policy.producer),
                    ("Record", h.provenance(policy)),
                ]
            )
            + self.log_link(policy)
            + linked.linked_records(detail, RecordKind.POLICY, policy.id)
            + related.person(RecordKind.CUSTOMER, policy.customer_id, detail.customer, "Customer")
            + (related.notes(detail.notes) if detail.notes else "")
        )
