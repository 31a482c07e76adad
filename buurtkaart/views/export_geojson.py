"""GeoJSON export (RFC 7946): a FeatureCollection with flat, documented properties.

The contract is ``docs/geojson.md`` and ``schema/buurtkaart-export.schema.json``.
Provenance and the non-spatial records (links, contact log, history) travel in the
top-level foreign member ``"buurtkaart"`` (RFC 7946 section 6.1).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from buurtkaart.exchange import profiles as pr
from buurtkaart.exchange.profiles import ExportBundle

SCHEMA_PATH = (Path(__file__).resolve().parent.parent / "exchange" / "schema"
               / "buurtkaart-export.schema.json")


def point(lat: float, lon: float) -> dict[str, Any]:
    """Return a GeoJSON Point in lon/lat order, rounded to ``COORD_DECIMALS``."""
    d = pr.COORD_DECIMALS
    return {"type": "Point", "coordinates": [round(float(lon), d), round(float(lat), d)]}


def _feature(geometry: dict[str, Any] | None, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def organisation_feature(bundle: ExportBundle, profile: str) -> dict[str, Any]:
    """Return the feature of the organisation (the map's own point)."""
    m = bundle.map
    props = {"id": m.get("id"), "layer": "organisation", "name": m.get("org_name"),
             "map": m.get("name")}
    if profile != "public":
        props["address"] = m.get("address")
    geom = point(m["lat"], m["lon"]) if m.get("lat") is not None else None
    return _feature(geom, props)


def actor_features(bundle: ExportBundle, profile: str) -> list[dict[str, Any]]:
    """Return one Point feature per exported actor (null geometry when it has no point)."""
    out = []
    for actor in pr.exported_actors(bundle, profile):
        pos = pr.actor_position(actor, profile)
        geom = point(*pos) if pos else None
        out.append(_feature(geom, pr.actor_properties(actor, profile)))
    return out


def place_features(bundle: ExportBundle) -> list[dict[str, Any]]:
    """Return one Point feature per OSM place (public OSM data, the same in every profile)."""
    out = []
    for place in sorted(bundle.places, key=lambda p: (str(p.get("osm_id")), str(p.get("name")))):
        props: dict[str, Any] = {k: place.get(k) for k in pr.PLACE_FIELDS}
        props["osm_tags"] = dict(place.get("tags") or {})
        props["layer"] = "places"
        out.append(_feature(point(place["lat"], place["lon"]), props))
    return out


def signal_features(bundle: ExportBundle, profile: str) -> list[dict[str, Any]]:
    """Return the signals: a point when they have one, else their area, else null."""
    out = []
    for sig in pr.exported_signals(bundle, profile):
        props = {k: sig.get(k) for k in pr.SIGNAL_FIELDS}
        props["tags"] = list(props.get("tags") or [])
        props["layer"] = "signals"
        if sig.get("lat") is not None and sig.get("lon") is not None:
            geom: dict[str, Any] | None = point(sig["lat"], sig["lon"])
        else:
            geom = sig.get("area")
            props["area_only"] = geom is not None
        out.append(_feature(geom, props))
    return out


def relation_features(bundle: ExportBundle, profile: str) -> list[dict[str, Any]]:
    """Return LineStrings: organisation -> each located actor, and actor -> actor links."""
    actors = {a["id"]: a for a in pr.exported_actors(bundle, profile)}
    m = bundle.map
    out = []
    org = (m["lat"], m["lon"]) if m.get("lat") is not None else None
    for actor in actors.values():
        pos = pr.actor_position(actor, profile)
        if org is None or pos is None:
            continue
        props = {"id": f"org:{actor['id']}", "layer": "relations", "from_id": m.get("id"),
                 "to_id": actor["id"], "type": "organisation",
                 "relation_strength": actor.get("strength"),
                 "relation_status": actor.get("status")}
        out.append(_feature(_line(org, pos), props))
    for link in pr.exported_links(bundle, profile):
        a, b = actors[link["from_id"]], actors[link["to_id"]]
        pa, pb = pr.actor_position(a, profile), pr.actor_position(b, profile)
        if pa is None or pb is None:
            continue
        props = {"id": link["id"], "layer": "relations", "from_id": link["from_id"],
                 "to_id": link["to_id"], "type": link.get("type"),
                 "relation_strength": link.get("strength")}
        if profile != "public":
            props["note"] = link.get("note")
        out.append(_feature(_line(pa, pb), props))
    return out


def _line(a: tuple[float, float], b: tuple[float, float]) -> dict[str, Any]:
    pa, pb = point(*a)["coordinates"], point(*b)["coordinates"]
    return {"type": "LineString", "coordinates": [pa, pb]}


def build_collection(bundle: ExportBundle, profile: str, relations: bool = False,
                     now: datetime | None = None) -> dict[str, Any]:
    """Return the export of ``bundle`` under ``profile`` as a GeoJSON FeatureCollection dict.

    Parameters
    ----------
    bundle : ExportBundle
        The map's records.
    profile : str
        ``public``, ``team`` or ``full``.
    relations : bool
        Add the relation lines as LineString features.
    now : datetime, optional
        Export time (default: now, UTC).

    Returns
    -------
    dict
        A FeatureCollection with the foreign member ``buurtkaart``.
    """
    pr.check_profile(profile)
    features = [organisation_feature(bundle, profile)]
    features += actor_features(bundle, profile)
    features += signal_features(bundle, profile)
    features += place_features(bundle)
    if relations:
        features += relation_features(bundle, profile)
    meta = pr.export_meta(bundle, profile, now)
    meta["relations"] = relations
    if profile != "public":
        meta["links"] = pr.exported_links(bundle, profile)
        meta["contacts"] = pr.exported_contacts(bundle, profile)
    if profile == "full":
        meta["map"] = {k: v for k, v in bundle.map.items()}
        meta["history"] = pr.exported_history(bundle, profile)
    return {"type": "FeatureCollection", "buurtkaart": meta, "features": features}


def dumps(collection: dict[str, Any]) -> str:
    """Serialise a collection as UTF-8 JSON text (no ASCII escaping, stable key order)."""
    return json.dumps(collection, ensure_ascii=False, indent=1, default=str)


def load_schema() -> dict[str, Any]:
    """Return the JSON Schema of the export format."""
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
