"""What the widgets and the CLI know about the vendors, without reaching into vendors/: each
vendor's name, credentials and login methods (the catalog), the wording for a kind whose
"theirs" cannot be read, how a policy status is shown, the vendor error tree the services
raise, and the HTTP client to reach them with (the process's one TLS context). ui/ and cli/
import these from here (tests/test_layers.py forbids them vendors/), so a vendor's quirks and
modules can move without touching a widget."""

from __future__ import annotations

from agencydesk.vendors.catalog import (
    AGENCYZOOM_LOGIN_METHODS,
    NOT_FOR_V4SSO,
    VENDOR_INFO,
    CredentialField,
    VendorInfo,
    vendor_info,
)
from agencydesk.vendors.client_kit import errors as vendor_errors
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.connector import CANNOT_READ_THEIRS
from agencydesk.vendors.value_maps import ValueMapError, policy_status_shown

__all__ = [
    "AGENCYZOOM_LOGIN_METHODS",
    "CANNOT_READ_THEIRS",
    "NOT_FOR_V4SSO",
    "VENDOR_INFO",
    "CredentialField",
    "ValueMapError",
    "VendorInfo",
    "new_http_client",
    "policy_status_shown",
    "vendor_display",
    "vendor_errors",
    "vendor_info",
]


def vendor_display(vendor: str) -> str:
    """The vendor's name as the user knows it ("AgencyZoom"); an unknown one as stored."""
    info = VENDOR_INFO.get(vendor)
    return info.display_name if info else vendor
