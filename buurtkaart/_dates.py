"""Date helpers shared by the layers: one lenient reader, month counts, newest record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any


def to_date(value: object) -> date | None:
    """Return a date from a date, datetime or ISO string (None when empty or unreadable)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


#: Mean length of a month in days (365.25 / 12, rounded as the filters always did).
MEAN_MONTH_DAYS = 30.44


def whole_months_between(earlier: date, later: date) -> int:
    """Return the number of whole calendar months from ``earlier`` to ``later``.

    A month counts once its day of the month is reached: 31 Jan -> 28 Feb is 0.
    """
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def months_elapsed(start: date, end: date) -> float:
    """Return the months from ``start`` to ``end`` as a fraction (days / 30.44)."""
    return (end - start).days / MEAN_MONTH_DAYS


def newest(records: Iterable[Mapping[str, Any]], key: str = "created_at") -> Any:
    """Return the record with the largest ``key`` (an ISO time), None when there is none.

    Used for "the newest import of a map": ties keep the first record met.
    """
    return max(records, key=lambda r: str(r.get(key) or ""), default=None)


def oldest_first(records: Iterable[Mapping[str, Any]],
                 key: str = "created_at") -> list[Any]:
    """Return the records sorted by ``key`` (an ISO time), oldest first (stable)."""
    return sorted(records, key=lambda r: str(r.get(key) or ""))
