"""Map parts shared by the pages: the basemap choice, building the Kaart map,
the walking layer and the actor filter (walking distance included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, state, walking
from buurtkaart.app.common import error_text
from buurtkaart.core.area import Area
from buurtkaart.core.geo import bbox_of
from buurtkaart.core.place import Place
from buurtkaart.i18n import t
from buurtkaart.sources.basemap import offline_basemap_geojson
from buurtkaart.store.types import Actor, Link, Map
from buurtkaart.views import map_delta
from buurtkaart.views.filters import Filters, filter_actors
from buurtkaart.views.mapview import delta_layer, folium_map, map_data

#: Session key of the map data the Kaart page drew first (the live map's base).
LIVE_BASE_KEY = "_live_map_base"


@st.cache_resource(show_spinner=False, max_entries=8)
def offline_basemap(path: str, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """Return the offline basemap GeoJSON of ``path`` in ``bbox`` (cached per file + bbox)."""

    return offline_basemap_geojson(path, bbox)


def _bbox(the_map: Map, places: Sequence[Place]) -> tuple[float, float, float, float]:
    area = the_map.get("area") or {}
    if area.get("bbox"):
        west, south, east, north = area["bbox"]
        return (float(west), float(south), float(east), float(north))
    points = [data.map_point(the_map)] + [(p.lat, p.lon) for p in places]
    if area.get("kind"):  # the whole area, also on a map drawn without its places
        try:
            west, south, east, north = Area.from_dict(area).bbox
            points += [(south, west), (north, east)]
        except BuurtkaartError:
            pass  # a malformed stored area: the points alone
    box = bbox_of(points, pad_deg=0.005)
    assert box is not None  # at least the map's own point
    return box


def basemap_args(the_map: Map, places: Sequence[Place] = ()) -> dict[str, Any]:
    """Return ``basemap``/``offline_basemap`` for ``build_map``, following the session's
    basemap choice (every page's map uses this, so they all follow one switch)."""
    basemap = str(state.sticky("basemap", "offline"))
    if basemap != "offline":
        return {"basemap": basemap}
    try:
        layer = offline_basemap(str(data.osm_file()), _bbox(the_map, list(places)))
        return {"basemap": "offline", "offline_basemap": layer}
    except BuurtkaartError:
        return {"basemap": "none"}


def build_live(the_map: Map, places: Sequence[Place], actors: Sequence[Actor],
               links: Sequence[Link], lang: str,
               highlight: dict[str, list[str]] | None = None) -> tuple[Any, Any]:
    """Build the Kaart page's map as a mounted base and a live delta layer.

    The base (the map data drawn first) is kept in the session while only actors,
    links and hidden places change; those travel in the delta layer
    (``st_folium(..., feature_group_to_add=...)``), so the map's frame is not
    reloaded by a colleague's edit or the worker's own. Any other change (language,
    basemap, layers, a new place) draws a new base.

    Returns
    -------
    (folium.Map, folium.FeatureGroup)
    """
    args = basemap_args(the_map, places)
    now = map_data(org=the_map, places=places, actors=actors, links=links,
                   area=the_map.get("area"), lang=lang,
                   offline_basemap=args.get("offline_basemap"),
                   show_actor_links=bool(st.session_state.get("show_actor_links")),
                   highlight=highlight)
    base = st.session_state.get(LIVE_BASE_KEY)
    change = None
    if isinstance(base, dict) and base.get("basemap") == args["basemap"]:
        change = map_delta.delta(base["data"], now)
    if change is None or not isinstance(base, dict):
        base = {"data": now, "basemap": args["basemap"]}
        st.session_state[LIVE_BASE_KEY] = base
        change = map_delta.empty()
    return folium_map(base["data"], args["basemap"]), delta_layer(change)


def basemap_radio(container: Any, lang: str) -> str:
    """The basemap switch: OSM tiles or the offline basemap (sticky across pages)."""
    options = ["osm", "offline"]
    current = state.sticky("basemap", "offline")
    basemap = container.radio(t("map.basemap", lang), options, key=state.sticky_key("basemap"),
                              index=options.index(current) if current in options else 0,
                              horizontal=True, format_func=lambda k: t("map.basemap_" + k, lang))
    return str(state.remember("basemap", basemap))


def walk_layer(fmap: Any, the_map: Map, lang: str) -> None:
    """Add the 5/10/15 minute walking areas to ``fmap`` when the toggle is on."""
    if not state.sticky("show_walk", False):
        return
    try:
        areas = walking.walking_areas(*data.map_point(the_map))
    except BuurtkaartError as err:
        st.warning(t("map.walk_failed", lang, error=error_text(err, lang)))
        return
    walking.add_layer(fmap, areas, lang)
    speed = f"{areas[0].speed_kmh:g}".replace(".", "," if lang != "en" else ".")
    st.caption(t("map.walk_legend", lang, labels=" / ".join(str(m) for m in walking.MINUTES)
                 + " min", speed=speed))


def shown_actors(actors: list[Actor], the_map: Map, flt: Filters, lang: str) -> list[Actor]:
    """Return the actors passing the sidebar filters (walking distance included)."""
    shown = filter_actors(actors, flt, dt.date.today())
    try:
        return walking.within_minutes(shown, the_map, flt.walk_minutes)
    except BuurtkaartError as err:
        st.warning(t("map.walk_failed", lang, error=error_text(err, lang)))
        return shown
