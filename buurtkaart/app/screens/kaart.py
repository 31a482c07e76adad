"""The Kaart page: the map, click handling and the side panel."""

from __future__ import annotations

from typing import Any

import streamlit as st

from buurtkaart.app import data, live, maps, panels, state
from buurtkaart.app.common import md_escape, show_flash
from buurtkaart.app.context import current
from buurtkaart.i18n import t, tn
from buurtkaart.store.types import Map
from buurtkaart.views.filters import (
    CLICK_FIELDS,
    Filters,
    build_index,
    classify_click,
    click_state,
    filter_places,
    resolve_click,
)

#: Only clicks rerun the app; panning and zooming do not.
RETURNED_OBJECTS = list(CLICK_FIELDS)
MAP_KEY = "kaart_map"
FIND_KEY = "kaart_find"
#: Height of the map in pixels (fits a phone's screen under the search field).
MAP_HEIGHT = 560


def page() -> None:
    """The Kaart page of the navigation."""
    frame = current()
    render(frame.map, frame.filters, frame.lang)


def _controls(lang: str) -> None:
    """Layers and background in a popover: the map keeps its height on a phone."""
    with st.popover(t("map.layers", lang), icon=":material/layers:"):
        links = st.toggle(t("map.actor_links", lang), key=state.sticky_key("show_actor_links"),
                          value=bool(state.sticky("show_actor_links", False)))
        state.remember("show_actor_links", bool(links))
        walk = st.toggle(t("map.walk_layer", lang), key=state.sticky_key("show_walk"),
                         value=bool(state.sticky("show_walk", False)))
        state.remember("show_walk", bool(walk))
        maps.basemap_radio(st, lang)


def _pick_actor() -> None:
    chosen = st.session_state.get(FIND_KEY)
    if chosen:
        state.select(("actor", str(chosen)))


def actor_finder(actors: list[Any], lang: str) -> None:
    """Find an actor by name (type to filter) and open its panel: works on a phone too."""
    names = {str(a["id"]): str(a.get("name") or a["id"]) for a in actors}
    ids = sorted(names, key=lambda i: names[i].casefold())
    selected = st.session_state.get("selected")
    st.session_state[FIND_KEY] = (selected[1] if selected and selected[0] == "actor"
                                  and selected[1] in names else None)
    st.selectbox(t("map.find_actor", lang), ids, key=FIND_KEY, on_change=_pick_actor,
                 format_func=lambda i: names.get(i, i),
                 placeholder=t("map.find_placeholder", lang))


def _handle_click(ret: dict[str, Any] | None,
                  index: dict[tuple[float, float], tuple[str, str]]) -> None:
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


def render(the_map: Map | None, flt: Filters, lang: str) -> None:
    """Render the Kaart page for ``the_map`` with the sidebar filters ``flt``."""
    # heavy optional dependency, loaded only when a map is drawn
    from streamlit_folium import st_folium

    st.title(t("nav.kaart", lang))
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
    shown = maps.shown_actors(actors, the_map, flt, lang)
    links = list(store.list_links(the_map["id"]))
    st.caption(t("map.counts", lang, actors=tn("count.actors", lang, len(shown)),
                 places=tn("count.candidates", lang, len(places)),
                 org=md_escape(the_map.get("org_name") or the_map.get("name"))))
    find_col, layer_col = st.columns([3, 1], vertical_alignment="bottom")
    with find_col:
        actor_finder(actors, lang)
    with layer_col:
        _controls(lang)
    map_col, side_col = st.columns([2, 1], gap="medium")
    with map_col:
        fmap, delta = maps.build_live(the_map, places, shown, links, lang, live.map_highlight())
        maps.walk_layer(fmap, the_map, lang)
        ret = st_folium(fmap, key=MAP_KEY, returned_objects=RETURNED_OBJECTS,
                        height=MAP_HEIGHT, use_container_width=True,
                        feature_group_to_add=delta)
        _handle_click(ret, build_index(places, shown, the_map))
    with side_col:
        panels.render(st.session_state.get("selected"), the_map, actors, places, lang)
