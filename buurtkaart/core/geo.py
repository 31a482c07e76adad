"""The geometry kernel: distances, bounding boxes and the coarse grid.

Pure functions on WGS84 degrees and metres. Distances use the haversine
formula on a sphere of the mean Earth radius; boxes are ``(west, south, east,
north)`` tuples in degrees; small offsets use the local equirectangular
approximation, which is exact enough for a neighbourhood.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

#: Mean Earth radius in metres (IUGG).
EARTH_RADIUS_M = 6_371_008.8
#: Metres in one degree of latitude (the grid's and the map's rule of thumb).
METRES_PER_DEGREE = 111_320.0
#: Grid used to store a coarse location (metres).
COARSE_GRID_M = 100.0

#: A bounding box: west, south, east, north (degrees).
BBox = tuple[float, float, float, float]
#: Bounding box accepting everything.
WORLD: BBox = (-180.0, -90.0, 180.0, 90.0)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle (haversine) distance in metres between two points.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float
        The two points in WGS84 degrees.

    Returns
    -------
    float
        Metres along the sphere of radius :data:`EARTH_RADIUS_M`.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def distances_m(lat1: npt.ArrayLike, lon1: npt.ArrayLike,
                lat2: npt.ArrayLike, lon2: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Return great-circle distances in metres, element-wise (vectorised :func:`distance_m`).

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Coordinates in WGS84 degrees; broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Metres, with the broadcast shape of the inputs.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.subtract(lon2, lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))),
                      dtype=np.float64)


def degree_offsets(lat: float, metres: float) -> tuple[float, float]:
    """Return ``(dlat, dlon)``: the degrees that ``metres`` span north and east at ``lat``.

    Parameters
    ----------
    lat : float
        Latitude of the place (degrees).
    metres : float
        A length in metres.

    Returns
    -------
    tuple of float
        Degrees of latitude and of longitude (longitude grows towards the poles).
    """
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    return dlat, dlat / max(math.cos(math.radians(lat)), 1e-6)


def circle_points(lat: float, lon: float, radius_m: float,
                  n: int = 96) -> list[tuple[float, float]]:
    """Return ``n`` ``(lat, lon)`` points on a circle, counter-clockwise from the east.

    Parameters
    ----------
    lat, lon : float
        The centre (degrees).
    radius_m : float
        The radius in metres.
    n : int
        Number of points (the ring is not closed).

    Returns
    -------
    list of tuple
        ``(lat, lon)`` pairs.
    """
    dlat, dlon = degree_offsets(lat, radius_m)
    steps = (2 * math.pi * i / n for i in range(n))
    return [(lat + dlat * math.sin(a), lon + dlon * math.cos(a)) for a in steps]


def bbox_around(lat: float, lon: float, radius_m: float) -> BBox:
    """Return the ``(west, south, east, north)`` box of a disc of ``radius_m`` m around a point."""
    dlat, dlon = degree_offsets(lat, radius_m)
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def bbox_of(points: Iterable[tuple[float, float]], pad_deg: float = 0.0) -> BBox | None:
    """Return the box of ``(lat, lon)`` points grown by ``pad_deg``, None without points.

    Parameters
    ----------
    points : iterable of tuple
        ``(lat, lon)`` pairs (degrees).
    pad_deg : float
        Degrees added on every side.

    Returns
    -------
    BBox or None
        ``(west, south, east, north)``.
    """
    pts = list(points)
    if not pts:
        return None
    lats = [float(p[0]) for p in pts]
    lons = [float(p[1]) for p in pts]
    return bbox_grow((min(lons), min(lats), max(lons), max(lats)), pad_deg)


def bbox_grow(box: BBox, margin_deg: float) -> BBox:
    """Return ``box`` grown by ``margin_deg`` degrees on every side (shrunk when negative)."""
    west, south, east, north = box
    return (west - margin_deg, south - margin_deg, east + margin_deg, north + margin_deg)


def bbox_snap_out(box: BBox, step_deg: float) -> BBox:
    """Return the smallest box on a ``step_deg`` grid that holds ``box``."""
    west, south, east, north = box
    return (math.floor(west / step_deg) * step_deg, math.floor(south / step_deg) * step_deg,
            math.ceil(east / step_deg) * step_deg, math.ceil(north / step_deg) * step_deg)


def bbox_contains(outer: BBox, inner: BBox) -> bool:
    """Return True when ``inner`` lies inside ``outer`` (edges included)."""
    return (inner[0] >= outer[0] and inner[1] >= outer[1]
            and inner[2] <= outer[2] and inner[3] <= outer[3])


def bbox_intersects(a: BBox, b: BBox) -> bool:
    """Return True when the two boxes share at least one point (touching edges count)."""
    return a[0] <= b[2] and a[2] >= b[0] and a[1] <= b[3] and a[3] >= b[1]


def in_bbox(lat: float, lon: float, box: BBox) -> bool:
    """Return True when the point ``(lat, lon)`` lies in ``box`` (edges included)."""
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def snap(lat: float | None, lon: float | None,
         grid_m: float = COARSE_GRID_M) -> tuple[float | None, float | None]:
    """Snap a point to the centre of a ``grid_m`` metre cell (None passes through).

    Idempotent: snapping a snapped point returns it unchanged.

    Parameters
    ----------
    lat, lon : float or None
        The point (degrees).
    grid_m : float
        Side of the grid cell in metres.

    Returns
    -------
    tuple
        The snapped ``(lat, lon)``, rounded to 6 decimals.
    """
    if lat is None or lon is None:
        return lat, lon
    lat_step = grid_m / METRES_PER_DEGREE
    slat = round(round(lat / lat_step) * lat_step, 6)
    lon_step = grid_m / (METRES_PER_DEGREE * max(math.cos(math.radians(slat)), 1e-6))
    slon = round(round(lon / lon_step) * lon_step, 6)
    return slat, slon
