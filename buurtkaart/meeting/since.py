"""What changed since the previous meeting, from the store's event log; follow-ups.

Pure functions over event records (``id, map_id, entity, entity_id, op, user,
at, before, after``) and actor/contact records. :func:`since_last_meeting`
wires them to a :class:`~buurtkaart.store.Store`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta

from buurtkaart._errors import InputError
from buurtkaart.core.text import display_name
from buurtkaart.i18n import format_date, label, label_or_key, t
from buurtkaart.insights.unanswered import unanswered
from buurtkaart.meeting.sentences import sentence

#: Actor fields whose change is reported, with the vocabulary kind of their values.
ACTOR_FIELDS: dict[str, str | None] = {
    "roles": "role", "leaning": "leaning", "strength": "strength",
    "status": "status", "kind": "kind", "domain": "domain", "name": None,
}

#: Kinds of items in a :class:`SinceReport`, in display order; headings are the
#: catalog keys ``since.section.<kind>``.
SECTIONS: tuple[str, ...] = ("new_actor", "actor_change", "gone_actor", "relation", "contact",
                             "signal", "osm_new", "osm_gone", "osm_changed")


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
        return t("since.no_previous", self.lang) if self.first_meeting else ""

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


def _label(kind: str | None, value: Any, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(_label(kind, v, lang) for v in value) or "–"
    return label(kind, value, lang) if kind is not None else str(value)


def actor_changes(before: dict[str, Any], after: dict[str, Any], lang: str = "nl") -> list[str]:
    """Return readable changes of an actor, e.g. ``["Rollen: Neutrale speler → Partner"]``."""
    out = []
    for name, kind in ACTOR_FIELDS.items():
        a, b = before.get(name), after.get(name)
        if name == "roles":
            a, b = sorted(a or []), sorted(b or [])
        if a != b:
            out.append(f"{_field_label(name, lang)}: {_label(kind, a, lang)} → "
                       f"{_label(kind, b, lang)}")
    return out


def _field_label(name: str, lang: str) -> str:
    return t(f"since.field.{name}", lang)


def _name(actors: Mapping[str, Mapping[str, Any]], actor_id: Any) -> str:
    actor = actors.get(str(actor_id))
    return str(display_name(actor.get("name"), fallback=str(actor_id)) if actor else actor_id)


def _event_item(ev: Mapping[str, Any], actors: Mapping[str, Mapping[str, Any]],
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
            return Item("new_actor", "new", name, _label("role", rec.get("roles"), lang),
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
            parts = [f"{_field_label(k, lang)}: {_label(kind, a.get(k), lang)} → "
                     f"{_label(kind, b.get(k), lang)}"
                     for k, kind in (("type", "link_type"), ("strength", "strength"))
                     if a.get(k) != b.get(k)]
            if not parts:
                return None
            return Item("relation", "changed", pair, "; ".join(parts), **{**base, "lat": None,
                                                                          "lon": None})
        style = "new" if op == "insert" else "gone"
        detail = (f"{_label('link_type', rec.get('type'), lang)} "
                  f"({_label('strength', rec.get('strength'), lang)})")
        return Item("relation", style, pair, detail, **{**base, "lat": None, "lon": None})
    if entity == "contact" and op == "insert":
        actor = actors.get(str(rec.get("actor_id")), {})
        detail = " · ".join(x for x in (format_date(rec.get("date"), lang),
                                        _label("channel", rec.get("channel"), lang),
                                        _label("outcome", rec.get("outcome"), lang))
                            if x)
        user = str(rec.get("user") or base["user"])
        return Item("contact", "new", _name(actors, rec.get("actor_id")), detail,
                    **{**base, "user": user,
                       "users": tuple(dict.fromkeys((*base["users"], user))),
                       "lat": actor.get("lat"), "lon": actor.get("lon")})
    if entity == "signal" and op == "insert" and rec.get("status") != "ignored":
        detail = (f"{format_date(rec.get('date'), lang)} · "
                  f"{_label('signal_type', rec.get('type'), lang)}")
        return Item("signal", "new", str(rec.get("title") or "?"), detail, **base)
    return None


def summarize(events: Iterable[Mapping[str, Any]], since: str | None, lang: str = "nl",
              actors: Iterable[Mapping[str, Any]] = (), diff: Any = None) -> SinceReport:
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
    reason: str  # "no_contact" | "review" | "no_answer"
    last: str | None  # last contact, review date or (no_answer) last attempt
    contact_person: str
    status: str = ""
    failed: int = 0  # no_answer: failed attempts in a row


def follow_ups(actors: Iterable[Mapping[str, Any]], contacts: Iterable[Mapping[str, Any]],
               today: dt.date, months: int = 3, worker: str | None = None) -> list[FollowUp]:
    """Return actors without contact for more than ``months`` months, passed reviews, and
    active ties whose last attempts got no answer.

    The last contact is the later of the actor's ``last_contact`` and its
    latest contact record. Paused actors are not chased for contact. A status
    ``in_conversation`` or ``cooperating`` whose latest attempts all failed
    (:func:`buurtkaart.insights.unanswered.unanswered`) is a ``no_answer`` follow-up.
    """
    if months < 0:
        msg = f"months must be >= 0, got {months}"
        raise InputError(msg)
    actors, contacts = list(actors), list(contacts)
    doubts = {str(i["id"]): i for i in unanswered(actors, contacts)["items"]}
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
        undated = a.get("kind") == "person" and not review  # a person always gets reviewed
        if undated or (review and review < today.isoformat()):
            out.append(FollowUp(str(a["id"]), str(a.get("name")), "review", review or None,
                                person))
        doubt = doubts.get(str(a["id"]))
        if doubt is not None:
            out.append(FollowUp(str(a["id"]), str(a.get("name")), "no_answer",
                                doubt["last_attempt"], person, str(a.get("status") or ""),
                                int(doubt["failed"])))
    return sorted(out, key=lambda f: (f.reason, f.last or "", f.name))
