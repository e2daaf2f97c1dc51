"""What a linking pass after a sync, a pull or an import reads: only the records whose match keys
changed since the last pass, and every record that shares an old or a new key with them.

``link_changes`` (filled by triggers, migration 0031) names the records changed, deleted, or
touched by a link decision, with the keys they had before; rows stored since the last pass have
an empty ``held_in``. From those the region grows to a fixed point: every record sharing a loose
email or policy number (``link_reads``) with a record of the region, or an old key of a changed
one; every record with its phone and its name (a phone links nothing else, ``phone_name``);
every record a decision pairs with one; every record stored in a group or a suggestion with
one. A region so closed holds whole groups as a whole-book pass would form them, before and
after the change, so linking it alone gives the same result (``linking.plan_links`` takes
records in one fixed order, whichever were read; tests/store/test_store_linking_changes.py
compares the two). Each round of growth is one scan per table, done by the database: the loose
keys are expressions it cannot index, and comparing them to a set is cheap in C.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from agencydesk.domain.holders import holder_name
from agencydesk.store import link_reads
from agencydesk.store.link_reads import HOLDER_SQL, StoredState, any_of
from agencydesk.store.linking import Node, PersonRow, PolicyRow, phone_name

#: From this many changed records on, one whole-book pass costs less than growing a region.
WHOLE_BOOK_FROM = 20_000
#: A region that grows past this many records is linked by a whole-book pass instead.
REGION_LIMIT = 60_000

#: The kind of a log row that asks for a whole-book pass (written by migration 0031: what
#: changed before the log existed was never logged).
WHOLE_BOOK = "*"

_PEOPLE = {"lead": "leads", "customer": "customers"}
_TABLES = {**_PEOPLE, "policy": "policies"}


@dataclass(slots=True)
class Changes:
    """What changed since the last pass, as read in one transaction."""

    seqs: list[int] = field(default_factory=list)  # the log rows read (forgotten by the pass)
    nodes: set[Node] = field(default_factory=set)  # changed, deleted, new, decided on
    new_ids: dict[str, list[int]] = field(default_factory=dict)  # kind -> rows held_in ''
    emails: set[str] = field(default_factory=set)  # old loose keys of changed records
    phones: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    whole_book: bool = False  # asked for a whole-book pass (a log row of kind WHOLE_BOOK)

    @property
    def empty(self) -> bool:
        return not self.seqs and not self.nodes


def _fetch(conn: Connection, sql: str, params: Sequence[object] = ()) -> Sequence[Any]:
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return cursor.fetchall()
    finally:
        cursor.close()


def read_changes(conn: Connection) -> Changes:
    phone = link_reads.phone_expression(conn)
    changes = Changes()
    rows = _fetch(
        conn,
        f"SELECT seq, record_kind, record_id, {link_reads.EMAIL}, {phone}, {link_reads.NUMBER} "
        "FROM link_changes",
    )
    for seq, kind, record_id, email, phone_key, number in rows:
        changes.seqs.append(int(seq))
        if kind == WHOLE_BOOK:
            changes.whole_book = True
            continue
        changes.nodes.add((str(kind), int(record_id)))
        if email and "@" in email:
            changes.emails.add(email)
        if phone_key and len(phone_key) == 10:
            changes.phones.add(phone_key)
        if number:
            changes.numbers.add(number)
    _read_new_rows(conn, changes)
    for kind, ids in changes.new_ids.items():
        changes.nodes.update((kind, i) for i in ids)
    return changes


def asks_whole_book(conn: Connection) -> bool:
    """Whether the log alone already asks for a whole-book pass: it holds the whole-book mark,
    or ``WHOLE_BOOK_FROM`` distinct records or more (``read_changes`` would find at least as
    many). Counted without computing each row's old keys."""
    rows, marked = _fetch(
        conn,
        f"SELECT count(*), coalesce(sum(CASE WHEN record_kind = '{WHOLE_BOOK}' THEN 1 END), 0) "
        "FROM link_changes",
    )[0]
    if marked:
        return True
    if rows < WHOLE_BOOK_FROM:
        return False
    distinct = _fetch(
        conn,
        "SELECT count(*) FROM (SELECT DISTINCT record_kind, record_id FROM link_changes) AS d",
    )[0][0]
    return bool(distinct >= WHOLE_BOOK_FROM)


def read_consumed(conn: Connection) -> Changes:
    """What a whole-book pass consumes of the log: which log rows to forget and which rows are
    new, without the old keys (that pass links everything anyway). Computing the keys of every
    row of a big log (a first pass after a bulk change logs each record) cost most of a second
    on the 100k book."""
    changes = Changes()
    if conn.dialect.name == "sqlite":  # forget() needs only the last one read, as it says
        last = _fetch(conn, "SELECT max(seq) FROM link_changes")[0][0]
        changes.seqs = [] if last is None else [int(last)]
    else:
        changes.seqs = [int(r[0]) for r in _fetch(conn, "SELECT seq FROM link_changes")]
    _read_new_rows(conn, changes)
    return changes


def _read_new_rows(conn: Connection, changes: Changes) -> None:
    for kind, table in _TABLES.items():
        ids = [int(r[0]) for r in _fetch(conn, f"SELECT id FROM {table} WHERE held_in = ''")]
        if ids:
            changes.new_ids[kind] = ids


def forget(conn: Connection, seqs: Sequence[int]) -> None:
    """Drop the log rows a pass has consumed (rows logged meanwhile stay for the next pass)."""
    if not seqs:
        return
    if conn.dialect.name == "sqlite":
        # One writer at a time and AUTOINCREMENT: every row up to the last one read was read.
        conn.exec_driver_sql("DELETE FROM link_changes WHERE seq <= ?", (max(seqs),))
        return
    where, param = any_of(conn, "seq", seqs)
    conn.exec_driver_sql(f"DELETE FROM link_changes WHERE {where}", (param,))


@dataclass(slots=True)
class Region:
    """The records a pass links, closed as the module says, with their stored linking state."""

    people: list[PersonRow]
    policies: list[PolicyRow]
    decisions: list[tuple[Node, Node, str]]
    state: StoredState
    nodes: set[Node]  # every record of the region, deleted ones included


class _Growth:
    """The region as it grows: what has been read, and what to ask for in the next round."""

    def __init__(self, changes: Changes, decisions: Sequence[tuple[Node, Node, str]]) -> None:
        self.partners: dict[Node, list[Node]] = defaultdict(list)
        for a, b, _decision in decisions:
            self.partners[a].append(b)
            self.partners[b].append(a)
        self.rows: dict[Node, Any] = {}
        self.asked: set[Node] = set()  # in the region (read, or asked for by id)
        self.fresh: list[Node] = []  # added since their neighbours were last looked up
        self.ids: dict[str, set[int]] = defaultdict(set)  # to read by id next round
        self.emails, self.phones = set(changes.emails), set(changes.phones)
        self.numbers = set(changes.numbers)
        self.seen_emails, self.seen_phones = set(self.emails), set(self.phones)
        self.seen_numbers = set(self.numbers)
        # A phone links only people of the same name (linking.phone_name): the records on a
        # region's phone under another name are kept aside, taken if such a name joins later.
        self.phone_names: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.aside: dict[str, list[tuple[Node, Any]]] = defaultdict(list)
        for node in changes.nodes:
            self.want(node)

    def want(self, node: Node) -> None:
        if node not in self.asked and node[0] in _TABLES:
            self.asked.add(node)
            self.fresh.append(node)
            self.ids[node[0]].add(node[1])

    def pending(self) -> bool:
        return bool(self.ids or self.emails or self.phones or self.numbers or self.fresh)

    def take(self, node: Node, row: Any) -> None:
        if node in self.rows:
            return
        self.rows[node] = row
        if node not in self.asked:
            self.asked.add(node)
            self.fresh.append(node)
        if node[0] == "policy":
            if row[5] and row[6]:
                self._key(row[6], self.seen_numbers, self.numbers)
            return
        email, phone = row[8], row[9]
        if email and "@" in email:
            self._key(email, self.seen_emails, self.emails)
        name = phone_name(row[2], row[3], row[4])
        if name is None or not phone or len(phone) != 10:
            return
        self.phone_names[phone].add(name)
        if self._key(phone, self.seen_phones, self.phones):
            return
        waiting = self.aside.get(phone)
        matching = [w for w in waiting or () if _phone_name_of(w[1]) == name]
        if matching:
            self.aside[phone] = [w for w in waiting or () if _phone_name_of(w[1]) != name]
            for other, other_row in matching:
                self.take(other, other_row)

    def offer(self, node: Node, row: Any) -> None:
        """A record read only for its phone: in the region if it bears a name the region has
        on that phone."""
        if node in self.rows:
            return
        if _phone_name_of(row) in self.phone_names.get(row[9], ()):
            self.take(node, row)
        else:
            self.aside[row[9]].append((node, row))

    @staticmethod
    def _key(key: str, seen: set[str], wanted: set[str]) -> bool:
        """Note a key of the region; True when it is new (to be read next round)."""
        if key in seen:
            return False
        seen.add(key)
        wanted.add(key)
        return True

    def neighbours_of_fresh(self, conn: Connection) -> None:
        fresh, self.fresh = self.fresh, []
        by_kind: dict[str, set[int]] = defaultdict(set)
        for node in fresh:
            by_kind[node[0]].add(node[1])
            for partner in self.partners.get(node, ()):
                self.want(partner)
        for node in _stored_neighbours(conn, by_kind):
            self.want(node)


def _phone_name_of(row: Any) -> tuple[str, str] | None:
    return phone_name(row[2], row[3], row[4])


def read_region(
    conn: Connection, changes: Changes, decisions: Sequence[tuple[Node, Node, str]]
) -> Region | None:
    """The region around ``changes``, or None when it is too big to be worth it. Each round
    first reads the records asked for by id and their stored groups and suggestions, until
    none is left to ask for (through the primary keys and indexes), then scans once for every
    key known so far: most changes need one scan, or two."""
    growth = _Growth(changes, decisions)
    while growth.pending():
        while growth.ids:
            ids, growth.ids = growth.ids, defaultdict(set)
            for kind, wanted in ids.items():
                where, param = any_of(conn, "id", sorted(wanted))
                _read(conn, growth, kind, [(where, [param])])
            growth.neighbours_of_fresh(conn)
        emails, phones, numbers = growth.emails, growth.phones, growth.numbers
        growth.emails, growth.phones, growth.numbers = set(), set(), set()
        tests = []
        if emails:
            tests.append(_keyed(conn, "email", emails))
        if phones:
            tests.append(_keyed(conn, "phone", phones))
        for kind in _PEOPLE if tests else ():
            _read(conn, growth, kind, tests)
        if numbers:
            where, param = any_of(conn, link_reads.NUMBER, sorted(numbers))
            _read(
                conn,
                growth,
                "policy",
                [(f"policy_number != '' AND carrier != '' AND {where}", [param])],
            )
        growth.neighbours_of_fresh(conn)
        if len(growth.asked) > REGION_LIMIT:
            return None
    return _region(conn, growth, decisions)


#: Up to this many keys, a scan first tests each row's raw column with a pattern per key (as
#: cheap as reading it), and computes the loose key only for the few rows that pass: on SQLite
#: the phone's key (six replace() calls) cost five times the reading of a row.
_PATTERNS_UP_TO = 8


def _keyed(conn: Connection, column: str, keys: set[str]) -> tuple[str, list[object]]:
    """SQL for "this record's loose ``column`` key is one of ``keys``", and its parameters."""
    expression = link_reads.EMAIL if column == "email" else link_reads.phone_expression(conn)
    where, param = any_of(conn, expression, sorted(keys))
    if conn.dialect.name != "sqlite" or len(keys) > _PATTERNS_UP_TO:
        return where, [param]
    # Each pattern is a condition the raw value meets when it has that key: an email holds its
    # key (LIKE ignores ASCII case, as lower() folds only ASCII); a phone holds its key's
    # characters in order (the key is what is left of it once separators are taken out).
    if column == "email":
        test = f"{column} LIKE ? ESCAPE '\\'"
        patterns = [
            "%" + k.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for k in sorted(keys)
        ]
    else:
        if any(c in key for key in keys for c in "*?["):
            return where, [param]
        test = f"{column} GLOB ?"
        patterns = ["*" + "*".join(key) + "*" for key in sorted(keys)]
    either = " OR ".join(test for _ in patterns)
    return f"({either}) AND {where}", [*patterns, param]


def _read(
    conn: Connection, growth: _Growth, kind: str, tests: list[tuple[str, list[object]]]
) -> None:
    """The records of ``kind`` passing any of ``tests`` (SQL and its parameters), into the
    region."""
    where = " OR ".join(f"({t[0]})" for t in tests)
    params = [param for t in tests for param in t[1]]
    if kind == "policy":
        sql = (
            f"SELECT id, vendor, carrier, policy_number, updated_at, {link_reads.CARRIER}, "
            f"{link_reads.NUMBER}, held_in, link_hidden, customer_id, {HOLDER_SQL} "
            f"FROM policies WHERE {where}"
        )
        for r in _fetch(conn, sql, params):
            growth.take(("policy", int(r[0])), r)
        return
    extra = "customer_link" if kind == "lead" else "NULL"
    sql = (
        "SELECT id, vendor, first_name, last_name, business_name, email, phone, updated_at, "
        f"{link_reads.EMAIL}, {link_reads.phone_expression(conn)}, held_in, link_hidden, {extra}, "
        f"{HOLDER_SQL} FROM {_PEOPLE[kind]} WHERE {where}"
    )
    for r in _fetch(conn, sql, params):
        node = (kind, int(r[0]))
        if node in growth.asked or (r[8] in growth.seen_emails and "@" in r[8]):
            growth.take(node, r)
        else:
            growth.offer(node, r)


def _stored_neighbours(conn: Connection, ids: dict[str, set[int]]) -> set[Node]:
    """Records stored in a group or a suggestion with these: they were linked (or suggested)
    with them, so their state may have to change too, whatever their keys say now."""
    found: set[Node] = set()
    for kind, wanted in ids.items():
        if not wanted:
            continue
        where, param = any_of(conn, "record_id", sorted(wanted))
        found.update(
            (str(r[0]), int(r[1]))
            for r in _fetch(
                conn,
                "SELECT record_kind, record_id FROM record_links WHERE group_id IN "
                f"(SELECT group_id FROM record_links WHERE record_kind = {_quoted(kind)} "
                f"AND {where})",
                [param],
            )
        )
        for mine, other in (("a", "b"), ("b", "a")):
            where, param = any_of(conn, f"{mine}_id", sorted(wanted))
            found.update(
                (str(r[0]), int(r[1]))
                for r in _fetch(
                    conn,
                    f"SELECT {other}_kind, {other}_id FROM link_suggestions "
                    f"WHERE {mine}_kind = {_quoted(kind)} AND {where}",
                    [param],
                )
            )
    return found


def _quoted(kind: str) -> str:
    assert kind in _TABLES  # one of ours, never user text
    return f"'{kind}'"


def _region(
    conn: Connection, growth: _Growth, decisions: Sequence[tuple[Node, Node, str]]
) -> Region:
    """The records a whole-book pass would have read among the region's (those sharing a loose
    key, counted here as the region holds every record with each of its keys, and those decided
    on), and their stored state."""
    decided = {node for a, b, _d in decisions for node in (a, b)}
    emails: Counter[str] = Counter()
    phones: Counter[str] = Counter()
    numbers: Counter[tuple[str, str]] = Counter()
    for (kind, _id), r in growth.rows.items():
        if kind == "policy":
            if r[5] and r[6]:
                numbers[(r[5], r[6])] += 1
        else:
            emails[r[8]] += 1
            phones[r[9]] += 1
    holders: dict[str, str] = {}
    state = StoredState({}, {}, {}, {}, {})
    people: list[PersonRow] = []
    policies: list[PolicyRow] = []
    for node, r in growth.rows.items():
        kind = node[0]
        holder = holders.get(r[1]) or holders.setdefault(r[1], holder_name(r[1]))
        if kind == "policy":
            held_in, hidden, extra, stored_holder = r[7], r[8], r[9], r[10]
            if node in decided or (r[5] and r[6] and numbers[(r[5], r[6])] > 1):
                policies.append(PolicyRow(node[1], holder, *r[2:5]))
        else:
            held_in, hidden, extra, stored_holder = r[10], r[11], r[12], r[13]
            e, p = r[8], r[9]
            if node in decided or (emails[e] > 1 and "@" in e) or (phones[p] > 1 and len(p) == 10):
                people.append(PersonRow(kind, node[1], holder, *r[2:8]))
        if held_in != "" and (hidden or held_in != stored_holder or (kind == "lead" and extra)):
            state.rows[node] = (held_in, bool(hidden), extra if kind == "lead" else None)
            state.holders[node] = stored_holder
            if kind == "policy":
                state.policy_customer[node[1]] = extra
    nodes = growth.asked | set(growth.rows)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, record_id in nodes:
        by_kind[kind].append(record_id)
    for kind, ids in by_kind.items():
        where, param = any_of(conn, "record_id", sorted(ids))
        for r in _fetch(
            conn,
            "SELECT record_id, group_id, rule, reason FROM record_links "
            f"WHERE record_kind = {_quoted(kind)} AND {where}",
            [param],
        ):
            state.links[(kind, int(r[0]))] = (r[1], r[2], r[3])
        for mine in ("a", "b"):
            where, param = any_of(conn, f"{mine}_id", sorted(ids))
            for r in _fetch(
                conn,
                "SELECT a_kind, a_id, b_kind, b_id, reason FROM link_suggestions "
                f"WHERE {mine}_kind = {_quoted(kind)} AND {where}",
                [param],
            ):
                state.suggestions[((r[0], r[1]), (r[2], r[3]))] = r[4]
    touching = [d for d in decisions if d[0] in nodes or d[1] in nodes]
    return Region(people, policies, touching, state, nodes)
