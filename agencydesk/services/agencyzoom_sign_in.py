"""AgencyZoom's V4SSO code flow (agencyzoom-api.txt L241, L266), for the account form and the CLI
alike: the client asks for the vendor's sign-in page, the user signs in there and gives back the
code it shows (the caller decides how: a dialog, a terminal), and the client turns it into a JWT
that goes to the keyring with the account. Only how the code is asked differs between callers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from agencydesk.vendors.agencyzoom.client import AgencyZoomClient
from agencydesk.vendors.agencyzoom.connector import AgencyZoomConnector
from agencydesk.vendors.client_kit.errors import AuthenticationFailed
from agencydesk.vendors.client_kit.limiter import AccountLimiter

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
