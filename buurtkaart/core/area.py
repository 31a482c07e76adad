"""Areas of interest: a true circle around a point, or a named polygon.

All geometry is WGS84 (lon, lat order inside shapely objects, as in GeoJSON).
Metres are computed with the haversine formula (circle membership, distances)
and a local equirectangular projection (circle outline). The walking-time area
(``kind="walk"``) is built elsewhere and passed in with :meth:`Area.from_geojson`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import shapely
from rapidfuzz import fuzz, process
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from buurtkaart._errors import AreaNotFound, InputError
from buurtkaart.core.address import normalize
from buurtkaart.core.geo import circle_points, distance_m

MAX_RADIUS_M = 50_000.0
CIRCLE_SEGMENTS = 96


def check_lat_lon(lat: float, lon: float) -> tuple[float, float]:
    """Validate a latitude/longitude pair; raise :class:`InputError` naming the bad value."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError) as e:
        msg = f"latitude/longitude must be numbers, got {lat!r}, {lon!r}"
        raise InputError(msg) from e
    if not -90.0 <= lat_f <= 90.0 or math.isnan(lat_f):
        msg = f"latitude {lat!r} is out of range [-90, 90]"
        raise InputError(msg)
    if not -180.0 <= lon_f <= 180.0 or math.isnan(lon_f):
        msg = f"longitude {lon!r} is out of range [-180, 180]"
        raise InputError(msg)
    return lat_f, lon_f


def check_radius(radius_m: float) -> float:
    """Validate a radius in metres (0 < r <= 50 km)."""
    try:
        r = float(radius_m)
    except (TypeError, ValueError) as e:
        msg = f"radius {radius_m!r} is not a number of metres"
        raise InputError(msg) from e
    if not 0 < r <= MAX_RADIUS_M or math.isnan(r):
        msg = f"radius {radius_m!r} m is out of range: use > 0 and <= {MAX_RADIUS_M:g} m"
        raise InputError(msg)
    return r


def _circle_polygon(lat: float, lon: float, radius_m: float) -> BaseGeometry:
    """Return a polygon approximating the circle (local equirectangular projection)."""
    points = circle_points(lat, lon, radius_m, CIRCLE_SEGMENTS)
    return shapely.Polygon([(x, y) for y, x in points])


@dataclass(eq=False)
class Area:
    """An area of interest.

    Attributes
    ----------
    kind : str
        ``"circle"``, ``"polygon"`` or ``"walk"``.
    label : str
        Human-readable name (e.g. ``"1000 m"`` or a commune name).
    center : tuple of float
        ``(lat, lon)``: the circle's centre, or a representative point.
    geometry : shapely geometry
        The area in WGS84 (a 96-gon for circles).
    radius_m : float or None
        Radius for circles.
    """

    kind: str
    label: str
    center: tuple[float, float]
    geometry: BaseGeometry
    radius_m: float | None = None
    _prepared: bool = field(default=False, repr=False)

    @classmethod
    def circle(cls, lat: float, lon: float, radius_m: float = 1000.0) -> Area:
        """Return a true circle of ``radius_m`` metres around ``(lat, lon)``."""
        lat, lon = check_lat_lon(lat, lon)
        radius = check_radius(radius_m)
        # Enlarge the polygon slightly so it covers the true circle (chords cut inside).
        outer = radius / math.cos(math.pi / CIRCLE_SEGMENTS)
        geom = _circle_polygon(lat, lon, outer)
        return cls("circle", f"{radius:g} m", (lat, lon), geom, radius)

    @classmethod
    def from_geojson(cls, geometry: dict[str, Any] | BaseGeometry, label: str,
                     kind: str = "polygon") -> Area:
        """Return a polygon area from a GeoJSON geometry dict or shapely geometry."""
        try:
            geom = geometry if isinstance(geometry, BaseGeometry) else shape(geometry)
        except (AttributeError, KeyError, TypeError, ValueError) as e:
            msg = f"area {label!r}: not a GeoJSON geometry ({e})"
            raise InputError(msg) from e
        if geom.is_empty or geom.geom_type not in {"Polygon", "MultiPolygon"}:
            msg = f"area {label!r}: geometry must be a (Multi)Polygon, got {geom.geom_type}"
            raise InputError(msg)
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        pt = geom.point_on_surface()
        return cls(kind, label, (pt.y, pt.x), geom)

    def contains(self, lat: float, lon: float) -> bool:
        """Return True when the point lies in the area (true circle for circles)."""
        if self.kind == "circle" and self.radius_m is not None:
            return distance_m(self.center[0], self.center[1], lat, lon) <= self.radius_m
        if not self._prepared:
            shapely.prepare(self.geometry)
            self._prepared = True
        return bool(self.geometry.contains(Point(lon, lat)))

    def intersects(self, geom: BaseGeometry) -> bool:
        """Return True when a (lon/lat) geometry touches the area."""
        if isinstance(geom, Point):
            return self.contains(geom.y, geom.x)
        if self.kind == "circle" and self.radius_m is not None:
            center = Point(self.center[1], self.center[0])
            _, near = nearest_points(center, geom)
            return self.contains(near.y, near.x)
        return bool(self.geometry.intersects(geom))

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """Return ``(west, south, east, north)``."""
        w, s, e, n = self.geometry.bounds
        return (float(w), float(s), float(e), float(n))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (see :meth:`from_dict`)."""
        return {
            "kind": self.kind, "label": self.label,
            "center": [self.center[0], self.center[1]],
            "radius_m": self.radius_m,
            "geometry": mapping(self.geometry) if self.kind != "circle" else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Area:
        """Rebuild an area stored with :meth:`to_dict`."""
        try:
            if d["kind"] == "circle":
                return cls.circle(d["center"][0], d["center"][1], d["radius_m"])
            area = cls.from_geojson(json.loads(json.dumps(d["geometry"])), d["label"], d["kind"])
        except (KeyError, TypeError, IndexError) as e:
            msg = f"stored area is malformed ({e!r}): {d!r}"[:300]
            raise InputError(msg) from e
        if d.get("center"):
            area.center = (float(d["center"][0]), float(d["center"][1]))
        return area

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Area) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]


def boundary_area(features: list[dict[str, Any]], name: str, where: str) -> Area:
    """Return the polygon named ``name`` among boundary GeoJSON ``features``.

    Matches ``name``, ``name:nl`` or ``name:fr`` ignoring case and accents, then
    a whole-word part of one single area's names ("Molenbeek", "Gilles").
    Raises :class:`AreaNotFound` with the closest names when nothing matches;
    ``where`` names the file in messages.
    """
    names: dict[str, tuple[str, dict[str, Any]]] = {}
    for feat in features:
        props = feat.get("properties") or {}
        for key in ("name", "name:nl", "name:fr"):
            if props.get(key):
                names.setdefault(normalize(str(props[key])), (str(props[key]), feat))
    wanted = normalize(name)
    if not wanted:
        msg = f"area name {name!r} is empty"
        raise InputError(msg)
    if wanted in names:
        label, feat = names[wanted]
        return Area.from_geojson(feat["geometry"], label)
    partial = {id(f): (lbl, f) for key, (lbl, f) in names.items()
               if f" {wanted} " in f" {key} "}
    if len(partial) == 1:
        label, feat = next(iter(partial.values()))
        return Area.from_geojson(feat["geometry"], label)
    if partial:
        found = ", ".join(sorted(lbl for lbl, _ in partial.values()))
        msg = f"area name {name!r} is ambiguous in {where}: {found}"
        raise AreaNotFound(msg)
    msg = f"unknown area {name!r} in {where}" + _suggest(name, [v[0] for v in names.values()])
    raise AreaNotFound(msg)


def _suggest(name: str, candidates: list[str], limit: int = 5) -> str:
    choices = {c: normalize(c) for c in candidates}
    best = process.extract(normalize(name), choices, scorer=fuzz.WRatio, limit=limit)
    close = [c for _, score, c in best if score >= 50]
    return f"; did you mean: {', '.join(close)}?" if close else ""
