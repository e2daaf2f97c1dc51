"""``agencydesk-sandbox`` as a user runs it: a subprocess serving a vendor until interrupted, and
the coverage report."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.sandbox
CLI = [sys.executable, "-m", "agencydesk.vendors.sandbox_cli"]


@contextmanager
def serving(*args: str) -> Iterator[tuple[dict[str, Any], subprocess.Popen[str]]]:
    """Start the command, yield its first JSON line, interrupt it like Ctrl+C at the end."""
    with subprocess.Popen(  # noqa: S603 - our own command line
        [*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            yield json.loads(proc.stdout.readline()), proc
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=10)


def test_serves_agencyzoom_until_interrupted() -> None:
    with serving("--vendor", "agencyzoom", "--seed", "3", "--rate-scale", "10") as (line, proc):
        assert line["vendor"] == "agencyzoom"
        assert line["base_url"].startswith("http://127.0.0.1:")
        r = httpx.post(
            f"{line['base_url']}/v1/api/auth/login",
            json={"username": line["username"], "password": line["password"]},
        )
        assert r.status_code == 200
        assert "jwt" in r.json()
    assert proc.returncode == 0


def test_fault_flags_reach_the_sandbox() -> None:
    with serving("--vendor", "agencyzoom", "--burst-429", "1") as (line, _proc):
        base = line["base_url"]
        assert httpx.get(f"{base}/v1/api/carriers").status_code == 429
        assert httpx.get(f"{base}/v1/api/carriers").status_code == 401


def test_coverage_lists_every_endpoint_and_totals() -> None:
    done = subprocess.run(  # noqa: S603 - our own command line
        [*CLI, "--coverage"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert any(
        re.match(r"agencyzoom\s+served\s+POST\s+/v1/api/auth/login\s+\(L141\)", x) for x in lines
    )
    az = next(x for x in lines if x.startswith("agencyzoom: "))
    served, documented = map(int, re.findall(r"(\d+)/(\d+)", az)[0])
    assert documented == 104
    assert served >= 89  # 85 %
    total = lines[-1]
    assert total.startswith("total: ")
    assert re.search(r"/295 served", total)
