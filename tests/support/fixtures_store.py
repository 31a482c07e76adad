"""Store fixtures: SQLite files and a throwaway PostgreSQL + PostGIS server.

``pg_server`` starts one PostgreSQL cluster per test session on loopback (as
the ``postgres`` user, free port, temporary folder); ``pg_url`` is a database
on it with PostGIS, ``fresh_pg_url`` a new empty database per test, and
``store_url`` a new schema per test (both backends). When
the binaries are missing the PostgreSQL tests skip, unless
``BUURTKAART_REQUIRE_POSTGRES=1`` (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from buurtkaart import settings
from buurtkaart.store import Store, open_store

PG_BIN = Path(os.environ.get("BUURTKAART_PG_BIN", "/usr/lib/postgresql/15/bin"))


@dataclass(frozen=True)
class PgServer:
    """A running throwaway PostgreSQL server."""

    host: str
    port: int
    user: str
    datadir: Path

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{db}"

    def psql(self, sql: str, db: str = "postgres") -> str:
        """Run SQL with psql and return its unaligned output."""
        cmd = [str(PG_BIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
               "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", db, "-c", sql]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60)
        return out.stdout

    def create_schema(self, db: str = "stores") -> str:
        """Create an empty schema in ``db`` and return a URL that works inside it.

        Much faster than a database per test; PostGIS stays in ``public``.
        """
        name = "s_" + uuid.uuid4().hex[:12]
        self.psql(f"CREATE SCHEMA {name}", db=db)
        return f"{self.url(db)}?options=-csearch_path%3D{name},public"

    def create_database(self) -> str:
        """Create an empty database (PostGIS available via template1) and return its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable(reason: str) -> None:
    if settings.get_bool("BUURTKAART_REQUIRE_POSTGRES"):
        pytest.fail(f"PostgreSQL unavailable: {reason} (BUURTKAART_REQUIRE_POSTGRES=1)")
    pytest.skip(f"PostgreSQL unavailable: {reason}")


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def start_pg_server(root: Path) -> tuple[PgServer, subprocess.Popen[bytes]]:
    """Initialise and start a cluster in ``root``; return it and its process."""
    datadir = root / "data"
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(datadir), "-A", "trust",
                                 "-U", "postgres", "-E", "UTF8", "--no-sync"]),
                   check=True, capture_output=True, timeout=120)
    port = _free_port()
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(
        _as_postgres([str(PG_BIN / "postgres"), "-D", str(datadir), "-p", str(port),
                      "-h", "127.0.0.1", "-k", str(root), "-c", "fsync=off",
                      "-c", "max_connections=100", "-c", "full_page_writes=off"]),
        stdout=log, stderr=subprocess.STDOUT)
    server = PgServer("127.0.0.1", port, "postgres", datadir)
    for _ in range(200):
        if proc.poll() is not None:
            msg = f"postgres exited: {(root / 'server.log').read_text()[-500:]}"
            raise RuntimeError(msg)
        with contextlib.suppress(subprocess.CalledProcessError):
            server.psql("SELECT 1")
            break
        time.sleep(0.1)
    server.psql("CREATE EXTENSION IF NOT EXISTS postgis", db="template1")
    server.psql("CREATE EXTENSION IF NOT EXISTS amcheck", db="template1")
    server.psql("CREATE DATABASE stores")
    return server, proc


def stop_pg_server(proc: subprocess.Popen[bytes], datadir: Path | None = None) -> None:
    """Stop a server started by :func:`start_pg_server` (fast shutdown).

    The signal goes to the postmaster itself (its pid is the first line of
    ``postmaster.pid``): ``runuser``, which starts it as ``postgres`` under root,
    does not pass SIGINT on, and the stop would wait for the timeout.
    """
    pid = _postmaster_pid(datadir) if datadir is not None else None
    with contextlib.suppress(ProcessLookupError):  # already gone
        if pid:
            os.kill(pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _postmaster_pid(datadir: Path) -> int | None:
    try:
        return int((datadir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL + PostGIS server for the whole session."""
    if not (PG_BIN / "postgres").exists() or not (PG_BIN / "initdb").exists():
        _unavailable(f"no server binaries in {PG_BIN}")
    root = Path(tempfile.mkdtemp(prefix="buurtkaart-pg-"))
    try:
        server, proc = start_pg_server(root)
    except (subprocess.SubprocessError, RuntimeError, OSError) as e:
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(str(e))
        raise
    try:
        yield server
    finally:
        stop_pg_server(proc, server.datadir)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url(pg_server: PgServer) -> str:
    """URL of one session-wide PostgreSQL database (shared: use unique map names)."""
    return pg_server.create_database()


@pytest.fixture
def fresh_pg_url(pg_server: PgServer) -> str:
    """URL of a new empty PostgreSQL database for one test."""
    return pg_server.create_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a new SQLite store file for one test."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store URL on each backend (the test runs once per backend)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_schema()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An opened :class:`~buurtkaart.store.Store` on each backend."""
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id at its lowest cost, for tests that count many login tries.

    The throttle's counting does not depend on the hash's cost; the shipped cost
    (64 MiB, 3 passes) stays in every other login of the suite.
    """
    from argon2 import PasswordHasher

    from buurtkaart.auth import accounts

    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8,
                                                            parallelism=1))
