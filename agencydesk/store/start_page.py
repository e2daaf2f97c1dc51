"""The window's first page of rows at start-up, read with the standard library's sqlite3 alone
(issue 13: start to a window showing data within 3x a bare PySide6 + sqlite3 window).

SQLAlchemy and the store's models cost more to load than everything else the first window
needs. So when the window closes, the store writes down, beside the cache, the two statements
its first question ran (the start tab's count and first page, ``start_recipe.keep``) exactly as
SQLite received them, with how each column reads back. The next start runs those statements
here, on the cache as it is now, and the window shows the rows while the store loads behind
it. A recipe is used only when it is certain to read what the store would: the same question,
schema revision, AgencyDesk version and store code, and, when its parameters hold today's date,
the same day. Anything else, and the store answers as before."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from agencydesk import __version__, domain
from agencydesk.domain import Provenance, Record, RecordKind, SyncState
from agencydesk.store.cache_file import newest_named_revision
from agencydesk.store.queries import ListItem, ListQuery

log = logging.getLogger(__name__)

RECIPE_SUFFIX = ".start-page.json"
_COMMON = ("id", "provenance", "sync_state", "raw", "created_at", "updated_at")
_RECORD_CLASSES: dict[RecordKind, type[Record]] = {
    RecordKind.LEAD: domain.Lead,
    RecordKind.CUSTOMER: domain.Customer,
    RecordKind.POLICY: domain.Policy,
    RecordKind.THREAD: domain.Thread,
    RecordKind.MESSAGE: domain.Message,
    RecordKind.TASK: domain.Task,
    RecordKind.NOTE: domain.Note,
}


def recipe_path(cache: Path) -> Path:
    """``book.sqlite3`` -> ``book.start-page.json`` (beside the cache, like its call log)."""
    return cache.with_name(f"{cache.stem}{RECIPE_SUFFIX}")


def question_of(kind: RecordKind, query: ListQuery, size: int) -> str:
    """What a recipe answers: the tab's kind, its query and the page size."""
    return f"{kind.value}|{size}|{query!r}"


def code_stamp() -> str:
    """The store code that wrote the statements (a development checkout changes it without a
    new version): the size and time of each of its modules. A frozen app has no .py files
    there; its version says it all."""
    digest = hashlib.sha256(__version__.encode())
    for module in sorted(Path(__file__).resolve().parent.glob("*.py")):
        found = module.stat()
        digest.update(f"{module.name}:{found.st_size}:{found.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class StartRecipe:
    """The statements of one first page, as SQLite received them, and how its columns read."""

    question: str
    kind: str
    count_sql: str
    count_params: list[Any]
    page_sql: str
    page_params: list[Any]
    # Each result column: (name, how it reads: "plain", "instant", "date", "tags", "flag",
    # "json", or "enum:ClassName" for a domain StrEnum).
    columns: list[tuple[str, str]]
    revision: str
    stamp: str
    day: str = ""  # the day it holds in its parameters ("" when it holds none)

    def usable(self, today: date | None = None) -> bool:
        if self.revision != newest_named_revision() or self.stamp != code_stamp():
            return False
        return not self.day or self.day == (today or date.today()).isoformat()


def save(cache: Path, recipe: StartRecipe) -> None:
    """Write ``recipe`` beside the cache (owner-only, replaced whole)."""
    path = recipe_path(cache)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(asdict(recipe), out)
    partial.replace(path)


def load(cache: Path) -> StartRecipe | None:
    """The recipe kept beside the cache, if there is a readable one."""
    try:
        value = json.loads(recipe_path(cache).read_text(encoding="utf-8"))
        value["columns"] = [tuple(pair) for pair in value["columns"]]
        return StartRecipe(**value)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as problem:
        log.info("start page recipe not used: %s", problem)
        return None


class StartPage:
    """Answers the window's first question from a recipe, once (later ones go to the store)."""

    def __init__(self, cache: Path, recipe: StartRecipe) -> None:
        self.cache = cache
        self.recipe: StartRecipe | None = recipe

    def answer(
        self, kind: RecordKind, query: ListQuery, size: int
    ) -> tuple[int, list[ListItem]] | None:
        """The count and first page of the question, when it is the recipe's; else None."""
        recipe, self.recipe = self.recipe, None
        if recipe is None or recipe.question != question_of(kind, query, size):
            return None
        try:
            return read(self.cache, recipe)
        except (sqlite3.Error, ValueError, KeyError, TypeError) as problem:
            log.warning("start page not read from its recipe: %s", problem)
            return None


def read(cache: Path, recipe: StartRecipe) -> tuple[int, list[ListItem]]:
    """Run the recipe's count and page on the cache as it is now (one read transaction)."""
    conn = sqlite3.connect(cache, timeout=5.0, isolation_level=None)
    try:
        conn.execute("BEGIN")  # the count and the page see the same book
        (count,) = conn.execute(recipe.count_sql, recipe.count_params).fetchone()
        rows = conn.execute(recipe.page_sql, recipe.page_params).fetchall() if count else []
        conn.execute("COMMIT")
    finally:
        conn.close()
    convert = _converter(RecordKind(recipe.kind), recipe.columns)
    return int(count), [convert(row) for row in rows]


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)  # stored naive UTC


def _reader(shape: str) -> Any:
    if shape.startswith("enum:"):
        enum = getattr(domain, shape.removeprefix("enum:"))
        if not (isinstance(enum, type) and issubclass(enum, StrEnum)):
            raise ValueError(f"not an enumeration: {shape}")
        return enum
    return {
        "plain": None,
        "instant": _instant,
        "date": date.fromisoformat,
        "tags": lambda text: tuple(json.loads(text) or ()),
        "flag": bool,
        "json": json.loads,
    }[shape]


def _converter(kind: RecordKind, columns: list[tuple[str, str]]) -> Any:
    """Rows (driver tuples) to list items, as ``Book.page`` builds them."""
    record_class = _RECORD_CLASSES[kind]
    own = [f.name for f in dataclass_fields(record_class) if f.name not in _COMMON]
    at = {name: index for index, (name, _shape) in enumerate(columns)}
    readers = [_reader(shape) for _name, shape in columns]
    fields = [(name, at[name], readers[at[name]]) for name in own]
    missing = {"id", "vendor", "account", "remote_id", "sync_state", "created_at", "updated_at"}
    if not missing <= at.keys():
        raise KeyError(f"recipe lacks {sorted(missing - at.keys())}")

    def value(row: Any, index: int | None, reader: Any) -> Any:
        raw = None if index is None else row[index]
        return raw if raw is None or reader is None else reader(raw)

    def extra(row: Any, name: str) -> Any:
        index = at.get(name)
        return None if index is None else row[index]

    def convert(row: Any) -> ListItem:
        kwargs = {name: value(row, index, reader) for name, index, reader in fields}
        if "tags" in kwargs and kwargs["tags"] is None:
            kwargs["tags"] = ()
        if "unread" in kwargs:
            kwargs["unread"] = bool(kwargs["unread"])
        stored_raw = value(row, at.get("raw"), json.loads)
        record = record_class(
            id=row[at["id"]],
            provenance=Provenance(
                vendor=row[at["vendor"]],
                account=row[at["account"]],
                remote_id=row[at["remote_id"]] or "",
            ),
            sync_state=SyncState(row[at["sync_state"]]),
            created_at=_instant(row[at["created_at"]]),
            updated_at=_instant(row[at["updated_at"]]),
            raw=stored_raw if stored_raw is not None else {},
            **kwargs,
        )
        return ListItem(
            record=record,
            related_name=str(extra(row, "related_name") or ""),
            policy_count=int(extra(row, "policy_count") or 0),
            total_premium_cents=int(extra(row, "total_premium_cents") or 0),
            held_in=str(extra(row, "held_in") or ""),
            customer_link=extra(row, "customer_link"),
        )

    return convert
