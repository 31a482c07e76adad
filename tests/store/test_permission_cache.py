"""The guard's per-session permission cache (issue 15): fewer queries, same decisions.

A live session polls every 1.5 s; with the cache its map and role look-ups cost no
query, and a role change or removal still counts: it bumps the account's session
version, which the guard reads again every ``CHECK_S`` seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart._errors import PermissionDenied
from buurtkaart.auth import accounts, permcache
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.auth.permcache import PermissionCache
from buurtkaart.store import open_store


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    m = store.create_map("admin", name="Buurthuis", org_name="Vzw De Brug", lat=50.85, lon=4.34)
    accounts.add_user(store, "admin", None, map_id=m["id"], role="admin")
    accounts.add_user(store, "amina", None, map_id=m["id"], role="editor")
    queries: list[str] = []
    for engine in {store.engine, accounts.engine_of(store, read=True)}:
        sa.event.listen(engine, "before_cursor_execute",
                        lambda *a: queries.append(str(a[2])) if str(a[2]) != "BEGIN" else None)
    try:
        yield {"store": store, "map": m["id"], "queries": queries}
    finally:
        store.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The permission cache's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(permcache.time, "monotonic", lambda: now[0])
    return now


def _poll(world: dict[str, Any], cache: PermissionCache) -> int:
    """One live poll through a fresh guard (as each Streamlit run makes one); its statements
    (SQLite's ``BEGIN`` not counted: it opens the same one transaction)."""
    before = len(world["queries"])
    guard = GuardedStore(world["store"], "amina", cache=cache)
    guard.live_events(world["map"], 0)
    return len(world["queries"]) - before


def test_a_cached_poll_is_one_query(world: dict[str, Any]) -> None:
    cache = PermissionCache("amina")
    first = _poll(world, cache)
    assert first >= 3, "the first poll looks up the version, the map and the role"
    assert _poll(world, cache) == 1, "later polls are the event query alone"
    assert _poll(world, None) >= 3, "without the cache every poll looks up map and role"
    assert cache.roles == {world["map"]: "editor"}


def test_a_role_change_empties_the_cache_at_the_next_check(
        world: dict[str, Any], clock: list[float]) -> None:
    cache = PermissionCache("amina")
    guard = GuardedStore(world["store"], "amina", cache=cache)
    guard.add_actor("amina", world["map"], name="Moskee Al-Khalil")
    admin = GuardedStore(world["store"], "admin")
    admin.set_role("amina", world["map"], "viewer")  # bumps amina's session version
    clock[0] += permcache.CHECK_S - 1
    assert guard.role(world["map"]) == "editor", "within CHECK_S the cached role holds"
    clock[0] += 2
    assert guard.role(world["map"]) == "viewer", "after CHECK_S the new version empties it"
    with pytest.raises(PermissionDenied):
        guard.add_actor("amina", world["map"], name="Jeugdhuis")


def test_a_removed_member_is_refused_after_the_check(
        world: dict[str, Any], clock: list[float]) -> None:
    cache = PermissionCache("amina")
    guard = GuardedStore(world["store"], "amina", cache=cache)
    assert guard.live_events(world["map"], 0) is not None
    GuardedStore(world["store"], "admin").remove_user("amina", world["map"])
    clock[0] += permcache.CHECK_S
    with pytest.raises(PermissionDenied):
        guard.live_events(world["map"], 0)
    assert cache.roles == {}


def test_no_role_is_not_cached_and_a_cache_serves_one_user(world: dict[str, Any]) -> None:
    cache = PermissionCache("youssef")
    guard = GuardedStore(world["store"], "youssef", cache=cache)
    assert guard.role(world["map"]) is None
    assert cache.roles == {}, "a missing role is asked again (a new membership counts at once)"
    GuardedStore(world["store"], "admin").add_user("youssef", None, map_id=world["map"],
                                                   role="viewer")
    assert guard.role(world["map"]) == "viewer"
    other = GuardedStore(world["store"], "amina", cache=cache)  # another user's cache
    assert other.role(world["map"]) == "editor"
    assert cache.roles == {world["map"]: "viewer"}, "amina's role did not enter youssef's cache"


def test_the_map_list_uses_the_cache_and_a_removal_still_hides_the_map(
        world: dict[str, Any], clock: list[float]) -> None:
    cache = PermissionCache("amina")
    guard = GuardedStore(world["store"], "amina", cache=cache)
    assert [m["id"] for m in guard.list_maps()] == [world["map"]]
    before = len(world["queries"])
    assert [m["id"] for m in guard.list_maps()] == [world["map"]]
    assert len(world["queries"]) - before == 1, "the maps query alone: roles from the cache"
    GuardedStore(world["store"], "admin").remove_user("amina", world["map"])
    clock[0] += permcache.CHECK_S
    assert guard.list_maps() == [], "after the check the removed member sees no map"
