"""Styling rules and compact layer data of the map (pure, no folium).

Everything the browser draws is turned here into small JSON rows; the client
script ``static/js/buurtkaart-map.js`` creates the Leaflet layers from them.
User text is HTML-escaped here, once, before it enters the JSON.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from buurtkaart.core.categories import categories
from buurtkaart.core.place import Place
from buurtkaart.i18n import format_date, label, label_or_key
from buurtkaart.views.icons import FALLBACK_COLOUR, icon_svg

#: Colour of each role (first role of an actor wins); colour-blind safe-ish palette.
ROLE_COLOURS: dict[str, str] = {
    "sleutelfiguur": "#d7191c",
    "brugfiguur": "#fdae61",
    "pleitbezorger": "#7b3294",
    "partner": "#1a9641",
    "stakeholder": "#2c7bb6",
    "neutrale_speler": "#969696",
    "politieke_actor": "#252525",
    "vrijwilliger": "#a6d96a",
    "buurtbewoner": "#e78ac3",
    "doelpubliek": "#8c510a",
    "financier": "#35978f",
}
NO_ROLE_COLOUR = "#636363"

#: Marker shape of each actor kind (CSS class suffix, see buurtkaart-map.js).
KIND_SHAPES: dict[str, str] = {
    "organisation": "square",
    "person": "circle",
    "group": "pill",
    "place": "diamond",
}

#: Colour of the relation line by status.
STATUS_COLOURS: dict[str, str] = {
    "to_contact": "#969696",
    "in_conversation": "#2c7bb6",
    "cooperating": "#1a9641",
    "paused": "#fdae61",
    "conflict": "#d7191c",
}

#: Dash pattern of the relation line by leaning ("" = solid).
LEANING_DASHES: dict[str, str] = {"ally": "", "neutral": "8 5", "opponent": "2 6"}

#: Line width by strength (0-3).
STRENGTH_WIDTHS: dict[int, float] = {0: 1.0, 1: 2.0, 2: 3.5, 3: 5.5}

#: Highlight classes of the meeting view.
HIGHLIGHTS = ("new", "changed", "gone")

#: Size in pixels of a category icon inside a place marker, the legend and the layer control.
ICON_PX = 12


#: The place type the map reads (``osm_id, name, name_nl, name_fr, category, lat, lon, tags``).
PlaceLike = Place


def esc(value: object) -> str:
    """Return ``value`` as HTML-escaped text ('' for None)."""
    return "" if value is None else html.escape(str(value), quote=True)


def coord(value: float) -> float:
    """Round a coordinate to 6 decimals (about 0.1 m), the key the app maps a click back with."""
    return round(float(value), 6)


def place_key(place: PlaceLike) -> str:
    """Return the stable id of a place: its OSM id, else ``name@lat,lon``.

    Same format as :func:`buurtkaart.meeting.diff.place_key`, so highlight and
    dismissed sets from the store and the meeting view match.
    """
    if place.osm_id:
        return place.osm_id
    return f"{place.name or ''}@{place.lat:.6f},{place.lon:.6f}"


def category_styles(keys: Iterable[str], lang: str) -> dict[str, dict[str, str]]:
    """Return ``key -> {label, color, icon}`` for the categories in ``keys``.

    Colours and icons come from ``taxonomy.toml`` (:mod:`buurtkaart.core.categories`);
    ``icon`` is an inline SVG (vendored Tabler icon, :func:`map_assets.icon_svg`), never
    an emoji. An unknown key gets a grey dot and its key as label.
    """
    try:
        known = categories()
    except ImportError:  # pragma: no cover - taxonomy always ships with the package
        known = {}
    out: dict[str, dict[str, str]] = {}
    for key in sorted(set(keys)):
        cat = known.get(key)
        if cat is None:
            out[key] = {"label": esc(key.replace("_", " ")), "color": FALLBACK_COLOUR,
                        "icon": icon_svg(key, color=FALLBACK_COLOUR, size=ICON_PX)}
        else:
            out[key] = {"label": esc(label_or_key(key, lang)), "color": cat.color,
                        "icon": icon_svg(key, size=ICON_PX)}
    return out


def _address(tags: Mapping[str, str]) -> str:
    """Return ``street housenumber, postcode`` from addr:* tags ('' when none)."""
    street = " ".join(v for v in (tags.get("addr:street"), tags.get("addr:housenumber")) if v)
    return ", ".join(v for v in (street, tags.get("addr:postcode")) if v)


def place_rows(places: Iterable[PlaceLike], *, hidden: set[str], highlight: dict[str, str],
               cat_index: dict[str, int], lang: str) -> list[list[Any]]:
    """Return one compact row per visible candidate place.

    Row: ``[lat, lon, category index, name, name_nl, name_fr, id, address, highlight]``
    (text escaped; empty strings when absent).
    """
    rows: list[list[Any]] = []
    for p in places:
        key = place_key(p)
        if key in hidden:
            continue
        name = p.display_name(lang) or ""
        rows.append([
            coord(p.lat), coord(p.lon), cat_index[p.category], esc(name),
            esc(p.name_nl if p.name_nl != name else ""),
            esc(p.name_fr if p.name_fr != name else ""),
            esc(key), esc(_address(p.tags)), highlight.get(key, ""),
        ])
    return rows


#: Flags of an actor row (bitmask, field 6).
FORMAL, OPPONENT, COARSE = 1, 2, 4


class VocabTables:
    """Label/style tables sent once per map; actor rows refer to them by index.

    ``roles``: ``[key, label, colour]``; ``kinds``: ``[key, label, shape]``;
    ``statuses``: ``[key, label, colour]``; ``leanings``: ``[key, label, dash]``;
    ``strengths``: ``[label, width]`` for 0-3. Unknown role keys are appended.
    """

    def __init__(self, lang: str):
        self.roles = [[k, esc(label("role", k, lang)), c] for k, c in ROLE_COLOURS.items()]
        self.kinds = [[k, esc(label("kind", k, lang)), s] for k, s in KIND_SHAPES.items()]
        self.statuses = [[k, esc(label("status", k, lang)), c]
                         for k, c in STATUS_COLOURS.items()]
        self.leanings = [[k, esc(label("leaning", k, lang)), d]
                         for k, d in LEANING_DASHES.items()]
        self.strengths = [[esc(label("strength", k, lang)), w]
                          for k, w in STRENGTH_WIDTHS.items()]

    def role(self, key: str) -> int:
        """Return the index of role ``key``, appending an unknown key (grey)."""
        for i, row in enumerate(self.roles):
            if row[0] == key:
                return i
        self.roles.append([esc(key), esc(key), NO_ROLE_COLOUR])
        return len(self.roles) - 1

    def as_dict(self) -> dict[str, list]:
        """Return the tables as JSON-able lists."""
        return {"roles": self.roles, "kinds": self.kinds, "statuses": self.statuses,
                "leanings": self.leanings, "strengths": self.strengths}


def _index(table: list[list[Any]], key: object) -> int:
    """Return the row index of ``key`` in a ``[key, ...]`` table, -1 when absent."""
    return next((i for i, row in enumerate(table) if row[0] == key), -1)


def _strength(value: object) -> int:
    """Return a strength 0-3, or -1 when unknown."""
    try:
        return max(0, min(3, int(value)))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return -1


def actor_row(actor: Mapping[str, Any], *, tables: VocabTables,
              highlight: dict[str, str]) -> list[Any]:
    """Return the compact row of one actor with a location.

    Row: ``[id, lat, lon, name, [role indexes], kind index, flags, strength,
    status index, leaning index, contact person, last contact, highlight]``;
    indexes refer to :class:`VocabTables` (-1 = none), text escaped.
    """
    flags = ((FORMAL if actor.get("formal") else 0)
             | (OPPONENT if actor.get("leaning") == "opponent" else 0)
             | (COARSE if actor.get("location_precision") == "coarse" else 0))
    kind = _index(tables.kinds, actor.get("kind") or "place")
    return [
        esc(actor.get("id")), coord(actor["lat"]), coord(actor["lon"]),
        esc(actor.get("name") or "?"),
        [tables.role(str(r)) for r in actor.get("roles") or []],
        kind if kind >= 0 else _index(tables.kinds, "place"), flags,
        _strength(actor.get("strength")),
        _index(tables.statuses, actor.get("status")),
        _index(tables.leanings, actor.get("leaning")),
        esc(actor.get("contact_person") or ""), esc(format_date(actor.get("last_contact"))),
        highlight.get(str(actor.get("id")), ""),
    ]


def has_location(record: Mapping[str, Any]) -> bool:
    """Return True when a record has numeric ``lat`` and ``lon``."""
    try:
        float(record["lat"])
        float(record["lon"])
    except (KeyError, TypeError, ValueError):
        return False
    return True


def relation_style(actor: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``{weight, color, dash}`` of the organisation→actor line."""
    try:
        strength = int(actor.get("strength") or 0)
    except (TypeError, ValueError):
        strength = 0
    return {
        "weight": STRENGTH_WIDTHS.get(max(0, min(3, strength)), 1.0),
        "color": STATUS_COLOURS.get(str(actor.get("status") or ""), "#969696"),
        "dash": LEANING_DASHES.get(str(actor.get("leaning") or ""), ""),
    }


def link_rows(links: Iterable[Mapping[str, Any]],
              positions: dict[str, tuple[float, float]]) -> list[list[Any]]:
    """Return ``[lat1, lon1, lat2, lon2, weight, type]`` per actor-actor link with both ends."""
    rows: list[list[Any]] = []
    for link in links:
        a = positions.get(str(link.get("from_id")))
        b = positions.get(str(link.get("to_id")))
        if a is None or b is None:
            continue
        try:
            strength = int(link.get("strength") or 1)
        except (TypeError, ValueError):
            strength = 1
        rows.append([a[0], a[1], b[0], b[1], STRENGTH_WIDTHS.get(max(0, min(3, strength)), 2.0),
                     esc(link.get("type") or "")])
    return rows


def highlight_map(highlight: Mapping[str, Iterable[str]] | None) -> dict[str, str]:
    """Return ``id -> "new"|"changed"|"gone"`` from the meeting view's highlight dict."""
    out: dict[str, str] = {}
    for kind in HIGHLIGHTS:
        for key in (highlight or {}).get(kind, ()) or ():
            out[str(key)] = kind
    return out


#: Kinds of basemap labels (index in the label rows), see ``sources/basemap.py``.
LABEL_KINDS = ("major", "minor", "path", "water", "green", "square")
#: Labels are drawn from this zoom on (neighbourhood zoom; below it they clutter).
LABEL_MIN_ZOOM = 16


def label_text(label: Mapping[str, Any], lang: str) -> str:
    """Return the name of a basemap label in ``lang``.

    ``name:nl`` in Dutch, ``name:fr`` in French, else the (bilingual) ``name``.
    """
    own = {"nl": label.get("name_nl"), "fr": label.get("name_fr")}.get(lang)
    return str(own or label.get("name") or label.get("name_nl") or label.get("name_fr") or "")


def label_rows(basemap: Mapping[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """Return the labels the map draws: ``{kinds, minZoom, rows}``, None without any.

    Row: ``[kind index, escaped text, [lon, lat, lon, lat, ...]]`` (a run's line, or
    one point for a square, park or water area).
    """
    rows: list[list[Any]] = []
    for lbl in (basemap or {}).get("labels") or ():
        text = label_text(lbl, lang)
        kind = lbl.get("kind")
        if not text or kind not in LABEL_KINDS:
            continue
        coords = lbl.get("line") or [lbl.get("point") or []]
        flat = [float(v) for xy in coords for v in xy]
        if len(flat) >= 2:
            rows.append([LABEL_KINDS.index(kind), esc(text), flat])
    if not rows:
        return None
    return {"kinds": list(LABEL_KINDS), "minZoom": LABEL_MIN_ZOOM, "rows": rows}
