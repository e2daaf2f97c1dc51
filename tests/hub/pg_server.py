"""A throwaway PostgreSQL server for the tests: ``initdb`` in a temporary folder, ``pg_ctl``
starting it on a Unix socket in that folder (and a free loopback port), removed afterwards.

PostgreSQL refuses to run as root (CI runs as root), so there the server runs as the ``postgres``
account Debian's package creates; anyone else runs it as themselves.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "agencydesk_admin"


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are: PATH first, then Debian's versioned folders (newest)."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return versions[0].parent if versions else None


@dataclass(frozen=True, slots=True)
class PgServer:
    host: str  # the socket folder
    port: int
    superuser: str

    def url(self, database: str = "postgres", user: str | None = None, password: str = "") -> str:
        who = user or self.superuser
        secret = f":{password}" if password else ""
        return f"postgresql+psycopg://{who}{secret}@/{database}?host={self.host}&port={self.port}"

    def tcp_url(self, database: str, user: str, password: str) -> str:
        return f"postgresql+psycopg://{user}:{password}@127.0.0.1:{self.port}/{database}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@contextmanager
def running_server() -> Iterator[PgServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    root = Path(tempfile.mkdtemp(prefix="agencydesk-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        for path in (root, sock):
            os.chown(path, pw.pw_uid, pw.pw_gid)
    port = _free_port()
    try:
        subprocess.run(  # noqa: S603 - our own fixed arguments
            _as_server_user(
                [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-A", "trust",
                 "--no-sync", "-E", "UTF8", "--locale", "C"]
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        # scram for TCP so password checks are real; trust on the socket for the test superuser.
        (data / "pg_hba.conf").write_text(
            f"local all {SUPERUSER} trust\n"
            "local all all scram-sha-256\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sock} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(  # noqa: S603 - our own fixed arguments
            _as_server_user(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-t", "60",
                 "-l", str(root / "server.log"), "start"]
            ),
            check=True, capture_output=True,
        )  # fmt: skip
        yield PgServer(host=str(sock), port=port, superuser=SUPERUSER)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(  # noqa: S603 - our own fixed arguments
                _as_server_user(
                    [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
                ),
                check=False, capture_output=True,
            )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)
