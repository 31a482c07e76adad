"""Walking areas in the app: the setup area type, the map layer and the actor filter.

The areas come from :func:`buurtkaart.walk.walking_areas` on the app's
extract; they are cached per file, point, minutes and speed
(``st.cache_resource``: the computation builds a street graph, and the
result is immutable).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from buurtkaart import walk
from buurtkaart.app import data
from buurtkaart.core.area import Area
from buurtkaart.i18n import t
from buurtkaart.store.types import Actor, Map

#: Minute values offered in the app (setup area, map layer, filter).
MINUTES: tuple[int, ...] = (5, 10, 15)
#: Walking pace key -> km/h (normal, and slow for seniors or reduced mobility).
SPEEDS: dict[str, float] = {"normal": 4.5, "slow": 3.0}
#: Colours of the 5/10/15 minute layers (dark to light).
COLOURS: tuple[str, ...] = ("#1f2955", "#3b6ea5", "#7fb2d9")


@st.cache_resource(show_spinner=False, max_entries=32)
def _areas(path: str, file_key: str, lat: float, lon: float, minutes: tuple[int, ...],
           speed_kmh: float) -> list[walk.WalkingArea]:
    del file_key  # part of the cache key only

    return walk.walking_areas(lat, lon, minutes=minutes, osm_file=Path(path),
                              speed_kmh=speed_kmh)


def walking_areas(lat: float, lon: float, minutes: Sequence[int] = MINUTES,
                  speed_kmh: float = SPEEDS["normal"],
                  osm_file: Path | None = None) -> list[walk.WalkingArea]:
    """Return the walking areas around (lat, lon) on the app's extract (cached).

    Parameters
    ----------
    lat, lon : float
        The organisation.
    minutes : sequence of int
        Walking times, e.g. ``(5, 10, 15)``.
    speed_kmh : float
        Walking speed (4.5 normal, 3 slow).
    osm_file : Path, optional
        The extract; default :func:`buurtkaart.app.data.osm_file`.

    Returns
    -------
    list[buurtkaart.walk.WalkingArea]
        One per minute value, smallest first.
    """
    path = osm_file or data.osm_file()
    return _areas(str(path), data.file_key(path), round(float(lat), 7), round(float(lon), 7),
                  tuple(sorted({int(m) for m in minutes})), float(speed_kmh))


def walk_area(lat: float, lon: float, minutes: int, speed_kmh: float, lang: str,
              osm_file: Path | None = None) -> Area | None:
    """Return the :class:`~buurtkaart.core.area.Area` (kind ``walk``) to import places in."""
    area = walking_areas(lat, lon, (minutes,), speed_kmh, osm_file)[0]
    return None if area.geometry.is_empty else area.to_area(lang)


def add_layer(fmap: Any, areas: Sequence[walk.WalkingArea], lang: str) -> None:
    """Draw the walking areas on ``fmap``, largest first (so the smaller stay visible).

    Each area is a layer named ``10 min wandelen`` in the layer control. The
    polygons do not take clicks: a click inside them stays a click on the map
    (for "informele actor hier toevoegen").
    """
    import folium  # heavy optional dependency, loaded only when a map is drawn

    for i, area in sorted(enumerate(areas), key=lambda p: -p[1].minutes):
        if area.geometry.is_empty:
            continue
        colour = COLOURS[min(i, len(COLOURS) - 1)]
        folium.GeoJson(area.to_geojson(), name=area.label(lang), interactive=False,
                       style_function=lambda _f, c=colour: {
                           "color": c, "weight": 2, "fillColor": c, "fillOpacity": 0.08,
                           "dashArray": "6 4"}).add_to(fmap)


def within_minutes(actors: list[Actor], the_map: Map, minutes: int) -> list[Actor]:
    """Return the actors within ``minutes`` of walking from the organisation (0 = all)."""
    if not minutes:
        return actors

    area = walking_areas(*data.map_point(the_map), (minutes,))[0]
    return walk.within(area, actors)


def minutes_label(value: int, lang: str) -> str:
    """Label of a filter choice: ``alle afstanden`` for 0, else ``N minuten``."""
    return t("filter.walk_any", lang) if not value else t("walk.minutes", lang, n=value)
