"""Lead search (POST /v1/api/leads/list, L2378) and counts (POST /v1/api/leads/pipeline-count,
L2529): filters, sort and the incremental-sync last-activity window."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from agencydesk.vendors.agencyzoom.sandbox.common import (
    coerce,
    day_range,
    fail,
    field_value,
    id_filter,
    in_range,
    parse_day,
)
from agencydesk.vendors.agencyzoom.sandbox.records import Lead
from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState

# "Field name used for sorting, not in enum, or empty, default value is lastEnterStageDate" (L2297)
SORTS = {
    "firstname": lambda ld: ((ld.data.firstname or "").lower(), ld.id),
    "lastname": lambda ld: ((ld.data.lastname or "").lower(), ld.id),
    "lastEnterStageDate": lambda ld: (ld.enter_stage, ld.id),
    "lastActivityDate": lambda ld: (ld.last_activity, ld.id),
}
SOLD_PERIODS = (
    "today",
    "yesterday",
    "thisweek",
    "lastweek",
    "mtd",
    "lastmonth",
    "qtd",
    "ytd",
    "lastyear",
)


def digits(phone: str | None) -> str:
    """Phone digits without the US country code, so "(512) 555-0100" matches "+15125550100"."""
    d = re.sub(r"\D", "", phone or "")
    return d[1:] if len(d) == 11 and d.startswith("1") else d


def sold_window(period: str, today: date) -> tuple[date, date]:
    """``soldPeriod`` (L2340): a named period or "YYYY-MM-DD|YYYY-MM-DD", inclusive days."""
    if "|" in period:
        lo, _, hi = period.partition("|")
        start, end = parse_day(lo, "soldPeriod"), parse_day(hi, "soldPeriod")
        if start is None or end is None:
            raise fail("soldPeriod range must be YYYY-MM-DD|YYYY-MM-DD")
        return start, end
    if period not in SOLD_PERIODS:
        raise fail("soldPeriod is not a known period")
    week = today - timedelta(days=today.weekday())
    month = today.replace(day=1)
    last_month_end = month - timedelta(days=1)
    quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "thisweek": (week, today),
        "lastweek": (week - timedelta(days=7), week - timedelta(days=1)),
        "mtd": (month, today),
        "lastmonth": (last_month_end.replace(day=1), last_month_end),
        "qtd": (quarter, today),
        "ytd": (today.replace(month=1, day=1), today),
        "lastyear": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }[period]


def search_leads(st: AgencyZoomState, body: dict[str, Any], now: datetime) -> list[Lead]:
    """Every lead the filters match, sorted as asked (ties broken by id)."""
    want_id = id_filter(body, "id")
    assigned = id_filter(body, "assignedTo")
    creator = id_filter(body, "creator")
    status = field_value(body, "status", int)
    if status is not None and status not in range(6):
        raise fail("status must be one of 0, 1, 2, 3, 4, 5")
    source = id_filter(body, "leadSourceId")
    workflow = id_filter(body, "workflowId")
    name = (field_value(body, "customerName", str) or "").strip().lower()
    email = (field_value(body, "customerEmail", str) or "").strip().lower()
    phone = digits(field_value(body, "customerPhone", str))
    phones = {
        digits(p)
        for p in coerce(list[str], body.get("customerPhoneList"), "customerPhoneList") or []
    }
    stages_raw = field_value(body, "workflowStageId", str) or ""
    stages = {int(re.sub(r"\D", "", s)) for s in stages_raw.split("/") if re.sub(r"\D", "", s)}
    location = field_value(body, "location", str)
    created_lo, created_hi = day_range(
        parse_day(body.get("startDate"), "startDate"), parse_day(body.get("endDate"), "endDate")
    )
    act_lo, act_hi = day_range(
        parse_day(body.get("lastActivityEarliestDate"), "lastActivityEarliestDate"),
        parse_day(body.get("lastActivityLatestDate"), "lastActivityLatestDate"),
    )
    sold_lo = sold_hi = None
    if body.get("soldPeriod"):
        start, end = sold_window(field_value(body, "soldPeriod", str), now.astimezone(UTC).date())
        sold_lo, sold_hi = day_range(start, end)

    def matches(ld: Lead) -> bool:
        d = ld.data
        if want_id is not None and ld.id != want_id:
            return False
        if assigned is not None and d.assignTo != assigned:
            return False
        if creator is not None and ld.creator != creator:
            return False
        if status is not None and ld.status != status:
            return False
        if source is not None and d.leadSourceId != source:
            return False
        if workflow is not None and d.pipelineId != workflow:
            return False
        if stages and d.stageId not in stages:
            return False
        if location and d.agencyNumber != location:
            return False
        if name:
            first, last = (d.firstname or "").lower(), (d.lastname or "").lower()
            if not (
                first.startswith(name)
                or last.startswith(name)
                or f"{first} {last}".startswith(name)
            ):
                return False
        if email and not (d.email or "").lower().startswith(email):
            return False
        if phone and not digits(d.phone).startswith(phone):
            return False
        if phones and digits(d.phone) not in phones:
            return False
        if (created_lo or created_hi) and not in_range(ld.created, created_lo, created_hi):
            return False
        if (act_lo or act_hi) and not in_range(ld.last_activity, act_lo, act_hi):
            return False
        return not (sold_lo or sold_hi) or (
            ld.sold_at is not None and in_range(ld.sold_at, sold_lo, sold_hi)
        )

    sort = body.get("sort")
    key = SORTS.get(sort if isinstance(sort, str) else "", SORTS["lastEnterStageDate"])
    found = [ld for ld in st.leads.values() if matches(ld)]
    found.sort(key=key, reverse=body.get("order") == "desc")
    return found


def stage_counts(st: AgencyZoomState, found: list[Lead]) -> list[dict[str, Any]]:
    """``leadsCount`` items (collapsed in the document, L2529; ASSUMPTIONS: one per stage)."""
    counts: dict[tuple[int | None, int | None], int] = {}
    for ld in found:
        key = (ld.data.pipelineId, ld.data.stageId)
        counts[key] = counts.get(key, 0) + 1
    out = []
    for (pipeline_id, stage_id), n in sorted(
        counts.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1] or 0)
    ):
        pipeline, stage = st.lookups.pipeline(pipeline_id), st.lookups.stage(stage_id)
        out.append(
            {
                "workflowId": pipeline_id,
                "workflowName": pipeline.name if pipeline else None,
                "workflowStageId": stage_id,
                "workflowStageName": stage.name if stage else None,
                "count": n,
            }
        )
    return out
