"""Signals, agenda items, meetings and domain reflections (tables of the team meeting)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from buurtkaart.store.base import StoreBase


class MeetingsMixin(StoreBase):
    """Store methods for the team-meeting records; all write through ``apply``."""

    def add_signal(self, user: str, map_id: str, **fields: Any) -> dict[str, Any]:
        """Add a signal (``date``, ``type``, ``title``... status ``draft`` by default)."""
        return self.apply(user, map_id, "signal", "insert", None, fields)

    def update_signal(self, user: str, signal_id: str, changes: Mapping[str, Any],
                      if_version: int | None = None) -> dict[str, Any]:
        """Change a signal (e.g. ``{"status": "accepted"}``)."""
        return self.apply(user, None, "signal", "update", signal_id, changes, if_version)

    def list_signals(self, map_id: str, status: str | None = None) -> list[dict[str, Any]]:
        """Return the signals of a map (optionally of one status), by date."""
        rows = self.records("signal", map_id, status=status)
        return sorted(rows, key=lambda s: (s["date"], s["created_at"]))

    def add_agenda_item(self, user: str, map_id: str, **fields: Any) -> dict[str, Any]:
        """Add an agenda item (``title``, ``start``, optional ``rrule``...)."""
        return self.apply(user, map_id, "agenda", "insert", None, fields)

    def update_agenda_item(self, user: str, item_id: str, changes: Mapping[str, Any],
                           if_version: int | None = None) -> dict[str, Any]:
        """Change an agenda item."""
        return self.apply(user, None, "agenda", "update", item_id, changes, if_version)

    def list_agenda(self, map_id: str) -> list[dict[str, Any]]:
        """Return the agenda items of a map, by start."""
        return sorted(self.records("agenda", map_id), key=lambda a: a["start"])

    def delete_agenda_item(self, user: str, item_id: str) -> dict[str, Any]:
        """Delete an agenda item."""
        return self.apply(user, None, "agenda", "delete", item_id, None)

    def add_meeting(self, user: str, map_id: str, **fields: Any) -> dict[str, Any]:
        """Add a meeting (``date``, ``title``, ``attendees``, ``decisions``, ``actions``)."""
        return self.apply(user, map_id, "meeting", "insert", None, fields)

    def update_meeting(self, user: str, meeting_id: str, changes: Mapping[str, Any],
                       if_version: int | None = None) -> dict[str, Any]:
        """Change a meeting."""
        return self.apply(user, None, "meeting", "update", meeting_id, changes, if_version)

    def list_meetings(self, map_id: str) -> list[dict[str, Any]]:
        """Return the meetings of a map, by date."""
        return sorted(self.records("meeting", map_id), key=lambda m: m["date"])

    def add_reflection(self, user: str, map_id: str, **fields: Any) -> dict[str, Any]:
        """Add a domain reflection (``date``, ``domain``, ``factor``, ``score`` 1-4...)."""
        return self.apply(user, map_id, "reflection", "insert", None, fields)

    def list_reflections(self, map_id: str,
                         meeting_id: str | None = None) -> list[dict[str, Any]]:
        """Return the reflections of a map (optionally of one meeting), by date."""
        rows = self.records("reflection", map_id, meeting_id=meeting_id)
        return sorted(rows, key=lambda r: (r["date"], r["created_at"]))
