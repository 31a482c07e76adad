"""The one write path: validate, lock, compare-and-swap, write one row, log one event.

Every store write goes through :func:`apply_op`, called by
:meth:`buurtkaart.store.Store.apply` inside a transaction. It never commits;
the caller's transaction makes the row change and its event atomic.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from buurtkaart._errors import ConflictError, InputError, NotFoundError
from buurtkaart.core.recurrence import check_rule
from buurtkaart.store import policy, redact
from buurtkaart.store.maprefs import check_map_name
from buurtkaart.store.merge import merge
from buurtkaart.store.records import (
    BOOKKEEPING,
    FIELDS,
    coerce,
    complete,
    is_empty,
    now_iso,
)
from buurtkaart.store.schema import ENTITY_TABLES, events

OPS = ("insert", "update", "delete", "forget")


def record_of(row: sa.Row[Any] | Mapping[str, Any]) -> dict[str, Any]:
    """Return a row (or mapping) as a plain JSON-able record dict."""
    data = dict(row._mapping) if isinstance(row, sa.Row) else dict(row)
    data.pop("geom", None)
    return data


def apply_op(conn: sa.Connection, *, user: str, map_id: str | None, entity: str, op: str,
             entity_id: str | None, data: Mapping[str, Any] | None,
             if_version: int | None = None) -> dict[str, Any]:
    """Apply one write and log its event on ``conn`` (inside a transaction).

    Returns
    -------
    dict
        The record after the write (for ``delete``/``forget``: as it was before).

    Raises
    ------
    InputError, NotFoundError, ConflictError
        Bad values, unknown entities/ids, or a concurrent edit of the same field.
    """
    if not user or not str(user).strip():
        msg = "no acting user: pass --user NAME or set BUURTKAART_USER"
        raise InputError(msg)
    if entity not in ENTITY_TABLES:
        msg = f"unknown entity {entity!r}; expected one of {', '.join(ENTITY_TABLES)}"
        raise InputError(msg)
    if op not in OPS or (op == "forget" and entity != "actor"):
        msg = f"unknown operation {op!r} for {entity}; expected one of {', '.join(OPS[:3])}"
        raise InputError(msg)
    data, reason = _split_reason(entity, data)
    if op == "insert":
        return _insert(conn, user, map_id, entity, entity_id, data, reason)
    if entity_id is None:
        msg = f"{op} of a {entity} needs its id"
        raise InputError(msg)
    if map_id is not None:
        _check_in_map(conn, entity, entity_id, map_id)
    if op == "update":
        return _update(conn, user, entity, entity_id, data, if_version, reason)
    if op == "delete":
        return _delete(conn, user, entity, entity_id, if_version)
    return _forget(conn, user, entity_id)


def _split_reason(entity: str, data: Mapping[str, Any] | None) -> tuple[dict[str, Any], str]:
    """Take the pseudo-field ``location_reason`` out of an actor write (it is no column)."""
    values = dict(data or {})
    if entity != "actor":
        return values, ""
    return values, str(values.pop(policy.REASON_FIELD, "") or "").strip()


def _check_in_map(conn: sa.Connection, entity: str, entity_id: str, map_id: str) -> None:
    """Refuse a write whose record is not in the map the caller named."""
    table = ENTITY_TABLES[entity]
    column = table.c.id if entity == "map" else table.c.map_id
    row = conn.execute(sa.select(column).where(table.c.id == entity_id)).first()
    if row is not None and row[0] != map_id:
        msg = f"no {entity} with id {entity_id!r} in map {map_id!r}"
        raise NotFoundError(msg)


def log_event(conn: sa.Connection, *, user: str, map_id: str | None, entity: str,
              entity_id: str, op: str, at: str, before: Mapping[str, Any] | None,
              after: Mapping[str, Any] | None) -> dict[str, Any]:
    """Insert one event row and return it."""
    event = {"id": str(uuid.uuid4()), "map_id": map_id, "entity": entity,
             "entity_id": entity_id, "op": op, "user": user, "at": at,
             "before": dict(before) if before is not None else None,
             "after": dict(after) if after is not None else None}
    conn.execute(events.insert(), event)
    return event


def lock_row(conn: sa.Connection, entity: str, entity_id: str) -> dict[str, Any]:
    """Read and lock (PostgreSQL ``FOR UPDATE``) one record; NotFoundError if absent."""
    table = ENTITY_TABLES[entity]
    row = conn.execute(sa.select(table).where(table.c.id == entity_id)
                       .with_for_update()).first()
    if row is None:
        msg = f"no {entity} with id {entity_id!r}"
        raise NotFoundError(msg)
    return record_of(row)


def _insert(conn: sa.Connection, user: str, map_id: str | None, entity: str,
            entity_id: str | None, data: Mapping[str, Any], reason: str) -> dict[str, Any]:
    values = dict(data)
    if entity != "map":
        if map_id is None:
            map_id = values.get("map_id")
        values["map_id"] = map_id
    record = _normalise(entity, complete(entity, values), reason=reason)
    _check_references(conn, entity, record)
    now = now_iso()
    rid = entity_id or str(uuid.uuid4())
    row = {"id": rid, **record, "created_by": user, "created_at": now,
           "updated_by": user, "updated_at": now, "version": 1}
    if entity != "map" and _exists(conn, entity, rid):
        msg = f"{entity} id {rid!r} already exists"
        raise InputError(msg)
    conn.execute(ENTITY_TABLES[entity].insert(), row)
    log_event(conn, user=user, map_id=map_id if entity != "map" else rid, entity=entity,
              entity_id=rid, op="insert", at=now, before=None, after=row)
    return row


def _exists(conn: sa.Connection, entity: str, rid: str) -> bool:
    table = ENTITY_TABLES[entity]
    return conn.execute(sa.select(table.c.id).where(table.c.id == rid)).first() is not None


def _check_references(conn: sa.Connection, entity: str, record: Mapping[str, Any]) -> None:
    """Name the missing map/actor or duplicate map name instead of an IntegrityError."""
    if entity == "map":
        check_map_name(conn, record["name"])
        return
    if not _exists(conn, "map", record["map_id"]):
        msg = f"unknown map {record['map_id']!r}"
        raise NotFoundError(msg)
    for name in ("from_id", "to_id", "actor_id"):
        ref = record.get(name)
        if ref is None or name not in {f.name for f in FIELDS[entity]}:
            continue
        actor = conn.execute(sa.select(ENTITY_TABLES["actor"].c.map_id)
                             .where(ENTITY_TABLES["actor"].c.id == ref)).first()
        if actor is None or actor.map_id != record["map_id"]:
            msg = f"unknown actor {ref!r} for {entity} field {name!r} in this map"
            raise NotFoundError(msg)


def _fields(entity: str, record: Mapping[str, Any]) -> dict[str, Any]:
    return {f.name: record.get(f.name) for f in FIELDS[entity]}


def _normalise(entity: str, record: dict[str, Any], *,
               changes: Mapping[str, Any] | None = None,
               current: Mapping[str, Any] | None = None, reason: str = "") -> dict[str, Any]:
    """Apply the policies (:mod:`buurtkaart.store.policy`) and the required-field checks."""
    if entity == "actor":
        record = policy.actor_rules(record, changes=changes, current=current, reason=reason)
    if entity == "agenda" and not is_empty(record.get("rrule")):
        check_rule(str(record["rrule"]))  # at most daily, whatever the caller
    for f in FIELDS[entity]:
        if f.required and is_empty(record.get(f.name)):
            msg = f"bad {entity} value for {f.name!r}: a value is required"
            raise InputError(msg)
    return record


def version_state(conn: sa.Connection, entity: str, entity_id: str,
                  version: int) -> dict[str, Any]:
    """Return the record ``entity_id`` as it was at ``version``, from the event log."""
    rows = conn.execute(sa.select(events.c.after).where(events.c.entity_id == entity_id)
                        .order_by(events.c.seq)).all()
    for (after,) in rows:
        if after is not None and after.get("version") == version:
            return dict(after)
    msg = f"{entity} {entity_id!r} has no version {version} in its history"
    raise InputError(msg)


def _update(conn: sa.Connection, user: str, entity: str, entity_id: str,
            data: Mapping[str, Any], if_version: int | None, reason: str = "") -> dict[str, Any]:
    changes = coerce(entity, data)
    current = lock_row(conn, entity, entity_id)
    if "map_id" in changes and changes["map_id"] != current["map_id"]:
        msg = f"bad {entity} value for 'map_id': {changes['map_id']!r} (cannot move)"
        raise InputError(msg)
    theirs = _fields(entity, current)
    if if_version is not None and int(if_version) > current["version"]:
        msg = (f"bad version {if_version} for {entity} {entity_id!r}: "
               f"the newest is {current['version']}")
        raise InputError(msg)
    if if_version is not None and int(if_version) != current["version"]:
        base = _fields(entity, version_state(conn, entity, entity_id, int(if_version)))
        mine = _normalise(entity, {**base, **changes}, changes=changes, current=base,
                          reason=reason)
        new, conflicts = merge(base, theirs, mine)
        if conflicts:
            raise _conflict(entity, entity_id, if_version, current, conflicts)
    else:
        new = {**theirs, **changes}
    new = _normalise(entity, new, changes=changes, current=theirs, reason=reason)
    if entity == "map" and new.get("name") != theirs.get("name"):
        check_map_name(conn, new["name"], own_id=entity_id)
    if new == theirs:
        return current
    now = now_iso()
    values = {**new, "updated_by": user, "updated_at": now, "version": current["version"] + 1}
    table = ENTITY_TABLES[entity]
    result = conn.execute(table.update().where(table.c.id == entity_id)
                          .where(table.c.version == current["version"]).values(values))
    if result.rowcount != 1:  # pragma: no cover - prevented by the row lock
        msg = f"{entity} {entity_id!r} changed while saving; reload and try again"
        raise ConflictError(msg)
    after = {**current, **values}
    log_event(conn, user=user, map_id=_event_map(entity, current), entity=entity,
              entity_id=entity_id, op="update", at=now, before=current, after=after)
    return after


def _event_map(entity: str, record: Mapping[str, Any]) -> str:
    return str(record["id"] if entity == "map" else record["map_id"])


def _conflict(entity: str, entity_id: str, if_version: int, current: Mapping[str, Any],
              conflicts: dict[str, tuple[Any, Any]]) -> ConflictError:
    parts = "; ".join(f"{k}: theirs {t!r} vs yours {m!r}" for k, (t, m) in conflicts.items())
    msg = (f"conflict on {entity} {entity_id}: version {current['version']} by "
           f"{current.get('updated_by')} changed since your version {if_version} ({parts})")
    return ConflictError(msg, conflicts)


def _delete(conn: sa.Connection, user: str, entity: str, entity_id: str,
            if_version: int | None) -> dict[str, Any]:
    current = lock_row(conn, entity, entity_id)
    if if_version is not None and int(if_version) != current["version"]:
        msg = (f"conflict on {entity} {entity_id}: version {current['version']} by "
               f"{current.get('updated_by')} changed since your version {if_version}")
        raise ConflictError(msg)
    if entity == "actor":
        for dep, rows in _dependants(conn, entity_id).items():
            for dep_id in rows:
                _delete(conn, user, dep, dep_id, None)
    if entity == "map":
        msg = "deleting a whole map is not supported by the store (export it first)"
        raise InputError(msg)
    table = ENTITY_TABLES[entity]
    conn.execute(table.delete().where(table.c.id == entity_id))
    log_event(conn, user=user, map_id=_event_map(entity, current), entity=entity,
              entity_id=entity_id, op="delete", at=now_iso(), before=current, after=None)
    return current


def _dependants(conn: sa.Connection, actor_id: str) -> dict[str, list[str]]:
    links = ENTITY_TABLES["link"]
    contacts = ENTITY_TABLES["contact"]
    link_ids = conn.execute(sa.select(links.c.id).where(
        sa.or_(links.c.from_id == actor_id, links.c.to_id == actor_id))).scalars().all()
    contact_ids = conn.execute(sa.select(contacts.c.id).where(
        contacts.c.actor_id == actor_id)).scalars().all()
    return {"link": list(link_ids), "contact": list(contact_ids)}


def _forget(conn: sa.Connection, user: str, actor_id: str) -> dict[str, Any]:
    """Delete an actor, its contacts and links; redact them in every earlier event."""
    current = lock_row(conn, "actor", actor_id)
    now = now_iso()
    for dep, ids in _dependants(conn, actor_id).items():
        table = ENTITY_TABLES[dep]
        for dep_id in ids:
            before = lock_row(conn, dep, dep_id)
            conn.execute(table.delete().where(table.c.id == dep_id))
            log_event(conn, user=user, map_id=current["map_id"], entity=dep, entity_id=dep_id,
                      op="delete", at=now, before=redact.tombstone(dep, before), after=None)
    table = ENTITY_TABLES["actor"]
    conn.execute(table.delete().where(table.c.id == actor_id))
    redact.redact_events(conn, current["map_id"], actor_id)
    log_event(conn, user=user, map_id=current["map_id"], entity="actor", entity_id=actor_id,
              op="forget", at=now, before=None, after=None)
    return {**(redact.tombstone("actor", current) or {})}


__all__ = ["BOOKKEEPING", "apply_op", "lock_row", "log_event", "record_of", "version_state"]
