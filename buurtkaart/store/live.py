"""The live map in the store: the live poll on the event log, presence, "gezien" marks.

A browser session that shows a map polls :meth:`LiveMixin.live_events` every
few seconds for the events after the last one it has seen (``seq`` greater
than its cursor), served by the ``(map_id, seq)`` index. On PostgreSQL a
sequence number is taken at insert time but becomes visible at commit, so a
longer transaction may commit a *lower* ``seq`` after a higher one was seen;
:class:`LiveCursor` keeps such holes for :data:`GAP_TTL_S` seconds and asks for
them again, so no committed event is skipped. Sequence numbers are shared by all
maps (and account events): a hole that is another map's committed event is
dropped at once (:meth:`LiveCursor.drop`, :meth:`LiveMixin.taken_elsewhere`), so
a busy city store does not keep every session asking. Presence and marks are in
:mod:`buurtkaart.store.presence` (not domain events).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from buurtkaart.store import history as hist
from buurtkaart.store import presence as pres
from buurtkaart.store.actions import action
from buurtkaart.store.base import StoreBase
from buurtkaart.store.schema import events

#: Events returned by one poll at most (a burst beyond this is read by the next polls).
POLL_LIMIT = 200

#: Seconds a hole in the seen sequence numbers is asked for again.
GAP_TTL_S = 15.0

#: Holes kept at most (a bulk import rolled back leaves many; they just expire).
MAX_GAPS = 500


def events_after(conn: sa.Connection, map_id: str, after: int,
                 also: Sequence[int] = (), limit: int = POLL_LIMIT) -> list[dict[str, Any]]:
    """Return compact events of ``map_id`` with ``seq > after`` (or in ``also``), by seq.

    Each is ``{seq, entity, entity_id, op, user, at, label}`` (``label``: the
    record's name or title, ``""`` when it has none or was forgotten).
    """
    cond = events.c.seq > int(after)
    if also:
        cond = sa.or_(cond, events.c.seq.in_([int(s) for s in also]))
    # only the name/title leave the database, not the whole before/after records
    label = sa.func.coalesce(*(side[key].as_string() for side in (events.c.after, events.c.before)
                               for key in ("name", "title")), "")
    rows = conn.execute(sa.select(events.c.seq, events.c.entity, events.c.entity_id,
                                  events.c.op, events.c.user, events.c.at, label.label("label"))
                        .where(events.c.map_id == map_id).where(cond)
                        .order_by(events.c.seq).limit(limit)).all()
    return [{"seq": int(r.seq), "entity": r.entity, "entity_id": r.entity_id, "op": r.op,
             "user": r.user, "at": r.at, "label": str(r.label or "")} for r in rows]


def taken_elsewhere(conn: sa.Connection, map_id: str, seqs: Sequence[int]) -> list[int]:
    """Return which of ``seqs`` are committed events of other maps or of no map."""
    if not seqs:
        return []
    rows = conn.execute(sa.select(events.c.seq)
                        .where(events.c.seq.in_([int(s) for s in seqs]))
                        .where(sa.or_(events.c.map_id.is_(None), events.c.map_id != map_id))).all()
    return sorted(int(r.seq) for r in rows)


def latest_seq(conn: sa.Connection, map_id: str) -> int:
    """Return the newest event ``seq`` of a map (0 when it has none)."""
    value = conn.execute(sa.select(sa.func.max(events.c.seq))
                         .where(events.c.map_id == map_id)).scalar()
    return int(value or 0)


@dataclass
class LiveCursor:
    """Where one session is in the event log of one map: last ``seq`` and open holes.

    Pure bookkeeping (no I/O): :meth:`advance` takes the rows of a poll and
    returns those not seen before.
    """

    last: int
    gaps: dict[int, float] = field(default_factory=dict)

    def wanted(self, now: float | None = None) -> list[int]:
        """Return the holes still worth asking for (expired ones are dropped)."""
        moment = time.monotonic() if now is None else now
        self.gaps = {s: t for s, t in self.gaps.items() if moment - t < GAP_TTL_S}
        return sorted(self.gaps)

    def drop(self, seqs: Iterable[int]) -> None:
        """Forget the holes ``seqs`` (known to be other maps' events: never ours)."""
        for seq in seqs:
            self.gaps.pop(int(seq), None)

    def advance(self, rows: Iterable[dict[str, Any]],
                now: float | None = None) -> list[dict[str, Any]]:
        """Take the rows of one poll; return the new ones, in ``seq`` order."""
        moment = time.monotonic() if now is None else now
        new = []
        for row in sorted(rows, key=lambda r: int(r["seq"])):
            seq = int(row["seq"])
            if seq in self.gaps:
                del self.gaps[seq]
                new.append(row)
            elif seq > self.last:
                for hole in range(self.last + 1, min(seq, self.last + 1 + MAX_GAPS)):
                    self.gaps[hole] = moment
                self.last = seq
                new.append(row)
        if len(self.gaps) > MAX_GAPS:
            self.gaps = dict(sorted(self.gaps.items())[-MAX_GAPS:])
        return new


class LiveMixin(StoreBase):
    """Store methods of the live map: the poll, presence and "gezien" marks."""

    @action("read", map_arg="map_id")
    def live_events(self, map_id: str, after: int,
                    also: Sequence[int] = ()) -> list[dict[str, Any]]:
        """Return the compact events of a map after ``seq`` ``after`` (and the holes ``also``)."""
        with self._reading() as conn:
            return events_after(conn, map_id, after, also)

    @action("read", map_arg="map_id")
    def taken_elsewhere(self, map_id: str, seqs: Sequence[int]) -> list[int]:
        """Return which holes ``seqs`` of a live cursor on ``map_id`` are other maps' events."""
        with self._reading() as conn:
            return taken_elsewhere(conn, map_id, seqs)

    @action("read", map_arg="map_id")
    def latest_seq(self, map_id: str) -> int:
        """Return the newest event ``seq`` of a map (0 when none): a live session starts here."""
        with self._reading() as conn:
            return latest_seq(conn, map_id)

    @action("read", map_arg="map_id")
    def heartbeat(self, user: str, map_id: str, session_id: str, page: str,
                  entity_id: str | None = None) -> None:
        """Say that ``user`` has ``map_id`` open in ``session_id`` on ``page`` (no event)."""
        with self.transaction() as conn:
            pres.beat(conn, session_id=session_id, map_id=map_id, user=user, page=page,
                      entity_id=entity_id)

    @action("read", map_arg="map_id")
    def leave_map(self, user: str, map_id: str, session_id: str) -> None:
        """Remove the presence of ``session_id`` on ``map_id`` (no event)."""
        del user, map_id  # checked by the guard; a session id is one worker's own
        with self.transaction() as conn:
            pres.leave(conn, session_id)

    @action("read", map_arg="map_id")
    def present(self, map_id: str) -> list[dict[str, Any]]:
        """Return who has ``map_id`` open now (heartbeat younger than the presence TTL)."""
        with self._reading() as conn:
            return pres.present(conn, map_id)

    @action("read", map_arg="map_id")
    def mark_seen(self, user: str, map_id: str) -> dict[str, Any]:
        """Mark ``map_id`` "gezien" by ``user`` up to its newest event (no event)."""
        with self.transaction() as conn:
            return pres.mark_seen(conn, map_id=map_id, user=user, seq=latest_seq(conn, map_id))

    @action("read", map_arg="map_id")
    def seen_mark(self, user: str, map_id: str) -> dict[str, Any] | None:
        """Return ``user``'s "gezien" mark on ``map_id`` (None: never marked)."""
        with self._reading() as conn:
            return pres.seen_mark(conn, map_id, user)

    @action("read", map_arg="map_id")
    def changes_since_seen(self, user: str, map_id: str) -> list[dict[str, Any]]:
        """Return the changes by OTHERS since ``user``'s mark, grouped as ``changes_since``.

        Without a mark: an empty list (the first mark starts the count).
        """
        with self._reading() as conn:
            mark = pres.seen_mark(conn, map_id, user)
            if mark is None:
                return []
            return hist.changes(conn, events.c.map_id == map_id,
                                events.c.seq > int(mark["seen_seq"]), events.c.user != user)
