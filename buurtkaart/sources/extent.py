"""Extent of an OSM extract or GeoJSON, and the check that it covers a map's area."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import osmium

from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core.area import Area
from buurtkaart.core.geo import BBox, bbox_contains, bbox_intersects

_OSM_SUFFIXES = (".pbf", ".osm", ".o5m", ".bz2", ".gz")


def is_osm_extract(path: str | Path) -> bool:
    """Return True for OSM extracts (.osm.pbf, .osm...), False for GeoJSON."""
    return Path(path).name.lower().endswith(_OSM_SUFFIXES)


def extract_bounds(path: str | Path) -> BBox:
    """Return the bounding box (west, south, east, north) of an OSM extract or GeoJSON.

    Uses the PBF header box when it is set, else the extent of all nodes
    (or of all GeoJSON coordinates).

    Raises
    ------
    DataFileError
        When the file is missing, unreadable or holds no coordinates.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"extract {path} does not exist"
        raise DataFileError(msg)
    if is_osm_extract(path):
        return _osm_bounds(path)
    return _geojson_bounds(path)


def _osm_bounds(path: Path) -> BBox:
    try:
        header = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header()
        box = header.box()
        if box.valid():
            return (box.bottom_left.lon, box.bottom_left.lat,
                    box.top_right.lon, box.top_right.lat)
        west = south = float("inf")
        east = north = float("-inf")
        for node in osmium.FileProcessor(str(path), osmium.osm.NODE):
            loc = node.location  # type: ignore[union-attr]
            if not loc.valid():
                continue
            lon, lat = loc.lon, loc.lat
            west, east = min(west, lon), max(east, lon)
            south, north = min(south, lat), max(north, lat)
    except RuntimeError as e:
        msg = f"cannot read OSM extract {path}: {e}"
        raise DataFileError(msg) from e
    if west == float("inf"):
        msg = f"OSM extract {path} holds no node with a location"
        raise DataFileError(msg)
    return (west, south, east, north)


def _coords(obj: Any) -> Iterator[tuple[float, float]]:
    if isinstance(obj, list | tuple) and len(obj) >= 2 and all(
            isinstance(v, int | float) for v in obj[:2]):
        yield float(obj[0]), float(obj[1])
    elif isinstance(obj, list | tuple):
        for item in obj:
            yield from _coords(item)


def _geojson_bounds(path: Path) -> BBox:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    except (OSError, ValueError, AttributeError, KeyError) as e:
        msg = f"cannot read GeoJSON {path}: {e}"
        raise DataFileError(msg) from e
    xs: list[float] = []
    ys: list[float] = []
    for feat in features:
        for x, y in _coords((feat.get("geometry") or {}).get("coordinates", [])):
            xs.append(x)
            ys.append(y)
    if not xs:
        msg = f"GeoJSON {path} holds no coordinates"
        raise DataFileError(msg)
    return (min(xs), min(ys), max(xs), max(ys))


def ensure_covers(bounds: BBox, area: Area, source: str = "extract",
                  partial_ok: bool = False) -> None:
    """Raise :class:`InputError` unless ``bounds`` covers the area's bounding box.

    Parameters
    ----------
    bounds : tuple
        Extent of the extract, (west, south, east, north).
    area : Area
        The map's area.
    source : str
        Name of the extract, for the message.
    partial_ok : bool
        Accept any overlap: for GeoJSON place exports, whose extent is that of
        the places found rather than of the area that was queried.
    """
    west, south, east, north = area.bbox
    if bbox_contains(bounds, area.bbox) or (partial_ok and bbox_intersects(bounds, area.bbox)):
        return
    bw, bs, be, bn = bounds
    msg = (f"{source} does not cover the map's area {area.label!r}: the area spans "
           f"lon {west:.4f}..{east:.4f}, lat {south:.4f}..{north:.4f}, the extract "
           f"lon {bw:.4f}..{be:.4f}, lat {bs:.4f}..{bn:.4f}")
    raise InputError(msg)


_CELL_NAMES = (("south-west", "south", "south-east"), ("west", "centre", "east"),
               ("north-west", "north", "north-east"))


def _missing_parts(path: Path, bbox: BBox) -> list[str]:
    """Return the parts of ``bbox`` (3 x 3 grid) where the extract has no node.

    Stops as soon as every part has a node, so a covering extract is decided
    after a fraction of the file; only a non-covering one is read to the end.
    """
    west, south, east, north = bbox
    dx, dy = (east - west) / 3 or 1e-9, (north - south) / 3 or 1e-9
    missing = {(r, c) for r in range(3) for c in range(3)}
    try:
        for node in osmium.FileProcessor(str(path), osmium.osm.NODE):
            loc = node.location  # type: ignore[union-attr]
            if not loc.valid():
                continue
            lon, lat = loc.lon, loc.lat
            if west <= lon <= east and south <= lat <= north:
                missing.discard((min(int((lat - south) / dy), 2), min(int((lon - west) / dx), 2)))
                if not missing:
                    return []
    except RuntimeError as e:
        msg = f"cannot read OSM extract {path}: {e}"
        raise DataFileError(msg) from e
    return [_CELL_NAMES[r][c] for r, c in sorted(missing)]


def ensure_file_covers(path: str | Path, area: Area) -> None:
    """Raise :class:`InputError` unless the extract at ``path`` covers ``area``.

    An OSM extract covers the area when it has nodes in each part of a 3 x 3
    grid over the area's bounding box (its header box, when set, must contain
    the area). A GeoJSON place export must overlap it (see :func:`ensure_covers`).

    Raises
    ------
    DataFileError
        When the file is missing or unreadable.
    InputError
        When it does not cover the area; the message names the empty parts.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"extract {path} does not exist"
        raise DataFileError(msg)
    if not is_osm_extract(path):
        ensure_covers(_geojson_bounds(path), area, str(path), partial_ok=True)
        return
    box = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header().box()
    if box.valid():
        ensure_covers(extract_bounds(path), area, str(path))
    missing = _missing_parts(path, area.bbox)
    if missing:
        where = ("in it at all" if len(missing) == 9 else
                 f"in its {', '.join(missing)} part{'s' if len(missing) > 1 else ''}")
        msg = (f"{path} does not cover the map's area {area.label!r} around "
               f"({area.center[0]:.5f}, {area.center[1]:.5f}): no OSM data {where}")
        raise InputError(msg)
