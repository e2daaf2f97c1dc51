"""Several vendor sandboxes served at once (the demo, ``agencydesk-sandbox --vendor all``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType

from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.registry import SandboxNotAvailable, create_sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer, serve


@dataclass(frozen=True, slots=True)
class ServedSandbox:
    vendor: str
    sandbox: Sandbox
    server: RunningServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def connection_info(self) -> dict[str, str]:
        """``vendor``, ``base_url`` and the credentials that work against it."""
        return {"vendor": self.vendor, "base_url": self.base_url, **self.sandbox.credentials}


@dataclass(slots=True)
class Fleet:
    served: list[ServedSandbox] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # vendor -> why

    def get(self, vendor: str) -> ServedSandbox:
        return next(s for s in self.served if s.vendor == vendor)

    def stop(self) -> None:
        for s in self.served:
            s.server.stop()

    def __enter__(self) -> Fleet:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_vendors(
    vendors: Iterable[str],
    options: SandboxOptions | None = None,
    host: str = "127.0.0.1",
    first_port: int = 0,
) -> Fleet:
    """Create and serve each vendor's sandbox (ports ``first_port``, +1, … or free ports with 0).
    A vendor whose sandbox is missing or fails to start is skipped with the reason, so one broken
    sandbox never stops the others."""
    fleet = Fleet()
    for n, vendor in enumerate(vendors):
        opts = options or SandboxOptions()
        try:
            sandbox = create_sandbox(vendor, opts)
        except SandboxNotAvailable as exc:
            fleet.skipped[vendor] = str(exc)
            continue
        except Exception as exc:  # another engineer's sandbox may be mid-work; keep going
            fleet.skipped[vendor] = f"sandbox failed to start: {exc!r}"
            continue
        server = serve(sandbox.app, host=host, port=first_port + n if first_port else 0)
        fleet.served.append(ServedSandbox(vendor, sandbox, server))
    return fleet
