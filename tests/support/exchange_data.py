"""Shared helpers of the export/import tests: a realistic map with persons and secrets.

Imported by ``test_export*.py``, ``test_import*.py`` and ``test_exchange*.py``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from buurtkaart.store import Store

USER = "amina"
ORG = (50.8552, 4.3387)  # Molenbeek, Place Communale

#: Persons: name, notes and an exact position far (>= 250 m) from every other point.
PERSONS = [
    {"name": "Josianne Vermeulen", "notes": "Josianne opens the reception on Mondays",
     "lat": 50.8601234, "lon": 4.3301234, "roles": ["sleutelfiguur"],
     "contact_person": "Amina"},
    {"name": "Imam Karim Benali", "notes": "Karim opens doors at the mosque; phone 0470",
     "lat": 50.8509876, "lon": 4.3459876, "roles": ["brugfiguur"],
     "location_precision": "exact", "location_reason": "meets at the mosque"},
    {"name": "Neighbour Marcel", "notes": "complains about noise from the youth house",
     "lat": 50.8633333, "lon": 4.3444444, "roles": ["buurtbewoner"], "privacy": "private"},
]


def build_map(store: Store, name: str = "buurt") -> dict[str, Any]:
    """Create a map full of actors, persons, links, contacts, signals and places."""
    m = store.create_map(USER, name=name, org_name="Vzw De Buurt", lat=ORG[0], lon=ORG[1],
                         address="Gemeenteplein 1, 1080 Molenbeek")
    mid = m["id"]
    school = store.add_actor(USER, mid, name="Basisschool De Knipoog", roles=["partner"],
                             category="school", osm_id="node/101", lat=50.8562, lon=4.3401,
                             strength=3, status="cooperating", leaning="ally",
                             notes="team note: director is new", contact_person="Amina",
                             tags=["onderwijs"])
    mosque = store.add_actor(USER, mid, name="Moskee Al Amal", roles=["stakeholder"],
                             category="worship_muslim", osm_id="way/202", lat=50.8540,
                             lon=4.3370, privacy="team", notes="team only")
    store.add_actor(USER, mid, name="Secret Funder", roles=["financier"], lat=50.8570,
                    lon=4.3360, privacy="private", notes="private money talk")
    store.add_actor(USER, mid, name="Buurtcomité Zwarte Vijvers", kind="group", formal=False,
                    roles=["pleitbezorger"], lat=50.8545, lon=4.3420)
    store.add_actor(USER, mid, name="=HYPERLINK(\"http://evil\")", roles=["partner"],
                    lat=50.8550, lon=4.3395, notes="@SUM(1+1)", tags=["-cmd", "+x"])
    store.add_actor(USER, mid, name="Gemeente Molenbeek", roles=["politieke_actor"],
                    kind="organisation")  # no location
    people = []
    for p in PERSONS:
        fields = {k: v for k, v in p.items() if k != "name"}
        people.append(store.add_actor(USER, mid, name=p["name"], kind="person",
                                      formal=False, **fields))
    store.add_link(USER, mid, school["id"], people[0]["id"], "knows", 2, "met at the gate")
    store.add_link(USER, mid, mosque["id"], people[1]["id"], "opens_doors", 3, "imam")
    store.add_link(USER, mid, school["id"], mosque["id"], "cooperates", 1, "")
    store.add_contact(USER, people[0]["id"], "2026-11-02", "visit", "reached", "coffee")
    store.add_contact(USER, school["id"], "2026-10-15", "phone", "no_answer", "try again")
    store.add_contact(USER, people[2]["id"], "2026-09-01", "visit", "refused", "no")
    store.add_signal(USER, mid, date="2026-11-20", type="new_place", title="New bakery",
                     lat=50.8558, lon=4.3392, description="opened last week", tags=["shop"])
    store.add_signal(USER, mid, date="2026-11-21", type="infrastructure",
                     title="Street works Rue X", area={
                         "type": "Polygon", "coordinates": [[[4.33, 50.85], [4.34, 50.85],
                                                             [4.34, 50.86], [4.33, 50.85]]]})
    store.import_places(USER, mid, [_Place("node/9001", "Bibliotheek", "library", 50.8549,
                                           4.3380, {"amenity": "library"}),
                                    _Place("way/9002", "Sportzaal", "sports", 50.8566, 4.3377,
                                           {"leisure": "sports_hall"}),
                                    _Place(None, None, "playground", 50.8539, 4.3399,
                                           {"leisure": "playground"})],
                        source="file:test")
    return store.get_map(mid)


class _Place:
    def __init__(self, osm_id: str | None, name: str | None, category: str, lat: float,
                 lon: float, tags: dict[str, str]) -> None:
        self.osm_id, self.name, self.category = osm_id, name, category
        self.name_nl = self.name_fr = None
        self.lat, self.lon, self.tags = lat, lon, tags
        self.source, self.geometry = "file:test", None


def strings(obj: Any) -> Iterator[str]:
    """Yield every string (keys included) and every number as text inside ``obj``."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from strings(v)
    elif obj is not None:
        yield str(obj)


def positions(geom: Any) -> Iterator[tuple[float, float]]:
    """Yield every (lat, lon) in a GeoJSON geometry."""
    if geom is None:
        return
    coords = geom.get("coordinates")

    def walk(c: Any) -> Iterator[tuple[float, float]]:
        if isinstance(c, list) and c and isinstance(c[0], int | float):
            yield float(c[1]), float(c[0])
        elif isinstance(c, list):
            for x in c:
                yield from walk(x)

    yield from walk(coords)
    for part in geom.get("geometries") or []:
        yield from positions(part)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance in metres (independent of the code under test)."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return 6_371_000 * math.hypot(x, y)


def load(data: bytes) -> dict[str, Any]:
    """Parse export bytes."""
    return dict(json.loads(data.decode("utf-8")))
