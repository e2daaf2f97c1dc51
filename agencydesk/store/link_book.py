"""``Book.links``: run a linking pass over the whole book, read a record's group and the
suggestions, and record the user's links, unlinks and rejections.

A pass reads every lead, customer and policy (a few columns), groups them (``linking``) and
writes only what changed, so a pass over an unchanged book writes nothing. It runs in a worker
thread (sync and import call it through ``asyncio.to_thread``); its reading is done before the
write transaction starts, so the writer lock is held only for the changes. Its writes are
driver SQL in batches (executemany, rows in id order), and it lets go of its big structures an
item at a time (``linking.let_go``), so the window's thread is never kept from the GIL long."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from operator import itemgetter
from typing import TYPE_CHECKING

from sqlalchemy import Connection, and_, delete, insert, or_, select

from agencydesk.domain import RecordKind
from agencydesk.domain.holders import holder_name
from agencydesk.store import fast_rows, link_changes, link_reads, totals
from agencydesk.store import link_models as lk
from agencydesk.store.convert import TABLES, display_name
from agencydesk.store.link_reads import StoredState
from agencydesk.store.linking import LinkPlan, Node, let_go, pair, plan_links
from agencydesk.store.replica import read_place
from agencydesk.store.team_models import TEAM_LINK_JOURNAL

if TYPE_CHECKING:
    from agencydesk.store.book import Book

LINKED_KINDS = (RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY)


@dataclass(frozen=True, slots=True)
class LinkedRecord:
    """One record of a group, as the detail pane lists it."""

    kind: RecordKind
    id: int
    holder: str  # "AgencyZoom"
    account: str
    name: str  # the person's name or the policy number
    rule: str
    reason: str  # why it is in the group


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Two records that may be the same person; ``other`` is the one not asked about."""

    kind: RecordKind
    id: int
    other_kind: RecordKind
    other_id: int
    other_name: str
    other_holder: str
    reason: str


@dataclass(frozen=True, slots=True)
class MatchSide:
    """One record of a possible match, as the Possible matches list shows it."""

    kind: RecordKind
    id: int
    name: str
    holder: str  # "Lofty"
    account: str


@dataclass(frozen=True, slots=True)
class PossibleMatch:
    """Two records that may be the same person (weak evidence), for the user to decide."""

    a: MatchSide
    b: MatchSide
    reason: str


@dataclass(frozen=True, slots=True)
class LinkReport:
    """What a pass found: in the whole book, or (``whole_book`` False) in the part it linked."""

    groups: int
    linked: int  # records in a group of two or more
    changed: int  # rows whose group, visibility or Held in changed
    suggestions: int
    whole_book: bool = True
    #: CPU seconds of each phase of a whole-book pass, in its own thread (read, group, ...):
    #: what bench/bench_linking.py prints beside the bare floor.
    phases: tuple[tuple[str, float], ...] = ()


class PassClock:
    """The CPU seconds of a pass's phases, counted in the thread that runs it (the window's
    thread and the neighbours on a shared machine are not counted)."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, float]] = []
        self._last = time.thread_time()

    def mark(self, phase: str) -> None:
        """``phase`` ended now (it began when the previous one ended)."""
        now = time.thread_time()
        self.phases.append((phase, now - self._last))
        self._last = now


def _report(plan: LinkPlan, changed: int, *, whole_book: bool) -> LinkReport:
    return LinkReport(
        groups=len(set(plan.group_of.values())),
        linked=len(plan.group_of),
        changed=changed,
        suggestions=len(plan.suggestions),
        whole_book=whole_book,
    )


class LinkBook:
    def __init__(self, book: Book) -> None:
        self._book = book
        # One pass at a time in this process: two passes planned from the same snapshot would
        # each forget the changes the other has not written yet.
        self._passes = threading.Lock()

    # --- the pass ---------------------------------------------------------------------------
    def relink(self) -> LinkReport:
        """A pass over the whole book."""
        # A big book's pass makes some hundred thousand tuples that live until its end: each
        # collection the allocations set off would walk them all (see fast_rows).
        with self._passes, fast_rows.collector_paused():
            return self._relink()

    def relink_changed(self) -> LinkReport:
        """A pass over what changed since the last one (``link_changes``): the records whose
        match keys changed, were stored, deleted or decided on, and every record sharing an old
        or new key with them. Nothing changed, nothing read. The same result as ``relink``; a
        change too big to be worth it becomes a whole-book pass."""
        with self._passes, fast_rows.collector_paused():
            with self._book.reading() as conn:
                # A big log (a re-sync that touched every record) is known to need the whole
                # book from its size alone: no reading of each logged row's keys first.
                if link_changes.asks_whole_book(conn):
                    return self._relink()
                changes = link_changes.read_changes(conn)
                if changes.empty:
                    return LinkReport(0, 0, 0, 0, whole_book=False)
                region = None
                if not changes.whole_book and len(changes.nodes) < link_changes.WHOLE_BOOK_FROM:
                    region = link_changes.read_region(conn, changes, link_reads.decisions(conn))
            if region is None:
                return self._relink()
            plan = plan_links(region.people, region.policies, region.decisions)
            with self._book.writing() as conn:
                changed = _write(conn, plan, region.state)
                link_reads.fill_new_rows(conn, changes.new_ids)
                link_changes.forget(conn, changes.seqs)
            return _report(plan, changed, whole_book=False)

    def _relink(self) -> LinkReport:
        clock = PassClock()
        with self._book.reading() as conn:
            changes = link_changes.read_consumed(conn)  # all of them are linked by this pass
            decisions = link_reads.decisions(conn)
            decided = [node for a, b, _d in decisions for node in (a, b)]
            people, policies = link_reads.candidates(conn, decided)
            state = link_reads.stored_state(conn)
        clock.mark("read")
        plan = plan_links(people, policies, decisions)
        let_go(people, policies)
        clock.mark("group")
        with self._book.writing() as conn:
            changed = _write(conn, plan, state, clock)
            link_reads.fill_new_rows(conn, changes.new_ids)
            link_changes.forget(conn, changes.seqs)
            clock.mark("new rows")
        clock.mark("commit")
        report = _report(plan, changed, whole_book=True)
        let_go(*(getattr(state, f.name) for f in fields(state)))
        let_go(*(getattr(plan, f.name) for f in fields(plan)))
        clock.mark("let go")
        return dataclasses.replace(report, phases=tuple(clock.phases))

    # --- reading ----------------------------------------------------------------------------
    def group(self, kind: RecordKind, record_id: int) -> list[LinkedRecord]:
        """The records linked with this one (itself included), or [] when it stands alone."""
        links = lk.RECORD_LINKS
        with self._book.reading() as conn:
            group_id = conn.execute(
                select(links.c.group_id).where(
                    links.c.record_kind == kind.value, links.c.record_id == record_id
                )
            ).scalar()
            if group_id is None:
                return []
            rows = conn.execute(
                select(links).where(links.c.group_id == group_id).order_by(links.c.record_kind)
            ).all()
            return [
                LinkedRecord(
                    RecordKind(r.record_kind),
                    r.record_id,
                    *_who(conn, RecordKind(r.record_kind), r.record_id),
                    r.rule,
                    r.reason,
                )
                for r in rows
            ]

    def suggestions(
        self, kind: RecordKind | None = None, record_id: int | None = None
    ) -> list[Suggestion]:
        """Open suggestions (all, or those about one record)."""
        table = lk.LINK_SUGGESTIONS
        stmt = select(table)
        if kind is not None and record_id is not None:
            mine_a = and_(table.c.a_kind == kind.value, table.c.a_id == record_id)
            mine_b = and_(table.c.b_kind == kind.value, table.c.b_id == record_id)
            stmt = stmt.where(or_(mine_a, mine_b))
        found: list[Suggestion] = []
        with self._book.reading() as conn:
            for r in conn.execute(stmt):
                a = (RecordKind(r.a_kind), int(r.a_id))
                b = (RecordKind(r.b_kind), int(r.b_id))
                me, other = (b, a) if (kind, record_id) == b else (a, b)
                holder, _account, name = _who(conn, *other)
                found.append(Suggestion(me[0], me[1], other[0], other[1], name, holder, r.reason))
        return found

    def possible_matches(self, limit: int | None = 1000) -> tuple[int, list[PossibleMatch]]:
        """Every open suggestion (the first ``limit`` by name; None: all): how many there are,
        and those with both records' names and holders (read a few hundred at a time, not one
        by one)."""
        table = lk.LINK_SUGGESTIONS
        with self._book.reading() as conn:
            pairs = conn.execute(
                select(table.c.a_kind, table.c.a_id, table.c.b_kind, table.c.b_id, table.c.reason)
            ).all()
            wanted: dict[RecordKind, set[int]] = {}
            for ak, ai, bk, bi, _reason in pairs:
                wanted.setdefault(RecordKind(ak), set()).add(int(ai))
                wanted.setdefault(RecordKind(bk), set()).add(int(bi))
            sides = {
                (kind, record_id): side
                for kind, ids in wanted.items()
                for record_id, side in _sides(conn, kind, ids).items()
            }
        found = [
            PossibleMatch(a, b, str(reason))
            for ak, ai, bk, bi, reason in pairs
            if (a := sides.get((RecordKind(ak), int(ai)))) is not None
            and (b := sides.get((RecordKind(bk), int(bi)))) is not None
        ]
        found.sort(key=lambda m: (m.a.name.casefold(), m.b.name.casefold(), m.a.id, m.b.id))
        return len(found), found if limit is None else found[:limit]

    # --- the user's decisions ---------------------------------------------------------------
    def link(self, a: tuple[RecordKind, int], b: tuple[RecordKind, int]) -> LinkReport:
        """Link two records by hand (also: confirm a suggestion). Earlier unlinks between the
        two records' groups are lifted: the user now says they are one."""
        left = [(m.kind.value, m.id) for m in self.group(*a)] or [_node(a)]
        right = [(m.kind.value, m.id) for m in self.group(*b)] or [_node(b)]
        self._forget([pair(x, y) for x in left for y in right])
        self._decide([(_node(a), _node(b))], "link")
        return self.relink_changed()

    def reject(self, a: tuple[RecordKind, int], b: tuple[RecordKind, int]) -> LinkReport:
        """Keep two records apart (a rejected suggestion)."""
        self._decide([(_node(a), _node(b))], "apart")
        return self.relink_changed()

    def unlink(self, kind: RecordKind, record_id: int) -> LinkReport:
        """Take the record out of its group, for good: it stays apart from every record it was
        linked with, whatever later syncs bring."""
        me = (kind.value, record_id)
        others = [(m.kind.value, m.id) for m in self.group(kind, record_id)]
        self._decide([(me, o) for o in others if o != me], "apart")
        return self.relink_changed()

    def _forget(self, pairs: Sequence[tuple[Node, Node]]) -> None:
        table = lk.LINK_DECISIONS
        with self._book.writing() as conn:
            _journal(conn, pairs, "forget")
            for (ak, ai), (bk, bi) in pairs:
                conn.execute(
                    delete(table).where(
                        table.c.a_kind == ak,
                        table.c.a_id == ai,
                        table.c.b_kind == bk,
                        table.c.b_id == bi,
                    )
                )

    def _decide(self, pairs: Sequence[tuple[Node, Node]], decision: str) -> None:
        table = lk.LINK_DECISIONS
        now = datetime.now(UTC)
        with self._book.writing() as conn:
            _journal(conn, pairs, decision)
            for a, b in pairs:
                (ak, ai), (bk, bi) = pair(a, b)
                conn.execute(
                    delete(table).where(
                        table.c.a_kind == ak,
                        table.c.a_id == ai,
                        table.c.b_kind == bk,
                        table.c.b_id == bi,
                    )
                )
                conn.execute(
                    insert(table).values(
                        a_kind=ak, a_id=ai, b_kind=bk, b_id=bi, decision=decision, decided_at=now
                    )
                )


def _journal(conn: Connection, pairs: Sequence[tuple[Node, Node]], decision: str) -> None:
    """On a desk of a team book, the decision also waits to be shipped to the hub, which keeps
    the team's decisions and hands them to every desk (``services/team/link_decisions.py``)."""
    if not pairs or read_place(conn) is None:
        return
    now = datetime.now(UTC)
    conn.execute(
        insert(TEAM_LINK_JOURNAL),
        [
            dict(zip(("a_kind", "a_id", "b_kind", "b_id"), (*first, *second), strict=True))
            | {"decision": decision, "decided_at": now}
            for first, second in (pair(a, b) for a, b in pairs)
        ],
    )


def _node(ref: tuple[RecordKind, int]) -> Node:
    return (ref[0].value, int(ref[1]))


def _who(conn: Connection, kind: RecordKind, record_id: int) -> tuple[str, str, str]:
    """(holder, account, name) of a record."""
    table = TABLES[kind]
    if kind is RecordKind.POLICY:
        cols = [table.c.vendor, table.c.account, table.c.policy_number, table.c.carrier]
    else:
        cols = [
            table.c.vendor,
            table.c.account,
            table.c.first_name,
            table.c.last_name,
            table.c.business_name,
        ]
    row = conn.execute(select(*cols).where(table.c.id == record_id)).first()
    if row is None:
        return ("", "", f"{kind} #{record_id} (deleted)")
    if kind is RecordKind.POLICY:
        name = " · ".join(v for v in (row[2], row[3]) if v)
    else:
        name = display_name(row[2], row[3], row[4])
    return (holder_name(row[0]), row[1], name)


def _sides(conn: Connection, kind: RecordKind, ids: Iterable[int]) -> dict[int, MatchSide]:
    """Names and holders of these people (a deleted record is simply left out)."""
    table = TABLES[kind]
    cols = (table.c.id, table.c.vendor, table.c.account, table.c.first_name, table.c.last_name)
    found: dict[int, MatchSide] = {}
    listed = sorted(ids)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        rows = conn.execute(select(*cols, table.c.business_name).where(table.c.id.in_(chunk)))
        for r in rows:
            name = display_name(r[3], r[4], r[5])
            found[r[0]] = MatchSide(kind, r[0], name, holder_name(r[1]), r[2])
    return found


def _write(
    conn: Connection, plan: LinkPlan, state: StoredState, clock: PassClock | None = None
) -> int:
    changed_rows: dict[str, list[tuple[object, ...]]] = {k.value: [] for k in LINKED_KINDS}
    policies_moved: list[int] = []
    held_in, hidden, customer_link = plan.held_in, plan.hidden, plan.customer_link
    stored, holder = state.rows, plan.holder
    # Records alone (planned or not) want the plain state (held where they are, shown, no
    # customer), which is what a row without a stored state has: only grouped records and
    # rows with a stored state can change. (One loop over some 150,000 linked records on a
    # first pass: no call per record.)
    for node in plan.group_of:
        kind, record_id = node
        hide = node in hidden
        link = customer_link.get(record_id) if kind == "lead" else None
        held = held_in[node]
        have = stored.get(node)
        if have is None:
            if held == holder[node] and not hide and link is None:
                continue
            hidden_before = False
        elif have == (held, hide, link):
            continue
        else:
            hidden_before = have[1]
        changed_rows[kind].append((held, hide, link, hide != hidden_before, record_id))
        if kind == "policy" and hide != hidden_before:
            policies_moved.append(record_id)
    for node, have in stored.items():
        # No longer linked: alone, held where it is.
        if node not in plan.group_of and have != (state.holders[node], False, None):
            changed_rows[node[0]].append((state.holders[node], False, None, have[1], node[1]))
            if node[0] == "policy" and have[1]:
                policies_moved.append(node[1])
    for kind in LINKED_KINDS:
        # In id order: SQLite then walks each table's pages once instead of at random.
        _update_rows(conn, kind, sorted(changed_rows[kind.value], key=_LAST))
    if clock is not None:
        clock.mark("write rows")
    regrouped = _write_links(conn, plan, state)
    touched: set[int | None] = {n[1] for n in regrouped if n[0] == "customer"}
    touched |= set(link_reads.policy_customers(conn, policies_moved).values())
    _write_suggestions(conn, plan, state)
    if clock is not None:
        clock.mark("links")
    if touched:
        totals.refresh_many(conn, _with_group_members(plan, state, touched))
    if clock is not None:
        clock.mark("totals")
    return sum(len(v) for v in changed_rows.values())


_KIND, _ID, _LAST = itemgetter(0), itemgetter(1), itemgetter(-1)


def _many(conn: Connection, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
    """``executemany`` of driver SQL written with ``?`` placeholders, in batches: a first pass
    over a big book writes some hundred thousand rows, and compiling a statement per batch
    cost more than SQLite's work."""
    if conn.dialect.paramstyle != "qmark":  # psycopg on the team hub
        sql = sql.replace("?", "%s")
    for start in range(0, len(rows), 5000):
        conn.exec_driver_sql(sql, rows[start : start + 5000])


#: From this many rows with one value on, they are updated by one statement naming their ids
#: rather than one statement each (100,000 leads: 0.36 s CPU against 0.58 s by executemany).
_ONE_STATEMENT_FROM = 50


def _update_rows(conn: Connection, kind: RecordKind, values: list[tuple[object, ...]]) -> None:
    """``values``: (held_in, link_hidden, customer_link, link_hidden changes, id) per row, in id
    order. A pass gives most rows one of a few values (the group's Held in, shown or not, no
    customer): those are written a value at a time. A policy whose ``link_hidden`` stays is
    written without it: three of its indexes hold that column, and naming it in the SET makes
    SQLite rewrite their entries whatever the value (33,000 policies: 0.42 s CPU with it, 0.12 s
    without)."""
    if not values:
        return
    table = TABLES[kind].name
    lead = kind is RecordKind.LEAD
    alike: dict[tuple[object, object, object], list[int]] = defaultdict(list)
    for held_in, hidden, customer, moved, record_id in values:
        if customer is None:
            alike[(held_in, hidden, moved)].append(record_id)  # type: ignore[arg-type]
    one_by_one = [v for v in values if v[2] is not None]
    for (held_in, hidden, moved), ids in alike.items():
        if len(ids) < _ONE_STATEMENT_FROM:
            one_by_one += [(held_in, hidden, None, moved, i) for i in ids]
            continue
        where, param = link_reads.any_of(conn, "id", ids)
        params: tuple[object, ...]
        if kind is RecordKind.POLICY and not moved:
            sql, params = f"UPDATE {table} SET held_in = ?", (held_in, param)
        else:
            sql, params = (
                f"UPDATE {table} SET held_in = ?, link_hidden = ?",
                (held_in, hidden, param),
            )
            sql += ", customer_link = NULL" if lead else ""
        if conn.dialect.paramstyle != "qmark":  # psycopg on the team hub
            sql = sql.replace("?", "%s")
        conn.exec_driver_sql(f"{sql} WHERE {where}", params)
    one_by_one.sort(key=_LAST)
    if lead:
        sql = f"UPDATE {table} SET held_in = ?, link_hidden = ?, customer_link = ? WHERE id = ?"
        _many(conn, sql, [(v[0], v[1], v[2], v[4]) for v in one_by_one])
    elif kind is RecordKind.POLICY:
        sql = f"UPDATE {table} SET held_in = ?, link_hidden = ? WHERE id = ?"
        _many(conn, sql, [(v[0], v[1], v[4]) for v in one_by_one if v[3]])
        sql = f"UPDATE {table} SET held_in = ? WHERE id = ?"
        _many(conn, sql, [(v[0], v[4]) for v in one_by_one if not v[3]])
    else:
        sql = f"UPDATE {table} SET held_in = ?, link_hidden = ? WHERE id = ?"
        _many(conn, sql, [(v[0], v[1], v[4]) for v in one_by_one])


def _write_links(conn: Connection, plan: LinkPlan, current: StoredState) -> set[Node]:
    """Rewrite the changed ``record_links`` rows; returns the records whose group changed.
    (One loop over the plan, no dict of wanted rows: a first pass links some 150,000.)"""
    stored, evidence = current.links, plan.evidence
    rows: list[tuple[str, int, int, str, str]] = []  # to insert
    stale: list[Node] = []  # to delete first
    regrouped: set[Node] = set()
    for node, group in plan.group_of.items():
        rule, reason = evidence[node]
        have = stored.get(node)
        if have is None:
            regrouped.add(node)
        elif have != (group, rule, reason):
            stale.append(node)
            if have[0] != group:
                regrouped.add(node)
        else:
            continue
        rows.append((node[0], node[1], group, rule, reason))
    gone = [n for n in stored if n not in plan.group_of]
    regrouped.update(gone)
    stale += gone
    # In key order: the table's pages are visited once.
    _many(conn, "DELETE FROM record_links WHERE record_kind = ? AND record_id = ?", sorted(stale))
    # By id, then stably by kind: (kind, id) order by C-level keys (three times faster than
    # comparing the tuples themselves, some 150,000 on a first pass).
    rows.sort(key=_ID)
    rows.sort(key=_KIND)
    _many(
        conn,
        "INSERT INTO record_links (record_kind, record_id, group_id, rule, reason) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    return regrouped


def _write_suggestions(conn: Connection, plan: LinkPlan, current: StoredState) -> None:
    """Only the suggestions that came or went (``current``: those stored about the records the
    pass linked, all of them for a whole-book pass)."""
    want = plan.suggestions
    stale = sorted(key for key, reason in current.suggestions.items() if want.get(key) != reason)
    fresh = sorted(key for key, reason in want.items() if current.suggestions.get(key) != reason)
    _many(
        conn,
        "DELETE FROM link_suggestions WHERE a_kind = ? AND a_id = ? AND b_kind = ? AND b_id = ?",
        [(a[0], a[1], b[0], b[1]) for a, b in stale],
    )
    _many(
        conn,
        "INSERT INTO link_suggestions (a_kind, a_id, b_kind, b_id, reason) VALUES (?, ?, ?, ?, ?)",
        [(a[0], a[1], b[0], b[1], want[(a, b)]) for a, b in fresh],
    )


def _with_group_members(
    plan: LinkPlan, state: StoredState, customer_ids: Iterable[int | None]
) -> set[int]:
    """These customers and every customer linked with them, before or after this pass (a
    group's totals are shown on whichever of its rows is visible). From the plan and the
    stored links in memory: a query per chunk of ids scanned record_links over and over."""
    wanted = {i for i in customer_ids if i is not None}
    groups = {plan.group_of.get(("customer", i)) for i in wanted}
    groups |= {state.links.get(("customer", i), (None,))[0] for i in wanted}
    groups.discard(None)
    for links in (plan.group_of.items(), ((n, v[0]) for n, v in state.links.items())):
        wanted |= {node[1] for node, group in links if node[0] == "customer" and group in groups}
    return wanted
