"""No documented operation of the Lofty sandbox answers 5xx to junk input: bad input is a 4xx."""

from __future__ import annotations

import re
from typing import Any

import pytest

from agencydesk.vendors.lofty.sandbox import ENDPOINTS
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.lofty_fixtures import a_lead_with, client, make_lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]

# Every request field name the sandbox reads, set to values of the wrong kind.
FIELDS = [
    "leadId",
    "firstName",
    "lastName",
    "emails",
    "phones",
    "source",
    "stage",
    "leadType",
    "leadTypes",
    "assignedUserId",
    "assignGroupId",
    "leadRouting",
    "welcomeEmail",
    "tags",
    "tagsAdd",
    "segments",
    "groups",
    "inquiry",
    "property",
    "leadTransaction",
    "customAttributeList",
    "leadFamilyMemberList",
    "content",
    "isPin",
    "birthday",
    "isPrivate",
    "type",
    "deadline",
    "assignedRole",
    "logType",
    "callingOutcome",
    "outboundOrInbound",
    "leadPhoneNumber",
    "startTime",
    "endTime",
    "offset",
    "limit",
    "teamView",
    "transactionType",
    "transactionId",
    "homePrice",
    "closeDate",
    "customFields",
    "commissions",
    "assiginee",
    "role",
    "id",
    "emailAddress",
    "groupId",
    "profileId",
    "permissions",
    "teamMemberUserId",
    "accountInfo",
    "workInfo",
    "name",
    "teamName",
    "email",
    "seatLimit",
    "callbackUrl",
    "listId",
    "attributeName",
    "attributeType",
    "params",
    "roleId",
    "assigneeAgentId",
    "assigneeGroupId",
    "touchMinutes",
    "activeHours",
    "routingStrategy",
    "message",
    "notificationType",
    "loftyWebsiteURL",
    "externalId",
    "price",
    "timeZoneId",
    "agentInfo",
    "created",
    "link",
    "priceMin",
    "bedroomsMin",
]
JUNK: tuple[Any, ...] = ({"x": [1]}, [1, "x", None], "x", -1.5, True)
BODIES: tuple[Any, ...] = (
    None,
    [],
    "text",
    7,
    *({name: junk for name in FIELDS} for junk in JUNK),
)


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


def concrete(lofty: Sandbox, path: str) -> str:
    lead_id = a_lead_with(lofty, "notes")
    values = {
        "leadId": lead_id,
        "transactionId": next(iter(lofty.state.transactions), 1),
        "noteId": next(iter(lofty.state.notes)),
        "taskId": next(iter(lofty.state.tasks)),
        "callId": next(iter(lofty.state.calls)),
        "logTypeId": next(iter(lofty.state.log_types)),
        "userId": lofty.state.owner_id,
        "account": lofty.state.owner["email"],
        "type": 1,
        "id": 61,
        "subscribeId": 1,
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
async def test_junk_never_gets_a_server_error(lofty: Sandbox, endpoint: Any) -> None:
    path = concrete(lofty, endpoint.path)
    async with client(lofty) as c:
        for body in BODIES:
            if endpoint.method in ("GET", "DELETE"):
                params = {name: "x" for name in FIELDS} if body else {"limit": "-3"}
                r = await c.request(endpoint.method, path, params=params)
            else:
                r = await c.request(endpoint.method, path, json=body)
            assert r.status_code < 500, (endpoint.method, path, body, r.status_code, r.text)
