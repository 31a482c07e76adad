"""Signals, agenda items, meetings and domain reflections (tables of the team meeting)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from buurtkaart.store.actions import action
from buurtkaart.store.base import StoreBase
from buurtkaart.store.types import AgendaItem, Meeting, Reflection, Signal


class MeetingsMixin(StoreBase):
    """Store methods for the team-meeting records; all write through ``apply``."""

    @action("edit_signals", map_arg="map_id")
    def add_signal(self, user: str, map_id: str, **fields: Any) -> Signal:
        """Add a signal (``date``, ``type``, ``title``... status ``draft`` by default)."""
        return cast("Signal", self.apply(user, map_id, "signal", "insert", None, fields))

    @action("edit_signals", entity="signal", id_arg="signal_id")
    def update_signal(self, user: str, signal_id: str, changes: Mapping[str, Any],
                      if_version: int | None = None) -> Signal:
        """Change a signal (e.g. ``{"status": "accepted"}``)."""
        record = self.apply(user, None, "signal", "update", signal_id, changes, if_version)
        return cast("Signal", record)

    @action("read", map_arg="map_id")
    def list_signals(self, map_id: str, status: str | None = None) -> list[Signal]:
        """Return the signals of a map (optionally of one status), by date."""
        rows = self.records("signal", map_id, status=status)
        return cast("list[Signal]", sorted(rows, key=lambda s: (s["date"], s["created_at"])))

    @action("edit_agenda", map_arg="map_id")
    def add_agenda_item(self, user: str, map_id: str, **fields: Any) -> AgendaItem:
        """Add an agenda item (``title``, ``start``, optional ``rrule``...)."""
        return cast("AgendaItem", self.apply(user, map_id, "agenda", "insert", None, fields))

    @action("edit_agenda", entity="agenda", id_arg="item_id")
    def update_agenda_item(self, user: str, item_id: str, changes: Mapping[str, Any],
                           if_version: int | None = None) -> AgendaItem:
        """Change an agenda item."""
        record = self.apply(user, None, "agenda", "update", item_id, changes, if_version)
        return cast("AgendaItem", record)

    @action("read", map_arg="map_id")
    def list_agenda(self, map_id: str) -> list[AgendaItem]:
        """Return the agenda items of a map, by start."""
        record = sorted(self.records("agenda", map_id), key=lambda a: a["start"])
        return cast("list[AgendaItem]", record)

    @action("edit_agenda", entity="agenda", id_arg="item_id")
    def delete_agenda_item(self, user: str, item_id: str) -> AgendaItem:
        """Delete an agenda item."""
        return cast("AgendaItem", self.apply(user, None, "agenda", "delete", item_id, None))

    @action("edit_meetings", map_arg="map_id")
    def add_meeting(self, user: str, map_id: str, **fields: Any) -> Meeting:
        """Add a meeting (``date``, ``title``, ``attendees``, ``decisions``, ``actions``)."""
        return cast("Meeting", self.apply(user, map_id, "meeting", "insert", None, fields))

    @action("edit_meetings", entity="meeting", id_arg="meeting_id")
    def update_meeting(self, user: str, meeting_id: str, changes: Mapping[str, Any],
                       if_version: int | None = None) -> Meeting:
        """Change a meeting."""
        record = self.apply(user, None, "meeting", "update", meeting_id, changes, if_version)
        return cast("Meeting", record)

    @action("read", map_arg="map_id")
    def list_meetings(self, map_id: str) -> list[Meeting]:
        """Return the meetings of a map, by date."""
        record = sorted(self.records("meeting", map_id), key=lambda m: m["date"])
        return cast("list[Meeting]", record)

    @action("edit_reflections", map_arg="map_id")
    def add_reflection(self, user: str, map_id: str, **fields: Any) -> Reflection:
        """Add a domain reflection (``date``, ``domain``, ``factor``, ``score`` 1-4...)."""
        return cast("Reflection", self.apply(user, map_id, "reflection", "insert", None, fields))

    @action("read", map_arg="map_id", entity="meeting", id_arg="meeting_id")
    def list_reflections(self, map_id: str,
                         meeting_id: str | None = None) -> list[Reflection]:
        """Return the reflections of a map (optionally of one meeting), by date."""
        rows = self.records("reflection", map_id, meeting_id=meeting_id)
        return cast("list[Reflection]", sorted(rows, key=lambda r: (r["date"], r["created_at"])))
