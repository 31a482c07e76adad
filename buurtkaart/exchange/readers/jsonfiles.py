"""Readers of JSON files: GeoJSON (incl. buurtkaart exports), uMap ``.umap`` and Overpass JSON."""

from __future__ import annotations

import json
from typing import Any

from buurtkaart._errors import DataFileError
from buurtkaart.exchange.readers._common import RawFeature, ReadResult, Rejection

_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                   "MultiPolygon", "GeometryCollection"}


#: Objects parsed per feature allowed before the parse stops (feature, properties,
#: geometry and some nesting): a file of millions of tiny objects is refused early.
OBJECTS_PER_FEATURE = 8


class _TooMany(Exception):
    """Raised inside the JSON parser when the object budget is spent."""


def parse_json(text: str, name: str, max_features: int | None = None) -> Any:
    """Parse JSON text or raise :class:`DataFileError` naming the file, line and column.

    With ``max_features`` the parse counts features and objects as it goes and
    stops at the first feature over the cap (or when more than
    :data:`OBJECTS_PER_FEATURE` objects per allowed feature were parsed), so an
    upload of millions of empty features never gets parsed whole.
    """
    budget = {"features": 0, "objects": 0}

    def count(obj: dict[str, Any]) -> dict[str, Any]:
        budget["objects"] += 1
        if obj.get("type") == "Feature" or ("type" in obj and "tags" in obj):
            budget["features"] += 1
        assert max_features is not None
        if (budget["features"] > max_features
                or budget["objects"] > OBJECTS_PER_FEATURE * max_features + 1000):
            raise _TooMany
        return obj

    try:
        if max_features is None:
            return json.loads(text)
        return json.loads(text, object_hook=count)
    except _TooMany as e:
        msg = (f"{name} has more than {max_features} features (or objects for them): "
               "over the limit (BUURTKAART_MAX_FEATURES); refused before reading it all")
        raise DataFileError(msg) from e
    except json.JSONDecodeError as e:
        msg = f"{name} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        raise DataFileError(msg) from e
    except RecursionError as e:
        msg = f"{name} is not usable JSON: nested too deeply"
        raise DataFileError(msg) from e


def json_kind(doc: Any) -> str | None:
    """Return ``geojson``, ``umap`` or ``overpass`` for a parsed document, None if neither."""
    if not isinstance(doc, dict):
        return None
    if doc.get("type") == "umap" and isinstance(doc.get("layers"), list):
        return "umap"
    if isinstance(doc.get("elements"), list):
        return "overpass"
    if doc.get("type") in ({"FeatureCollection", "Feature"} | _GEOMETRY_TYPES):
        return "geojson"
    return None


def _feature(result: ReadResult, index: int, item: Any, layer: str | None) -> None:
    if not isinstance(item, dict) or item.get("type") != "Feature":
        kind = item.get("type") if isinstance(item, dict) else type(item).__name__
        result.rejected.append(Rejection(index, f"not a GeoJSON Feature (type {kind!r})"))
        return
    props = item.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        result.rejected.append(Rejection(index, "'properties' is not an object"))
        return
    props = {str(k): v for k, v in props.items() if not str(k).startswith("_umap")}
    feat_layer = layer or (props.get("layer") if isinstance(props.get("layer"), str) else None)
    result.add_columns(props)
    result.features.append(RawFeature(index, props, item.get("geometry"), feat_layer))


def read_geojson(doc: Any, name: str) -> ReadResult:
    """Read a parsed GeoJSON document: a FeatureCollection, a Feature or a bare geometry."""
    if json_kind(doc) != "geojson":
        keys = ", ".join(sorted(doc)[:6]) if isinstance(doc, dict) else type(doc).__name__
        msg = (f"{name} is JSON but not GeoJSON: expected a top-level 'type' of "
               f"FeatureCollection, Feature or a geometry (found {keys or 'nothing'})")
        raise DataFileError(msg)
    result = ReadResult("geojson")
    if doc["type"] == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            msg = f"{name}: FeatureCollection without a 'features' list"
            raise DataFileError(msg)
        if isinstance(doc.get("buurtkaart"), dict):
            result.meta = doc["buurtkaart"]
    elif doc["type"] == "Feature":
        feats = [doc]
    else:
        feats = [{"type": "Feature", "properties": {}, "geometry": doc}]
    for i, item in enumerate(feats, start=1):
        _feature(result, i, item, None)
    return result


def _layer_name(layer: dict[str, Any], number: int) -> str:
    props = layer.get("properties") or layer.get("_umap_options") or {}
    name = props.get("name") if isinstance(props, dict) else None
    if not name and isinstance(layer.get("_umap_options"), dict):
        name = layer["_umap_options"].get("name")
    return str(name) if name else f"layer {number}"


def read_umap(doc: Any, name: str) -> ReadResult:
    """Read a uMap map export: each data layer's name becomes the features' ``layer``."""
    result = ReadResult("umap")
    index = 0
    for number, layer in enumerate(doc["layers"], start=1):
        feats = layer.get("features") if isinstance(layer, dict) else None
        if not isinstance(feats, list):
            result.notes.append(f"{name}: data layer {number} has no feature list; ignored")
            continue
        lname = _layer_name(layer, number)
        for item in feats:
            index += 1
            _feature(result, index, item, lname)
    props = doc.get("properties") or {}
    result.meta = {"umap_map": props.get("name"), "umap_licence": (props.get("licence") or {})}
    return result


def _overpass_geometry(el: dict[str, Any]) -> dict[str, Any] | None:
    if "lat" in el and "lon" in el:
        return {"type": "Point", "coordinates": [el["lon"], el["lat"]]}
    center = el.get("center")
    if isinstance(center, dict) and "lat" in center and "lon" in center:
        return {"type": "Point", "coordinates": [center["lon"], center["lat"]]}
    geom = el.get("geometry")
    if isinstance(geom, list) and geom and all(isinstance(g, dict) for g in geom):
        line = [[g.get("lon"), g.get("lat")] for g in geom]
        if len(line) >= 4 and line[0] == line[-1]:
            return {"type": "Polygon", "coordinates": [line]}
        return {"type": "LineString", "coordinates": line}
    return None


def read_overpass(doc: Any, name: str) -> ReadResult:
    """Read an Overpass API JSON answer: tagged nodes, and ways/relations with a centre."""
    result = ReadResult("overpass")
    untagged = 0
    for i, el in enumerate(doc["elements"], start=1):
        if not isinstance(el, dict):
            result.rejected.append(Rejection(i, "element is not an object"))
            continue
        tags = el.get("tags")
        if not tags:
            untagged += 1
            continue
        if not isinstance(tags, dict):
            result.rejected.append(Rejection(i, "'tags' is not an object"))
            continue
        etype, eid = el.get("type"), el.get("id")
        osm_id = f"{etype}/{eid}" if etype in ("node", "way", "relation") and eid else None
        geom = _overpass_geometry(el)
        if geom is None:
            why = f"{osm_id or 'element'} has no position (ask Overpass for 'out center;')"
            result.rejected.append(Rejection(i, why))
            continue
        props = {str(k): v for k, v in tags.items()}
        result.add_columns(props)
        result.features.append(RawFeature(i, props, geom, None, osm_id))
    if untagged:
        result.notes.append(f"{untagged} untagged elements (members of ways or relations) "
                            "are not places and were not imported")
    return result
