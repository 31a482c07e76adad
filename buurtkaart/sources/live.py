"""Live source: Overpass via OSMnx, categorised by the same code as the file source."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.sources._overpass import fetch_features
from buurtkaart.sources.common import place_from_geometry, sort_places

if TYPE_CHECKING:
    import geopandas as gpd

_ELEMENTS = {"node", "way", "relation"}


def _row_tags(row: dict[str, Any]) -> dict[str, str]:
    skip = {"geometry", "nodes", "ways", "members", "element", "id"}
    return {
        str(k): str(v) for k, v in row.items()
        if k not in skip and v is not None and not (isinstance(v, float) and math.isnan(v))
        and not isinstance(v, list | dict)
    }


def places_from_features(gdf: gpd.GeoDataFrame, source: str,
                         area: Area | None = None) -> list[Place]:
    """Turn an OSMnx features GeoDataFrame into Places (pure).

    Works on the output of ``features_from_polygon``/``features_from_xml``: the
    index is ``(element, id)``, columns are tags, geometry is WGS84.
    """
    places: list[Place] = []
    if gdf is None or gdf.empty:
        return places
    records = gdf.to_dict("records")
    for (element, osm_id), row in zip(gdf.index, records, strict=True):
        geom = row.get("geometry")
        if geom is None or str(element) not in _ELEMENTS:
            continue
        place = place_from_geometry(f"{element}/{osm_id}", _row_tags(row), geom, source, area)
        if place is not None:
            places.append(place)
    return sort_places(places)


def live_places(area: Area) -> list[Place]:
    """Return the places in ``area`` from Overpass (or its cache).

    Raises
    ------
    SourceUnavailable
        Within 10 s when Overpass cannot be reached and the area is not cached.
    """
    return places_from_features(fetch_features(area.geometry), "overpass", area)
