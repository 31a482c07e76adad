"""The walkable buurt: walking areas (isochrones) of 5, 10 and 15 minutes.

>>> areas = walking_areas(50.8552, 4.3387, (5, 10, 15), osm_file=path)  # doctest: +SKIP
>>> areas[1].contains(50.856, 4.340)  # doctest: +SKIP

The street network comes from :mod:`buurtkaart.sources.streets` (the extract
file, or with ``online=True`` OSMnx), cached per area; this package only
computes on it. The polygon method is described in :mod:`buurtkaart.walk.isochrone`.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from buurtkaart import settings
from buurtkaart._errors import InputError
from buurtkaart.core.area import Area
from buurtkaart.core.walkgraph import WalkGraph, is_walkable
from buurtkaart.i18n import format_number, t
from buurtkaart.sources import streets
from buurtkaart.walk.isochrone import (
    DEFAULT_BUFFER_M,
    LocalProjection,
    buffer_pieces,
    dijkstra,
    reached_pieces,
    snap,
)

__all__ = [
    "DEFAULT_BUFFER_M", "DEFAULT_MINUTES", "SLOW_SPEED_KMH", "WalkGraph", "WalkingArea",
    "clear_memory_caches", "is_walkable", "parse_minutes", "walk_speed_kmh", "walking_areas",
    "within",
]

DEFAULT_MINUTES: tuple[int, ...] = (5, 10, 15)
#: The slower option, for seniors or people with reduced mobility.
SLOW_SPEED_KMH = 3.0
#: Extra metres read around the farthest reach.
_MARGIN_M = 150.0
_RESULT_SLOTS = 32
_results: OrderedDict[tuple, list[WalkingArea]] = OrderedDict()
_results_lock = threading.Lock()


@dataclass(frozen=True)
class WalkingArea:
    """The area reachable on foot within ``minutes`` from ``origin``.

    Attributes
    ----------
    minutes, speed_kmh, buffer_m, reach_m : float
        Walking time, speed, polygon buffer and walking distance (metres).
    origin : tuple[float, float]
        (lat, lon) of the organisation.
    geometry : shapely geometry
        (Multi)Polygon in WGS84 lon/lat.
    source : str
        Where the street network came from.
    """

    minutes: float
    speed_kmh: float
    buffer_m: float
    reach_m: float
    origin: tuple[float, float]
    geometry: BaseGeometry
    source: str

    def contains(self, lat: float, lon: float) -> bool:
        """Return whether the point (lat, lon) lies in the walking area."""
        return bool(self.geometry.covers(shapely.Point(lon, lat)))

    def label(self, lang: str = "nl") -> str:
        """Return a short label such as ``10 min wandelen``."""
        return t("walk.minutes_label", lang, m=format_number(self.minutes, lang))

    def to_geojson(self) -> dict[str, Any]:
        """Return the polygon as a GeoJSON geometry dict."""
        return dict(mapping(self.geometry))

    def to_feature(self) -> dict[str, Any]:
        """Return a GeoJSON Feature with the figures as properties."""
        props = {"minutes": self.minutes, "speed_kmh": self.speed_kmh, "reach_m": self.reach_m,
                 "buffer_m": self.buffer_m, "origin": list(self.origin), "source": self.source}
        return {"type": "Feature", "geometry": self.to_geojson(), "properties": props}

    def to_area(self, lang: str = "nl") -> Area:
        """Return a :class:`buurtkaart.core.area.Area` of kind ``"walk"`` (for place imports)."""
        area = Area.from_geojson(self.to_geojson(), self.label(lang), kind="walk")
        area.center = self.origin
        return area


def walk_speed_kmh() -> float:
    """Return the walking speed setting ``BUURTKAART_WALK_SPEED_KMH`` (km/h)."""
    value = settings.get("BUURTKAART_WALK_SPEED_KMH")
    try:
        speed = float(value)
    except ValueError:
        speed = math.nan
    if not 0.5 <= speed <= 10:
        msg = f"BUURTKAART_WALK_SPEED_KMH={value!r} is not a walking speed between 0.5 and 10 km/h"
        raise InputError(msg)
    return speed


def parse_minutes(text: str) -> tuple[float, ...]:
    """Parse ``"5,10,15"`` into sorted minute values (1 to 60).

    Raises
    ------
    InputError
        When a value is not a number or out of range.
    """
    values: list[float] = []
    for part in text.split(","):
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if not 1 <= value <= 60:
            msg = f"walking minutes {part.strip()!r} in {text!r}: expected numbers from 1 to 60"
            raise InputError(msg)
        values.append(value)
    return tuple(sorted(set(values)))


def walking_areas(lat: float, lon: float, minutes: Iterable[float] = DEFAULT_MINUTES, *,
                  osm_file: Path | None = None, speed_kmh: float | None = None,
                  buffer_m: float = DEFAULT_BUFFER_M, online: bool = False) -> list[WalkingArea]:
    """Return the walking areas around (lat, lon), one per minute value, smallest first.

    Parameters
    ----------
    lat, lon : float
        The organisation's location (WGS84).
    minutes : iterable of float
        Walking times, e.g. ``(5, 10, 15)``.
    osm_file : Path, optional
        The extract; default ``BUURTKAART_OSM_FILE`` or the demo extract.
    speed_kmh : float, optional
        Walking speed; default the setting ``BUURTKAART_WALK_SPEED_KMH`` (4.5).
        Use :data:`SLOW_SPEED_KMH` (3) for seniors.
    buffer_m : float
        Buffer around reached street pieces, metres (default 30).
    online : bool
        Use OSMnx (live Overpass) instead of the file.

    Returns
    -------
    list[WalkingArea]
        Empty geometries when no street is within reach.
    """
    speed = walk_speed_kmh() if speed_kmh is None else float(speed_kmh)
    mins = sorted({float(m) for m in minutes})
    if not mins or speed <= 0 or mins[0] <= 0 or buffer_m < 0:
        msg = f"walking areas need positive minutes and speed (got {mins}, {speed} km/h)"
        raise InputError(msg)
    reaches = [m * speed * 1000 / 60 for m in mins]
    gkey, build = streets.graph_source(lat, lon, reaches[-1] + _MARGIN_M, osm_file, online)
    rkey = (gkey, round(lat, 7), round(lon, 7), tuple(mins), speed, buffer_m)
    with _results_lock:
        cached = _results.get(rkey)
        if cached is not None:
            _results.move_to_end(rkey)
            return list(cached)
    graph = streets.cached_graph(gkey, build)
    areas = _compute(graph, lat, lon, mins, reaches, speed, buffer_m)
    with _results_lock:
        _results[rkey] = areas
        while len(_results) > _RESULT_SLOTS:
            _results.popitem(last=False)
    return list(areas)


def _compute(graph: WalkGraph, lat: float, lon: float, mins: Sequence[float],
             reaches: Sequence[float], speed: float, buffer_m: float) -> list[WalkingArea]:
    proj = LocalProjection(lat, lon)
    out: list[WalkingArea] = []
    if graph.n_edges == 0:
        empty = shapely.Polygon()
        return [WalkingArea(m, speed, buffer_m, r, (lat, lon), empty, graph.source)
                for m, r in zip(mins, reaches, strict=True)]
    x, y = proj.forward(graph.lat, graph.lon)
    snapped = snap(graph, x, y)
    edge, t, offset = snapped
    length = float(graph.length[edge])
    starts = {int(graph.u[edge]): offset + t * length,
              int(graph.v[edge]): offset + (1 - t) * length}
    dist = dijkstra(graph, starts, reaches[-1])
    for m, reach in zip(mins, reaches, strict=True):
        pieces = reached_pieces(graph, x, y, dist, reach, snapped)
        geom = buffer_pieces(pieces, buffer_m) if len(pieces) else shapely.Polygon()
        out.append(WalkingArea(m, speed, buffer_m, reach, (lat, lon),
                               proj.to_wgs84(geom), graph.source))
    return out


T = TypeVar("T", bound=Mapping[str, Any])


def within(area: WalkingArea, items: Iterable[T]) -> list[T]:
    """Return the items (actors, places as dicts with ``lat``/``lon``) inside ``area``."""
    rows = [it for it in items if it.get("lat") is not None and it.get("lon") is not None]
    if not rows or area.geometry.is_empty:
        return []
    pts = shapely.points(np.array([[float(r["lon"]), float(r["lat"])] for r in rows]))
    mask = shapely.covers(area.geometry, pts)
    return [r for r, keep in zip(rows, mask.tolist(), strict=True) if keep]


def clear_memory_caches() -> None:
    """Empty the in-memory graph and result caches (the disk cache stays)."""
    streets.clear_memory()
    with _results_lock:
        _results.clear()
