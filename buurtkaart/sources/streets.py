"""The walkable street network: read from an extract (pyosmium) or Overpass, cached.

:func:`walking_graph` returns the :class:`~buurtkaart.core.walkgraph.WalkGraph`
around a point. Boxes snap to a grid of :data:`GRID_DEG` degrees so nearby
points share a graph; graphs are kept in memory (:data:`MEMORY_SLOTS`) and
pickled in the cache (kind ``walk``, keyed by the extract's content hash, or
``osmnx``, and the box).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

import numpy as np
import osmium

from buurtkaart import settings
from buurtkaart._errors import DataFileError
from buurtkaart.core.geo import BBox, bbox_around, bbox_snap_out
from buurtkaart.core.walkgraph import WalkGraph, is_walkable
from buurtkaart.sources import _walk_online, cache

MEMORY_SLOTS = 8
#: The grid (degrees) graph boxes snap to.
GRID_DEG = 0.005
#: Version of the pickled graph: bump when :class:`WalkGraph` changes.
GRAPH_VERSION = 1
_memory: cache.MemoryCache[WalkGraph] = cache.MemoryCache(MEMORY_SLOTS)


def default_osm_file() -> Path:
    """Return ``BUURTKAART_OSM_FILE``, or the demo extract when unset."""
    value = settings.get("BUURTKAART_OSM_FILE")
    return Path(value) if value else settings.demo_osm_file()


def grid_bbox(lat: float, lon: float, radius_m: float) -> BBox:
    """Return the box covering ``radius_m`` around (lat, lon), snapped outwards to the grid."""
    return bbox_snap_out(bbox_around(lat, lon, radius_m), GRID_DEG)


def graph_source(lat: float, lon: float, radius_m: float, osm_file: Path | None,
                 online: bool) -> tuple[str, Callable[[], WalkGraph]]:
    """Return the cache key of the graph and a function building it."""
    bbox = grid_bbox(lat, lon, radius_m)
    box = ",".join(f"{c:.5f}" for c in bbox)
    if online:
        return (cache.make_key("walk-graph", GRAPH_VERSION, "osmnx", box),
                lambda: _walk_online.fetch_walk_graph(bbox))
    path = Path(osm_file) if osm_file else default_osm_file()
    if not path.is_file():
        msg = f"OSM file {path} does not exist: cannot compute walking areas"
        raise DataFileError(msg)
    if path.suffix.lower() in {".geojson", ".json"}:
        msg = f"OSM file {path} is GeoJSON: walking areas need a street network (.osm.pbf or .osm)"
        raise DataFileError(msg)
    key = cache.make_key("walk-graph", GRAPH_VERSION, cache.file_hash(path), box)
    return key, lambda: read_walk_graph(path, bbox)


def cached_graph(key: str, build: Callable[[], WalkGraph], *, disk: bool = True) -> WalkGraph:
    """Return the graph of ``key`` from memory, the disk cache, or ``build``."""
    return _memory.get_or_build(
        key, lambda: cache.cached_object("walk", key, WalkGraph, build, disk=disk))


def walking_graph(lat: float, lon: float, radius_m: float, *, osm_file: Path | None = None,
                  online: bool = False) -> WalkGraph:
    """Return the (cached) walking graph covering ``radius_m`` metres around (lat, lon).

    Parameters
    ----------
    lat, lon : float
        Centre in WGS84.
    radius_m : float
        Every street within this distance is in the graph.
    osm_file : Path, optional
        ``.osm.pbf``/``.osm`` extract; default ``BUURTKAART_OSM_FILE`` or the demo extract.
    online : bool
        Fetch the network with OSMnx instead (raises ``SourceUnavailable`` offline).
    """
    key, build = graph_source(lat, lon, radius_m, osm_file, online)
    return cached_graph(key, build)


def clear_memory() -> None:
    """Empty the in-memory graph cache (the disk cache stays)."""
    _memory.clear()


class _Edges:
    """The nodes and segments of walkable ways, kept when one end lies in the box."""

    def __init__(self, bbox: BBox) -> None:
        self.bbox = bbox
        self.ids: dict[int, int] = {}
        self.lats: list[float] = []
        self.lons: list[float] = []
        self.us: list[int] = []
        self.vs: list[int] = []

    def _index(self, ref: int, lat: float, lon: float) -> int:
        idx = self.ids.get(ref)
        if idx is None:
            idx = self.ids[ref] = len(self.lats)
            self.lats.append(lat)
            self.lons.append(lon)
        return idx

    def add_way(self, way: Any) -> None:
        """Add the way's segments with at least one node inside the box."""
        west, south, east, north = self.bbox
        prev: tuple[int, float, float, bool] | None = None
        for node in way.nodes:
            loc = node.location
            if not loc.valid():
                prev = None
                continue
            lat, lon = loc.lat, loc.lon
            inside = west <= lon <= east and south <= lat <= north
            if prev is not None and (inside or prev[3]) and prev[0] != node.ref:
                self.us.append(self._index(prev[0], prev[1], prev[2]))
                self.vs.append(self._index(node.ref, lat, lon))
            prev = (node.ref, lat, lon, inside)

    def graph(self, source: str) -> WalkGraph:
        """Return the collected network as a :class:`WalkGraph`."""
        return WalkGraph.from_edges(
            np.array(self.lats, dtype=float), np.array(self.lons, dtype=float),
            np.array(list(self.ids), dtype=np.int64), np.array(self.us, dtype=np.int64),
            np.array(self.vs, dtype=np.int64), self.bbox, source)


def read_walk_graph(path: Path, bbox: BBox) -> WalkGraph:
    """Read the walkable street network of an OSM file, clipped to ``bbox``.

    One pyosmium pass keeps node locations and the ways tagged ``highway``;
    a segment is kept when at least one of its two nodes lies in the box (so
    every path starting inside the box is complete while it stays inside).

    Parameters
    ----------
    path : Path
        An ``.osm.pbf`` or ``.osm`` file.
    bbox : tuple
        (west, south, east, north) in degrees.

    Returns
    -------
    WalkGraph

    Raises
    ------
    DataFileError
        When the file is missing or not readable as OSM data.
    """
    path = Path(path)
    if not path.is_file():
        msg = f"OSM file {path} does not exist: cannot build the walking network"
        raise DataFileError(msg)
    edges = _Edges(bbox)
    try:
        processor = (osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
                     .with_locations()
                     .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
                     .with_filter(osmium.filter.KeyFilter("highway")))
        for way in processor:
            if isinstance(way, osmium.osm.Way) and is_walkable(cast(Mapping[str, str], way.tags)):
                edges.add_way(way)
    except RuntimeError as err:
        msg = f"cannot read OSM file {path} for the walking network: {err}"
        raise DataFileError(msg) from err
    return edges.graph(f"file:{path.name}")
