"""The :class:`Store`: maps, actors, links, contacts, history queries.

Every write method calls :meth:`Store.apply`, the one write path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa

from buurtkaart._errors import NotFoundError
from buurtkaart.store import backup as bk
from buurtkaart.store import erase
from buurtkaart.store import history as hist
from buurtkaart.store.actions import CREATE_MAP, action
from buurtkaart.store.engine import migrate
from buurtkaart.store.live import LiveMixin
from buurtkaart.store.maprefs import resolve as resolve_map
from buurtkaart.store.maps_api import MapsMixin
from buurtkaart.store.meetings import MeetingsMixin
from buurtkaart.store.places_api import PlacesMixin
from buurtkaart.store.records import parse_time
from buurtkaart.store.schema import events, maps
from buurtkaart.store.types import Actor, Contact, Event, Link, Map

TimeLike = str | datetime | date


class Store(MapsMixin, PlacesMixin, MeetingsMixin, LiveMixin):
    """A buurtkaart store (SQLite file or PostgreSQL database); open with ``open_store``."""

    # -- maps --------------------------------------------------------------
    @action(CREATE_MAP, scope="none")
    def create_map(self, user: str, *, name: str, org_name: str, lat: float, lon: float,
                   address: str | None = None, area: Any = None,
                   lang: str = "nl") -> Map:
        """Create a map; ``area`` is an ``Area`` or its ``to_dict()``."""
        data = {"name": name, "org_name": org_name, "lat": lat, "lon": lon,
                "address": address, "area": _area_dict(area), "lang": lang}
        return cast("Map", self.apply(user, None, "map", "insert", None, data))

    @action("read", map_arg="name_or_id")
    def get_map(self, name_or_id: str) -> Map:
        """Return a map by id or name; NotFoundError naming it."""
        with self._reading() as conn:
            map_id = resolve_map(conn, name_or_id)
            row = (None if map_id is None else
                   conn.execute(sa.select(maps).where(maps.c.id == map_id)).first())
        if row is None:
            msg = f"unknown map {name_or_id!r}"
            raise NotFoundError(msg)
        return cast("Map", dict(row._mapping))

    # -- actors ------------------------------------------------------------
    @action("edit_actors", map_arg="map_id")
    def add_actor(self, user: str, map_id: str, **fields: Any) -> Actor:
        """Add an actor (fields as in docs/store.md); returns it with ``version`` 1."""
        return cast("Actor", self.apply(user, map_id, "actor", "insert", None, fields))

    @action("edit_actors", entity="actor", id_arg="actor_id")
    def update_actor(self, user: str, actor_id: str, changes: Mapping[str, Any],
                     if_version: int | None = None) -> Actor:
        """Change fields of an actor, merging with newer edits of other fields.

        Raises
        ------
        ConflictError
            When ``if_version`` is older and the same field changed since.
        """
        record = self.apply(user, None, "actor", "update", actor_id, changes, if_version)
        return cast("Actor", record)

    @action("edit_actors", entity="actor", id_arg="actor_id")
    def delete_actor(self, user: str, actor_id: str,
                     if_version: int | None = None) -> Actor:
        """Delete an actor with its links and contact log (one event each)."""
        return cast("Actor", self.apply(user, None, "actor", "delete", actor_id, None, if_version))

    @action("forget", entity="actor", id_arg="actor_id")
    def forget_actor(self, user: str, actor_id: str, *,
                     vacuum: bool = True) -> list[dict[str, str]]:
        """Erase an actor: delete it, its contacts and links, redact its history.

        Leaves one tombstone event (entity ``actor``, op ``forget``) recording
        who erased it and when, without personal data. With ``vacuum`` (the
        default) the store files are then rewritten and checked (:meth:`vacuum`;
        StoreError when a reader blocks it). Returns the other records of the map
        whose free text still holds the name (entity, id, field), for the admin.
        """
        return self._erase(user, actor_id, vacuum)

    @action("read", entity="actor", id_arg="actor_id")
    def get_actor(self, actor_id: str) -> Actor:
        """Return one actor; NotFoundError when absent."""
        return cast("Actor", self.get("actor", actor_id))

    @action("read", map_arg="map_id")
    def list_actors(self, map_id: str) -> list[Actor]:
        """Return the actors of a map, by name."""
        record = sorted(self.records("actor", map_id), key=lambda a: a["name"].casefold())
        return cast("list[Actor]", record)

    # -- links and contacts ------------------------------------------------
    @action("edit_links", map_arg="map_id")
    def add_link(self, user: str, map_id: str, from_id: str, to_id: str, type: str,
                 strength: int = 1, note: str = "") -> Link:
        """Link two actors of a map (e.g. the key figure who opens doors at the mosque)."""
        data = {"from_id": from_id, "to_id": to_id, "type": type, "strength": strength,
                "note": note}
        return cast("Link", self.apply(user, map_id, "link", "insert", None, data))

    @action("read", map_arg="map_id")
    def list_links(self, map_id: str) -> list[Link]:
        """Return the links of a map."""
        return cast("list[Link]", self.records("link", map_id))

    @action("edit_links", entity="link", id_arg="link_id")
    def delete_link(self, user: str, link_id: str) -> Link:
        """Delete a link."""
        return cast("Link", self.apply(user, None, "link", "delete", link_id, None))

    @action("edit_contacts", entity="actor", id_arg="actor_id")
    def add_contact(self, user: str, actor_id: str, date: TimeLike, channel: str,
                    outcome: str, note: str = "") -> Contact:
        """Log a contact attempt; also moves the actor's ``last_contact`` forward."""
        with self.transaction():
            actor = self.get_actor(actor_id)
            data = {"actor_id": actor_id, "date": date, "user": user, "channel": channel,
                    "outcome": outcome, "note": note}
            contact = self.apply(user, actor["map_id"], "contact", "insert", None, data)
            if actor["last_contact"] is None or contact["date"] > actor["last_contact"]:
                self.apply(user, None, "actor", "update", actor_id,
                           {"last_contact": contact["date"]})
        return cast("Contact", contact)

    @action("read", map_arg="map_id", entity="actor", id_arg="actor_id")
    def list_contacts(self, map_id: str | None = None,
                      actor_id: str | None = None) -> list[Contact]:
        """Return contact log entries of a map and/or an actor, oldest first."""
        rows = self.records("contact", map_id, actor_id=actor_id)
        return cast("list[Contact]", sorted(rows, key=lambda c: (c["date"], c["created_at"])))

    # -- history -----------------------------------------------------------
    @action("read", id_arg="entity_id")
    def history(self, entity_id: str) -> list[Event]:
        """Return every event of one record, oldest first."""
        with self._reading() as conn:
            return cast("list[Event]", hist.history(conn, entity_id))

    @action("read", map_arg="map_id")
    def events_since(self, map_id: str, since: TimeLike) -> list[Event]:
        """Return the raw events of a map after ``since``, oldest first."""
        with self._reading() as conn:
            return cast("list[Event]", hist.events_since(conn, map_id, parse_time(since)))

    @action("read", map_arg="map_id")
    def changes_since(self, map_id: str, since: TimeLike) -> list[dict[str, Any]]:
        """Return changes after ``since`` grouped per record with a field-level diff."""
        with self._reading() as conn:
            return hist.changes(conn, events.c.map_id == map_id,
                                events.c.at > parse_time(since))

    @action("read", map_arg="map_id")
    def state_at(self, map_id: str, at: TimeLike) -> dict[str, list[dict[str, Any]]]:
        """Return every record of a map as it was at ``at`` (table name -> records)."""
        with self._reading() as conn:
            return hist.state_at(conn, map_id, parse_time(at))

    # -- backups -----------------------------------------------------------
    @action("backup", scope="store")
    def backup(self, out: str | Path) -> Path:
        """Write a consistent backup of the whole store to ``out`` (see :mod:`.backup`)."""
        return bk.backup(self._engines.url.render_as_string(hide_password=False), out)

    @action("restore", scope="store")
    def restore(self, path: str | Path, *, bring_back_forgotten: bool = False) -> list[str]:
        """Replace the whole store by the backup ``path``, then upgrade it to the current schema.

        Forget tombstones survive the restore: persons forgotten since the backup
        are erased again unless ``bring_back_forgotten``. Returns their actor ids.
        """
        stones = erase.tombstones(self._engines)
        self._engines.dispose()
        bk.restore(path, self._engines.url.render_as_string(hide_password=False))
        self._engines.dispose()
        migrate(self._engines)
        return self._after_restore(stones, bring_back_forgotten)


def _area_dict(area: Any) -> Any:
    return area.to_dict() if hasattr(area, "to_dict") else area
