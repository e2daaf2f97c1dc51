"""Serving several sandboxes at once, as the demo and ``--vendor all`` do."""

from __future__ import annotations

import httpx
import pytest

from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.fleet import serve_vendors

pytestmark = pytest.mark.sandbox


def test_serves_what_exists_and_skips_the_rest_with_a_reason() -> None:
    with serve_vendors(["agencyzoom", "salesforce"], SandboxOptions(seed=7)) as fleet:
        assert [s.vendor for s in fleet.served] == ["agencyzoom"]
        assert "unknown vendor" in fleet.skipped["salesforce"]
        info = fleet.get("agencyzoom").connection_info()
        assert set(info) >= {"vendor", "base_url", "username", "password"}
        r = httpx.post(
            f"{info['base_url']}/v1/api/auth/login",
            json={"username": info["username"], "password": info["password"]},
        )
        assert r.status_code == 200
