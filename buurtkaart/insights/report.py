"""One report with every insight of a map: the figures behind each sentence.

The JSON shape is documented in ``docs/insights.md``; :func:`build_report`
works on plain records (:class:`MapData`), :func:`load_map_data` reads them
from a store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from buurtkaart._dates import newest
from buurtkaart._errors import BuurtkaartError
from buurtkaart.core import vocab
from buurtkaart.core.area import Area
from buurtkaart.core.ports import InsightsStore
from buurtkaart.i18n import format_number
from buurtkaart.insights._common import Text, counted, texts
from buurtkaart.insights.counts import counts
from buurtkaart.insights.coverage import coverage, untied_categories
from buurtkaart.insights.coverage import sentence as coverage_sentence
from buurtkaart.insights.distance import distance
from buurtkaart.insights.island import island_score
from buurtkaart.insights.neglected import DEFAULT_MONTHS, neglected
from buurtkaart.insights.network import network
from buurtkaart.insights.unanswered import unanswered
from buurtkaart.places import read_places
from buurtkaart.walk import walking_areas, within

SCHEMA = "buurtkaart.report/1"
#: Radius of the places area when a map has none stored (metres).
DEFAULT_RADIUS_M = 1000.0

EMPTY_MESSAGE: Text = texts("insights.empty_map")


@dataclass
class MapData:
    """The records behind a report (store dicts; places as ``Place`` or dicts)."""

    map: dict[str, Any]
    actors: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)
    places_source: str = ""

    @property
    def origin(self) -> tuple[float, float] | None:
        """Return the organisation's (lat, lon), or None."""
        lat, lon = self.map.get("lat"), self.map.get("lon")
        return (float(lat), float(lon)) if lat is not None and lon is not None else None


def map_area(the_map: dict[str, Any]) -> Any:
    """Return the map's stored area (``Area``), else a circle of 1 km, else None."""
    if the_map.get("area"):
        return Area.from_dict(the_map["area"])
    if the_map.get("lat") is not None and the_map.get("lon") is not None:
        return Area.circle(float(the_map["lat"]), float(the_map["lon"]), DEFAULT_RADIUS_M)
    return None


def load_map_data(store: InsightsStore, map_name: str, osm_file: Path | None = None) -> MapData:
    """Read a map's records from a store.

    Places come from the map's newest import; when it has none and
    ``osm_file`` is given, they are read from that extract inside the map's area.
    """
    the_map = dict(store.get_map(map_name))
    data = MapData(the_map, [dict(a) for a in store.list_actors(the_map["id"])],
                   [dict(k) for k in store.list_links(the_map["id"])],
                   [dict(c) for c in store.list_contacts(the_map["id"])])
    last = newest(store.list_imports(the_map["id"]))
    if last is not None:
        data.places = list(store.get_import_places(last["id"]))
        data.places_source = f"import:{last['id']}"
    elif osm_file is not None:
        data.places = read_places(osm_file, map_area(the_map))
        data.places_source = f"file:{Path(osm_file).name}"
    return data


def build_report(data: MapData, *, today: date | None = None,
                 months: int = DEFAULT_MONTHS, walking: Sequence[Any] | None = None,
                 walking_error: str | None = None) -> dict[str, Any]:
    """Return the full report dict (JSON-able).

    Parameters
    ----------
    data : MapData
        The map's records.
    today : date, optional
        Reference date for neglected ties (default: today).
    months : int
        A tie is neglected after this many months without contact.
    walking : sequence of WalkingArea, optional
        Walking areas to report and to count actors in.
    walking_error : str, optional
        Why walking areas could not be computed (reported instead).
    """
    today = today or date.today()
    rows = coverage(data.places, data.actors)
    doubts = unanswered(data.actors, data.contacts)
    net = network(data.actors, data.links, str(data.map.get("org_name") or ""))
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "generated_at": datetime.now(UTC).isoformat(),
        "map": {k: data.map.get(k) for k in ("id", "name", "org_name", "lat", "lon")},
        "empty": not data.actors,
        "message": EMPTY_MESSAGE if not data.actors else None,
        "island_score": island_score(rows, data.actors, doubts["ids"]),
        "coverage": {"places": len(data.places), "places_source": data.places_source,
                     "categories": rows, "untied": untied_categories(rows),
                     "sentence": coverage_sentence(rows)},
        "neglected": neglected(data.actors, today, months, data.contacts),
        "unanswered": doubts,
        "bridges": {"items": net["bridges"], "unreached": net["unreached"],
                    "sentence": net["sentence"]},
        "network": {"nodes": net["nodes"], "edges": net["edges"]},
        "walking_areas": walking_section(walking or [], data.actors, walking_error),
        "counts": counts(data.actors),
        "distance": distance(data.origin, data.actors),
    }
    report["sentences"] = headlines(report)
    return report


def walking_section(areas: Sequence[Any], actors: Sequence[dict[str, Any]],
                    error: str | None = None) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection: one polygon per minute value, with actor counts."""
    features = []
    for area in areas:
        feature = area.to_feature()
        inside = within(area, actors)
        feature["properties"]["actors_within"] = len(inside)
        feature["properties"]["actor_ids_within"] = [a.get("id") for a in inside]
        features.append(feature)
    return {"type": "FeatureCollection", "features": features, "error": error,
            "sentence": _walking_sentence(features, len(actors), error)}


def _walking_sentence(features: list[dict[str, Any]], n_actors: int,
                      error: str | None) -> Text:
    if not features:
        why = f" ({error})" if error else ""
        return texts("insights.walk.none", why=why)
    p = max(features, key=lambda f: -abs(f["properties"]["minutes"] - 10))["properties"]
    speed = {lg: format_number(float(p["speed_kmh"]), lg) for lg in vocab.LANGS}
    minutes = {lg: format_number(float(p["minutes"]), lg) for lg in vocab.LANGS}
    return texts("insights.walk.sentence", m=minutes, speed=speed, n=p["actors_within"],
                 total=counted("count.actors", n_actors))


def headlines(report: dict[str, Any]) -> dict[str, list[str]]:
    """Return the headline sentences per language, in reading order."""
    keys = ("island_score", "coverage", "bridges", "neglected", "unanswered", "distance",
            "walking_areas", "counts")
    out: dict[str, list[str]] = {lg: [] for lg in vocab.LANGS}
    if report.get("message"):
        for lg in vocab.LANGS:
            out[lg].append(report["message"][lg])
    for key in keys:
        if key == "unanswered" and not report[key]["items"]:
            continue  # only a contradiction is a headline
        sentence = report[key].get("sentence")
        for lg in vocab.LANGS:
            if sentence:
                out[lg].append(sentence[lg])
    return out


def safe_walking(data: MapData, minutes: Sequence[float], osm_file: Path | None,
                 speed_kmh: float | None = None) -> tuple[list[Any], str | None]:
    """Return (walking areas, None) or ([], reason) when they cannot be computed."""
    if data.origin is None:
        return [], "map without location"
    try:
        areas = walking_areas(*data.origin, minutes, osm_file=osm_file, speed_kmh=speed_kmh)
    except BuurtkaartError as err:
        return [], str(err)
    if all(a.geometry.is_empty for a in areas):
        source = areas[0].source if areas else "the extract"
        return [], f"no walkable street within reach of the organisation in {source}"
    return areas, None
