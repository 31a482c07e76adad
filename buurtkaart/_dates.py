"""One lenient date reader shared by the layers that read stored dates."""

from __future__ import annotations

from datetime import date, datetime


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
