"""The offline geocoding index of an OSM extract: one filtered pyosmium pass, cached.

:func:`load_index` keeps the index in memory and pickled in the cache
(kind ``geocode``, keyed by the file's content hash and :data:`INDEX_VERSION`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import osmium
from osmium.filter import KeyFilter

from buurtkaart._errors import DataFileError
from buurtkaart.core.address import GeocodeIndex
from buurtkaart.sources import cache, sniff_format
from buurtkaart.sources.geojson import index_addresses
from buurtkaart.sources.osmfile import osmium_file

#: Version of the pickled index: bump when :class:`GeocodeIndex` changes.
INDEX_VERSION = 1
_memory: cache.MemoryCache[GeocodeIndex] = cache.MemoryCache(4)


def _way_points(way: Any) -> list[tuple[float, float]]:
    """Return the way's valid (lat, lon) node locations."""
    return [(n.location.lat, n.location.lon) for n in way.nodes if n.location.valid()]


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Return the point of the list closest to the mean point (stays on the street)."""
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    return min(points, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2)


def _add_object(index: GeocodeIndex, obj: Any,
                streets: dict[str, list[tuple[float, float]]]) -> None:
    tags = obj.tags
    if obj.is_node():
        points = [(obj.location.lat, obj.location.lon)] if obj.location.valid() else []
    elif obj.is_way():
        points = _way_points(obj)
    else:
        return
    if not points:
        return
    street, number = tags.get("addr:street"), tags.get("addr:housenumber")
    if street and number:
        lat, lon = _middle(points)
        for part in number.replace(";", ",").split(","):
            if part.strip():
                index.add_number(street, part.strip(), lat, lon, tags.get("addr:postcode", ""))
    name = tags.get("name")
    if obj.is_way() and name and "highway" in tags:
        streets.setdefault(name, []).extend(points)
        for key in ("name:nl", "name:fr"):
            if tags.get(key):
                streets.setdefault(tags[key], []).extend(points)


def build_index(path: Path) -> GeocodeIndex:
    """Return a :class:`GeocodeIndex` of ``path`` (house numbers and named streets)."""
    fmt = sniff_format(path)
    index = GeocodeIndex(source=f"file:{path.name}")
    if fmt == "geojson":
        index_addresses(path, index)
        return index
    streets: dict[str, list[tuple[float, float]]] = {}
    proc = (osmium.FileProcessor(osmium_file(path, fmt)).with_locations()
            .with_filter(KeyFilter("addr:housenumber", "highway")))
    try:
        for obj in proc:
            _add_object(index, obj, streets)
    except RuntimeError as e:
        msg = f"OSM file {path} is truncated or corrupt: {str(e).splitlines()[0] if str(e) else e}"
        raise DataFileError(msg) from e
    # bilingual full names first, so they label the entries of their parts
    for name, points in sorted(streets.items(), key=lambda kv: -len(kv[0])):
        lat, lon = _middle(points)
        index.add_street(name, lat, lon)
    index.add_numbered_streets()
    return index


def load_index(osm_file: str | Path) -> GeocodeIndex:
    """Return the offline index of ``osm_file`` (memory and disk cached)."""
    path = Path(osm_file)
    sniff_format(path)  # clear error for missing / non-OSM files
    key = cache.make_key("geocode-index", INDEX_VERSION, cache.file_hash(path))
    return _memory.get_or_build(
        key, lambda: cache.cached_object("geocode", key, GeocodeIndex, lambda: build_index(path)))


def clear_memory() -> None:
    """Forget the indexes kept in memory (the disk cache stays)."""
    _memory.clear()
