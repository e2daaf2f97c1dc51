"""Every endpoint of the AgencyBloc Policies document and whether the sandbox serves it."""

from __future__ import annotations

from agencydesk.vendors.sandbox_kit.base import Endpoint

DOCUMENT = "agencybloc-policies-api.txt"

ENDPOINTS: list[Endpoint] = [
    Endpoint("POST", "/api/v1/policies/create", 7, True, "Create a policy for a Group/Individual"),
    Endpoint("POST", "/api/v1/policies/search", 75, True, "Search policies (limit 50, 0 = all)"),
    Endpoint("POST", "/api/v1/policies/detail", 110, True, "Full detail of one policy"),
    Endpoint("POST", "/api/v1/policies/update", 132, True, "Update a policy (no delete exists)"),
]
