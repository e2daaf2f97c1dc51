"""Seeds the lead buyers: clients, their delivery methods and accounts, orders, and the
distribution lists that route leads to them."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from agencydesk.vendors.leadexec.sandbox import catalog
from agencydesk.vendors.leadexec.sandbox.records import (
    Client,
    Criterion,
    DeliveryAccount,
    DeliveryMethod,
    Order,
    OrderItem,
)
from agencydesk.vendors.leadexec.sandbox.records_leads import DistributionList, ListItem
from agencydesk.vendors.leadexec.sandbox.state import LeadExecState
from agencydesk.vendors.sandbox_kit.people import Population

PRICES = {101: 18.0, 102: 24.0, 103: 32.0, 104: 27.0, 105: 45.0}
STATUS_WEIGHTS = (("Active", 72), ("Pending", 7), ("Inactive", 7), ("Suspended", 7), ("Closed", 7))


def method_fields(name: str) -> dict[str, Any]:
    """The delivery method settings the sandbox stores but does not act on (L2306-L2331)."""
    return {
        "XML": "",
        "EmailTemplate": "",
        "EmailSubject": f"New lead: {name}",
        "FTPUser": "",
        "FTPPassword": "",
        "FTPPath": "",
        "EmailAddress": "",
        "useRegEx": False,
        "ResponseSearch": "success",
        "DeliveryAddress": "https://crm.example/leads/intake",
        "SMTPServer": "",
        "SMTPAuth": False,
        "SMTPUsername": "",
        "SMTPPassword": "",
        "fAddress": "",
        "tAddress": "",
        "EmailNotify": False,
        "NotifyCC": "",
        "NotifyBCC": "",
        "NotifyEmail": "",
        "ClientEmail": "",
    }


def default_settings(state: LeadExecState, method: DeliveryMethod) -> list[dict[str, Any]]:
    """One "Lead Field" mapping (FieldType 1, L1473) per field of the method's lead type."""
    settings = []
    for lead_field in state.fields_of(method.lead_type_uid):
        settings.append(
            {
                "DeliverySettingUID": state.next_id("setting"),
                "DeliveryUID": method.uid,
                "Delete": False,
                "Format": "",
                "FieldType": 1,
                "FieldName": lead_field.descriptor.lower(),
                "Value": "",
                "LeadFieldUID": lead_field.uid,
                "Expr": "",
                "hasMap": False,
                "FieldMappings": [],
            }
        )
    return settings


def _client(state: LeadExecState, population: Population, rng: random.Random, i: int) -> Client:
    places = list(catalog.PLACES)
    if i == 0:  # the population's own agency buys leads here too
        producer = population.producers[0]
        company, first, last = "Summit Insurance Group", producer.first_name, producer.last_name
        email, phone, (city, st) = "leads@summitinsure.com", producer.phone, places[0]
        status = "Active"
    else:
        person = population.people[(i * 7919) % len(population.people)]
        first, last = person.first_name, person.last_name
        company = f"{last} {rng.choice(catalog.AGENCY_WORDS)}"
        email = f"{first}.{last}@{last}agency.example".lower().replace("'", "")
        phone, (city, st) = person.phone, rng.choice(places)
        status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
    uid = state.next_id("client")
    client = Client(
        uid=uid,
        date_added=population.epoch - timedelta(days=rng.randint(30, 2500), minutes=uid % 600),
        status=status,
        username=f"{company.split()[0].lower()}{uid}",
        password=f"pw-{rng.randint(100000, 999999)}",
        group_uid=rng.choice((0, 11, 12, 12, 13)),
        automation_type=rng.choice(("Price", "Priority", "RoundRobin")),
        priority=rng.randint(0, 10),
        notes=rng.choice(("", "", "Prefers exclusive leads", "Net 30 billing")),
        override_reassign=rng.random() < 0.3,
        mfa_email=email,
    )
    zip_prefix = catalog.PLACES[(city, st)][0]
    client.values = {
        301: company,
        302: first,
        303: last,
        304: email,
        305: phone.removeprefix("+1"),
        306: f"{rng.randint(100, 9800)} Main St",
        307: city,
        308: st,
        309: f"{zip_prefix}{rng.randint(0, 99):02d}",
        310: f"https://www.{company.split()[0].lower()}agency.example",
        311: f"LIC-{rng.randint(1000000, 9999999)}",
        312: rng.choice(("Email", "Phone", "Text")),
    }
    if rng.random() < 0.7:
        client.card_last4 = f"{rng.randint(0, 9999):04d}"
        client.card_exp = f"**/{rng.randint(27, 31)}"
    return client


def seed_buyers(
    state: LeadExecState, population: Population, rng: random.Random, count: int
) -> None:
    for i in range(count):
        client = _client(state, population, rng, i)
        state.clients[client.uid] = client
        n_types = 3 if i == 0 else rng.choice((1, 1, 2, 3))
        for lead_type in rng.sample(sorted(PRICES), n_types) if i else (101, 102, 103):
            _method_and_accounts(state, population, rng, client, lead_type)
    for client in state.clients.values():
        _orders(state, population, rng, client)


def _method_and_accounts(
    state: LeadExecState, population: Population, rng: random.Random, client: Client, lt: int
) -> None:
    name = state.lead_types[lt].descriptor
    method = DeliveryMethod(
        uid=state.next_id("method"),
        client_uid=client.uid,
        type=rng.choice((0, 0, 2, 5)),
        name=f"{name} Post",
        status=True,
        date_added=client.date_added + timedelta(days=1),
        lead_type_uid=lt,
        fields=method_fields(name),
    )
    method.field_settings = default_settings(state, method)
    method.delivery_days = [
        {
            "DeliveryDayUID": state.next_id("day"),
            "DeliveryUID": method.uid,
            "WeekDay": day,
            "StaticDate": None,
            "StartTime": "2020-01-01T08:00:00Z",
            "EndTime": "2020-01-01T18:00:00Z",
            "Allow": True,
        }
        for day in range(1, 6)
    ]
    state.methods[method.uid] = method
    kinds = [0] + ([2] if rng.random() < 0.3 else []) + ([1] if rng.random() < 0.15 else [])
    for kind in kinds:
        price = round(PRICES[lt] * rng.uniform(0.7, 1.5) * (2.5 if kind == 2 else 1), 2)
        account = DeliveryAccount(
            uid=state.next_id("account"),
            client_uid=client.uid,
            delivery_uid=method.uid,
            description=f"{name} {('General', 'Redirect', 'Live Transfer', 'IVR')[kind]}",
            price=price,
            account_type=kind,
            status=12 if rng.random() < 0.9 else rng.choice((9, 10, 11)),
            use_order=rng.random() < 0.35,
            automation_enabled=rng.random() < 0.85,
            redirect_url="https://quotes.example/thank-you" if kind == 1 else "",
            agent_name=f"{client.values[302]} {client.values[303]}" if kind == 2 else "",
            agent_phone=client.values[305] if kind == 2 else "",
            day_max=rng.choice((-1, -1, -1, 50, 200)),
        )
        if rng.random() < 0.5:
            state_field = next(f for f in state.fields_of(lt) if f.descriptor == "State")
            home = client.values[308]
            other = rng.choice([st for _c, st in catalog.PLACES if st != home])
            account.criteria.append(
                Criterion(
                    state.next_id("criteria"),
                    state_field.uid,
                    "FieldValue",
                    "",
                    "In",
                    f"{home},{other}",
                )
            )
        state.accounts[account.uid] = account


def _orders(state: LeadExecState, population: Population, rng: random.Random, c: Client) -> None:
    accounts = state.accounts_of(c.uid)
    if not any(a.use_order for a in accounts) and rng.random() < 0.5:
        return
    start = population.epoch - timedelta(days=rng.randint(60, 400))
    items = [
        OrderItem(
            state.next_id("order_item"),
            a.uid if rng.random() < 0.7 else 0,
            rng.choice((50, 100, 250, 500)),
            True,
            a.price,
        )
        for a in accounts[:2]
    ]
    order = Order(
        state.next_id("order"),
        c.uid,
        start,
        start + timedelta(days=900),
        "Open",
        rng.choice(("No_Renewal", "On_End", "On_Qty_Fill")),
        rng.random() < 0.5,
        items,
    )
    state.add_order(order)
    if rng.random() < 0.4:
        old_start = start - timedelta(days=365)
        old = Order(
            state.next_id("order"),
            c.uid,
            old_start,
            start,
            "Closed",
            "No_Renewal",
            False,
            [
                OrderItem(
                    state.next_id("order_item"),
                    0,
                    100,
                    True,
                    accounts[0].price,
                    100,
                    round(100 * accounts[0].price, 2),
                )
            ],
        )
        state.add_order(old)


def seed_lists(state: LeadExecState, rng: random.Random) -> None:
    active = [c.uid for c in state.clients.values() if c.status == "Active"]
    names = dict((abbr, name) for name, abbr in catalog.US_STATES)
    for lt, key, description in (
        (101, "State", "Auto State Routing"),
        (102, "Zip", "Home Zip Routing"),
    ):
        lead_field = next(f for f in state.fields_of(lt) if f.descriptor == key)
        dist = DistributionList(
            state.next_id("list"),
            lt,
            lead_field.uid,
            description,
            key,
            default_client=active[0],
            depend_field=0 if key == "State" else lead_field.uid - 7,
            value="" if key == "State" else "United States",
            link_field_text="" if key == "State" else "Country",
        )
        if key == "State":
            values = sorted({st for _c, st in catalog.PLACES})
            pairs = [(names[v], v) for v in values]
        else:
            pairs = [
                (f"{city} {prefix}{n:02d}", f"{prefix}{n:02d}")
                for (city, _st), (prefix, *_r) in list(catalog.PLACES.items())[:5]
                for n in (1, 2)
            ]
        for desc, value in pairs:
            item = ListItem(state.next_id("list_item"), dist.uid, desc, tag1=value[:2], value=value)
            item.assigned = rng.sample(active, rng.choice((0, 1, 1, 2)))
            dist.items[item.uid] = item
        state.lists[dist.uid] = dist
