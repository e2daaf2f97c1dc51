"""Typed bookmarks: where a stream's last run ended (its change filter, when it last listed
everything) or where a stopped run goes on (which list, page, cursor or ids are left).

Stored as JSON with ``"v": 2``. A bookmark written before the streams were declared (each
connector had its own keys) is read once by the connector's ``legacy`` reader and replaced by
the next stored page, so a user's cache resumes where it stopped."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

VERSION = 2


@dataclass(frozen=True, slots=True)
class Position:
    """Where a run goes on: ``part`` is which of the stream's lists (AgencyZoom's email then
    text threads), ``page`` a page number or offset in it, ``cursor`` the vendor's next
    position, ``todo`` the ids still to read (None until the run has listed them)."""

    part: int = 0
    page: int = 0
    cursor: str | None = None
    todo: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"part": self.part, "page": self.page}
        if self.cursor is not None:
            out["cursor"] = self.cursor
        if self.todo is not None:
            out["todo"] = list(self.todo)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Position:
        todo = data.get("todo")
        cursor = data.get("cursor")
        return cls(
            part=int(data.get("part", 0)),
            page=int(data.get("page", 0)),
            cursor=None if cursor is None else str(cursor),
            todo=None if todo is None else tuple(str(i) for i in todo),
        )


@dataclass(slots=True)
class Run:
    """One pass over a stream. ``since`` is the change filter the last run left (a full run
    ignores it for the listing, but a stream may still use it, e.g. for which threads' messages
    to read); ``next_since`` is where the next run's filter starts; ``full_at`` when the last
    full listing began (this one's start, when this run is one); ``carry`` the connector's own
    state kept from run to run (AgencyBloc's known ids)."""

    full: bool
    since: str | None
    next_since: str | None
    full_at: str | None
    position: Position = field(default_factory=Position)
    resumed: bool = False
    carry: dict[str, Any] = field(default_factory=dict)

    @property
    def changed_since(self) -> str | None:
        """The change filter this run lists with: None when it lists everything."""
        return None if self.full else self.since

    def to_dict(self) -> dict[str, Any]:
        return {
            "full": self.full,
            "since": self.since,
            "next_since": self.next_since,
            "full_at": self.full_at,
            "position": self.position.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], carry: dict[str, Any]) -> Run:
        return cls(
            full=bool(data.get("full")),
            since=_text(data.get("since")),
            next_since=_text(data.get("next_since")),
            full_at=_text(data.get("full_at")),
            position=Position.from_dict(dict(data.get("position") or {})),
            resumed=True,
            carry=carry,
        )


@dataclass(frozen=True, slots=True)
class Bookmark:
    since: str | None = None
    full_at: str | None = None
    run: Run | None = None  # a run stopped half-way: it goes on from ``run.position``
    carry: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        out: dict[str, Any] = {"v": VERSION, "since": self.since, "full_at": self.full_at}
        if self.run is not None:
            out["run"] = self.run.to_dict()
        if self.carry:
            out["carry"] = self.carry
        return json.dumps(out)


# A connector's reader of the bookmarks it wrote before (its own keys), used once per stream.
LegacyReader = Callable[[dict[str, Any]], Bookmark]


def read_bookmark(text: str | None, legacy: LegacyReader | None = None) -> Bookmark:
    """The stored bookmark; an old one through ``legacy`` (without one: start afresh)."""
    if not text:
        return Bookmark()
    data = json.loads(text)
    if not isinstance(data, dict):
        return Bookmark()
    if data.get("v") != VERSION:
        return legacy(data) if legacy is not None else Bookmark()
    carry = dict(data.get("carry") or {})
    run = data.get("run")
    return Bookmark(
        since=_text(data.get("since")),
        full_at=_text(data.get("full_at")),
        run=Run.from_dict(run, carry) if isinstance(run, dict) else None,
        carry=carry,
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
