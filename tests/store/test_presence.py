"""Live map in the store: the live poll, presence heartbeats and "gezien" marks (both backends)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart._errors import PermissionDenied
from buurtkaart.auth import accounts
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.store import Store, open_store
from buurtkaart.store import presence as pres
from buurtkaart.store.live import GAP_TTL_S, LiveCursor


def _events(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one())


@pytest.fixture
def world(store: Store) -> dict[str, Any]:
    m = store.create_map("amina", name="Buurthuis", org_name="Vzw", lat=50.855, lon=4.338)
    accounts.add_user(store, "amina", None, map_id=m["id"], role="editor")
    accounts.add_user(store, "youssef", None, map_id=m["id"], role="editor")
    accounts.add_user(store, "vera", None, map_id=m["id"], role="viewer")
    accounts.add_user(store, "otto", None)
    return {"store": store, "map": m["id"]}


def test_the_live_poll_returns_only_newer_events_with_who_and_what(world: dict[str, Any]) -> None:
    store, map_id = world["store"], world["map"]
    start = store.latest_seq(map_id)
    mosque = store.add_actor("amina", map_id, name="Moskee Al-Khalil", roles=["partner"])
    store.update_actor("youssef", mosque["id"], {"strength": 2})
    rows = store.live_events(map_id, start)
    assert [(r["user"], r["op"], r["label"], r["entity"]) for r in rows] == [
        ("amina", "insert", "Moskee Al-Khalil", "actor"),
        ("youssef", "update", "Moskee Al-Khalil", "actor")]
    assert rows[-1]["seq"] == store.latest_seq(map_id)
    assert store.live_events(map_id, rows[-1]["seq"]) == []
    assert store.live_events(map_id, rows[-1]["seq"], also=[rows[0]["seq"]]) == rows[:1]


def test_the_live_poll_uses_the_map_seq_index(sqlite_url: str) -> None:
    """SQLite's plan names the index (PostgreSQL's is measured at 2M events in bench/store.py)."""
    with open_store(sqlite_url) as store, store.engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT seq FROM events WHERE map_id = 'x' AND seq > 5 "
            "ORDER BY seq LIMIT 200").all()
    assert "ix_events_map_seq" in " ".join(str(r) for r in plan)


def test_cursor_keeps_holes_and_returns_late_commits_once() -> None:
    cursor = LiveCursor(last=10)
    new = cursor.advance([{"seq": 11}, {"seq": 14}], now=0.0)
    assert [r["seq"] for r in new] == [11, 14]
    assert cursor.wanted(now=1.0) == [12, 13]
    assert [r["seq"] for r in cursor.advance([{"seq": 13}, {"seq": 14}], now=2.0)] == [13]
    assert cursor.wanted(now=3.0) == [12]
    assert cursor.wanted(now=GAP_TTL_S + 1) == []  # a rolled-back seq is given up
    assert cursor.advance([{"seq": 14}], now=GAP_TTL_S + 2) == []


@pytest.mark.pg
def test_a_lower_seq_committed_late_is_not_skipped(pg_server: Any) -> None:
    store = open_store(pg_server.create_schema())
    try:
        m = store.create_map("amina", name="Laat", org_name="Vzw", lat=50.85, lon=4.34)
        cursor = LiveCursor(last=store.latest_seq(m["id"]))
        inside, release = threading.Event(), threading.Event()

        def slow() -> None:  # takes its seq first, commits last
            with store.transaction():
                store.add_actor("amina", m["id"], name="Traag")
                inside.set()
                release.wait(20)

        worker = threading.Thread(target=slow)
        worker.start()
        assert inside.wait(20)
        store.add_actor("youssef", m["id"], name="Snel")
        first = cursor.advance(store.live_events(m["id"], cursor.last, cursor.wanted()))
        assert [r["label"] for r in first] == ["Snel"]
        release.set()
        worker.join(20)
        late = cursor.advance(store.live_events(m["id"], cursor.last, cursor.wanted()))
        assert [r["label"] for r in late] == ["Traag"]
    finally:
        store.close()


def test_presence_heartbeats_expire_and_write_no_event(world: dict[str, Any]) -> None:
    store, map_id = world["store"], world["map"]
    before = _events(store)
    store.heartbeat("amina", map_id, "s-amina", "kaart")
    store.heartbeat("youssef", map_id, "s-yous", "kaart", entity_id="actor-1")
    store.heartbeat("youssef", map_id, "s-yous", "actoren")  # same session: one row
    here = {(p["user_name"], p["page"], p["entity_id"]) for p in store.present(map_id)}
    assert here == {("amina", "kaart", None), ("youssef", "actoren", None)}
    assert _events(store) == before, "presence is not a domain event"
    later = datetime.now(UTC) + timedelta(seconds=pres.PRESENCE_TTL_S + 1)
    with store.engine.connect() as conn:
        assert pres.present(conn, map_id, now=later) == []
    store.leave_map("amina", map_id, "s-amina")
    assert [p["user_name"] for p in store.present(map_id)] == ["youssef"]


def test_old_presence_rows_are_pruned_by_the_next_heartbeat(world: dict[str, Any]) -> None:
    store, map_id = world["store"], world["map"]
    old = datetime.now(UTC) - timedelta(seconds=pres.PRUNE_S + 60)
    with store.transaction() as conn:
        pres.beat(conn, session_id="s-old", map_id=map_id, user="amina", page="kaart",
                  entity_id=None, now=old)
    store.heartbeat("youssef", map_id, "s-new", "kaart")
    with store.engine.connect() as conn:
        ids = conn.execute(sa.text("SELECT session_id FROM presence")).scalars().all()
    assert ids == ["s-new"]


def test_presence_is_guarded_read_and_own_name(world: dict[str, Any]) -> None:
    store, map_id = world["store"], world["map"]
    GuardedStore(store, "vera").heartbeat("vera", map_id, "s-vera", "kaart")  # viewers too
    with pytest.raises(PermissionDenied):
        GuardedStore(store, "vera").heartbeat("amina", map_id, "s-fake", "kaart")
    with pytest.raises(PermissionDenied):
        GuardedStore(store, "otto").heartbeat("otto", map_id, "s-otto", "kaart")
    with pytest.raises(PermissionDenied):
        GuardedStore(store, "otto").present(map_id)
    assert [p["user_name"] for p in store.present(map_id)] == ["vera"]


def test_seen_mark_shows_changes_by_others_since(world: dict[str, Any]) -> None:
    store, map_id = world["store"], world["map"]
    school = store.add_actor("amina", map_id, name="School De Boom")
    assert store.changes_since_seen("amina", map_id) == []  # never marked: nothing counted
    before = _events(store)
    mark = store.mark_seen("amina", map_id)
    assert _events(store) == before and mark["seen_seq"] == store.latest_seq(map_id)
    store.update_actor("amina", school["id"], {"notes": "eigen werk"})
    store.update_actor("youssef", school["id"], {"strength": 3})
    store.add_actor("youssef", map_id, name="Moskee Al-Khalil")
    changes = store.changes_since_seen("amina", map_id)
    assert [(c["label"], c["op"], c["users"]) for c in changes] == [
        ("School De Boom", "update", ["youssef"]), ("Moskee Al-Khalil", "insert", ["youssef"])]
    assert changes[0]["diff"] == {"strength": [0, 3]}
    store.mark_seen("amina", map_id)
    assert store.changes_since_seen("amina", map_id) == []
    assert store.seen_mark("youssef", map_id) is None


def test_holes_that_are_other_maps_events_are_dropped(world: dict[str, Any]) -> None:
    store, map_id = world["store"], world["map"]
    other = store.create_map("amina", name="Ander", org_name="Vzw", lat=50.84, lon=4.35)
    cursor = LiveCursor(last=store.latest_seq(map_id))
    store.add_actor("amina", other["id"], name="Elders")  # takes a seq of the other map
    store.add_actor("amina", map_id, name="Hier")
    new = cursor.advance(store.live_events(map_id, cursor.last, cursor.wanted()))
    assert [r["label"] for r in new] == ["Hier"]
    holes = cursor.wanted()
    assert holes, "the other map's seq is a hole at first"
    assert store.taken_elsewhere(map_id, holes) == holes
    cursor.drop(store.taken_elsewhere(map_id, holes))
    assert cursor.wanted() == []
    assert store.taken_elsewhere(map_id, [10_000_000]) == [], "an unused seq stays a hole"
