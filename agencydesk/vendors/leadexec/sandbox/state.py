"""The LeadExec sandbox's in-memory account: every table, its id counters and look-ups.

Ids are integers throughout (the document's "unique identifier" columns show ``integer``,
e.g. L152). Look-ups raise the sandbox's 404 so routes stay short.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from agencydesk.vendors.leadexec.sandbox.records import (
    Client,
    ClientFieldDef,
    ClientGroup,
    DeliveryAccount,
    DeliveryMethod,
    Order,
    Payment,
)
from agencydesk.vendors.leadexec.sandbox.records_leads import (
    AutomationJob,
    Campaign,
    DistributionList,
    Lead,
    LeadCategory,
    LeadField,
    LeadSource,
    LeadType,
    ScanLog,
    Send,
    ZipCode,
)
from agencydesk.vendors.leadexec.sandbox.wire import not_found

# ClientStatus in document order (L66-L75); the client list serialises it as this ordinal (L196).
CLIENT_STATUSES = (
    "New",
    "Pending",
    "Working",
    "Waiting",
    "Dead",
    "Inactive",
    "Active",
    "Late",
    "Suspended",
    "Closed",
)
SCHEDULED_DELETE_SECONDS = 60  # "schedule ... to be deleted" (L3533): assumption, one minute


@dataclass(slots=True)
class LeadExecState:
    account_uid: int = 1042
    client_fields: dict[int, ClientFieldDef] = field(default_factory=dict)
    clients: dict[int, Client] = field(default_factory=dict)
    groups: dict[int, ClientGroup] = field(default_factory=dict)
    methods: dict[int, DeliveryMethod] = field(default_factory=dict)
    accounts: dict[int, DeliveryAccount] = field(default_factory=dict)
    orders: dict[int, Order] = field(default_factory=dict)  # add through add_order (indexes)
    orders_by_client: dict[int, list[Order]] = field(default_factory=dict)
    payments: list[Payment] = field(default_factory=list)
    lead_types: dict[int, LeadType] = field(default_factory=dict)
    lead_fields: dict[int, LeadField] = field(default_factory=dict)
    categories: dict[int, LeadCategory] = field(default_factory=dict)
    leads: dict[int, Lead] = field(default_factory=dict)
    sends: list[Send] = field(default_factory=list)  # append through add_send (indexes)
    sends_by_lead: dict[int, list[Send]] = field(default_factory=dict)
    sends_by_account: dict[int, list[Send]] = field(default_factory=dict)
    sent_times: dict[int, list[datetime]] = field(default_factory=dict)  # account -> sorted
    scan_logs: list[ScanLog] = field(default_factory=list)
    automation: list[AutomationJob] = field(default_factory=list)
    sources: dict[int, LeadSource] = field(default_factory=dict)
    campaigns: dict[int, Campaign] = field(default_factory=dict)
    lists: dict[int, DistributionList] = field(default_factory=dict)
    states: list[tuple[int, str, str]] = field(default_factory=list)  # (StateUID, Name, Abbr)
    zips: list[ZipCode] = field(default_factory=list)
    two_factor: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _ids: dict[str, Iterator[int]] = field(default_factory=dict)

    # -- ids --
    def start_ids(self, kind: str, first: int) -> None:
        self._ids[kind] = itertools.count(first)

    def next_id(self, kind: str) -> int:
        return next(self._ids[kind])

    # -- look-ups that answer 404 --
    def client(self, uid: int) -> Client:
        if uid not in self.clients:
            raise not_found("Client", uid)
        return self.clients[uid]

    def lead(self, uid: int, now: datetime) -> Lead:
        lead = self.leads.get(uid)
        if lead is None or (lead.delete_at is not None and now >= lead.delete_at):
            raise not_found("Lead", uid)
        return lead

    def lead_type(self, uid: int) -> LeadType:
        if uid not in self.lead_types:
            raise not_found("Lead type", uid)
        return self.lead_types[uid]

    def account(self, client_uid: int, account_uid: int) -> DeliveryAccount:
        account = self.accounts.get(account_uid)
        if account is None or account.client_uid != client_uid:
            raise not_found("Delivery account", account_uid)
        return account

    def method(self, uid: int) -> DeliveryMethod:
        if uid not in self.methods:
            raise not_found("Delivery method", uid)
        return self.methods[uid]

    def source(self, uid: int) -> LeadSource:
        if uid not in self.sources:
            raise not_found("Lead source", uid)
        return self.sources[uid]

    def dist_list(self, uid: int) -> DistributionList:
        if uid not in self.lists:
            raise not_found("Distribution list", uid)
        return self.lists[uid]

    # -- derived --
    def fields_of(self, lead_type_uid: int) -> list[LeadField]:
        return [f for f in self.lead_fields.values() if f.lead_type_uid == lead_type_uid]

    def accounts_of(self, client_uid: int) -> list[DeliveryAccount]:
        return [a for a in self.accounts.values() if a.client_uid == client_uid]

    def account_lead_type(self, account: DeliveryAccount) -> int:
        method = self.methods.get(account.delivery_uid)
        return method.lead_type_uid if method else 0

    def sends_of(self, lead_uid: int) -> list[Send]:
        return self.sends_by_lead.get(lead_uid, [])

    def add_order(self, order: Order) -> None:
        self.orders[order.uid] = order
        self.orders_by_client.setdefault(order.client_uid, []).append(order)

    def add_send(self, send: Send) -> None:
        self.sends.append(send)
        self.sends_by_lead.setdefault(send.lead_uid, []).append(send)
        self.sends_by_account.setdefault(send.account_uid, []).append(send)
        if send.is_valid:
            bisect.insort(self.sent_times.setdefault(send.account_uid, []), send.date_sent)

    def client_value(self, client: Client, special_bit: str) -> str:
        for definition in self.client_fields.values():
            if definition.special_bit == special_bit:
                return client.values.get(definition.uid, "")
        return ""

    def client_name(self, client: Client) -> str:
        company = self.client_value(client, "Company")
        if company:
            return company
        first = self.client_value(client, "FirstName")
        return f"{first} {self.client_value(client, 'LastName')}".strip()

    def visible_leads(self, now: datetime) -> Iterator[Lead]:
        for lead in self.leads.values():
            if lead.delete_at is None or now < lead.delete_at:
                yield lead
