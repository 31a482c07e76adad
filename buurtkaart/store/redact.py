"""Redaction of a forgotten actor ("vergeet deze persoon") in the event log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from buurtkaart.store.schema import events

#: Fields kept in a redacted record: ids and bookkeeping, no personal data.
KEEP = {
    "actor": ("id", "map_id", "kind", "version"),
    "link": ("id", "map_id", "from_id", "to_id", "type", "version"),
    "contact": ("id", "map_id", "actor_id", "date", "version"),
}


def tombstone(entity: str, record: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return ``record`` reduced to the fields in :data:`KEEP`, marked ``redacted``."""
    if record is None:
        return None
    kept = {k: record[k] for k in KEEP[entity] if k in record}
    return {**kept, "redacted": True}


def redact_events(conn: sa.Connection, map_id: str, actor_id: str) -> int:
    """Redact every event about ``actor_id`` and its contacts and links.

    Returns
    -------
    int
        The number of events rewritten.
    """
    rows = conn.execute(
        sa.select(events.c.seq, events.c.entity, events.c.entity_id, events.c.before,
                  events.c.after)
        .where(events.c.map_id == map_id)
        .where(events.c.entity.in_(("actor", "link", "contact")))).all()
    count = 0
    for row in rows:
        if not _concerns(row.entity, row.entity_id, row.before, row.after, actor_id):
            continue
        conn.execute(events.update().where(events.c.seq == row.seq).values(
            before=tombstone(row.entity, row.before), after=tombstone(row.entity, row.after)))
        count += 1
    return count


def _concerns(entity: str, entity_id: str, before: Mapping[str, Any] | None,
              after: Mapping[str, Any] | None, actor_id: str) -> bool:
    if entity == "actor":
        return entity_id == actor_id
    for rec in (before, after):
        if rec and actor_id in (rec.get("actor_id"), rec.get("from_id"), rec.get("to_id")):
            return True
    return False
