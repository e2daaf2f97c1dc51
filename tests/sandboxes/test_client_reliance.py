"""Each vendor's ``sandbox/assumptions.py`` names every client dependency on a behaviour the
document leaves open, with the client code that relies on it (issue 15): that code exists, so
the list cannot silently drift from the client."""

from __future__ import annotations

import importlib

import pytest

VENDORS = ("lofty", "agencybloc", "conecrm", "leadexec")


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_reliance_names_client_code_that_exists(vendor: str) -> None:
    assumptions = importlib.import_module(f"agencydesk.vendors.{vendor}.sandbox.assumptions")
    relies = assumptions.CLIENT_RELIES_ON
    assert relies
    for what, where in relies:
        assert what.strip()
        module_name, _, qualified = where.partition(":")
        assert module_name.startswith("agencydesk.vendors.")
        assert ".sandbox" not in module_name  # client code, not the sandbox's own
        found: object = importlib.import_module(module_name)
        for part in qualified.split("."):
            found = getattr(found, part, None)
            assert found is not None, f"{vendor}: {where} does not exist"
        assert callable(found), where
