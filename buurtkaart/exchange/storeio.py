"""The exchange package's only contact with the store: read a map's records, write ops.

Reads use the :class:`~buurtkaart.store.Store` methods; all writes go through
``Store.apply_many`` / ``Store.import_places`` inside the caller's
``store.transaction()`` (one transaction, one event per write).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from buurtkaart._dates import newest
from buurtkaart._errors import NotFoundError
from buurtkaart.core.ports import ExchangeStore
from buurtkaart.exchange.profiles import ExportBundle

_PLACE_KEYS = ("osm_id", "name", "name_nl", "name_fr", "category", "lat", "lon", "tags",
               "source", "geometry")
EPOCH = "1970-01-01T00:00:00+00:00"


def resolve_map(store: ExchangeStore, name: str) -> dict[str, Any]:
    """Return the map record with this name or id.

    Raises
    ------
    NotFoundError
        When no map has that name or id; the message lists the known names.
    """
    try:
        record = dict(store.get_map(name))
    except NotFoundError:
        names = ", ".join(str(m["name"]) for m in store.list_maps()) or "none"
        msg = f"no map named {name!r} in {store.url} (maps: {names})"
        raise NotFoundError(msg) from None
    record.pop("geom", None)
    return record


def place_dict(place: Any) -> dict[str, Any]:
    """Return a ``Place`` (or place-like object or dict) as a plain dict."""
    if isinstance(place, dict):
        return {k: place.get(k) for k in _PLACE_KEYS}
    return {k: getattr(place, k, None) for k in _PLACE_KEYS}


def latest_places(store: ExchangeStore, map_id: str) -> list[dict[str, Any]]:
    """Return the places of the map's newest place import (empty when it has none)."""
    last = newest(store.list_imports(map_id))
    if last is None:
        return []
    return [place_dict(p) for p in store.get_import_places(last["id"])]


def read_bundle(store: ExchangeStore, map_record: Mapping[str, Any],
                history: bool = False) -> ExportBundle:
    """Read everything an export may need of one map."""
    map_id = map_record["id"]
    return ExportBundle(
        map=dict(map_record),
        actors=_plain(store.list_actors(map_id)), links=_plain(store.list_links(map_id)),
        contacts=_plain(store.list_contacts(map_id)),
        signals=_plain(store.list_signals(map_id)),
        places=latest_places(store, map_id),
        history=_plain(store.events_since(map_id, EPOCH)) if history else [],
    )


def _plain(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        rec = dict(row)
        rec.pop("geom", None)
        out.append(rec)
    return out


def existing_ids(store: ExchangeStore, map_id: str, entity: str, ids: list[str]) -> set[str]:
    """Return which of ``ids`` already exist in the store (in any map)."""
    return set(store.existing_ids(map_id, entity, ids)) if ids else set()


def write_places(store: ExchangeStore, user: str, map_id: str, places: list[dict[str, Any]],
                 source: str) -> str | None:
    """Record ``places`` as one place import of the map; return its id (None if empty)."""
    if not places:
        return None
    items = [SimpleNamespace(**place_dict(p)) for p in places]
    return str(store.import_places(user, map_id, items, source=source))
