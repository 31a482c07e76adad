"""Store access and cached place loading for the app.

The store is opened once per URL; places read from an extract are cached per
source file and area, places of a stored import per import id (all with
``st.cache_resource``: places are immutable and shared, not copied per rerun,
which matters for a whole region of 17,000 places). Actors, links and contacts are read fresh on
every rerun so an edit in one browser session shows in another after a rerun.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import streamlit as st

from buurtkaart import settings
from buurtkaart._dates import newest
from buurtkaart._errors import InputError, NotFoundError
from buurtkaart.app import login
from buurtkaart.auth.guard import GuardedStore
from buurtkaart.core.area import Area
from buurtkaart.core.place import Place
from buurtkaart.demo import app_store_url
from buurtkaart.places import read_places
from buurtkaart.store import Store, open_store
from buurtkaart.store.types import Actor, Map


def store_url() -> str:
    """Return the store URL of this app (``BUURTKAART_DB``, else the demo store)."""
    return app_store_url()


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:

    return open_store(url)


def raw_store() -> Store:
    """Return the opened store itself (one per URL and server process).

    Only for the login gate (local accounts); pages use :func:`get_store`.
    """
    return _open_store(store_url())


def get_store() -> GuardedStore:
    """Return the store seen through the rule table for this session's user.

    Every page reads and writes through this :class:`~buurtkaart.auth.guard.GuardedStore`,
    so roles are enforced in the data layer whatever a page shows.
    """

    return login.guarded(raw_store())


def osm_file() -> Path:
    """Return the OSM extract used by the app (``BUURTKAART_OSM_FILE`` or the demo)."""
    value = settings.get("BUURTKAART_OSM_FILE")
    return Path(value) if value else settings.demo_osm_file()


def file_key(path: Path) -> str:
    """Return a cache key of a file: its path, size and modification time."""
    stat = path.stat()
    return f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


@st.cache_resource(show_spinner=False, max_entries=8)
def _places_from_file(path: str, file_key: str,
                      area: dict[str, Any] | None) -> list[Place]:
    del file_key  # part of the cache key only

    return read_places(Path(path), area=Area.from_dict(area) if area else None)


def places_from_file(path: Path, area: dict[str, Any] | None) -> list[Place]:
    """Return the places of ``path`` inside ``area`` (cached per file + area)."""
    return _places_from_file(str(path), file_key(path), area)


@st.cache_resource(show_spinner=False, max_entries=16)
def _import_places(url: str, import_id: str) -> list[Place]:
    return list(_open_store(url).get_import_places(import_id))


def latest_import_id(map_id: str) -> str | None:
    """Return the id of the newest place import of a map, or None."""
    last = newest(get_store().list_imports(map_id))
    return None if last is None else str(last["id"])


def imported_places(map_id: str) -> list[Place]:
    """Return the places of the map's newest import (cached per import id)."""
    import_id = latest_import_id(map_id)
    if import_id is None:
        return []
    return _import_places(store_url(), import_id)


def hidden_places(map_id: str, actors: Iterable[Actor]) -> set[str]:
    """Return the OSM ids no longer shown as candidates: dismissed or already actors."""
    hidden = set(get_store().dismissed_places(map_id))
    hidden.update(osm_id for a in actors if (osm_id := a.get("osm_id")))
    return hidden


def list_maps() -> list[Map]:
    """Return every map of the store."""
    return list(get_store().list_maps())


def current_map(map_id: str | None) -> Map | None:
    """Return the map record, or None when no map is chosen or it is gone."""
    if not map_id:
        return None

    try:
        return get_store().get_map(map_id)
    except NotFoundError:
        return None


def map_point(the_map: Map) -> tuple[float, float]:
    """Return the map's point ``(lat, lon)``; InputError when the map has none."""
    lat, lon = the_map["lat"], the_map["lon"]
    if lat is None or lon is None:
        msg = f"map {the_map['name']!r} has no point (lat/lon)"
        raise InputError(msg)
    return float(lat), float(lon)
