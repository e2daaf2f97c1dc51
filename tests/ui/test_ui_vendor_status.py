"""A status with no meaning here shows as the vendor's own name, never a guessed one (issue 15):
an AgencyBloc policy "Terminated" (an agency-defined status nobody mapped) reads as such in the
Policies list and detail, and is found under the "Other" status."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from agencydesk.domain import Policy, PolicyStatus, Provenance, RecordKind, SyncState
from agencydesk.ui.tabs import policies
from tests.ui.conftest import UiBook, settle


def test_an_unmapped_vendor_status_shows_as_the_vendors_own_name(
    window, small: UiBook, qtbot: QtBot
) -> None:
    [policy_id] = small.book.save_many(
        [
            Policy(
                provenance=Provenance(vendor="agencybloc", account="Bloc", remote_id="100009"),
                sync_state=SyncState.SYNCED,
                raw={"PolicyID": 100009, "StatusDescript": "Terminated"},
                customer_id=small.ann,
                policy_number="TL-77",
                carrier="Mutual of Omaha",
                line_of_business="Term Life",
                premium_cents=48_000,
                effective_date=date(2025, 1, 1),
                status=PolicyStatus.OTHER,
                producer="Pat",
            )
        ]
    )
    tab = window.tab_for(RecordKind.POLICY)
    tab.ensure_loaded()
    tab.set_combo("status", PolicyStatus.OTHER.value)
    settle(qtbot, window)  # the rows come from the window's reader
    numbers = [tab.model.index(r, policies.NUMBER).data() for r in range(tab.model.rowCount())]
    assert numbers == ["TL-77"]
    assert tab.model.index(0, policies.STATUS).data() == "Terminated"
    tab.select_row(tab.model.row_of(policy_id))
    settle(qtbot, window)
    assert "Terminated" in tab.detail.toPlainText()
