"""A desk in the team book (issue 14): its SQLite cache is a full replica of the hub's book,
read locally like a solo cache; it pulls changes by the hub's feed sequence, hears of new ones
at once (``LISTEN agencydesk_changes``), and ships its own edits to the hub, which sends them.

Offline, the desk works from its replica and its edits wait in its outbox exactly as a solo
desk's do; ``push`` ships them when the team database is reachable again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from agencydesk.services.team import edits, link_decisions, outcomes
from agencydesk.services.team.pull_coalescing import CoalescedPulls
from agencydesk.store import postgres_engine, replica
from agencydesk.store.book import Book
from agencydesk.store.convert import TABLES
from agencydesk.store.ledger_types import OutboxOp, OutboxState
from agencydesk.store.schema import alembic_config, current_revision
from agencydesk.store.team_models import TEAM_HUB_PROBLEMS, TEAM_LINK_JOURNAL

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger(__name__)
# During a burst of the hub's changes a desk pulls at most this often (a lone change is pulled at
# once): well inside the 2 s in which a change must be seen elsewhere, and a few pulls a second
# fewer per desk while the hub syncs.
PULL_GAP_S = 0.5


class TeamUnreachable(Exception):
    """The team database cannot be reached (or refused the seat): the desk goes on offline."""


@dataclass(frozen=True, slots=True)
class PushResult:
    shipped: int  # edits the hub now holds (including ones a killed push had already shipped)


def _hub_problems(hub: Connection) -> tuple[tuple[str, str], ...]:
    """The accounts the hub stopped reading, and why (a seat granted before revision 0037 may
    not read them: then none, and the pull goes on)."""
    try:
        with hub.begin_nested():
            rows = hub.execute(
                select(TEAM_HUB_PROBLEMS.c.account, TEAM_HUB_PROBLEMS.c.problem).order_by(
                    TEAM_HUB_PROBLEMS.c.account
                )
            ).all()
    except DBAPIError:
        return ()
    return tuple((str(account), str(problem)) for account, problem in rows)


class DeskReplica:
    def __init__(self, book: Book, url: str, password: str | None) -> None:
        self.book = book
        self.url = url
        self._password = password
        self._engine: Engine | None = None
        self._decisions_changed = False  # the last pull brought other link decisions

    # --- the connection ------------------------------------------------------------------------
    def _hub(self) -> Engine:
        if self._engine is None:
            self._engine = postgres_engine.make_engine(self.url, self._password)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # --- joining and pulling -------------------------------------------------------------------
    def pull(self) -> replica.PullResult:
        """Bring the replica up to the hub: a whole copy the first time (or when the desk was
        pointed at another team database), then only what changed."""
        try:
            with self._hub().connect() as hub:
                hub = hub.execution_options(isolation_level="REPEATABLE READ")
                with hub.begin():
                    identity, seat = hub.execute(
                        text("SELECT current_database() || '@' || oid, session_user FROM "
                             "pg_database WHERE datname = current_database()")
                    ).one()  # fmt: skip
                    with self.book.writing() as desk:
                        result = self._pull_into(hub, desk, str(identity), str(seat))
        except (OperationalError, DBAPIError) as exc:
            raise TeamUnreachable(_reason(exc)) from exc
        if result.copied or result.deleted or self._decisions_changed:
            # The evidence behind "one row per person" (record_links) is the desk's own: its
            # linking pass runs over the replica as it would after a sync, under the team's
            # link decisions (link_decisions.py). Not replicated, on purpose: linking reads
            # the same rows in one order on either database, so this gives the hub's links
            # exactly (tests/hub/test_team_link_replicas.py), and it also links what this desk
            # made or changed offline, which copies of the hub's links would not. Only what
            # changed since the last pass is linked (store/link_changes.py).
            self.book.links.relink_changed()
        return result

    def _pull_into(
        self, hub: Connection, desk: Connection, identity: str, seat: str
    ) -> replica.PullResult:
        _same_schema(hub, desk)
        place = replica.read_place(desk)
        if place is None or place.hub_id != identity:
            copied, position = replica.copy_everything(hub, desk)
            deleted, full = 0, True
            desk_id = place.desk_id if place is not None else uuid.uuid4().hex
        else:
            copied, deleted, position = replica.apply_changes(hub, desk, place.last_seq)
            full, desk_id = False, place.desk_id
        replica.save_place(
            desk,
            replica.TeamPlace(
                hub_url=postgres_engine.redacted(self.url),
                hub_id=identity,
                seat=seat,
                desk_id=desk_id,
                last_seq=position,
                pulled_at=replica.now(),
            ),
        )
        outcomes.take_in(hub, desk, desk_id)
        outcomes.overlay_shipped(hub, desk, desk_id)
        outcomes.overlay_waiting(desk)
        self._decisions_changed = link_decisions.copy_team_decisions(hub, desk, desk_id)
        return replica.PullResult(copied, deleted, position, full, _hub_problems(hub))

    # --- shipping edits ------------------------------------------------------------------------
    def push(self) -> PushResult:
        """Ship every waiting local edit to the hub, oldest first, then let them go here."""
        with self.book.reading() as conn:
            place = replica.read_place(conn)
        if place is None:
            raise TeamUnreachable("this desk has not joined a team book yet: pull first")
        entries = [e for e in self.book.ledgers.outbox() if e.state is OutboxState.PENDING]
        with self.book.reading() as conn:
            decisions = conn.execute(select(func.count()).select_from(TEAM_LINK_JOURNAL)).scalar()
        if not entries and not decisions:
            return PushResult(0)
        shipped: list[tuple[int, tuple[str, int] | None]] = []
        decided: list[int] = []
        try:
            with self._hub().begin() as hub:
                if decisions:
                    with self.book.reading() as conn:
                        decided = link_decisions.ship(hub, conn, place.desk_id, place.seat)
                for entry in entries:
                    record = None
                    if entry.op is not OutboxOp.DELETE:
                        record = self.book.get(entry.kind, entry.record_id)
                        if record is None:
                            continue
                    edits.ship(
                        hub,
                        edits.ShippedEdit(
                            desk=place.desk_id,
                            journal_id=entry.id,
                            seat=place.seat,
                            kind=entry.kind,
                            record_id=entry.record_id,
                            op=entry.op,
                            changes=entry.changes,
                            record=record,
                            made_at=entry.created_at,
                            seen=entry.seen,
                        ),
                    )
                    created = None
                    if entry.op is OutboxOp.CREATE:
                        created = (TABLES[entry.kind].name, entry.record_id)
                    shipped.append((entry.id, created))
                hub.execute(text(f"NOTIFY {postgres_engine.EDITS_CHANNEL}"))
        except (OperationalError, DBAPIError) as exc:
            raise TeamUnreachable(_reason(exc)) from exc
        # Shipped: forget them here in one transaction (a kill before this ships them again,
        # and the hub drops what it already holds by origin).
        with self.book.writing() as desk:
            for entry_id, created in shipped:
                replica.forget_shipped(desk, entry_id, created)
            link_decisions.forget_shipped(desk, decided)
        return PushResult(len(shipped) + len(decided))

    # --- staying current ----------------------------------------------------------------------
    async def watch(
        self,
        stop: asyncio.Event,
        *,
        on_pull: Callable[[replica.PullResult], None] = lambda _r: None,
        push_every_s: float = 1.0,
        on_offline: Callable[[str], None] = lambda _why: None,
        on_heard: Callable[[], None] = lambda: None,
        pull_gap_s: float = PULL_GAP_S,
    ) -> None:
        """Until ``stop``: pull whenever the hub announces a change (notices heard while a pull
        runs make one more pull after it, ``CoalescedPulls``), ship local edits every
        ``push_every_s``; offline, keep trying (the desk works from its replica meanwhile).
        ``on_heard`` is told of each notice as it arrives."""
        import psycopg

        while not stop.is_set():
            try:
                async with await psycopg.AsyncConnection.connect(
                    postgres_engine.libpq_conninfo(self.url, self._password), autocommit=True
                ) as conn:
                    await conn.execute(f"LISTEN {postgres_engine.CHANGES_CHANNEL}")
                    on_pull(await asyncio.to_thread(self.pull))
                    if (await asyncio.to_thread(self.push)).shipped:
                        on_pull(await asyncio.to_thread(self.pull))
                    await self._follow(conn, stop, on_pull, on_heard, push_every_s, pull_gap_s)
            except (psycopg.OperationalError, OSError, TeamUnreachable) as exc:
                log.warning("team database unreachable (%s); working offline", exc)
                on_offline(_reason(exc))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=2)

    async def _follow(
        self,
        conn: psycopg.AsyncConnection[Any],
        stop: asyncio.Event,
        on_pull: Callable[[replica.PullResult], None],
        on_heard: Callable[[], None],
        push_every_s: float,
        pull_gap_s: float,
    ) -> None:
        # Pull and push take turns on the replica; notices go on being heard meanwhile.
        turns = asyncio.Lock()

        async def pull_once() -> None:
            async with turns:
                result = await asyncio.to_thread(self.pull)
            on_pull(result)

        pulls = CoalescedPulls(pull_once, gap_s=pull_gap_s)
        try:
            while not stop.is_set():
                async for _note in conn.notifies(timeout=push_every_s):
                    on_heard()
                    pulls.heard()
                    if stop.is_set():
                        break
                pulls.raise_if_failed()
                async with turns:
                    await asyncio.to_thread(self.push)
        finally:
            await pulls.finish()


class SchemaMismatch(TeamUnreachable):
    """The hub and this desk run AgencyDesk versions with different schemas: nothing is copied
    (columns one side lacks would be lost), and the message says which side to update."""


def _same_schema(hub: Connection, desk: Connection) -> None:
    theirs, ours = current_revision(hub), current_revision(desk)
    if theirs == ours:
        return
    from alembic.script import ScriptDirectory  # only to tell the user which side to update
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config())
    try:
        known = theirs is not None and script.get_revision(theirs) is not None
    except CommandError:
        known = False
    if not known:
        raise SchemaMismatch(
            f"the team database was upgraded by a newer AgencyDesk (schema {theirs}): update "
            "AgencyDesk on this desk; your replica and waiting edits are kept"
        )
    raise SchemaMismatch(
        f"the hub runs an older AgencyDesk (schema {theirs}, this desk {ours}): update the "
        "hub first; your replica and waiting edits are kept"
    )


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
