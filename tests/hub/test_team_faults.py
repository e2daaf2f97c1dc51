"""The team book under faults: a desk killed mid-copy, a desk offline, schemas that differ."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from agencydesk.domain import Lead, RecordKind
from agencydesk.profile import prepare_profile
from agencydesk.services.team.desk import DeskReplica, SchemaMismatch, TeamUnreachable
from agencydesk.services.team.edits import AppliedEdit
from agencydesk.services.team.hub import TeamHub
from agencydesk.services.team.hub_lock import TeamSendLock
from agencydesk.store import replica
from agencydesk.store.book import Book
from agencydesk.store.convert import TABLES
from agencydesk.store.ledgers import OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.sync.send_lock import SendLockBusy
from tests.book_files import fresh_book

ROOT = Path(__file__).resolve().parents[2]
LEADS = TABLES[RecordKind.LEAD]


def _hub_with_leads(team_url: str, count: int) -> Book:
    book = Book.open_team(team_url)
    book.save_many(
        Lead(first_name=f"First{i}", last_name=f"Last{i}", email=f"p{i}@example.com")
        for i in range(count)
    )
    book.links.relink()  # as the hub does after every sync: its rows carry their grouping
    return book


def _lead_rows(book: Book) -> list[tuple[object, ...]]:
    with book.reading() as conn:
        return [tuple(r) for r in conn.execute(select(LEADS).order_by(LEADS.c.id))]


@pytest.mark.slow
def test_a_desk_killed_while_copying_the_book_resumes_to_an_exact_replica(
    team_url: str, tmp_path: Path
) -> None:
    hub = _hub_with_leads(team_url, 8000)
    profile = tmp_path / "desk"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 0
    for delay in (0.4, 0.8):
        child = subprocess.Popen(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "agencydesk", "team", "join", team_url, "--profile",
             str(profile)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)  # a kill at some moment of the copy: what it hits is not chosen
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            kills += 1
        child.wait()
    finished = subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "agencydesk", "team", "join", team_url, "--profile", str(profile)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    desk = Book.open(prepare_profile(profile).cache_path)
    try:
        assert _lead_rows(desk) == _lead_rows(hub)
        with desk.reading() as conn:
            place = replica.read_place(conn)
        with hub.reading() as conn:
            assert place is not None
            assert place.last_seq == replica.hub_position(conn)
    finally:
        desk.close()
        hub.close()
    assert kills >= 1  # at least one run was really cut short


def test_offline_edits_wait_on_the_desk_and_ship_when_the_hub_is_back(
    migrated_team_url: str, tmp_path: Path, empty_cache: Path
) -> None:
    team_url = migrated_team_url
    hub = _hub_with_leads(team_url, 3)
    desk_book = fresh_book(empty_cache, tmp_path / "desk.sqlite3")
    online = DeskReplica(desk_book, team_url, None)
    offline = DeskReplica(desk_book, "postgresql+psycopg://nobody@127.0.0.1:1/agency", None)
    try:
        online.pull()
        [first, *_] = [i.record for i in desk_book.page(RecordKind.LEAD, ListQuery(), 0, 5)]
        edited = replace(first, city="Leander")
        desk_book.ledgers.save_local_edit(edited, OutboxOp.UPDATE, {"city": "Leander"})
        with pytest.raises(TeamUnreachable):
            offline.push()
        assert [e.changes for e in desk_book.ledgers.outbox()] == [{"city": "Leander"}]
        assert online.push().shipped == 1  # back online
        assert desk_book.ledgers.outbox() == []
        applied = asyncio.run(_apply_on_hub(hub))
        assert [a.state for a in applied] == ["applied"]
        at_hub = hub.get(RecordKind.LEAD, first.id or 0)
        assert at_hub is not None
        assert at_hub.city == "Leander"  # type: ignore[attr-defined]
        online.pull()
        mine = desk_book.get(RecordKind.LEAD, first.id or 0)
        assert mine is not None
        assert mine.city == "Leander"  # type: ignore[attr-defined]
    finally:
        online.close()
        offline.close()
        desk_book.close()
        hub.close()


async def _apply_on_hub(hub: Book) -> list[AppliedEdit]:
    async with httpx.AsyncClient() as http:
        return await TeamHub(hub, http, {}).apply_edits()


def test_a_desk_and_hub_on_different_schemas_copy_nothing_and_say_who_updates(
    migrated_team_url: str, tmp_path: Path, empty_cache: Path
) -> None:
    team_url = migrated_team_url
    hub = _hub_with_leads(team_url, 2)
    with hub.writing() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_newer'")
    desk_book = fresh_book(empty_cache, tmp_path / "desk.sqlite3")
    desk = DeskReplica(desk_book, team_url, None)
    try:
        with pytest.raises(SchemaMismatch, match="update AgencyDesk on this desk"):
            desk.pull()
        assert _lead_rows(desk_book) == []
    finally:
        desk.close()
        desk_book.close()
        hub.close()


def test_one_hub_sends_for_a_team_database_at_a_time(migrated_team_url: str) -> None:
    first, second = Book.open_team(migrated_team_url), Book.open_team(migrated_team_url)
    try:
        held, waiting = TeamSendLock(first), TeamSendLock(second, wait_s=0.2)
        assert held.try_acquire()
        assert not waiting.try_acquire()  # a second hub, even on another server
        with pytest.raises(SendLockBusy, match="already syncing"):
            asyncio.run(waiting.acquire())
        held.release()
        assert waiting.try_acquire()
        waiting.release()
    finally:
        first.close()
        second.close()
