"""Managing maps: change, archive, delete; and the per-user preferences of the app.

Changing a map (name, organisation, point, address, area) is an ``update`` of the
``map`` record through the one write path (one event). Archiving sets
``archived_at`` (one event); an archived map is left out of :meth:`list_maps`
unless asked for. Deleting removes the map with everything in it and its
history, leaving ONE tombstone event (entity ``map``, op ``delete``) that says
who removed what and when, without personal data.

Preferences (the last map and language a user chose) are *not* team data: they
are UI state of one user, kept in the ``preferences`` table without events
(``docs/store.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa

from buurtkaart._errors import InputError
from buurtkaart.store.actions import FREE, LIST_MAPS, action
from buurtkaart.store.base import StoreBase
from buurtkaart.store.records import now_iso
from buurtkaart.store.schema import (
    ENTITY_TABLES,
    events,
    import_places,
    maps,
    memberships,
    preferences,
    presence,
    seen_marks,
)
from buurtkaart.store.types import Map
from buurtkaart.store.write import lock_row, log_event

#: Entities removed with a map, dependants first (foreign keys).
MAP_CONTENT = ("contact", "link", "reflection", "meeting", "agenda", "signal", "dismissal",
               "actor", "import")

#: Preference names a user may keep, and the longest value accepted.
PREFERENCE_NAMES = ("map_id", "lang")
MAX_PREFERENCE_LENGTH = 200


def _area_dict(area: Any) -> Any:
    return area.to_dict() if hasattr(area, "to_dict") else area


class MapsMixin(StoreBase):
    """Store methods that manage maps, and the per-user preferences."""

    @action(LIST_MAPS, scope="none")
    def list_maps(self, include_archived: bool = False) -> list[Map]:
        """Return the maps, by name (archived maps only with ``include_archived``)."""
        rows = sorted(self.records("map"), key=lambda m: m["name"].casefold())
        if not include_archived:
            rows = [m for m in rows if not m.get("archived_at")]
        return cast("list[Map]", rows)

    @action("edit_map", map_arg="map_id")
    def update_map(self, user: str, map_id: str, changes: Mapping[str, Any],
                   if_version: int | None = None) -> Map:
        """Change fields of a map: name, organisation, point, address, area, language.

        ``archived_at`` is changed with :meth:`archive_map` only.
        """
        data = dict(changes)
        if "archived_at" in data:
            msg = "bad map value for 'archived_at': use archive_map (needs manage_map)"
            raise InputError(msg)
        if "area" in data:
            data["area"] = _area_dict(data["area"])
        return cast("Map", self.apply(user, map_id, "map", "update", map_id, data, if_version))

    @action("manage_map", map_arg="map_id")
    def archive_map(self, user: str, map_id: str, archived: bool = True) -> Map:
        """Archive a map (hidden from the map list, kept whole), or bring it back."""
        value = now_iso() if archived else None
        return cast("Map", self.apply(user, map_id, "map", "update", map_id,
                                      {"archived_at": value}))

    @action("read", map_arg="map_id")
    def map_contents(self, map_id: str) -> dict[str, int]:
        """Return how many records of each kind a map holds (what a delete removes).

        Keys: the entities of :data:`MAP_CONTENT`, ``places`` (imported places),
        ``members`` and ``events``.
        """
        self.get("map", map_id)
        with self._reading() as conn:
            out = {e: _count(conn, ENTITY_TABLES[e], ENTITY_TABLES[e].c.map_id == map_id)
                   for e in MAP_CONTENT}
            imports = sa.select(ENTITY_TABLES["import"].c.id).where(
                ENTITY_TABLES["import"].c.map_id == map_id)
            out["places"] = _count(conn, import_places, import_places.c.import_id.in_(imports))
            out["members"] = _count(conn, memberships, memberships.c.map_id == map_id)
            out["events"] = _count(conn, events, events.c.map_id == map_id)
        return out

    @action("manage_map", map_arg="map_id")
    def delete_map(self, user: str, map_id: str, *, confirm: str) -> dict[str, Any]:
        """Delete a map, everything in it and its history; ``confirm`` must be its name.

        Leaves one event (entity ``map``, op ``delete``) with the map's id and
        name, the counts removed and the members it had; nothing else of the map.

        Returns
        -------
        dict
            That event's ``before`` (id, name, removed counts, members).
        """
        with self.transaction() as conn:
            current = lock_row(conn, "map", map_id)
            if confirm != current["name"]:
                msg = (f"refused: confirm the deletion with the map's name "
                       f"{current['name']!r} (got {confirm!r})")
                raise InputError(msg)
            removed = self.map_contents(map_id)
            members = [{"user_name": r.user_name, "role": r.role} for r in conn.execute(
                sa.select(memberships).where(memberships.c.map_id == map_id))]
            _delete_content(conn, map_id)
            summary = {"id": map_id, "name": current["name"], "removed": removed,
                       "members": members}
            log_event(conn, user=user, map_id=map_id, entity="map", entity_id=map_id,
                      op="delete", at=now_iso(), before=summary, after=None)
        return summary

    # -- preferences (UI state of one user, no events) -----------------------
    @action(FREE, scope="none")
    def get_preferences(self, user: str) -> dict[str, str]:
        """Return the preferences ``user`` kept (``map_id``, ``lang``)."""
        with self._reading() as conn:
            rows = conn.execute(sa.select(preferences.c.name, preferences.c.value)
                                .where(preferences.c.user_name == user)).all()
        return {str(name): str(value) for name, value in rows if value is not None}

    @action(FREE, scope="none")
    def set_preference(self, user: str, name: str, value: str | None) -> None:
        """Keep (or, with None, drop) one preference of ``user``; no event (not team data)."""
        if name not in PREFERENCE_NAMES:
            msg = f"unknown preference {name!r}; expected one of {', '.join(PREFERENCE_NAMES)}"
            raise InputError(msg)
        if value is not None and len(str(value)) > MAX_PREFERENCE_LENGTH:
            msg = f"bad preference {name!r}: longer than {MAX_PREFERENCE_LENGTH} characters"
            raise InputError(msg)
        key = sa.and_(preferences.c.user_name == user, preferences.c.name == name)
        with self.transaction() as conn:
            conn.execute(preferences.delete().where(key))
            if value is not None:
                conn.execute(preferences.insert(), {"user_name": user, "name": name,
                                                    "value": str(value),
                                                    "updated_at": now_iso()})


def _count(conn: sa.Connection, table: sa.Table, where: Any) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(where))
               .scalar_one())


def _delete_content(conn: sa.Connection, map_id: str) -> None:
    """Remove every row of the map, its memberships, preferences, presence and events."""
    imports = ENTITY_TABLES["import"]
    conn.execute(import_places.delete().where(import_places.c.import_id.in_(
        sa.select(imports.c.id).where(imports.c.map_id == map_id))))
    for entity in MAP_CONTENT:
        table = ENTITY_TABLES[entity]
        conn.execute(table.delete().where(table.c.map_id == map_id))
    conn.execute(memberships.delete().where(memberships.c.map_id == map_id))
    conn.execute(preferences.delete().where(sa.and_(preferences.c.name == "map_id",
                                                    preferences.c.value == map_id)))
    for table in (presence, seen_marks):  # live-map state of the map (not domain data)
        conn.execute(table.delete().where(table.c.map_id == map_id))
    conn.execute(events.delete().where(events.c.map_id == map_id))
    conn.execute(maps.delete().where(maps.c.id == map_id))
