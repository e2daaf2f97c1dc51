"""ConeCRM API sandbox (document: conecrm-api.txt, 42 endpoints).

``create_sandbox(options)`` gives a Starlette app answering like ``https://api.conecrm.com``.
There is no token endpoint in the document: the sandbox mints a JWT at start and reports it as
credential ``token`` (what a user would paste).
"""

from __future__ import annotations

from agencydesk.vendors.conecrm.sandbox.assumptions import ASSUMPTIONS
from agencydesk.vendors.conecrm.sandbox.endpoints import ENDPOINTS
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions


def create_sandbox(options: SandboxOptions) -> Sandbox:
    from agencydesk.vendors.conecrm.sandbox.app import build_sandbox

    return build_sandbox(options)


__all__ = ["ASSUMPTIONS", "ENDPOINTS", "OFFERS_INSPECTOR", "create_sandbox"]

OFFERS_INSPECTOR = True  # GET /_sandbox/records/{kind}/{id}: Sandbox.inspect (issue 15)
