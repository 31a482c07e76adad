"""City scale on PostgreSQL (issue 15): 200 maps, 50,000 actors, 2,000,000 events.

Rows are generated in bulk SQL (``INSERT ... SELECT generate_series``), not
through the write path, to keep the build fast; then "changes since", the live
poll, presence and one edit are timed through the store. Used by
``bench/store.py --city`` (sizes from ``BENCH_CITY_EVENTS`` etc.).
"""

from __future__ import annotations

import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from buurtkaart.auth import accounts
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.auth.permcache import PermissionCache
from buurtkaart.store import Store
from buurtkaart.store import history as hist
from buurtkaart.store.records import iso
from buurtkaart.store.schema import actors, maps

N_MAPS = int(os.environ.get("BENCH_CITY_MAPS", "200"))
N_ACTORS = int(os.environ.get("BENCH_CITY_ACTORS", "50000"))
N_EVENTS = int(os.environ.get("BENCH_CITY_EVENTS", "2000000"))
REPEATS = 30

_EVENTS_SQL = """
INSERT INTO events (id, map_id, entity, entity_id, op, "user", at, before, after)
SELECT md5(g::text || 'e')::uuid::text, a.map_id, 'actor', a.id, 'update', 'user' || (g % 7),
       to_char(((CAST(:start AS timestamptz)) + (g::bigint * CAST(:step AS bigint))
                * interval '1 microsecond') AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
       json_build_object('id', a.id, 'name', a.name, 'notes', 'n' || (g - 1)),
       json_build_object('id', a.id, 'name', a.name, 'notes', 'n' || g)
FROM generate_series(:lo, :hi) AS g
JOIN numbered a ON a.n = g % :n_actors
"""


def _median_ms(func: Callable[[], Any]) -> float:
    func()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _median_cpu_ms(func: Callable[[], Any]) -> float:
    """The client's CPU per call (ms): what the load on a shared machine does not inflate."""
    func()
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        func()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def build(store: Store) -> list[str]:
    """Bulk-load the maps, actors and events; return the map ids."""
    now = datetime.now(UTC)
    old = iso(now - timedelta(days=800))
    book = {"created_by": "bench", "created_at": old, "updated_by": "bench",
            "updated_at": old, "version": 1}
    template = store.create_map("bench", name="Tmpl", org_name="T", lat=50.85, lon=4.34)
    actor = store.add_actor("bench", template["id"], name="Tmpl", roles=["partner"])
    map_rows = [{**template, **book, "id": str(uuid.uuid4()), "name": f"Kaart {i}"}
                for i in range(N_MAPS)]
    rng = random.Random(3)
    actor_rows = [{**actor, **book, "id": str(uuid.uuid4()), "name": f"Actor {i}",
                   "map_id": map_rows[i % N_MAPS]["id"], "lat": 50.8 + rng.random() / 10,
                   "lon": 4.3 + rng.random() / 10} for i in range(N_ACTORS)]
    for row in actor_rows:
        row.pop("geom", None)
    start = now - timedelta(days=730)
    step = int(((now - timedelta(days=7)) - start) / timedelta(microseconds=1) / N_EVENTS)
    with store.transaction() as conn:
        conn.execute(maps.insert(), map_rows)
        for i in range(0, N_ACTORS, 5000):
            conn.execute(actors.insert(), actor_rows[i:i + 5000])
        conn.exec_driver_sql("CREATE TEMP TABLE numbered AS SELECT id, map_id, name, "
                             "(row_number() OVER (ORDER BY id)) - 1 AS n FROM actors "
                             "WHERE name <> 'Tmpl'")
        conn.exec_driver_sql("CREATE INDEX ON numbered (n)")
        for lo in range(1, N_EVENTS + 1, 250_000):
            conn.execute(sa.text(_EVENTS_SQL), {"start": iso(start), "step": step, "lo": lo,
                                                "hi": min(lo + 249_999, N_EVENTS),
                                                "n_actors": N_ACTORS})
    with store.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return [str(m["id"]) for m in map_rows]


def measure(store: Store) -> dict[str, float]:
    """Build the city and print the timings (medians of 30 runs, ms)."""
    t0 = time.perf_counter()
    map_ids = build(store)
    with store.engine.connect() as conn:
        total = conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
    print(f"[city] built {N_MAPS} maps, {N_ACTORS} actors, {total} events in "
          f"{time.perf_counter() - t0:.0f} s")
    map_id = map_ids[17]
    ids = [a["id"] for a in store.list_actors(map_id)]
    rng = random.Random(4)
    for i in range(300):  # a week of recent work on this map, through the write path
        store.update_actor(f"user{i % 5}", rng.choice(ids), {"strength": i % 4})
    for i in range(20):
        store.heartbeat(f"user{i}", map_id, f"s{i}", "kaart")
    store.mark_seen("user0", map_id)
    for i in range(30):
        store.update_actor("user1", rng.choice(ids), {"notes": f"na gezien {i}"})
    since = iso(datetime.now(UTC) - timedelta(days=7))
    latest = store.latest_seq(map_id)
    with store.engine.connect() as conn:  # a cursor 20 events of this map back
        back = int(conn.execute(sa.text("SELECT seq FROM events WHERE map_id = :m ORDER BY seq "
                                        "DESC LIMIT 1 OFFSET 19"), {"m": map_id}).scalar_one())

    accounts.add_user(store, "user0", None, map_id=map_id, role="editor")
    guard = GuardedStore(store, "user0", cache=PermissionCache("user0"))  # as the app polls
    bare = GuardedStore(store, "user0")  # peer: the guard without the session's cache

    def floor() -> None:  # the bare round trip: a connection from the pool and SELECT 1
        with store.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1").scalar()
    counter = iter(range(10**9))
    figures = {
        "changes_since_ms": _median_ms(lambda: store.changes_since(map_id, since)),
        "changes_since_cpu_ms": _median_cpu_ms(lambda: store.changes_since(map_id, since)),
        "changes_since_before_cpu_ms": _median_cpu_ms(lambda: hist.group_changes(
            [dict(e) for e in store.events_since(map_id, since)])),
        "poll_guarded_ms": _median_ms(lambda: guard.live_events(map_id, latest)),
        "poll_guarded_uncached_ms": _median_ms(lambda: bare.live_events(map_id, latest)),
        "changes_since_before_ms": _median_ms(lambda: hist.group_changes(
            [dict(e) for e in store.events_since(map_id, since)])),  # peer: round 3's way
        "changes_since_seen_ms": _median_ms(lambda: store.changes_since_seen("user0", map_id)),
        "poll_idle_ms": _median_ms(lambda: store.live_events(map_id, latest)),
        "poll_20_ms": _median_ms(lambda: store.live_events(map_id, back)),
        "floor_select_1_ms": _median_ms(floor),
        "latest_seq_ms": _median_ms(lambda: store.latest_seq(map_id)),
        "present_ms": _median_ms(lambda: store.present(map_id)),
        "heartbeat_ms": _median_ms(lambda: store.heartbeat("user0", map_id, "s0", "kaart")),
        "edit_ms": _median_ms(lambda: store.update_actor(
            "bench", rng.choice(ids), {"notes": f"edit {next(counter)}"})),
    }
    for name, value in figures.items():
        print(f"[city] {name}: {value:.2f} ms (goal < 50)")
    print(f"[city] load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    explain(store, map_id, latest, back, since)
    return figures


_PLANS = {
    "poll_idle": "SELECT seq FROM events WHERE map_id = :m AND seq > :latest "
                 "ORDER BY seq LIMIT 200",
    "poll_20": "SELECT seq, after->>'name' FROM events WHERE map_id = :m AND seq > :back "
               "ORDER BY seq LIMIT 200",
    "latest_seq": "SELECT max(seq) FROM events WHERE map_id = :m",
    "changes_since": "SELECT * FROM events WHERE map_id = :m AND at > :since ORDER BY at, seq",
    "present": "SELECT * FROM presence WHERE map_id = :m AND beat_at >= '2000'",
}


def explain(store: Store, map_id: str, latest: int, back: int, since: str) -> None:
    """Print the plan and the server-side execution time of the live queries."""
    args = {"m": map_id, "latest": latest, "back": back, "since": since}
    with store.engine.connect() as conn:
        for name, sql in _PLANS.items():
            plan = [r[0] for r in conn.execute(sa.text("EXPLAIN (ANALYZE, BUFFERS) " + sql), args)]
            index = next((p.strip() for p in plan if "Index" in p), plan[0].strip())
            took = next((p for p in plan if p.startswith("Execution Time")), "")
            print(f"[city] plan {name}: {index[:90]} | {took}")
