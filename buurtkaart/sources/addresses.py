"""The offline geocoding index of an OSM extract: built from the file, cached.

:func:`build_index` reads the extract's admin boundaries and addresses
(:mod:`buurtkaart.sources._address_build`), gives every street, house number
and interpolation line its commune, and splits same-named streets into
stretches (ways that touch or lie close together are one street).
:func:`load_index` keeps the index in memory and pickled in the cache (kind
``geocode``, keyed by the file's content hash and :data:`INDEX_VERSION`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from buurtkaart.core.address import (
    Commune,
    GeocodeIndex,
    Interpolation,
    interpolation_step,
    parse_housenumbers,
    split_key,
    street_keys,
)
from buurtkaart.core.address.postcodes import POSTCODES_BY_INS
from buurtkaart.sources import cache, sniff_format
from buurtkaart.sources._address_build import (
    Boundary,
    Extract,
    LatLon,
    communes_of,
    main_commune,
    middle,
    read_boundaries,
    read_objects,
)
from buurtkaart.sources.geojson import index_addresses
from buurtkaart.sources.osmfile import osmium_file

#: Version of the pickled index: bump when :class:`GeocodeIndex` or its ``Prepared`` lists change.
INDEX_VERSION = 4
#: ways of one name with points in one grid cell of this size (degrees) are one street
CLUSTER_CELL_DEG = 0.003
_memory: cache.MemoryCache[GeocodeIndex] = cache.MemoryCache(4)


def _add_communes(index: GeocodeIndex, boundaries: list[Boundary]) -> list[Any]:
    """Add the level-8 communes; districts (9/10) name their commune too. Return polygons."""
    communes = [b for b in boundaries if b.level == 8]
    polygons = [b.geom for b in communes]
    for b in communes:
        ref = b.tags.get("ref:INS", "")
        name = b.tags.get("name", "")
        index.add_commune(Commune(name, ref, POSTCODES_BY_INS.get(ref, ())),
                          b.tags.get("name:fr"), b.tags.get("name:nl"), b.tags.get("alt_name"))
    for b in boundaries:
        if b.level > 8:
            point = b.geom.representative_point()
            (cid,) = communes_of([(point.y, point.x)], polygons)
            if cid >= 0:
                index.add_commune_names(cid, b.tags.get("name"), b.tags.get("name:fr"),
                                        b.tags.get("name:nl"))
    return polygons


Way = tuple[str, list[int], list[LatLon], tuple[str, ...]]


def _clusters(ways: list[Way]) -> list[int]:
    """Return each way's cluster: ways sharing a lookup key and a node or a grid cell."""
    parent = list(range(len(ways)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, object], int] = {}
    for i, (name, refs, points, others) in enumerate(ways):
        marks: list[object] = [*refs]
        marks += [(int(la / CLUSTER_CELL_DEG), int(lo / CLUSTER_CELL_DEG)) for la, lo in points]
        for key in street_keys(name, *others):
            for mark in marks:
                j = seen.setdefault((key, mark), i)
                parent[find(i)] = find(j)
    return [find(i) for i in range(len(ways))]


def _add_streets(index: GeocodeIndex, ex: Extract, polygons: list[Any]) -> None:
    ways: list[Way] = [(name, refs, pts, others) for name, items in ex.streets.items()
                       for refs, pts, others in items]
    groups: dict[int, list[Way]] = {}
    for way, root in zip(ways, _clusters(ways), strict=True):
        groups.setdefault(root, []).append(way)
    for members in groups.values():
        points = [p for _, _, pts, _ in members for p in pts]
        label = Counter(w[0] for w in members for _ in w[2]).most_common(1)[0][0]
        others = tuple(dict.fromkeys(o for w in members for o in (w[0], *w[3]) if o != label))
        cids = communes_of(points, polygons)
        by_commune = {c: middle([p for p, q in zip(points, cids, strict=True) if q == c])
                      for c in set(cids) if c >= 0}
        entry = index.add_street(label, *middle(points), main_commune(cids), by_commune,
                                 len(points), others)
        if entry.square:  # a square's point is its centre, not a point of its edge
            entry.lat = sum(p[0] for p in points) / len(points)
            entry.lon = sum(p[1] for p in points) / len(points)


def _add_numbers(index: GeocodeIndex, ex: Extract, polygons: list[Any]) -> None:
    cids = communes_of([(n[2], n[3]) for n in ex.numbers], polygons)
    for (street, number, lat, lon, postcode), cid in zip(ex.numbers, cids, strict=True):
        index.add_number(street, number, lat, lon, postcode, cid)
        if postcode and cid >= 0:
            index.add_postcode(postcode, cid)


def _add_interpolations(index: GeocodeIndex, ex: Extract, polygons: list[Any]) -> None:
    lines = [line for line in ex.interpolations if interpolation_step(line[0])]
    cids = communes_of([middle(line[2]) for line in lines], polygons)
    for (kind, refs, points, street), cid in zip(lines, cids, strict=True):
        anchors: list[tuple[int, int]] = []
        for pos, ref in enumerate(refs):
            number, node_street = ex.addr_nodes.get(ref, ("", ""))
            keys = parse_housenumbers(number) if number else []
            parts = split_key(keys[0]) if keys else None
            if parts is not None and pos < len(points):
                anchors.append((pos, parts[0]))
                street = street or node_street
        step = interpolation_step(kind)
        if street and step and len(anchors) >= 2 and len(points) == len(refs):
            index.add_interpolation(Interpolation(points, anchors, step, cid, street))


def _add_landmarks(index: GeocodeIndex, ex: Extract, polygons: list[Any]) -> None:
    cids = communes_of([(la, lo) for _, _, la, lo in ex.landmarks], polygons)
    for (name, others, lat, lon), cid in zip(ex.landmarks, cids, strict=True):
        index.add_area(name, lat, lon, cid, *others)


def build_index(path: Path) -> GeocodeIndex:
    """Return a :class:`GeocodeIndex` of ``path`` (communes, numbers, streets, areas)."""
    fmt = sniff_format(path)
    index = GeocodeIndex(source=f"file:{path.name}")
    if fmt == "geojson":
        index_addresses(path, index)
        return index
    polygons = _add_communes(index, read_boundaries(path, osmium_file(path, fmt)))
    ex = read_objects(path, osmium_file(path, fmt))
    _add_streets(index, ex, polygons)
    _add_numbers(index, ex, polygons)
    _add_interpolations(index, ex, polygons)
    _add_landmarks(index, ex, polygons)
    index.add_numbered_streets()
    for kind in ("streets", "plain", "areas"):
        index.prepared(kind)  # typo matching lists, pickled with the index
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
