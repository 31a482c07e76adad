"""Pairing of places between two imports: by OSM id, by name, and "redrawn" pairs.

In OSM the most common edit to a shop, school or church is redrawing it: a
point becomes the building's outline, a way is replaced or becomes a
multipolygon relation. The place keeps its name and purpose but gets a new id.
:func:`match_redrawn` pairs such leftovers of the id match (the rules are in
``docs/meeting.md``). Pure: no I/O.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from shapely.geometry import Point, shape

from buurtkaart.core.geo import METRES_PER_DEGREE, distance_m
from buurtkaart.core.text import fold, name_key

if TYPE_CHECKING:
    from buurtkaart.core.place import Place

Pairs = list[tuple["Place", "Place"]]
Split = tuple[Pairs, list["Place"], list["Place"]]

#: A move (metres) smaller than this is drawing noise, not news.
MOVED_MIN_M = 20.0
#: Base distance (metres) between the points of a redrawn pair.
REDRAWN_DISTANCE_M = 75.0
#: Tags whose equal value is strong evidence of the same place (``designation`` and
#: ``description`` are free text: an equal value is written by the same hand).
STRONG_KEYS: tuple[str, ...] = ("brand", "website", "contact:website", "phone",
                                "contact:phone", "ref", "designation", "description")
#: Categories that one place may move between when it is retagged (family -> members).
FAMILIES: dict[str, frozenset[str]] = {
    "worship": frozenset({"worship_muslim", "worship_christian", "worship_jewish",
                          "worship_temple", "worship_other"}),
    "shop": frozenset({"shop", "shop_food", "market"}),
    "civic": frozenset({"community_centre", "youth_centre", "social_facility",
                        "association", "public_service", "culture", "library"}),
}
_HALVES = re.compile(r"\s+[-–/]\s+|\s*/\s*")
#: Words that say what kind of place it is, not which one ("Floris Café" = "Floris Bar").
GENERIC_WORDS = frozenset({"cafe", "bar", "pub", "restaurant", "brasserie", "taverne",
                           "snack", "ecole", "school", "kerk", "eglise",
                           "de", "la", "le", "les", "het", "the", "du", "des", "van"})


def name_keys(place: Place) -> frozenset[str]:
    """Return the comparable forms of a place's names.

    ``name``, ``name:nl``, ``name:fr`` and ``old_name``, each half of a bilingual
    ``"Nl - Fr"`` or ``"Nl / Fr"`` name, as :func:`~buurtkaart.core.text.name_key`,
    and each of these without its generic words (:data:`GENERIC_WORDS`).
    """
    values = [place.name, place.name_nl, place.name_fr, place.tags.get("old_name")]
    raw = [v for v in values if v]
    for value in list(raw):
        raw.extend(_HALVES.split(value))
    keys = {name_key(v) for v in raw}
    for key in list(keys):
        core = " ".join(w for w in key.split() if w not in GENERIC_WORDS)
        if len(core) >= 3:
            keys.add(core)
    return frozenset(k for k in keys if k)


def name_words(place: Place) -> list[frozenset[str]]:
    """Return the words (without generic ones) of each name form of a place."""
    return [frozenset(w for w in k.split() if w not in GENERIC_WORDS) for k in name_keys(place)]


def names_agree(a: Place, b: Place) -> bool:
    """Return True when two places share a name form, or one name's words are all in the other.

    E.g. ``"Émeraude"`` and ``"École Communale Mixte Nr. 2 Emeraude"``; the
    shorter name must keep at least 5 letters once generic words are dropped.
    """
    if name_keys(a) & name_keys(b):
        return True
    for x in name_words(a):
        for y in name_words(b):
            small = x if len(x) <= len(y) else y
            if sum(map(len, small)) >= 5 and (x <= y or y <= x):
                return True
    return False


def compatible(cat_a: str, cat_b: str) -> bool:
    """Return True when two categories are equal or of one family (:data:`FAMILIES`)."""
    return cat_a == cat_b or any(cat_a in f and cat_b in f for f in FAMILIES.values())


def _phone(value: str) -> str:
    """Return a phone number without international prefix, country code 32 or leading 0."""
    digits = re.sub(r"\D", "", value)
    digits = digits.removeprefix("00").removeprefix("32")  # +32 2 ... and 02 ... are one
    return digits.lstrip("0")


def strong_values(place: Place) -> set[tuple[str, str]]:
    """Return the strong identifiers of a place: address, brand, website, phone, ref."""
    tags = place.tags
    out: set[tuple[str, str]] = set()
    street, number = tags.get("addr:street"), tags.get("addr:housenumber")
    if street and number:
        out.add(("addr", f"{name_key(street)} {fold(number)}"))
    for key in STRONG_KEYS:
        value = tags.get(key)
        if not value:
            continue
        if "phone" in key:
            out.add(("phone", _phone(value)))
        elif "website" in key:
            out.add(("website", re.sub(r"^https?://(www\.)?|/+$", "", fold(value))))
        else:
            out.add((key, fold(value)))
    return out


def _coords(obj: Any) -> Iterator[tuple[float, float]]:
    """Yield every ``(lon, lat)`` of nested GeoJSON coordinates."""
    if obj and isinstance(obj[0], int | float):
        yield float(obj[0]), float(obj[1])
    elif obj:
        for item in obj:
            yield from _coords(item)


class Shapes:
    """Shapely outlines (with their bounds) and name forms of places, built once per place."""

    def __init__(self) -> None:
        self._cache: dict[int, Any] = {}
        self._bounds: dict[int, tuple[float, float, float, float]] = {}
        self._keys: dict[int, frozenset[str]] = {}

    def keys(self, place: Place) -> frozenset[str]:
        """Return :func:`name_keys` of a place (cached)."""
        key = id(place)
        if key not in self._keys:
            self._keys[key] = name_keys(place)
        return self._keys[key]

    def outline(self, place: Place) -> Any:
        """Return the shapely polygon of a place's outline, None for points and lines."""
        key = id(place)
        if key not in self._cache:
            geom = place.geometry
            poly = None
            if geom and geom.get("type") in ("Polygon", "MultiPolygon"):
                try:
                    poly = shape(geom)
                except (ValueError, TypeError, AttributeError):
                    poly = None
            self._cache[key] = poly if poly is not None and not poly.is_empty else None
        return self._cache[key]

    def bounds(self, place: Place) -> tuple[float, float, float, float] | None:
        """Return ``(west, south, east, north)`` of the outline, from its coordinates."""
        key = id(place)
        if key not in self._bounds:
            geom = place.geometry
            if not geom or geom.get("type") not in ("Polygon", "MultiPolygon"):
                return None
            lons, lats = zip(*_coords(geom.get("coordinates")), strict=True)
            self._bounds[key] = (min(lons), min(lats), max(lons), max(lats))
        return self._bounds[key]

    def size_m(self, place: Place) -> float:
        """Half the diagonal (metres) of the outline's bounding box; 0 for points."""
        box = self.bounds(place)
        if box is None:
            return 0.0
        w, s, e, n = box
        dx = (e - w) * METRES_PER_DEGREE * math.cos(math.radians((s + n) / 2))
        dy = (n - s) * METRES_PER_DEGREE
        return math.hypot(dx, dy) / 2

    def inside(self, point_of: Place, outline_of: Place) -> bool:
        """Return True when ``point_of``'s point lies in ``outline_of``'s outline."""
        box = self.bounds(outline_of)
        if box is None:
            return False
        w, s, e, n = box
        if not (w <= point_of.lon <= e and s <= point_of.lat <= n):
            return False
        poly = self.outline(outline_of)
        return poly is not None and bool(poly.covers(Point(point_of.lon, point_of.lat)))


def _near(a: Place, b: Place, shapes: Shapes, dist: float) -> bool:
    """Distance rule: one point inside the other's outline, or within the size + 75 m."""
    if shapes.inside(a, b) or shapes.inside(b, a):
        return True
    return dist <= REDRAWN_DISTANCE_M + max(shapes.size_m(a), shapes.size_m(b))


def same_place(a: Place, b: Place, shapes: Shapes, dist: float) -> bool:
    """Return True when ``a`` (old) and ``b`` (new) are one place redrawn under a new id."""
    if not _near(a, b, shapes, dist):
        return False
    keys_a, keys_b = shapes.keys(a), shapes.keys(b)
    if keys_a and keys_b:
        if not names_agree(a, b):
            return False
        return compatible(a.category, b.category) or bool(strong_values(a) & strong_values(b))
    # A name added or removed, or no name at all: the same category, and one lies
    # inside the other's outline or they share a strong identifier.
    return a.category == b.category and (
        shapes.inside(a, b) or shapes.inside(b, a) or bool(strong_values(a) & strong_values(b)))


def greedy(old: list[Place], new: list[Place],
           candidates: Iterable[tuple[float, ...]]) -> Split:
    """Pair ``(rank..., old index, new index)`` candidates best first, each place once.

    Candidates sort by their leading items (e.g. distance), then by the indexes.
    """
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: Pairs = []
    for cand in sorted(candidates):
        i, j = int(cand[-2]), int(cand[-1])
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((old[i], new[j]))
    rest_old = [p for i, p in enumerate(old) if i not in used_old]
    rest_new = [p for j, p in enumerate(new) if j not in used_new]
    return pairs, rest_old, rest_new


def match_by_id(old: list[Place], new: list[Place]) -> Split:
    """Pair places with the same OSM id."""
    new_by_id = {p.osm_id: p for p in new if p.osm_id}
    pairs: Pairs = []
    rest_old: list[Place] = []
    seen: set[str] = set()
    for place in old:
        other = new_by_id.get(place.osm_id) if place.osm_id else None
        if other is not None and place.osm_id not in seen:
            pairs.append((place, other))
            seen.add(other.osm_id or "")
        else:
            rest_old.append(place)
    rest_new = [p for p in new if not p.osm_id or p.osm_id not in seen]
    return pairs, rest_old, rest_new


def match_by_name(old: list[Place], new: list[Place], max_m: float) -> Split:
    """Greedy nearest match of id-less places: equal name + category within ``max_m``.

    Two places that both carry (different) OSM ids are left to :func:`match_redrawn`.
    """
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, place in enumerate(new):
        if place.name:
            groups[(fold(place.name), place.category)].append(j)
    candidates: list[tuple[float, int, int]] = []
    for i, place in enumerate(old):
        if not place.name:
            continue
        for j in groups.get((fold(place.name), place.category), []):
            other = new[j]
            if place.osm_id and other.osm_id:
                continue
            dist = distance_m(place.lat, place.lon, other.lat, other.lon)
            if dist <= max_m:
                candidates.append((dist, i, j))
    return greedy(old, new, candidates)


def _buckets(places: list[Place], key: Callable[[Place], Iterable[str]]
             ) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for j, place in enumerate(places):
        for k in key(place):
            out[k].append(j)
    return out


def _redrawn_keys(place: Place) -> Iterable[str]:
    """Bucket keys: every name form, every strong identifier, and the category."""
    yield from (f"n:{k}" for k in name_keys(place))
    yield from {f"w:{w}" for words in name_words(place) for w in words if len(w) >= 5}
    yield from (f"s:{k}={v}" for k, v in strong_values(place))
    yield f"c:{place.category}"


def match_redrawn(old: list[Place], new: list[Place]) -> Split:
    """Pair old and new places with different OSM ids that are the same place redrawn.

    Candidates share a name form, a strong identifier or a category; each is
    checked with :func:`same_place`. Pairs sharing a name come first, then
    nearest first.
    """
    buckets = _buckets(new, _redrawn_keys)
    shapes = Shapes()
    candidates: list[tuple[float, float, int, int]] = []
    for i, a in enumerate(old):
        if not a.osm_id:
            continue
        seen: set[int] = set()
        for k in _redrawn_keys(a):
            for j in buckets.get(k, ()):
                b = new[j]
                if j in seen or not b.osm_id or b.osm_id == a.osm_id:
                    continue
                seen.add(j)
                dist = distance_m(a.lat, a.lon, b.lat, b.lon)
                if same_place(a, b, shapes, dist):
                    named = bool(shapes.keys(a)) and names_agree(a, b)
                    candidates.append((0.0 if named else 1.0, dist, i, j))
    return greedy(old, new, candidates)


def moved_m(old: Place, new: Place) -> float:
    """Return how far the representative point moved (metres)."""
    return distance_m(old.lat, old.lon, new.lat, new.lon)


def is_moved(old: Place, new: Place, moved: float) -> bool:
    """Return True when a place moved :data:`MOVED_MIN_M` or more, not redrawn in place.

    A point that became the outline around it (or the reverse) did not move; only
    its centre did.
    """
    if moved < MOVED_MIN_M:
        return False
    shapes = Shapes()
    return not (shapes.inside(old, new) or shapes.inside(new, old))


def _shares_word(a: Place, b: Place) -> bool:
    words_a = {w for ws in name_words(a) for w in ws if len(w) >= 4}
    words_b = {w for ws in name_words(b) for w in ws if len(w) >= 4}
    return bool(words_a & words_b)


def match_merged(gone: list[Place], present: list[Place]) -> Split:
    """Pair gone places with the still-present place they were merged into.

    A gone place is merged (a duplicate removed, a part joined to the whole)
    when its point lies inside the outline of a present place of the same
    category, and it is unnamed or shares a name word (4+ letters) with it.
    """
    by_cat: dict[str, list[int]] = defaultdict(list)
    for j, place in enumerate(present):
        if place.geometry:
            by_cat[place.category].append(j)
    shapes = Shapes()
    candidates: list[tuple[float, int, int]] = []
    for i, a in enumerate(gone):
        named = bool(name_keys(a))
        for j in by_cat.get(a.category, ()):
            b = present[j]
            if shapes.inside(a, b) and (not named or _shares_word(a, b)):
                candidates.append((distance_m(a.lat, a.lon, b.lat, b.lon), i, j))
    pairs: Pairs = []
    used: set[int] = set()
    for _dist, i, j in sorted(candidates):  # a whole may take several parts
        if i not in used:
            used.add(i)
            pairs.append((gone[i], present[j]))
    return pairs, [p for i, p in enumerate(gone) if i not in used], []
