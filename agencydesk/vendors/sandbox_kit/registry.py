"""Which vendors have sandboxes, and creating one by name."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions

if TYPE_CHECKING:
    from agencydesk.vendors.sandbox_kit.base import Endpoint

VENDORS = ("agencyzoom", "lofty", "agencybloc", "conecrm", "leadexec")
# Endpoints each vendor's document describes (../shared/vendor-notes/README.md): 295 in all.
DOCUMENTED_COUNTS = {"agencyzoom": 104, "lofty": 80, "agencybloc": 4, "conecrm": 42, "leadexec": 65}


class SandboxNotAvailable(LookupError):
    """The vendor is known but its sandbox has not been written (or failed to import)."""


def _module(vendor: str):  # type: ignore[no-untyped-def]
    if vendor not in VENDORS:
        raise SandboxNotAvailable(f"unknown vendor {vendor!r}; known: {', '.join(VENDORS)}")
    name = f"agencydesk.vendors.{vendor}.sandbox"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            raise SandboxNotAvailable(f"no sandbox for {vendor} yet ({name} missing)") from exc
        raise
    if not hasattr(module, "create_sandbox"):
        raise SandboxNotAvailable(f"{name} has no create_sandbox(options)")
    return module


def create_sandbox(vendor: str, options: SandboxOptions | None = None) -> Sandbox:
    return _module(vendor).create_sandbox(options or SandboxOptions())  # type: ignore[no-any-return]


def documented_endpoints(vendor: str) -> list[Endpoint]:
    """The vendor's endpoint registry without building its data (module-level ENDPOINTS if the
    sandbox offers one, else from a small sandbox)."""
    module = _module(vendor)
    endpoints = getattr(module, "ENDPOINTS", None)
    if endpoints is not None:
        return list(endpoints)
    return create_sandbox(vendor, SandboxOptions()).endpoints


def offers_inspector(vendor: str) -> bool:
    """Whether the vendor's sandbox serves the sandbox-only inspector (``Sandbox.inspect`` set;
    a module-level ``OFFERS_INSPECTOR`` answers without building the sandbox's data)."""
    module = _module(vendor)
    declared = getattr(module, "OFFERS_INSPECTOR", None)
    if declared is not None:
        return bool(declared)
    return create_sandbox(vendor, SandboxOptions()).inspect is not None
