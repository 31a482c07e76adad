"""Presence heartbeats and "gezien" marks: small per-session state, not domain events.

Presence says who has a map open now (one row per browser session, refreshed by
a heartbeat, expired after :data:`PRESENCE_TTL_S`). A "gezien" mark says up to
which event a worker has looked at a map. Neither is part of the map's history:
they are written by the two functions here (:func:`beat`, :func:`mark_seen`),
never through :func:`buurtkaart.store.write.apply_op`, and write no event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from buurtkaart.store.records import iso
from buurtkaart.store.schema import presence, seen_marks

#: Seconds between two heartbeats of one session (the app writes at most this often).
BEAT_S = 10.0

#: A session is present while its last heartbeat is younger than this.
PRESENCE_TTL_S = 30.0

#: Rows older than this are deleted by the next heartbeat on the same map.
PRUNE_S = 3600.0


def _ago(now: datetime, seconds: float) -> str:
    return iso(now - timedelta(seconds=seconds))


def beat(conn: sa.Connection, *, session_id: str, map_id: str, user: str, page: str,
         entity_id: str | None, now: datetime | None = None) -> None:
    """Write the heartbeat of one session (the ONE presence write); prune stale rows."""
    moment = now or datetime.now(UTC)
    values = {"map_id": map_id, "user_name": user, "page": page[:32],
              "entity_id": entity_id, "beat_at": iso(moment)}
    done = conn.execute(presence.update().where(presence.c.session_id == session_id)
                        .values(values))
    if done.rowcount == 0:
        conn.execute(presence.insert().values(session_id=session_id, **values))
    conn.execute(presence.delete().where(presence.c.map_id == map_id)
                 .where(presence.c.beat_at < _ago(moment, PRUNE_S)))


def leave(conn: sa.Connection, session_id: str) -> None:
    """Remove a session's presence (the worker closed the map or logged out)."""
    conn.execute(presence.delete().where(presence.c.session_id == session_id))


def present(conn: sa.Connection, map_id: str, *, within_s: float = PRESENCE_TTL_S,
            now: datetime | None = None) -> list[dict[str, Any]]:
    """Return the live sessions of a map, newest heartbeat first.

    Returns
    -------
    list of dict
        ``session_id``, ``user_name``, ``page``, ``entity_id``, ``beat_at``.
    """
    since = _ago(now or datetime.now(UTC), within_s)
    rows = conn.execute(sa.select(presence.c.session_id, presence.c.user_name,
                                  presence.c.page, presence.c.entity_id, presence.c.beat_at)
                        .where(presence.c.map_id == map_id)
                        .where(presence.c.beat_at >= since)
                        .order_by(presence.c.beat_at.desc())).all()
    return [dict(r._mapping) for r in rows]


def mark_seen(conn: sa.Connection, *, map_id: str, user: str, seq: int,
              now: datetime | None = None) -> dict[str, Any]:
    """Remember that ``user`` has seen ``map_id`` up to event ``seq`` (the ONE mark write)."""
    values = {"seen_at": iso(now or datetime.now(UTC)), "seen_seq": int(seq)}
    done = conn.execute(seen_marks.update().where(seen_marks.c.map_id == map_id)
                        .where(seen_marks.c.user_name == user).values(values))
    if done.rowcount == 0:
        conn.execute(seen_marks.insert().values(map_id=map_id, user_name=user, **values))
    return {"map_id": map_id, "user_name": user, **values}


def seen_mark(conn: sa.Connection, map_id: str, user: str) -> dict[str, Any] | None:
    """Return the "gezien" mark of ``user`` on ``map_id`` (None: never marked)."""
    row = conn.execute(sa.select(seen_marks).where(seen_marks.c.map_id == map_id)
                       .where(seen_marks.c.user_name == user)).first()
    return None if row is None else dict(row._mapping)


def fingerprint(rows: Sequence[Mapping[str, Any]]) -> str:
    """Return a short fingerprint of who is on a map, where (not when: beats don't count).

    Equal for the same sessions on the same pages and open actors, whatever their
    heartbeat times, so a watcher that compares fingerprints redraws the presence
    only when somebody came, went, or moved to another page or actor.
    """
    keys = sorted({(str(r["session_id"]), str(r["user_name"]), str(r["page"]),
                    str(r["entity_id"] or "")) for r in rows})
    return hashlib.sha1(json.dumps(keys).encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
