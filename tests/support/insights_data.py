"""The constructed insights map (tests of insights, the report CLI and the page share it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from buurtkaart.auth import accounts
from buurtkaart.core.place import Place
from buurtkaart.insights import MapData
from buurtkaart.store import open_store

ORG = (50.8552, 4.3387)
M_PER_DEG_LAT = 111_195.08  # 6371008.8 * pi / 180
TODAY = date(2026, 11, 28)


def north(metres: float) -> tuple[float, float]:
    """A point ``metres`` due north of the organisation (distance = metres exactly)."""
    return ORG[0] + metres / M_PER_DEG_LAT, ORG[1]


def place(osm_id: str, category: str, metres: float) -> dict[str, Any]:
    lat, lon = north(metres)
    return {"osm_id": osm_id, "name": osm_id, "category": category, "lat": lat, "lon": lon}


def actor(key: str, name: str, strength: int, status: str, metres: float, **kw: Any) -> dict:
    lat, lon = north(metres)
    base = {"id": key, "name": name, "strength": strength, "status": status, "lat": lat,
            "lon": lon, "roles": [], "kind": "organisation", "leaning": "neutral",
            "osm_id": None, "category": None, "last_contact": None}
    return {**base, **kw}


def constructed_map() -> MapData:
    places = [place("node/1", "worship_muslim", 300), place("node/2", "worship_muslim", 400),
              place("node/3", "worship_muslim", 500), place("node/10", "school", 200),
              place("node/11", "school", 600), place("node/20", "library", 350),
              place("node/30", "youth_centre", 260), place("way/40", "public_space", 50),
              place("way/41", "public_space", 80)]
    actors = [
        actor("A", "School X", 2, "cooperating", 200, osm_id="node/10",
              last_contact="2026-10-01"),
        actor("B", "Bib", 1, "to_contact", 350, osm_id="node/20"),
        actor("C", "Jeugdhuis", 3, "cooperating", 260, osm_id="node/30",
              last_contact="2026-03-15"),
        actor("K", "Fatima", 3, "cooperating", 120, kind="person", roles=["sleutelfiguur"],
              last_contact="2026-11-01"),
        actor("P1", "Ouder 1", 0, "to_contact", 210, kind="person", roles=["doelpubliek"]),
        actor("P2", "Ouder 2", 0, "to_contact", 220, kind="person", roles=["doelpubliek"]),
        actor("P3", "Ouder 3", 0, "to_contact", 230, kind="person", roles=["doelpubliek"]),
        actor("D", "Buurthuis", 0, "to_contact", 900),
        actor("E", "Imam", 0, "to_contact", 310, category="worship_muslim"),
    ]
    links = [{"from_id": "K", "to_id": p, "type": "knows", "strength": 2}
             for p in ("P1", "P2", "P3")]
    links += [{"from_id": "P2", "to_id": "P3", "type": "family", "strength": 3},
              {"from_id": "A", "to_id": "C", "type": "partner", "strength": 1}]
    contacts = [{"actor_id": "C", "date": "2026-04-01"}, {"actor_id": "A", "date": "2026-01-01"}]
    the_map = {"id": "m1", "name": "molenbeek", "org_name": "Ons Huis", "lat": ORG[0],
               "lon": ORG[1], "lang": "nl"}
    return MapData(the_map, actors, links, contacts, places, "test")


def fill_store(url: str, name: str = "molenbeek") -> dict[str, str]:
    """Write the constructed map into the store; return test key -> stored actor id."""
    data = constructed_map()
    store = open_store(url)
    try:
        the_map = store.create_map("tester", name=name, org_name="Ons Huis",
                                   lat=data.map["lat"], lon=data.map["lon"])
        places = [Place(p["osm_id"], p["name"], None, None, p["category"], p["lat"], p["lon"],
                        {}, "test") for p in data.places]
        store.import_places("tester", the_map["id"], places, source="test")
        ids: dict[str, str] = {}
        for a in data.actors:
            fields = {k: a[k] for k in ("name", "strength", "status", "lat", "lon", "roles",
                                        "kind", "leaning", "osm_id", "category", "last_contact")}
            fields["location_precision"] = "exact"
            ids[a["id"]] = store.add_actor("tester", the_map["id"], **fields)["id"]
        for link in data.links:
            store.add_link("tester", the_map["id"], ids[link["from_id"]], ids[link["to_id"]],
                           link["type"], link["strength"])
        for c in data.contacts:
            store.add_contact("tester", ids[c["actor_id"]], c["date"], "visit", "reached")
        empty = store.create_map("tester", name="leeg", org_name="Niemand",
                                 lat=data.map["lat"], lon=data.map["lon"])
        # The CLI acts as BUURTKAART_USER=tester, a viewer of both maps.
        accounts.add_user(store, "tester", None, map_id=the_map["id"], role="viewer")
        accounts.add_user(store, "tester", None, map_id=empty["id"], role="viewer")
    finally:
        store.close()
    return ids
