"""Record lookups of the guard: which map a record belongs to (read-only queries)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from buurtkaart._errors import NotFoundError
from buurtkaart.auth import accounts
from buurtkaart.store.api import Store
from buurtkaart.store.records import TABLES


def actor(store: Store, actor_id: str) -> Mapping[str, Any]:
    """Return the stored actor, or an empty mapping when it does not exist."""
    try:
        return dict(store.get_actor(actor_id))
    except NotFoundError:
        return {}


def map_of_entity(store: Store, entity: str, entity_id: str) -> str | None:
    """Return the map id of a stored record (None when it does not exist)."""

    table_name = TABLES.get(entity)
    if table_name is None or entity == "map":
        return entity_id if entity == "map" else None
    engine = accounts.engine_of(store, read=True)
    table = accounts.table(engine, table_name)
    with engine.connect() as conn:
        row = conn.execute(sa.select(table.c.map_id).where(table.c.id == entity_id)).first()
    return None if row is None else str(row[0])


def map_of_event(store: Store, entity_id: str) -> str | None:
    """Return the map of any record from an event about it (history of deleted records too)."""
    engine = accounts.engine_of(store, read=True)
    events = accounts.table(engine, "events")
    query = (sa.select(events.c.map_id).where(events.c.entity_id == entity_id)
             .where(events.c.map_id.is_not(None)).limit(1))
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else str(row[0])


def map_name(store: Store, map_id: str | None) -> str | None:
    """Return the name of a map (None when unknown), for messages."""
    if map_id is None:
        return None
    engine = accounts.engine_of(store, read=True)
    maps = accounts.table(engine, "maps")
    with engine.connect() as conn:
        row = conn.execute(sa.select(maps.c.name).where(maps.c.id == map_id)).first()
    return None if row is None else str(row[0])
