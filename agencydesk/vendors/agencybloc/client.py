"""Typed async calls to AgencyBloc AMS+'s Policies API
(../shared/vendor-docs/agencybloc-policies-api.txt, "L…").

Every call is a POST whose parameters travel in the body: "Parameters found in the querystring
of the request will be ignored" (L9, L134). The document gives no authentication; AgencyBloc's
public "Making API Requests" page (vendor-notes agencybloc.md §2) puts ``sid`` and ``key`` in the
same ``application/x-www-form-urlencoded`` body on every call, never in the URL, so the
credentials are added to each form here and never reach a query string or a log line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.base import VendorHttp
from agencydesk.vendors.client_kit.created_ids import real_id
from agencydesk.vendors.client_kit.limiter import AccountLimiter

VENDOR = "agencybloc"
ENVELOPE = "Agencybloc Response"  # the envelope key really has a space and a lower-case b (L72)
PATH = "/api/v1/policies"


@dataclass(frozen=True, slots=True)
class WriteAnswer:
    policy_id: str  # a string in the envelope, an integer in search and detail (L72, L106)
    action: str


def _exception(response: httpx.Response) -> tuple[str, str] | None:
    """(Title, Message) of the documented exception envelope (L185-L187), if that is the body."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get(ENVELOPE), dict):
        return None
    found = body[ENVELOPE].get("Exception")
    if not isinstance(found, dict):
        return None
    return str(found.get("Title") or ""), str(found.get("Message") or "")


def _classify(response: httpx.Response) -> errors.VendorError | None:
    """The exception envelope's message is the useful text; the status still picks the error
    (the document lists no codes, L185)."""
    found = _exception(response)
    if found is None or response.status_code in (408, 429) or response.status_code >= 500:
        return None
    title, message = found
    text = f"{title}: {message}" if title else message
    status = response.status_code
    if status == 401:
        return errors.AuthenticationFailed(VENDOR, f"sid/key refused ({text})", status=status)
    if status == 403:
        return errors.PermissionDenied(VENDOR, text, status=status)
    if status == 404:
        return errors.NotFound(VENDOR, text, status=status)
    return errors.ValidationFailed(VENDOR, text, status=status)


class AgencyBlocClient:
    def __init__(
        self,
        base_url: str,
        http: httpx.AsyncClient,
        limiter: AccountLimiter | None,
        *,
        sid: str,
        key: str,
    ) -> None:
        self.sid = sid
        self._key = key
        self.http = VendorHttp(
            VENDOR, base_url, http, None, limiter, display_name="AgencyBloc", classify=_classify
        )

    async def _post(
        self, action: str, params: dict[str, str], *, fg: bool, idempotent: bool = True
    ) -> Any:
        """Every call is a POST, but search, detail and update (which sets values) may be sent
        again after a lost answer; only create may not (it would make a second policy)."""
        form = {"sid": self.sid, "key": self._key, **params}
        return await self.http.request_json(
            "POST", f"{PATH}/{action}", data=form, foreground=fg, idempotent=idempotent
        )

    async def search(
        self,
        *,
        updated_since: str | None = None,
        limit: int = 0,
        fg: bool = False,
        policy_number: str = "",
    ) -> list[Any]:
        """POST …/search (L73). ``limit`` 0 returns every policy (L90; otherwise 50 by default);
        ``updated_since`` (MM/DD/YYYY, L91) keeps policies "modified on or after" it (L87). A
        bare array, no total and no paging (L104-L107)."""
        params = {"limit": str(limit)}
        if updated_since:
            params["updatedDTM"] = updated_since
        if policy_number:
            params["policyNumber"] = policy_number  # a documented search filter (L73-L91)
        answer = await self._post("search", params, fg=fg)
        if not isinstance(answer, list):
            raise errors.BadPayload(VENDOR, "", "policy search: expected a list")
        return answer

    async def detail(self, policy_id: str, *, fg: bool = False) -> dict[str, Any]:
        """POST …/detail with ``policyID`` (L108-L114): a bare object, PascalCase (L117)."""
        answer = await self._post("detail", {"policyID": policy_id}, fg=fg)
        if not isinstance(answer, dict):
            raise errors.BadPayload(VENDOR, policy_id, "policy detail: expected an object")
        return answer

    async def create(self, params: dict[str, str]) -> WriteAnswer:
        """POST …/create (L5): entityID, entityTypeID, policyCoverageType, policyStatus and
        carrier are required (L10-L16)."""
        answer = await self._post("create", params, fg=True, idempotent=False)
        return self._written(answer, "create")

    async def update(self, policy_id: str, params: dict[str, str]) -> WriteAnswer:
        """POST …/update (L130): only ``policyID`` is required; what is left out stays."""
        answer = await self._post("update", {"policyID": policy_id, **params}, fg=True)
        return self._written(answer, "update")

    def _written(self, answer: Any, action: str) -> WriteAnswer:
        """``{"Agencybloc Response": {"Status": "200", "policyID": "123456", "Action": …}}``."""
        body = answer.get(ENVELOPE) if isinstance(answer, dict) else None
        if action == "create" and isinstance(body, dict) and str(body.get("Status")) == "200":
            # Made: an id of 0 or none is never read with, and the create never sent again.
            real_id(VENDOR, body, numeric=True, key="policyID")
        if not isinstance(body, dict) or not str(body.get("policyID") or "").strip().isdigit():
            raise errors.BadPayload(VENDOR, "", f"policy {action}: no policyID in the answer")
        if str(body.get("Status") or "200") != "200":
            raise errors.ValidationFailed(VENDOR, f"policy {action}: status {body.get('Status')}")
        return WriteAnswer(str(body["policyID"]).strip(), str(body.get("Action") or action))
