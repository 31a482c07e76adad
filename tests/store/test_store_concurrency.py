"""Many OS processes on one store (load test) and a SIGKILL in a bulk import (kill test)."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart._errors import ConflictError, InputError
from buurtkaart.store import Store, open_store

WORKERS = 8
OPS_PER_WORKER = 25
FIELDS = ("notes", "contact_person", "category")
KILL_SIZE = 700


@pytest.fixture(autouse=True)
def _plain_main(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned children re-run ``__main__``: make it an empty module.

    Streamlit's AppTest (run earlier in the same test process) leaves the app
    script as ``sys.modules["__main__"]``; a spawned child would then execute
    app.py on start-up and die, and a Pool would respawn it forever.
    """
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))


# -- load test --------------------------------------------------------------
def _hammer(url: str, actor_ids: list[str], worker: int) -> list[tuple[Any, ...]]:
    """Worker process: update random fields of shared actors from stale versions."""
    rng = random.Random(worker)
    user = f"worker{worker}"
    outcomes: list[tuple[Any, ...]] = []
    with open_store(url) as store:
        known = {a: store.get_actor(a)["version"] for a in actor_ids}
        for i in range(OPS_PER_WORKER):
            actor_id = rng.choice(actor_ids)
            field = rng.choice(FIELDS)
            value = f"{user}-{i}"
            if rng.random() < 0.5:  # half of the edits start from a fresh read
                known[actor_id] = store.get_actor(actor_id)["version"]
            try:
                done = store.update_actor(user, actor_id, {field: value},
                                          if_version=known[actor_id])
            except ConflictError as err:
                outcomes.append(("conflict", actor_id, field, value, dict(err.conflicts)))
                continue
            known[actor_id] = done["version"]
            outcomes.append(("ok", actor_id, field, value, done["version"]))
    return outcomes


def _run_load(url: str) -> None:
    with open_store(url) as store:
        m = store.create_map("ann", name="Druk", org_name="O", lat=50.85, lon=4.34)
        ids = [store.add_actor("ann", m["id"], name=f"A{i}")["id"] for i in range(3)]
    ctx = mp.get_context("spawn")
    with ctx.Pool(WORKERS) as pool:
        results = pool.starmap(_hammer, [(url, ids, w) for w in range(WORKERS)])
    outcomes = [o for r in results for o in r]
    oks = [o for o in outcomes if o[0] == "ok"]
    conflicts = [o for o in outcomes if o[0] == "conflict"]
    assert len(outcomes) == WORKERS * OPS_PER_WORKER
    assert oks and conflicts, (len(oks), len(conflicts))  # the test really raced
    with open_store(url) as store:
        _check_load(store, ids, oks, conflicts)


def _check_load(store: Store, ids: list[str], oks: list[tuple[Any, ...]],
                conflicts: list[tuple[Any, ...]]) -> None:
    histories = {a: store.history(a) for a in ids}
    for _, actor_id, field, value, version in oks:  # every success is in the log
        [ev] = [e for e in histories[actor_id] if e["after"]["version"] == version]
        assert ev["op"] == "update" and ev["after"][field] == value
        assert ev["user"] == value.rsplit("-", 1)[0]
    for _, actor_id, field, value, found in conflicts:  # reported, never stored
        assert field in found and found[field][1] == value
        assert all(e["after"][field] != value for e in histories[actor_id])
    for actor_id in ids:
        hist = histories[actor_id]
        mine = [o for o in oks if o[1] == actor_id]
        assert [e["op"] for e in hist] == ["insert"] + ["update"] * len(mine)
        assert [e["after"]["version"] for e in hist] == list(range(1, len(mine) + 2))
        final = store.get_actor(actor_id)
        assert final["version"] == len(mine) + 1
        for field in FIELDS:
            writes = sorted((o[4], o[3]) for o in mine if o[2] == field)
            expected = writes[-1][1] if writes else {"notes": "", "contact_person": ""}.get(field)
            assert final[field] == expected, field


@pytest.mark.slow
def test_many_processes_hammer_the_same_actors(store_url: str) -> None:
    _run_load(store_url)


def _open_and_add(url: str, worker: int) -> str:
    with open_store(url) as store:
        maps = store.list_maps()
        map_id = maps[0]["id"] if maps else None
        if map_id is None:
            try:
                map_id = store.create_map(f"w{worker}", name="Samen", org_name="O",
                                          lat=50.85, lon=4.34)["id"]
            except InputError:  # another process created it first
                map_id = store.get_map("Samen")["id"]
        return str(store.add_actor(f"w{worker}", map_id, name=f"A{worker}")["id"])


def test_processes_opening_a_new_store_at_once(store_url: str) -> None:
    with mp.get_context("spawn").Pool(4) as pool:
        ids = pool.starmap(_open_and_add, [(store_url, w) for w in range(4)])
    with open_store(store_url) as store:
        [m] = store.list_maps()
        assert sorted(a["id"] for a in store.list_actors(m["id"])) == sorted(ids)


# -- kill test --------------------------------------------------------------
def _slow_places(marker: str, slow: bool = True) -> Iterator[Any]:
    from buurtkaart.core.place import Place

    for i in range(KILL_SIZE):
        if i == KILL_SIZE // 2:
            Path(marker).write_text("in transaction")
        if slow and i >= KILL_SIZE // 2:
            time.sleep(0.01)  # leave the parent time to kill us mid-way
        yield Place(osm_id=f"node/{i}", name=f"Plek {i}", name_nl=None, name_fr=None,
                    category="school", lat=50.85 + i * 1e-5, lon=4.34, tags={"i": str(i)},
                    source="file:kill.pbf")


def _bulk_accept(url: str, map_id: str, marker: str) -> None:
    with open_store(url) as store:
        store.accept_places("importer", map_id, _slow_places(marker), roles=["partner"])


def _integrity(store: Store) -> None:
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            return
        indexes = conn.exec_driver_sql(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema()").scalars().all()
        assert indexes
        for index in indexes:
            conn.exec_driver_sql(f"SELECT bt_index_check('{index}'::regclass, true)")
        for table in sa.inspect(conn).get_table_names():
            conn.exec_driver_sql(f'SELECT * FROM "{table}"').all()  # full read
        inspector = sa.inspect(conn)
        for table in inspector.get_table_names():  # no orphan behind any foreign key
            for fk in inspector.get_foreign_keys(table):
                on = " AND ".join(f'r."{b}" = t."{a}"' for a, b in
                                  zip(fk["constrained_columns"], fk["referred_columns"],
                                      strict=True))
                orphans = conn.exec_driver_sql(
                    f'SELECT count(*) FROM "{table}" t LEFT JOIN "{fk["referred_table"]}" r '
                    f'ON {on} WHERE r."{fk["referred_columns"][0]}" IS NULL').scalar()
                assert orphans == 0, (table, fk)


@pytest.mark.slow
def test_sigkill_in_bulk_import_leaves_all_or_nothing(store_url: str, tmp_path: Path) -> None:
    with open_store(store_url) as store:
        map_id = store.create_map("ann", name="Kill", org_name="O", lat=50.85, lon=4.34)["id"]
    marker = tmp_path / "marker"
    proc = mp.get_context("spawn").Process(target=_bulk_accept,
                                           args=(store_url, map_id, str(marker)))
    proc.start()
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.is_alive() and time.monotonic() < deadline, "child never got halfway"
        time.sleep(0.02)
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(30)
    assert proc.exitcode == -signal.SIGKILL
    with open_store(store_url) as store:
        _integrity(store)
        assert store.list_actors(map_id) == []  # nothing of the half import
        assert [c["entity"] for c in store.changes_since(map_id, "2000-01-01")] == ["map"]
        places = _slow_places(str(marker), slow=False)
        done = store.accept_places("importer", map_id, places, ["partner"])
        assert len(done) == len(store.list_actors(map_id)) == KILL_SIZE
        _integrity(store)
