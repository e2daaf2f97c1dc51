"""``agencydesk-sandbox``: run vendor sandboxes on loopback, or report their endpoint coverage.

    agencydesk-sandbox --vendor agencyzoom|lofty|agencybloc|conecrm|leadexec|all
        [--port N] [--seed S] [--size small|large] [--rate-scale F]
        [--latency-ms N] [--error-rate F] [--drop-rate F] [--malformed-rate F] [--burst-429 N]
    agencydesk-sandbox --coverage

Serving prints one JSON object per line per vendor (``vendor``, ``base_url`` and the
credentials that work against it) and runs until interrupted. With ``--port N`` and several
vendors, they get N, N+1, … in the order above. Vendors without a sandbox are reported on
stderr and skipped.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from typing import TextIO

from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.fleet import serve_vendors
from agencydesk.vendors.sandbox_kit.inspector import INSPECTOR_PATH
from agencydesk.vendors.sandbox_kit.registry import (
    DOCUMENTED_COUNTS,
    VENDORS,
    SandboxNotAvailable,
    documented_endpoints,
    offers_inspector,
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="agencydesk-sandbox", description=__doc__.split("\n")[0])
    p.add_argument("--vendor", choices=(*VENDORS, "all"), help="which sandbox(es) to serve")
    p.add_argument("--coverage", action="store_true", help="list documented endpoints served")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="first port (0: free ports)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--size", choices=("tiny", "small", "large"), default="small")
    p.add_argument("--rate-scale", type=float, default=1.0, help="divide rate windows by this")
    p.add_argument("--latency-ms", type=float, default=0.0)
    p.add_argument("--error-rate", type=float, default=0.0, help="fraction answered 5xx")
    p.add_argument("--drop-rate", type=float, default=0.0, help="fraction dropped mid-response")
    p.add_argument("--malformed-rate", type=float, default=0.0, help="fraction with cut JSON")
    p.add_argument("--burst-429", type=int, default=0, help="answer the next N requests 429")
    return p


def coverage(out: TextIO, err: TextIO) -> int:
    """Per vendor, each documented endpoint and whether it is served, and the sandbox-only
    inspector where the vendor's sandbox offers it; then the totals (documented endpoints only)."""
    total_served, total_documented = 0, 0
    summary = []
    for vendor in VENDORS:
        documented = DOCUMENTED_COUNTS[vendor]
        try:
            endpoints = documented_endpoints(vendor)
        except SandboxNotAvailable as exc:
            err.write(f"{vendor}: {exc}\n")
            endpoints = []
        except Exception as exc:  # a vendor's sandbox that fails to import must not hide others
            err.write(f"{vendor}: sandbox failed to load: {exc!r}\n")
            endpoints = []
        served = 0
        for e in endpoints:
            served += e.served
            mark = "served" if e.served else "-     "
            out.write(f"{vendor:<11} {mark} {e.method:<6} {e.path}  (L{e.doc_line})\n")
        if endpoints and offers_inspector(vendor):
            # Not the vendor's: never counted as served, never called by the clients.
            out.write(f"{vendor:<11} sandbox-only GET    {INSPECTOR_PATH}  (inspector)\n")
        documented = max(documented, len(endpoints))
        total_served += served
        total_documented += documented
        summary.append(f"{vendor}: {served}/{documented} served ({100 * served / documented:.1f}%)")
    out.write("\n".join(summary) + "\n")
    pct = 100 * total_served / total_documented
    out.write(f"total: {total_served}/{total_documented} served ({pct:.1f}%)\n")
    return 0


def _apply_faults(sandbox: Sandbox, args: argparse.Namespace) -> None:
    faults = sandbox.faults
    faults.latency_ms = args.latency_ms
    faults.error_rate = args.error_rate
    faults.drop_rate = args.drop_rate
    faults.malformed_rate = args.malformed_rate
    if args.burst_429:
        faults.burst_429(args.burst_429)


def run(args: argparse.Namespace, out: TextIO, err: TextIO, stop: threading.Event) -> int:
    vendors = VENDORS if args.vendor == "all" else (args.vendor,)
    options = SandboxOptions(seed=args.seed, size=args.size, rate_scale=args.rate_scale)
    with serve_vendors(vendors, options, args.host, args.port) as fleet:
        for vendor, why in fleet.skipped.items():
            err.write(f"{vendor}: skipped: {why}\n")
        for served in fleet.served:
            _apply_faults(served.sandbox, args)
            out.write(json.dumps(served.connection_info()) + "\n")
        out.flush()
        if not fleet.served:
            err.write("no sandbox could be started\n")
            return 1
        stop.wait()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.coverage:
        return coverage(sys.stdout, sys.stderr)
    if not args.vendor:
        _parser().error("--vendor or --coverage is required")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return run(args, sys.stdout, sys.stderr, stop)


if __name__ == "__main__":
    sys.exit(main())
