"""What changed since the previous meeting, from the store's event log; follow-ups.

Pure functions over event records (``id, map_id, entity, entity_id, op, user,
at, before, after``) and actor/contact records. :func:`since_last_meeting`
wires them to a :class:`~buurtkaart.store.Store`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta

from buurtkaart._errors import InputError
from buurtkaart.core import vocab
from buurtkaart.core.categories import label_or_key
from buurtkaart.core.text import display_name
from buurtkaart.meeting.sentences import sentence

#: Actor fields whose change is reported, with the vocabulary table of their values.
ACTOR_FIELDS: dict[str, dict[Any, tuple[str, str, str]] | None] = {
    "roles": vocab.ROLES, "leaning": vocab.LEANINGS, "strength": vocab.STRENGTHS,
    "status": vocab.STATUSES, "kind": vocab.KINDS, "domain": vocab.DOMAINS, "name": None,
}

#: Kinds of items in a :class:`SinceReport`, in display order, with nl/fr/en headings.
SECTIONS: dict[str, tuple[str, str, str]] = {
    "new_actor": ("Nieuwe actoren", "Nouveaux acteurs", "New actors"),
    "actor_change": ("Gewijzigde actoren", "Acteurs modifiés", "Changed actors"),
    "gone_actor": ("Verwijderde actoren", "Acteurs supprimés", "Removed actors"),
    "relation": ("Relaties", "Relations", "Relations"),
    "contact": ("Nieuwe contacten", "Nouveaux contacts", "New contacts"),
    "signal": ("Nieuwe signalen", "Nouveaux signaux", "New signals"),
    "osm_new": ("Nieuwe OSM-plekken", "Nouveaux lieux OSM", "New OSM places"),
    "osm_gone": ("Gesloten OSM-plekken", "Lieux OSM fermés", "Closed OSM places"),
    "osm_changed": ("Gewijzigde OSM-plekken", "Lieux OSM modifiés", "Changed OSM places"),
}

NO_PREVIOUS = {
    "nl": "Nog geen vorige vergadering: alles tot nu toe wordt getoond.",
    "fr": "Pas encore de réunion précédente : tout ce qui existe est affiché.",
    "en": "No previous meeting yet: everything so far is shown.",
}


@dataclass(frozen=True)
class Item:
    """One line of the "since the last meeting" list.

    ``style`` is ``new``, ``changed`` or ``gone`` (how the map marks it).
    """

    section: str
    style: str
    title: str
    detail: str
    user: str
    at: str
    entity_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    users: tuple[str, ...] = ()

    def by(self, worker: str) -> bool:
        """Return True when ``worker`` made (part of) this change."""
        return worker == self.user or worker in self.users


@dataclass
class SinceReport:
    """Changes since ``since`` (None = no previous meeting: everything so far)."""

    since: str | None
    items: list[Item] = field(default_factory=list)
    lang: str = "nl"

    @property
    def first_meeting(self) -> bool:
        """True when there is no previous meeting."""
        return self.since is None

    def message(self) -> str:
        """Return the notice shown above the list (empty when there was a meeting)."""
        return NO_PREVIOUS.get(self.lang, NO_PREVIOUS["nl"]) if self.first_meeting else ""

    def by_section(self) -> dict[str, list[Item]]:
        """Return the items grouped per section, in :data:`SECTIONS` order."""
        return {s: [i for i in self.items if i.section == s] for s in SECTIONS
                if any(i.section == s for i in self.items)}

    def users(self) -> list[str]:
        """Return the workers who made the changes (for the filter)."""
        return sorted({u for i in self.items for u in (i.user, *i.users)
                       if u and u != "osm"})

    def for_user(self, user: str | None) -> SinceReport:
        """Return the report restricted to the changes of one worker (None = all)."""
        if not user:
            return self
        return SinceReport(self.since, [i for i in self.items if i.by(user)], self.lang)


def _label(table: dict[Any, tuple[str, str, str]] | None, value: Any, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(_label(table, v, lang) for v in value) or "–"
    return vocab.label(table, value, lang) if table is not None else str(value)


def actor_changes(before: dict[str, Any], after: dict[str, Any], lang: str = "nl") -> list[str]:
    """Return readable changes of an actor, e.g. ``["Rollen: Neutrale speler → Partner"]``."""
    out = []
    for name, table in ACTOR_FIELDS.items():
        a, b = before.get(name), after.get(name)
        if name == "roles":
            a, b = sorted(a or []), sorted(b or [])
        if a != b:
            out.append(f"{_field_label(name, lang)}: {_label(table, a, lang)} → "
                       f"{_label(table, b, lang)}")
    return out


_FIELD_LABELS = {
    "roles": ("Rol", "Rôle", "Role"), "leaning": ("Houding", "Attitude", "Leaning"),
    "strength": ("Sterkte", "Intensité", "Strength"), "status": ("Status", "Statut", "Status"),
    "kind": ("Soort", "Type", "Kind"), "domain": ("Domein", "Domaine", "Domain"),
    "name": ("Naam", "Nom", "Name"), "type": ("Type", "Type", "Type"),
    "category": ("Categorie", "Catégorie", "Category"),
}


def _field_label(name: str, lang: str) -> str:
    return vocab.label(_FIELD_LABELS, name, lang)


def _name(actors: dict[str, dict[str, Any]], actor_id: Any) -> str:
    actor = actors.get(str(actor_id))
    return str(display_name(actor.get("name"), fallback=str(actor_id)) if actor else actor_id)


def _event_item(ev: dict[str, Any], actors: dict[str, dict[str, Any]],
                lang: str) -> Item | None:
    entity, op = ev.get("entity"), ev.get("op")
    if op == "forget":
        op = "delete"
    ops = ev.get("ops") or []
    if op == "delete" and ops and ops[0] == "insert":
        return None  # added and removed again within the period
    rec = ev.get("after") or ev.get("before") or {}
    users = tuple(str(u) for u in ev.get("users") or [ev.get("user") or ""] if u)
    base: dict[str, Any] = {
        "user": users[-1] if users else "", "users": users,
        "at": str(ev.get("at") or ev.get("last_at") or ""),
        "entity_id": ev.get("entity_id"), "lat": rec.get("lat"), "lon": rec.get("lon")}
    if entity == "actor":
        name = str(rec.get("name") or "?")
        if op == "insert":
            return Item("new_actor", "new", name, _label(vocab.ROLES, rec.get("roles"), lang),
                        **base)
        if op == "delete":
            return Item("gone_actor", "gone", name, "", **base)
        changes = actor_changes(ev.get("before") or {}, ev.get("after") or {}, lang)
        return Item("actor_change", "changed", name, "; ".join(changes), **base) if changes \
            else None
    if entity == "link":
        pair = f"{_name(actors, rec.get('from_id'))} — {_name(actors, rec.get('to_id'))}"
        if op == "update":
            a, b = ev.get("before") or {}, ev.get("after") or {}
            parts = [f"{_field_label(k, lang)}: {_label(t, a.get(k), lang)} → "
                     f"{_label(t, b.get(k), lang)}"
                     for k, t in (("type", vocab.LINK_TYPES), ("strength", vocab.STRENGTHS))
                     if a.get(k) != b.get(k)]
            if not parts:
                return None
            return Item("relation", "changed", pair, "; ".join(parts), **{**base, "lat": None,
                                                                          "lon": None})
        style = "new" if op == "insert" else "gone"
        detail = (f"{_label(vocab.LINK_TYPES, rec.get('type'), lang)} "
                  f"({_label(vocab.STRENGTHS, rec.get('strength'), lang)})")
        return Item("relation", style, pair, detail, **{**base, "lat": None, "lon": None})
    if entity == "contact" and op == "insert":
        actor = actors.get(str(rec.get("actor_id")), {})
        detail = " · ".join(x for x in (str(rec.get("date") or ""),
                                        _label(vocab.CHANNELS, rec.get("channel"), lang),
                                        _label(vocab.CONTACT_OUTCOMES, rec.get("outcome"), lang))
                            if x)
        user = str(rec.get("user") or base["user"])
        return Item("contact", "new", _name(actors, rec.get("actor_id")), detail,
                    **{**base, "user": user, "users": (*base["users"], user),
                       "lat": actor.get("lat"), "lon": actor.get("lon")})
    if entity == "signal" and op == "insert" and rec.get("status") != "ignored":
        detail = f"{rec.get('date') or ''} · {_label(vocab.SIGNAL_TYPES, rec.get('type'), lang)}"
        return Item("signal", "new", str(rec.get("title") or "?"), detail, **base)
    return None


def summarize(events: Iterable[dict[str, Any]], since: str | None, lang: str = "nl",
              actors: Iterable[dict[str, Any]] = (), diff: Any = None) -> SinceReport:
    """Build the "since the last meeting" list.

    Parameters
    ----------
    events : iterable of dict
        Raw event records (``Store.events_since``: ``user``, ``at``) or changes
        grouped per record (``Store.changes_since``: ``users``, ``last_at``,
        net ``op``), after ``since``.
    since : str or None
        Time of the previous meeting; None when there is none.
    lang : str
        Language of the labels.
    actors : iterable of dict
        Current actors, to name the two ends of a relation and locate contacts.
    diff : DiffResult, optional
        OSM diff between the import before ``since`` and the latest one.
    """
    by_id = {str(a["id"]): a for a in actors}
    report = SinceReport(since, lang=lang)
    for ev in sorted(events, key=lambda e: str(e.get("at") or e.get("last_at") or "")):
        item = _event_item(ev, by_id, lang)
        if item is not None:
            report.items.append(item)
    if diff is not None:
        report.items.extend(osm_items(diff, lang))
    return report


def osm_items(diff: Any, lang: str = "nl") -> list[Item]:
    """Return list items for the new, gone and changed places of an OSM diff."""
    def cat(key: str) -> str:
        return label_or_key(key, lang)

    out = [Item("osm_new", "new", p.name or cat(p.category), cat(p.category), "osm", "",
                p.osm_id, p.lat, p.lon) for p in diff.new]
    out += [Item("osm_gone", "gone", p.name or cat(p.category), cat(p.category), "osm", "",
                 p.osm_id, p.lat, p.lon) for p in diff.gone]
    out += [Item("osm_changed", "changed", c.new.name or cat(c.new.category),
                 sentence(c, lang),
                 "osm", "", c.new.osm_id, c.new.lat, c.new.lon) for c in diff.changed]
    return out


@dataclass(frozen=True)
class FollowUp:
    """An actor that needs attention: no contact for too long, or review date passed."""

    actor_id: str
    name: str
    reason: str  # "no_contact" | "review"
    last: str | None  # last contact or review date
    contact_person: str


def follow_ups(actors: Iterable[dict[str, Any]], contacts: Iterable[dict[str, Any]],
               today: dt.date, months: int = 3, worker: str | None = None) -> list[FollowUp]:
    """Return actors without contact for more than ``months`` months, and passed reviews.

    The last contact is the later of the actor's ``last_contact`` and its
    latest contact record. Paused actors are not chased for contact.
    """
    if months < 0:
        msg = f"months must be >= 0, got {months}"
        raise InputError(msg)
    latest: dict[str, str] = {}
    for c in contacts:
        key = str(c.get("actor_id"))
        latest[key] = max(latest.get(key, ""), str(c.get("date") or "")[:10])
    limit = (today - relativedelta(months=months)).isoformat()
    out: list[FollowUp] = []
    for a in actors:
        person = str(a.get("contact_person") or "")
        if worker and person != worker:
            continue
        last = max(str(a.get("last_contact") or "")[:10], latest.get(str(a["id"]), "")) or None
        if a.get("status") != "paused" and (last is None or last < limit):
            out.append(FollowUp(str(a["id"]), str(a.get("name")), "no_contact", last, person))
        review = str(a.get("review_date") or "")[:10]
        if review and review < today.isoformat():
            out.append(FollowUp(str(a["id"]), str(a.get("name")), "review", review, person))
    return sorted(out, key=lambda f: (f.reason, f.last or "", f.name))
