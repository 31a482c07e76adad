"""Typed records of the store: one TypedDict per entity, checked against ``FIELDS``.

The keys of each record type are the fields of its entity in
:data:`buurtkaart.store.records.FIELDS`, plus ``id`` and the bookkeeping
fields (:data:`~buurtkaart.store.records.BOOKKEEPING`); a test fails when the
two drift apart. Dates and times are ISO 8601 strings, as the store returns
them. The store and the app both import these types.
"""

from __future__ import annotations

from typing import Any, TypedDict


class _Kept(TypedDict):
    """``id`` and the bookkeeping fields every entity record carries."""

    id: str
    created_by: str
    created_at: str
    updated_by: str
    updated_at: str
    version: int


class Map(_Kept):
    """One organisation's map (entity ``map``)."""

    name: str
    org_name: str | None
    address: str | None
    lat: float | None
    lon: float | None
    area: Any
    lang: str | None
    archived_at: str | None


class Actor(_Kept):
    """An organisation, person, group... on a map (entity ``actor``)."""

    map_id: str
    osm_id: str | None
    name: str
    kind: str | None
    formal: bool | None
    roles: list[str]
    domain: str | None
    strength: int | None
    status: str | None
    leaning: str | None
    contact_person: str | None
    last_contact: str | None
    notes: str | None
    tags: list[Any]
    lat: float | None
    lon: float | None
    location_precision: str | None
    privacy: str | None
    review_date: str | None
    category: str | None
    source: str | None


class Link(_Kept):
    """A relation between two actors (entity ``link``)."""

    map_id: str
    from_id: str
    to_id: str
    type: str | None
    strength: int | None
    note: str | None


class Contact(_Kept):
    """One logged contact attempt with an actor (entity ``contact``)."""

    map_id: str
    actor_id: str
    date: str
    user: str | None
    channel: str | None
    outcome: str | None
    note: str | None


class Signal(_Kept):
    """A neighbourhood signal (entity ``signal``)."""

    map_id: str
    date: str
    type: str | None
    title: str
    description: str | None
    lat: float | None
    lon: float | None
    area: Any
    source: str | None
    tags: list[Any]
    status: str | None


class AgendaItem(_Kept):
    """An agenda item, possibly repeating (entity ``agenda``)."""

    map_id: str
    title: str
    start: str
    rrule: str | None
    place: str | None
    category: str | None
    lat: float | None
    lon: float | None
    note: str | None


class Meeting(_Kept):
    """A team meeting (entity ``meeting``)."""

    map_id: str
    date: str
    title: str | None
    attendees: list[Any]
    notes: str | None
    decisions: list[Any]
    actions: Any


class Reflection(_Kept):
    """A domain reflection (entity ``reflection``)."""

    map_id: str
    meeting_id: str | None
    date: str
    domain: str
    factor: str
    score: int
    dimension: str | None
    note: str | None


class Import(_Kept):
    """One pull of OSM places (entity ``import``)."""

    map_id: str
    source: str
    source_hash: str | None
    area: Any
    place_count: int | None


class Dismissal(_Kept):
    """An OSM place marked as not relevant for a map (entity ``dismissal``)."""

    map_id: str
    osm_id: str


class Event(TypedDict):
    """One entry of the event log (every write leaves one)."""

    id: str
    map_id: str | None
    entity: str
    entity_id: str
    op: str
    user: str
    at: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class User(TypedDict):
    """A local account (table ``users``; the password hash is never returned)."""

    name: str
    created_at: str
    disabled: bool
    session_version: int


class Membership(TypedDict):
    """A user's role on a map (table ``memberships``)."""

    map_id: str
    user_name: str
    role: str


#: Entity -> its record type (the types checked against ``FIELDS``).
RECORD_TYPES: dict[str, type] = {
    "map": Map, "actor": Actor, "link": Link, "contact": Contact, "signal": Signal,
    "agenda": AgendaItem, "meeting": Meeting, "reflection": Reflection, "import": Import,
    "dismissal": Dismissal,
}

#: Any entity record (``Store.get``/``Store.records`` return one of these).
Record = (Map | Actor | Link | Contact | Signal | AgendaItem | Meeting | Reflection | Import
          | Dismissal)
