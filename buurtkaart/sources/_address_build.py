"""Private: reading what the geocoding index needs from an OSM file (pyosmium).

Two passes: the admin boundaries (admin_level 8 communes, 9/10 districts) as
areas, then house numbers, interpolation lines, named streets and landmarks.
Each object gets the commune its points fall in (shapely, vectorised).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import shapely
from osmium.filter import KeyFilter, TagFilter

from buurtkaart._errors import DataFileError

LatLon = tuple[float, float]
#: tags of the named areas indexed at ``area`` precision (squares, parks, landmarks)
LANDMARKS = {
    "place": {"square"}, "leisure": {"park", "garden"},
    "amenity": {"townhall", "place_of_worship", "library", "hospital", "marketplace"},
    "railway": {"station"}, "public_transport": {"station"},
    "tourism": {"attraction", "museum"}, "historic": {"monument", "memorial", "castle"},
}


@dataclass
class Boundary:
    """An admin area of the extract."""

    level: int
    tags: dict[str, str]
    geom: Any  # shapely geometry


@dataclass
class Extract:
    """What one pass over the extract collected, before indexing."""

    numbers: list[tuple[str, str, float, float, str]] = field(default_factory=list)
    addr_nodes: dict[int, tuple[str, str]] = field(default_factory=dict)
    interpolations: list[tuple[str, list[int], list[LatLon], str]] = field(default_factory=list)
    #: name -> list of (node ids, points, other names)
    streets: dict[str, list[tuple[list[int], list[LatLon], tuple[str, ...]]]] = field(
        default_factory=dict)
    landmarks: list[tuple[str, tuple[str, ...], float, float]] = field(default_factory=list)


def _raise_corrupt(path: Path, e: RuntimeError) -> None:
    msg = f"OSM file {path} is truncated or corrupt: {str(e).splitlines()[0] if str(e) else e}"
    raise DataFileError(msg) from e


def read_boundaries(path: Path, file: Any) -> list[Boundary]:
    """Return the admin areas of level 8 to 10 that the extract holds completely."""
    factory = osmium.geom.WKBFactory()
    out: list[Boundary] = []
    proc = (osmium.FileProcessor(file).with_areas(TagFilter(("boundary", "administrative")))
            .with_filter(TagFilter(("boundary", "administrative"))))
    try:
        for obj in proc:
            if not isinstance(obj, osmium.osm.Area) or obj.from_way():
                continue
            level = obj.tags.get("admin_level", "")
            if level not in ("8", "9", "10"):
                continue
            try:
                geom = shapely.from_wkb(factory.create_multipolygon(obj))
            except RuntimeError:
                continue  # an incomplete ring at the extract's edge
            out.append(Boundary(int(level), dict(obj.tags), shapely.make_valid(geom)))
    except RuntimeError as e:
        _raise_corrupt(path, e)
    return out


def _points(obj: Any) -> list[LatLon]:
    if obj.is_node():
        return [(obj.location.lat, obj.location.lon)] if obj.location.valid() else []
    return [(n.location.lat, n.location.lon) for n in obj.nodes if n.location.valid()]


#: generic names a landmark also answers to (with the commune: "Gemeentehuis, Evere")
KIND_NAMES = {
    "townhall": ("Gemeentehuis", "Maison communale", "Hôtel de ville", "Stadhuis", "Town hall"),
    "station": ("Station", "Gare"),
}


def _landmark(tags: Any) -> tuple[str, ...] | None:
    """Return the generic names of a landmark ((): none), or None when it is not one."""
    for key, values in LANDMARKS.items():
        value = tags.get(key)
        if value in values:
            return KIND_NAMES.get(value, ())
    return None


def _collect(obj: Any, ex: Extract) -> None:
    tags = obj.tags
    if not (obj.is_node() or obj.is_way()):
        return
    points = _points(obj)
    if not points:
        return
    street, number = tags.get("addr:street"), tags.get("addr:housenumber")
    if number and obj.is_node():
        ex.addr_nodes[obj.id] = (number, street or "")
    if street and number:
        lat, lon = middle(points)
        ex.numbers.append((street, number, lat, lon, tags.get("addr:postcode", "")))
    if obj.is_way() and "addr:interpolation" in tags:
        ex.interpolations.append((tags["addr:interpolation"], [n.ref for n in obj.nodes],
                                  points, tags.get("addr:street", "")))
    name = tags.get("name")
    if not name:
        return
    others = tuple(tags[k] for k in ("name:fr", "name:nl") if tags.get(k))
    if obj.is_way() and "highway" in tags and tags["highway"] != "bus_stop":
        ex.streets.setdefault(name, []).append(([n.ref for n in obj.nodes], points, others))
    elif (generic := _landmark(tags)) is not None:
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        ex.landmarks.append((name, others + generic, lat, lon))


def read_objects(path: Path, file: Any) -> Extract:
    """Collect house numbers, interpolation lines, named streets and landmarks."""
    ex = Extract()
    proc = (osmium.FileProcessor(file).with_locations()
            .with_filter(KeyFilter("addr:housenumber", "addr:interpolation", "highway",
                                   *LANDMARKS)))
    try:
        for obj in proc:
            _collect(obj, ex)
    except RuntimeError as e:
        _raise_corrupt(path, e)
    return ex


def middle(points: list[LatLon]) -> LatLon:
    """Return the point of the list closest to the mean point (stays on the street)."""
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    return min(points, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)


def communes_of(points: list[LatLon], polygons: list[Any]) -> list[int]:
    """Return, for each point, the index of the first polygon holding it (-1: none)."""
    out = np.full(len(points), -1, dtype=np.int64)
    if not points:
        return []
    lat = np.fromiter((p[0] for p in points), float, len(points))
    lon = np.fromiter((p[1] for p in points), float, len(points))
    for i, poly in enumerate(polygons):
        free = out < 0
        if not free.any():
            break
        shapely.prepare(poly)
        inside = shapely.contains_xy(poly, lon[free], lat[free])
        idx = np.flatnonzero(free)[inside]
        out[idx] = i
    return [int(v) for v in out]


def main_commune(cids: list[int]) -> tuple[int, ...]:
    """Return the communes of a set of points, most points first (no -1)."""
    return tuple(c for c, _ in Counter(c for c in cids if c >= 0).most_common())
