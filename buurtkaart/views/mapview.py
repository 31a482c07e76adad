"""The buurtkaart map: the organisation, its candidate places, actors and relations.

:func:`build_map` returns a :class:`folium.Map` that the app shows with
``streamlit_folium.st_folium`` and :func:`map_html` turns into a standalone page.
The map loads only vendored assets (see :mod:`buurtkaart.views.map_assets`).

Speed: folium emits one small script; the places, actors and lines travel as one
compact JSON object and ``static/js/buurtkaart-map.js`` creates the Leaflet layers
(clustered places, canvas lines, lazy popups). No per-marker HTML in the page.

Clicks: streamlit-folium returns the clicked marker's exact coordinates
(``last_object_clicked``), the 6-decimal values of :func:`map_layers.coord`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from buurtkaart import settings
from buurtkaart._errors import InputError
from buurtkaart.core import vocab
from buurtkaart.core.geo import bbox_around, bbox_of
from buurtkaart.i18n import t
from buurtkaart.views import map_layers as ml
from buurtkaart.views.map_assets import DEFAULT_ASSET_BASE, inline_assets, use_vendored_assets

ATTRIBUTION = ('© <a href="https://www.openstreetmap.org/copyright">'
               "OpenStreetMap contributors</a>")
MAX_ZOOM = 19
BASEMAPS = ("osm", "offline", "none")

#: Texts the map's JS needs (catalog keys ``mapjs.<key>``).
MAP_TEXTS = ("org", "candidates", "roles", "kinds", "formal", "informal", "relations", "links",
             "area", "basemap", "legend", "search", "no_role", "street_names",
             "unnamed")


def _text(lang: str) -> dict[str, str]:
    """Return the map texts in ``lang`` (escaped)."""
    return {k: ml.esc(t(f"mapjs.{k}", lang)) for k in MAP_TEXTS}


class _LiveDelta(MacroElement):
    """One script: ``BuurtkaartLive.update(map, delta)`` (see static/js/buurtkaart-live.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            if (window.BuurtkaartLive) {
                BuurtkaartLive.update({{ this._parent._parent.get_name() }}, {{ this.data_json }});
            }
        {% endmacro %}
    """)

    def __init__(self, delta: dict[str, Any]):
        super().__init__()
        self._name = "BuurtkaartLive"
        self.data_json = script_json(delta)


def delta_layer(delta: dict[str, Any]) -> folium.FeatureGroup:
    """Return the layer that carries a live delta into the mounted map.

    Give it to ``st_folium(..., feature_group_to_add=...)``: streamlit-folium runs
    its script in the map's frame when it changed, without reloading the map.
    """
    group = folium.FeatureGroup(name="buurtkaart-live", control=False)
    group.add_child(_LiveDelta(delta))
    return group


class _BuurtkaartLayers(MacroElement):
    """One script: ``BuurtkaartMap.render(map, data)`` (see static/js/buurtkaart-map.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            BuurtkaartMap.render({{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
    """)

    def __init__(self, data: dict[str, Any]):
        super().__init__()
        self._name = "BuurtkaartLayers"
        self.data = data
        self.data_json = script_json(data)


def script_json(data: object) -> str:
    """Return ``data`` as JSON safe inside a ``<script>`` (no ``<``, ``>``, ``&``)."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _check(lang: str, basemap: str) -> None:
    if lang not in vocab.LANGS:
        msg = f"map language {lang!r} is not one of {', '.join(vocab.LANGS)}"
        raise InputError(msg)
    if basemap not in BASEMAPS:
        msg = f"basemap {basemap!r} is not one of {', '.join(BASEMAPS)}"
        raise InputError(msg)


def area_data(area: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return the outline to draw from ``Area.to_dict()`` or a GeoJSON object.

    Returns ``{"type": "circle", lat, lon, radius, label}`` or
    ``{"type": "geojson", geometry, label}``; None when there is nothing to draw.
    """
    if not area:
        return None
    label = ml.esc(area.get("label") or "")
    if area.get("kind") == "circle" and area.get("radius_m") and area.get("center"):
        lat, lon = area["center"]
        return {"type": "circle", "lat": ml.coord(lat), "lon": ml.coord(lon),
                "radius": float(area["radius_m"]), "label": label}
    geometry = area.get("geometry") if "kind" in area else area
    if not isinstance(geometry, Mapping) or "type" not in geometry:
        msg = f"area {str(dict(area))[:120]!r} has neither a circle nor a GeoJSON geometry"
        raise InputError(msg)
    return {"type": "geojson", "geometry": geometry, "label": label}


def _org_data(org: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return the organisation marker data, None without a located organisation."""
    if not org or not ml.has_location(org):
        return None
    name = org.get("org_name") or org.get("name") or ""
    return {"lat": ml.coord(org["lat"]), "lon": ml.coord(org["lon"]), "name": ml.esc(name),
            "address": ml.esc(org.get("address") or ""), "id": ml.esc(org.get("id") or "")}


def _bounds(points: Iterable[tuple[float, float]]) -> list[list[float]] | None:
    """Return Leaflet bounds ``[[south, west], [north, east]]`` of the points, None if none."""
    box = bbox_of(points)
    return None if box is None else [[box[1], box[0]], [box[3], box[2]]]


def _fit(org: dict | None, area: dict | None, places: list[list[Any]],
         actors: list[tuple[float, float]]) -> list[list[float]] | None:
    """Return the bounds to show first: the area's circle, else everything drawn."""
    if area is not None and area["type"] == "circle":
        west, south, east, north = bbox_around(area["lat"], area["lon"], area["radius"])
        return [[south, west], [north, east]]
    pts = [(r[0], r[1]) for r in places] + actors
    if org:
        pts.append((org["lat"], org["lon"]))
    return _bounds(pts)


def map_data(*, org: Mapping[str, Any] | None, places: Sequence[ml.PlaceLike],
             actors: Sequence[Mapping[str, Any]], links: Iterable[Mapping[str, Any]] = (),
             area: Mapping[str, Any] | None = None, lang: str = "nl",
             offline_basemap: dict | None = None, show_actor_links: bool = False,
             highlight: Mapping[str, Iterable[str]] | None = None,
             dismissed: Iterable[str] = frozenset(),
             asset_base: str = DEFAULT_ASSET_BASE) -> dict[str, Any]:
    """Return the JSON object that ``buurtkaart-map.js`` draws (see :func:`build_map`)."""
    marks = ml.highlight_map(highlight)
    located = [a for a in actors if ml.has_location(a)]
    hidden = {str(x) for x in dismissed} | {str(a["osm_id"]) for a in actors if a.get("osm_id")}
    cat_keys = sorted({p.category for p in places})
    styles = ml.category_styles(cat_keys, lang)
    cats = {k: i for i, k in enumerate(cat_keys)}
    rows = ml.place_rows(places, hidden=hidden, highlight=marks, cat_index=cats, lang=lang)
    tables = ml.VocabTables(lang)
    actor_rows = [ml.actor_row(a, tables=tables, highlight=marks) for a in located]
    positions = {str(a.get("id")): (r[1], r[2]) for a, r in zip(located, actor_rows, strict=True)}
    area_d = area_data(area)
    org_d = _org_data(org)
    basemap = None
    if offline_basemap is not None:  # the labels travel apart, in one language
        basemap = {k: v for k, v in offline_basemap.items() if k != "labels"}
    return {
        "assetBase": asset_base.rstrip("/"), "maxZoom": MAX_ZOOM, "attribution": ATTRIBUTION,
        "text": _text(lang), "org": org_d, "area": area_d, "basemap": basemap,
        "labels": ml.label_rows(offline_basemap, lang),
        "categories": [styles[k] for k in cat_keys], "places": rows, "actors": actor_rows,
        "vocab": tables.as_dict(), "links": ml.link_rows(links, positions),
        "showLinks": bool(show_actor_links), "collapsed": True,
        "fit": _fit(org_d, area_d, rows, [(r[1], r[2]) for r in actor_rows]),
    }


def build_map(*, org: Mapping[str, Any] | None, places: Sequence[ml.PlaceLike],
              actors: Sequence[Mapping[str, Any]], links: Iterable[Mapping[str, Any]] = (),
              area: Mapping[str, Any] | None = None, lang: str = "nl", basemap: str = "osm",
              offline_basemap: dict | None = None, show_actor_links: bool = False,
              highlight: Mapping[str, Iterable[str]] | None = None,
              dismissed: Iterable[str] = frozenset(),
              asset_base: str = DEFAULT_ASSET_BASE) -> folium.Map:
    """Build the map of one organisation and its buurt.

    Parameters
    ----------
    org : dict or None
        The map record (``lat``, ``lon``, ``org_name``/``name``, ``address``, ``id``).
    places : list of Place
        Candidate OSM places (:class:`buurtkaart.places.Place`).
    actors : list of dict
        Actor records; those without ``lat``/``lon`` are not drawn.
    links : iterable of dict
        Actor-actor links (``from_id``, ``to_id``, ``strength``, ``type``).
    area : dict, optional
        ``Area.to_dict()`` or a GeoJSON geometry: drawn as the outline.
    lang : {"nl", "fr", "en"}
        Language of labels, legend and controls.
    basemap : {"osm", "offline", "none"}
        OSM raster tiles, the offline vector basemap (no tiles), or nothing.
    offline_basemap : dict, optional
        GeoJSON from :func:`buurtkaart.sources.basemap.offline_basemap_geojson`, drawn
        under everything (for ``"offline"``; ignored with ``"none"``). Its ``labels``
        become the street, square, park and canal names in ``lang`` (zoom >= 16).
    show_actor_links : bool
        Show the actor-actor links layer at start (it is in the layer control anyway).
    highlight : dict, optional
        ``{"new": ids, "changed": ids, "gone": ids}`` (place keys or actor ids).
    dismissed : set of str
        Place keys (:func:`map_layers.place_key`) of dismissed candidates: hidden.
    asset_base : str
        URL where ``static/`` is served (Streamlit: ``/app/static``).

    Returns
    -------
    folium.Map
        Only vendored scripts and stylesheets; ``maxZoom`` set; OSM attribution.

    Raises
    ------
    InputError
        Unknown ``lang`` or ``basemap``, or an area that is neither a circle nor GeoJSON.
    """
    _check(lang, basemap)
    data = map_data(org=org, places=places, actors=actors, links=links, area=area, lang=lang,
                    offline_basemap=offline_basemap if basemap != "none" else None,
                    show_actor_links=show_actor_links, highlight=highlight,
                    dismissed=dismissed, asset_base=asset_base)
    return folium_map(data, basemap, asset_base)


def folium_map(data: dict[str, Any], basemap: str = "osm",
               asset_base: str = DEFAULT_ASSET_BASE) -> folium.Map:
    """Return the folium map that draws ``data`` (of :func:`map_data`) on ``basemap``."""
    centre = (data["org"]["lat"], data["org"]["lon"]) if data["org"] else _centre(data["fit"])
    m = folium.Map(location=centre, zoom_start=16, tiles=None,
                   control_scale=True, maxZoom=MAX_ZOOM)
    if basemap == "osm":
        folium.TileLayer(settings.get("BUURTKAART_TILE_URL"), attr=ATTRIBUTION,
                         name="OpenStreetMap", max_zoom=MAX_ZOOM, max_native_zoom=19,
                         control=False).add_to(m)
    _BuurtkaartLayers(data).add_to(m)
    use_vendored_assets(m, asset_base)
    return m


def _centre(fit: list[list[float]] | None) -> tuple[float, float]:
    if not fit:
        return (50.8466, 4.3528)  # Brussels, when the map is empty
    return ((fit[0][0] + fit[1][0]) / 2, (fit[0][1] + fit[1][1]) / 2)


def map_html(m: folium.Map, *, inline: bool = False,
             asset_base: str = DEFAULT_ASSET_BASE) -> str:
    """Return the standalone HTML page of ``m``.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`build_map`.
    inline : bool, default False
        Inline the vendored scripts, stylesheets and images, so the page opens from
        a file with no server (printable report, e-mail). Otherwise the page loads
        them from ``asset_base``.
    asset_base : str
        The base used when building ``m``.
    """
    use_vendored_assets(m, asset_base)
    page = m.get_root().render()
    return inline_assets(page, asset_base) if inline else page

