"""Duplicate detection for imports: same ``osm_id``, or same name within 30 m.

Pure functions: :class:`ActorIndex` holds existing actors (and the ones accepted
earlier in the same import) and answers :meth:`ActorIndex.match`;
:func:`merge_fields` says what a merge changes on an existing actor.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from buurtkaart.core.geo import distance_m
from buurtkaart.core.text import name_key

#: Two actors with the same name this close (metres) are the same actor.
NAME_DISTANCE_M = 30.0
ON_DUPLICATE = ("merge", "skip")
_CELL_DEG = 0.001  # ~111 m north-south: a 30 m radius touches at most 3x3 cells


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL_DEG), math.floor(lon / _CELL_DEG)


class ActorIndex:
    """Existing actors, looked up by ``osm_id`` and by name near a point."""

    def __init__(self, actors: Iterable[dict[str, Any]] = ()) -> None:
        self._by_osm: dict[str, dict[str, Any]] = {}
        self._by_cell: dict[tuple[int, int], list[tuple[str, dict[str, Any]]]] = \
            defaultdict(list)
        for actor in actors:
            self.add(actor)

    def add(self, actor: dict[str, Any]) -> None:
        """Add one actor record (needs ``name``; ``osm_id``, ``lat``, ``lon`` optional)."""
        if actor.get("osm_id"):
            self._by_osm.setdefault(str(actor["osm_id"]), actor)
        if actor.get("lat") is not None and actor.get("lon") is not None:
            cell = _cell(float(actor["lat"]), float(actor["lon"]))
            self._by_cell[cell].append((name_key(actor.get("name")), actor))

    def match(self, fields: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
        """Return (existing actor, reason) for a duplicate of ``fields``, or None."""
        osm_id = fields.get("osm_id")
        if osm_id and str(osm_id) in self._by_osm:
            return self._by_osm[str(osm_id)], f"same osm_id {osm_id}"
        lat, lon = fields.get("lat"), fields.get("lon")
        key = name_key(fields.get("name"))
        if lat is None or lon is None or not key:
            return None
        row, col = _cell(float(lat), float(lon))
        best: tuple[float, dict[str, Any]] | None = None
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for other_key, actor in self._by_cell.get((row + dr, col + dc), ()):
                    if other_key != key:
                        continue
                    d = distance_m(float(lat), float(lon), float(actor["lat"]),
                                   float(actor["lon"]))
                    if d <= NAME_DISTANCE_M and (best is None or d < best[0]):
                        best = (d, actor)
        if best is None:
            return None
        return best[1], f"same name {fields.get('name')!r} {best[0]:.0f} m away"


def merge_fields(existing: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """Return the changes a merge makes to ``existing``: fill empty fields, union lists.

    Nothing the team entered is overwritten: a field changes only when it is empty
    (None, "", []) in ``existing``; ``roles`` and ``tags`` gain the new items.
    """
    changes: dict[str, Any] = {}
    for key, value in incoming.items():
        if key in ("id", "version") or value in (None, "", []):
            continue
        old = existing.get(key)
        if key in ("roles", "tags"):
            merged = list(old or []) + [v for v in value if v not in (old or [])]
            if merged != list(old or []):
                changes[key] = merged
        elif old in (None, "", []):
            changes[key] = value
    return changes
