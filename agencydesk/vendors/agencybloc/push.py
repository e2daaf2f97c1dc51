"""Sending local policy changes to AgencyBloc AMS+ (../shared/vendor-docs/agencybloc-policies-
api.txt, "L…"): create (L5) and update (L130); there is no delete. An update first reads the
policy's detail and raises ``Conflict`` when it changed since the edit was made on it."""

from __future__ import annotations

from agencydesk.domain import Policy, Record, RecordKind
from agencydesk.vendors.agencybloc import mapping as m
from agencydesk.vendors.agencybloc.changes import CHANGE_RULE
from agencydesk.vendors.agencybloc.client import AgencyBlocClient
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.values import Unreadable as FieldUnreadable
from agencydesk.vendors.connector import PushRequest


class AgencyBlocPusher:
    def __init__(self, account: str, client: AgencyBlocClient, dropdowns: m.Dropdowns) -> None:
        self.account = account
        self.client = client
        self.dropdowns = dropdowns

    async def push(self, request: PushRequest) -> Record | None:
        if request.kind is not RecordKind.POLICY:
            raise errors.ValidationFailed(
                m.VENDOR, f"AgencyBloc's Policies API has no {request.kind}s", status=None
            )
        if request.op == "delete":
            raise errors.ValidationFailed(
                m.VENDOR,
                "AgencyBloc's API cannot delete policies: set a cancelled status, or delete it "
                "in AMS+",
                status=None,
            )
        if request.op == "create":
            return await self._create(request)
        return await self._update(request)

    async def _learn_dropdowns(self) -> None:
        """The account's status and coverage names, read once (one search of every policy)."""
        if not self.dropdowns.known:
            for row in await self.client.search(limit=0, fg=True):
                if isinstance(row, dict):
                    self.dropdowns.learn_row(row)

    async def _update(self, r: PushRequest) -> Record:
        current = await self.client.detail(r.remote_id, fg=True)
        changed = CHANGE_RULE.changed(RecordKind.POLICY, r.base, current)
        if changed:
            raise errors.Conflict(
                m.VENDOR,
                f"policy {r.remote_id} changed in AgencyBloc since it was read "
                f"({', '.join(changed)})",
                theirs=current,
            )
        await self._learn_dropdowns()
        self.dropdowns.learn_row(current)
        params, refused = m.write_params(r.changes, self.dropdowns, current)
        _refuse(refused)
        if params:
            await self.client.update(r.remote_id, params)
        return await self._read_back(r.remote_id)

    async def _create(self, r: PushRequest) -> Record:
        policy = r.record
        if not isinstance(policy, Policy):
            raise errors.ValidationFailed(m.VENDOR, "a policy create needs the policy", status=None)
        holder_type, holder_id = _holder(r)
        await self._learn_dropdowns()
        fields = {
            "policy_number": policy.policy_number,
            "carrier": policy.carrier,
            "line_of_business": policy.line_of_business,
            "premium_cents": policy.premium_cents,
            "effective_date": policy.effective_date,
            "expiration_date": policy.expiration_date,
            "status": policy.status,
        }
        params, refused = m.write_params(fields, self.dropdowns, {})
        if not policy.carrier:
            refused["carrier"] = "AgencyBloc needs the full carrier name"  # L16
        _refuse(refused)
        params = {k: v for k, v in params.items() if v != ""}
        params.update({"entityID": holder_id, "entityTypeID": holder_type})
        answer = await self.client.create(params)
        return await self._read_back(answer.policy_id)

    async def _read_back(self, policy_id: str) -> Record:
        item = await self.client.detail(policy_id, fg=True)
        try:
            return m.policy_from(item, self.account, self.dropdowns.meanings)
        except FieldUnreadable as exc:
            raise errors.BadPayload(m.VENDOR, policy_id, str(exc)) from exc


def _holder(r: PushRequest) -> tuple[str, str]:
    """The Group or Individual the new policy belongs to (``entityTypeID`` + ``entityID``,
    L12-L13): the parent given as "Individual:200012", or the holder in the record's payload."""
    parent = r.parents.get("customer_id", "")
    if ":" in parent:
        kind, _, holder_id = parent.partition(":")
    else:
        raw = r.record.raw if r.record is not None else {}
        kind = str(r.changes.get("entityTypeID") or raw.get("HolderType") or "")
        holder_id = str(r.changes.get("entityID") or raw.get("HolderID") or "")
    if kind not in ("Group", "Individual") or not holder_id.isdigit():
        raise errors.ValidationFailed(
            m.VENDOR,
            # entityTypeID and entityID (L12)
            "an AgencyBloc policy needs its customer: the group or individual it belongs to",
            field_errors={"customer_id": "choose the AgencyBloc group or individual"},
            status=None,
        )
    return kind, holder_id


def _refuse(refused: dict[str, str]) -> None:
    if refused:
        detail = "; ".join(f"{name}: {why}" for name, why in refused.items())
        raise errors.ValidationFailed(m.VENDOR, detail, field_errors=refused, status=None)
