"""Requests per second the AgencyZoom sandbox answers on loopback (target: >= 500).

The sandbox runs as ``agencydesk-sandbox`` in its own process (so the client does not share a
GIL with it) with the rate limit scaled out of the way (``--rate-scale 100000``); the client
signs in, then keeps ``--concurrency`` requests in flight for ``--seconds``, mixing what the
app does most: lead pages, lead details, customer policies, a lookup.

    .venv/bin/python bench/bench_sandbox.py [--seconds 5] [--concurrency 16] [--size small]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import subprocess
import sys
import time
from itertools import count

import httpx


async def _bench(base: str, creds: dict[str, str], seconds: float, concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        r = await client.post(
            "/v1/api/auth/login",
            json={"username": creds["username"], "password": creds["password"]},
        )
        headers = {"Authorization": f"Bearer {r.json()['jwt']}"}
        calls = [
            lambda i: client.post("/v1/api/leads/list", json={"page": i % 10}, headers=headers),
            lambda i: client.get(f"/v1/api/leads/{i % 300 + 1}", headers=headers),
            lambda i: client.get(f"/v1/api/customers/{i % 200 + 1}/policies", headers=headers),
            lambda i: client.get("/v1/api/carriers", headers=headers),
        ]
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        numbers = count()
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                i = next(numbers)
                started = time.perf_counter()
                response = await calls[i % len(calls)](i)
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    rps = len(latencies) / elapsed
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    print(
        f"agencyzoom sandbox on loopback: {len(latencies)} requests in {elapsed:.1f} s "
        f"= {rps:.0f} requests/s (concurrency {concurrency}; p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms; statuses {statuses})"
    )
    print("target >= 500 requests/s:", "met" if rps >= 500 else "NOT met")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--size", choices=("small", "large"), default="small")
    args = parser.parse_args()
    command = [
        sys.executable,
        "-m",
        "agencydesk.vendors.sandbox_cli",
        "--vendor",
        "agencyzoom",
        "--size",
        args.size,
        "--rate-scale",
        "100000",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:  # noqa: S603
        try:
            assert proc.stdout is not None
            line = json.loads(proc.stdout.readline())
            asyncio.run(_bench(line["base_url"], line, args.seconds, args.concurrency))
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
