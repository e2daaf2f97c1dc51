"""One book in the tabs (issue 11): a person held by two vendors is one row with Held in and a
filter on it, a lead who is a customer elsewhere says so with a link, the detail pane shows why
records were linked and each system's value, and the user unlinks, confirms and rejects from it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, Lead, Policy, PolicyStatus, Provenance, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.ui.tabs import customers, leads, policies
from tests.ui.conftest import UiBook, settle

T1 = datetime(2026, 7, 1, tzinfo=UTC)


def _held(vendor: str, remote_id: str) -> Provenance:
    return Provenance(vendor=vendor, account=f"{vendor} main", remote_id=remote_id)


def _settle(tab) -> None:
    """Wait for the reads the tab's last action asked for (rows, facets, the detail pane)."""
    settle(QtBot(None), tab.window())


def _column(tab, column: int) -> list[str]:
    _settle(tab)
    return [tab.model.index(row, column).data() for row in range(tab.model.rowCount())]


def _select(tab, record_id: int) -> None:
    _settle(tab)
    row = tab.model.row_of(record_id)
    assert row >= 0
    tab.select_row(row)
    _settle(tab)


def _add_linked_people(book: Book) -> tuple[int, int, int]:
    """Cy Diaz again at AgencyBloc (a second phone) and as a Lofty lead; a spouse at Lofty."""
    cy = book.page(RecordKind.CUSTOMER, ListQuery(text="diaz"), 0, 1)[0].record
    assert isinstance(cy, Customer)
    bloc = book.save(
        Customer(provenance=_held("agencybloc", "77"), first_name=cy.first_name,
                 last_name=cy.last_name, email=cy.email, phone="+15125550999", updated_at=T1)
    )  # fmt: skip
    lead = book.save(
        Lead(provenance=_held("lofty", "5"), first_name=cy.first_name, last_name=cy.last_name,
             email=cy.email.upper(), phone="+15125550100")
    )  # fmt: skip
    spouse = book.save(
        Lead(provenance=_held("lofty", "6"), first_name="Rosa", last_name=cy.last_name,
             email=cy.email)
    )  # fmt: skip
    book.links.relink()
    assert bloc.id is not None
    assert lead.id is not None
    assert spouse.id is not None
    return bloc.id, lead.id, spouse.id


def test_a_person_held_twice_is_one_customer_row_with_held_in(
    window, small: UiBook, qtbot: QtBot
) -> None:
    bloc, _lead, _spouse = _add_linked_people(small.book)
    tab = window.tab_for(RecordKind.CUSTOMER)
    tab.ensure_loaded()
    names = _column(tab, customers.NAME)
    assert names.count("Cy Diaz") == 1
    assert len(names) == 3
    row = names.index("Cy Diaz")
    assert _column(tab, customers.HELD_IN)[row] == "AgencyBloc · AgencyZoom · Lofty"
    assert _column(tab, customers.HELD_IN)[names.index("Ann Lee")] == "This device"
    _settle(tab)  # the facets
    tab.set_combo("held_in", "AgencyBloc · AgencyZoom · Lofty")
    assert _column(tab, customers.NAME) == ["Cy Diaz"]
    tab.select_row(0)
    _settle(tab)
    assert tab.current_record().id in (small.cy, bloc)  # the most recently updated is the row
    text = tab.detail.toPlainText()
    assert "Linked records" in text
    assert "same email" in text  # why they were linked
    assert "Each system's values" in text
    assert "(512) 555-0999 AgencyBloc customer" in text  # each phone with its source
    assert "(512) 555-0100 Lofty lead" in text
    assert "CY@DIAZ.ORG" not in text  # the same email in capitals is no disagreement


def test_a_lead_who_is_a_customer_says_so_and_suggestions_are_decided(
    window, small: UiBook, qtbot: QtBot
) -> None:
    bloc, lead, spouse = _add_linked_people(small.book)
    tab = window.tab_for(RecordKind.LEAD)
    tab.ensure_loaded()
    tab.refresh()  # Leads opened with the window, before these records came
    names = _column(tab, leads.NAME)
    flags = dict(zip(names, _column(tab, leads.CUSTOMER), strict=True))
    assert flags["Cy Diaz"] == "Yes"
    assert flags["Rosa Diaz"] == ""  # the spouse: only a suggestion
    _select(tab, lead)
    html = tab.detail.toHtml()
    assert "Already a customer" in tab.detail.toPlainText()
    assert f"agencydesk://customer/{bloc}" in html
    _select(tab, spouse)
    assert "Maybe the same person" in tab.detail.toPlainText()
    with qtbot.waitSignal(tab.link_actions.done, timeout=10_000) as said:
        tab.detail.anchorClicked.emit(
            QUrl(f"agencydesk-link://apart/lead/{spouse}/customer/{small.cy}")
        )
    assert said.args == ["Kept apart: not the same"]
    assert small.book.links.suggestions(RecordKind.LEAD, spouse) == []
    # Unlinked from the pane: the Lofty lead is its own row again, and not flagged.
    with qtbot.waitSignal(tab.link_actions.done, timeout=10_000):
        tab.detail.anchorClicked.emit(QUrl(f"agencydesk-link://unlink/lead/{lead}"))
    assert small.book.links.group(RecordKind.LEAD, lead) == []
    flags = dict(zip(_column(tab, leads.NAME), _column(tab, leads.CUSTOMER), strict=True))
    assert flags["Cy Diaz"] == ""


def test_policies_status_is_honest_and_in_force_is_by_date(window, small: UiBook) -> None:
    small.book.save(
        Policy(provenance=_held("agencybloc", "p1"), policy_number="LIFE-1", carrier="Aflac",
               status=PolicyStatus.ACTIVE, effective_date=date(2024, 3, 1),
               expiration_date=date(2025, 3, 1))
    )  # fmt: skip
    tab = window.tab_for(RecordKind.POLICY)
    tab.ensure_loaded()
    assert "LIFE-1" not in _column(tab, policies.NUMBER)  # opens on in force
    _settle(tab)
    tab.set_combo("status", "")
    numbers = _column(tab, policies.NUMBER)
    status = _column(tab, policies.STATUS)[numbers.index("LIFE-1")]
    assert status == "Active at AgencyBloc, expired 03/01/2025"
    assert _column(tab, policies.HELD_IN)[numbers.index("LIFE-1")] == "AgencyBloc"
