"""Which delivery accounts may take a lead, and sending it (the scanner, L847-L1215).

A client's delivery account takes a lead when: the client is Active, the account is Open (12,
L1385), its delivery method's lead type is the lead's, its account type fits the scan (L861),
its FieldValue criteria hold for the lead's values, the client has not bought the lead yet, its
hour/day/week/month maxes are not reached (-1 = none, L1375) and, with ``useOrder``, an open order
has room. Expression/Function criteria are not evaluated (assumption).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from agencydesk.vendors.leadexec.sandbox.records import DeliveryAccount, Order, OrderItem
from agencydesk.vendors.leadexec.sandbox.records_leads import Lead, ScanLog, Send
from agencydesk.vendors.leadexec.sandbox.wire import PACIFIC

if TYPE_CHECKING:
    from agencydesk.vendors.leadexec.sandbox.state import LeadExecState

SCAN_TYPES = {"General": 0, "Redirect": 1, "LiveCall": 2, "IVR": 3}  # L861-L864 -> L1391-L1395


@dataclass(slots=True)
class Match:
    account: DeliveryAccount
    order: Order | None
    item: OrderItem | None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def criterion_holds(operator: str, wanted: str, actual: str) -> bool:
    a, w = actual.strip().lower(), wanted.strip().lower()
    values = [v.strip() for v in w.replace("|", ",").split(",") if v.strip()]
    na, nw = _number(a), _number(w)
    numeric = na is not None and nw is not None
    if operator == "Equal":
        return a == w
    if operator == "NotEqual":
        return a != w
    if operator == "In":
        return a in values
    if operator == "NotIn":
        return a not in values
    if operator == "Contains":
        return w in a
    if operator == "Doesnt_Contain":
        return w not in a
    if operator == "Between" and na is not None and len(values) == 2:
        lo, hi = (_number(v) for v in values)
        return lo is not None and hi is not None and lo <= na <= hi
    if numeric and na is not None and nw is not None:
        return {
            "Greater": na > nw,
            "Less": na < nw,
            "GreaterOrEqual": na >= nw,
            "LessOrEqual": na <= nw,
        }.get(operator, True)
    return True  # DateCompare, Distance_Compare and non-numeric comparisons: not evaluated


def criteria_hold(state: LeadExecState, account: DeliveryAccount, values: dict[str, str]) -> bool:
    for crit in account.criteria:
        lead_field = state.lead_fields.get(crit.lead_field_uid)
        if crit.type != "FieldValue" or lead_field is None:
            continue
        if lead_field.descriptor not in values:
            continue
        if not criterion_holds(crit.operator, crit.value, values[lead_field.descriptor]):
            return False
    return True


def _over_max(state: LeadExecState, account: DeliveryAccount, now: datetime) -> bool:
    if max(account.hour_max, account.day_max, account.week_max, account.month_max) < 0:
        return False
    local = now.astimezone(PACIFIC)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    windows = (
        (account.hour_max, now - timedelta(hours=1)),
        (account.day_max, day_start),
        (account.week_max, day_start - timedelta(days=(local.weekday() + 1) % 7)),
        (account.month_max, day_start.replace(day=1)),
    )
    times = state.sent_times.get(account.uid, [])
    upto = bisect.bisect_right(times, now)
    return any(
        limit >= 0 and upto - bisect.bisect_left(times, since) >= limit for limit, since in windows
    )


def order_for(
    state: LeadExecState, account: DeliveryAccount, now: datetime
) -> tuple[Order, OrderItem] | None:
    for order in state.orders_by_client.get(account.client_uid, ()):
        if order.status != "Open":
            continue
        if order.start > now or (order.end is not None and order.end < now):
            continue
        for item in order.items:
            fits = item.account_uid in (0, account.uid)
            if fits and (not item.constrain_quantity or item.sent_qty < item.qty):
                return order, item
    return None


def _log(state: LeadExecState, lead: Lead, now: datetime, text: str) -> None:
    state.scan_logs.append(ScanLog(lead.uid, now, text))


def sell_count(state: LeadExecState, lead: Lead) -> int:
    return sum(1 for s in state.sends_of(lead.uid) if s.is_valid)


def max_sell(state: LeadExecState, lead: Lead) -> int:
    campaign = state.campaigns.get(lead.campaign_uid)
    return campaign.max_sell if campaign else 1


def scan(
    state: LeadExecState,
    lead: Lead,
    now: datetime,
    *,
    account_type: int = 0,
    automated: bool = False,
    allow_over_max: bool = False,
    ignore_exclusive: bool = False,
    only_clients: set[int] | None = None,
    candidates: Iterable[DeliveryAccount] | None = None,
    verbose: bool = True,
) -> list[Match]:
    """``candidates`` narrows the accounts looked at (seeding passes those of the lead type);
    ``verbose`` logs each refused account."""
    _log(state, lead, now, f"Scan started (account type {account_type}).")
    if not allow_over_max and sell_count(state, lead) >= max_sell(state, lead):
        _log(state, lead, now, "Lead is at its max sell count; scan stopped.")
        return []
    bought = {s.client_uid for s in state.sends_of(lead.uid) if s.is_valid}
    campaign = state.campaigns.get(lead.campaign_uid)
    exclusive = int(campaign.fields.get("ExclusiveClientUID") or 0) if campaign else 0
    if exclusive and exclusive in bought and not ignore_exclusive:
        _log(state, lead, now, f"Lead already sent to exclusive client {exclusive}.")
        return []
    matches: list[Match] = []
    for account in state.accounts.values() if candidates is None else candidates:
        if account.account_type != account_type or account.status != 12:
            continue
        if state.account_lead_type(account) != lead.lead_type_uid:
            continue
        client = state.clients.get(account.client_uid)
        if client is None or client.status != "Active" or client.uid in bought:
            continue
        if only_clients is not None and client.uid not in only_clients:
            continue
        if automated and not account.automation_enabled:
            continue
        refusal = ""
        found = None
        if not criteria_hold(state, account, lead.values):
            refusal = "outside criteria"
        elif not allow_over_max and _over_max(state, account, now):
            refusal = "over its maximum"
        else:
            found = order_for(state, account, now)
            if account.use_order and found is None:
                refusal = "no open order"
        if refusal:
            if verbose:
                _log(state, lead, now, f"Account {account.uid}: {refusal}.")
            continue
        order, item = found if found else (None, None)
        matches.append(Match(account, order, item))
    matches.sort(key=lambda m: (-(m.item.price if m.item else m.account.price), m.account.uid))
    _log(state, lead, now, f"Scan found {len(matches)} matching account(s).")
    return matches


def deliver(state: LeadExecState, lead: Lead, match: Match, now: datetime, notes: str = "") -> Send:
    account, item = match.account, match.item
    price = item.price if item else account.price
    send = Send(
        lead_uid=lead.uid,
        client_uid=account.client_uid,
        account_uid=account.uid,
        delivery_uid=account.delivery_uid,
        date_sent=now,
        is_valid=True,
        response="Lead accepted",
        price=price,
        notes=notes,
        order_uid=match.order.uid if match.order else 0,
        order_item_uid=item.uid if item else 0,
    )
    state.add_send(send)
    if item is not None:
        item.sent_qty += 1
        item.sent_price += price
    state.clients[account.client_uid].last_sent = now
    _log(state, lead, now, f"Delivered to client {account.client_uid}, account {account.uid}.")
    return send


def auto_deliver(
    state: LeadExecState,
    lead: Lead,
    now: datetime,
    *,
    automated: bool = False,
    allow_over_max: bool = False,
    only_clients: set[int] | None = None,
    candidates: Iterable[DeliveryAccount] | None = None,
    verbose: bool = True,
) -> list[Send]:
    """A general scan, then sends up to the campaign's MaxSell (L1025)."""
    matches = scan(
        state,
        lead,
        now,
        automated=automated,
        allow_over_max=allow_over_max,
        only_clients=only_clients,
        candidates=candidates,
        verbose=verbose,
    )
    room = max_sell(state, lead) - sell_count(state, lead)
    if allow_over_max:
        room = max(room, 1)
    return [deliver(state, lead, m, now) for m in matches[: max(room, 0)]]


def run_due_automation(state: LeadExecState, now: datetime) -> None:
    """Queued automation (L1122, L1146) runs once the sandbox clock reaches its time, as an
    autosend restricted to automation-enabled accounts."""
    if not state.automation:
        return
    with state.lock:
        for job in state.automation:
            if not job.done and job.due <= now:
                job.done = True
                lead = state.leads.get(job.lead_uid)
                if lead is not None and (lead.delete_at is None or now < lead.delete_at):
                    auto_deliver(state, lead, now, automated=True)
        state.automation = [j for j in state.automation if not j.done]
