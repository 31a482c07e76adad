"""Privacy by design for the persons on a map.

Rules (see ``docs/privacy.md``):

* an actor of kind ``person`` is team-internal by default (``privacy="team"``);
* a person's location is stored coarse, snapped to the centre of a 100 m grid
  cell, unless an editor sets an exact point *with a reason*;
* every person has a review (retention) date; overdue ones are listed at the
  team meeting;
* persons never leave the organisation in a public export.

The functions here are pure (dicts in, dicts out) so the store, the app and
the exporters can all apply the same rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from buurtkaart._dates import to_date
from buurtkaart._errors import InputError

#: Side of the grid cell persons are snapped to, in metres.
GRID_M = 100.0
#: Months until a new person's review date.
REVIEW_MONTHS = 12


def coarsen(lat: float, lon: float, grid_m: float = GRID_M) -> tuple[float, float]:
    """Snap a point to the centre of its ``grid_m`` metre grid cell.

    Delegates to the store's :func:`buurtkaart.store.records.snap`, so the app,
    the exporters and the store all use one grid.

    Parameters
    ----------
    lat, lon : float
        WGS84 degrees.
    grid_m : float
        Cell size in metres (default 100).

    Returns
    -------
    tuple of float
        ``(lat, lon)`` of the cell centre, rounded to 6 decimals.
    """
    from buurtkaart.store.records import snap

    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or grid_m <= 0:
        msg = f"cannot coarsen point ({lat}, {lon}) on a {grid_m} m grid: out of range"
        raise InputError(msg)
    slat, slon = snap(lat, lon, grid_m)
    assert slat is not None and slon is not None
    return slat, slon


def is_person(actor: Mapping[str, Any]) -> bool:
    """Return whether the actor record is a person."""
    return actor.get("kind") == "person"


def exact_reason(actor: Mapping[str, Any]) -> str:
    """Return the reason given for a person's exact location ('' when none)."""
    for key in ("location_reason", "exact_reason"):
        value = actor.get(key)
        if value:
            return str(value).strip()
    return ""


def protect(actor: Mapping[str, Any], today: dt.date | None = None) -> dict[str, Any]:
    """Return a copy of an actor record with the person rules applied.

    For a person: privacy defaults to ``team``; the location is coarsened
    unless it is marked exact *and* carries a reason; a missing review date
    is set :data:`REVIEW_MONTHS` months from ``today``. Other kinds pass
    through unchanged.
    """
    out = dict(actor)
    if not is_person(out):
        return out
    if not out.get("privacy"):
        out["privacy"] = "team"
    lat, lon = out.get("lat"), out.get("lon")
    exact = out.get("location_precision") == "exact" and bool(exact_reason(out))
    if lat is not None and lon is not None and not exact:
        out["lat"], out["lon"] = coarsen(float(lat), float(lon))
        out["location_precision"] = "coarse"
    if not out.get("review_date"):
        out["review_date"] = default_review_date(today).isoformat()
    return out


def default_review_date(today: dt.date | None = None, months: int = REVIEW_MONTHS) -> dt.date:
    """Return ``today`` plus ``months`` months (the day clamped to the month's end)."""
    start = today or dt.date.today()
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    for day in range(start.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, min(start.day, 28))


def overdue_reviews(actors: Iterable[Mapping[str, Any]], today: dt.date | None = None,
                    persons_only: bool = True) -> list[dict[str, Any]]:
    """Return the actors whose review date is today or earlier, oldest first.

    Parameters
    ----------
    actors : iterable of dict
        Actor records.
    today : datetime.date, optional
        Reference day (default: today).
    persons_only : bool
        Only persons (default), or every actor with a review date.

    Returns
    -------
    list of dict
        ``{"id", "name", "kind", "review_date", "days_overdue"}`` per actor.
    """
    ref = today or dt.date.today()
    rows = []
    for actor in actors:
        if persons_only and not is_person(actor):
            continue
        due = to_date(actor.get("review_date"))
        if due is None or due > ref:
            continue
        rows.append({"id": actor.get("id"), "name": actor.get("name"),
                     "kind": actor.get("kind"), "review_date": due.isoformat(),
                     "days_overdue": (ref - due).days})
    rows.sort(key=lambda r: (r["review_date"], str(r["name"] or "")))
    return rows


def public_ok(actor: Mapping[str, Any]) -> bool:
    """Return whether an actor may appear in a public export: formal, public, not a person."""
    return (not is_person(actor) and actor.get("privacy") == "public"
            and bool(actor.get("formal", False)))


def purge_erased(store: Any) -> None:
    """Make erased rows unrecoverable from the database files after a forget.

    SQLite keeps deleted rows in free pages and in the WAL until they are
    overwritten, PostgreSQL keeps dead tuples in the table files until they
    are vacuumed: the store's ``vacuum()`` rewrites them. (Backups and
    PostgreSQL WAL archives keep their copy until rotated; see ``docs/privacy.md``.)
    """
    store.vacuum()
