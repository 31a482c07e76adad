"""Live street network via OSMnx (Overpass). Network I/O lives only here.

Runs through :func:`buurtkaart.sources._overpass.osmnx_call`, like the live places
source: it fails fast with :class:`~buurtkaart._errors.SourceUnavailable` when
the Overpass endpoint (setting ``BUURTKAART_OVERPASS_URL``) cannot answer within
``BUURTKAART_HTTP_TIMEOUT`` seconds or answers 429/504 (no 55 s sleep, no
retry loop), and it does not ask Overpass again before the time it named.
"""

from __future__ import annotations

import numpy as np

from buurtkaart._errors import SourceUnavailable
from buurtkaart.core.geo import BBox, distance_m
from buurtkaart.core.walkgraph import WalkGraph
from buurtkaart.sources._overpass import osmnx_call


def fetch_walk_graph(bbox: BBox) -> WalkGraph:
    """Download the walking network covering ``bbox`` with ``osmnx.graph_from_point``.

    The point is the box centre and ``dist`` half its larger side
    (``dist_type="bbox"``), so the whole box is covered. OSMnx's own cache is
    not used: walking graphs have their own cache (:mod:`buurtkaart.sources.cache`).

    Raises
    ------
    SourceUnavailable
        When Overpass cannot be reached, is busy or answers with an error.
    """
    import osmnx as ox  # heavy optional dependency, loaded on first use
    from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError  # with osmnx

    west, south, east, north = bbox
    centre = ((south + north) / 2, (west + east) / 2)
    dist = max(distance_m(south, west, north, west), distance_m(south, west, south, east))

    def call() -> object:
        return ox.graph_from_point(centre, dist=float(dist) / 2, dist_type="bbox",
                                   network_type="walk", simplify=False, retain_all=True)

    try:
        graph = osmnx_call(call, use_cache=False)
    except SourceUnavailable as err:
        msg = f"{err} (walking network for box {bbox})"
        raise SourceUnavailable(msg) from err
    except (ResponseStatusCodeError, InsufficientResponseError, ValueError) as err:
        msg = f"Overpass returned no usable walking network for box {bbox}: {err}"
        raise SourceUnavailable(msg) from err
    return from_osmnx(graph, bbox)


def from_osmnx(graph: object, bbox: BBox) -> WalkGraph:
    """Convert an OSMnx graph (nodes with ``x``/``y``) into a :class:`WalkGraph`."""
    nodes = list(graph.nodes(data=True))  # type: ignore[attr-defined]
    index = {node: i for i, (node, _) in enumerate(nodes)}
    lat = np.array([float(d["y"]) for _, d in nodes])
    lon = np.array([float(d["x"]) for _, d in nodes])
    ids = np.array([int(n) if isinstance(n, int) else 0 for n, _ in nodes], dtype=np.int64)
    pairs = {tuple(sorted((index[a], index[b])))
             for a, b in graph.edges() if a != b}  # type: ignore[attr-defined]
    u = np.array([p[0] for p in pairs], dtype=np.int64)
    v = np.array([p[1] for p in pairs], dtype=np.int64)
    return WalkGraph.from_edges(lat, lon, ids, u, v, bbox, "osmnx")
