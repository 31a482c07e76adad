"""Pure helpers of the app (no Streamlit): filters, click resolution, form diffs.

Kept free of Streamlit so they are unit-tested directly.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from buurtkaart._dates import months_elapsed, to_date
from buurtkaart.core.text import display_name

R = TypeVar("R", bound=Mapping[str, Any])

#: Fields the actor edit form may change.
EDITABLE_FIELDS: tuple[str, ...] = (
    "name", "kind", "formal", "roles", "domain", "strength", "status", "leaning",
    "contact_person", "notes", "privacy", "review_date",
)

#: Click tolerance in degrees when matching a click to a marker (about 1 m).
CLICK_TOLERANCE_DEG = 1e-5


@dataclass(frozen=True)
class Filters:
    """Sidebar filters of the map and the actor table."""

    roles: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    min_strength: int = 0
    no_contact_months: int = 0
    kinds: tuple[str, ...] = field(default=())
    walk_minutes: int = 0  # 0: any distance; else actors within N minutes' walk


def actor_matches(actor: Mapping[str, Any], flt: Filters, today: dt.date) -> bool:
    """Return True when ``actor`` passes every active filter.

    Parameters
    ----------
    actor : mapping
        Actor record (see docs/ARCHITECTURE.md).
    flt : Filters
        Active filters; empty tuples and zeros mean "no filter".
    today : date
        Reference date for "no contact for more than N months".

    Returns
    -------
    bool
    """
    if flt.roles and not set(actor.get("roles") or ()) & set(flt.roles):
        return False
    if flt.categories and actor.get("category") not in flt.categories:
        return False
    if flt.kinds and actor.get("kind") not in flt.kinds:
        return False
    if flt.min_strength and int(actor.get("strength") or 0) < flt.min_strength:
        return False
    if flt.no_contact_months:
        last = to_date(actor.get("last_contact"))
        if last is not None and months_elapsed(last, today) <= flt.no_contact_months:
            return False
    return True


def filter_actors(actors: Iterable[R], flt: Filters, today: dt.date | None = None) -> list[R]:
    """Return the actors that pass ``flt`` (see :func:`actor_matches`)."""
    day = today or dt.date.today()
    return [copy.copy(a) for a in actors if actor_matches(a, flt, day)]


def filter_places(places: Iterable[Any], flt: Filters, hidden: set[str]) -> list[Any]:
    """Return candidate places not hidden (dismissed/accepted) and in the category filter."""
    out = []
    for place in places:
        if place.osm_id is not None and place.osm_id in hidden:
            continue
        if flt.categories and place.category not in flt.categories:
            continue
        out.append(place)
    return out


def build_index(places: Iterable[Any], actors: Iterable[Mapping[str, Any]],
                org: Mapping[str, Any] | None = None) -> dict[tuple[float, float], tuple[str, str]]:
    """Map rounded ``(lat, lon)`` to ``(kind, id)`` for every marker on the map.

    Actors win over places at the same spot (an accepted place keeps its point).
    Places without an OSM id are keyed ``("place", "@lat,lon")``.
    """
    index: dict[tuple[float, float], tuple[str, str]] = {}
    for place in places:
        key = (round(float(place.lat), 6), round(float(place.lon), 6))
        index[key] = ("place", place.osm_id or f"@{key[0]},{key[1]}")
    for actor in actors:
        if actor.get("lat") is None or actor.get("lon") is None:
            continue
        key = (round(float(actor["lat"]), 6), round(float(actor["lon"]), 6))
        index[key] = ("actor", str(actor["id"]))
    if org and org.get("lat") is not None:
        key = (round(float(org["lat"]), 6), round(float(org["lon"]), 6))
        index[key] = ("org", str(org.get("id", "")))
    return index


def resolve_click(latlng: Mapping[str, float] | None,
                  index: Mapping[tuple[float, float], tuple[str, str]],
                  tolerance: float = CLICK_TOLERANCE_DEG) -> tuple[str, str] | None:
    """Return the ``(kind, id)`` of the marker at a clicked point, or None.

    Parameters
    ----------
    latlng : mapping with ``lat`` and ``lng``
        What streamlit-folium returns as ``last_object_clicked``.
    index : mapping
        From :func:`build_index`.
    tolerance : float
        Largest distance in degrees still counted as the same point.
    """
    if not latlng or latlng.get("lat") is None:
        return None
    lat, lon = float(latlng["lat"]), float(latlng["lng"])
    hit = index.get((round(lat, 6), round(lon, 6)))
    if hit is not None:
        return hit
    best, best_d = None, tolerance
    for (klat, klon), value in index.items():
        dist = math.hypot(klat - lat, klon - lon)
        if dist <= best_d:
            best, best_d = value, dist
    return best


#: The streamlit-folium values that tell a click (see :func:`classify_click`).
CLICK_FIELDS: tuple[str, ...] = ("last_object_clicked", "last_object_clicked_count",
                                 "last_clicked")


def click_state(ret: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return the click fields of a streamlit-folium value (all None when absent)."""
    return {k: (ret or {}).get(k) for k in CLICK_FIELDS}


def classify_click(ret: Mapping[str, Any] | None, prev: Mapping[str, Any] | None,
                   ) -> tuple[str, Any] | None:
    """Tell what changed between two streamlit-folium values.

    Parameters
    ----------
    ret : mapping or None
        This run's value of ``st_folium`` (see :data:`CLICK_FIELDS`).
    prev : mapping or None
        The click fields of the previous run (:func:`click_state`).

    Returns
    -------
    tuple or None
        ``("object", latlng)`` when a marker was clicked (also the same marker
        again: the click count grows), ``("map", latlng)`` for a click on empty
        map, None when nothing new happened (a rerun caused by another widget, or
        the component being mounted again with empty values).
    """
    now, before = click_state(ret), click_state(prev)
    obj = now["last_object_clicked"]
    if obj and (obj != before["last_object_clicked"]
                or now["last_object_clicked_count"] != before["last_object_clicked_count"]):
        return ("object", obj)
    clicked = now["last_clicked"]
    if clicked and clicked != before["last_clicked"]:
        return ("map", clicked)
    return None


def form_changes(actor: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Return only the fields of ``values`` that differ from ``actor``."""
    changes = {}
    for key, value in values.items():
        old = actor.get(key)
        if isinstance(old, list | tuple) and isinstance(value, list | tuple):
            if list(old) != list(value):
                changes[key] = list(value)
        elif (old or None) != (value or None) and not (old == 0 and value == 0):
            changes[key] = value
    return changes


def resolve_conflicts(changes: Mapping[str, Any], conflicts: Mapping[str, tuple[Any, Any]],
                      choices: Mapping[str, str]) -> dict[str, Any]:
    """Build the changes to retry after a conflict, from the user's choices.

    Parameters
    ----------
    changes : mapping
        The user's original changes.
    conflicts : mapping
        ``field -> (theirs, mine)`` from :class:`~buurtkaart._errors.ConflictError`.
    choices : mapping
        ``field -> "theirs" | "mine"``; missing fields keep "theirs" (never
        overwrite without an explicit choice).

    Returns
    -------
    dict
        Changes to apply on top of the current version: the non-conflicting
        edits plus the fields where the user chose their own value.
    """
    out = {k: v for k, v in changes.items() if k not in conflicts}
    for name, (_theirs, mine) in conflicts.items():
        if choices.get(name) == "mine":
            out[name] = mine
    return out


def place_display_name(place: Any, lang: str, fallback: str | None = None) -> str:
    """Return a place's name in ``lang`` where OSM has it (name:nl / name:fr).

    Unnamed places get ``fallback`` (e.g. the category label), else the category key.
    """
    return str(display_name(place.name, nl=getattr(place, "name_nl", None),
                            fr=getattr(place, "name_fr", None), lang=lang,
                            fallback=fallback or place.category))


#: OSM tags a worker reads as a fact of a place, in display order.
FACT_TAGS: tuple[str, ...] = ("opening_hours", "website", "phone")


def osm_ref(osm_id: str | None) -> tuple[str, str] | None:
    """Split ``node/123`` into ``("node", "123")`` (None for a place without an OSM id)."""
    if not osm_id or "/" not in osm_id:
        return None
    kind, _, number = osm_id.partition("/")
    return kind, number


def place_address(tags: Mapping[str, str]) -> str:
    """Return ``Street 12, 1080`` from ``addr:*`` tags (empty when there is none)."""
    street = " ".join(x for x in (tags.get("addr:street"), tags.get("addr:housenumber")) if x)
    town = " ".join(x for x in (tags.get("addr:postcode"), tags.get("addr:city")) if x)
    return ", ".join(x for x in (street, town) if x)


def place_facts(tags: Mapping[str, str]) -> list[tuple[str, str]]:
    """Return the readable facts of a place: ``[("address", ...), ("website", ...)]``."""
    facts = [("address", place_address(tags))] if place_address(tags) else []
    facts += [(k, str(tags[k])) for k in FACT_TAGS if tags.get(k)]
    return facts
