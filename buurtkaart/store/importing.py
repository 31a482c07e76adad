"""Who is importing now: the running-import marker of a long SQLite import.

SQLite has one writer. An import stays ONE transaction (all or nothing, a
``kill -9`` leaves nothing half-written), so while it runs it holds the write
lock; WAL readers are never blocked. Before the import, :func:`begin` writes
a marker (user, what, map, host, pid, start time) in its own short
transaction, and :func:`end` removes it after the commit or rollback.

A colleague's write first reads the marker (:func:`current`, a read, never
blocked). When someone else is importing, the write waits only
:data:`SHORT_WAIT_MS` for the lock and then fails with a :class:`StoreError`
that names the importer (``busy_by``, ``busy_what``, ``busy_since``), instead
of waiting the full busy timeout for a bare "database is locked".

A marker left by a crash is *stale* and ignored: its process is gone (same
host, dead pid) or it is older than :data:`STALE_AFTER_S`. Stale markers are
deleted by the next :func:`begin`.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from buurtkaart._errors import StoreError
from buurtkaart.store.records import now_iso
from buurtkaart.store.trust_schema import running_imports

#: A marker older than this (seconds) is stale even when its pid looks alive.
STALE_AFTER_S = 2 * 3600
#: How long (ms) a write waits for the lock while someone else imports.
SHORT_WAIT_MS = 1500
#: What an import brings in: OSM places, or the records of a file.
WHATS = ("places", "file")


@dataclass(frozen=True)
class Marker:
    """A running import: ``user`` imports ``what`` into ``map_id`` since ``started_at``."""

    token: str
    user: str
    what: str
    map_id: str | None
    host: str
    pid: int
    started_at: str


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def is_stale(marker: Marker, now: dt.datetime | None = None) -> bool:
    """Return True when ``marker`` was left by a crash (dead pid here) or is too old."""
    now = now or dt.datetime.now(dt.UTC)
    age = (now - dt.datetime.fromisoformat(marker.started_at)).total_seconds()
    if age > STALE_AFTER_S:
        return True
    return marker.host == platform.node() and not _pid_alive(marker.pid)


def _markers(conn: sa.Connection) -> list[Marker]:
    rows = conn.execute(sa.select(running_imports)
                        .order_by(running_imports.c.started_at)).mappings().all()
    return [Marker(**dict(r)) for r in rows]


def current(engine: sa.Engine, own: str | None = None) -> Marker | None:
    """Return the oldest live import other than ``own`` (a read: never waits for the lock)."""
    try:
        with engine.connect() as conn:
            found = _markers(conn)
    except sa.exc.DBAPIError:  # an old schema or a store in trouble: no name to give
        return None
    live = [m for m in found if m.token != own and not is_stale(m)]
    return live[0] if live else None


def begin(conn: sa.Connection, user: str, what: str, map_id: str | None) -> str:
    """Write a marker on ``conn`` (its own short transaction; stale ones go); return its token."""
    token = str(uuid.uuid4())
    stale = [m.token for m in _markers(conn) if is_stale(m)]
    if stale:
        conn.execute(running_imports.delete().where(running_imports.c.token.in_(stale)))
    conn.execute(running_imports.insert().values(
        token=token, user=user, what=what if what in WHATS else "file", map_id=map_id,
        host=platform.node(), pid=os.getpid(), started_at=now_iso()))
    return token


def end(engine: sa.Engine, token: str) -> None:
    """Remove the marker ``token`` (best effort: a marker left behind turns stale)."""
    try:
        with engine.begin() as conn:
            conn.execute(running_imports.delete().where(running_imports.c.token == token))
    except sa.exc.DBAPIError:
        pass


def busy_error(url: str, marker: Marker) -> StoreError:
    """Return the error of a write refused while ``marker``'s import holds the lock."""
    since = dt.datetime.fromisoformat(marker.started_at).astimezone().strftime("%H:%M")
    msg = (f"store {url} is busy: {marker.user} is importing {marker.what} (since {since}); "
           "reading still works, try the change again shortly")
    return StoreError(msg, busy_by=marker.user, busy_what=marker.what, busy_since=since)
