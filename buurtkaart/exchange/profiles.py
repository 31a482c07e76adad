"""Export profiles: what each profile keeps of a map (pure functions).

Three profiles decide what leaves the organisation:

- ``public``: formal, public actors that are not persons, and the OSM places.
  No persons, no notes, no contact log, no contact persons, no leaning.
- ``team``: everything except private actors (and what hangs on them); the
  positions of persons are coarsened to the store's 100 m grid.
- ``full``: an admin backup, every field of every record, with the history.

The functions work on the record dicts of ``docs/ARCHITECTURE.md`` gathered in
an :class:`ExportBundle`; they never touch the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from buurtkaart._errors import InputError
from buurtkaart.store.records import snap

PROFILES = ("public", "team", "full")
FORMAT_NAME = "buurtkaart-export"
FORMAT_VERSION = 1
LICENCE = "ODbL-1.0"
ATTRIBUTION = "© OpenStreetMap contributors"
#: Decimal places of exported coordinates (RFC 7946 recommends 6; 7 is ~1 cm).
COORD_DECIMALS = 7

#: Actor fields of the GeoJSON/CSV contract, in column order (export name -> record key).
ACTOR_FIELDS: dict[str, str] = {
    "id": "id", "name": "name", "kind": "kind", "formal": "formal", "roles": "roles",
    "category": "category", "domain": "domain", "osm_id": "osm_id",
    "relation_strength": "strength", "relation_status": "status", "leaning": "leaning",
    "contact_person": "contact_person", "last_contact": "last_contact",
    "last_verified": "updated_at", "notes": "notes", "tags": "tags",
    "location_precision": "location_precision", "privacy": "privacy",
    "review_date": "review_date", "source": "source",
    "created_by": "created_by", "created_at": "created_at",
    "updated_by": "updated_by", "updated_at": "updated_at", "version": "version",
}
_BOOKKEEPING = {"created_by", "created_at", "updated_by", "updated_at", "version"}
#: Export fields dropped by each profile.
DROPPED: dict[str, frozenset[str]] = {
    "public": frozenset({"contact_person", "last_contact", "notes", "leaning", "privacy",
                         "review_date", "location_precision"} | _BOOKKEEPING),
    "team": frozenset(_BOOKKEEPING),
    "full": frozenset({"last_verified"}),
}
SIGNAL_FIELDS = ("id", "date", "type", "title", "description", "source", "tags", "status")
PLACE_FIELDS = ("osm_id", "name", "name_nl", "name_fr", "category", "source")


@dataclass
class ExportBundle:
    """Everything read from the store for one export, before any profile is applied."""

    map: dict[str, Any]
    actors: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    signals: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)


def check_profile(profile: str) -> str:
    """Return ``profile`` if it is known, else raise :class:`InputError`."""
    if profile not in PROFILES:
        msg = f"unknown export profile {profile!r}: expected one of {', '.join(PROFILES)}"
        raise InputError(msg)
    return profile


def is_person(actor: dict[str, Any]) -> bool:
    """Return True for a person: kind ``person``, or an informal actor that is not a group/place."""
    kind = actor.get("kind") or "organisation"
    return kind == "person" or (not actor.get("formal", True) and kind not in ("group", "place"))


def keeps_actor(actor: dict[str, Any], profile: str) -> bool:
    """Return True when ``profile`` exports ``actor`` at all.

    An actor without a privacy value counts as ``team`` when it is a person and as
    ``public`` otherwise (formal organisations are public facts).
    """
    privacy = actor.get("privacy") or ("team" if is_person(actor) else "public")
    if profile == "full":
        return True
    if profile == "team":
        return privacy != "private"
    return privacy == "public" and bool(actor.get("formal", True)) and not is_person(actor)


def actor_position(actor: dict[str, Any], profile: str) -> tuple[float, float] | None:
    """Return the (lat, lon) ``profile`` may show for ``actor``, or None without a point."""
    lat, lon = actor.get("lat"), actor.get("lon")
    if lat is None or lon is None:
        return None
    if profile == "team" and is_person(actor):
        return coarsen(float(lat), float(lon))
    return float(lat), float(lon)


def coarsen(lat: float, lon: float) -> tuple[float, float]:
    """Snap a point to the store's coarse grid (idempotent on stored coarse points)."""
    slat, slon = snap(lat, lon)
    assert slat is not None and slon is not None
    return slat, slon


def _date_part(value: Any) -> Any:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else value


def actor_properties(actor: dict[str, Any], profile: str) -> dict[str, Any]:
    """Return the flat export properties of ``actor`` under ``profile`` (with ``layer``)."""
    dropped = DROPPED[profile]
    props: dict[str, Any] = {}
    for out, key in ACTOR_FIELDS.items():
        if out in dropped:
            continue
        value = actor.get(key)
        if out == "last_verified":
            value = _date_part(value)
        elif out in ("roles", "tags"):
            value = list(value or [])
        props[out] = value
    if profile == "team" and is_person(actor) and actor.get("lat") is not None:
        props["location_precision"] = "coarse"
    props["layer"] = "actors"
    return props


def exported_actors(bundle: ExportBundle, profile: str) -> list[dict[str, Any]]:
    """Return the actors ``profile`` keeps, sorted by name then id (stable output)."""
    kept = [a for a in bundle.actors if keeps_actor(a, profile)]
    return sorted(kept, key=lambda a: ((a.get("name") or "").casefold(), str(a.get("id"))))


def exported_links(bundle: ExportBundle, profile: str) -> list[dict[str, Any]]:
    """Return the links between kept actors; ``note`` only in team/full."""
    kept = {a["id"] for a in exported_actors(bundle, profile)}
    out = []
    for link in bundle.links:
        if link.get("from_id") in kept and link.get("to_id") in kept:
            row = {k: link.get(k) for k in ("id", "from_id", "to_id", "type", "strength", "note")}
            if profile == "public":
                row.pop("note")
            if profile == "full":
                row.update({k: v for k, v in link.items() if k not in row and k != "map_id"})
            out.append(row)
    return sorted(out, key=lambda r: str(r["id"]))


def exported_contacts(bundle: ExportBundle, profile: str) -> list[dict[str, Any]]:
    """Return the contact log entries of kept actors (none in public)."""
    if profile == "public":
        return []
    kept = {a["id"] for a in exported_actors(bundle, profile)}
    rows = [{k: v for k, v in c.items() if k != "map_id"}
            for c in bundle.contacts if c.get("actor_id") in kept]
    return sorted(rows, key=lambda r: (str(r.get("date")), str(r.get("id"))))


def exported_signals(bundle: ExportBundle, profile: str) -> list[dict[str, Any]]:
    """Return the signals kept by ``profile`` (team observations: none in public)."""
    if profile == "public":
        return []
    return sorted((dict(s) for s in bundle.signals), key=lambda s: str(s.get("id")))


def exported_history(bundle: ExportBundle, profile: str) -> list[dict[str, Any]]:
    """Return the events (full profile only)."""
    return [dict(e) for e in bundle.history] if profile == "full" else []


def export_meta(bundle: ExportBundle, profile: str, now: datetime | None = None) -> dict[str, Any]:
    """Return the provenance record every export carries.

    It names the format, profile, map, export time, licence and attribution.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat()
    m = bundle.map
    map_info: dict[str, Any] = {"id": m.get("id"), "name": m.get("name"),
                                "org_name": m.get("org_name")}
    if profile != "public":
        map_info.update({"address": m.get("address"), "lang": m.get("lang")})
    return {
        "format": FORMAT_NAME, "version": FORMAT_VERSION, "profile": profile,
        "map": map_info, "exported_at": stamp, "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "licence_note": "Places and OSM-derived fields: OpenStreetMap data, ODbL 1.0; "
                        "© OpenStreetMap contributors, https://www.openstreetmap.org/copyright",
    }
