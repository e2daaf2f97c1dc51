"""Lead searches: ``GET /v1.0/leads`` (L672), ``/leads/createTime`` (L826), ``/leads/updateTime``
(L945). offset/limit with limit in [1, 100] (L723), ``scrollId`` for deep paging (L748), and the
``{"_metadata": {...}, "leads": [...]}`` envelope of L48."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from agencydesk.vendors.lofty.sandbox.state import LoftyState, Record
from agencydesk.vendors.lofty.sandbox.times import parse_minimum_time
from agencydesk.vendors.lofty.sandbox.views import lead_view, wrap_lead
from agencydesk.vendors.lofty.sandbox.wire import (
    invalid,
    q_bool,
    q_int,
    q_ints,
    q_list,
    q_offset,
    q_page,
)
from agencydesk.vendors.sandbox_kit.http import json_response

DEFAULT_LIMIT = 10  # not documented; the example of L46 asks limit=10
MAX_LIMIT = 100  # L723 "range: [1, 100]"
MAX_SCROLLS = 256  # oldest scrolls are forgotten (each holds the matching ids)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# L763 sort names -> what the sandbox orders by; names it does not model sort like Default.
_SORTS: dict[str, Callable[[Record], Any]] = {
    "CreateTime": lambda ld: ld["_created"],
    "LastContact": lambda ld: ld["_touched"] or _EPOCH,
    "LastCall": lambda ld: ld["_touched"] or _EPOCH,
    "LastEmail": lambda ld: ld["_touched"] or _EPOCH,
    "LastActivity": lambda ld: ld["_touched"] or _EPOCH,
    "Communication": lambda ld: ld["_touched"] or _EPOCH,
    "DeleteTime": lambda ld: ld["_deleteTime"] or _EPOCH,
    "AssignTime": lambda ld: ld["_assigned"] or _EPOCH,
    "Score": lambda ld: ld["score"] or 0,
    "SCOREV2": lambda ld: ld["score"] or 0,
}
SORT_NAMES = [
    "Default",
    "LastContact",
    "LastCall",
    "LastEmail",
    "LastActivity",
    "CreateTime",
    "Inquries",
    "DeleteTime",
    "AssignTime",
    "Score",
    "Activity",
    "Communication",
    "HasDrip",
    "HasAlert",
    "Task",
    "Lender",
    "ActivitySearch",
    "ActivityViews",
    "ActivityFavorites",
    "DripStatus",
    "DripOpenRate",
    "AlertFrequency",
    "AlertOpenRate",
    "SCOREV2",
    "SmartPlanStatus",
]


def digits(phone: str) -> str:
    d = re.sub(r"\D", "", phone)
    return d[1:] if len(d) == 11 and d.startswith("1") else d


def _matches(state: LoftyState, request: Request, full: bool) -> Callable[[Record], bool]:
    all_tags = {t.lower() for t in q_list(request, "allTags")}
    any_tags = {t.lower() for t in q_list(request, "anyTags")}
    stages = {s.lower() for s in q_list(request, "stage")}
    segments = {s.lower() for s in q_list(request, "segments") + q_list(request, "groups")}
    source = request.query_params.get("source")
    email = (request.query_params.get("email") or "").strip().lower()
    phone = digits(request.query_params.get("phone") or "")
    contacted = q_bool(request, "contacted")
    assigned = q_int(request, "assignedUserId") if full else None
    languages = {v.lower() for v in q_list(request, "languages")} if full else set()
    segment_ids = (
        set(q_ints(request, "segmentIds") + q_ints(request, "groupIds")) if full else set()
    )
    precise = q_bool(request, "preciseSearchFlag", True) if full else True
    q_bool(request, "querySubGroup")  # accepted; the sandbox team has no sub-groups

    # One predicate per filter actually sent, so an unfiltered page stays cheap on large data.
    tests: list[Callable[[Record], bool]] = [lambda ld: not ld["_deleted"]]
    if all_tags:
        tests.append(lambda ld: all_tags <= ld["_tags"].keys())
    if any_tags:
        tests.append(lambda ld: bool(any_tags & ld["_tags"].keys()))
    if stages:
        tests.append(lambda ld: (ld["stage"] or "").lower() in stages)
    if segments:
        tests.append(lambda ld: bool(segments & {s.lower() for s in ld["segments"]}))
    if segment_ids:
        tests.append(lambda ld: bool(segment_ids & {state.segment_id(s) for s in ld["segments"]}))
    if source is not None:
        tests.append(lambda ld: (ld["source"] or "").lower() == source.lower())
    if email:
        tests.append(
            lambda ld: any(
                (e.lower() == email) if precise else (email in e.lower()) for e in ld["emails"]
            )
        )
    if phone:
        tests.append(
            lambda ld: any(
                (digits(p) == phone) if precise else (phone in digits(p)) for p in ld["phones"]
            )
        )
    if contacted is not None:
        tests.append(lambda ld: ld["_contacted"] == contacted)
    if assigned is not None:
        tests.append(lambda ld: ld["assignedUserId"] == assigned)
    if languages:
        tests.append(lambda ld: (ld["language"] or "").lower() in languages)

    if len(tests) == 1:
        return tests[0]

    def keep(lead: Record) -> bool:
        return all(test(lead) for test in tests)

    return keep


def search_leads(state: LoftyState, request: Request, *, since: str | None = None) -> Response:
    """``since`` is "leadCreateTime" or "leadUpdateTime" for the two time searches."""
    limit = q_page(request, default=DEFAULT_LIMIT, maximum=state.config.live_page_cap or MAX_LIMIT)
    scroll_id = request.query_params.get("scrollId")
    with state.lock:
        if scroll_id:
            scroll = state.scrolls.get(scroll_id)
            if scroll is None:
                raise invalid("scrollId", "is unknown or expired")
            ids, offset = scroll["ids"], scroll["position"]
        else:
            ids, offset = _ordered_ids(state, request, since), q_offset(request)
            scroll_id = secrets.token_urlsafe(12)
            if len(state.scrolls) >= MAX_SCROLLS:
                state.scrolls.pop(next(iter(state.scrolls)))
        page_ids = ids[offset : offset + limit]
        state.scrolls[scroll_id] = {"ids": ids, "position": offset + len(page_ids)}
        leads = [
            wrap_lead(state, lead_view(state, state.leads[i])) for i in page_ids if i in state.leads
        ]
    meta = {
        "collection": "leads",
        "limit": limit,
        "offset": offset,
        "total": len(ids),
        "scrollId": scroll_id,
    }
    return json_response({"_metadata": meta, "leads": leads})


def _ordered_ids(state: LoftyState, request: Request, since: str | None) -> list[int]:
    keep = _matches(state, request, full=since is None)
    leads = [ld for ld in state.leads.values() if keep(ld)]
    if since is not None:
        raw = request.query_params.get(since)
        key = "_created" if since == "leadCreateTime" else "_updated"
        if raw:
            minimum = parse_minimum_time(raw)
            if minimum is None:
                raise invalid(since, "is not a readable time")
            leads = [ld for ld in leads if ld[key] >= minimum]
        leads.sort(key=lambda ld: (ld[key], ld["leadId"]))
        return [ld["leadId"] for ld in leads]
    sort = request.query_params.get("sort") or "Default"
    if sort not in SORT_NAMES:
        raise invalid("sort", f"must be one of {', '.join(SORT_NAMES)}")
    desc = bool(q_bool(request, "desc", False))
    order = _SORTS.get(sort)
    if order is None:
        leads.sort(key=lambda ld: ld["leadId"], reverse=desc)
    else:
        leads.sort(key=lambda ld: (order(ld), ld["leadId"]), reverse=desc)
    return [ld["leadId"] for ld in leads]
