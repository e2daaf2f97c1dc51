"""What a change may already have done in AgencyBloc (``ChecksWrites``), for an outbox entry
whose request went out but whose answer was never stored.

A policy is read back with ``POST …/detail`` (``policyID``, L108-L114; an unknown id answers
404). A new policy is looked up by its number with ``POST …/search`` (``policyNumber`` is one of
its filters, L73-L91; ``limit`` 0 returns every match, L90), each match matched exactly and read
in full. There is no delete (L130: a cancelled status instead)."""

from __future__ import annotations

from agencydesk.domain import Policy, Record, RecordKind
from agencydesk.vendors.agencybloc import mapping as m
from agencydesk.vendors.agencybloc.client import AgencyBlocClient
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import CannotReadBack, PushRequest


class AgencyBlocWriteCheck:
    def __init__(self, account: str, client: AgencyBlocClient) -> None:
        self.account = account
        self.client = client

    async def read_back(self, kind: RecordKind, remote_id: str) -> Record | None:
        if kind is not RecordKind.POLICY:
            raise CannotReadBack(f"AgencyBloc keeps no {kind} here")
        try:
            item = await self.client.detail(remote_id, fg=True)
        except errors.NotFound:
            return None
        return self._policy(item, remote_id)

    async def find_created(self, request: PushRequest) -> list[Record]:
        policy = request.record
        if not isinstance(policy, Policy):
            raise CannotReadBack(f"AgencyBloc cannot look a new {request.kind} up")
        number = policy.policy_number.strip()
        if not number:
            raise CannotReadBack("it has no policy number to look it up by")
        found: list[Record] = []
        for row in await self.client.search(limit=0, fg=True, policy_number=number):
            if not isinstance(row, dict):
                continue
            if str(row.get("policyNumber") or "").strip().casefold() != number.casefold():
                continue
            policy_id = str(row.get("policyID") or "")
            found.append(self._policy(await self.client.detail(policy_id, fg=True), policy_id))
        return found

    def _policy(self, item: dict[str, object], policy_id: str) -> Record:
        try:
            return m.policy_from(dict(item), self.account)
        except FieldUnreadable as exc:
            raise errors.BadPayload(m.VENDOR, policy_id, str(exc)) from exc
