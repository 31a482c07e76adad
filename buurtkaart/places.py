"""Places around an organisation: the public API over :class:`~buurtkaart.core.place.Place`.

Readers in :mod:`buurtkaart.sources` do the I/O; this module validates input,
dispatches to a source, and turns places into GeoJSON or a GeoDataFrame.

>>> from buurtkaart.places import places_around
>>> gdf = places_around(60.1699, 24.9384, radius_m=500)  # demo extract, offline
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely.geometry import Point

from buurtkaart._errors import InputError
from buurtkaart.core.area import Area, check_lat_lon
from buurtkaart.core.categories import categories
from buurtkaart.core.place import Place
from buurtkaart.geocode import geocode
from buurtkaart.i18n import category_label
from buurtkaart.sources import read_file
from buurtkaart.sources.live import live_places

if TYPE_CHECKING:
    import geopandas as gpd

GDF_COLUMNS = [
    "osm_id", "name", "name_nl", "name_fr", "category", "category_label",
    "distance_m", "tags", "source", "lat", "lon",
]


def read_places(path: str | Path, area: Area | None = None) -> list[Place]:
    """Read the categorised places of an OSM file, optionally within ``area``.

    Parameters
    ----------
    path : str or Path
        ``.osm.pbf``, ``.osm`` (XML, optionally ``.bz2``/``.gz``) or a GeoJSON of
        tagged points (``.geojson``/``.json``).
    area : Area, optional
        Keep only places whose geometry intersects the area; distances are
        measured from its centre.

    Returns
    -------
    list of Place
        Sorted by distance (when an area is given), then id.

    Raises
    ------
    DataFileError
        Missing, unreadable, truncated or non-OSM file; GeoJSON without points.
    """
    return read_file(Path(path), area)


def places_around(
    lat: float | None = None,
    lon: float | None = None,
    *,
    address: str | None = None,
    radius_m: float = 1000,
    area: Area | None = None,
    osm_file: str | Path | None = None,
    lang: str = "nl",
) -> gpd.GeoDataFrame:
    """Return the places around a point, an address or in an area, as a GeoDataFrame.

    Parameters
    ----------
    lat, lon : float, optional
        Centre of the circle.
    address : str, optional
        Geocoded instead of ``lat``/``lon`` (offline on ``osm_file`` when given,
        else Nominatim).
    radius_m : float
        Circle radius in metres (ignored when ``area`` is given).
    area : Area, optional
        A ready area (polygon, walk...).
    osm_file : str or Path, optional
        Offline source. ``None`` uses the live Overpass source.
    lang : str
        Language of ``category_label`` (``nl``, ``fr``, ``en``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place, columns :data:`GDF_COLUMNS`, point geometry in EPSG:4326.
    """
    return places_to_gdf(find_places(lat, lon, address=address, radius_m=radius_m,
                                     area=area, osm_file=osm_file), lang)


def resolve_area(lat: float | None, lon: float | None, *, address: str | None = None,
                 radius_m: float = 1000, area: Area | None = None,
                 osm_file: str | Path | None = None) -> Area:
    """Return the area of a places query (see :func:`places_around`)."""
    if address is not None:
        hit = geocode(address, osm_file=osm_file)
        lat, lon = hit.lat, hit.lon
    if area is not None:
        if lat is None or lon is None:
            return area
        # distances are measured from the organisation, not the polygon's centre
        return replace(area, center=check_lat_lon(lat, lon))
    if lat is None or lon is None:
        msg = "give lat and lon, an address, or an area"
        raise InputError(msg)
    return Area.circle(lat, lon, radius_m)


def find_places(lat: float | None = None, lon: float | None = None, *,
                address: str | None = None, radius_m: float = 1000,
                area: Area | None = None, osm_file: str | Path | None = None) -> list[Place]:
    """Like :func:`places_around` but return a plain list of :class:`Place`."""
    the_area = resolve_area(lat, lon, address=address, radius_m=radius_m, area=area,
                            osm_file=osm_file)
    if osm_file is not None:
        return read_places(osm_file, the_area)
    return live_places(the_area)


def place_properties(place: Place, lang: str = "nl") -> dict[str, Any]:
    """Return the GeoJSON/CSV properties of a place."""
    return {
        "osm_id": place.osm_id,
        "name": place.name,
        "name_nl": place.name_nl,
        "name_fr": place.name_fr,
        "category": place.category,
        "category_label": category_label(place.category, lang),
        "distance_m": None if place.distance_m is None else round(place.distance_m, 1),
        "tags": dict(place.tags),
        "source": place.source,
    }


def places_to_geojson(places: list[Place], lang: str = "nl") -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection (lon/lat order, no ``crs`` member).

    Each feature's geometry is the representative point; the original geometry
    of ways and relations is not repeated (see :attr:`Place.geometry`).
    """
    category_label("school", lang)  # validates lang even for an empty list
    return {"type": "FeatureCollection", "features": [_feature(p, lang) for p in places]}


def _feature(place: Place, lang: str) -> dict[str, Any]:
    feature: dict[str, Any] = {"type": "Feature"}
    if place.osm_id is not None:  # RFC 7946: an id is a string or number, never null
        feature["id"] = place.osm_id
    feature["geometry"] = {"type": "Point",
                           "coordinates": [round(place.lon, 7), round(place.lat, 7)]}
    feature["properties"] = place_properties(place, lang)
    return feature


def places_to_gdf(places: list[Place], lang: str = "nl") -> gpd.GeoDataFrame:
    """Return places as a GeoDataFrame of points in EPSG:4326 (columns :data:`GDF_COLUMNS`)."""
    import geopandas as gpd  # heavy optional dependency, loaded on first use
    import pandas as pd  # heavy optional dependency, loaded on first use

    rows = [{**place_properties(p, lang), "lat": p.lat, "lon": p.lon} for p in places]
    numeric = {"distance_m", "lat", "lon"}
    data = {
        col: pd.Series([r[col] for r in rows], dtype=float if col in numeric else object)
        for col in GDF_COLUMNS
    }  # object columns keep None (not NaN) for absent names and ids
    geom = [Point(p.lon, p.lat) for p in places]
    return gpd.GeoDataFrame(data, geometry=geom, crs="EPSG:4326")


def category_counts(places: list[Place]) -> dict[str, int]:
    """Return ``category -> number of places`` in taxonomy order, zero counts omitted."""
    counts = {key: 0 for key in categories()}
    for p in places:
        counts[p.category] = counts.get(p.category, 0) + 1
    return {k: v for k, v in counts.items() if v}
