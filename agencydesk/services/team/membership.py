"""A desk's place in the team book, for the window and the command line alike: join (the seat
password to the OS keyring, never the profile), leave, and follow the hub while the app runs.

Every call here may touch the network, the keyring or the cache: the window calls them through
``asyncio.to_thread`` (``follow`` already runs its blocking parts there).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import keyring
from keyring.errors import KeyringError
from sqlalchemy import delete

from agencydesk.services.team.desk import DeskReplica, TeamUnreachable
from agencydesk.store import replica
from agencydesk.store.book import Book
from agencydesk.store.postgres_engine import is_postgres_url, redacted
from agencydesk.store.team_models import TEAM_STATE

TEAM_KEYRING_SERVICE = "AgencyDesk team"


class TeamSetupError(Exception):
    """A join that cannot go ahead: not a PostgreSQL URL, or no keyring for the password."""


class TeamMembership:
    def __init__(self, book: Book) -> None:
        self.book = book

    def place(self) -> replica.TeamPlace | None:
        with self.book.reading() as conn:
            return replica.read_place(conn)

    def join(self, url: str, password: str | None) -> replica.PullResult:
        """Make this profile a replica of the team book at ``url`` (a first whole copy)."""
        if not is_postgres_url(url):
            raise TeamSetupError(
                "the team database's address starts with postgresql+psycopg:// (your "
                "administrator gives you the whole address)"
            )
        shown = redacted(url)
        if password:  # kept in the OS keyring, never in the profile: refuse when there is none
            try:
                keyring.set_password(TEAM_KEYRING_SERVICE, shown, password)
            except KeyringError as exc:
                raise TeamSetupError(
                    f"no usable keyring to keep the seat's password ({exc}); nothing was joined"
                ) from exc
        desk = DeskReplica(self.book, shown, password or None)
        try:
            return desk.pull()
        finally:
            desk.close()

    def leave(self) -> None:
        """Stop following; the records stay as they are (a later join copies afresh)."""
        with self.book.writing() as conn:
            conn.execute(delete(TEAM_STATE))

    def desk_replica(self) -> DeskReplica | None:
        """The joined team book's replica, signed in with the seat's password from the keyring
        (none when the seat needs none: peer authentication, ``~/.pgpass``)."""
        place = self.place()
        if place is None:
            return None
        try:
            password = keyring.get_password(TEAM_KEYRING_SERVICE, place.hub_url)
        except KeyringError:
            password = None
        return DeskReplica(self.book, place.hub_url, password)

    async def follow(
        self,
        stop: asyncio.Event,
        on_pull: Callable[[replica.PullResult], None],
        on_state: Callable[[str], None] = lambda _text: None,
    ) -> None:
        """While the app runs: pull what the hub announces, ship local edits; ``on_state`` gets a
        line for the status bar. Returns at once when this desk is not in a team."""
        desk = await asyncio.to_thread(self.desk_replica)
        if desk is None:
            return
        place = await asyncio.to_thread(self.place)
        assert place is not None
        where = place.hub_url.split("@", 1)[-1].split("?", 1)[0]

        def pulled(result: replica.PullResult) -> None:
            on_state(f"Team book {where}: up to date{hub_problems_said(result.hub_problems)}")
            on_pull(result)

        on_state(f"Team book {where}: connecting…")
        try:
            await desk.watch(stop, on_pull=pulled, on_offline=lambda why: on_state(
                f"Team book {where}: offline, your edits wait ({why})"))  # fmt: skip
        finally:
            desk.close()


def hub_problems_said(problems: tuple[tuple[str, str], ...]) -> str:
    """The accounts the hub stopped reading, for the status line ("" when none). Why is the
    administrator's to read (``agencydesk hub account list``, the hub's log): the line stays
    short enough for the status bar."""
    if not problems:
        return ""
    accounts = ", ".join(account for account, _problem in problems)
    return f" · the hub stopped reading {accounts}: tell your administrator"


__all__ = ["TEAM_KEYRING_SERVICE", "TeamMembership", "TeamSetupError", "TeamUnreachable"]
