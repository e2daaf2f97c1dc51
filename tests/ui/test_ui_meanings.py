"""Vendor accounts > Meanings… (issue 11): an account whose agency names its own stages (Lofty)
lists the stages its synced leads carry; a meaning chosen there is stored with the account, the
cached leads are read again with it at once, and the next sync reads them with it too (against
the Lofty sandbox)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from pytestqt.qtbot import QtBot

from agencydesk.domain import Lead, LeadStatus, RecordKind
from agencydesk.profile import Profile
from agencydesk.services.accounts import AccountStore
from agencydesk.services.demo_sandboxes import DEMO_RATE_SCALE, DemoSandboxes, fill_demo_profile
from agencydesk.services.value_mappings import read_value_map
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.registry import AccountRegistry
from agencydesk.ui.sync.accounts_dialog import AccountsDialog
from agencydesk.ui.sync.meanings_dialog import NO_MEANING, MeaningsDialog
from tests.ui.conftest import settle

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


@pytest.fixture
def lofty_book(profile: Profile) -> Iterator[Book]:
    book = Book.open(profile.cache_path)

    async def fill() -> DemoSandboxes | None:
        async with httpx.AsyncClient(timeout=30) as http:
            demo, reports = await fill_demo_profile(book, http, vendors=["lofty"])
            assert [r.ok for r in reports] == [True]
            return demo

    demo = asyncio.run(fill())
    assert demo is not None
    yield book
    demo.stop()
    book.close()


async def _sync(book: Book) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        registry = AccountRegistry(
            book, http, AccountStore(book).secrets, rate_scale=DEMO_RATE_SCALE
        )
        connectors, problems = await registry.connect()
        assert not problems, problems
        try:
            reports = await SyncEngine(book, connectors, limiters=registry.limiters).sync()
        finally:
            for connector in connectors:
                await connector.aclose()
    assert all(r.ok for r in reports)


def _leads(book: Book) -> list[Lead]:
    found = [i.record for i in book.iter_rows(RecordKind.LEAD, ListQuery(every_record=True))]
    return [r for r in found if isinstance(r, Lead)]


def test_a_lofty_stage_given_a_meaning_is_read_with_it_at_once_and_at_the_next_sync(
    qtbot: QtBot, lofty_book: Book, profile: Profile
) -> None:
    from agencydesk.app import build_main_window

    book = lofty_book
    [account] = book.ledgers.accounts()
    unmapped = Counter(lead.stage for lead in _leads(book) if lead.status is LeadStatus.OTHER)
    assert unmapped, "the Lofty sandbox has stages of the agency's own"
    stage = unmapped.most_common(1)[0][0]

    window = build_main_window(book, profile)
    qtbot.addWidget(window)
    settle(qtbot, window)
    accounts = AccountsDialog(AccountStore(book), window.reader, parent=window)
    qtbot.addWidget(accounts)
    with qtbot.waitSignal(accounts.loaded, timeout=10_000):
        pass
    assert accounts.meanings_button.isEnabled()
    dialog = accounts.open_meanings()
    assert isinstance(dialog, MeaningsDialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        pass
    names = dialog.names()
    assert stage in names
    assert set(names) >= set(unmapped)  # every stage its leads carry, to decide
    row = names.index(stage)
    assert dialog.table.cellWidget(row, 1).currentText() == NO_MEANING
    shown = [dialog.table.cellWidget(r, 1).currentText() for r in range(len(names))]
    assert "— by its name: Won" in shown  # a stage that IS one of ours says so
    assert "never written back as anything else" in dialog.intro.text()

    dialog.choose(stage, "quoted")
    dialog.new_name.setText("  Signed   contract ")  # a stage no lead carries yet
    dialog.add_button.click()
    assert "Signed contract" in dialog.names()
    dialog.choose("Signed contract", "won")
    assert dialog.changes() == {stage: "quoted", "Signed contract": "won"}
    with (
        qtbot.waitSignal(dialog.saved, timeout=10_000) as said,
        qtbot.waitSignal(dialog.loaded, timeout=10_000),
    ):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    staged = [lead for lead in _leads(book) if lead.stage == stage]
    assert said.args == [
        f"{account.label}: 2 meanings saved; {len(staged)} records read again with them"
    ]
    # At once, not only at the next sync: a sync reads only what changed at the vendor.
    assert {lead.status for lead in staged} == {LeadStatus.QUOTED}
    assert accounts.message.text().endswith(said.args[0])
    stored = read_value_map(book, account.label).fields["lead_stage"]
    assert stored == {stage: "quoted", "Signed contract": "won"}
    assert dialog.changes() == {}  # read back as saved

    asyncio.run(_sync(book))
    staged = [lead for lead in _leads(book) if lead.stage == stage]
    assert staged
    assert {lead.status for lead in staged} == {LeadStatus.QUOTED}
    assert {lead.stage for lead in staged} == {stage}  # the vendor's own name kept beside
    dialog.close()
    accounts.close()
