"""The :class:`Store`: maps, actors, links, contacts, history queries.

Every write method calls :meth:`Store.apply`, the one write path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from buurtkaart._errors import NotFoundError
from buurtkaart.store import history as hist
from buurtkaart.store.meetings import MeetingsMixin
from buurtkaart.store.places_api import PlacesMixin
from buurtkaart.store.records import parse_time
from buurtkaart.store.schema import maps

TimeLike = str | datetime | date


class Store(PlacesMixin, MeetingsMixin):
    """A buurtkaart store (SQLite file or PostgreSQL database); open with ``open_store``."""

    # -- maps --------------------------------------------------------------
    def create_map(self, user: str, *, name: str, org_name: str, lat: float, lon: float,
                   address: str | None = None, area: Any = None,
                   lang: str = "nl") -> dict[str, Any]:
        """Create a map; ``area`` is an ``Area`` or its ``to_dict()``."""
        data = {"name": name, "org_name": org_name, "lat": lat, "lon": lon,
                "address": address, "area": _area_dict(area), "lang": lang}
        return self.apply(user, None, "map", "insert", None, data)

    def get_map(self, name_or_id: str) -> dict[str, Any]:
        """Return a map by id or name; NotFoundError naming it."""
        with self._reading() as conn:
            row = conn.execute(sa.select(maps).where(maps.c.id == name_or_id)).first()
            if row is None:
                row = conn.execute(sa.select(maps).where(maps.c.name == name_or_id)).first()
        if row is None:
            msg = f"unknown map {name_or_id!r}"
            raise NotFoundError(msg)
        return dict(row._mapping)

    def list_maps(self) -> list[dict[str, Any]]:
        """Return every map, by name."""
        return sorted(self.records("map"), key=lambda m: m["name"].casefold())

    def update_map(self, user: str, map_id: str, changes: Mapping[str, Any],
                   if_version: int | None = None) -> dict[str, Any]:
        """Change fields of a map."""
        data = dict(changes)
        if "area" in data:
            data["area"] = _area_dict(data["area"])
        return self.apply(user, map_id, "map", "update", map_id, data, if_version)

    # -- actors ------------------------------------------------------------
    def add_actor(self, user: str, map_id: str, **fields: Any) -> dict[str, Any]:
        """Add an actor (fields as in docs/store.md); returns it with ``version`` 1."""
        return self.apply(user, map_id, "actor", "insert", None, fields)

    def update_actor(self, user: str, actor_id: str, changes: Mapping[str, Any],
                     if_version: int | None = None) -> dict[str, Any]:
        """Change fields of an actor, merging with newer edits of other fields.

        Raises
        ------
        ConflictError
            When ``if_version`` is older and the same field changed since.
        """
        return self.apply(user, None, "actor", "update", actor_id, changes, if_version)

    def delete_actor(self, user: str, actor_id: str,
                     if_version: int | None = None) -> dict[str, Any]:
        """Delete an actor with its links and contact log (one event each)."""
        return self.apply(user, None, "actor", "delete", actor_id, None, if_version)

    def forget_actor(self, user: str, actor_id: str, *, vacuum: bool = True) -> None:
        """Erase an actor: delete it, its contacts and links, redact its history.

        Leaves one tombstone event (entity ``actor``, op ``forget``) recording
        who erased it and when, without personal data. With ``vacuum`` (the
        default) the store files are then rewritten (:meth:`vacuum`), so the
        erased values are gone from disk too.
        """
        self.apply(user, None, "actor", "forget", actor_id, None)
        if vacuum:
            self.vacuum()

    def get_actor(self, actor_id: str) -> dict[str, Any]:
        """Return one actor; NotFoundError when absent."""
        return self.get("actor", actor_id)

    def list_actors(self, map_id: str) -> list[dict[str, Any]]:
        """Return the actors of a map, by name."""
        return sorted(self.records("actor", map_id), key=lambda a: a["name"].casefold())

    # -- links and contacts ------------------------------------------------
    def add_link(self, user: str, map_id: str, from_id: str, to_id: str, type: str,
                 strength: int = 1, note: str = "") -> dict[str, Any]:
        """Link two actors of a map (e.g. the key figure who opens doors at the mosque)."""
        data = {"from_id": from_id, "to_id": to_id, "type": type, "strength": strength,
                "note": note}
        return self.apply(user, map_id, "link", "insert", None, data)

    def list_links(self, map_id: str) -> list[dict[str, Any]]:
        """Return the links of a map."""
        return self.records("link", map_id)

    def delete_link(self, user: str, link_id: str) -> dict[str, Any]:
        """Delete a link."""
        return self.apply(user, None, "link", "delete", link_id, None)

    def add_contact(self, user: str, actor_id: str, date: TimeLike, channel: str,
                    outcome: str, note: str = "") -> dict[str, Any]:
        """Log a contact attempt; also moves the actor's ``last_contact`` forward."""
        with self.transaction():
            actor = self.get_actor(actor_id)
            data = {"actor_id": actor_id, "date": date, "user": user, "channel": channel,
                    "outcome": outcome, "note": note}
            contact = self.apply(user, actor["map_id"], "contact", "insert", None, data)
            if actor["last_contact"] is None or contact["date"] > actor["last_contact"]:
                self.apply(user, None, "actor", "update", actor_id,
                           {"last_contact": contact["date"]})
        return contact

    def list_contacts(self, map_id: str | None = None,
                      actor_id: str | None = None) -> list[dict[str, Any]]:
        """Return contact log entries of a map and/or an actor, oldest first."""
        rows = self.records("contact", map_id, actor_id=actor_id)
        return sorted(rows, key=lambda c: (c["date"], c["created_at"]))

    # -- history -----------------------------------------------------------
    def history(self, entity_id: str) -> list[dict[str, Any]]:
        """Return every event of one record, oldest first."""
        with self._reading() as conn:
            return hist.history(conn, entity_id)

    def events_since(self, map_id: str, since: TimeLike) -> list[dict[str, Any]]:
        """Return the raw events of a map after ``since``, oldest first."""
        with self._reading() as conn:
            return hist.events_since(conn, map_id, parse_time(since))

    def changes_since(self, map_id: str, since: TimeLike) -> list[dict[str, Any]]:
        """Return changes after ``since`` grouped per record with a field-level diff."""
        return hist.group_changes(self.events_since(map_id, since))

    def state_at(self, map_id: str, at: TimeLike) -> dict[str, list[dict[str, Any]]]:
        """Return every record of a map as it was at ``at`` (table name -> records)."""
        with self._reading() as conn:
            return hist.state_at(conn, map_id, parse_time(at))


def _area_dict(area: Any) -> Any:
    return area.to_dict() if hasattr(area, "to_dict") else area
