"""Which records are the same real-world person or policy: grouping with evidence.

Automatic links only on strong evidence:
- people (leads and customers of any account, local ones included): the same normalised email
  and the same name (last name equal, first names agreeing: equal, one missing or an initial),
  or the same E.164 phone and the same name; businesses by email or phone and business name;
- policies: the same carrier and normalised policy number (AgencyZoom's /policies and
  /ams-policies copies of one policy, or AgencyBloc's and AgencyZoom's).
The same email under different names (spouses share addresses) is only a suggestion. The user's
decisions (``link`` by hand, ``apart`` after an unlink or a rejected suggestion) always win: a
link the user broke is never made again, directly or through a third record.

Pure computation over plain rows; ``link_book`` reads the rows and writes the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from agencydesk.domain.holders import HOLDER_NAMES
from agencydesk.domain.records import LOCAL_VENDOR
from agencydesk.store.link_keys import (
    carrier_key,
    first_names_agree,
    name_key,
    phone_key,
    policy_number_key,
)

#: A record: (kind, local id), kind being a RecordKind value ("lead", "customer", "policy").
Node = tuple[str, int]

_KIND_CODE = {"lead": 1, "customer": 2, "policy": 3}
_LET_GO_SLICE = 10_000
#: Above this many records on one email, the email is an office's or a placeholder: no
#: suggestions are made from it (strong links still are).
_SUGGEST_UP_TO = 6


class PersonRow(NamedTuple):
    """(A named tuple, not a dataclass: a pass makes one per candidate, some hundred thousand.)"""

    kind: str
    id: int
    holder: str  # the vendor's short name ("AgencyZoom"), "This device" for local records
    first: str
    last: str
    business: str
    email: str
    phone: str
    updated_at: str  # as stored (ISO text sorts as time does)


class PolicyRow(NamedTuple):
    id: int
    holder: str
    carrier: str
    number: str
    updated_at: str


class Evidence(NamedTuple):
    rule: str  # email+name, phone+name, carrier+number, manual
    reason: str  # in words, naming the other record


#: An Evidence made by tuple.__new__ in C, not the named tuple's Python __new__ (one a record).
_evidence = partial(tuple.__new__, Evidence)


@dataclass(slots=True)
class LinkPlan:
    """What the book should hold after a pass."""

    group_of: dict[Node, int] = field(default_factory=dict)  # linked records only
    evidence: dict[Node, Evidence] = field(default_factory=dict)
    held_in: dict[Node, str] = field(default_factory=dict)  # linked records (others: holder)
    holder: dict[Node, str] = field(default_factory=dict)  # each record's own holder
    hidden: set[Node] = field(default_factory=set)  # represented by another row of its kind
    customer_link: dict[int, int] = field(default_factory=dict)  # lead id -> customer id
    suggestions: dict[tuple[Node, Node], str] = field(default_factory=dict)


def let_go(*containers: object) -> None:
    """Empty a pass's big lists, sets and dicts an item at a time. Freed at once, a million
    objects are one C-level deallocation that holds the GIL for a third of a second (the
    window's callbacks wait meanwhile); item by item, the interpreter hands the GIL over as it
    does for any Python code."""
    for container in containers:
        if isinstance(container, list):
            while container:  # a slice of a list is freed in one go: a few ms each
                del container[-_LET_GO_SLICE:]
        elif isinstance(container, dict):
            while container:
                container.popitem()
        elif isinstance(container, set):
            while container:
                container.pop()


def pair(a: Node, b: Node) -> tuple[Node, Node]:
    """A pair in the stored order (the smaller first)."""
    return (a, b) if a <= b else (b, a)


class _Groups:
    """Union-find whose unions respect "apart" decisions across whole groups. Plain dict
    lookups on the hot path: a pass over a big book joins some hundred thousand records."""

    def __init__(self, apart: Iterable[tuple[Node, Node]]) -> None:
        self.parent: dict[Node, Node] = {}
        self.forbidden: dict[Node, set[Node]] = {}
        for a, b in apart:
            self.forbidden.setdefault(a, set()).add(b)
            self.forbidden.setdefault(b, set()).add(a)

    def find(self, node: Node) -> Node:
        parents = self.parent
        up = parents.get(node)
        if up is None:
            return node
        root = up
        while (up := parents.get(root)) is not None:
            root = up
        while node != root:  # path compression
            up = parents[node]
            parents[node] = root
            node = up
        return root

    def can_join(self, a: Node, b: Node) -> bool:
        """No record of one group was kept apart from a record of the other."""
        if not self.forbidden:
            return True
        ra, rb = self.find(a), self.find(b)
        fa, fb = self.forbidden.get(ra), self.forbidden.get(rb)
        return not (
            (fa and any(self.find(x) == rb for x in fa))
            or (fb and any(self.find(x) == ra for x in fb))
        )

    def union(self, a: Node, b: Node) -> bool:
        parents = self.parent
        # A record not yet joined is its own root: no call to find() for it.
        ra = a if a not in parents else self.find(a)
        rb = b if b not in parents else self.find(b)
        if ra == rb:
            return True
        if self.forbidden:
            if not self.can_join(ra, rb):
                return False
            fb = self.forbidden.pop(rb, None)
            if fb:
                self.forbidden.setdefault(ra, set()).update(fb)
        self.parent[rb] = ra
        return True


class _Linker:
    def __init__(self, decisions: Sequence[tuple[Node, Node, str]]) -> None:
        self.groups = _Groups((a, b) for a, b, d in decisions if d == "apart")
        self.apart = {pair(a, b) for a, b, d in decisions if d == "apart"}
        self.manual = [(a, b) for a, b, d in decisions if d == "link"]
        self.evidence: dict[Node, Evidence] = {}
        self.holders: dict[Node, str] = {}
        self.rows: dict[Node, PersonRow | PolicyRow] = {}

    def join(self, a: Node, b: Node, rule: str, what: str) -> None:
        if not self.groups.union(a, b):
            return
        evidence = self.evidence
        if a not in evidence:
            evidence[a] = _evidence((rule, f"{what} as {self.named(b)}"))
        if b not in evidence:
            evidence[b] = _evidence((rule, f"{what} as {self.named(a)}"))

    def named(self, node: Node) -> str:
        """The other record as the detail pane names it, with where it is held ("Ann Oduya,
        lead at Lofty"): a record's internal number means nothing to the user."""
        holder = self.holders[node]
        where = "on this device" if holder == HOLDER_NAMES[LOCAL_VENDOR] else f"at {holder}"
        row = self.rows.get(node)
        if not isinstance(row, PersonRow):  # the policy number is in the evidence already
            return f"the policy {where}"
        name = f"{row.first} {row.last}".strip() or row.business  # as display_name says
        return f"{name}, {row.kind} {where}" if name else f"the {row.kind} {where}"

    def chain(self, nodes: Sequence[Node], rule: str, what: str) -> None:
        first = nodes[0]
        for other in nodes[1:]:
            self.join(first, other, rule, what)


def plan_links(
    people: Sequence[PersonRow],
    policies: Sequence[PolicyRow],
    decisions: Sequence[tuple[Node, Node, str]],
) -> LinkPlan:
    # One fixed order, whichever records were read and in whatever order the database gave
    # them: grouping under "apart" decisions, the evidence kept and the suggestions depend on
    # it, and a pass over part of the book (link_changes.py) must find what a whole one does.
    # Leads, then customers, each by id, sorted by C-level keys: by id, then stably by kind
    # ("lead" comes after "customer" in text order, hence reversed).
    people = sorted(people, key=_ID)
    people.sort(key=_KIND, reverse=True)
    policies = sorted(policies, key=_POLICY_ID)
    linker = _Linker(sorted(decisions))
    # Dicts built from iterators of C calls: a big book's pass plans some hundred thousand.
    person_nodes: list[Node] = list(zip(map(_KIND, people), map(_ID, people), strict=True))
    policy_nodes: list[Node] = list(zip(repeat("policy"), map(_POLICY_ID, policies)))
    rows = linker.rows
    rows.update(zip(person_nodes, people, strict=True))
    rows.update(zip(policy_nodes, policies, strict=True))
    holders = linker.holders
    holders.update(zip(person_nodes, map(_PERSON_HOLDER, people), strict=True))
    holders.update(zip(policy_nodes, map(_POLICY_HOLDER, policies), strict=True))
    for a, b in linker.manual:
        if a in rows and b in rows:
            linker.join(a, b, "manual", "linked by hand")
    suggestions = _link_people(linker, people, person_nodes)
    let_go(person_nodes, policy_nodes)
    _link_policies(linker, policies)
    plan = _plan(linker, rows, suggestions)
    # These hold only what is kept elsewhere (the records in ``people`` and ``policies``, the
    # nodes in ``plan.holder``, the evidence and suggestions in the plan): clearing them frees
    # next to nothing, so it is done at once.
    for kept_elsewhere in (rows, linker.groups.parent, linker.evidence):
        kept_elsewhere.clear()
    let_go(suggestions)
    return plan


def _link_people(
    linker: _Linker, people: Sequence[PersonRow], nodes: Sequence[Node]
) -> dict[tuple[Node, Node], str]:
    by_email: dict[str, list[PersonRow]] = defaultdict(list)
    by_phone: dict[tuple[str, str, str], list[Node]] = defaultdict(list)
    for p, node in zip(people, nodes, strict=True):
        _kind, _id, _holder, first, last, business, email, phone, _updated = p
        # email_key and phone_key's common case inline (one call fewer per record each).
        if email:
            key = email.strip().lower()
            if "@" in key and "." in key.rpartition("@")[2]:
                by_email[key].append(p)
        if phone:
            if not (len(phone) == 12 and phone.startswith("+1") and phone[2:].isdigit()):
                phone = phone_key(phone)
            if phone and (name := phone_name(first, last, business)):
                by_phone[(phone, *name)].append(node)
    suggestions: dict[tuple[Node, Node], str] = {}
    for email, found in by_email.items():
        if len(found) > 1:
            _link_on_email(linker, email, found, suggestions)
    for phone_and_name, nodes in by_phone.items():  # (phone, last, first)
        if len(nodes) > 1:
            linker.chain(nodes, "phone+name", f"same phone {phone_and_name[0]} and name")
    let_go(by_email, by_phone)
    return suggestions


def phone_name(first: str, last: str, business: str) -> tuple[str, str] | None:
    """The name a phone is matched with: (last, first) of a person named in full, ("",
    business) of a business without a person's name; None: a phone alone links nothing."""
    last_key, first_key = name_key(last), name_key(first)
    if last_key and first_key:
        return (last_key, first_key)
    if not last_key and (business_key := name_key(business)):
        return ("", business_key)
    return None


def _link_on_email(
    linker: _Linker, email: str, found: list[PersonRow], suggestions: dict[tuple[Node, Node], str]
) -> None:
    """Records sharing ``email``: linked per name, the name groups left as suggestions."""
    if len(found) == 2:  # most shared emails (one person at two vendors): no lists to build
        _link_email_pair(linker, email, found[0], found[1], suggestions)
        return
    named: list[tuple[str, str, list[Node]]] = []  # (last or business, first, records)
    for p in found:
        last = name_key(p.last) or name_key(p.business)
        first = name_key(p.first) if p.last else ""
        for group in named:
            if group[0] == last and last and first_names_agree(group[1], first):
                group[2].append((p.kind, p.id))
                break
        else:
            named.append((last, first, [(p.kind, p.id)]))
    what = f"same email {email} and name"
    for _last, _first, nodes in named:
        if len(nodes) > 1:
            linker.chain(nodes, "email+name", what)
    if len(named) < 2 or len(found) > _SUGGEST_UP_TO:
        return
    for i, (_l, _f, left) in enumerate(named):
        for _l2, _f2, right in named[i + 1 :]:
            key = pair(left[0], right[0])
            if key not in linker.apart:
                suggestions[key] = f"same email {email}, different names"


def _link_email_pair(
    linker: _Linker,
    email: str,
    p: PersonRow,
    q: PersonRow,
    suggestions: dict[tuple[Node, Node], str],
) -> None:
    """``_link_on_email`` for two records, deciding exactly as it does."""
    last = name_key(p.last) or name_key(p.business)
    if last and last == (name_key(q.last) or name_key(q.business)):
        first_p = name_key(p.first) if p.last else ""
        first_q = name_key(q.first) if q.last else ""
        if first_names_agree(first_p, first_q):
            linker.join(
                (p.kind, p.id), (q.kind, q.id), "email+name", f"same email {email} and name"
            )
            return
    key = pair((p.kind, p.id), (q.kind, q.id))
    if key not in linker.apart:
        suggestions[key] = f"same email {email}, different names"


def _link_policies(linker: _Linker, policies: Sequence[PolicyRow]) -> None:
    by_number: dict[tuple[str, str], list[Node]] = defaultdict(list)
    for q in policies:
        carrier, number = carrier_key(q.carrier), policy_number_key(q.number)
        if carrier and number:
            by_number[(carrier, number)].append(("policy", q.id))
    for (_carrier, number), nodes in by_number.items():
        if len(nodes) > 1:
            linker.chain(nodes, "carrier+number", f"same carrier and policy number {number}")


def _plan(
    linker: _Linker,
    rows: dict[Node, PersonRow | PolicyRow],
    suggestions: dict[tuple[Node, Node], str],
) -> LinkPlan:
    plan = LinkPlan()
    plan.holder = linker.holders
    groups = linker.groups
    find, parents = groups.find, groups.parent
    members: dict[Node, list[Node]] = defaultdict(list)
    for node in linker.evidence:  # every record joined to another has evidence
        if node in rows:
            # A group's root has no parent: no call to find() for it.
            members[node if node not in parents else find(node)].append(node)
    holders = linker.holders
    held_in, group_of, hidden = plan.held_in, plan.group_of, plan.hidden
    customer_link = plan.customer_link
    code = _KIND_CODE
    for nodes in members.values():
        if len(nodes) == 2:  # most groups: one person or policy at two vendors
            # What the general case below does for two, inline (some 60,000 groups a pass).
            a, b = nodes
            holder_a, holder_b = holders[a], holders[b]
            if holder_a == holder_b:
                held = holder_a
            elif holder_a < holder_b:
                held = f"{holder_a} · {holder_b}"
            else:
                held = f"{holder_b} · {holder_a}"
            kind_a, kind_b = a[0], b[0]
            code_a, code_b = code[kind_a], code[kind_b]
            anchor = a if code_a < code_b or (code_a == code_b and a[1] < b[1]) else b
            held_in[a] = held_in[b] = held
            group_of[a] = group_of[b] = anchor[1] * 4 + code[anchor[0]]
            if kind_a == kind_b:  # the newer one is shown
                hidden.add(b if _newer(rows[a], rows[b]) else a)
            elif kind_a == "lead" and kind_b == "customer":
                customer_link[a[1]] = b[1]
            elif kind_a == "customer" and kind_b == "lead":
                customer_link[b[1]] = a[1]
            continue
        if len(nodes) == 1:
            continue
        names = {holders[n] for n in nodes}
        held = " · ".join(sorted(names)) if len(names) > 1 else names.pop()
        anchor = min(nodes, key=_anchor_order)
        group_id = anchor[1] * 4 + _KIND_CODE[anchor[0]]
        shown: dict[str, Node] = {}
        for node in nodes:
            held_in[node] = held
            group_of[node] = group_id
            best = shown.get(node[0])
            if best is None or _newer(rows[node], rows[best]):
                shown[node[0]] = node
        hidden.update(n for n in nodes if shown[n[0]] != n)
        customer = shown.get("customer")
        if customer is not None:
            customer_link.update({n[1]: customer[1] for n in nodes if n[0] == "lead"})
    plan.evidence = {node: linker.evidence[node] for node in group_of}
    for (a, b), reason in suggestions.items():
        # Not when the user kept any record of one apart from any of the other (a rejected
        # suggestion stays rejected when the group's shown record changes).
        if find(a) != find(b) and groups.can_join(a, b):
            plan.suggestions[(a, b)] = reason
    let_go(members)
    return plan


_KIND, _ID, _PERSON_HOLDER = itemgetter(0), itemgetter(1), itemgetter(2)
_POLICY_ID, _POLICY_HOLDER = itemgetter(0), itemgetter(1)


def _anchor_order(node: Node) -> tuple[int, int]:
    return (_KIND_CODE[node[0]], node[1])


def _newer(a: PersonRow | PolicyRow, b: PersonRow | PolicyRow) -> bool:
    """Whether ``a`` should be the row its group shows instead of ``b``: the most recently
    updated record (its values are the freshest), the older record on a tie."""
    return (a.updated_at, -a.id) > (b.updated_at, -b.id)
