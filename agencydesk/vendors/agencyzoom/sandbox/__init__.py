"""The AgencyZoom sandbox: a faithful emulator of the API in
../shared/vendor-docs/agencyzoom-api.txt, for tests, the demo and ``agencydesk-sandbox``.

``create_sandbox(options)`` builds one; ``ENDPOINTS`` lists all 104 documented endpoints and
whether each is served; ``ASSUMPTIONS`` names what the document leaves open.
"""

from __future__ import annotations

from agencydesk.vendors.agencyzoom.sandbox.app import AgencyZoomSandbox, create_sandbox, endpoints
from agencydesk.vendors.agencyzoom.sandbox.assumptions import ASSUMPTIONS

ENDPOINTS = endpoints()
OFFERS_INSPECTOR = True  # GET /_sandbox/records/{kind}/{id} (sandbox/inspect.py)

__all__ = ["ASSUMPTIONS", "ENDPOINTS", "AgencyZoomSandbox", "create_sandbox"]
