"""Benchmark of the store: "changes since" and committing one edit, SQLite and PostgreSQL.

Builds a map with 10,000 actors (inserted through the write path, one
transaction) and 200,000 events (the rest are historic actor updates spread
over two years, bulk-inserted) and refreshes the planner statistics, then measures, on each backend:

- ``changes_since(map, one week ago)`` (grouped per actor with field diffs);
  goal < 50 ms. Peer: the bare SQL read of the same event rows.
- committing one ``update_actor`` through the write path (lock, version
  compare-and-swap, event row, commit); goal < 20 ms on SQLite. Peer: a bare
  one-row ``UPDATE`` + commit without event.

PostgreSQL runs on a throwaway cluster started by this script (skipped when
the binaries are absent). Run: ``.venv/bin/python bench/store.py``.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from buurtkaart.store import Store, open_store  # noqa: E402
from buurtkaart.store.records import iso  # noqa: E402
from buurtkaart.store.schema import actors, events  # noqa: E402

N_ACTORS = 10_000
N_EVENTS = 200_000
NOW = datetime.now(UTC)
SINCE = NOW - timedelta(days=7)
REPEATS = 30


def _median_ms(func: Callable[[], Any], repeats: int = REPEATS) -> float:
    func()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def build(store: Store) -> tuple[str, list[str]]:
    """Create the map, 10,000 actors and the historic events; return (map id, actor ids)."""
    rng = random.Random(1)
    m = store.create_map("bench", name="Bench", org_name="Bench", lat=50.85, lon=4.34)
    ops = [("actor", "insert", None, {"name": f"Actor {i}", "roles": ["partner"],
                                      "lat": 50.8 + rng.random() / 10,
                                      "lon": 4.3 + rng.random() / 10})
           for i in range(N_ACTORS)]
    created = store.apply_many("bench", m["id"], ops)
    ids = [a["id"] for a in created]
    historic = N_EVENTS - N_ACTORS - 1
    start = NOW - timedelta(days=730)
    step = (SINCE - start) / historic
    rows = []
    for i in range(historic):
        actor = created[rng.randrange(N_ACTORS)]
        at = iso(start + step * i)
        rows.append({"id": str(uuid.uuid4()), "map_id": m["id"], "entity": "actor",
                     "entity_id": actor["id"], "op": "update", "user": f"user{i % 7}",
                     "at": at, "before": {**actor, "notes": f"n{i - 1}"},
                     "after": {**actor, "notes": f"n{i}"}})
    with store.transaction() as conn:
        conn.execute(events.update().where(events.c.map_id == m["id"])
                     .values(at=iso(start - timedelta(days=1))))  # the map and actors are old
        for chunk in range(0, len(rows), 10_000):
            conn.execute(events.insert(), rows[chunk:chunk + 10_000])
    _analyze(store)
    return str(m["id"]), ids


def _analyze(store: Store) -> None:
    """Refresh planner statistics after the bulk load, as a live store would have."""
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def measure(store: Store, label: str) -> dict[str, float]:
    """Build the data on ``store`` and print the figures."""
    t0 = time.perf_counter()
    map_id, ids = build(store)
    print(f"[{label}] built {N_ACTORS} actors, {N_EVENTS} events in "
          f"{time.perf_counter() - t0:.1f} s")
    rng = random.Random(2)
    for i in range(300):  # a week of recent activity through the write path
        store.update_actor(f"user{i % 5}", rng.choice(ids), {"strength": i % 4})
    since = iso(SINCE)
    changes = store.changes_since(map_id, since)
    with store.engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
    print(f"[{label}] events in store: {total}; changes since {since[:10]}: "
          f"{len(changes)} actors")

    def peer_read() -> None:
        with store.engine.connect() as conn:
            conn.execute(sa.select(events).where(events.c.map_id == map_id)
                         .where(events.c.at > since).order_by(events.c.at, events.c.seq)).all()

    counter = iter(range(10**9))

    def edit() -> None:
        store.update_actor("bench", rng.choice(ids), {"notes": f"edit {next(counter)}"})

    def peer_edit() -> None:
        with store.engine.begin() as conn:
            conn.execute(actors.update().where(actors.c.id == rng.choice(ids))
                         .values(notes=f"raw {next(counter)}"))

    figures = {
        "changes_since_ms": _median_ms(lambda: store.changes_since(map_id, since)),
        "changes_peer_ms": _median_ms(peer_read),
        "edit_ms": _median_ms(edit),
        "edit_peer_ms": _median_ms(peer_edit),
    }
    print(f"[{label}] changes_since: {figures['changes_since_ms']:.1f} ms (goal < 50), "
          f"bare SQL read {figures['changes_peer_ms']:.1f} ms, ratio "
          f"{figures['changes_since_ms'] / figures['changes_peer_ms']:.2f}")
    print(f"[{label}] commit one edit: {figures['edit_ms']:.1f} ms (goal < 20), "
          f"bare UPDATE+commit {figures['edit_peer_ms']:.1f} ms, ratio "
          f"{figures['edit_ms'] / figures['edit_peer_ms']:.2f}")
    return figures


def main() -> None:
    """Run both backends and print the figures."""
    tmp = Path(tempfile.mkdtemp(prefix="buurtkaart-bench-"))
    tmp.chmod(0o755)  # the postgres user must reach its data folder
    try:
        with open_store(str(tmp / "bench.db")) as store:
            measure(store, "sqlite")
        try:
            from support.fixtures_store import start_pg_server, stop_pg_server
        except ImportError as e:  # pragma: no cover
            print(f"[postgresql] skipped: {e}")
            return
        try:
            server, proc = start_pg_server(tmp / "pg")
        except Exception as e:
            print(f"[postgresql] skipped: cannot start a server ({e})")
            return
        try:
            with open_store(server.create_database()) as store:
                measure(store, "postgresql")
        finally:
            stop_pg_server(proc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)




def city() -> None:
    """``--city``: 200 maps, 50,000 actors, 2,000,000 events on PostgreSQL (bench/city.py)."""
    from support.fixtures_store import start_pg_server, stop_pg_server

    sys.path.insert(0, str(ROOT / "bench"))
    import city as city_bench

    tmp = Path(tempfile.mkdtemp(prefix="buurtkaart-city-"))
    tmp.chmod(0o755)
    server, proc = start_pg_server(tmp / "pg")
    try:
        with open_store(server.create_database()) as store:
            city_bench.measure(store)
    finally:
        stop_pg_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if "--city" in sys.argv:
        city()
    else:
        main()
