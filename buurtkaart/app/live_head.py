"""What every live watcher of a map asks, read once per process and shared.

Two small numbers describe whether an open page has anything to show: the map's
newest event number (:func:`newest`) and a fingerprint of who is on it
(:func:`here`). Each is read from the database by whichever session or watcher
asks first and then serves every session of this app process for a moment
(:data:`HEAD_TTL_S`, :data:`HERE_TTL_S`). Every replica reads its own, from the
database, so nothing is missed across replicas; the cache only bounds how often
one process asks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from buurtkaart.core.ports import LiveReader
from buurtkaart.store.presence import fingerprint

#: Seconds one read of a map's newest event number serves every session of this process.
#: With 20 open pages the database sees at most four such reads per map per second per
#: app process (an index-only read of 0.05 ms server-side), not one per page per poll.
HEAD_TTL_S = 0.25

#: Seconds one read of who is on a map serves every session of this process (heartbeats
#: come every 10 s; a new colleague shows within about this plus one watcher poll).
HERE_TTL_S = 2.0

_HEADS: dict[str, tuple[int, float]] = {}
_HERE: dict[str, tuple[str, float]] = {}
_LOCK = threading.Lock()


def _cached(table: dict[str, tuple[Any, float]], key: str, ttl_s: float,
            read: Callable[[], Any], now: float | None) -> Any:
    """Return ``table[key]`` while younger than ``ttl_s``, else ``read()`` (outside the lock)."""
    moment = time.monotonic() if now is None else now
    with _LOCK:
        cached = table.get(key)
    if cached is not None and 0 <= moment - cached[1] < ttl_s:
        return cached[0]
    value = read()  # outside the lock: a slow read blocks no other session
    with _LOCK:
        table[key] = (value, moment)
    return value


def newest(store: LiveReader, map_id: str, now: float | None = None) -> int:
    """Return the newest event number of ``map_id``, read at most every :data:`HEAD_TTL_S`.

    ``store`` is the raw store (the caller checked the right to read the map: the
    guard for a page run, the token for the endpoint).
    """
    return int(_cached(_HEADS, map_id, HEAD_TTL_S, lambda: store.latest_seq(map_id), now))


def here(store: LiveReader, map_id: str, now: float | None = None) -> str:
    """Return the fingerprint of who is on ``map_id``, read at most every :data:`HERE_TTL_S`."""
    return str(_cached(_HERE, map_id, HERE_TTL_S,
                       lambda: fingerprint(store.present(map_id)), now))


def peek(map_id: str, now: float | None = None) -> tuple[int, str] | None:
    """Return the cached ``(newest, here)`` of ``map_id`` while both are fresh, else None.

    No I/O: the live endpoint answers from this in its event loop, and goes to a
    worker thread (and the database) only when a read is due.
    """
    moment = time.monotonic() if now is None else now
    with _LOCK:
        head, fp = _HEADS.get(map_id), _HERE.get(map_id)
    if head is None or fp is None:
        return None
    if not (0 <= moment - head[1] < HEAD_TTL_S and 0 <= moment - fp[1] < HERE_TTL_S):
        return None
    return int(head[0]), str(fp[0])


def forget() -> None:
    """Drop every cached number (a test, or a store that was replaced)."""
    with _LOCK:
        _HEADS.clear()
        _HERE.clear()
