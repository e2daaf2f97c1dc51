"""Quick find (Ctrl+K): ranked full-text hits across every tab."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, tuple_

from agencydesk.domain import RecordKind
from agencydesk.domain.formats import format_date
from agencydesk.store import text_search
from agencydesk.store.convert import TABLES, display_name
from agencydesk.store.link_models import RECORD_LINKS
from agencydesk.store.listing import FTS_TABLES
from agencydesk.store.queries import SearchHit

_SEARCHED = (
    RecordKind.CUSTOMER,
    RecordKind.LEAD,
    RecordKind.POLICY,
    RecordKind.THREAD,
    RecordKind.TASK,
    RecordKind.MESSAGE,
)


_RANK_AT_MOST = 3000


def quick_find(conn: Connection, user_text: str, limit: int) -> list[SearchHit]:
    terms = text_search.match_terms(user_text)
    if not terms or limit <= 0:
        return []
    # Rank: hits on the name (person, policy number, subject) before hits elsewhere; then by
    # tab (customers, leads, policies, threads, tasks, message text); then by bm25 within a tab.
    # bm25 alone is not comparable across tables of very different sizes.
    short = text_search.is_short(user_text)
    ranked: list[tuple[int, int, float, RecordKind, int]] = []
    for priority, kind in enumerate(_SEARCHED):
        if short and kind is RecordKind.MESSAGE:
            continue
        fts = FTS_TABLES[kind]
        # Ranking scores every match: past a few thousand (a common prefix) any order serves.
        # Message hits come last anyway: newest first is the useful order among them.
        rank = (
            not short
            and kind is not RecordKind.MESSAGE
            and text_search.count(conn, fts, user_text) <= _RANK_AT_MOST
        )
        found: set[int] = set()
        if kind is not RecordKind.MESSAGE:
            for record_id, score in text_search.ranked_ids(
                conn, fts, user_text, limit, names_only=True, ranked=rank
            ):
                found.add(record_id)
                ranked.append((0, priority, score, kind, record_id))
        if len(found) < limit:
            for record_id, score in text_search.ranked_ids(
                conn, fts, user_text, limit, ranked=rank
            ):
                if record_id not in found:
                    ranked.append((1, priority, score, kind, record_id))
    ranked.sort(key=lambda item: item[:3])
    scored = [(score, kind, record_id) for _t, _p, score, kind, record_id in ranked]
    rows = _rows(conn, scored)
    groups = _groups(conn, [(kind, record_id) for _s, kind, record_id in scored])
    hits: list[SearchHit] = []
    seen: set[tuple[str, int]] = set()
    words = terms
    for _score, kind, record_id in scored:
        row = rows.get((kind, record_id))
        if row is None:
            continue
        hit = _hit(kind, row, words)
        # A person (or policy) held by several vendors is found once, as the row its tab shows.
        group = groups.get((hit.kind, hit.id))
        key = (_ENTITY.get(hit.kind, hit.kind.value), group[0]) if group else (hit.kind, hit.id)
        if key in seen:
            continue
        seen.add(key)
        if group is not None:
            hit = SearchHit(hit.kind, group[1], hit.title, hit.subtitle)
        hits.append(hit)
        if len(hits) >= limit:
            break
    return hits


_ENTITY = {RecordKind.LEAD: "person", RecordKind.CUSTOMER: "person", RecordKind.POLICY: "policy"}


def _groups(
    conn: Connection, keys: list[tuple[RecordKind, int]]
) -> dict[tuple[RecordKind, int], tuple[int, int]]:
    """(kind, id) of linked hits -> (their group, the id of the group's row shown in that
    kind's tab)."""
    wanted = {(k.value, i) for k, i in keys if k in _ENTITY}
    if not wanted:
        return {}
    links = RECORD_LINKS
    found = {
        (str(k), int(i)): int(g)
        for k, i, g in conn.execute(
            select(links.c.record_kind, links.c.record_id, links.c.group_id).where(
                tuple_(links.c.record_kind, links.c.record_id).in_(sorted(wanted))
            )
        )
    }
    if not found:
        return {}
    shown: dict[tuple[int, str], int] = {}
    for kind in _ENTITY:
        table = TABLES[kind]
        rows = conn.execute(
            select(links.c.group_id, table.c.id)
            .join(table, table.c.id == links.c.record_id)
            .where(
                links.c.record_kind == kind.value,
                links.c.group_id.in_(sorted(set(found.values()))),
                table.c.link_hidden.is_(False),
            )
        )
        shown.update({(int(g), kind.value): int(i) for g, i in rows})
    return {(RecordKind(k), i): (g, shown.get((g, k), i)) for (k, i), g in found.items()}


def _rows(
    conn: Connection, scored: list[tuple[float, RecordKind, int]]
) -> dict[tuple[RecordKind, int], Any]:
    wanted: dict[RecordKind, list[int]] = {}
    for _score, kind, record_id in scored:
        wanted.setdefault(kind, []).append(record_id)
    found: dict[tuple[RecordKind, int], Any] = {}
    for kind, ids in wanted.items():
        table = TABLES[kind]
        if kind is RecordKind.MESSAGE:
            threads = TABLES[RecordKind.THREAD]
            stmt = select(
                table.c.id, table.c.thread_id, table.c.body, table.c.sender, threads.c.subject
            ).join(threads, threads.c.id == table.c.thread_id)
        else:
            stmt = select(table)
        for row in conn.execute(stmt.where(table.c.id.in_(ids))):
            found[(kind, row.id)] = row
    return found


def _hit(kind: RecordKind, row: Any, words: list[str]) -> SearchHit:
    if kind in (RecordKind.LEAD, RecordKind.CUSTOMER):
        name = display_name(row.first_name, row.last_name, row.business_name)
        label = "Lead" if kind is RecordKind.LEAD else "Customer"
        extra = row.status if kind is RecordKind.LEAD else row.city
        held = f"held in {row.held_in}" if " · " in row.held_in else ""
        subtitle = " · ".join(p for p in (label, extra, row.email or row.phone, held) if p)
        return SearchHit(kind, row.id, name, subtitle)
    if kind is RecordKind.POLICY:
        parts = ("Policy", row.carrier, row.line_of_business, row.insured_name)
        return SearchHit(kind, row.id, row.policy_number, " · ".join(p for p in parts if p))
    if kind is RecordKind.THREAD:
        parts = ("Thread", row.channel, row.counterpart, "")
        title = row.subject or row.counterpart
        return SearchHit(kind, row.id, title, " · ".join(p for p in parts if p))
    if kind is RecordKind.MESSAGE:
        return SearchHit(
            RecordKind.THREAD, row.thread_id, row.subject or row.sender, snippet(row.body, words)
        )
    due = format_date(row.due_date)
    parts = ("Task", row.status, due, row.assignee)
    return SearchHit(kind, row.id, row.title, " · ".join(p for p in parts if p))


def snippet(body: str, words: list[str], width: int = 90) -> str:
    """The part of ``body`` around the first matching word, on one line."""
    flat = " ".join(body.split())
    lower = flat.lower()
    at = min((i for i in (lower.find(w) for w in words if w) if i >= 0), default=0)
    start = max(0, at - width // 3)
    text = flat[start : start + width]
    return ("…" if start else "") + text + ("…" if start + width < len(flat) else "")
