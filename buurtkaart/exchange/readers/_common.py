"""Shared shapes and checks of the importers: raw features, rejections, geometry checks."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import shape
from shapely.validation import explain_validity

from buurtkaart._errors import DataFileError


@dataclass
class RawFeature:
    """One feature or row as read from a file, before mapping to actor fields.

    Attributes
    ----------
    index : int
        1-based position in the file: feature number (GeoJSON, uMap across layers,
        Overpass elements) or data row number (CSV, header excluded).
    properties : dict
        The feature's properties or the row's cells.
    geometry : dict | None
        GeoJSON geometry (a Point for CSV rows and Overpass nodes).
    layer : str | None
        uMap layer name, or the ``layer`` property of a buurtkaart export.
    osm_id : str | None
        ``node/123`` style id when the source gives one.
    """

    index: int
    properties: dict[str, Any]
    geometry: dict[str, Any] | None
    layer: str | None = None
    osm_id: str | None = None


@dataclass(frozen=True)
class Rejection:
    """A feature or row that is skipped, with its index and the reason."""

    index: int
    reason: str


@dataclass
class ReadResult:
    """What a reader found in one file."""

    fmt: str
    features: list[RawFeature] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    meta: dict[str, Any] | None = None

    def add_columns(self, keys: Any) -> None:
        """Remember property names in first-seen order (for the column mapping)."""
        seen = set(self.columns)
        for key in keys:
            if key not in seen:
                self.columns.append(key)
                seen.add(key)


class GeometryProblem(ValueError):
    """A geometry that cannot be used; the message is the reason shown to the user."""


def decode_text(data: bytes, name: str) -> tuple[str, list[int]]:
    """Decode file bytes, line by line: UTF-8 first, Windows-1252 for lines that are not.

    Returns
    -------
    tuple
        The text and the 1-based numbers of the lines read as Windows-1252.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:  # refused on every backend alike, naming where
        line = data.count(b"\n", 0, nul) + 1
        msg = (f"{name}: line {line} holds a NUL byte (binary content, or UTF-16): "
               "not a text file, refused")
        raise DataFileError(msg)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    lines, fallback = [], []
    for no, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("cp1252", errors="replace"))
            fallback.append(no)
    return "\n".join(lines), fallback


def _position(pos: Any, where: str) -> tuple[float, float]:
    if not isinstance(pos, list | tuple) or len(pos) < 2:
        msg = f"{where}: position {pos!r} is not [longitude, latitude]"
        raise GeometryProblem(msg)
    try:
        lon, lat = float(pos[0]), float(pos[1])
    except (TypeError, ValueError) as e:
        msg = f"{where}: position {pos!r} has a non-numeric coordinate"
        raise GeometryProblem(msg) from e
    if isinstance(pos[0], bool) or isinstance(pos[1], bool):
        msg = f"{where}: position {pos!r} has a non-numeric coordinate"
        raise GeometryProblem(msg)
    check_lat_lon(lat, lon, where)
    return lon, lat


def check_lat_lon(lat: float, lon: float, where: str = "point") -> None:
    """Raise :class:`GeometryProblem` for a non-finite or out-of-range point.

    The reason says when latitude and longitude look swapped.
    """
    if not (math.isfinite(lat) and math.isfinite(lon)):
        msg = f"{where}: coordinate is not a finite number (lat {lat}, lon {lon})"
        raise GeometryProblem(msg)
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return
    if -90 <= lon <= 90 and -180 <= lat <= 180:
        msg = (f"{where}: latitude {lat} is out of range [-90, 90] while longitude {lon} "
               "would fit: latitude and longitude look swapped")
        raise GeometryProblem(msg)
    if abs(lat) > 1000 and abs(lon) > 1000:
        msg = (f"{where}: ({lon}, {lat}) look like projected coordinates (e.g. Belgian "
               "Lambert 72), not WGS84 degrees: reproject to EPSG:4326 first")
        raise GeometryProblem(msg)
    msg = f"{where}: latitude {lat} / longitude {lon} out of range"
    raise GeometryProblem(msg)


def _ring(ring: Any, where: str) -> list[tuple[float, float]]:
    if not isinstance(ring, list):
        msg = f"{where} is not a list of positions"
        raise GeometryProblem(msg)
    pts = [_position(p, where) for p in ring]
    if len(pts) < 4:
        msg = f"{where} has {len(pts)} positions: a linear ring needs at least 4"
        raise GeometryProblem(msg)
    if pts[0] != pts[-1]:
        msg = f"{where} is not closed: first position {list(pts[0])} != last {list(pts[-1])}"
        raise GeometryProblem(msg)
    return pts


def _check_structure(geom: dict[str, Any], depth: int = 0) -> None:
    gtype, coords = geom.get("type"), geom.get("coordinates")
    if gtype == "GeometryCollection":
        if depth > 5:
            msg = "GeometryCollection nested more than 5 levels deep"
            raise GeometryProblem(msg)
        parts = geom.get("geometries")
        if not isinstance(parts, list) or not parts:
            msg = "GeometryCollection has no geometries"
            raise GeometryProblem(msg)
        for part in parts:
            if not isinstance(part, dict):
                msg = "GeometryCollection member is not a geometry object"
                raise GeometryProblem(msg)
            _check_structure(part, depth + 1)
        return
    if coords is None or (isinstance(coords, list) and not coords):
        msg = f"{gtype} has no coordinates"
        raise GeometryProblem(msg)
    if gtype == "Point":
        _position(coords, "Point")
    elif gtype in ("LineString", "MultiPoint"):
        if not isinstance(coords, list):
            msg = f"{gtype} coordinates are not a list"
            raise GeometryProblem(msg)
        pts = [_position(p, gtype) for p in coords]
        if gtype == "LineString" and len(pts) < 2:
            msg = "LineString needs at least 2 positions"
            raise GeometryProblem(msg)
    elif gtype in ("Polygon", "MultiLineString"):
        _check_parts(gtype, coords, 1)
    elif gtype == "MultiPolygon":
        _check_parts(gtype, coords, 2)
    else:
        msg = f"unknown geometry type {gtype!r}"
        raise GeometryProblem(msg)


def _check_parts(gtype: str, coords: Any, depth: int) -> None:
    if not isinstance(coords, list):
        msg = f"{gtype} coordinates are not a list"
        raise GeometryProblem(msg)
    if depth == 2:
        for i, poly in enumerate(coords):
            _check_parts(f"{gtype} polygon {i}", poly, 1)
        return
    for i, ring in enumerate(coords):
        if gtype.endswith("MultiLineString"):
            if not isinstance(ring, list) or len(ring) < 2:
                msg = f"{gtype} line {i} needs at least 2 positions"
                raise GeometryProblem(msg)
            for p in ring:
                _position(p, f"{gtype} line {i}")
        else:
            _ring(ring, f"{gtype} ring {i}")


def representative_point(geom: Any) -> tuple[float, float]:
    """Check a GeoJSON geometry and return its representative point (lat, lon).

    Lines give their midpoint along the line, polygons a point inside them.

    Raises
    ------
    GeometryProblem
        With the reason: null geometry, bad structure, unclosed or short ring,
        out-of-range or swapped coordinates, self-intersecting polygon.
    """
    if geom is None:
        msg = "null geometry: the feature has no location"
        raise GeometryProblem(msg)
    if not isinstance(geom, dict):
        msg = f"geometry is not an object: {str(geom)[:40]!r}"
        raise GeometryProblem(msg)
    _check_structure(geom)
    if geom["type"] == "Point":
        return float(geom["coordinates"][1]), float(geom["coordinates"][0])

    shp = shape(geom)
    if shp.is_empty:
        msg = f"{geom['type']} is empty"
        raise GeometryProblem(msg)
    if shp.geom_type in ("LineString", "MultiLineString"):
        pt = shp.interpolate(0.5, normalized=True) if shp.geom_type == "LineString" \
            else shp.representative_point()
    else:
        if not shp.is_valid:
            msg = f"invalid {geom['type']}: {explain_validity(shp)}"
            raise GeometryProblem(msg)
        pt = shp.representative_point()
    return float(pt.y), float(pt.x)
