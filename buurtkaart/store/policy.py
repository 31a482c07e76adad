"""The privacy policy of actors, applied by the one write path to every actor write.

This is the one place of the person rules (``docs/privacy.md``); the write path
(:func:`buurtkaart.store.write.apply_op`) calls :func:`actor_rules` on every
insert and update of an actor, so the app, the CLI, every importer and any
future API get them alike:

* a person is team-internal by default (``privacy="team"``), also when an
  existing actor becomes a person and the same change sets no privacy;
* a person's location is coarse (snapped to a 100 m grid) unless it is exact
  *with a reason*; the reason is kept as the tag ``exact_location_reason:<reason>``
  and given to a write as the pseudo-field ``location_reason``;
* a person gets a review (retention) date, :data:`REVIEW_MONTHS` months ahead.

Other actors default to ``privacy="public"`` and an exact location. The
*permission* to store an exact location (``set_exact_location``) is checked by
the guard, not here. Pure functions: dicts in, dicts out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from buurtkaart.core.geo import COARSE_GRID_M, snap

#: Tag prefix keeping the reason for a person's exact location.
REASON_TAG = "exact_location_reason:"
#: Pseudo-field of an actor write carrying that reason (not a column).
REASON_FIELD = "location_reason"
#: Side of the grid cell persons are snapped to, in metres.
GRID_M = COARSE_GRID_M
#: Months until a new person's review date.
REVIEW_MONTHS = 12


def is_person(actor: Mapping[str, Any]) -> bool:
    """Return whether the actor record is a person."""
    return actor.get("kind") == "person"


def exact_reason(actor: Mapping[str, Any]) -> str:
    """Return the reason kept in an actor's tags for its exact location ('' when none)."""
    for tag in actor.get("tags") or []:
        text = str(tag)
        if text.startswith(REASON_TAG) and text[len(REASON_TAG):].strip():
            return text[len(REASON_TAG):].strip()
    return ""


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


def with_reason(tags: list[Any] | None, reason: str) -> list[Any]:
    """Return ``tags`` with the exact-location reason replaced by ``reason``."""
    kept = [t for t in tags or [] if not str(t).startswith(REASON_TAG)]
    return [*kept, f"{REASON_TAG}{reason.strip()}"]


def actor_rules(record: Mapping[str, Any], *, changes: Mapping[str, Any] | None = None,
                current: Mapping[str, Any] | None = None, reason: str = "",
                today: dt.date | None = None) -> dict[str, Any]:
    """Return a full actor record with the privacy policy applied.

    Parameters
    ----------
    record : Mapping
        The full record to write (coerced, defaults filled in).
    changes : Mapping, optional
        For an update: the fields the caller set (a kind that *becomes*
        ``person`` resets the privacy to ``team`` unless this sets one).
    current : Mapping, optional
        For an update: the stored record before the change.
    reason : str
        Reason for an exact location (the ``location_reason`` pseudo-field).
    today : datetime.date, optional
        Reference day of the review date (default: today).

    Returns
    -------
    dict
        A new record: privacy, location precision, coarse lat/lon, review date
        and the reason tag set by the rules.
    """
    out = dict(record)
    person = is_person(out)
    if reason.strip():
        out["tags"] = with_reason(out.get("tags"), reason)
    became = person and current is not None and not is_person(current)
    if out.get("privacy") is None or (became and "privacy" not in (changes or {})):
        out["privacy"] = "team" if person else "public"
    if out.get("location_precision") is None:
        out["location_precision"] = "coarse" if person else "exact"
    if person and out["location_precision"] == "exact" and not exact_reason(out):
        out["location_precision"] = "coarse"
    if out["location_precision"] == "coarse":
        out["lat"], out["lon"] = snap(out.get("lat"), out.get("lon"))
    if person and not out.get("review_date"):
        out["review_date"] = default_review_date(today).isoformat()
    return out
