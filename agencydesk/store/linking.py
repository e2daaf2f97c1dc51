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
from typing import NamedTuple

from agencydesk.domain.holders import HOLDER_NAMES
from agencydesk.domain.records import LOCAL_VENDOR
from agencydesk.store.link_keys import (
    carrier_key,
    email_key,
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


@dataclass(slots=True)
class LinkPlan:
    """What the book should hold after a pass."""

    group_of: dict[Node, int] = field(default_factory=dict)  # linked records only
    evidence: dict[Node, Evidence] = field(default_factory=dict)
    held_in: dict[Node, str] = field(default_factory=dict)  # every record planned
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
            evidence[a] = Evidence(rule, f"{what} as {self.named(b)}")
        if b not in evidence:
            evidence[b] = Evidence(rule, f"{what} as {self.named(a)}")

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
    people = sorted(people, key=_person_order)
    policies = sorted(policies, key=_policy_id)
    linker = _Linker(sorted(decisions))
    rows = linker.rows
    holders = linker.holders
    for p in people:
        node = (p.kind, p.id)
        rows[node] = p
        holders[node] = p.holder
    for q in policies:
        node = ("policy", q.id)
        rows[node] = q
        holders[node] = q.holder
    for a, b in linker.manual:
        if a in rows and b in rows:
            linker.join(a, b, "manual", "linked by hand")
    suggestions = _link_people(linker, people)
    _link_policies(linker, policies)
    plan = _plan(linker, rows, suggestions)
    let_go(rows, linker.groups.parent, linker.evidence, suggestions)
    return plan


def _link_people(linker: _Linker, people: Sequence[PersonRow]) -> dict[tuple[Node, Node], str]:
    by_email: dict[str, list[PersonRow]] = defaultdict(list)
    by_phone: dict[tuple[str, str, str], list[Node]] = defaultdict(list)
    for p in people:
        kind, record_id, _holder, first, last, business, email, phone, _updated = p
        if key := email_key(email):
            by_email[key].append(p)
        if (key := phone_key(phone)) and (name := phone_name(first, last, business)):
            by_phone[(key, *name)].append((kind, record_id))
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
    plan.held_in = dict(linker.holders)  # a record alone is held where it is
    groups = linker.groups
    find = groups.find
    members: dict[Node, list[Node]] = defaultdict(list)
    for node in linker.evidence:  # every record joined to another has evidence
        if node in rows:
            members[find(node)].append(node)
    holders = linker.holders
    held_in, group_of, hidden = plan.held_in, plan.group_of, plan.hidden
    customer_link = plan.customer_link
    for nodes in members.values():
        if len(nodes) == 2:  # most groups: one person or policy at two vendors
            _plan_pair(plan, rows, nodes[0], nodes[1])
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


def _plan_pair(plan: LinkPlan, rows: dict[Node, PersonRow | PolicyRow], a: Node, b: Node) -> None:
    """``_plan``'s work for a group of two, with the same outcome."""
    holder_a, holder_b = plan.holder[a], plan.holder[b]
    if holder_a == holder_b:
        held = holder_a
    else:
        held = f"{holder_a} · {holder_b}" if holder_a < holder_b else f"{holder_b} · {holder_a}"
    anchor = min(a, b, key=_anchor_order)
    group_id = anchor[1] * 4 + _KIND_CODE[anchor[0]]
    plan.held_in[a] = plan.held_in[b] = held
    plan.group_of[a] = plan.group_of[b] = group_id
    if a[0] == b[0]:  # the newer one is shown
        plan.hidden.add(b if _newer(rows[a], rows[b]) else a)
    elif a[0] == "lead" and b[0] == "customer":
        plan.customer_link[a[1]] = b[1]
    elif a[0] == "customer" and b[0] == "lead":
        plan.customer_link[b[1]] = a[1]


def _person_order(p: PersonRow) -> tuple[int, int]:
    return (_KIND_CODE[p.kind], p.id)


def _policy_id(q: PolicyRow) -> int:
    return q.id


def _anchor_order(node: Node) -> tuple[int, int]:
    return (_KIND_CODE[node[0]], node[1])


def _newer(a: PersonRow | PolicyRow, b: PersonRow | PolicyRow) -> bool:
    """Whether ``a`` should be the row its group shows instead of ``b``: the most recently
    updated record (its values are the freshest), the older record on a tie."""
    return (a.updated_at, -a.id) > (b.updated_at, -b.id)
