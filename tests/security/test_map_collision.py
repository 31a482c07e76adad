"""Attack: a map *named* after a victim map's id (published in every export).

The guard and the store resolve a map reference the same way (id first, then
a unique name), a name equal to another map's id is refused, and the guard
passes the id it checked on to the store. Both backends.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from buurtkaart._errors import InputError, NotFoundError, PermissionDenied
from buurtkaart.auth import accounts
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.store import Store
from buurtkaart.store.schema import maps


def _setup(store: Store) -> tuple[GuardedStore, str, str, str]:
    victim = store.create_map("vic", name="Slachtoffer", org_name="Vzw", lat=50.85, lon=4.34)
    accounts.add_user(store, "vic", "vic-password", map_id=victim["id"], role="admin")
    person = store.add_actor("vic", victim["id"], name="Fatima Geheim", kind="person",
                             roles=["sleutelfiguur"], lat=50.85, lon=4.34)
    attacker = GuardedStore(store, "mallory")
    own = attacker.create_map("mallory", name="Mijn kaart", org_name="X", lat=50.8, lon=4.3)
    return attacker, victim["id"], own["id"], person["id"]


def test_a_map_cannot_be_named_after_another_maps_id(store: Store) -> None:
    attacker, victim_id, own_id, _ = _setup(store)
    with pytest.raises(InputError, match="id of another map"):
        attacker.create_map("mallory", name=victim_id, org_name="X", lat=50.8, lon=4.3)
    with pytest.raises(InputError, match="id of another map"):
        attacker.update_map("mallory", own_id, {"name": victim_id})
    assert store.get_map(victim_id)["name"] == "Slachtoffer"
    assert [m["id"] for m in attacker.list_maps()] == [own_id]


def test_a_colliding_name_in_the_store_still_resolves_to_the_victim(store: Store) -> None:
    """Even if such a name got in (an older version), the guard checks the map it acts on."""
    attacker, victim_id, own_id, person_id = _setup(store)
    with store.transaction() as conn:  # the state an older buurtkaart allowed
        conn.execute(sa.update(maps).where(maps.c.id == own_id).values(name=victim_id))
    with pytest.raises(PermissionDenied):
        attacker.list_actors(victim_id)
    with pytest.raises(PermissionDenied):
        attacker.add_actor("mallory", victim_id, name="Nep", kind="person", lat=50.8, lon=4.3)
    with pytest.raises(PermissionDenied):
        attacker.get_map(victim_id)
    with pytest.raises(PermissionDenied):
        attacker.update_actor("mallory", person_id, {"notes": "gestolen"})
    assert attacker.map_id(victim_id) == victim_id == store.get_map(victim_id)["id"]
    assert store.get_actor(person_id)["notes"] in ("", None)
    # the attacker's own map stays reachable by its id, and acts on that map only
    added = attacker.add_actor("mallory", own_id, name="Bakkerij", kind="organisation",
                               lat=50.8, lon=4.3)
    assert added["map_id"] == own_id


def test_the_guard_hands_the_checked_id_to_the_store(store: Store) -> None:
    attacker, _, own_id, _ = _setup(store)
    added = attacker.add_actor("mallory", "Mijn kaart", name="Bakkerij", kind="organisation",
                               lat=50.8, lon=4.3)
    assert added["map_id"] == own_id  # the name was resolved once, by the guard
    assert [a["id"] for a in attacker.list_actors("Mijn kaart")] == [added["id"]]
    with pytest.raises(NotFoundError):
        attacker.list_actors("Bestaat niet")
