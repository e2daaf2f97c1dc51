"""Leads: by status, pipeline stage, source and producer, with counts per stage."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from PySide6.QtWidgets import QSplitter, QWidget

from agencydesk.domain import Lead, LeadStatus, RecordKind
from agencydesk.domain.stages import stage_label
from agencydesk.services.book_reads import RecordDetail
from agencydesk.store.queries import ListItem, ListQuery
from agencydesk.ui import detail_html as h
from agencydesk.ui.paged_model import Column
from agencydesk.ui.tabs import linked
from agencydesk.ui.tabs.base import BaseTab
from agencydesk.ui.tabs.count_list import CountList


def _lead(item: ListItem) -> Lead:
    assert isinstance(item.record, Lead)
    return item.record


def _stage(item: ListItem) -> str:
    """Our stage with the vendor's own name beside it: "Negotiating (Negotiation)"."""
    lead = _lead(item)
    return stage_label(lead.provenance.vendor, lead.stage, lead.status.value)


def _status_and_stage(item: ListItem) -> str:
    """ "Quoted · Negotiating", or one word where they agree ("Contacted", not "Contacted ·
    Contacted")."""
    status, stage = _lead(item).status.value.capitalize(), _stage(item)
    return status if stage.casefold() == status.casefold() else f"{status} · {stage}"


# A CSR's order: who, where the lead stands, when to call back and the number to call, then the
# rest (at 1280 px the first five stay in view with the detail pane open).
NAME, STATUS, STAGE, X_DATE, PHONE, SOURCE, PRODUCER, EMAIL, QUOTED, HELD_IN, CUSTOMER = range(11)


class LeadsTab(BaseTab):
    kind = RecordKind.LEAD
    title = "Leads"
    noun = "lead"
    with_stages = True  # a filter's stage counts come with its rows, in one read, where cheap
    widths: ClassVar[dict[str, int]] = {
        "Name": 170,
        "Email": 210,
        "Phone": 115,
        "Status": 85,
        "Stage": 175,  # ours and the vendor's: "Negotiating (Negotiation)"
        "Source": 100,
        "Producer": 115,
        "X-date": 90,
        "Quoted": 90,
        "Held in": 150,
        "Customer": 90,
    }

    # Status repeats Stage (and the stage list beside the table)
    NARROW_FIRST = ("Quoted", "Status", "Source", "Email", "Held in", "Producer")

    def columns(self) -> list[Column]:
        return [
            Column("Name", lambda i: _lead(i).display_name, "display_name"),
            Column("Status", lambda i: _lead(i).status.value.capitalize(), "status"),
            Column("Stage", _stage, "stage"),
            Column("X-date", lambda i: h.text(_lead(i).x_date), "x_date"),
            Column("Phone", lambda i: h.phone(_lead(i).phone), "phone"),
            Column("Source", lambda i: _lead(i).source, "source"),
            Column("Producer", lambda i: _lead(i).producer, "producer"),
            Column("Email", lambda i: _lead(i).email, "email"),
            Column(
                "Quoted",
                lambda i: h.money(_lead(i).quoted_premium_cents),
                "quoted_premium_cents",
                numeric=True,
            ),
            Column("Held in", linked.held_in, "held_in"),
            # Nobody cold-calls an existing customer: the lead says it is one (at any vendor).
            Column("Customer", lambda i: "Yes" if i.customer_link else "", "customer_link"),
        ]

    def build_filters(self) -> None:
        self.add_choice(
            "status",
            [("All statuses", "")]
            + [(status.value.capitalize(), status.value) for status in LeadStatus],
        )
        self.add_facet("pipeline", "All pipelines").setMinimumWidth(48)  # as Held in, below
        self.add_facet("stage", "All stages", "stage_group")  # ours, whatever the vendor says
        self.add_facet("source", "All sources")
        self.add_facet("producer", "All producers")
        held_in = self.add_facet("held_in", "Held anywhere")
        # It may shrink below its text in a narrow window, so the window's minimum width (the
        # widest tab's filter bar) does not grow with it.
        held_in.setMinimumWidth(48)

    def table_area(self) -> QWidget:
        self.stages = CountList("Pipeline stages", "All stages")
        self.stages.chosen.connect(lambda stage: self.set_combo("stage", stage))
        area = QSplitter()
        area.addWidget(self.stages)
        area.addWidget(self.view)
        area.setStretchFactor(1, 1)
        area.setSizes([180, 600])
        return area

    def after_query(self, query: ListQuery) -> None:
        key = (id(self), "stages")
        if self.model.stages is not None:  # read with the rows (text or no filter)
            self.reader.forget(key)  # an older query's counts, still on their way, are stale
            self.stages.set_counts(self.model.stages, selected=query.stage)
            return
        self.reader.request(
            key,
            lambda reads: reads.stage_counts(replace(query, stage="")),
            lambda counts: self.stages.set_counts(counts, selected=query.stage),
        )

    def blank_record(self) -> Lead:
        return Lead(producer=self.user_name)

    def detail_html(self, item: ListItem, detail: RecordDetail) -> str:
        lead = _lead(item)
        address = h.address(lead.street, lead.city, lead.state, lead.zip_code)
        return (
            h.heading(lead.display_name, f"Lead · {_status_and_stage(item)}")
            + h.fields(
                [
                    ("Business", lead.business_name if lead.first_name or lead.last_name else ""),
                    ("Email", lead.email),
                    ("Phone", h.phone(lead.phone)),
                    ("Address", address),
                    ("Pipeline", lead.pipeline),
                    ("Stage", _stage(item)),
                    ("Source", lead.source),
                    ("Producer", lead.producer),
                    ("X-date", h.text(lead.x_date)),
                    ("Quoted premium", h.money(lead.quoted_premium_cents)),
                    ("Tags", h.text(lead.tags)),
                    ("Held in", linked.held_in(item)),
                    ("Record", h.provenance(lead)),
                ]
            )
            + self.log_link(lead)
            + linked.already_customer(detail)
            + linked.vendor_values(detail)
            + linked.linked_records(detail, RecordKind.LEAD, lead.id)
            + linked.suggestions(detail, RecordKind.LEAD, lead.id)
            # (its notes and tasks are in the timeline, with every linked record's: not
            # listed twice, as on a customer)
            + linked.timeline(detail)
        )
