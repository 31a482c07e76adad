"""OSM change detection: which places are new, gone, redrawn or changed between two imports.

Places are matched by OSM id. Where a place has no id (GeoJSON exports without
ids), it is matched by normalised name + category within
:data:`MATCH_DISTANCE_M` metres. The rest with ids are then paired when they
are the same place redrawn under a new id (:mod:`.match`). Pure: no I/O.

The JSON shape of :meth:`DiffResult.to_json` is documented in ``docs/meeting.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from shapely.geometry import shape

from buurtkaart._errors import InputError
from buurtkaart.core.geo import distance_m
from buurtkaart.core.text import fold
from buurtkaart.i18n import t
from buurtkaart.meeting.match import (
    is_moved,
    match_by_id,
    match_by_name,
    match_merged,
    match_redrawn,
    moved_m,
)

if TYPE_CHECKING:
    from buurtkaart.core.area import Area
    from buurtkaart.core.place import Place

#: Largest distance (metres) between two id-less places matched by name + category.
MATCH_DISTANCE_M = 30.0

#: Tags whose change makes a place "changed" (besides name and category).
KEY_TAGS: tuple[str, ...] = (
    "name", "amenity", "shop", "office", "craft", "leisure", "tourism", "healthcare",
    "social_facility", "religion", "denomination", "club",
)

@dataclass(frozen=True)
class Change:
    """One place present in both imports whose name, category or key tags differ.

    Attributes
    ----------
    old, new : Place
        The two versions.
    fields : dict
        ``field -> (old value, new value)``; fields are ``name``, ``category``
        and ``tag:<key>`` for each differing key tag.
    match : str
        ``"osm_id"``, ``"name+category+distance"`` or ``"redrawn"`` (new id).
    moved_m : float
        Distance between the two representative points (metres).
    """

    old: Place
    new: Place
    fields: dict[str, tuple[str | None, str | None]]
    match: str = "osm_id"
    moved_m: float = 0.0


@dataclass
class DiffResult:
    """Result of :func:`diff_places`.

    ``redrawn`` holds the pairs matched under a new id whose name, category and
    key tags are equal (a redrawn pair with other changes is in ``changed``).
    ``merged`` holds old places that are no closure: a duplicate or a part
    removed, inside the outline of the place that is still there (``Change.new``).
    """

    new: list[Place] = field(default_factory=list)
    gone: list[Place] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    redrawn: list[Change] = field(default_factory=list)
    merged: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return the number of new, gone, changed, redrawn, merged and unchanged places."""
        return {"new": len(self.new), "gone": len(self.gone),
                "changed": len(self.changed), "redrawn": len(self.redrawn),
                "merged": len(self.merged), "unchanged": self.unchanged}

    def highlight(self) -> dict[str, list[str]]:
        """Return ``{"new", "changed", "gone"} -> place keys`` for the map builder."""
        return {"new": [place_key(p) for p in self.new],
                "changed": [place_key(c.new) for c in self.changed],
                "gone": [place_key(p) for p in self.gone]}

    def to_json(self) -> dict[str, Any]:
        """Return the documented JSON shape (see ``docs/meeting.md``)."""
        return {
            "new": [_place_entry(p, "tags") for p in self.new],
            "gone": [_place_entry(p, "old_tags") for p in self.gone],
            "changed": [_change_entry(c) for c in self.changed],
            "redrawn": [_change_entry(c) for c in self.redrawn],
            "merged": [_change_entry(c) for c in self.merged],
            "counts": self.counts(),
        }


def place_key(place: Place) -> str:
    """Return a stable key of a place: its OSM id, else ``name@lat,lon``."""
    if place.osm_id:
        return place.osm_id
    return f"{place.name or ''}@{place.lat:.6f},{place.lon:.6f}"


def _place_entry(place: Place, tags_key: str) -> dict[str, Any]:
    return {"osm_id": place.osm_id, "name": place.name, "category": place.category,
            "lat": round(place.lat, 7), "lon": round(place.lon, 7),
            tags_key: dict(place.tags)}


def _change_entry(change: Change) -> dict[str, Any]:
    new = change.new
    return {
        "osm_id": new.osm_id or change.old.osm_id, "name": new.name,
        "category": new.category, "lat": round(new.lat, 7), "lon": round(new.lon, 7),
        "changes": {k: [a, b] for k, (a, b) in change.fields.items()},
        "old_name": change.old.name, "old_category": change.old.category,
        "old_tags": dict(change.old.tags), "new_tags": dict(new.tags),
        "match": change.match, "old_osm_id": change.old.osm_id,
        "moved_m": round(change.moved_m, 1),
    }


def compare(old: Place, new: Place) -> dict[str, tuple[str | None, str | None]]:
    """Return the differing fields of two versions of one place (empty when equal).

    Names are compared case-, accent- and whitespace-insensitively.
    """
    fields: dict[str, tuple[str | None, str | None]] = {}
    if fold(old.name) != fold(new.name):  # spelling-only edits are not news
        fields["name"] = (old.name, new.name)
    if old.category != new.category:
        fields["category"] = (old.category, new.category)
    for key in KEY_TAGS[1:]:
        a, b = old.tags.get(key), new.tags.get(key)
        if a != b:
            fields[f"tag:{key}"] = (a, b)
    return fields


def _in_area(places: Iterable[Place], area: Area | None) -> list[Place]:
    """Keep the places inside ``area``: polygons that touch it, points inside it."""
    if area is None:
        return list(places)

    out = []
    for p in places:
        # The representative point lies inside the outline: when it is in the area, so
        # is (part of) the outline, without building the polygon.
        inside = area.contains(p.lat, p.lon)
        if not inside and p.geometry and p.geometry.get("type") not in (None, "Point"):
            inside = area.intersects(shape(p.geometry))
        if inside:
            out.append(p)
    return out


def diff_places(old: Sequence[Place], new: Sequence[Place], area: Area | None = None,
                max_distance_m: float = MATCH_DISTANCE_M) -> DiffResult:
    """Compare two imports of the same area.

    Parameters
    ----------
    old, new : sequence of Place
        The previous and the newer import.
    area : Area, optional
        Only places inside this area are compared (both sides).
    max_distance_m : float
        Largest distance for the name + category match of id-less places.

    Returns
    -------
    DiffResult
        New, gone, changed, redrawn and merged places, sorted by category then name.
    """
    if max_distance_m < 0:
        msg = f"max_distance_m must be >= 0, got {max_distance_m}"
        raise InputError(msg)
    old_in, new_in = _in_area(old, area), _in_area(new, area)
    id_pairs, rest_old, rest_new = match_by_id(old_in, new_in)
    name_pairs, rest_old, rest_new = match_by_name(rest_old, rest_new, max_distance_m)
    redrawn_pairs, gone, added = match_redrawn(rest_old, rest_new)
    present = [b for _a, b in id_pairs + name_pairs + redrawn_pairs]
    merged_pairs, gone, _ = match_merged(gone, present)
    result = DiffResult(new=_sorted(added), gone=_sorted(gone))
    result.merged = [Change(a, b, compare(a, b), "merged", moved_m(a, b))
                     for a, b in merged_pairs]
    for pairs, how in ((id_pairs, "osm_id"), (name_pairs, "name+category+distance"),
                       (redrawn_pairs, "redrawn")):
        for a, b in pairs:
            fields = compare(a, b)
            change = Change(a, b, fields, how, moved_m(a, b))
            # A move alone is news (same id); a name match of id-less places is not exact.
            if fields or (how == "osm_id" and is_moved(a, b, change.moved_m)):
                result.changed.append(change)
            elif how == "redrawn":
                result.redrawn.append(change)
            else:
                result.unchanged += 1
    for changes in (result.changed, result.redrawn, result.merged):
        changes.sort(key=lambda c: (c.new.category, c.new.name or "", place_key(c.new)))
    return result


def _sorted(places: list[Place]) -> list[Place]:
    return sorted(places, key=lambda p: (p.category, p.name or "", place_key(p)))


def ensure_same_area(old: dict[str, Any] | None, new: dict[str, Any] | None,
                     tolerance_m: float = 1.0) -> None:
    """Raise :class:`InputError` unless two stored areas (``Area.to_dict()``) are the same.

    Parameters
    ----------
    old, new : dict or None
        Areas of the two imports, as stored.
    tolerance_m : float
        Largest centre shift (metres) still treated as the same area.
    """
    if not old or not new:
        return
    a_label, b_label = old.get("label", "?"), new.get("label", "?")
    if old.get("kind") != new.get("kind"):
        msg = (f"cannot compare imports of different areas: {a_label!r} is a "
               f"{old.get('kind')}, {b_label!r} is a {new.get('kind')}")
        raise InputError(msg)
    ca, cb = old.get("center"), new.get("center")
    if ca and cb and distance_m(ca[0], ca[1], cb[0], cb[1]) > tolerance_m:
        msg = (f"cannot compare imports of different areas: {a_label!r} centred at "
               f"{tuple(ca)} and {b_label!r} centred at {tuple(cb)}")
        raise InputError(msg)
    for key in ("radius_m", "geometry", "minutes"):
        if key in old and key in new and old[key] != new[key]:
            msg = (f"cannot compare imports of different areas: {key} differs "
                   f"({a_label!r}: {old[key]!r} vs {b_label!r}: {new[key]!r})")
            raise InputError(msg)


def ensure_newer(old: tuple[str, dt.datetime | None, str],
                 new: tuple[str, dt.datetime | None, str], lang: str = "en") -> str:
    """Raise :class:`InputError` when the "newer" extract is older than the previous one.

    Parameters
    ----------
    old, new : tuple
        ``(file name, time or None, basis)`` of each extract; basis is ``"header"``
        (the file header's timestamp), ``"data"`` (the newest object) or ``"none"``.
    lang : str
        Language of the message.

    Returns
    -------
    str
        How the two were compared: ``"header"``, ``"data"``, ``"header/data"``, or
        ``"none"`` when one of them has no time (then nothing can be refused).
    """
    (old_name, old_when, old_basis), (new_name, new_when, new_basis) = old, new
    if old_when is None or new_when is None:
        return "none"
    basis = old_basis if old_basis == new_basis else f"{old_basis}/{new_basis}"
    if new_when < old_when:
        words = " / ".join(t(f"diff.basis.{b}", lang) for b in dict.fromkeys(
            (old_basis, new_basis)))
        msg = t("diff.refused_older", lang, new=new_name, new_time=_stamp(new_when),
                old=old_name, old_time=_stamp(old_when), basis=words)
        raise InputError(msg)
    return basis


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
