"""The team hub's vendor budget (issue 14, Speed): the hub syncs an AgencyZoom account whose
sandbox enforces the documented limit (30 calls a minute by day, 60 at night, L82/L88; windows
scaled by ``--scale``) while N desk processes follow the team book and some of them ship edits.
Prints, all from the same run:

- the hub's vendor calls for the full sync beside a single desk's full sync of the same book
  (the sandbox's same seed and size, unthrottled): N desks must cost what one does; and the
  hub's read alone (less the calls that sent desks' edits) beside it, with every kind of call
  (method and path) whose count differs from the single desk's;
- the hub's calls per minute against the scaled documented rate (target >= 95%), and the
  rate-limit (429) answers it got (target 0);
- how long a desk's edit took to reach the vendor (median, max), measured by reading the
  sandbox's stored record (the sandbox-only inspector, which is not rate-limited).

    .venv/bin/python bench/bench_team_rate.py [--desks 20] [--editors 4] [--size small]
        [--scale 20]

The sandbox runs in its own process over real HTTP on 127.0.0.1; PostgreSQL is started the way
the tests start it (tests/hub/pg_server.py); the hub runs in this process (``TeamHub.run``, what
``agencydesk hub`` runs); each desk is a process running ``DeskReplica.watch`` (what ``agencydesk
team sync --watch`` runs), and an editing desk also changes a customer's city every
``--edit-every`` seconds once its replica holds AgencyZoom customers (not a lead: AgencyZoom's
API would clear lead fields it cannot read, which goes only on the user's yes).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import math
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from agencydesk.domain import RecordKind  # noqa: E402
from agencydesk.services.team.desk import DeskReplica  # noqa: E402
from agencydesk.services.team.hub import HubRound, TeamHub  # noqa: E402
from agencydesk.store.book import Book  # noqa: E402
from agencydesk.store.ledgers import AccountRow, OutboxOp  # noqa: E402
from agencydesk.vendors.agencyzoom.connector import create_connector  # noqa: E402
from agencydesk.vendors.catalog import agencyzoom_limit  # noqa: E402
from agencydesk.vendors.client_kit.limiter import AccountLimiter  # noqa: E402
from bench.bench_sync import sandbox_process, sync_once  # noqa: E402
from tests.hub.pg_server import running_server  # noqa: E402

ACCOUNT = "AgencyZoom team"


# --- a desk process ---------------------------------------------------------------------------
async def desk_process(folder: Path, url: str, edit_every: float, seed: int) -> None:
    """Follow the team book; when ``edit_every`` > 0, change a customer's city that often and print
    one JSON line per edit (what the bench then looks for at the vendor)."""
    folder.mkdir(parents=True, exist_ok=True)
    book = Book.open(folder / "desk.sqlite3")
    desk = DeskReplica(book, url, None)
    stop = asyncio.Event()
    pulled = 0

    def on_pull(_result: object) -> None:
        nonlocal pulled
        pulled += 1
        print(json.dumps({"pulled": pulled}), flush=True)

    follower = asyncio.create_task(desk.watch(stop, on_pull=on_pull, push_every_s=0.25))
    picker = random.Random(seed)
    print(json.dumps({"ready": True}), flush=True)
    n = 0
    try:
        while edit_every > 0 and not (folder.parent / "stop-editing").exists():
            await asyncio.sleep(edit_every)
            kind = RecordKind.CUSTOMER
            ids = await asyncio.to_thread(book.remote_ids, kind, "agencyzoom", ACCOUNT)
            if not ids:
                continue
            remote_id = picker.choice(sorted(ids))
            customer = await asyncio.to_thread(book.get, kind, ids[remote_id])
            if customer is None:
                continue
            n += 1
            city = f"Desk{seed} edit {n}"
            at = time.time()
            await asyncio.to_thread(
                book.ledgers.save_local_edit,
                replace(customer, city=city),  # type: ignore[type-var]
                OutboxOp.UPDATE,
                {"city": city},
            )
            print(json.dumps({"customer": remote_id, "city": city, "at": at}), flush=True)
        await follower
    finally:
        stop.set()
        follower.cancel()
        desk.close()
        book.close()


# --- the measuring side ---------------------------------------------------------------------
# A desk edit's own calls: the write, and the record read just before it (AgencyZoom's update
# reads the vendor's record first, push.py). A sync's read never asks for one record by id
# (save a listing's confirm_deleted, which a first sync does not make).
ONE_RECORD = re.compile(r"^/v1/api/(customers|leads|tasks)/\d+$")


def kind_of(request: httpx.Request) -> str:
    """A call's kind: its method and path with the ids taken out."""
    return f"{request.method} {re.sub(r'[0-9]+', '{id}', request.url.path)}"


def sends_an_edit(request: httpx.Request) -> bool:
    path = request.url.path
    return (
        request.method in ("PUT", "DELETE")
        or "/update" in path
        or (request.method == "GET" and ONE_RECORD.match(path) is not None)
    )


@dataclass
class Calls:
    at: list[float] = field(default_factory=list)
    writes: int = 0
    edit_calls: int = 0  # the writes and the reads made for them
    limited: int = 0
    log: list[str] = field(default_factory=list)
    read_kinds: Counter[str] = field(default_factory=Counter)  # calls not sending an edit
    read_at: list[float] = field(default_factory=list)

    async def on_response(self, response: httpx.Response) -> None:
        self.at.append(time.perf_counter())
        request = response.request
        self.log.append(  # wall-clock time: beside the desks' edits (--verbose)
            f"{time.time():.2f} {request.method} {request.url.path} {response.status_code}"
        )
        if request.method in ("PUT", "DELETE") or "/update" in request.url.path:
            self.writes += 1
        if sends_an_edit(request):
            self.edit_calls += 1
        else:
            self.read_kinds[kind_of(request)] += 1
            self.read_at.append(self.at[-1])
        if response.status_code == 429:
            self.limited += 1


def kinds_apart(hub: Counter[str], solo: Counter[str]) -> str:
    """The kinds of call the hub's read made more or fewer of than a single desk."""
    apart = [
        f"{kind} {hub[kind]} vs {solo[kind]}"
        for kind in sorted(set(hub) | set(solo))
        if hub[kind] != solo[kind]
    ]
    return "; ".join(apart) or "none: every kind of call the same number of times"


async def single_desk_calls(size: str, workdir: Path) -> tuple[int, Counter[str]]:
    """A solo desk's full sync of the same book (no limit in effect: only the count matters),
    and its calls by kind."""
    book = Book.open(workdir / "solo.sqlite3")
    calls = Calls()
    with sandbox_process(size, 1_000_000) as vendor:
        base = vendor["base_url"]
        book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", base))
        async with httpx.AsyncClient(event_hooks={"response": [calls.on_response]}) as http:
            limiter = AccountLimiter(10**9)
            connector = create_connector(ACCOUNT, base, vendor, http, limiter)
            run = await sync_once(book, connector, limiter, None)
    book.close()
    return run.requests, calls.read_kinds


async def start_desks(
    url: str, workdir: Path, desks: int, editors: int, edit_every: float
) -> list[asyncio.subprocess.Process]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = []
    for n in range(desks):
        every = edit_every if n < editors else 0.0
        procs.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-u",
                __file__,
                "--desk-process",
                str(workdir / f"desk{n}"),
                "--url",
                url,
                "--edit-every",
                str(every),
                "--seed",
                str(n),
                stdout=asyncio.subprocess.PIPE,
                env=env,
            )
        )
    for proc in procs:  # each desk is up before the hub starts
        assert proc.stdout is not None
        await proc.stdout.readline()
    return procs


async def watch_edits(
    procs: list[asyncio.subprocess.Process],
    base: str,
    reached: list[float],
    stop: asyncio.Event,
    log: list[str] | None = None,
    pulls: list[int] | None = None,
) -> int:
    """Each edit a desk prints, looked for at the vendor until it is there; returns edits made.
    ``pulls`` gets each desk's count of pulls from the team book as the desk reports them."""
    waiting: dict[tuple[str, str], float] = {}
    made = 0

    async def read(n: int, proc: asyncio.subprocess.Process) -> None:
        nonlocal made
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            edit = json.loads(line)
            if "pulled" in edit:
                if pulls is not None:
                    pulls[n] = edit["pulled"]
                continue
            waiting[(str(edit["customer"]), edit["city"])] = edit["at"]
            if log is not None:
                log.append(f"{time.time():.2f} EDIT customer {edit['customer']}")
            made += 1

    readers = [asyncio.create_task(read(n, p)) for n, p in enumerate(procs)]
    async with httpx.AsyncClient(base_url=base) as inspector:
        while not stop.is_set() or waiting:
            for (cid, city), at in list(waiting.items()):
                held = (await inspector.get(f"/_sandbox/records/customers/{cid}")).json()
                if held.get("city") == city:
                    reached.append(time.time() - at)
                    if log is not None:
                        log.append(f"{time.time():.2f} SEEN customer {cid} after {reached[-1]:.2f}")
                    del waiting[(cid, city)]
            if stop.is_set() and waiting and time.time() - max(waiting.values()) > 30:
                break  # an edit that never arrives: reported as missing
            await asyncio.sleep(0.2)
    for task in readers:
        task.cancel()
    return made


async def team_run(
    args: argparse.Namespace, workdir: Path, solo: int, solo_kinds: Counter[str]
) -> None:
    scale = args.scale
    with running_server() as server, sandbox_process(args.size, scale) as vendor:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE rate"))
        admin.dispose()
        url = server.url("rate")
        base = vendor["base_url"]
        book = Book.open_team(url)
        book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", base))
        procs = await start_desks(url, workdir, args.desks, args.editors, args.edit_every)
        calls = Calls()
        stop, synced, edits_done = asyncio.Event(), asyncio.Event(), asyncio.Event()
        reached: list[float] = []
        full_sync: dict[str, float] = {}
        rounds = {"read": 0, "send": 0}
        read_kinds: Counter[str] = Counter()  # the hub's read, by kind, over its full sync

        def on_round(done: HubRound) -> None:
            if args.verbose:
                print(
                    f"{time.perf_counter():.2f} [{len(calls.at)} calls] " + "; ".join(done.lines()),
                    file=sys.stderr,
                )
            for report in done.reports:
                rounds["read" if report.streams else "send"] += 1
                if report.streams and report.ok and not synced.is_set():
                    full_sync["calls"] = len(calls.at)
                    full_sync["writes"] = calls.writes
                    full_sync["edit_calls"] = calls.edit_calls
                    full_sync["limited"] = calls.limited
                    full_sync["end"] = calls.at[-1]
                    full_sync["read_end"] = calls.read_at[-1]
                    read_kinds.update(calls.read_kinds)
                    pulls_at_sync[:] = pulls
                    synced.set()

        log = calls.log if args.verbose else None
        pulls = [0] * len(procs)
        pulls_at_sync: list[int] = []
        edit_watch = asyncio.create_task(watch_edits(procs, base, reached, edits_done, log, pulls))
        async with httpx.AsyncClient(event_hooks={"response": [calls.on_response]}) as http:
            hub = TeamHub(book, http, {ACCOUNT: {k: vendor[k] for k in vendor}}, rate_scale=scale)
            started = time.perf_counter()
            runner = asyncio.create_task(
                hub.run(url, None, interval_s=3600, stop=stop, on_round=on_round)
            )
            await asyncio.wait(
                {runner, asyncio.create_task(synced.wait())},
                timeout=args.max_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if runner.done():
                runner.result()  # the hub failed: say why
            finished = synced.is_set()
            if not finished:  # what it did in the time given
                full_sync.update(
                    calls=len(calls.at), writes=calls.writes, edit_calls=calls.edit_calls,
                    limited=calls.limited, end=calls.at[-1], read_end=calls.read_at[-1],
                )  # fmt: skip
                read_kinds.update(calls.read_kinds)
                pulls_at_sync[:] = pulls
            load = os.getloadavg()[0]
            # No more edits; the desks keep shipping what they made, which is still looked for.
            (workdir / "stop-editing").touch()
            edits_done.set()
            made = await edit_watch
            stop.set()  # a read in progress stops after the page being stored
            await runner
        for proc in procs:
            if proc.returncode is None:
                proc.terminate()
            await proc.wait()
        book.close()

    seconds = full_sync["end"] - started
    limit = agencyzoom_limit(datetime.now(UTC))
    allowed = limit * scale  # calls per real minute
    per_minute = full_sync["calls"] / seconds * 60
    window = 60 / scale
    most = math.ceil(seconds / window) * limit
    hub_calls = int(full_sync["calls"])
    print(
        f"book: AgencyZoom sandbox size {args.size!r} (the 100k book would take hours at the "
        f"documented rate; the limit's windows are scaled x{scale:g}: {limit} calls per "
        f"{window:g} s, {allowed:.0f}/min)"
    )
    if not finished:
        print(f"THE HUB'S FULL SYNC DID NOT FINISH in {args.max_seconds:g} s: figures so far")
    print(
        f"vendor calls, full sync: hub with {args.desks} desks {hub_calls} "
        f"({int(full_sync['writes'])} of them sending {made} desk edits); a single desk "
        f"{solo}; ratio {hub_calls / solo:.2f} (not {args.desks}x)"
    )
    read = hub_calls - int(full_sync["edit_calls"])
    print(
        f"the hub's read: {read} calls (the other {int(full_sync['edit_calls'])} sent desk "
        f"edits: each update reads the record first), a single desk {solo}; kinds apart: "
        f"{kinds_apart(read_kinds, solo_kinds)}"
    )
    print(
        f"hub rate over its full sync ({seconds:.0f} s): {per_minute:.0f} calls/min of "
        f"{allowed:.0f} documented x{scale:g} ({per_minute / allowed * 100:.1f}%; "
        f"{hub_calls} of the {most} its windows allowed, {hub_calls / most * 100:.1f}%); "
        f"rate-limit answers {int(full_sync['limited'])} (whole run {calls.limited})"
    )
    # The sync ends after its last call's answer is stored (and the book relinked): the part
    # while it still had calls to make is what the limiter kept.
    reading = full_sync["read_end"] - started
    counted = bisect.bisect_right(calls.at, full_sync["read_end"])
    print(
        f"hub rate while it had calls to read (to its read's last call, {reading:.0f} s): "
        f"{counted / reading * 60:.0f} calls/min ({counted / reading * 60 / allowed * 100:.1f}%)"
    )
    if args.verbose:
        print("\n".join(calls.log), file=sys.stderr)
    rounds_text = ", ".join(f"{k} {v}" for k, v in rounds.items())
    print(f"hub rounds: {rounds_text}")
    if reached:
        print(
            f"desk edit to the vendor ({args.editors} editing desks, one edit each per "
            f"{args.edit_every:g} s): median {statistics.median(reached):.2f} s, max "
            f"{max(reached):.2f} s over {len(reached)} edits ({made - len(reached)} missing)"
        )
    else:
        print(f"desk edit to the vendor: none arrived of {made} made")
    print(
        f"pulls from the team book per desk during the hub's full sync: median "
        f"{statistics.median(pulls_at_sync):g}, most {max(pulls_at_sync)} ({len(procs)} desks)"
    )
    print(f"load average (1 min) at the end of the sync: {load:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desks", type=int, default=20)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument("--edit-every", type=float, default=5.0)
    parser.add_argument("--size", default="small", choices=("tiny", "small", "large"))
    # x20: 600 calls a minute, about 10 a second: what the sandbox answers on a loaded 2-core
    # machine while 20 desks pull, so the limit (not the machine) is what the hub meets.
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("--max-seconds", type=float, default=240.0, help="give up on the sync")
    parser.add_argument("--verbose", action="store_true", help="each hub round and call")
    parser.add_argument("--desk-process", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.desk_process is not None:
        asyncio.run(desk_process(args.desk_process, args.url, args.edit_every, args.seed))
        return
    # A terminated run still stops its PostgreSQL server, sandbox and desks (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        solo, solo_kinds = asyncio.run(single_desk_calls(args.size, workdir))
        print(f"single desk full sync: {solo} vendor calls", flush=True)
        asyncio.run(team_run(args, workdir, solo, solo_kinds))


if __name__ == "__main__":
    main()
