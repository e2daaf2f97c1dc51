"""What every vendor sandbox shares: clock, rate limiter, fault injection, the shared population
of people, the served-endpoint registry, and running an app on loopback.

Using a sandbox from a test, the demo or a benchmark::

    from agencydesk.vendors.sandbox_kit.base import SandboxOptions
    from agencydesk.vendors.sandbox_kit.registry import create_sandbox
    from agencydesk.vendors.sandbox_kit.server import serve

    sandbox = create_sandbox("agencyzoom", SandboxOptions(seed=7, size="small"))
    sandbox.credentials            # {"username": ..., "password": ..., "api_token": ...}
    with serve(sandbox.app) as server:
        ...                        # talk to server.base_url over real HTTP
    # or in-process: httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app))

    sandbox.clock.set(datetime(2026, 3, 11, 4, 30, tzinfo=UTC))   # night-time limits
    sandbox.faults.burst_429(3); sandbox.faults.error_rate = 0.2  # faults, seeded
    sandbox.expire_tokens()                                       # every token dies now
    sandbox.edit_at_vendor("lead", 12, {"phone": "+15125550100"})  # a conflicting edit

From a shell: ``agencydesk-sandbox --vendor all`` (one JSON line per vendor with its base URL
and credentials) and ``agencydesk-sandbox --coverage``.
"""
