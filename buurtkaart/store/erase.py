"""Erasure that erases: compaction checked, pending erasures, text search, restore tombstones.

After a forget the store files are compacted (:func:`compact`). On SQLite the
WAL is checkpointed with ``TRUNCATE`` and the result is *checked*: another
process reading the store blocks the checkpoint, and then the old pages are
still on disk. :func:`compact` retries for a few seconds, then records a
pending erasure (``erasures`` table) that :func:`run_pending` completes when
the store is free (the next open or forget), and raises: a forget never
reports success while the bytes remain. On SQLite the files are also scanned
for the forgotten name (:func:`bytes_remain`). On PostgreSQL the tables are
``VACUUM (FULL, ANALYZE)``-ed (the planner statistics in ``pg_statistic``
are rebuilt too); what PostgreSQL keeps elsewhere (WAL, backups) is
documented in ``docs/privacy.md``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from buurtkaart._errors import StoreError
from buurtkaart.store.engine import BUSY_TIMEOUT_S, Engines
from buurtkaart.store.records import FIELDS, now_iso
from buurtkaart.store.schema import ENTITY_TABLES, events
from buurtkaart.store.trust_schema import erasures

#: Tables rewritten after an erase on PostgreSQL.
VACUUM_TABLES = ("events", "actors", "contacts", "links", "meetings")
#: Tries and pause (s) of a blocked SQLite checkpoint before giving up.
TRIES, PAUSE_S = 5, 0.4
#: Entities whose free text is searched for a forgotten name.
SEARCHED = ("actor", "contact", "link", "signal", "agenda", "meeting", "reflection")
#: busy_timeout (ms) of the compaction: a blocked checkpoint gives up quickly.
SHORT_BUSY_MS = 300


def _sqlite_pass(engines: Engines) -> tuple[int, int, int]:
    raw = engines.write.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SHORT_BUSY_MS}")
        try:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.execute("VACUUM")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, log, done = cur.fetchone() or (1, -1, -1)
        finally:
            cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return int(busy), int(log), int(done)
    finally:
        raw.close()


def compact(engines: Engines, tries: int = TRIES) -> str | None:
    """Rewrite the store files so deleted rows leave no bytes; None when complete.

    Returns
    -------
    str or None
        Why the compaction could not complete (another reader), None when it did.
    """
    if engines.dialect != "sqlite":
        with engines.write.connect() as conn:
            auto = conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in VACUUM_TABLES:
                auto.exec_driver_sql(f"VACUUM (FULL, ANALYZE) {table}")
        return None
    reason = "unknown"
    for attempt in range(tries):
        try:
            busy, log, done = _sqlite_pass(engines)
        except Exception as e:
            reason = str(e).splitlines()[0]
        else:
            if not busy and done == log:
                return None
            reason = f"checkpoint blocked ({done} of {log} WAL pages copied)"
        if attempt + 1 < tries:
            time.sleep(PAUSE_S)
    return f"another process is reading the store: {reason}"


def record_pending(engines: Engines, actor_id: str, by: str, detail: str) -> None:
    """Record an erasure whose compaction must still run."""
    with engines.write.begin() as conn:
        conn.execute(erasures.insert().values(id=str(uuid.uuid4()), actor_id=actor_id,
                                              at=now_iso(), by=by, status="pending",
                                              detail=detail))


def pending(engines: Engines) -> list[dict[str, Any]]:
    """Return the pending erasures, oldest first."""
    with engines.read.connect() as conn:
        query = sa.select(erasures).where(erasures.c.status == "pending").order_by(
            erasures.c.at)
        return [dict(r) for r in conn.execute(query).mappings()]


def run_pending(engines: Engines) -> int:
    """Complete pending erasures when the store is free; return how many were completed."""
    todo = pending(engines)
    if not todo or compact(engines, tries=1) is not None:
        return 0
    with engines.write.begin() as conn:
        conn.execute(erasures.update().where(erasures.c.status == "pending")
                     .values(status="done"))
    return len(todo)


def bytes_remain(engines: Engines, needles: Iterable[str]) -> bool:
    """Return whether any of ``needles`` (UTF-8) is still in the SQLite files."""
    wanted = [n.encode() for n in needles if len(n.strip()) >= 3]
    if engines.dialect != "sqlite" or not wanted:
        return False
    base = Path(engines.url.database or "")
    for path in (base, base.with_name(base.name + "-wal")):
        if path.exists() and _file_holds(path, wanted):
            return True
    return False


def _file_holds(path: Path, wanted: list[bytes]) -> bool:
    overlap = max(len(w) for w in wanted)
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            block = tail + chunk
            if any(w in block for w in wanted):
                return True
            tail = block[-overlap:]
    return False


def search_text(conn: sa.Connection, map_id: str, text: str) -> list[dict[str, str]]:
    """Return the records of ``map_id`` whose free text contains ``text`` (case-folded)."""
    needle = text.strip().casefold()
    if len(needle) < 3:
        return []
    hits = []
    for entity in SEARCHED:
        table = ENTITY_TABLES[entity]
        cols = [table.c[f.name] for f in FIELDS[entity] if f.kind in ("str", "text")]
        if not cols:
            continue
        rows = conn.execute(sa.select(table.c.id, *cols).where(table.c.map_id == map_id))
        for row in rows.mappings():
            for col in cols:
                value = row[col.name]
                if isinstance(value, str) and needle in value.casefold():
                    hits.append({"entity": entity, "id": str(row["id"]), "field": col.name})
    return hits


def tombstones(engines: Engines) -> list[dict[str, Any]]:
    """Return the forget tombstone events of the store (actor id, map, who, when)."""
    query = sa.select(events).where(events.c.entity == "actor", events.c.op == "forget")
    with engines.read.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def forgotten_present(engines: Engines, stones: list[dict[str, Any]]) -> list[str]:
    """Return the ids of tombstoned actors that are stored again (after a restore)."""
    ids = [str(s["entity_id"]) for s in stones]
    if not ids:
        return []
    actors = ENTITY_TABLES["actor"]
    with engines.read.connect() as conn:
        return [str(i) for i in conn.execute(sa.select(actors.c.id)
                                             .where(actors.c.id.in_(ids))).scalars()]


def keep_tombstones(engines: Engines, stones: list[dict[str, Any]]) -> None:
    """Write back the tombstone events an older backup does not hold."""
    with engines.write.begin() as conn:
        have = set(conn.execute(sa.select(events.c.id).where(
            events.c.entity == "actor", events.c.op == "forget")).scalars())
        for stone in stones:
            if stone["id"] not in have:
                row = {k: v for k, v in stone.items() if k != "seq"}
                conn.execute(events.insert(), row)


def fail(reason: str) -> StoreError:
    """Return the error of an erasure whose bytes remain on disk."""
    msg = (f"the person is deleted from the records, but NOT yet erased from the store "
           f"files: {reason}. A pending erasure is recorded and completes when the store "
           "is free (the next 'buurtkaart forget' or store open); close other programs "
           "reading the store and run it again")
    return StoreError(msg)
