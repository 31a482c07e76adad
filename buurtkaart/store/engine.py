"""Open a store URL: engines, SQLite pragmas, PostgreSQL checks, Alembic migrations.

Accepted URLs: ``sqlite:///path/to/buurt.db``, ``postgresql://user@host:port/db``
(``postgresql+psycopg://`` too) and a plain file path. Every failure to open
becomes a :class:`~buurtkaart._errors.StoreError` naming the store and reason;
nothing stored is changed when a check fails.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from buurtkaart import settings
from buurtkaart._errors import StoreError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: Tables of extensions (PostGIS) that may exist in an empty store database.
FOREIGN_OK = frozenset({"spatial_ref_sys"})

#: PostgreSQL advisory lock key held while migrating (processes opening at once).
MIGRATION_LOCK = 0x6275757274  # "buurt"

#: Seconds a SQLite writer waits for the lock of another writer.
BUSY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Engines:
    """The engines of one store: ``write`` (serialised on SQLite) and ``read``."""

    url: sa.URL
    write: sa.Engine
    read: sa.Engine

    @property
    def dialect(self) -> str:
        return self.write.dialect.name

    def dispose(self) -> None:
        self.write.dispose()
        if self.read is not self.write:
            self.read.dispose()


def parse_url(url: str | None = None) -> sa.URL:
    """Return the SQLAlchemy URL of a store URL or plain path.

    Parameters
    ----------
    url : str or None
        ``sqlite:///...``, ``postgresql://...`` or a file path;
        None reads the ``BUURTKAART_DB`` setting.

    Raises
    ------
    StoreError
        For another URL scheme.
    """
    text = (url if url is not None else settings.get("BUURTKAART_DB")).strip()
    if "://" not in text:
        path = Path(text).expanduser()
        return sa.URL.create("sqlite", database=str(path.resolve()))
    try:
        parsed = sa.make_url(text)
    except sa.exc.ArgumentError as e:
        msg = f"bad store URL {text!r}: {e}"
        raise StoreError(msg) from e
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not path.is_absolute():
            # Relative to the current folder, like a plain path; only the default
            # store (data/buurtkaart.db) lives in the project's own data/ folder.
            is_default = text == settings.SETTINGS["BUURTKAART_DB"].default
            path = (settings.PROJECT_ROOT if is_default else Path.cwd()) / path
        return parsed.set(drivername="sqlite", database=str(path))
    msg = (f"unsupported store URL {text!r}: use sqlite:///path/to/buurt.db, "
           "postgresql://user@host/db or a file path")
    raise StoreError(msg)


def describe(url: sa.URL) -> str:
    """Return ``url`` for messages, without password."""
    return url.render_as_string(hide_password=True)


def display_name(url: str | sa.URL | None = None) -> str:
    """Return a store URL for screens: the backend and database name, nothing else.

    No user, password, host or query string is shown (anyone holding the URL
    with its password bypasses every role).

    Parameters
    ----------
    url : str, sqlalchemy.URL or None
        A store URL or path; None reads ``BUURTKAART_DB``.

    Examples
    --------
    >>> display_name("postgresql://bk:S3cret@db.example:5432/buurt?sslmode=require")
    'postgresql · buurt'
    >>> display_name("sqlite:////srv/data/buurt.db")
    'sqlite · buurt.db'
    """
    try:
        parsed = url if isinstance(url, sa.URL) else parse_url(url)
    except StoreError:
        return "?"
    backend = parsed.get_backend_name()
    database = parsed.database or ""
    if backend == "sqlite":
        database = Path(database).name or database
    return f"{backend} · {database or '?'}"


def create_engines(url: sa.URL) -> Engines:
    """Create the engines of a store URL (no connection is made yet)."""
    if url.get_backend_name() == "sqlite":
        return Engines(url, _sqlite_engine(url, immediate=True),
                       _sqlite_engine(url, immediate=False))
    engine = sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    return Engines(url, engine, engine)


def _sqlite_engine(url: sa.URL, *, immediate: bool) -> sa.Engine:
    """SQLite engine: WAL, foreign keys, busy timeout; writers take the lock at BEGIN."""
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA secure_delete = ON")  # erased personal data is zeroed
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def check_sqlite_file(url: sa.URL) -> None:
    """Refuse a SQLite store that is missing its folder, read-only, or not SQLite.

    Raises
    ------
    StoreError
        Naming the file and the reason.
    """
    path = Path(url.database or "")
    if path.parent.is_relative_to(settings.PROJECT_ROOT / "data"):
        path.parent.mkdir(parents=True, exist_ok=True)  # the default data/ folder
    if not path.parent.is_dir():
        msg = f"cannot open store {path}: folder {path.parent} does not exist"
        raise StoreError(msg)
    if path.is_dir():
        msg = f"cannot open store {path}: it is a folder, not a file"
        raise StoreError(msg)
    if not path.exists() and path.parent.is_dir() and os.access(path.parent, os.W_OK):
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)  # personal data: owner only
        os.close(fd)
    if path.exists():
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            msg = f"{path} is not a buurtkaart store: not an SQLite database file"
            raise StoreError(msg)
        if not os.access(path, os.W_OK):
            msg = f"store file {path} is read-only: the store needs write access"
            raise StoreError(msg)
    if not os.access(path.parent, os.W_OK):
        msg = (f"store folder {path.parent} is read-only: SQLite needs to write "
               f"{path.name} and its -wal/-shm files there")
        raise StoreError(msg)


def alembic_config(conn: sa.Connection | None = None) -> Config:
    """Return an Alembic configuration for the shipped migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    """Return the newest migration revision this version knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def migrate(engines: Engines, revision: str = "head") -> None:
    """Check the store is a buurtkaart store of a known schema, then upgrade it.

    Raises
    ------
    StoreError
        For a database holding other tables, or a newer schema revision.
    """
    where = describe(engines.url)
    with engines.read.connect() as conn:  # check first, change nothing
        current = _current_revision(conn, where)
        _check_known(current, where)
        wal = engines.dialect != "sqlite" or str(
            conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() == "wal"
    if current == head_revision() and revision == "head" and wal:
        return  # up to date: opening never waits for a writer (a long import, say)
    if engines.dialect == "sqlite":
        raw = engines.write.raw_connection()
        try:
            raw.cursor().execute("PRAGMA journal_mode = WAL")  # outside a transaction
        finally:
            raw.close()
    with engines.write.begin() as conn:
        if engines.dialect == "postgresql":  # one migrating process at a time
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        _check_known(_current_revision(conn, where), where)
        command.upgrade(alembic_config(conn), revision)


def _check_known(current: str | None, where: str) -> None:
    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        msg = (f"store {where} has schema revision {current!r}, newer than this "
               f"buurtkaart knows (newest {head_revision()!r}); upgrade buurtkaart")
        raise StoreError(msg)


def _current_revision(conn: sa.Connection, where: str) -> str | None:
    tables = set(sa.inspect(conn).get_table_names()) - FOREIGN_OK
    if not tables:
        return None
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is None or "events" not in tables:
        names = ", ".join(sorted(tables)[:5])
        msg = (f"{where} is not a buurtkaart store: it holds other tables "
               f"({names}) and no buurtkaart schema")
        raise StoreError(msg)
    return revision
