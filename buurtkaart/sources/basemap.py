"""Offline basemap: streets, landuse, parks and water from a local OSM extract.

When there is no internet there are no raster tiles. :func:`offline_basemap_geojson`
reads the extract once with pyosmium (highway ways, and closed landuse/park/water
ways as polygons), keeps what touches the bounding box, simplifies the lines and
rounds the coordinates, and caches the result as JSON (:mod:`.cache`, kind
``basemap``, keyed by the extract's content hash and the box). The map draws it
as light vector lines.

Names: the result's ``labels`` list (a foreign member of the FeatureCollection) holds
the named streets, merged into runs (connected ways with the same names form one
line), the named canals and rivers (lines), and the named squares, parks and water
(one point each, inside the area). Each label keeps ``name``, ``name_nl`` and
``name_fr``; the map and the PDF choose the language and place the labels.

Multipolygon relations (large parks, rivers) are not assembled: closed ways cover
most of a neighbourhood's landuse and keep the pass fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import osmium
from shapely.geometry import LineString, MultiLineString, Polygon
from shapely.ops import linemerge

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core.geo import bbox_intersects
from buurtkaart.sources import cache

#: Cache format version: bump when the output changes.
_VERSION = 2
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

#: Named lines labelled but not drawn (the water polygon is drawn).
_WATERWAY_LINES = frozenset({"canal", "river"})
#: Area classes whose name is a label (landuse names are not).
_NAMED_AREAS = frozenset({"water", "green", "square"})

#: (key, value or None for any value) -> area class
_AREA_RULES: list[tuple[str, frozenset[str] | None, str]] = [
    ("highway", frozenset({"pedestrian"}), "square"),
    ("place", frozenset({"square"}), "square"),
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
        path) and Polygons (``cls`` = water, green, square or landuse), coordinates
        rounded to 5 decimals, and ``labels``: dicts with ``kind`` (major, minor,
        path, water, green, square), ``name``, ``name_nl``, ``name_fr`` ('' when
        absent) and either ``line`` (a merged run) or ``point`` (``[lon, lat]``).

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
    names = _Names()
    features = list(_read_features(path, box, names))
    result = {"type": "FeatureCollection", "features": features, "labels": names.labels()}
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


def _names(tags: dict[str, str]) -> tuple[str, str, str] | None:
    """Return ``(name, name_nl, name_fr)`` ('' when absent), None without any name."""
    names = (tags.get("name", ""), tags.get("name:nl", ""), tags.get("name:fr", ""))
    return names if any(names) else None


class _Names:
    """Collects the named lines and areas of one pass and merges the lines into runs."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str, str, str, str], list[list[list[float]]]] = {}
        self.points: list[dict[str, Any]] = []

    def add_line(self, kind: str, names: tuple[str, str, str], coords: list[list[float]]) -> None:
        self.lines.setdefault((kind, *names), []).append(coords)

    def add_point(self, kind: str, names: tuple[str, str, str], point: list[float]) -> None:
        self.points.append(_label(kind, names, point=point))

    def labels(self) -> list[dict[str, Any]]:
        """Return one label per run of connected same-named lines, then the area labels."""
        out: list[dict[str, Any]] = []
        for (kind, *names), parts in sorted(self.lines.items()):
            merged = linemerge(MultiLineString(parts)) if len(parts) > 1 else LineString(parts[0])
            runs = getattr(merged, "geoms", [merged])
            for run in sorted(runs, key=lambda g: -g.length):
                line = [[round(x, _DECIMALS), round(y, _DECIMALS)] for x, y in run.coords]
                out.append(_label(kind, (names[0], names[1], names[2]), line=line))
        return out + self.points


def _label(kind: str, names: tuple[str, str, str], **where: Any) -> dict[str, Any]:
    return {"kind": kind, "name": names[0], "name_nl": names[1], "name_fr": names[2], **where}


def _read_features(path: Path, box: tuple[float, float, float, float],
                   names: _Names) -> Iterator[dict]:
    """Yield the simplified GeoJSON features of ``path`` touching ``box``; collect names."""
    keys = ("highway", "landuse", "leisure", "natural", "waterway", "place")
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter(*keys))
        )
        for obj in processor:
            if isinstance(obj, osmium.osm.Node):
                _node_label(obj, box, names)
                continue
            feature = _way_feature(obj, box, names)
            if feature is not None:
                yield feature
    except RuntimeError as e:
        msg = f"cannot read OSM extract {path}: {e}"
        raise DataFileError(msg) from e


def _node_label(node: Any, box: tuple[float, float, float, float], names: _Names) -> None:
    """Collect the name of a ``place=square`` node inside ``box``."""
    if node.tags.get("place") != "square" or not node.location.valid():
        return
    found = _names({t.k: t.v for t in node.tags})
    lon, lat = node.location.lon, node.location.lat
    if found and box[0] <= lon <= box[2] and box[1] <= lat <= box[3]:
        names.add_point("square", found, [round(lon, _DECIMALS), round(lat, _DECIMALS)])


def _way_feature(way: Any, box: tuple[float, float, float, float],
                 names: _Names) -> dict | None:
    """Return the GeoJSON feature of one way, or None when skipped or outside ``box``."""
    tags = {t.k: t.v for t in way.tags}
    kind = _classify(tags)
    water_line = tags.get("waterway") in _WATERWAY_LINES
    if kind is None and not water_line:
        return None
    # ways cut at the extract's edge keep their nodes that are inside it
    coords = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
    if len(coords) < 2 or not _touches(coords, box):
        return None
    found = _names(tags)
    closed = coords[0] == coords[-1] and len(coords) >= 4
    if kind is None or (kind[0] == "area" and not closed):
        if water_line and found:
            names.add_line("water", found, _simplify(coords, closed=False))
        return None
    shape, cls = kind
    simple = _simplify(coords, closed=shape == "area")
    if found and shape == "line":
        names.add_line(cls, found, simple)
    elif found and cls in _NAMED_AREAS:
        point = Polygon(simple).representative_point()
        names.add_point(cls, found, [round(point.x, _DECIMALS), round(point.y, _DECIMALS)])
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
