"""Maps of the meeting pages: changes (new / changed / gone), one change, signals."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from buurtkaart.app.context import PageContext
from buurtkaart.app.data import map_point
from buurtkaart.app.maps import basemap_args as session_basemap
from buurtkaart.core import vocab
from buurtkaart.core.geo import distance_m
from buurtkaart.i18n import format_date, label
from buurtkaart.meeting.collect import MeetingView
from buurtkaart.meeting.since import Item, SinceReport
from buurtkaart.views.map_assets import use_vendored_assets
from buurtkaart.views.mapview import build_map

#: Sections whose items are actors on the map (highlighted by actor id).
ACTOR_SECTIONS = ("new_actor", "actor_change", "contact")
FOCUS_RADIUS_M = 150.0


def highlight_for(view: MeetingView, items: Iterable[Item]) -> dict[str, list[str]]:
    """Return the ``highlight`` argument of ``build_map`` for these change items."""
    out: dict[str, list[str]] = {"new": [], "changed": [], "gone": []}
    for item in items:
        if not item.entity_id:
            continue
        if item.section.startswith("osm_") or item.section in ACTOR_SECTIONS[:2]:
            out[item.style].append(str(item.entity_id))
    return out


def shown_places(view: MeetingView) -> list[Any]:
    """Places of the newest import plus the gone ones (drawn as gone)."""
    return list(view.places) + (list(view.diff.gone) if view.diff else [])


def basemap_args(ctx: PageContext) -> dict[str, Any]:
    """Return ``basemap``/``offline_basemap`` for ``build_map`` (the session's choice)."""

    return session_basemap(ctx.map)


def _show(m: Any, key: str, height: int) -> None:
    # heavy optional dependency, loaded only when a map is drawn
    # heavy optional dependency, loaded only when a map is drawn
    from streamlit_folium import st_folium

    st_folium(m, key=key, returned_objects=[], height=height, use_container_width=True)


def meeting_map(ctx: PageContext, view: MeetingView, since: SinceReport, key: str,
                height: int = 560) -> None:
    """Draw the buurt with the changes of ``since`` styled new / changed / gone."""

    m = build_map(org=ctx.map, places=shown_places(view), actors=view.actors,
                  area=ctx.map.get("area"), lang=ctx.lang,
                  highlight=highlight_for(view, since.items), **basemap_args(ctx))
    _show(m, key, height)


def focus_map(ctx: PageContext, view: MeetingView, item: Item, key: str,
              height: int = 720) -> None:
    """Draw the surroundings of one change (presentation mode), only it highlighted."""

    lat, lon = float(item.lat or 0), float(item.lon or 0)

    def near(a_lat: Any, a_lon: Any) -> bool:
        return a_lat is not None and a_lon is not None and \
            distance_m(lat, lon, float(a_lat), float(a_lon)) <= FOCUS_RADIUS_M

    places = [p for p in shown_places(view) if near(p.lat, p.lon)]
    actors = [a for a in view.actors if near(a.get("lat"), a.get("lon"))]
    m = build_map(org=None, places=places, actors=actors, area=None, lang=ctx.lang,
                  highlight=highlight_for(view, [item]), **basemap_args(ctx))
    _show(m, key, height)


def signals_map(ctx: PageContext, signals: Sequence[Mapping[str, Any]], key: str,
                height: int = 420) -> None:
    """Draw the located signals as coloured circles (popups escaped), vendored assets."""
    import folium  # heavy optional dependency, loaded only when a map is drawn


    the_map = ctx.map
    m = folium.Map(location=map_point(the_map), zoom_start=15,
                   tiles="OpenStreetMap", attr="© OpenStreetMap contributors")
    colors = ["#1a9850", "#d7191c", "#7570b3", "#f58c14", "#2c7bb6", "#e7298a", "#666666"]
    for sig in signals:
        if sig.get("lat") is None or sig.get("lon") is None:
            continue
        color = colors[list(vocab.SIGNAL_TYPES).index(sig["type"]) % len(colors)] \
            if sig.get("type") in vocab.SIGNAL_TYPES else colors[-1]
        popup = (f"<b>{html.escape(format_date(sig.get('date'), ctx.lang))}</b> "
                 f"{html.escape(label('signal_type', sig.get('type'), ctx.lang))}"
                 f"<br>{html.escape(str(sig.get('title') or ''))}")
        folium.CircleMarker((float(sig["lat"]), float(sig["lon"])), radius=9, color=color,
                            fill=True, fill_opacity=0.8,
                            popup=folium.Popup(popup, max_width=260)).add_to(m)
    use_vendored_assets(m)
    _show(m, key, height)
