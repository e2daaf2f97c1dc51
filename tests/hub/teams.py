"""The team every hub test starts from: a team database holding one AgencyZoom account, its
sandbox, and the hub that syncs it (the ``team`` fixture, tests/hub/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

from agencydesk.services.team.desk import DeskReplica
from agencydesk.services.team.hub import TeamHub
from agencydesk.store.book import Book
from agencydesk.vendors.sandbox_kit.base import Sandbox

ACCOUNT = "AZ main"
BASE = "http://agencyzoom.test"


@dataclass
class Team:
    url: str
    book: Book  # the hub's book on PostgreSQL
    hub: TeamHub
    sandbox: Sandbox


# A team and two desks: (team, desk A's book, desk A, desk B's book, desk B).
Desks = tuple[Team, Book, DeskReplica, Book, DeskReplica]
