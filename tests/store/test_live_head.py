"""The live poll asks the event log only when there is news (issue 15: idle cost).

Twenty idle sessions in one app process share one read of a map's newest event
number per :data:`~buurtkaart.app.live_head.HEAD_TTL_S`; each session still has its
read permission checked on every poll, and sees every event by others.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart._errors import PermissionDenied
from buurtkaart.app import live, live_head
from buurtkaart.auth import accounts, permcache
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.auth.permcache import PermissionCache
from buurtkaart.store import open_store

SESSIONS = 20


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    m = store.create_map("admin", name="Buurthuis", org_name="Vzw De Brug", lat=50.85, lon=4.34)
    accounts.add_user(store, "admin", None, map_id=m["id"], role="admin")
    for i in range(SESSIONS):
        accounts.add_user(store, f"w{i}", None, map_id=m["id"], role="editor")
    queries: list[str] = []
    for engine in {store.engine, accounts.engine_of(store, read=True)}:
        sa.event.listen(engine, "before_cursor_execute",
                        lambda *a: queries.append(str(a[2])) if str(a[2]) != "BEGIN" else None)
    clock = [5000.0]
    monkeypatch.setattr(live_head.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(permcache.time, "monotonic", lambda: clock[0])
    live_head.forget()
    try:
        yield {"store": store, "map": m["id"], "queries": queries, "clock": clock}
    finally:
        store.close()


def _sessions(world: dict[str, Any]) -> list[tuple[GuardedStore, dict[str, Any]]]:
    out = []
    for i in range(SESSIONS):
        guard = GuardedStore(world["store"], f"w{i}", cache=PermissionCache(f"w{i}"))
        state: dict[str, Any] = {"cursor": None, "map": None}
        assert live.poll(guard, state, world["map"]) == []  # the first poll sets the cursor
        out.append((guard, state))
    return out


def _event_reads(world: dict[str, Any]) -> int:
    return sum(1 for q in world["queries"] if "FROM events" in q)


def test_idle_sessions_share_one_read_per_interval(world: dict[str, Any]) -> None:
    sessions = _sessions(world)
    world["clock"][0] += 2.0
    before = _event_reads(world)
    for guard, state in sessions:  # one tick of every idle session
        assert live.poll(guard, state, world["map"]) == []
    assert _event_reads(world) - before == 1, "one head read serves all twenty sessions"
    world["clock"][0] += live_head.HEAD_TTL_S / 2
    before = _event_reads(world)
    for guard, state in sessions:
        live.poll(guard, state, world["map"])
    assert _event_reads(world) == before, "within the interval no session reads the log"


def test_news_reaches_every_session_after_the_interval(world: dict[str, Any]) -> None:
    sessions = _sessions(world)
    world["clock"][0] += 2.0
    for guard, state in sessions:
        live.poll(guard, state, world["map"])  # the head is read and cached
    world["store"].add_actor("admin", world["map"], name="Moskee Al-Khalil")
    world["clock"][0] += live_head.HEAD_TTL_S
    seen = [live.poll(guard, state, world["map"]) for guard, state in sessions]
    assert all(len(rows) == 1 and rows[0]["label"] == "Moskee Al-Khalil" for rows in seen)
    world["clock"][0] += live_head.HEAD_TTL_S
    assert all(live.poll(guard, state, world["map"]) == [] for guard, state in sessions)


def test_a_removed_member_is_refused_even_from_the_shared_head(world: dict[str, Any]) -> None:
    (guard, state), (other, other_state) = _sessions(world)[:2]
    GuardedStore(world["store"], "admin").remove_user("w0", world["map"])
    world["clock"][0] += permcache.CHECK_S
    before = _event_reads(world)
    live.poll(other, other_state, world["map"])  # the head is fresh in the process cache
    assert _event_reads(world) == before + 1
    with pytest.raises(PermissionDenied):
        live.poll(guard, state, world["map"])
