"""Privacy by design for the persons on a map: the helpers the app and the exports use.

The rules themselves live in ONE place, :mod:`buurtkaart.store.policy`, which
the store's one write path applies to every actor write (see ``docs/privacy.md``):

* an actor of kind ``person`` is team-internal by default (``privacy="team"``);
* a person's location is stored coarse, snapped to the centre of a 100 m grid
  cell, unless it is exact *with a reason*;
* every person has a review (retention) date; overdue ones are listed at the
  team meeting;
* persons never leave the organisation in a public export.

This module keeps the read-side helpers: :func:`coarsen` for display and
exports, and :func:`overdue_reviews` for the review list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from buurtkaart._dates import to_date
from buurtkaart._errors import InputError
from buurtkaart.core.geo import snap
from buurtkaart.store.policy import (
    GRID_M,
    REASON_TAG,
    REVIEW_MONTHS,
    default_review_date,
    exact_reason,
    is_person,
)

__all__ = ["GRID_M", "REASON_TAG", "REVIEW_MONTHS", "coarsen", "default_review_date",
           "exact_reason", "is_person", "overdue_reviews"]


def coarsen(lat: float, lon: float, grid_m: float = GRID_M) -> tuple[float, float]:
    """Snap a point to the centre of its ``grid_m`` metre grid cell.

    Delegates to the store's :func:`buurtkaart.core.geo.snap`, so the app,
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
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or grid_m <= 0:
        msg = f"cannot coarsen point ({lat}, {lon}) on a {grid_m} m grid: out of range"
        raise InputError(msg)
    slat, slon = snap(lat, lon, grid_m)
    assert slat is not None and slon is not None
    return slat, slon


def overdue_reviews(actors: Iterable[Mapping[str, Any]], today: dt.date | None = None,
                    persons_only: bool = True) -> list[dict[str, Any]]:
    """Return the actors whose review date is today or earlier, oldest first.

    Persons without a review date are listed first (``review_date`` and
    ``days_overdue`` None): they are due now.

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
        if due is None and is_person(actor):  # a person without a date is due now
            rows.append({"id": actor.get("id"), "name": actor.get("name"),
                         "kind": actor.get("kind"), "review_date": None, "days_overdue": None})
        if due is None or due > ref:
            continue
        rows.append({"id": actor.get("id"), "name": actor.get("name"),
                     "kind": actor.get("kind"), "review_date": due.isoformat(),
                     "days_overdue": (ref - due).days})
    rows.sort(key=lambda r: (r["review_date"] or "", str(r["name"] or "")))
    return rows
