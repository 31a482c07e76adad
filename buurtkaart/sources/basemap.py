"""Offline basemap: streets, landuse, parks and water from a local OSM extract.

When there is no internet there are no raster tiles. :func:`offline_basemap_geojson`
reads the extract once with pyosmium (highway ways, and closed landuse/park/water
ways as polygons), keeps what touches the bounding box, simplifies the lines and
rounds the coordinates, and caches the result as JSON (:mod:`.cache`, kind
``basemap``, keyed by the extract's content hash and the box). The map draws it
as light vector lines.

Multipolygon relations (large parks, rivers) are not assembled: closed ways cover
most of a neighbourhood's landuse and keep the pass fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import osmium
from shapely.geometry import LineString, Polygon

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core.geo import bbox_intersects
from buurtkaart.sources import cache

#: Cache format version: bump when the output changes.
_VERSION = 1
#: Simplification tolerance in degrees (about 2 m) and coordinate precision (about 1 m).
_TOLERANCE = 0.00002
_DECIMALS = 5

#: highway value -> drawing class ("major", "minor", "path"); others are skipped.
HIGHWAY_CLASSES: dict[str, str] = {
    **dict.fromkeys(["motorway", "trunk", "primary", "secondary", "motorway_link",
                     "trunk_link", "primary_link", "secondary_link"], "major"),
    **dict.fromkeys(["tertiary", "tertiary_link", "unclassified", "residential",
                     "living_street", "service", "pedestrian", "road"], "minor"),
    **dict.fromkeys(["footway", "path", "cycleway", "steps", "track"], "path"),
}

#: (key, value or None for any value) -> area class
_AREA_RULES: list[tuple[str, frozenset[str] | None, str]] = [
    ("natural", frozenset({"water"}), "water"),
    ("waterway", frozenset({"riverbank", "dock", "canal"}), "water"),
    ("leisure", frozenset({"park", "garden", "playground", "pitch", "nature_reserve"}), "green"),
    ("landuse", frozenset({"grass", "forest", "meadow", "recreation_ground", "cemetery",
                           "allotments", "village_green"}), "green"),
    ("natural", frozenset({"wood", "scrub", "grassland"}), "green"),
    ("landuse", None, "landuse"),
]


def offline_basemap_geojson(osm_file: str | Path, bbox: tuple[float, float, float, float],
                            *, use_cache: bool = True) -> dict[str, Any]:
    """Return the streets and areas of ``osm_file`` inside ``bbox`` as GeoJSON.

    Parameters
    ----------
    osm_file : str or Path
        An ``.osm.pbf`` or ``.osm`` extract.
    bbox : tuple of float
        ``(west, south, east, north)`` in degrees (WGS84).
    use_cache : bool, default True
        Read and write the JSON cache (:mod:`buurtkaart.sources.cache`).

    Returns
    -------
    dict
        A FeatureCollection of LineStrings (``properties.cls`` = major, minor or
        path) and Polygons (``cls`` = water, green or landuse), coordinates rounded
        to 5 decimals.

    Raises
    ------
    InputError
        If the bbox is not ``(west, south, east, north)`` with west < east, south < north.
    DataFileError
        If the file is missing or cannot be read as OSM data.
    """
    path = Path(osm_file)
    box = _check_bbox(bbox)
    if not path.is_file():
        msg = f"OSM extract {path} does not exist (needed for the offline basemap)"
        raise DataFileError(msg)
    key = cache.make_key("basemap", _VERSION, cache.file_hash(path), box)
    if use_cache:
        hit = cache.read_json("basemap", key)
        if isinstance(hit, dict):
            return hit
    features = list(_read_features(path, box))
    result = {"type": "FeatureCollection", "features": features}
    if use_cache:
        cache.write_json("basemap", key, result)
    return result


def _check_bbox(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Validate and return the bbox as four floats."""
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError) as e:
        msg = f"bbox {bbox!r} is not four numbers (west, south, east, north)"
        raise InputError(msg) from e
    if not (west < east and south < north and west >= -180 and east <= 180
            and south >= -90 and north <= 90):
        msg = f"bbox {bbox!r} is not (west, south, east, north) with west < east, south < north"
        raise InputError(msg)
    return west, south, east, north


def _classify(tags: dict[str, str]) -> tuple[str, str] | None:
    """Return ``("line", cls)`` or ``("area", cls)`` for a way's tags, or None."""
    highway = tags.get("highway")
    if highway in HIGHWAY_CLASSES and tags.get("area") != "yes":
        return "line", HIGHWAY_CLASSES[highway]
    for key, values, cls in _AREA_RULES:
        value = tags.get(key)
        if value is not None and (values is None or value in values):
            return "area", cls
    return None


def _read_features(path: Path, box: tuple[float, float, float, float]) -> Iterator[dict]:
    """Yield the simplified GeoJSON features of ``path`` touching ``box``."""
    keys = ("highway", "landuse", "leisure", "natural", "waterway")
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
            .with_filter(osmium.filter.KeyFilter(*keys))
        )
        for way in processor:
            feature = _way_feature(way, box)
            if feature is not None:
                yield feature
    except RuntimeError as e:
        msg = f"cannot read OSM extract {path}: {e}"
        raise DataFileError(msg) from e


def _way_feature(way: Any, box: tuple[float, float, float, float]) -> dict | None:
    """Return the GeoJSON feature of one way, or None when skipped or outside ``box``."""
    kind = _classify({t.k: t.v for t in way.tags})
    if kind is None:
        return None
    # ways cut at the extract's edge keep their nodes that are inside it
    coords = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
    if len(coords) < 2 or not _touches(coords, box):
        return None
    shape, cls = kind
    closed = coords[0] == coords[-1] and len(coords) >= 4
    if shape == "area" and not closed:
        return None
    simple = _simplify(coords, closed=shape == "area")
    geometry = ({"type": "Polygon", "coordinates": [simple]} if shape == "area"
                else {"type": "LineString", "coordinates": simple})
    return {"type": "Feature", "properties": {"cls": cls}, "geometry": geometry}


def _touches(coords: list[tuple[float, float]], box: tuple[float, float, float, float]) -> bool:
    """Return True when the coordinates' envelope intersects ``box``."""
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    return bbox_intersects((min(xs), min(ys), max(xs), max(ys)), box)


def _simplify(coords: list[tuple[float, float]], *, closed: bool) -> list[list[float]]:
    """Return the coordinates simplified (Douglas-Peucker) and rounded."""
    geom = Polygon(coords) if closed else LineString(coords)
    simple = geom.simplify(_TOLERANCE, preserve_topology=closed)
    if simple.is_empty:
        simple = geom
    ring = simple.exterior.coords if closed else simple.coords
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, _DECIMALS), round(y, _DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out
