"""Leads: by status, pipeline stage, source and producer, with counts per stage."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from PySide6.QtWidgets import QSplitter, QWidget

from agencydesk.domain import Lead, LeadStatus, RecordKind
from agencydesk.services.book_reads import RecordDetail
from agencydesk.store.queries import ListItem, ListQuery
from agencydesk.ui import detail_html as h
from agencydesk.ui.paged_model import Column
from agencydesk.ui.tabs import related
from agencydesk.ui.tabs.base import BaseTab
from agencydesk.ui.tabs.count_list import CountList


def _lead(item: ListItem) -> Lead:
    assert isinstance(item.record, Lead)
    return item.record


NAME, STATUS, STAGE, SOURCE, PRODUCER, PHONE, EMAIL, X_DATE, QUOTED = range(9)


class LeadsTab(BaseTab):
    kind = RecordKind.LEAD
    title = "Leads"
    noun = "lead"
    widths: ClassVar[dict[str, int]] = {
        "Name": 170,
        "Email": 210,
        "Phone": 115,
        "Status": 85,
        "Stage": 95,
        "Source": 100,
        "Producer": 115,
        "X-date": 90,
        "Quoted": 90,
    }

    def columns(self) -> list[Column]:
        return [
            Column("Name", lambda i: _lead(i).display_name, "display_name"),
            Column("Status", lambda i: _lead(i).status.value.capitalize(), "status"),
            Column("Stage", lambda i: _lead(i).stage, "stage"),
            Column("Source", lambda i: _lead(i).source, "source"),
            Column("Producer", lambda i: _lead(i).producer, "producer"),
            Column("Phone", lambda i: h.phone(_lead(i).phone), "phone"),
            Column("Email", lambda i: _lead(i).email, "email"),
            Column("X-date", lambda i: h.text(_lead(i).x_date), "x_date"),
            Column(
                "Quoted",
                lambda i: h.money(_lead(i).quoted_premium_cents),
                "quoted_premium_cents",
                numeric=True,
            ),
        ]

    def build_filters(self) -> None:
        self.add_choice(
            "status",
            [("All statuses", "")]
            + [(status.value.capitalize(), status.value) for status in LeadStatus],
        )
        self.add_facet("pipeline", "All pipelines")
        self.add_facet("stage", "All stages")
        self.add_facet("source", "All sources")
        self.add_facet("producer", "All producers")

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
        self.reader.request(
            (id(self), "stages"),
            lambda reads: reads.stage_counts(replace(query, stage="")),
            lambda counts: self.stages.set_counts(counts, selected=query.stage),
        )

    def blank_record(self) -> Lead:
        return Lead(producer=self.user_name)

    def detail_html(self, item: ListItem, detail: RecordDetail) -> str:
        lead = _lead(item)
        address = ", ".join(p for p in (lead.street, lead.city, lead.state, lead.zip_code) if p)
        return (
            h.heading(lead.display_name, f"Lead · {lead.status.value.capitalize()} · {lead.stage}")
            + h.fields(
                [
                    ("Business", lead.business_name if lead.first_name or lead.last_name else ""),
                    ("Email", lead.email),
                    ("Phone", h.phone(lead.phone)),
                    ("Address", address),
                    ("Pipeline", lead.pipeline),
                    ("Stage", lead.stage),
                    ("Source", lead.source),
                    ("Producer", lead.producer),
                    ("X-date", h.text(lead.x_date)),
                    ("Quoted premium", h.money(lead.quoted_premium_cents)),
                    ("Tags", h.text(lead.tags)),
                    ("Record", f"#{lead.id} · {h.provenance(lead)}"),
                ]
            )
            + related.notes(detail.notes)
            + related.tasks(detail.tasks)
        )
