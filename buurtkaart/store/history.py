"""Queries on the event log: an entity's history, changes since T, state at T."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from buurtkaart.store.records import BOOKKEEPING, TABLES
from buurtkaart.store.schema import events

#: Fields left out of field-level diffs (they change on every write).
DIFF_IGNORE = frozenset({"id", "created_by", "created_at", "updated_by", "updated_at", "version"})

_COLUMNS = (events.c.id, events.c.map_id, events.c.entity, events.c.entity_id, events.c.op,
            events.c.user, events.c.at, events.c.before, events.c.after)


def _event(row: Any) -> dict[str, Any]:
    event = dict(row._mapping)
    event.pop("seq", None)
    return event


def history(conn: sa.Connection, entity_id: str) -> list[dict[str, Any]]:
    """Return every event of ``entity_id``, oldest first."""
    rows = conn.execute(sa.select(*_COLUMNS).where(events.c.entity_id == entity_id)
                        .order_by(events.c.seq)).all()
    return [_event(r) for r in rows]


def events_since(conn: sa.Connection, map_id: str, since: str) -> list[dict[str, Any]]:
    """Return the events of ``map_id`` strictly after ISO time ``since``, in write order.

    Ordered by ``(at, seq)`` in SQL so the ``(map_id, at)`` index serves the
    query (SQLite would otherwise scan the whole log in ``seq`` order), then
    by ``seq`` here.
    """
    rows = conn.execute(sa.select(events.c.seq, *_COLUMNS).where(events.c.map_id == map_id)
                        .where(events.c.at > since)
                        .order_by(events.c.at, events.c.seq)).all()
    ordered = sorted(rows, key=lambda r: r.seq)
    return [_event(r) for r in ordered]


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
         ) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for fields that differ (bookkeeping left out)."""
    b = before or {}
    a = after or {}
    keys = [k for k in dict.fromkeys([*b, *a]) if k not in DIFF_IGNORE]
    return {k: [b.get(k), a.get(k)] for k in keys if b.get(k) != a.get(k)}


def group_changes(evts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group events per entity with a field-level diff from first to last.

    Returns
    -------
    list of dict
        One dict per entity, in order of first change: ``entity``, ``entity_id``,
        ``label`` (name or title), ``op`` (``insert``, ``update``, ``delete`` or
        ``forget``: the net effect), ``ops``, ``users``, ``first_at``,
        ``last_at``, ``count``, ``before``, ``after`` and ``diff``.
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ev in evts:
        groups.setdefault((ev["entity"], ev["entity_id"]), []).append(ev)
    out = []
    for (entity, entity_id), group in groups.items():
        first, last = group[0], group[-1]
        before, after = first["before"], last["after"]
        if last["op"] in {"delete", "forget"}:
            net = last["op"]
        else:
            net = "insert" if first["op"] == "insert" else "update"
        state = after or before or {}
        out.append({
            "entity": entity, "entity_id": entity_id,
            "label": state.get("name") or state.get("title") or "",
            "op": net, "ops": [e["op"] for e in group],
            "users": list(dict.fromkeys(e["user"] for e in group)),
            "first_at": first["at"], "last_at": last["at"], "count": len(group),
            "before": before, "after": after, "diff": diff(before, after),
        })
    return out


def state_at(conn: sa.Connection, map_id: str, at: str) -> dict[str, list[dict[str, Any]]]:
    """Return every record of ``map_id`` as it was at ISO time ``at``.

    Returns
    -------
    dict
        Table name (``maps``, ``actors``, ``links``, ``contacts``, ``signals``...)
        to the list of records alive at ``at``.
    """
    last = (sa.select(sa.func.max(events.c.seq).label("seq")).where(events.c.map_id == map_id)
            .where(events.c.at <= at).group_by(events.c.entity_id).subquery())
    rows = conn.execute(sa.select(events.c.entity, events.c.op, events.c.after)
                        .join(last, events.c.seq == last.c.seq).order_by(events.c.seq)).all()
    state: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES.values()}
    for row in rows:
        if row.op in {"insert", "update"} and row.after is not None:
            state[TABLES[row.entity]].append(dict(row.after))
    return state


__all__ = ["BOOKKEEPING", "diff", "events_since", "group_changes", "history", "state_at"]


_COMPACT = (events.c.seq, events.c.entity, events.c.entity_id, events.c.op, events.c.user,
            events.c.at)


def _ends(conn: sa.Connection, conditions: tuple[Any, ...]) -> dict[int, tuple[Any, Any]]:
    """Return ``{seq: (before, after)}`` of the first and last event of each record.

    One query; only the first event's ``before`` and the last one's ``after`` are read.
    """
    ends = (sa.select(events.c.entity_id, sa.func.min(events.c.seq).label("first"),
                      sa.func.max(events.c.seq).label("last"))
            .where(*conditions).group_by(events.c.entity, events.c.entity_id).subquery())
    kind = events.c.before.type
    before = sa.type_coerce(sa.case((events.c.seq == ends.c.first, events.c.before)), kind)
    after = sa.type_coerce(sa.case((events.c.seq == ends.c.last, events.c.after)), kind)
    rows = conn.execute(sa.select(events.c.seq, before.label("b"), after.label("a"))
                        .join(ends, sa.or_(events.c.seq == ends.c.first,
                                           events.c.seq == ends.c.last))).all()
    return {int(r.seq): (r.b, r.a) for r in rows}


def changes(conn: sa.Connection, *conditions: Any) -> list[dict[str, Any]]:
    """Return the events matching ``conditions`` grouped per record, as :func:`group_changes`.

    Fast at city scale: the event rows are read without their records; only the
    first ``before`` and the last ``after`` of each record are read and decoded
    (two documents per changed record, not two per event).
    """
    rows = sorted(conn.execute(sa.select(*_COMPACT).where(*conditions)).all(),
                  key=lambda r: r.seq)
    groups: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        groups.setdefault((row.entity, row.entity_id), []).append(row)
    ends = _ends(conn, conditions) if groups else {}
    return [_group(entity, entity_id, group, ends[group[0].seq][0], ends[group[-1].seq][1])
            for (entity, entity_id), group in groups.items()]


def _group(entity: str, entity_id: str, group: list[Any], before: Any,
           after: Any) -> dict[str, Any]:
    first, last = group[0], group[-1]
    if last.op in {"delete", "forget"}:
        net = last.op
    else:
        net = "insert" if first.op == "insert" else "update"
    state = after or before or {}
    return {"entity": entity, "entity_id": entity_id,
            "label": state.get("name") or state.get("title") or "",
            "op": net, "ops": [e.op for e in group],
            "users": list(dict.fromkeys(e.user for e in group)),
            "first_at": first.at, "last_at": last.at, "count": len(group),
            "before": before, "after": after, "diff": diff(before, after)}

