"""OSM place imports, dismissed places and accepting places as actors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import sqlalchemy as sa

from buurtkaart._errors import NotFoundError
from buurtkaart.core.place import Place
from buurtkaart.core.text import display_name
from buurtkaart.store.actions import action
from buurtkaart.store.base import StoreBase
from buurtkaart.store.schema import import_places
from buurtkaart.store.types import Actor, Dismissal, Import

_PLACE_COLUMNS = ("osm_id", "name", "name_nl", "name_fr", "category", "lat", "lon", "tags",
                  "source", "geometry", "distance_m")


def _place_row(import_id: str, seq: int, place: Any) -> dict[str, Any]:
    row = {name: getattr(place, name, None) for name in _PLACE_COLUMNS}
    row["tags"] = dict(row["tags"] or {})
    row["category"] = row["category"] or "other"
    return {"import_id": import_id, "seq": seq, **row}


def _actor_name(place: Any) -> str:
    return str(display_name(place.name, nl=place.name_nl, fr=place.name_fr,
                            fallback=place.osm_id or place.category))


class PlacesMixin(StoreBase):
    """Store methods for OSM place imports."""

    @action("edit_places", map_arg="map_id")
    def import_places(self, user: str, map_id: str, places: Iterable[Any], *, source: str,
                      source_hash: str | None = None, area: Any = None) -> str:
        """Keep one pull of OSM places (one transaction, one ``import`` event).

        Returns
        -------
        str
            The import id.
        """
        items = list(places)
        area_dict = area.to_dict() if hasattr(area, "to_dict") else area
        with self.transaction(import_by=user, what="places", map_id=map_id) as conn:
            record = self.apply(user, map_id, "import", "insert", None,
                                {"source": source, "source_hash": source_hash,
                                 "area": area_dict, "place_count": len(items)})
            rows = [_place_row(record["id"], i, p) for i, p in enumerate(items)]
            if rows:
                conn.execute(import_places.insert(), rows)
        return str(record["id"])

    @action("read", map_arg="map_id")
    def list_imports(self, map_id: str) -> list[Import]:
        """Return the imports of a map, newest first."""
        return cast("list[Import]", self.records("import", map_id)[::-1])

    @action("read", entity="import", id_arg="import_id")
    def get_import_places(self, import_id: str) -> list[Any]:
        """Return the places of one import as ``Place`` objects, in import order."""
        self.get("import", import_id)
        with self._reading() as conn:
            rows = conn.execute(sa.select(import_places)
                                .where(import_places.c.import_id == import_id)
                                .order_by(import_places.c.seq)).all()
        return [Place(**{c: r._mapping[c] for c in _PLACE_COLUMNS}) for r in rows]

    @action("edit_places", map_arg="map_id")
    def dismiss_place(self, user: str, map_id: str, osm_id: str) -> Dismissal:
        """Mark an OSM place as not relevant for this map (idempotent)."""
        with self.transaction():
            done = self.records("dismissal", map_id, osm_id=osm_id)
            if done:
                return cast("Dismissal", done[0])
            record = self.apply(user, map_id, "dismissal", "insert", None, {"osm_id": osm_id})
            return cast("Dismissal", record)

    @action("edit_places", map_arg="map_id")
    def undismiss_place(self, user: str, map_id: str, osm_id: str) -> None:
        """Undo :meth:`dismiss_place`; NotFoundError when it was not dismissed."""
        with self.transaction():
            done = self.records("dismissal", map_id, osm_id=osm_id)
            if not done:
                msg = f"place {osm_id!r} is not dismissed in this map"
                raise NotFoundError(msg)
            self.apply(user, map_id, "dismissal", "delete", done[0]["id"], None)

    @action("read", map_arg="map_id")
    def dismissed_places(self, map_id: str) -> set[str]:
        """Return the osm_ids dismissed in a map."""
        return {d["osm_id"] for d in self.records("dismissal", map_id)}

    @action("edit_actors", map_arg="map_id")
    def accept_places(self, user: str, map_id: str, places: Iterable[Any],
                      roles: Sequence[str]) -> list[Actor]:
        """Turn OSM places into actors in ONE transaction (one event per actor).

        Places whose ``osm_id`` is already an actor of the map are skipped.

        Returns
        -------
        list of dict
            The new actors.
        """
        out: list[dict[str, Any]] = []
        with self.transaction():
            known = {a["osm_id"] for a in self.records("actor", map_id) if a["osm_id"]}
            for place in places:
                if place.osm_id is not None and place.osm_id in known:
                    continue
                fields = {"name": _actor_name(place), "osm_id": place.osm_id,
                          "category": place.category, "lat": place.lat, "lon": place.lon,
                          "roles": list(roles), "kind": "organisation",
                          "source": getattr(place, "source", None) or "osm"}
                out.append(self.apply(user, map_id, "actor", "insert", None, fields))
                if place.osm_id is not None:
                    known.add(place.osm_id)
        return cast("list[Actor]", out)
