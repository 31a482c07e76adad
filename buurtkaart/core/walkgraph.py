"""The street network walkers may use (pure): walkability rules and the graph type.

The graph keeps every OSM node of the walkable ways inside a bounding box, so
that each edge is a straight segment whose length is the great-circle distance
between its two nodes, in metres. It is stored as compressed adjacency arrays
(CSR), which pickle fast. :mod:`buurtkaart.sources.streets` reads it
from an OSM extract (pyosmium) or Overpass (OSMnx). The arrays need no networkx at query time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from buurtkaart.core.geo import BBox, distances_m

#: Highway values that are never walkable (not built, or not for people on foot).
NEVER_WALKABLE = frozenset({
    "construction", "proposed", "planned", "abandoned", "disused", "razed", "raceway",
    "bus_guideway", "escape", "rest_area", "services", "busway", "no", "emergency_bay",
})
#: Fast roads: walkable only with a sidewalk or an explicit foot permission.
FAST_ROADS = frozenset({"motorway", "motorway_link", "trunk", "trunk_link"})
_FOOT_OK = frozenset({"yes", "designated", "permissive", "official"})
_FOOT_NO = frozenset({"no", "private", "use_sidepath", "discouraged"})
_SIDEWALK_OK = frozenset({"both", "left", "right", "yes"})


def is_walkable(tags: Mapping[str, str]) -> bool:
    """Return whether a way with these OSM tags may be used by someone on foot.

    Parameters
    ----------
    tags : Mapping[str, str]
        The way's tags.

    Returns
    -------
    bool
        False for non-highways, unbuilt or removed ways (``construction``,
        ``proposed``...), ``foot=no``/``private``/``use_sidepath``, private or
        forbidden access without a foot permission, and motorways/trunk roads
        without a sidewalk or foot permission.
    """
    highway = tags.get("highway")
    if not highway or highway in NEVER_WALKABLE:
        return False
    foot = tags.get("foot", "")
    if foot in _FOOT_NO:
        return False
    if tags.get("access") in {"private", "no"} and foot not in _FOOT_OK:
        return False
    if highway in FAST_ROADS:
        sidewalk = tags.get("sidewalk", tags.get("sidewalk:both", ""))
        return foot in _FOOT_OK or sidewalk in _SIDEWALK_OK
    return True


@dataclass
class WalkGraph:
    """An undirected walking graph in CSR form.

    Attributes
    ----------
    lat, lon : numpy.ndarray
        Node coordinates (WGS84), index = node number.
    osm_ids : numpy.ndarray
        OSM node id of each node (0 when unknown).
    u, v, length : numpy.ndarray
        One row per undirected edge: node numbers and length in metres.
    indptr, indices, weights : numpy.ndarray
        CSR adjacency built from the edges (both directions).
    bbox : tuple
        The box the graph was clipped to (west, south, east, north).
    source : str
        Where the graph comes from (``file:<name>`` or ``osmnx``).
    """

    lat: np.ndarray
    lon: np.ndarray
    osm_ids: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    bbox: BBox
    source: str

    @classmethod
    def from_edges(cls, lat: np.ndarray, lon: np.ndarray, osm_ids: np.ndarray,
                   u: np.ndarray, v: np.ndarray, bbox: BBox, source: str) -> WalkGraph:
        """Build the graph from node coordinates and an edge list (lengths computed)."""
        length = distances_m(lat[u], lon[u], lat[v], lon[v])
        src = np.concatenate([u, v])
        dst = np.concatenate([v, u])
        w = np.concatenate([length, length])
        order = np.argsort(src, kind="stable")
        counts = np.bincount(src, minlength=len(lat))
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(lat, lon, osm_ids, u, v, length, indptr, dst[order].astype(np.int64),
                   w[order], bbox, source)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.lat)

    @property
    def n_edges(self) -> int:
        """Number of undirected edges."""
        return len(self.u)

