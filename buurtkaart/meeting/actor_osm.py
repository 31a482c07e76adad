"""Changes that touch our actors: a place linked to an actor closed, moved or changed purpose.

An actor is linked to an OSM place by its ``osm_id``. In the meeting's OSM diff
(:class:`~buurtkaart.meeting.diff.DiffResult`) such a place can be *gone*, moved
(a pair whose points are :data:`~buurtkaart.meeting.match.MOVED_MIN_M` or more
apart, and the actor's point is not already at the new place), or have another
category (*purpose*). Each becomes a follow-up in plain words, e.g. "Gebedshuis
Al Amal, waar onze sleutelfiguur An actief is, is verhuisd (120 m)".

The team may move the actor's point (:func:`move_fields`: a normal actor update)
or keep it; "keep" is remembered as an ignored signal (:func:`keep_signal`, source
:data:`KEPT_SOURCE`) so the same change is not raised again. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from buurtkaart._errors import InputError
from buurtkaart.core.geo import distance_m
from buurtkaart.core.text import fold
from buurtkaart.i18n import label, t
from buurtkaart.meeting.match import MOVED_MIN_M, is_moved
from buurtkaart.meeting.sentences import kind_label

if TYPE_CHECKING:
    from buurtkaart.core.place import Place
    from buurtkaart.meeting.diff import Change, DiffResult

#: Signal source that remembers "keep the actor's point" for one change.
KEPT_SOURCE = "osm-actor-kept"


@dataclass(frozen=True)
class ActorPlaceChange:
    """One change of a place linked to an actor.

    Attributes
    ----------
    actor_id, actor_name : str
        The actor.
    kind : str
        ``"gone"``, ``"moved"`` or ``"purpose"``.
    key : str
        Identifies the change (``kind:old id>new id``), to remember "keep".
    text : str
        The follow-up in words.
    new : Place or None
        The place as it is now (None when gone).
    distance_m : float
        How far the place moved (metres; 0 when gone).
    """

    actor_id: str
    actor_name: str
    kind: str
    key: str
    text: str
    new: Place | None = None
    distance_m: float = 0.0


def _what(place: Place, lang: str) -> str:
    kind = kind_label(place, lang)
    kind = kind[:1].upper() + kind[1:]
    if place.name and fold(kind) in fold(place.name):  # not "Bakkerij Bakkerij Jan"
        return place.name
    return f"{kind} {place.name}" if place.name else kind


def _who(actor: Mapping[str, Any], lang: str) -> str:
    roles = list(actor.get("roles") or [])
    name = str(actor.get("name") or "")
    if not roles:
        return name
    role = label("role", roles[0], lang).lower()
    return t("actor_osm.who", lang, role=role, name=name)


def _sentence(kind: str, place: Place, actor: Mapping[str, Any], lang: str,
              change: Change | None) -> str:
    what, who = _what(place, lang), _who(actor, lang)
    if kind == "gone":
        return t("actor_osm.gone", lang, what=what, who=who)
    if kind == "moved" and change is not None:
        return t("actor_osm.moved", lang, what=what, who=who, m=round(change.moved_m))
    old = change.old if change is not None else place
    return t("actor_osm.purpose", lang, what=_what(old, lang), who=who,
             new=kind_label(place, lang),
             old=kind_label(old, lang))


def _near(actor: Mapping[str, Any], place: Place) -> bool:
    lat, lon = actor.get("lat"), actor.get("lon")
    if lat is None or lon is None:
        return False
    return distance_m(float(lat), float(lon), place.lat, place.lon) < MOVED_MIN_M


def _pair_kinds(actor: Mapping[str, Any], change: Change) -> list[str]:
    kinds = []
    if is_moved(change.old, change.new, change.moved_m) and not _near(actor, change.new):
        kinds.append("moved")
    if "category" in change.fields:
        kinds.append("purpose")
    return kinds


def actor_changes(actors: Iterable[Mapping[str, Any]], diff: DiffResult | None,
                  kept: set[tuple[str, str]] | None = None,
                  lang: str = "nl") -> list[ActorPlaceChange]:
    """Return the changes of places linked to actors, as follow-ups.

    Parameters
    ----------
    actors : iterable of dict
        The map's actors (``id``, ``name``, ``osm_id``, ``roles``, ``lat``, ``lon``).
    diff : DiffResult or None
        The meeting's OSM diff.
    kept : set of (actor id, key)
        Changes the team chose to keep (see :func:`kept_keys`).
    lang : str
        Language of the text.
    """
    if diff is None:
        return []
    by_osm: dict[str, list[Mapping[str, Any]]] = {}
    for actor in actors:
        if actor.get("osm_id"):
            by_osm.setdefault(str(actor["osm_id"]), []).append(actor)
    out: list[ActorPlaceChange] = []
    for place in diff.gone:
        for actor in by_osm.get(str(place.osm_id), []):
            key = f"gone:{place.osm_id}"
            out.append(ActorPlaceChange(str(actor["id"]), str(actor.get("name") or ""), "gone",
                                        key, _sentence("gone", place, actor, lang, None)))
    for change in diff.changed + diff.redrawn:
        ids = {str(change.old.osm_id), str(change.new.osm_id)}
        for actor in [a for i in ids for a in by_osm.get(i, [])]:
            for kind in _pair_kinds(actor, change):
                key = f"{kind}:{change.old.osm_id}>{change.new.osm_id}"
                out.append(ActorPlaceChange(
                    str(actor["id"]), str(actor.get("name") or ""), kind, key,
                    _sentence(kind, change.new, actor, lang, change), change.new,
                    round(change.moved_m, 1)))
    done = kept or set()
    return [c for c in out if (c.actor_id, c.key) not in done]


def kept_keys(signals: Iterable[Mapping[str, Any]]) -> set[tuple[str, str]]:
    """Return the (actor id, change key) pairs the team chose to keep."""
    out = set()
    for sig in signals:
        tags = list(sig.get("tags") or [])
        if sig.get("source") == KEPT_SOURCE and len(tags) >= 2:
            out.add((str(tags[0]), str(tags[1])))
    return out


def keep_signal(change: ActorPlaceChange, today: dt.date) -> dict[str, Any]:
    """Return the signal fields that remember "keep the actor's point" for ``change``."""
    where = change.new
    return {"date": today.isoformat(), "type": "other", "title": change.text,
            "source": KEPT_SOURCE, "status": "ignored",
            "tags": [change.actor_id, change.key],
            "lat": where.lat if where else None, "lon": where.lon if where else None}


def move_fields(change: ActorPlaceChange) -> dict[str, Any]:
    """Return the actor update that moves its point to the place's new location.

    Raises
    ------
    InputError
        For a gone place (there is no new location).
    """
    if change.new is None:
        msg = f"place of {change.actor_name!r} is gone: there is no new location"
        raise InputError(msg)
    return {"lat": change.new.lat, "lon": change.new.lon, "osm_id": change.new.osm_id}
