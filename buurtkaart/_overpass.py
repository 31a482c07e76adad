"""Private: the live Overpass source through OSMnx (DoH off, our User-Agent, short timeout).

OSMnx caches every response under ``cache_dir()/overpass`` keyed by the query,
so an area fetched before is answered from the cache without network.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from buurtkaart import settings
from buurtkaart._errors import SourceUnavailable
from buurtkaart._http import run_with_deadline, timeout_s, user_agent
from buurtkaart.categories import load_taxonomy

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

_LOCK = threading.Lock()


def overpass_tags() -> dict[str, bool | str | list[str]]:
    """Return the OSMnx ``tags`` query for the taxonomy (first tag of each rule)."""
    tags: dict[str, bool | str | list[str]] = {}
    for cat in load_taxonomy():
        for rule in cat.rules:
            key, values = rule[0]
            current = tags.get(key)
            if values is None or current is True:
                tags[key] = True
            else:
                merged = set(current if isinstance(current, list) else []) | set(values)
                tags[key] = sorted(merged)
    return tags


def configure_osmnx() -> None:
    """Apply our network settings to OSMnx (idempotent)."""
    import osmnx as ox

    ox.settings.doh_url_template = None
    ox.settings.http_user_agent = user_agent()
    ox.settings.use_cache = True
    ox.settings.cache_folder = str(settings.cache_dir() / "overpass")
    ox.settings.requests_timeout = timeout_s()
    ox.settings.overpass_rate_limit = False
    ox.settings.overpass_url = settings.get("BUURTKAART_OVERPASS_URL").rstrip("/")
    # fixed server-side timeout: the cache key must not depend on our client timeout
    ox.settings.overpass_settings = "[out:json][timeout:25]{maxsize}"
    ox.settings.log_console = False


def fetch_features(polygon: BaseGeometry) -> gpd.GeoDataFrame:
    """Return OSMnx's features GeoDataFrame for the taxonomy tags within ``polygon``.

    Returns an empty GeoDataFrame when Overpass finds nothing.

    Raises
    ------
    SourceUnavailable
        When Overpass is unreachable (within ``BUURTKAART_HTTP_TIMEOUT`` + 1 s, at most 10 s)
        and the area is not in the cache.
    """
    import geopandas as gpd
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    def call() -> gpd.GeoDataFrame:
        with _LOCK:
            configure_osmnx()
            try:
                return ox.features_from_polygon(polygon, overpass_tags())
            except InsufficientResponseError:
                return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")

    url = settings.get("BUURTKAART_OVERPASS_URL")
    try:
        return run_with_deadline(call, min(timeout_s() + 1.0, 9.5), f"Overpass at {url}")
    except SourceUnavailable as e:
        msg = f"{e}; this area is not in the cache {settings.cache_dir() / 'overpass'}"
        raise SourceUnavailable(msg) from e
