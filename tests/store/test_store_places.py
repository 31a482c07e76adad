"""OSM place imports, dismissals and accepting places as actors, on both backends."""

from __future__ import annotations

import pytest

from buurtkaart.core.place import Place
from buurtkaart.store import Store

SQUARE = {"type": "Polygon", "coordinates": [[[4.338, 50.855], [4.339, 50.855],
                                              [4.339, 50.856], [4.338, 50.855]]]}


def _places(n: int, source: str = "file:test.osm.pbf") -> list[Place]:
    out = []
    for i in range(n):
        out.append(Place(osm_id=f"node/{1000 + i}", name=f"Plek {i}",
                         name_nl=f"Plek {i}" if i % 2 else None,
                         name_fr=f"Lieu {i}" if i % 3 else None,
                         category="school" if i % 2 else "shop_food",
                         lat=50.85 + i * 1e-4, lon=4.33 + i * 1e-4,
                         tags={"amenity": "school", "name": f"Plek {i}", "note": "é & <b>"},
                         source=source, geometry=SQUARE if i == 0 else None,
                         distance_m=float(i * 10)))
    return out


def _map(store: Store) -> str:
    return str(store.create_map("ann", name="Plekken", org_name="O", lat=50.85, lon=4.33)["id"])


def test_import_keeps_every_place_exactly(store: Store) -> None:
    map_id = _map(store)
    places = _places(25)
    first = store.import_places("ann", map_id, places, source="file:a.pbf", source_hash="abc",
                                area={"kind": "circle", "center": [50.85, 4.33], "radius_m": 500})
    second = store.import_places("bob", map_id, places[:3], source="overpass")
    assert store.get_import_places(first) == places
    assert store.get_import_places(second) == places[:3]
    imports = store.list_imports(map_id)
    assert [i["id"] for i in imports] == [second, first]
    assert imports[1]["place_count"] == 25 and imports[1]["source_hash"] == "abc"
    assert imports[1]["area"]["radius_m"] == 500
    assert [e["op"] for e in store.history(first)] == ["insert"]  # one event per import


def test_dismissals(store: Store) -> None:
    map_id = _map(store)
    first = store.dismiss_place("ann", map_id, "node/1")
    assert store.dismiss_place("bob", map_id, "node/1") == first
    store.dismiss_place("ann", map_id, "way/2")
    assert store.dismissed_places(map_id) == {"node/1", "way/2"}
    store.undismiss_place("ann", map_id, "way/2")
    assert store.dismissed_places(map_id) == {"node/1"}


def test_accept_places_in_one_go(store: Store) -> None:
    map_id = _map(store)
    places = _places(40)
    actors = store.accept_places("ann", map_id, places, roles=["partner"])
    assert len(actors) == 40
    assert {a["osm_id"] for a in actors} == {p.osm_id for p in places}
    by_osm = {a["osm_id"]: a for a in store.list_actors(map_id)}
    for p in places:
        a = by_osm[p.osm_id]
        assert (a["name"], a["category"], a["lat"], a["lon"]) == (p.name, p.category, p.lat,
                                                                  p.lon)
        assert a["roles"] == ["partner"] and a["source"] == p.source
    again = store.accept_places("bob", map_id, places[:5] + _places(1, "overpass"), ["partner"])
    assert again == []  # already actors: skipped
    changes = store.changes_since(map_id, "2000-01-01")
    assert sum(1 for c in changes if c["entity"] == "actor") == 40


def test_accept_places_rolls_back_on_bad_role(store: Store) -> None:
    map_id = _map(store)
    with pytest.raises(Exception, match="'imam'"):
        store.accept_places("ann", map_id, _places(10), roles=["imam"])
    assert store.list_actors(map_id) == []
