"""How LeadExec's connector sends one outbox change (leadexec-api.txt, "L…"). A client (lead
buyer) is created or changed with PATCH /v1/clients (L94): an update sends the client's current
``Info`` and every field value with the edit applied, after checking nothing changed at LeadExec
since the edit was made (there is no single-client read: the list, L143, and the client's fields,
L553). A found lead is deleted (scheduled, L3533). Nothing else can be written.
"""

from __future__ import annotations

import re
import secrets as secrets_module
from collections.abc import Callable
from datetime import datetime
from typing import Any

from agencydesk.domain import Customer, Record, RecordKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.created_ids import real_id
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import PushRequest
from agencydesk.vendors.leadexec import mapping as m
from agencydesk.vendors.leadexec.capabilities import CAPABILITIES
from agencydesk.vendors.leadexec.changes import CHANGE_RULE
from agencydesk.vendors.leadexec.client import VENDOR, LeadExecClient


class LeadExecPusher:
    def __init__(self, account: str, client: LeadExecClient, clock: Callable[[], datetime]) -> None:
        self.account = account
        self.client = client
        self._clock = clock
        self._definitions: list[Any] | None = None

    async def _field_definitions(self) -> list[Any]:
        if self._definitions is None:
            self._definitions = await self.client.field_definitions()
        return self._definitions

    async def push(self, request: PushRequest) -> Record | None:
        key = (request.kind, request.op)
        if key == (RecordKind.CUSTOMER, "update"):
            return await self._update_customer(request)
        if key == (RecordKind.CUSTOMER, "create"):
            return await self._create_customer(request)
        if key == (RecordKind.LEAD, "delete"):
            await self.client.delete_lead(request.remote_id)
            return None
        why = CAPABILITIES[request.kind].why_not or f"LeadExec's API cannot {request.op} this"
        raise errors.ValidationFailed(VENDOR, why, status=None)

    async def _current(self, remote_id: str) -> tuple[dict[str, Any], list[Any]]:
        """The client as LeadExec has it now: its list row (there is no single-client read)
        and its fields."""
        row = next(
            (r for r in await self.client.clients(fg=True) if _rid(r, "ClientUID") == remote_id),
            None,
        )
        if not isinstance(row, dict):
            raise errors.NotFound(VENDOR, f"client {remote_id} is no longer in LeadExec")
        return row, await self.client.client_fields(remote_id, fg=True)

    async def _update_customer(self, r: PushRequest) -> Record:
        extra = sorted(set(r.changes) - set(m.CUSTOMER_BITS))
        if extra:
            raise errors.ValidationFailed(
                VENDOR,
                f"LeadExec's API cannot change {', '.join(extra)} of a client",
                field_errors={f: "cannot be changed through LeadExec's API" for f in extra},
                status=None,
            )
        row, fields = await self._current(r.remote_id)
        changed = CHANGE_RULE.changed(RecordKind.CUSTOMER, r.base, {**row, m.FIELDS_KEY: fields})
        if changed:
            raise errors.Conflict(
                VENDOR,
                f"client {r.remote_id} changed in LeadExec since it was read "
                f"({', '.join(changed)})",
                theirs={**row, m.FIELDS_KEY: fields},
            )
        try:
            info = m.info_from_row(row)
        except FieldUnreadable as exc:
            raise errors.BadPayload(VENDOR, r.remote_id, str(exc)) from exc
        data = m.field_data(fields, r.changes, await self._field_definitions())
        await self.client.save_client({"Info": info, "FieldData": data})
        return m.customer_from(
            row, await self.client.client_fields(r.remote_id, fg=True), self.account
        )

    async def _create_customer(self, r: PushRequest) -> Record:
        customer = r.record
        assert isinstance(customer, Customer)
        values = {ours: getattr(customer, ours) for ours in m.CUSTOMER_BITS}
        definitions = await self._field_definitions()
        data = m.field_data([], {k: v for k, v in values.items() if v}, definitions)
        missing = m.missing_required(data, definitions)
        if missing:
            ours = {bit: name for name, bit in m.CUSTOMER_BITS.items()}
            raise errors.ValidationFailed(
                VENDOR,
                f"LeadExec needs {', '.join(missing)} for a new client",
                field_errors={ours.get(d, d): "required by LeadExec" for d in missing},
            )
        username = await self._free_username(customer)
        # A portal password is required for a new client (L83); the buyer resets it in LeadExec.
        password = secrets_module.token_urlsafe(12)
        info = m.new_client_info(username, password, self._clock())
        new_id = await self.client.save_client({"Info": info, "FieldData": data})
        # ClientUID is a number; 0 (the "create" value, L54) or none: made, not linkable.
        new_id = real_id(VENDOR, new_id, numeric=True)
        row, fields = await self._current(new_id)
        return m.customer_from(row, fields, self.account)

    async def _free_username(self, customer: Customer) -> str:
        """A portal username not in use (L82: unique for a new client; check L834)."""
        seed = customer.email.split("@")[0] or customer.business_name or customer.display_name
        base = re.sub(r"[^a-z0-9]", "", seed.lower())[:24] or "buyer"
        for n in range(20):
            candidate = base if n == 0 else f"{base}{n + 1}"
            if not await self.client.username_in_use(candidate):
                return candidate
        raise errors.ValidationFailed(VENDOR, f"no free portal username like '{base}'")


def _rid(item: Any, key: str) -> str:
    return str(item.get(key, "")).strip() if isinstance(item, dict) else ""
