"""AgencyBloc AMS+ Policies API sandbox (document: agencybloc-policies-api.txt).

``create_sandbox(options)`` gives a Starlette app that answers like ``https://app.agencybloc.com``
for the four documented policy resources, with ``sid``/``key`` credentials in a form body.
"""

from __future__ import annotations

from agencydesk.vendors.agencybloc.sandbox.assumptions import ASSUMPTIONS
from agencydesk.vendors.agencybloc.sandbox.endpoints import ENDPOINTS
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions


def create_sandbox(options: SandboxOptions) -> Sandbox:
    from agencydesk.vendors.agencybloc.sandbox.app import build_sandbox

    return build_sandbox(options)


__all__ = ["ASSUMPTIONS", "ENDPOINTS", "OFFERS_INSPECTOR", "create_sandbox"]

OFFERS_INSPECTOR = True  # GET /_sandbox/records/{kind}/{id}: Sandbox.inspect (issue 15)
