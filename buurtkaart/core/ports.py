"""Ports: the store operations the domain packages call, as typing protocols.

Domain packages (``meeting``, ``insights``, ``exchange``) may not import the
store (``tests/unit/test_layers.py``); they take a store-like object described by
one of these protocols. :class:`buurtkaart.store.Store` and
:class:`buurtkaart.auth.guard.GuardedStore` satisfy them: mypy checks it
wherever the app, the CLI or a service passes a store to a domain function.
Records are read-only mappings here (the store's TypedDicts are mappings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from buurtkaart.core.place import Place

#: A stored record as a domain function sees it (read-only, keys as in ``FIELDS``).
Record = Mapping[str, Any]


class MapReader(Protocol):
    """Reads of one map's records and of its newest place import."""

    def get_map(self, name_or_id: str) -> Record:
        """Return a map by id or name (NotFoundError when absent)."""
        ...

    def list_actors(self, map_id: str) -> Sequence[Record]:
        """Return the actors of a map."""
        ...

    def list_links(self, map_id: str) -> Sequence[Record]:
        """Return the links of a map."""
        ...

    def list_contacts(self, map_id: str | None = None,
                      actor_id: str | None = None) -> Sequence[Record]:
        """Return contact log entries of a map and/or an actor."""
        ...

    def list_imports(self, map_id: str) -> Sequence[Record]:
        """Return the place imports of a map."""
        ...

    def get_import_places(self, import_id: str) -> Sequence[Place]:
        """Return the places of one import, in import order."""
        ...


class InsightsStore(MapReader, Protocol):
    """What :func:`buurtkaart.insights.report.load_map_data` reads."""


class MeetingStore(MapReader, Protocol):
    """What :mod:`buurtkaart.meeting.collect` reads for a team meeting."""

    def list_signals(self, map_id: str, status: str | None = None) -> Sequence[Record]:
        """Return the signals of a map."""
        ...

    def list_meetings(self, map_id: str) -> Sequence[Record]:
        """Return the meetings of a map, by date."""
        ...

    def list_reflections(self, map_id: str,
                         meeting_id: str | None = None) -> Sequence[Record]:
        """Return the domain reflections of a map."""
        ...

    def list_agenda(self, map_id: str) -> Sequence[Record]:
        """Return the agenda items of a map."""
        ...

    def changes_since(self, map_id: str, since: str) -> Sequence[Record]:
        """Return the changes of a map after ``since``, grouped per record."""
        ...


class ExchangeStore(MapReader, Protocol):
    """What :mod:`buurtkaart.exchange.storeio` reads and writes."""

    @property
    def url(self) -> str:
        """The store URL (for messages)."""
        ...

    def list_maps(self) -> Sequence[Record]:
        """Return every map."""
        ...

    def list_signals(self, map_id: str, status: str | None = None) -> Sequence[Record]:
        """Return the signals of a map."""
        ...

    def events_since(self, map_id: str, since: str) -> Sequence[Record]:
        """Return the raw events of a map after ``since``."""
        ...

    def existing_ids(self, map_id: str, entity: str, ids: Iterable[str]) -> set[str]:
        """Return which of ``ids`` already exist in the store."""
        ...

    def import_places(self, user: str, map_id: str, places: Iterable[Any], *,
                      source: str) -> str:
        """Keep one pull of places as a place import; return its id."""
        ...


class LiveReader(Protocol):
    """The two reads behind the live endpoint and the live poll's shared numbers."""

    def latest_seq(self, map_id: str) -> int:
        """Return the newest event number of a map (0 when it has none)."""
        ...

    def present(self, map_id: str) -> list[dict[str, Any]]:
        """Return who has a map open now."""
        ...
