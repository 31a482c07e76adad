"""The :class:`Place` record: one categorised OSM object (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Place:
    """One categorised OSM object.

    Attributes
    ----------
    osm_id : str or None
        ``"node/123"``, ``"way/45"``, ``"relation/6"``; None when the source has none.
    name, name_nl, name_fr : str or None
        ``name``, ``name:nl`` and ``name:fr`` tags.
    category : str
        Taxonomy key (see :mod:`buurtkaart.core.categories`).
    lat, lon : float
        Representative point (inside polygons).
    tags : dict
        All OSM tags.
    source : str
        ``"file:<name>"``, ``"geojson:<name>"`` or ``"overpass"``.
    geometry : dict or None
        GeoJSON geometry of ways/relations; None for nodes.
    distance_m : float or None
        Distance from the area's centre to the representative point.
    """

    osm_id: str | None
    name: str | None
    name_nl: str | None
    name_fr: str | None
    category: str
    lat: float
    lon: float
    tags: dict[str, str]
    source: str
    geometry: dict[str, Any] | None = None
    distance_m: float | None = None

    def display_name(self, lang: str = "nl") -> str | None:
        """Return the name in ``lang`` when tagged, else ``name``."""
        if lang == "nl" and self.name_nl:
            return self.name_nl
        if lang == "fr" and self.name_fr:
            return self.name_fr
        if lang == "en" and self.tags.get("name:en"):
            return self.tags["name:en"]
        return self.name or self.name_nl or self.name_fr
