"""AgencyZoom's V4SSO code flow (agencyzoom-api.txt L241, L266), for the account form and the CLI
alike: the client asks for the vendor's sign-in page, the user signs in there and gives back the
code it shows (the caller decides how: a dialog, a terminal), and the client turns it into a JWT
that goes to the keyring with the account. Only how the code is asked differs between callers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from agencydesk.services.accounts import AccountDraft, CheckResult, explain
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.agencyzoom.client import AgencyZoomClient
from agencydesk.vendors.agencyzoom.connector import AgencyZoomConnector
from agencydesk.vendors.catalog import limiter_for, vendor_info
from agencydesk.vendors.client_kit.errors import AuthenticationFailed, VendorError
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.tls import new_http_client

# Given the sign-in page's absolute address, the code the user pasted ('' when they gave none).
AskCode = Callable[[str], Awaitable[str]]


class SignInCancelled(AuthenticationFailed):
    """The user gave no code."""

    def __init__(self) -> None:
        super().__init__("agencyzoom", "single sign-on cancelled, no code given")


@dataclass(frozen=True, slots=True)
class V4ssoSession:
    jwt: str  # the session token (keyring only)
    who: str  # who signed in, as the vendor says it ('' when not asked)


def sign_in_page(base_url: str, auth_url: str) -> str:
    """The sign-in page's address: the document does not say ``authUrl`` is absolute (L241), so
    a relative one is taken from the account's base address."""
    return urljoin(base_url.rstrip("/") + "/", auth_url)


async def v4sso_sign_in(
    label: str,
    base_url: str,
    http: httpx.AsyncClient,
    limiter: AccountLimiter | None,
    ask_code: AskCode,
    *,
    verify: bool = True,
) -> V4ssoSession:
    """Sign in through the code flow; with ``verify``, also ask who signed in (one call, the
    form's "Test connection"). Raises ``SignInCancelled`` or the vendor's typed errors."""

    async def code_for(auth_url: str) -> str:
        code = (await ask_code(sign_in_page(base_url, auth_url))).strip()
        if not code:
            raise SignInCancelled
        return code

    client = AgencyZoomClient(base_url, http, limiter, method="v4sso", sso_code=code_for)
    if verify:
        who = await AgencyZoomConnector(label, client).check()
    else:
        await client.auth.renew(stale=None)
        who = ""
    return V4ssoSession(str(client.auth.current or ""), who)


@dataclass(frozen=True, slots=True)
class V4ssoCheck:
    result: CheckResult  # what the form's "Test connection" says, naming the account
    jwt: str  # the session token when it succeeded ('' otherwise), for the keyring


async def check_v4sso(
    draft: AccountDraft,
    http: httpx.AsyncClient | None,
    ask_code: AskCode,
    registry: AccountRegistry | None = None,
    editing: AccountRow | None = None,
) -> V4ssoCheck:
    """Sign in through the code flow for the account form; never raises for what the vendor
    or the user did. An account being edited signs in on its own limiter (``registry``, the
    process's one); a new one, not yet in the registry, at the vendor's documented rate."""
    label, base_url = draft.label, draft.base_url
    limiter = await registry.limiter(editing) if registry and editing else None
    own = http is None
    client_http = http or new_http_client()
    try:
        session = await v4sso_sign_in(
            label, base_url, client_http, limiter or limiter_for(draft.vendor), ask_code
        )
        said = f"{label}: {session.who} (single sign-on)."
        return V4ssoCheck(CheckResult(label, True, said), session.jwt)
    except SignInCancelled:
        said = f"{label}: single sign-on cancelled, no code given."
    except VendorError as exc:
        said = explain(label, vendor_info(draft.vendor), base_url, exc)
    except httpx.HTTPError as exc:
        said = f"{label}: cannot reach {base_url} ({exc})."
    finally:
        if own:
            await client_http.aclose()
    return V4ssoCheck(CheckResult(label, False, said), "")
