"""GeoJSON of tagged OSM points (Overpass-turbo export, vector-tile dump), and Overpass JSON.

Feature properties are OSM tags. The OSM id is taken from ``@id``/``id``
(``"node/123"``) in the properties or the feature's ``id`` when it has that form;
otherwise it is None. Keys starting with ``@`` or ``_`` are bookkeeping, not tags.
Polygons keep their geometry and get a representative point. Overpass JSON
(``{"elements": [...]}``) is accepted too, using node coordinates or ``center``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape

from buurtkaart._errors import DataFileError
from buurtkaart.core.address import GeocodeIndex
from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.sources.common import place_from_geometry, sort_places

_OSM_ID = re.compile(r"^(node|way|relation)/(\d+)$")
_ACCEPTED = {"Point", "MultiPoint", "Polygon", "MultiPolygon", "LineString", "MultiLineString"}


def _osm_id(feature: dict[str, Any], props: dict[str, Any]) -> str | None:
    for value in (props.get("@id"), props.get("id"), feature.get("id")):
        if isinstance(value, str) and _OSM_ID.match(value):
            return value
    return None


def _tags(props: dict[str, Any]) -> dict[str, str]:
    nested = props.get("tags")
    base = nested if isinstance(nested, dict) else props
    return {
        str(k): str(v) for k, v in base.items()
        if v is not None and not str(k).startswith(("@", "_")) and not isinstance(v, dict | list)
        and k not in {"id", "tags"}
    }


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        msg = f"GeoJSON file {path} is not readable: {e}"
        raise DataFileError(msg) from e
    except json.JSONDecodeError as e:
        msg = f"GeoJSON file {path} is not valid JSON (line {e.lineno}): {e.msg}"
        raise DataFileError(msg) from e


def _features(data: Any, path: Path) -> list[dict[str, Any]]:
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        feats = data.get("features")
    elif isinstance(data, dict) and data.get("type") == "Feature":
        feats = [data]
    elif isinstance(data, dict) and isinstance(data.get("elements"), list):
        feats = [f for f in map(_element_feature, data["elements"]) if f]
    else:
        msg = f"file {path} is JSON but neither a GeoJSON FeatureCollection nor Overpass JSON"
        raise DataFileError(msg)
    if not isinstance(feats, list):
        msg = f"GeoJSON file {path}: 'features' is not a list"
        raise DataFileError(msg)
    return [f for f in feats if isinstance(f, dict)]


def _element_feature(el: Any) -> dict[str, Any] | None:
    """Turn one Overpass JSON element into a point feature (None without coordinates)."""
    if not isinstance(el, dict) or not el.get("tags"):
        return None
    point = el if "lat" in el else el.get("center")
    if not isinstance(point, dict) or "lat" not in point:
        return None
    return {
        "type": "Feature", "id": f"{el.get('type')}/{el.get('id')}",
        "geometry": {"type": "Point", "coordinates": [point["lon"], point["lat"]]},
        "properties": el["tags"],
    }


def read_geojson(path: Path, area: Area | None = None) -> list[Place]:
    """Read the categorised places of a GeoJSON (or Overpass JSON) file.

    Raises
    ------
    DataFileError
        Not JSON, not GeoJSON, or no point/polygon features.
    """
    feats = _features(_load(path), path)
    kinds = Counter(str((f.get("geometry") or {}).get("type")) for f in feats)
    if not any(k in _ACCEPTED for k in kinds):
        found = ", ".join(f"{k} x{n}" for k, n in kinds.items()) or "no features"
        msg = f"GeoJSON file {path} has no point features (found: {found})"
        raise DataFileError(msg)
    source = f"geojson:{path.name}"
    places: list[Place] = []
    for feat in feats:
        geom_dict = feat.get("geometry") or {}
        if geom_dict.get("type") not in _ACCEPTED:
            continue
        props = feat.get("properties") or {}
        try:
            geom = shape(geom_dict)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # one malformed geometry is skipped, not fatal
        if geom.geom_type == "MultiPoint" and not geom.is_empty:
            geom = Point(geom.geoms[0])
        place = place_from_geometry(_osm_id(feat, props), _tags(props), geom, source, area)
        if place is not None:
            places.append(place)
    return sort_places(places)


def index_addresses(path: Path, index: GeocodeIndex) -> None:
    """Add the ``addr:*`` points of a GeoJSON file to a geocoding index."""
    for feat in _features(_load(path), path):
        props = feat.get("properties") or {}
        tags = _tags(props)
        street, number = tags.get("addr:street"), tags.get("addr:housenumber")
        geom = feat.get("geometry") or {}
        if not (street and number and geom.get("type") == "Point"):
            continue
        lon, lat = geom["coordinates"][:2]
        index.add_number(street, number, float(lat), float(lon), tags.get("addr:postcode", ""))
    index.add_numbered_streets()
