"""The live map's delta: what changed between the map data drawn first and the data now.

The Kaart page draws a map once (its *base* data, :func:`buurtkaart.views.mapview.map_data`)
and keeps it mounted; later states travel as a small delta against that base, applied in
the browser by ``static/js/buurtkaart-live.js`` without reloading the frame (issue 15).
Pure functions: no I/O, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Keys of the map data a delta carries; any other change redraws the whole map.
LIVE_KEYS = frozenset({"actors", "links", "places", "fit"})

#: A delta with more changed actors than this redraws the whole map instead.
MAX_ACTORS = 2000


def empty() -> dict[str, Any]:
    """Return the delta of an unchanged map."""
    return {"actors": [], "removed": [], "links": None, "hide": []}


def _by_id(rows: Any, at: int) -> dict[str, Any]:
    return {str(r[at]): r for r in rows}


def delta(base: Mapping[str, Any], now: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return the delta from ``base`` to ``now``; None when the map must be drawn again.

    Parameters
    ----------
    base, now : dict
        Map data of :func:`buurtkaart.views.mapview.map_data`.

    Returns
    -------
    dict or None
        ``actors`` (new or changed actor rows), ``removed`` (actor ids), ``links``
        (all link rows when they changed, else None) and ``hide`` (ids of base places
        not shown now). None when something else changed (language, basemap, area,
        layers, a new place), or too many actors changed.
    """
    if any(base.get(k) != now.get(k) for k in {*base, *now} - LIVE_KEYS):
        return None
    places = _by_id(base["places"], 6)
    for row in now["places"]:
        if places.get(str(row[6])) != row:
            return None  # a new or restyled place: redraw (rare: an import, a dismissal undone)
    shown = {str(r[6]) for r in now["places"]}
    old, new = _by_id(base["actors"], 0), _by_id(now["actors"], 0)
    changed = [row for key, row in new.items() if old.get(key) != row]
    if len(changed) > MAX_ACTORS:
        return None
    return {"actors": changed, "removed": [key for key in old if key not in new],
            "links": None if now["links"] == base["links"] else now["links"],
            "hide": [key for key in places if key not in shown]}


def is_empty(change: Mapping[str, Any]) -> bool:
    """Return whether a delta changes nothing."""
    return not (change["actors"] or change["removed"] or change["hide"]
                or change["links"] is not None)
