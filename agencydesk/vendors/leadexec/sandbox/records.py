"""The LeadExec sandbox's client-side records (buyers, their delivery set-up, orders); the
lead side is in ``records_leads``. Typed rows the routes read and change.

Field names are ours (snake_case); ``wire.py`` and each routes module turn them into the vendor's
own JSON names. Pass-through settings that have no behaviour here (a delivery method's FTP/SMTP
fields, a lead source's address) are kept as the vendor's JSON fields in ``fields``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class FieldEnum:
    uid: int
    field_uid: int
    descriptor: str
    priority: int


@dataclass(slots=True)
class ClientFieldDef:
    """A client field definition (L553-L650): name/contact data of a client lives here."""

    uid: int
    descriptor: str
    data_type: str
    special_bit: str
    required: bool = False
    validation: str = ""
    invalid_chars: str = ""
    format_error: str = ""
    format_string: str = ""
    is_state: bool = False
    enums: list[FieldEnum] = field(default_factory=list)


@dataclass(slots=True)
class Client:
    uid: int
    date_added: datetime  # aware UTC; served as Pacific wall time (L62)
    status: str
    username: str
    password: str
    user_uid: int = 0
    time_offset: int = -8
    time_zone_name: str = "Pacific Standard Time"
    notes: str = ""
    reseller_uid: int = 0
    group_uid: int = 0
    override_reassign: bool = False
    automation_type: str = "Price"
    priority: int = 0
    delivery_group_uid: int = 0
    mfa_phone: str = ""
    mfa_email: str = ""
    values: dict[int, str] = field(default_factory=dict)  # ClientFieldUID -> current value
    past_values: dict[int, list[str]] = field(default_factory=dict)
    last_sent: datetime | None = None
    card_last4: str | None = None  # primary payment method, if any
    card_exp: str = ""


@dataclass(slots=True)
class ClientGroup:
    uid: int
    description: str
    display_order: int


@dataclass(slots=True)
class Criterion:
    uid: int
    lead_field_uid: int
    type: str  # FieldValue | Expression | Function
    expression: str
    operator: str
    value: str


@dataclass(slots=True)
class DeliveryMethod:
    uid: int
    client_uid: int
    type: int
    name: str
    status: bool
    date_added: datetime
    lead_type_uid: int
    lead_cat_uid: int = 0
    in_testing: bool = False
    fields: dict[str, Any] = field(default_factory=dict)  # XML, EmailTemplate, FTP*, SMTP*...
    field_settings: list[dict[str, Any]] = field(default_factory=list)
    delivery_days: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class DeliveryAccount:
    uid: int
    client_uid: int
    delivery_uid: int
    description: str
    price: float
    account_type: int = 0  # 0 General, 1 Redirect, 2 Live Call, 3 800 IVR (L1391)
    status: int = 12  # 9 Closed, 10 Suspended, 11 OnHold, 12 Open (L1380)
    hour_max: int = -1  # -1 = no maximum (L1375)
    day_max: int = -1
    week_max: int = -1
    month_max: int = -1
    use_order: bool = False
    delivery_delay: int = 0
    redirect_url: str = ""
    automation_enabled: bool = True
    alternate_posting: int = 0
    agent_name: str = ""
    agent_phone: str = ""
    criteria: list[Criterion] = field(default_factory=list)


@dataclass(slots=True)
class OrderItem:
    uid: int
    account_uid: int  # 0 = any delivery account (L2601)
    qty: int
    constrain_quantity: bool
    price: float
    sent_qty: int = 0
    sent_price: float = 0.0


@dataclass(slots=True)
class Order:
    uid: int
    client_uid: int
    start: datetime
    end: datetime | None
    status: str
    renewal: str
    auto_charge: bool
    items: list[OrderItem] = field(default_factory=list)


@dataclass(slots=True)
class Payment:
    uid: int
    client_uid: int
    order_uid: int
    amount: float
    is_valid: bool
    response: str
    at: datetime
    charged: bool  # True: run against the card (L2713); False: logged only (L2681)
    card_number: str = ""
    exp_date: str = ""
