"""The team book (issue 14): a hub's PostgreSQL book copied to a new desk, and a change made at
the hub heard by N desk processes. Prints each figure beside a bare floor measured in the same
run.

    python bench/bench_team.py [--desks 20] [--rounds 5] [--only-replica | --only-propagation]

- first replica: the benchmark book (bench/big_book.py, ~550,000 rows: the 100k-lead book) loaded
  into a throwaway PostgreSQL, then copied to a new desk's SQLite cache by ``DeskReplica.pull``
  (target under 60 s), which also builds the desk's indexes and search index and runs its
  linking pass. Floor: the same rows read with a bare psycopg cursor and written with sqlite3
  executemany into the same tables without indexes or search triggers. The load average is
  printed with them (the machine is shared; both figures move with it).
- propagation: N desk processes follow a small team database (``agencydesk team sync
  --watch``); the hub changes one lead; each desk reports when it has it (target: median
  under 2 s).
- vendor calls: desks make none (they read the hub), so N desks cost the vendors what one does.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from agencydesk.domain import Lead, RecordKind  # noqa: E402
from agencydesk.services.team.desk import DeskReplica  # noqa: E402
from agencydesk.store.book import Book  # noqa: E402
from agencydesk.store.ledgers import OutboxOp  # noqa: E402
from agencydesk.store.models import Base  # noqa: E402
from agencydesk.store.replica import REPLICATED_TABLES, hub_position  # noqa: E402
from tests.hub.pg_server import running_server  # noqa: E402


def load_hub(source: Path, url: str) -> int:
    """Copy the benchmark book's rows into the team database (through the feed triggers) and
    link them as the hub's sync does."""
    hub = Book.open_team(url)
    src = create_engine(f"sqlite:///{source}")
    rows_total = 0
    with src.connect() as s, hub.engine.begin() as h:
        for name in REPLICATED_TABLES:
            table = Base.metadata.tables[name]
            rows = [dict(r) for r in s.execute(select(table)).mappings()]
            for start in range(0, len(rows), 5000):
                h.execute(table.insert(), rows[start : start + 5000])
            rows_total += len(rows)
        for name in REPLICATED_TABLES:  # ids were given: move the sequences past them
            h.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                           f"(SELECT coalesce(max(id), 1) FROM {name}))"))  # fmt: skip
    # A working hub has run its linking pass (after every sync round): its rows' Held in, hidden
    # and customer columns, which the desk copies, are current.
    hub.links.relink()
    hub.close()
    return rows_total


def bare_copy(url: str, target: Path) -> float:
    import psycopg

    from agencydesk.store.postgres_engine import libpq_conninfo

    started = time.perf_counter()
    out = sqlite3.connect(target)
    with psycopg.connect(libpq_conninfo(url)) as conn:
        for name in REPLICATED_TABLES:
            table = Base.metadata.tables[name]
            columns = [c.name for c in table.columns]
            out.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
            marks = ", ".join("?" * len(columns))
            with conn.cursor(name=f"bare_{name}") as cur:
                cur.execute(f"SELECT {', '.join(columns)} FROM {name}")
                while chunk := cur.fetchmany(5000):
                    out.executemany(f"INSERT INTO {name} VALUES ({marks})",
                                    [tuple(_plain(v) for v in row) for row in chunk])  # fmt: skip
    out.commit()
    out.close()
    return time.perf_counter() - started


def _plain(value: object) -> object:
    import json

    if isinstance(value, dict | list):
        return json.dumps(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[attr-defined]
    return value


def first_replica(url: str, folder: Path) -> tuple[float, int]:
    desk_book = Book.open(folder / "desk.sqlite3")
    desk = DeskReplica(desk_book, url, None)
    started = time.perf_counter()
    result = desk.pull()
    elapsed = time.perf_counter() - started
    desk.close()
    desk_book.close()
    return elapsed, result.copied


def propagation(url: str, folder: Path, desks: int, rounds: int) -> list[float]:
    """Seconds from a hub change to each desk having it (per desk, per round)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    watchers = []
    for n in range(desks):
        profile = folder / f"desk{n}"
        subprocess.run(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "agencydesk", "team", "join", url, "--profile", str(profile)],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        watchers.append(subprocess.Popen(  # noqa: S603 - our own CLI
            [sys.executable, "-u", "-m", "agencydesk", "team", "sync", "--watch", "--profile",
             str(profile)], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        ))  # fmt: skip
    time.sleep(5)  # every watcher connected and listening (a one-off start, not a measurement)
    hub = Book.open_team(url)
    delays: list[float] = []
    try:
        lead_id = hub.max_id(RecordKind.LEAD)
        for round_no in range(rounds):
            lead = hub.get(RecordKind.LEAD, lead_id)
            assert lead is not None
            changed_at = time.perf_counter()
            hub.ledgers.save_local_edit(
                replace(lead, city=f"Round {round_no}"), OutboxOp.UPDATE, {"city": "x"}
            )
            with hub.reading() as conn:
                target = hub_position(conn)
            for watcher in watchers:
                assert watcher.stdout is not None
                while _position(watcher.stdout.readline()) < target:
                    pass  # an earlier pull's line
                delays.append(time.perf_counter() - changed_at)
    finally:
        hub.close()
        for watcher in watchers:
            watcher.terminate()
            watcher.wait()
    return delays


def _position(line: str) -> int:
    """The feed position a desk's ``team sync --watch`` line reports."""
    if "feed position" not in line:
        raise RuntimeError(f"a desk stopped following: {line!r}")
    return int(line.rsplit("feed position ", 1)[1].rstrip(")\n"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desks", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only-propagation", action="store_true", help="skip the big copy")
    parser.add_argument("--only-replica", action="store_true", help="skip the N desks")
    args = parser.parse_args()
    from bench.big_book import big_book

    source = big_book() if not args.only_propagation else None
    with running_server() as server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench"))
        url = server.url("bench")
        if source is not None:
            started = time.perf_counter()
            rows = load_hub(source, url)
            print(f"hub loaded: {rows:,} rows in {time.perf_counter() - started:.1f} s")
            floor = bare_copy(url, folder / "bare.sqlite3")
            elapsed, copied = first_replica(url, folder)
            load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
            print(f"first replica: {copied:,} rows in {elapsed:.1f} s (target < 60 s); "
                  f"bare floor {floor:.1f} s; ratio {elapsed / floor:.2f}x; "
                  f"load average {load}")  # fmt: skip
        if args.only_replica:
            return
        # Twenty desks each copying the big book would measure the copy, not the hearing: they
        # follow a small team database (the demo-sized book's leads) instead.
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench_small"))
        small_url = server.url("bench_small")
        small = Book.open_team(small_url)
        small.save_many(
            Lead(first_name=f"First{i}", last_name=f"Last{i}", email=f"p{i}@example.com")
            for i in range(2000)
        )
        small.close()
        delays = propagation(small_url, folder, args.desks, args.rounds)
        print(f"change heard by {args.desks} desks: median {statistics.median(delays):.2f} s, "
              f"max {max(delays):.2f} s over {len(delays)} (target median < 2 s)")  # fmt: skip
        hub = create_engine(small_url)
        with hub.connect() as conn:
            fed = conn.execute(
                select(func.count()).select_from(Base.metadata.tables["team_changes"])
            )
            print(f"feed entries: {fed.scalar_one():,}")
        hub.dispose()
        admin.dispose()


if __name__ == "__main__":
    main()
