"""What AgencyDesk knows about each vendor before any account exists: its name, its real API
host (configurable per account), the credentials it needs and its documented rate limit."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from agencydesk.vendors.connector import ConnectorFactory

if TYPE_CHECKING:
    from agencydesk.vendors.client_kit.limiter import AccountLimiter

CENTRAL = ZoneInfo("America/Chicago")


@dataclass(frozen=True, slots=True)
class CredentialField:
    name: str  # key in the secrets / settings dict, and the CLI flag (--client-id)
    label: str
    secret: bool  # True: keyring only; False: may be kept in the account's settings
    required: bool = True
    help: str = ""


@dataclass(frozen=True, slots=True)
class VendorInfo:
    vendor: str
    display_name: str
    base_url: str  # the vendor's real host; a sandbox on loopback is passed per account
    credentials: tuple[CredentialField, ...]
    rate_limit_per_minute: int | Callable[[datetime], int]
    rate_limit_note: str

    def limit_at(self, when: datetime) -> int:
        limit = self.rate_limit_per_minute
        return limit(when) if callable(limit) else limit

    def connector_factory(self) -> ConnectorFactory:
        """``create_connector`` of ``agencydesk.vendors.<vendor>.connector``."""
        module = importlib.import_module(f"agencydesk.vendors.{self.vendor}.connector")
        factory: ConnectorFactory = module.create_connector
        return factory


def agencyzoom_limit(when: datetime) -> int:
    """ "30 calls per minute during the day, 60 calls per minutes from 10PM CT to 4AM CT"
    (agencyzoom-api.txt L82)."""
    local = when.astimezone(CENTRAL).time()
    return 60 if local >= time(22) or local < time(4) else 30


# AgencyZoom's sign-in flows (agencyzoom-api.txt L141, L188, L241-L266); the first is the default.
AGENCYZOOM_LOGIN_METHODS = ("password", "sso", "v4sso")
# A V4SSO account signs in at the vendor's page, not with these (L241).
NOT_FOR_V4SSO = frozenset({"username", "password"})

# Vendors whose documents state no limit: an assumption, kept modest so we never hurt them.
UNSTATED_LIMIT = 600

VENDOR_INFO: dict[str, VendorInfo] = {
    "agencyzoom": VendorInfo(
        vendor="agencyzoom",
        display_name="AgencyZoom",
        # The document gives no host; its public collections use this one (vendor-notes §1).
        base_url="https://api.agencyzoom.com",
        credentials=(
            CredentialField("username", "Email", secret=False),
            CredentialField("password", "Password", secret=True),
            CredentialField(
                "api_token",
                "API token (policy create)",
                secret=True,
                required=False,
                # X-Api-Token (L1129). Help texts are shown in the Add-account form: words for
                # the user; the document's line numbers stay in these comments.
                help="needed only to create policies in AgencyZoom",
            ),
            CredentialField(
                "login_method",
                "Sign in with",
                secret=False,
                required=False,
                # password (L141), sso (L188), v4sso: the code flow (L241, L266)
                help="your AgencyZoom password, single sign-on, or sign-in at AgencyZoom's page",
            ),
            CredentialField(
                "jwt",
                "V4SSO session token",
                secret=True,
                required=False,
                help="filled in by signing in at AgencyZoom's page",  # the V4SSO JWT (L266)
            ),
        ),
        rate_limit_per_minute=agencyzoom_limit,
        rate_limit_note="30 calls a minute by day, 60 from 10 PM to 4 AM US Central",  # L82
    ),
    "lofty": VendorInfo(
        vendor="lofty",
        display_name="Lofty",
        base_url="https://api.lofty.com",  # lofty-api.txt L51
        credentials=(
            CredentialField("token", "Access token", secret=True),
            CredentialField(
                "vendor_key",
                "Vendor key",
                secret=True,
                required=False,
                help="raises Lofty's limit of 10 calls a minute",  # X-RateLimit-* then rule (L43)
            ),
            CredentialField(
                "api_key",
                "API key (old)",
                secret=True,
                required=False,
                help="lets AgencyDesk renew an expired access token",  # token-info/byold (L2243)
            ),
        ),
        # The first call's figure: with a vendorKey its X-RateLimit-Limit then rules (L50-L55).
        rate_limit_per_minute=10,
        # 10 calls/min without a vendorKey (L43); with one, the X-RateLimit-* headers (L50-L59).
        rate_limit_note="10 calls a minute; with a vendor key, what Lofty allows the key",
    ),
    "agencybloc": VendorInfo(
        vendor="agencybloc",
        display_name="AgencyBloc AMS+",
        base_url="https://app.agencybloc.com",
        credentials=(
            CredentialField("sid", "Site ID (sid)", secret=False),
            CredentialField("key", "API key", secret=True),
        ),
        rate_limit_per_minute=UNSTATED_LIMIT,
        rate_limit_note="not stated by the vendor; AgencyDesk keeps to 600 calls a minute",
    ),
    "conecrm": VendorInfo(
        vendor="conecrm",
        display_name="ConeCRM",
        base_url="https://api.conecrm.com",
        credentials=(
            CredentialField("token", "API token (JWT)", secret=True),
            CredentialField(
                "user_id",
                "ConeCRM user id (task assignee)",
                secret=False,
                required=False,
                help="the user new tasks are assigned to; no endpoint lists users",
            ),
        ),
        rate_limit_per_minute=UNSTATED_LIMIT,
        rate_limit_note="not stated by the vendor; AgencyDesk keeps to 600 calls a minute",
    ),
    "leadexec": VendorInfo(
        vendor="leadexec",
        display_name="LeadExec",
        base_url="https://api.leadexec.net",
        credentials=(
            CredentialField("client_id", "Client ID", secret=False),
            CredentialField("client_secret", "Client secret", secret=True),
        ),
        rate_limit_per_minute=UNSTATED_LIMIT,
        rate_limit_note="not stated by the vendor; AgencyDesk keeps to 600 calls a minute",
    ),
}


def vendor_info(vendor: str) -> VendorInfo:
    try:
        return VENDOR_INFO[vendor]
    except KeyError:
        known = ", ".join(sorted(VENDOR_INFO))
        raise ValueError(f"unknown vendor '{vendor}' (known: {known})") from None


def limiter_for(vendor: str, *, rate_scale: float = 1.0) -> AccountLimiter:
    """The account limiter at the vendor's documented limit. ``rate_scale`` shortens the window
    the same way a sandbox does (10.0: "30 per minute" becomes 30 per 6 s)."""
    from agencydesk.vendors.client_kit.limiter import AccountLimiter  # (asyncio: not at start)

    info = vendor_info(vendor)
    return AccountLimiter(info.rate_limit_per_minute, window_s=60.0 / rate_scale)
