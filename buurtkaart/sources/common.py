"""Helpers shared by every source: turning tags + geometry into :class:`Place` (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from buurtkaart.core.area import Area
from buurtkaart.core.categories import categorize
from buurtkaart.core.geo import WORLD, bbox_grow, distance_m
from buurtkaart.core.place import Place


def margin_bbox(area: Area | None, margin_deg: float = 0.0) -> tuple[float, float, float, float]:
    """Return the area's bbox grown by ``margin_deg`` degrees (the world without area)."""
    if area is None:
        return WORLD
    return bbox_grow(area.bbox, margin_deg)


def _lists(coords: Any) -> Any:
    """Nested tuples -> nested lists; positions rounded to 7 decimals (~1 cm, as OSM)."""
    if coords and isinstance(coords[0], float | int):
        return [round(float(c), 7) for c in coords]
    return [_lists(c) for c in coords]


def geometry_dict(geom: BaseGeometry) -> dict[str, Any]:
    """Return a GeoJSON geometry dict with plain lists (JSON round-trip safe)."""
    raw = mapping(geom)
    if "geometries" in raw:
        return {"type": raw["type"], "geometries": [geometry_dict(g) for g in geom.geoms]}
    return {"type": raw["type"], "coordinates": _lists(raw["coordinates"])}


def make_place(osm_id: str | None, tags: Mapping[str, str], lat: float, lon: float,
               source: str, geometry: dict[str, Any] | None = None,
               category: str | None = None, area: Area | None = None) -> Place | None:
    """Return a Place for categorised tags, or None when no category matches.

    Parameters
    ----------
    osm_id : str or None
        ``"node/1"`` etc.
    tags : Mapping
        OSM tags (copied into a plain dict).
    lat, lon : float
        Representative point.
    source : str
        Source label.
    geometry : dict, optional
        GeoJSON geometry of ways/relations.
    category : str, optional
        Precomputed category key.
    area : Area, optional
        Sets ``distance_m`` from the area's centre.
    """
    cat = category or categorize(tags)
    if cat is None:
        return None
    tag_dict = {str(k): str(v) for k, v in tags.items()}
    dist = None if area is None else distance_m(area.center[0], area.center[1], lat, lon)
    return Place(
        osm_id=osm_id, name=tag_dict.get("name"), name_nl=tag_dict.get("name:nl"),
        name_fr=tag_dict.get("name:fr"), category=cat, lat=lat, lon=lon, tags=tag_dict,
        source=source, geometry=geometry, distance_m=dist,
    )


def place_from_geometry(osm_id: str | None, tags: Mapping[str, str], geom: BaseGeometry,
                        source: str, area: Area | None,
                        category: str | None = None) -> Place | None:
    """Return a Place for a shapely geometry (lon/lat) if it is in ``area``.

    Points are kept when inside the area; lines and polygons when they
    intersect it. The representative point is ``point_on_surface``.
    """
    if geom.is_empty:
        return None
    if area is not None and not area.intersects(geom):
        return None
    if geom.geom_type == "Point":
        return make_place(osm_id, tags, geom.y, geom.x, source, None, category, area)
    pt = geom.point_on_surface()
    return make_place(osm_id, tags, pt.y, pt.x, source, geometry_dict(geom), category, area)


def sort_places(places: Iterable[Place]) -> list[Place]:
    """Sort by distance (None last), then id and name, for stable output."""
    return sorted(
        places,
        key=lambda p: (p.distance_m is None, p.distance_m or 0.0, p.osm_id or "", p.name or ""),
    )
