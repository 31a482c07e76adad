"""The Kaart page: the map, click handling and the side panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from buurtkaart._errors import BuurtkaartError
from buurtkaart.i18n import t
from buurtkaart.ui import data, panels, state, walking
from buurtkaart.ui.common import error_text, md_escape, show_flash
from buurtkaart.ui.logic import (
    CLICK_FIELDS,
    Filters,
    build_index,
    classify_click,
    click_state,
    filter_actors,
    filter_places,
    resolve_click,
)

#: Only clicks rerun the app; panning and zooming do not.
RETURNED_OBJECTS = list(CLICK_FIELDS)
MAP_KEY = "kaart_map"


@st.cache_resource(show_spinner=False, max_entries=8)
def offline_basemap(path: str, bbox: tuple[float, float, float, float]) -> dict:
    """Return the offline basemap GeoJSON of ``path`` in ``bbox`` (cached per file + bbox)."""
    from buurtkaart.sources.basemap import offline_basemap_geojson

    return offline_basemap_geojson(path, bbox)


def _bbox(the_map: dict, places: list) -> tuple[float, float, float, float]:
    area = the_map.get("area") or {}
    if area.get("bbox"):
        west, south, east, north = area["bbox"]
        return (float(west), float(south), float(east), float(north))
    lats = [float(the_map["lat"])] + [p.lat for p in places]
    lons = [float(the_map["lon"])] + [p.lon for p in places]
    pad = 0.005
    return (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad)


def basemap_args(the_map: dict, places: list | tuple = ()) -> dict[str, Any]:
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


def build(the_map: dict, places: list, actors: list[dict], links: list[dict], lang: str) -> Any:
    """Build the folium map of the page (offline basemap when chosen)."""
    from buurtkaart.views.mapview import build_map

    return build_map(org=the_map, places=places, actors=actors, links=links,
                     area=the_map.get("area"), lang=lang, **basemap_args(the_map, places),
                     show_actor_links=bool(st.session_state.get("show_actor_links")))


def basemap_radio(container: Any, lang: str) -> str:
    """The basemap switch: OSM tiles or the offline basemap (sticky across pages)."""
    options = ["osm", "offline"]
    current = state.sticky("basemap", "offline")
    basemap = container.radio(t("map.basemap", lang), options, key=state.sticky_key("basemap"),
                              index=options.index(current) if current in options else 0,
                              horizontal=True, format_func=lambda k: t("map.basemap_" + k, lang))
    return str(state.remember("basemap", basemap))


def _controls(lang: str) -> None:
    left, right = st.columns(2)
    links = left.toggle(t("map.actor_links", lang), key=state.sticky_key("show_actor_links"),
                        value=bool(state.sticky("show_actor_links", False)))
    state.remember("show_actor_links", bool(links))
    walk = left.toggle(t("map.walk_layer", lang), key=state.sticky_key("show_walk"),
                      value=bool(state.sticky("show_walk", False)))
    state.remember("show_walk", bool(walk))
    basemap_radio(right, lang)


def walk_layer(fmap: Any, the_map: dict, lang: str) -> None:
    """Add the 5/10/15 minute walking areas to ``fmap`` when the toggle is on."""
    if not state.sticky("show_walk", False):
        return
    try:
        areas = walking.walking_areas(float(the_map["lat"]), float(the_map["lon"]))
    except BuurtkaartError as err:
        st.warning(t("map.walk_failed", lang, error=error_text(err, lang)))
        return
    walking.add_layer(fmap, areas, lang)
    speed = f"{areas[0].speed_kmh:g}".replace(".", "," if lang != "en" else ".")
    st.caption(t("map.walk_legend", lang, labels=" / ".join(str(m) for m in walking.MINUTES)
                 + " min", speed=speed))


def shown_actors(actors: list[dict], the_map: dict, flt: Filters, lang: str) -> list[dict]:
    """Return the actors passing the sidebar filters (walking distance included)."""
    shown = filter_actors(actors, flt, dt.date.today())
    try:
        return walking.within_minutes(shown, the_map, flt.walk_minutes)
    except BuurtkaartError as err:
        st.warning(t("map.walk_failed", lang, error=error_text(err, lang)))
        return shown


def _handle_click(ret: dict | None, index: dict) -> None:
    event = classify_click(ret, st.session_state.get("last_click_state"))
    st.session_state["last_click_state"] = click_state(ret)
    if event is None:
        return
    kind, latlng = event
    if kind == "object":
        hit = resolve_click(latlng, index)
        if hit is not None:  # an unknown object (e.g. a cluster) is not empty map
            state.select(hit)
        return
    state.select(("empty", float(latlng["lat"]), float(latlng["lng"])))


def render(the_map: dict | None, flt: Filters, lang: str) -> None:
    """Render the Kaart page for ``the_map`` with the sidebar filters ``flt``."""
    from streamlit_folium import st_folium

    if the_map is None:
        st.info(t("map.no_map", lang))
        return
    if "DEMO" in str(the_map.get("name", "")).upper():
        st.warning(t("demo.banner", lang))
    show_flash()
    store = data.get_store()
    actors = list(store.list_actors(the_map["id"]))
    hidden = data.hidden_places(the_map["id"], actors)
    places = filter_places(data.imported_places(the_map["id"]), flt, hidden)
    shown = shown_actors(actors, the_map, flt, lang)
    links = list(store.list_links(the_map["id"]))
    st.caption(t("map.counts", lang, actors=len(shown), places=len(places),
                 org=md_escape(the_map.get("org_name") or the_map.get("name"))))
    map_col, side_col = st.columns([3, 2])
    with map_col:
        _controls(lang)
        fmap = build(the_map, places, shown, links, lang)
        walk_layer(fmap, the_map, lang)
        ret = st_folium(fmap, key=MAP_KEY, returned_objects=RETURNED_OBJECTS,
                        height=620, use_container_width=True)
        _handle_click(ret, build_index(places, shown, the_map))
    with side_col:
        panels.render(st.session_state.get("selected"), the_map, actors, places, lang)
