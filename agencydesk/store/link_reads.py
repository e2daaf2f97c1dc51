"""What a linking pass reads: only the records that could be linked, and only the rows whose
stored linking state is not the plain "alone, held where it is".

Most records share no email, phone or policy number with any other: a whole-book pass reads the
columns it matches on in one plain scan per table and counts each record's exact keys
(``link_keys``), keeping only the records sharing one. A pass over what changed
(``link_changes``) finds its records by loose keys the database computes (lower-cased email,
last ten digits of the phone, a policy number without separators: a superset of the exact
matches), which it can compare with a set of keys in one scan. (Letting the database GROUP BY
computed keys cost several times more: they cannot be indexed.) Raw driver rows throughout: no
column types to convert on hundreds of thousands of rows (``updated_at`` stays the stored ISO
text, which sorts as the instants do)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection

from agencydesk.domain.holders import HOLDER_NAMES, holder_name
from agencydesk.store.link_keys import carrier_key, email_key, phone_key, policy_number_key
from agencydesk.store.linking import Node, PersonRow, PolicyRow, let_go

_PEOPLE = {"lead": "leads", "customer": "customers"}
_TABLES = {**_PEOPLE, "policy": "policies"}


def _stripped(column: str, characters: str) -> str:
    """SQL for ``column`` without these characters."""
    for character in characters:
        column = f"replace({column}, '{character}', '')"
    return column


# Loose keys: a superset of what link_keys matches exactly (the last ten digits of a phone, the
# lower-cased email, a policy number without separators).
EMAIL = "lower(trim(email))"
# Most stored phones are E.164 already ("+15125550100"): their key is what follows "+1", read
# without the six replace() calls (which cost more than reading the row).
_E164 = "phone GLOB '+1" + "[0-9]" * 10 + "'"
_PHONE = (
    f"CASE WHEN {_E164} THEN substr(phone, 3) ELSE substr({_stripped('phone', ' ()-.+')}, -10) END"
)
# PostgreSQL (the team hub) has no negative substr start: its right() takes the last ten.
_PHONE_PG = f"right({_stripped('phone', ' ()-.+')}, 10)"
NUMBER = f"upper({_stripped('policy_number', ' -./')})"
CARRIER = f"lower({_stripped('carrier', ' -.,&')})"

_PLAIN_PEOPLE_SQL = (
    "SELECT id, vendor, first_name, last_name, business_name, email, phone, updated_at FROM {table}"
)
_PLAIN_POLICIES_SQL = (
    "SELECT id, vendor, carrier, policy_number, updated_at FROM policies "
    "WHERE policy_number != '' AND carrier != ''"
)
_PEOPLE_KEYS_SQL = "SELECT email, phone FROM {table}"
_EMAIL, _PHONE_AT, _CARRIER, _NUMBER = itemgetter(5), itemgetter(6), itemgetter(2), itemgetter(3)
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
#: A PersonRow made by tuple.__new__ in C, not the named tuple's Python __new__.
new_person = partial(tuple.__new__, PersonRow)


def any_of(conn: Connection, expression: str, values: Iterable[object]) -> tuple[str, object]:
    """SQL testing ``expression`` against a set of values, and its one parameter: a JSON array on
    SQLite (no limit on how many values), an array on PostgreSQL."""
    if conn.dialect.name == "postgresql":
        return f"{expression} = ANY(%s)", list(values)
    return f"{expression} IN (SELECT value FROM json_each(?))", json.dumps(list(values))


def phone_expression(conn: Connection) -> str:
    """SQL for a phone's loose key (its last ten characters once separators are gone)."""
    return _PHONE_PG if conn.dialect.name == "postgresql" else _PHONE


def _rows(conn: Connection, sql: str) -> Sequence[Any]:
    """Plain driver tuples (SQLite or psycopg alike): no row objects to build for each of some
    hundred thousand records a pass reads."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def _people_counted(
    conn: Connection, emails: Counter[str], phones: Counter[str]
) -> Iterator[tuple[str, Sequence[Any]]]:
    """Every person's row (``_PLAIN_PEOPLE_SQL``) in chunks, each of its kind, after counting
    every exact key (``link_keys``; '' for none) into ``emails`` and ``phones``. On SQLite in two
    streamed scans, the raw email and phone alone first: one read transaction, one snapshot,
    and the caller keeps only the rows sharing a key (holding every person's row at once cost
    100 MB on the 100k book, on top of what the caller holds: an import's plan). PostgreSQL's
    driver holds a whole result anyway, and a second statement could see a newer snapshot
    there: one scan, counted as it is held."""
    if conn.dialect.name != "sqlite":
        found = [(k, _rows(conn, _PLAIN_PEOPLE_SQL.format(table=t))) for k, t in _PEOPLE.items()]
        for _kind, rows in found:
            emails.update(map(email_key, map(_EMAIL, rows)))
            phones.update(map(phone_key, map(_PHONE_AT, rows)))
        yield from found
        return
    for table in _PEOPLE.values():
        for rows in _chunks(conn, _PEOPLE_KEYS_SQL.format(table=table)):
            emails.update(map(email_key, map(_FIRST, rows)))
            phones.update(map(phone_key, map(_SECOND, rows)))
    for kind, table in _PEOPLE.items():
        for rows in _chunks(conn, _PLAIN_PEOPLE_SQL.format(table=table)):
            yield kind, rows


def _chunks(conn: Connection, sql: str, size: int = 5000) -> Iterator[Sequence[Any]]:
    """``_rows`` ``size`` at a time, for a scan whose rows are not all kept."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()


#: The Held in a record alone shows: its own holder's name, by vendor.
HOLDER_SQL = (
    "CASE vendor "
    + " ".join(f"WHEN '{vendor}' THEN '{name}'" for vendor, name in HOLDER_NAMES.items())
    + " ELSE vendor END"
)


def candidates(conn: Connection, extra: Iterable[Node]) -> tuple[list[PersonRow], list[PolicyRow]]:
    """Records sharing a match key with another, plus ``extra`` (those the user decided on).
    Every record's columns are read plainly (no key computed by the database: its replace()
    and lower() calls cost more than reading the rows) and its exact keys (``link_keys``)
    counted here: a record sharing none links nothing and is suggested with nothing, so
    leaving it out changes no plan (100k benchmark book, people and policies read and kept:
    1.34 s CPU, 1.86 s with the database's loose keys, both read in one scan)."""
    holders = dict(HOLDER_NAMES)
    emails: Counter[str] = Counter()
    phones: Counter[str] = Counter()
    people: list[PersonRow] = []
    for kind, rows in _people_counted(conn, emails, phones):
        email_keys = map(email_key, map(_EMAIL, rows))
        phone_keys = map(phone_key, map(_PHONE_AT, rows))
        for r, e, p in zip(rows, email_keys, phone_keys, strict=True):
            if (e and emails[e] > 1) or (p and phones[p] > 1):
                vendor = r[1]
                holder = holders.get(vendor) or holders.setdefault(vendor, holder_name(vendor))
                people.append(new_person((kind, r[0], holder, *r[2:])))
    let_go(emails, phones)
    numbered = _rows(conn, _PLAIN_POLICIES_SQL)
    number_keys = list(
        zip(
            map(carrier_key, map(_CARRIER, numbered)),
            map(policy_number_key, map(_NUMBER, numbered)),
            strict=True,
        )
    )
    numbers = Counter(number_keys)
    policies = {
        r[0]: PolicyRow(r[0], holders.get(r[1]) or holder_name(r[1]), *r[2:5])
        for r, key in zip(numbered, number_keys, strict=True)
        if numbers[key] > 1 and key[0] and key[1]
    }
    let_go(number_keys, numbers)
    wanted: dict[str, list[int]] = {}
    extra = list(extra)
    read = {(p[0], p[1]) for p in people} if extra else set()
    for kind, record_id in extra:
        if (kind, record_id) not in read and not (kind == "policy" and record_id in policies):
            wanted.setdefault(kind, []).append(record_id)
    for kind, ids in wanted.items():
        if kind not in _TABLES:
            continue
        marks = ", ".join(str(int(i)) for i in ids)
        if kind == "policy":
            for r in conn.exec_driver_sql(
                "SELECT id, vendor, carrier, policy_number, updated_at FROM policies "
                f"WHERE id IN ({marks})"
            ):
                policies[r[0]] = PolicyRow(r[0], holders.get(r[1]) or holder_name(r[1]), *r[2:])
            continue
        for r in conn.exec_driver_sql(
            "SELECT id, vendor, first_name, last_name, business_name, email, phone, updated_at "
            f"FROM {_PEOPLE[kind]} WHERE id IN ({marks})"
        ):
            people.append(PersonRow(kind, r[0], holders.get(r[1]) or holder_name(r[1]), *r[2:]))
    let_go(read)
    # In no particular order: plan_links puts them in its one order (a table scan's order is
    # the database's, and PostgreSQL returns an updated row after the others).
    return people, list(policies.values())


def decisions(conn: Connection) -> list[tuple[Node, Node, str]]:
    return [
        ((r[0], r[1]), (r[2], r[3]), r[4])
        for r in conn.exec_driver_sql(
            "SELECT a_kind, a_id, b_kind, b_id, decision FROM link_decisions "
            "ORDER BY a_kind, a_id, b_kind, b_id"  # one order everywhere, as for candidates
        )
    ]


@dataclass(slots=True)
class StoredState:
    """The linking state the book holds now, for the rows that are not plainly alone."""

    rows: dict[Node, tuple[str, bool, int | None]]  # held_in, hidden, customer_link
    holders: dict[Node, str]  # the holder of each row in ``rows`` (its state when alone)
    links: dict[Node, tuple[int, str, str]]  # group, rule, reason
    suggestions: dict[tuple[Node, Node], str]
    policy_customer: dict[int, int | None]  # of the policies in ``rows``


def fill_new_rows(conn: Connection, new_ids: dict[str, list[int]]) -> None:
    """Rows stored since the last pass (``held_in`` still empty: ``new_ids``, as the pass read
    them) and not grouped by it are alone, held where they are: one UPDATE per table, after the
    pass's own row updates (so a first pass over a big book neither writes row by row nor
    writes its grouped rows twice). Only the rows the pass read: one stored since is still new
    to the next pass."""
    for kind, ids in new_ids.items():
        if ids:
            where, param = any_of(conn, "id", ids)
            conn.exec_driver_sql(
                f"UPDATE {_TABLES[kind]} SET held_in = {HOLDER_SQL} WHERE held_in = '' AND {where}",
                (param,),
            )


def stored_state(conn: Connection) -> StoredState:
    def sql(statement: str) -> Sequence[Any]:
        return _rows(conn, statement)

    state = StoredState({}, {}, {}, {}, {})
    for kind, table in _TABLES.items():
        extra = {"lead": "customer_link", "customer": "NULL", "policy": "customer_id"}[kind]
        rows = sql(
            f"SELECT id, held_in, link_hidden, {extra}, {HOLDER_SQL} FROM {table} "
            # A row not passed over yet (held_in '') counts as alone: fill_new_rows makes it so
            # after the pass's own updates, in one statement.
            f"WHERE held_in != '' AND (link_hidden OR held_in != {HOLDER_SQL}"
            + (" OR customer_link IS NOT NULL)" if kind == "lead" else ")")
        )
        lead = kind == "lead"
        for record_id, held_in, hidden, extra_value, holder in rows:
            node = (kind, record_id)
            state.rows[node] = (held_in, bool(hidden), extra_value if lead else None)
            state.holders[node] = holder
            if kind == "policy":
                state.policy_customer[record_id] = extra_value
    state.links = {
        (k, i): (group, rule, reason)
        for k, i, group, rule, reason in sql(
            "SELECT record_kind, record_id, group_id, rule, reason FROM record_links"
        )
    }
    state.suggestions = {
        ((ak, ai), (bk, bi)): reason
        for ak, ai, bk, bi, reason in sql(
            "SELECT a_kind, a_id, b_kind, b_id, reason FROM link_suggestions"
        )
    }
    return state


def policy_customers(conn: Connection, policy_ids: Iterable[int]) -> dict[int, int | None]:
    ids = sorted(set(policy_ids))
    found: dict[int, int | None] = {}
    for start in range(0, len(ids), 500):
        marks = ", ".join(str(int(i)) for i in ids[start : start + 500])
        found.update(
            {
                r[0]: r[1]
                for r in conn.exec_driver_sql(
                    f"SELECT id, customer_id FROM policies WHERE id IN ({marks})"
                )
            }
        )
    return found
