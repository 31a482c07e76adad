"""Backups of a store: SQLite's online backup API, ``pg_dump``/``pg_restore`` for PostgreSQL.

A SQLite backup is itself a SQLite file (open it with any SQLite tool); a
PostgreSQL backup is a ``pg_dump`` custom-format archive. Both are written to
a temporary file first and renamed, so a failed backup never leaves a
half-written file under the target name.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from buurtkaart._errors import DataFileError, InputError, StoreError
from buurtkaart.store.engine import parse_url

PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
               "/usr/lib/postgresql/17/bin")
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def _kind(url: str) -> str:
    return "postgresql" if parse_url(url).get_backend_name() == "postgresql" else "sqlite"


def sqlite_path(url: str) -> Path:
    """Return the file of a SQLite store URL or plain path (resolved like the store does)."""
    database = parse_url(url).database
    if not database or database == ":memory:":
        msg = f"store URL {url!r} names no SQLite file"
        raise InputError(msg)
    return Path(database)


def libpq_url(url: str) -> tuple[str, dict[str, str]]:
    """Return a libpq URL without password, and the environment carrying the password.

    The password goes in ``PGPASSWORD`` so it never shows in the process list.
    """
    parsed = parse_url(url).set(drivername="postgresql")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    bare = URL.create("postgresql", username=parsed.username, host=parsed.host,
                      port=parsed.port, database=parsed.database, query=parsed.query)
    return bare.render_as_string(hide_password=False), env


def pg_schema(url: str) -> str | None:
    """Return the store's schema when the URL sets one (``options=-csearch_path=NAME,...``).

    A store kept in its own schema of a shared database is dumped and restored
    alone: the other schemas of that database are never read or replaced.
    """
    options = parse_url(url).query.get("options")
    text = " ".join(options) if isinstance(options, tuple) else (options or "")
    for part in text.replace("-c ", "-c").split():
        if part.startswith("-csearch_path="):
            first = part.split("=", 1)[1].split(",")[0].strip().strip('"')
            if first and first not in ("public", "$user"):
                return first
    return None


def _schema_args(url: str) -> list[str]:
    schema = pg_schema(url)
    return [] if schema is None else [f"--schema={schema}"]


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True) if "://" in url else url


def pg_tool(name: str) -> str:
    """Return the path of a PostgreSQL client program (``pg_dump``, ``pg_restore``)."""
    for folder in PG_BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        msg = f"{name} not found (looked in {', '.join(PG_BIN_DIRS)} and PATH)"
        raise StoreError(msg)
    return found


def _file_magic(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(16)
    except OSError as e:
        msg = f"cannot read backup file {path}: {e.strerror}"
        raise DataFileError(msg) from e


def backup(url: str, out: str | os.PathLike[str]) -> Path:
    """Write a consistent backup of the store at ``url`` to ``out``.

    Parameters
    ----------
    url : str
        Store URL (``sqlite:///...``, a plain path, or ``postgresql://...``).
    out : path-like
        Backup file to write (replaced if it exists).

    Returns
    -------
    pathlib.Path
        The backup file.
    """
    target = Path(out)
    tmp = target.with_name(target.name + ".part")
    try:
        private_file(tmp, replace=True)  # mode 0600 before any byte is written
        if _kind(url) == "postgresql":
            _pg_dump(url, tmp)
        else:
            _sqlite_copy(sqlite_path(url), tmp, must_exist=True)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def restore(path: str | os.PathLike[str], url: str) -> None:
    """Replace the content of the store at ``url`` by the backup ``path``.

    The backup's kind (SQLite file or ``pg_dump`` archive) must match the store's.
    """
    source = Path(path)
    magic = _file_magic(source)
    if _kind(url) == "postgresql":
        if not magic.startswith(PGDUMP_MAGIC):
            msg = f"backup {source} is not a pg_dump archive: cannot restore it into PostgreSQL"
            raise DataFileError(msg)
        _pg_restore(source, url)
        return
    if not magic.startswith(SQLITE_MAGIC):
        msg = f"backup {source} is not a SQLite file: cannot restore it into a SQLite store"
        raise DataFileError(msg)
    _check_sqlite(source)
    _sqlite_copy(source, sqlite_path(url), must_exist=False)


def private_file(path: Path, *, replace: bool = False) -> None:
    """Create ``path`` empty with mode 0600 (owner only); an existing file is narrowed.

    Store and backup files hold personal data: they are never world-readable.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if replace:
        path.unlink(missing_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _check_sqlite(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as e:
        msg = f"backup {path} is not a readable SQLite database: {e}"
        raise DataFileError(msg) from e
    finally:
        conn.close()
    if result is None or result[0] != "ok":
        msg = f"backup {path} failed SQLite's integrity check: {result}"
        raise DataFileError(msg)


def _sqlite_copy(src: Path, dst: Path, *, must_exist: bool) -> None:
    """Copy ``src`` into ``dst`` with SQLite's online backup API (page by page, consistent)."""
    if must_exist and not src.exists():
        msg = f"store file {src} does not exist"
        raise StoreError(msg)
    try:
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    except sqlite3.Error as e:
        msg = f"cannot open SQLite file {src}: {e}"
        raise StoreError(msg) from e
    try:
        if not dst.exists():
            private_file(dst)
        dest = sqlite3.connect(dst, timeout=30)
        try:
            source.backup(dest, pages=1024)
        finally:
            dest.close()
    except sqlite3.Error as e:
        msg = f"SQLite backup from {src} to {dst} failed: {e}"
        raise StoreError(msg) from e
    except OSError as e:
        msg = f"cannot write {dst}: {e.strerror}"
        raise StoreError(msg) from e
    finally:
        source.close()


def _run(cmd: list[str], what: str, url: str, env: dict[str, str]) -> None:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, check=False,
                              env=env)
    except OSError as e:
        msg = f"{what} of {_safe(url)} could not start {cmd[0]}: {e.strerror}"
        raise StoreError(msg) from e
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["no message"]
        errors = [line for line in lines if "error:" in line]
        detail = errors[0] if errors else lines[-1]
        tool = Path(cmd[0]).name
        msg = f"{what} of {_safe(url)} failed ({tool} exit {proc.returncode}): {detail}"
        raise StoreError(msg)


def _pg_dump(url: str, out: Path) -> None:
    target, env = libpq_url(url)
    cmd = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
           *_schema_args(url), f"--file={out}", f"--dbname={target}"]
    _run(cmd, "pg_dump", url, env)


def _pg_restore(path: Path, url: str) -> None:
    target, env = libpq_url(url)
    cmd = [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
           "--single-transaction", "--exit-on-error", *_schema_args(url),
           f"--dbname={target}", str(path)]
    _run(cmd, "pg_restore", url, env)
