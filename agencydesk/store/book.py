"""The store's one entry point for everyone above it: read pages, find, save, delete.

The contract ui/ and services/ code against; signatures change only by agreement.

Threading: a ``Book`` may be used from the GUI thread for page reads (each is one indexed query,
bounded by ``limit``) and from worker threads for bulk work at the same time (SQLite WAL: readers
never wait for the writer). One engine per book; each call takes a pooled connection and commits
or rolls back as one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Select, and_, func, select, true
from sqlalchemy.exc import DatabaseError, OperationalError

from agencydesk.domain import Message, Note, Record, RecordKind
from agencydesk.store import (
    fast_rows,
    listing,
    positions,
    related,
    search,
    sqlite_engine,
    timeline,
    totals,
    writes,
)
from agencydesk.store.convert import TABLES, row_record
from agencydesk.store.ledgers import Ledgers
from agencydesk.store.link_book import LinkBook
from agencydesk.store.queries import Count, ListItem, ListQuery, SearchHit
from agencydesk.store.schema import SchemaTooNew, SchemaUnknown, upgrade_schema
from agencydesk.store.timeline import TimelineEntry


class CacheError(Exception):
    """The cache file cannot be used. ``path`` names the file, ``advice`` what the user can do."""

    def __init__(self, path: Path, message: str, advice: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.advice = advice


class CacheLocked(CacheError):
    """Another AgencyDesk (or another program) holds the database."""


class CacheTooNew(CacheError):
    """Made by a newer AgencyDesk: we refuse to touch it rather than damage it."""


class CacheCorrupt(CacheError):
    """Not a database, or fails SQLite's integrity check."""


class Book:
    """Everything in one profile's cache."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._ledgers = Ledgers(self)
        self._links = LinkBook(self)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        lock_timeout: float = 2.0,
        verify: bool = True,
        progress: sqlite_engine.Progress | None = None,
    ) -> Book:
        """Open (creating and migrating to the current schema) the cache at ``path``.
        Raises CacheLocked, CacheTooNew or CacheCorrupt, or CacheError itself when the file
        cannot be opened for writing; never resets a file silently.
        ``verify``: run SQLite's quick_check first, whatever the size, unless the last session
        closed the file cleanly and nothing touched it since (``sqlite_engine.closed_cleanly``;
        only benchmarks that reopen a file they just built turn it off); ``progress`` hears
        why a big file takes a moment. The cache and its -wal and -shm files are made (or
        tightened to) 0600."""
        path = Path(path)
        sqlite_engine.make_private(path)
        verify = verify and not sqlite_engine.closed_cleanly(path)
        try:
            sqlite_engine.check_file(path, lock_timeout, verify, progress)
        except sqlite_engine.FileProblem as problem:
            raise _cache_error(path, problem.kind, problem.detail) from problem
        engine = sqlite_engine.make_engine(path)
        try:
            upgrade_schema(engine)
        except SchemaTooNew as exc:
            engine.dispose()
            raise CacheTooNew(
                path,
                f"made by a newer AgencyDesk (schema {exc.revision})",
                "Update AgencyDesk to open this profile, or start with another profile "
                "(--profile DIR). The file was not changed.",
            ) from exc
        except SchemaUnknown as exc:
            engine.dispose()
            raise _cache_error(path, "corrupt", str(exc)) from exc
        except OperationalError as exc:
            engine.dispose()
            raise _cache_error(
                path, sqlite_engine.problem_kind(str(exc.orig)), str(exc.orig)
            ) from exc
        except DatabaseError as exc:
            engine.dispose()
            raise _cache_error(path, "corrupt", str(exc.orig)) from exc
        sqlite_engine.make_private(path)  # the -wal and -shm files the migration opened
        return cls(path, engine)

    @classmethod
    def open_team(cls, url: str, password: str | None = None) -> Book:
        """The team hub's book on PostgreSQL (issue 14), migrated to the current schema like a
        cache. Raises CacheTooNew when a newer AgencyDesk migrated it."""
        from agencydesk.store import postgres_engine  # psycopg is loaded only by team users

        engine = postgres_engine.make_engine(url, password)
        try:
            upgrade_schema(engine)
        except SchemaTooNew as exc:
            engine.dispose()
            shown = postgres_engine.redacted(url)
            raise CacheTooNew(
                Path(shown),
                f"the team database was migrated by a newer AgencyDesk (schema {exc.revision})",
                "Update AgencyDesk on this machine to the hub's version.",
            ) from exc
        return cls(Path(postgres_engine.redacted(url)), engine)

    def copy_to(self, path: Path) -> None:
        """A consistent copy of the whole cache, made 0600 at ``path`` (SQLite's online backup:
        writers may go on meanwhile)."""
        sqlite_engine.make_private(path)
        with self.engine.connect() as conn:
            source = conn.connection.driver_connection
            assert isinstance(source, sqlite3.Connection)
            target = sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                target.close()

    def close(self) -> None:
        self.engine.dispose()
        if self.engine.dialect.name == "sqlite":  # the next open may skip the damage check
            sqlite_engine.mark_closed_cleanly(self.path)

    @property
    def ledgers(self) -> Ledgers:
        """Accounts, bookmarks, outbox, quarantine, import batches, export log."""
        return self._ledgers

    @property
    def links(self) -> LinkBook:
        """Which records are the same person or policy: linking passes, groups, suggestions."""
        return self._links

    # --- transactions (one per call) ------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE), committed on success, rolled back on error."""
        with self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                yield conn

    # --- lists (tabs) -------------------------------------------------------------------------
    def count(self, kind: RecordKind, query: ListQuery) -> int:
        """How many rows ``page`` can return for this query."""
        with self.reading() as conn:
            return _count(conn, kind, query, listing.text_matches(conn, kind, query))

    def first_page(
        self, kind: RecordKind, query: ListQuery, size: int
    ) -> tuple[int, list[ListItem]]:
        """``count`` and ``page(kind, query, 0, size)`` from one snapshot. A text filter whose
        matches are fetched and sorted for a page (not found by walking the order's index)
        sorts every match anyway: their ids are then read once, in order, for both the count
        and the page (the Policies, Threads and Tasks filters of bench/bench_shell.py on the
        100k book: 0.84 s against 1.38 s for a count then a page)."""
        with self.reading() as conn:
            return _first_page(conn, kind, query, size, listing.text_matches(conn, kind, query))

    def page(self, kind: RecordKind, query: ListQuery, offset: int, limit: int) -> list[ListItem]:
        """Rows ``offset``..``offset+limit`` in the query's order; never loads more than asked."""
        with self.reading() as conn:
            matches = listing.text_matches(conn, kind, query)
            return _page(conn, kind, query, offset, limit, matches)

    def position(self, kind: RecordKind, query: ListQuery, record_id: int) -> int | None:
        """The row index of ``record_id`` in ``query``'s order (as ``page`` reads it), or None
        when the record does not match the query."""
        with self.reading() as conn:
            return positions.position(conn, kind, query, _today(query), record_id)

    def facet_values(self, kind: RecordKind, field: str) -> list[str]:
        """Distinct non-empty values of ``field`` (producer, status, stage, source, carrier…)."""
        table = TABLES[kind]
        name = "assignee" if kind is RecordKind.TASK and field == "producer" else field
        if name not in table.c or name in ("raw", "tags"):
            raise ValueError(f"{kind} has no field '{field}'")
        column = table.c[name]
        stmt = select(column).where(column.is_not(None), column != "").distinct().order_by(column)
        with self.reading() as conn:
            return [str(v) for v in conn.execute(stmt).scalars()]

    def stage_counts(self, query: ListQuery) -> list[Count]:
        """Leads matching ``query`` (ignoring its stage) counted per pipeline stage: our stages
        (domain.LeadStage), whatever each vendor calls them; each linked group once."""
        with self.reading() as conn:
            return _stage_counts(conn, query)

    def first_page_with_stages(
        self, query: ListQuery, size: int
    ) -> tuple[int, list[ListItem], list[Count] | None]:
        """Leads' ``first_page`` and its ``stage_counts`` from the same snapshot: what the
        Leads tab shows for a filter, in one read. No count is run: the list's count is the
        stage counts' sum (or the chosen stage's count). A text filter whose page is read narrow
        (not by walking the order's index) reads its matches' ids and stages once, in order, for
        the counts and the page alike. The stages are None where counting them looks up every
        row a filter other than text keeps (Status, Producer…: 24,000 of the 100k book's leads
        for "New", over 100 ms): the rows come first, the stages are read after them."""
        kind = RecordKind.LEAD
        with self.reading() as conn:
            matches = listing.text_matches(conn, kind, query)
            chosen = str(query.stage)
            if matches is None and _every_lead(query) and conn.dialect.name == "sqlite":
                counts = _every_leads_stages(conn)
                count = sum(c.count for c in counts if not chosen or c.label == chosen)
                return count, _page(conn, kind, query, 0, size, matches) if count else [], counts
            if matches is None:
                return *_first_page(conn, kind, query, size, matches), None
            if matches == 0:  # a lead matches by its own words alone (the FTS count)
                return 0, [], []
            if not listing.reads_broad(kind, matches):
                unstaged = listing.ids_statement(kind, replace(query, stage=""), _today(query))
                leads = TABLES[kind]
                result = conn.execute(unstaged.with_only_columns(leads.c.id, leads.c.stage_group))
                rows = result.cursor.fetchall()  # the driver's tuples: thousands, taken apart here
                result.close()
                shown: list[int] = []
                tally: dict[str, int] = {}
                for record_id, stage in rows:
                    tally[stage] = tally.get(stage, 0) + 1
                    if not chosen or stage == chosen:
                        shown.append(record_id)
                counts = _ranked([Count(str(stage), n) for stage, n in tally.items()])
                return len(shown), _items_of(conn, kind, shown[:size]), counts
            counts = _stage_counts(conn, query)
            count = sum(c.count for c in counts if not chosen or c.label == chosen)
            return count, _page(conn, kind, query, 0, size, matches) if count else [], counts

    def renewal_counts(self, within_days: int, today: date | None = None) -> list[Count]:
        """Policies up for renewal in the next ``within_days`` days, counted per producer."""
        policies = TABLES[RecordKind.POLICY]
        query = ListQuery(renewal_within_days=within_days)
        where = listing.conditions(RecordKind.POLICY, query, today or date.today())
        stmt = select(policies.c.producer, func.count()).where(*where).group_by(policies.c.producer)
        with self.reading() as conn:
            counts = [Count(str(producer), int(n)) for producer, n in conn.execute(stmt)]
        return sorted(counts, key=lambda c: (-c.count, c.label))

    # --- records ------------------------------------------------------------------------------
    def get(self, kind: RecordKind, record_id: int) -> Record | None:
        table = TABLES[kind]
        with self.reading() as conn:
            row = conn.execute(select(table).where(table.c.id == record_id)).first()
        return None if row is None else row_record(kind, row._mapping)

    def find_remote(
        self, kind: RecordKind, vendor: str, account: str, remote_id: str
    ) -> Record | None:
        """The record a vendor knows by ``remote_id``, if cached."""
        with self.reading() as conn:
            found = writes.existing_remote_ids(conn, kind, vendor, account, [remote_id])
        return self.get(kind, found[remote_id]) if remote_id in found else None

    def remote_ids(self, kind: RecordKind, vendor: str, account: str) -> dict[str, int]:
        """remote_id -> local id for every cached record of one account (for linking a policy to
        its customer, a task to its lead…)."""
        table = TABLES[kind]
        stmt = select(table.c.remote_id, table.c.id).where(
            table.c.vendor == vendor, table.c.account == account, table.c.remote_id.is_not(None)
        )
        with self.reading() as conn:
            return {str(remote): int(local) for remote, local in conn.execute(stmt)}

    def iter_rows(
        self, kind: RecordKind, query: ListQuery, chunk: int = 2000
    ) -> Iterator[ListItem]:
        """Every row of a query in order, read ``chunk`` rows at a time (export, big scans), from
        one consistent snapshot."""
        stmt = listing.page_statement(kind, query, _today(query), 0, None)
        with self.reading() as conn:
            yield from fast_rows.iter_items(conn, kind, stmt, chunk)

    def iter_stored(
        self, kind: RecordKind, query: ListQuery, names: Sequence[str], chunk: int = 5000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The ``names`` columns of every row of a query, in order, as stored (``stored_shapes``
        says how each column reads), ``chunk`` rows at a time from one snapshot: what exports
        write, without building a record per row."""
        stmt = listing.page_statement(kind, query, _today(query), 0, None)
        with self.reading() as conn:
            yield from fast_rows.iter_stored(conn, kind, stmt, list(names), chunk)

    def stored_of(
        self, kind: RecordKind, ids: Sequence[int], names: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        """The ``names`` columns of records ``ids``, as stored, in the order given (ids no
        longer stored are left out)."""
        table = TABLES[kind]
        found: dict[int, tuple[Any, ...]] = {}
        wanted = list(dict.fromkeys(ids))
        with self.reading() as conn:
            for start in range(0, len(wanted), 500):
                stmt = select(table).where(table.c.id.in_(wanted[start : start + 500]))
                for rows in fast_rows.iter_stored(conn, kind, stmt, ["id", *names], 500):
                    found.update((row[0], tuple(row[1:])) for row in rows)
        return [found[i] for i in ids if i in found]

    @staticmethod
    def stored_shapes(kind: RecordKind, names: Sequence[str]) -> list[str]:
        return fast_rows.stored_shapes(kind, list(names))

    def related(self, kind: RecordKind, query: ListQuery, limit: int = 200) -> list[ListItem]:
        """Detail-pane lists, e.g. ``related(POLICY, ListQuery(customer_id=7))``."""
        return self.page(kind, query, 0, limit)

    def notes_of(self, parent_kind: RecordKind, parent_id: int) -> list[Note]:
        """Newest first."""
        notes = TABLES[RecordKind.NOTE]
        stmt = (
            select(notes)
            .where(notes.c.parent_kind == parent_kind.value, notes.c.parent_id == parent_id)
            .order_by(notes.c.created_at.desc(), notes.c.id.desc())
        )
        with self.reading() as conn:
            return [_as(Note, row_record(RecordKind.NOTE, r._mapping)) for r in conn.execute(stmt)]

    def messages_of(self, thread_id: int) -> list[Message]:
        """A thread's messages, oldest first."""
        messages = TABLES[RecordKind.MESSAGE]
        stmt = (
            select(messages)
            .where(messages.c.thread_id == thread_id)
            .order_by(messages.c.sent_at, messages.c.id)
        )
        with self.reading() as conn:
            return [
                _as(Message, row_record(RecordKind.MESSAGE, r._mapping)) for r in conn.execute(stmt)
            ]

    def timeline(self, kind: RecordKind, record_id: int, limit: int = 60) -> list[TimelineEntry]:
        """A customer's or lead's household timeline across every vendor, newest first."""
        with self.reading() as conn:
            return timeline.timeline(conn, kind, record_id, limit)

    def quick_find(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search across all tabs; ``text`` is matched as word prefixes."""
        with self.reading() as conn:
            return search.quick_find(conn, text, limit)

    # --- writes (each call is one transaction; the FTS index is kept current) -----------------
    def save(self, record: Record) -> Record:
        """Insert (``id is None``) or update; returns the stored record with its id and times.
        Local records get ``updated_at`` = now; vendor records keep the vendor's times."""
        [record_id] = self.save_many([record])
        stored = self.get(record.kind, record_id)
        assert stored is not None
        return stored

    def save_many(self, records: Iterable[Record]) -> list[int]:
        """Insert or update many records in one transaction; returns their ids in order."""
        now = datetime.now(UTC)
        batch = [replace(r, updated_at=now) if r.provenance.is_local else r for r in records]
        with self.writing() as conn:
            return writes.save_records(conn, batch)

    def bulk_load(self, records: Iterable[Record], chunk: int = 5000) -> int:
        """Insert records that already carry their ids, fast (executemany, one transaction): for
        filling a fresh book (demo, benchmarks). Parents must come before what links to them.
        Times are stored as given. Returns how many rows were inserted."""
        with self.writing() as conn:
            # Index once at the end rather than row by row through the triggers.
            sqlite_engine.drop_fts_triggers(conn)
            total = fast_rows.bulk_insert(conn, records, chunk)
            for kind in related.CHILDREN:
                related.refresh(conn, kind)
            totals.refresh(conn)
            sqlite_engine.rebuild_fts(conn)
            sqlite_engine.create_fts(conn)
            return total

    def max_id(self, kind: RecordKind) -> int:
        """The highest id of ``kind`` so far (0 when empty): where a bulk load can number from."""
        table = TABLES[kind]
        with self.reading() as conn:
            return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())

    def delete(self, kind: RecordKind, record_ids: Sequence[int]) -> None:
        """Delete records and what hangs only off them (a thread's messages, a record's notes)."""
        with self.writing() as conn:
            writes.delete_records(conn, kind, record_ids)


_T = TypeVar("_T")
_STAGE_ORDER = ("new", "contacted", "quoted", "negotiating", "won", "lost")


def _stage_rank(stage: str) -> int:
    lowered = stage.lower()
    return next((i for i, s in enumerate(_STAGE_ORDER) if lowered.startswith(s)), len(_STAGE_ORDER))


def _ranked(counts: list[Count]) -> list[Count]:
    return sorted(counts, key=lambda c: (_stage_rank(c.label), c.label))


def _stage_counts(conn: Connection, query: ListQuery) -> list[Count]:
    """``Book.stage_counts``: one GROUP BY over the rows of ``query`` without its stage."""
    leads = TABLES[RecordKind.LEAD]
    unstaged = replace(query, stage="")
    stage = leads.c.stage_group
    if _every_lead(query) and conn.dialect.name == "sqlite":
        return _every_leads_stages(conn)
    where = listing.conditions(RecordKind.LEAD, unstaged, _today(query))
    stmt = select(stage, func.count()).where(and_(true(), *where)).group_by(stage)
    return _ranked([Count(str(stage), int(n)) for stage, n in conn.execute(stmt)])


def _every_lead(query: ListQuery) -> bool:
    """``query`` keeps every lead the list shows, whatever its stage and order."""
    unstaged = replace(query, stage="")
    return not unstaged.text.strip() and listing.only_text(unstaged)


def _every_leads_stages(conn: Connection) -> list[Count]:
    """Every lead's stage counted, the other copies of a linked person left out, as every
    lead's count per stage less the hidden copies': the first off ix_leads_stage_group alone,
    the second by walking ix_leads_shown (it holds ``link_hidden``) to the few hidden rows. On
    the 100k book 32 ms, against 305 ms for the GROUP BY looking up every lead's row for its
    ``link_hidden`` (median of 7, load 9). SQLite's planner would take ix_leads_stage_group for the
    hidden ones too (it has no statistics to know how few there are): named."""
    leads = TABLES[RecordKind.LEAD]
    stage = leads.c.stage_group
    every = select(stage, func.count()).group_by(stage)
    counts = {str(label): int(n) for label, n in conn.execute(every)}
    hidden = (  # (SQLAlchemy writes no index hint for SQLite)
        "SELECT stage_group, count(*) FROM leads INDEXED BY ix_leads_shown"
        " WHERE link_hidden = 1 GROUP BY stage_group"
    )
    for label, n in conn.exec_driver_sql(hidden):
        counts[str(label)] -= int(n)
    return _ranked([Count(label, n) for label, n in counts.items() if n])


def _today(query: ListQuery) -> date:
    return query.today or date.today()


def _count(conn: Connection, kind: RecordKind, query: ListQuery, matches: int | None) -> int:
    """``Book.count``, given the text filter's own matches (``listing.text_matches``)."""
    if matches is not None and listing.counts_by_own_text(kind) and listing.only_text(query):
        return matches - listing.hidden_text_matches(conn, kind, query, matches)
    stmt = listing.count_statement(kind, query, _today(query))
    return int(conn.execute(stmt).scalar_one())


def _first_page(
    conn: Connection, kind: RecordKind, query: ListQuery, size: int, matches: int | None
) -> tuple[int, list[ListItem]]:
    """``Book.first_page``, given the text filter's own matches (``listing.text_matches``)."""
    if listing.reads_ids_at_once(kind, query, matches):
        stmt = listing.ids_statement(kind, query, _today(query))
        ids = [int(record_id) for record_id in conn.execute(stmt).scalars()]
        return len(ids), _items_of(conn, kind, ids[:size])
    count = _count(conn, kind, query, matches)
    return count, _page(conn, kind, query, 0, size, matches) if count else []


def _page(
    conn: Connection,
    kind: RecordKind,
    query: ListQuery,
    offset: int,
    limit: int,
    matches: int | None,
) -> list[ListItem]:
    """``Book.page``, given the text filter's own matches (``listing.text_matches``)."""
    broad = listing.reads_broad(kind, matches)
    if listing.reads_task_day_parts(kind, query, broad):
        return _items_of(conn, kind, _task_page_ids(conn, query, max(offset, 0), max(limit, 0)))
    stmt = listing.page_statement(
        kind, query, _today(query), max(offset, 0), max(limit, 0), broad=broad
    )
    return _items(conn, kind, stmt)


def _task_page_ids(conn: Connection, query: ListQuery, offset: int, limit: int) -> list[int]:
    """The ids of a page of tasks in the tab's own order, read a part of the day at a time
    (``listing.task_day_parts``), each off its index: the first page reads its 100 index
    entries, where one statement sorted every task (137-200 ms on the 50k-task book). A part
    wholly before ``offset`` is only counted."""
    ids: list[int] = []
    for part in listing.task_day_parts(query, _today(query)):
        if len(ids) >= limit:
            break
        if offset:
            held = int(
                conn.execute(part.with_only_columns(func.count()).order_by(None)).scalar_one()
            )
            if held <= offset:
                offset -= held
                continue
        rows = conn.execute(part.offset(offset).limit(limit - len(ids))).scalars()
        ids += [int(record_id) for record_id in rows]
        offset = 0
    return ids


def _items_of(conn: Connection, kind: RecordKind, ids: Sequence[int]) -> list[ListItem]:
    """The rows of records ``ids``, in that order (as ``page`` reads them)."""
    table = TABLES[kind]
    items = _items(conn, kind, select(table).where(table.c.id.in_(ids)))
    by_id = {item.record.id: item for item in items}
    return [by_id[record_id] for record_id in ids]


def _items(conn: Connection, kind: RecordKind, stmt: Select[Any]) -> list[ListItem]:
    """A page's rows (``stmt`` selects the kind's whole table) as list items. On SQLite through
    ``fast_rows``' converter (the driver's tuples, one converter per kind): a 100-row page of
    leads in 2.9 ms against 7.1 ms through ``row_record`` over SQLAlchemy's rows (100k book,
    best of 30; customers 2.4 against 3.2, policies 1.5 against 2.4). PostgreSQL's driver
    returns its own types (JSON as dicts): the general path."""
    if conn.dialect.name == "sqlite":
        return list(fast_rows.iter_items(conn, kind, stmt, 500))
    return [_item(kind, row._mapping) for row in conn.execute(stmt)]


def _item(kind: RecordKind, row: Any) -> ListItem:
    return ListItem(
        record=row_record(kind, row),
        related_name=str(row.get("related_name") or ""),
        policy_count=int(row.get("policy_count") or 0),
        total_premium_cents=int(row.get("total_premium_cents") or 0),
        held_in=str(row.get("held_in") or ""),
        customer_link=row.get("customer_link"),
    )


def _as(cls: type[_T], value: object) -> _T:
    assert isinstance(value, cls)
    return value


def _cache_error(path: Path, kind: str, detail: str) -> CacheError:
    if kind == "unwritable":
        return CacheError(
            path,
            f"the cache file cannot be opened for writing ({detail})",
            "Check that the profile folder exists and that you may write to it (and to the "
            "file), or start AgencyDesk with another profile (--profile DIR).",
        )
    if kind == "locked":
        return CacheLocked(
            path,
            f"the cache is in use by another program ({detail})",
            "Close the other AgencyDesk window using this profile (or the program holding the "
            "file) and try again.",
        )
    return CacheCorrupt(
        path,
        f"the cache file is damaged or not an AgencyDesk cache ({detail})",
        "Move the file aside (it is kept as it is) and start AgencyDesk again: it builds a new "
        "cache and syncs your accounts again. Local records not yet sent are in the old file.",
    )
