"""The area of a map and the map of the organisation's spot, shared by the setup
wizard and the management of a map (Instellingen): radius, walking time, or a
commune or quarter of a boundaries file; reading the places of an area.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from buurtkaart import settings
from buurtkaart._errors import BuurtkaartError
from buurtkaart.app import data, maps, state, walking
from buurtkaart.app.common import show_error
from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.i18n import t
from buurtkaart.sources.boundaries import area_from_boundaries
from buurtkaart.sources.live import live_places
from buurtkaart.views.mapview import build_map


def confirm_map(wiz: dict[str, Any], lang: str) -> Any:
    """The organisation alone on the map, with the basemap chosen on the Kaart page."""

    org = {"id": "setup", "name": wiz.get("name"), "org_name": wiz.get("org_name"),
           "address": wiz.get("address"), "lat": wiz["lat"], "lon": wiz["lon"]}
    basemap = state.sticky("basemap", "offline")
    offline = None
    if basemap == "offline":
        pad = 0.008
        offline = maps.offline_basemap(str(data.osm_file()), (wiz["lon"] - pad, wiz["lat"] - pad,
                                                          wiz["lon"] + pad, wiz["lat"] + pad))
    return build_map(org=org, places=[], actors=[], lang=lang, basemap=basemap,
                     offline_basemap=offline)


def area_picker(lat: float, lon: float, lang: str, prefix: str) -> Any:
    """The area widgets (radius, walking time, commune or quarter); return the Area or None.

    ``prefix`` keeps the widget keys of the wizard (``setup``) apart from the
    ones of managing a map.
    """
    kind = st.radio(t("setup.area_kind", lang), ["circle", "walk", "boundary"],
                    horizontal=True, key=f"{prefix}_area_kind",
                    format_func=lambda k: t("setup.area_" + k, lang))
    if kind == "circle":
        radius = st.slider(t("setup.radius", lang), 200, 3000, 1000, step=100,
                           key=f"{prefix}_radius")
        return _area_circle(lat, lon, float(radius))
    if kind == "walk":
        return _area_walk({"lat": lat, "lon": lon}, lang, prefix)
    return _area_boundary(lang, prefix)


def _area_circle(lat: float, lon: float, radius: float) -> Any:

    return Area.circle(lat, lon, radius)


def _area_walk(wiz: dict[str, Any], lang: str, prefix: str = "setup") -> Any:
    """The walking area (5/10/15 minutes, normal or slow pace) from the extract's streets."""

    left, right = st.columns(2)
    minutes = left.select_slider(t("setup.walk_minutes", lang), list(walking.MINUTES), value=10,
                                 key=f"{prefix}_walk_minutes")
    pace = right.radio(t("setup.walk_speed", lang), list(walking.SPEEDS),
                       key=f"{prefix}_walk_speed",
                       format_func=lambda k: t("walk.speed_" + k, lang), horizontal=True)
    try:
        with st.spinner(t("setup.walk_computing", lang)):
            area = walking.walk_area(wiz["lat"], wiz["lon"], int(minutes),
                                     walking.SPEEDS[str(pace)], lang)
    except BuurtkaartError as err:
        show_error(err, lang)
        return None
    if area is None:
        st.warning(t("setup.walk_empty", lang))
    return area


def _area_boundary(lang: str, prefix: str = "setup") -> Any:

    default = settings.shared_data_dir() / "brussels" / "communes-and-quarters.geojson"
    path = st.text_input(t("setup.boundaries_file", lang), key=f"{prefix}_boundaries",
                         value=str(default) if default.exists() else "")
    name = st.text_input(t("setup.boundary_name", lang), key=f"{prefix}_boundary_name")
    if not (path.strip() and name.strip()):
        return None
    try:
        return area_from_boundaries(Path(path.strip()), name.strip())
    except BuurtkaartError as err:
        show_error(err, lang)
        return None


def read_area_places(area: Area, online: bool = False) -> tuple[list[Place], str]:
    """Return the places in ``area`` and their source: the extract, or Overpass online.

    Raises
    ------
    SourceUnavailable
        Online, when Overpass cannot be reached and the area is not cached.
    """
    if online:

        return live_places(area), "overpass"
    return data.places_from_file(data.osm_file(), area.to_dict()), f"file:{data.osm_file().name}"
