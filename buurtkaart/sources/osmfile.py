"""OSM extracts (``.osm.pbf``, ``.osm`` XML) read with pyosmium in one key-filtered pass.

libosmium filters objects by tag key in C++ (the taxonomy's filter keys) and
keeps node locations for way geometries. Python only sees tagged objects; a
bounding-box test rejects the ones far from the area before their tags are
read. Multipolygon relations are assembled from their member ways, read in a
second, id-filtered pass over the ways only. Ways with missing nodes are skipped.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import osmium
import shapely
from osmium.filter import IdFilter, KeyFilter

from buurtkaart._errors import DataFileError
from buurtkaart.core.area import Area
from buurtkaart.core.categories import categorize, filter_keys
from buurtkaart.core.geo import bbox_intersects, in_bbox
from buurtkaart.core.place import Place
from buurtkaart.sources.common import (
    make_place,
    margin_bbox,
    place_from_geometry,
    sort_places,
)

#: (west, south, east, north)
_Box = tuple[float, float, float, float]


def osmium_file(path: Path, fmt: str) -> osmium.io.File:
    """Return an ``osmium.io.File`` with an explicit format (``pbf`` or ``osm``)."""
    name = path.name.lower()
    suffix = ".bz2" if name.endswith(".bz2") else ".gz" if name.endswith(".gz") else ""
    return osmium.io.File(str(path), fmt + suffix)


_ALL_NODES = osmium.geom.use_nodes.ALL


def _way_coords(way: Any, box: _Box, wkb: Any) -> list[tuple[float, float]] | None:
    """Return the way's (lon, lat) list, or None if a node is missing or it is off the box.

    libosmium writes the way as little-endian WKB in C++ (``wkb`` is a per-read
    ``WKBFactory``: factories are not shared between threads); its doubles are
    unpacked in one call, so Python never touches the nodes one by one.
    """
    try:
        raw = bytes.fromhex(wkb.create_linestring(way, _ALL_NODES))
    except (osmium.InvalidLocationError, RuntimeError, ValueError):
        return None  # a node without location (clipped extract) or fewer than 2 nodes
    count = (len(raw) - 9) // 16
    values = struct.unpack_from(f"<{2 * count}d", raw, 9)
    lons, lats = values[0::2], values[1::2]
    if count < 2 or max(lons) < box[0] or min(lons) > box[2] or max(lats) < box[1] \
            or min(lats) > box[3]:
        return None
    return list(zip(lons, lats, strict=True))


def _way_geometry(way: Any, coords: list[tuple[float, float]]) -> shapely.Geometry:
    tags = way.tags
    closed = len(coords) >= 4 and coords[0] == coords[-1]
    if closed and tags.get("area") != "no":
        poly = shapely.Polygon(coords)
        return poly if poly.is_valid else shapely.make_valid(poly)
    return shapely.LineString(coords)


def _node_place(obj: Any, area: Area | None, box: _Box, source: str) -> Place | None:
    loc = obj.location
    if not in_bbox(loc.lat, loc.lon, box) or (area and not area.contains(loc.lat, loc.lon)):
        return None
    tags: Any = obj.tags
    cat = categorize(tags)
    if cat is None:
        return None
    return make_place(f"node/{obj.id}", dict(tags), loc.lat, loc.lon, source, None, cat, area)


def _way_place(obj: Any, area: Area | None, box: _Box, source: str, wkb: Any) -> Place | None:
    coords = _way_coords(obj, box, wkb)
    cat = categorize(obj.tags) if coords else None
    if cat is None or coords is None:
        return None
    return place_from_geometry(f"way/{obj.id}", dict(obj.tags), _way_geometry(obj, coords),
                               source, area, cat)


def _pending_relation(obj: Any) -> tuple[int, dict[str, str], list[tuple[int, str]]] | None:
    """Return (id, tags, [(way id, role)]) for a categorised multipolygon relation."""
    tags: Any = obj.tags
    if tags.get("type") not in {"multipolygon", "boundary"} or categorize(tags) is None:
        return None
    members = [(m.ref, m.role) for m in obj.members if m.type == "w"]
    return (obj.id, dict(tags), members) if members else None


def iter_osm_places(src: osmium.io.File, area: Area | None, source: str) -> list[Place]:
    """Run the filtered pass over an opened OSM file and return its places (unsorted).

    Pass 1 reads tagged nodes, ways and relations (node locations are kept for
    every node). When categorised multipolygon relations exist, pass 2 reads only
    their member ways (an id filter in C++) and assembles the rings.
    """
    box = margin_bbox(area)
    wkb = osmium.geom.WKBFactory()
    # node id -> location (osmium's "location store"; its stubs type with_locations as str)
    locations: Any = osmium.index.create_map("flex_mem")
    proc = osmium.FileProcessor(src).with_locations(locations).with_filter(
        KeyFilter(*filter_keys()))
    places: list[Place] = []
    relations: list[tuple[int, dict[str, str], list[tuple[int, str]]]] = []
    for entity in proc:
        obj: Any = entity
        if obj.is_node():
            place = _node_place(obj, area, box, source)
        elif obj.is_way():
            place = _way_place(obj, area, box, source, wkb)
        else:
            pending = _pending_relation(obj)
            if pending is not None:
                relations.append(pending)
            continue
        if place is not None:
            places.append(place)
    if relations:
        places += _relation_places(src, locations, relations, area, box, source)
    return places


def _relation_places(src: osmium.io.File, locations: osmium.index.LocationTable,
                     relations: list[tuple[int, dict[str, str], list[tuple[int, str]]]],
                     area: Area | None, box: _Box, source: str) -> list[Place]:
    wanted = {ref for _, _, members in relations for ref, _ in members}
    lines: dict[int, list[tuple[float, float]]] = {}
    proc = osmium.FileProcessor(src, osmium.osm.WAY).with_filter(IdFilter(wanted))
    for way in proc:
        coords = _stored_coords(way, locations)
        if coords is not None:
            lines[way.id] = coords
    places = []
    for rel_id, tags, members in relations:
        geom = assemble_multipolygon(members, lines)
        if geom is None or not _bounds_touch(geom, box):
            continue
        place = place_from_geometry(f"relation/{rel_id}", tags, geom, source, area)
        if place is not None:
            places.append(place)
    return places


def _stored_coords(way: Any,
                   locations: osmium.index.LocationTable) -> list[tuple[float, float]] | None:
    """Return the way's (lon, lat) list from the location store, None if a node is missing."""
    coords = []
    for nd in way.nodes:
        try:
            loc = locations.get(nd.ref)
        except KeyError:
            return None
        coords.append((loc.lon, loc.lat))
    return coords if len(coords) >= 2 else None


def _bounds_touch(geom: shapely.Geometry, box: _Box) -> bool:
    return bbox_intersects(geom.bounds, box)


def assemble_multipolygon(members: list[tuple[int, str]],
                          lines: dict[int, list[tuple[float, float]]]) -> shapely.Geometry | None:
    """Build a (Multi)Polygon from member ways: outer rings minus inner rings.

    Returns None when a member way is missing (incomplete relation) or no ring closes.
    """
    outer: list[shapely.LineString] = []
    inner: list[shapely.LineString] = []
    for ref, role in members:
        coords = lines.get(ref)
        if coords is None:
            return None
        (inner if role == "inner" else outer).append(shapely.LineString(coords))
    shell = shapely.union_all(shapely.get_parts(shapely.polygonize(outer)))
    if shell.is_empty:
        return None
    if inner:
        holes = shapely.union_all(shapely.get_parts(shapely.polygonize(inner)))
        shell = shell.difference(holes)
    return shell if shell.is_valid else shapely.make_valid(shell)


def read_osm(path: Path, fmt: str, area: Area | None = None) -> list[Place]:
    """Read the places of an OSM extract.

    Parameters
    ----------
    path : Path
        An existing ``.osm.pbf`` or ``.osm`` file (format sniffed by the caller).
    fmt : str
        ``"pbf"`` or ``"osm"``.
    area : Area, optional
        Keep only places in the area.

    Returns
    -------
    list of Place
        Sorted by distance, then id.
    """
    try:
        places = iter_osm_places(osmium_file(path, fmt), area, f"file:{path.name}")
    except RuntimeError as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        msg = f"OSM file {path} is truncated or corrupt ({fmt}): {reason}"
        raise DataFileError(msg) from e
    return sort_places(places)
