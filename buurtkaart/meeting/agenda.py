"""Buurtagenda: dated and recurring items (iCalendar RRULE), upcoming occurrences, ICS.

An agenda record is ``id, map_id, title, start, rrule, place, category, lat, lon,
note``; ``start`` is an ISO date (all-day) or datetime, ``rrule`` an RFC 5545
recurrence rule such as ``FREQ=MONTHLY;BYDAY=1SA`` (with or without ``RRULE:``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import icalendar
from dateutil import rrule as du_rrule

from buurtkaart._errors import InputError
from buurtkaart.core.recurrence import check_rule, strip_rule

When = dt.date | dt.datetime

PRODID = "-//buurtkaart//buurtagenda//NL"

#: Bounds of one expansion: occurrences per item, days of the window, rule steps.
MAX_OCCURRENCES = 400
MAX_WINDOW_DAYS = 2 * 366
MAX_STEPS = 50_000
#: Years an agenda item may start in.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse_start(value: str | When) -> When:
    """Return the start of an item as a date (all-day) or a naive/aware datetime.

    Raises
    ------
    InputError
        When ``value`` is neither ``YYYY-MM-DD`` nor an ISO datetime.
    """
    if isinstance(value, dt.datetime | dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError as e:
        msg = f"agenda start {value!r} is not an ISO date (YYYY-MM-DD) or datetime"
        raise InputError(msg) from e


def _as_datetime(when: When) -> dt.datetime:
    if isinstance(when, dt.datetime):
        return when
    return dt.datetime.combine(when, dt.time())


def _strip(rule: str) -> str:
    return strip_rule(rule)


def build_rule(rule: str, start: When) -> du_rrule.rrule:
    """Parse and validate an RRULE string for an item starting at ``start``.

    Parameters
    ----------
    rule : str
        e.g. ``"FREQ=WEEKLY;BYDAY=WE"`` or ``"RRULE:FREQ=MONTHLY;BYDAY=1SA;COUNT=6"``.
    start : date or datetime
        The first occurrence (DTSTART).

    Raises
    ------
    InputError
        Naming the rule and the reason: not parseable, a frequency other than
        daily/weekly/monthly/yearly, or no occurrence at all.
    """
    text = _strip(rule)
    check_rule(text)
    dtstart = _as_datetime(start)
    if not FIRST_YEAR <= dtstart.year <= LAST_YEAR:
        msg = f"agenda start {start.isoformat()} is not between {FIRST_YEAR} and {LAST_YEAR}"
        raise InputError(msg)
    try:
        parsed = du_rrule.rrulestr(text, dtstart=dtstart, forceset=False)
    except (ValueError, TypeError, KeyError, IndexError) as e:
        msg = f"invalid RRULE {rule!r}: {e}"
        raise InputError(msg) from e
    if not isinstance(parsed, du_rrule.rrule):
        msg = f"invalid RRULE {rule!r}: expected a single recurrence rule"
        raise InputError(msg)
    if parsed.after(dtstart, inc=True) is None:
        msg = f"invalid RRULE {rule!r}: it yields no occurrence from {start.isoformat()}"
        raise InputError(msg)
    return parsed


def validate_item(item: dict[str, Any]) -> dict[str, Any]:
    """Check an agenda item before it is stored; return a cleaned copy.

    Raises
    ------
    InputError
        Empty title, bad start, invalid RRULE or coordinates.
    """
    out = dict(item)
    title = str(out.get("title") or "").strip()
    if not title:
        msg = "agenda item title is empty"
        raise InputError(msg)
    out["title"] = title
    start = parse_start(out.get("start") or "")
    out["start"] = start.isoformat()
    rule = out.get("rrule")
    if rule is not None and str(rule).strip():
        build_rule(str(rule), start)
        out["rrule"] = _strip(str(rule))
    else:
        out["rrule"] = None
    lat, lon = out.get("lat"), out.get("lon")
    if (lat is None) != (lon is None):
        msg = f"agenda item {title!r}: give both lat and lon or neither ({lat}, {lon})"
        raise InputError(msg)
    return out


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an agenda item."""

    when: When
    item: Mapping[str, Any]

    @property
    def day(self) -> dt.date:
        """The calendar day of the occurrence."""
        return self.when.date() if isinstance(self.when, dt.datetime) else self.when


def occurrences(item: Mapping[str, Any], start: dt.date, end: dt.date) -> list[Occurrence]:
    """Return the occurrences of one item on days ``start`` .. ``end`` (inclusive).

    Bounded whatever is stored: the window is cut to :data:`MAX_WINDOW_DAYS`
    days, at most :data:`MAX_OCCURRENCES` occurrences are returned and the
    rule is stepped at most :data:`MAX_STEPS` times from its start.
    """
    end = min(end, start + dt.timedelta(days=MAX_WINDOW_DAYS))
    first = parse_start(item["start"])
    all_day = not isinstance(first, dt.datetime)
    rule = item.get("rrule")
    if not rule:
        day = first.date() if isinstance(first, dt.datetime) else first
        return [Occurrence(first, item)] if start <= day <= end else []
    parsed = build_rule(str(rule), first)
    tz = first.tzinfo if isinstance(first, dt.datetime) else None
    lo = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    hi = dt.datetime.combine(end, dt.time.max, tzinfo=tz)
    found: list[Occurrence] = []
    for step, when in enumerate(parsed):
        if when > hi or step >= MAX_STEPS or len(found) >= MAX_OCCURRENCES:
            break
        if when >= lo:
            found.append(Occurrence(when.date() if all_day else when, item))
    return found


def upcoming(items: Iterable[Mapping[str, Any]], today: dt.date, days: int = 60,
             limit: int | None = None) -> list[Occurrence]:
    """Return the occurrences of all items from ``today`` for ``days`` days, in time order."""
    if days < 0:
        msg = f"days must be >= 0, got {days}"
        raise InputError(msg)
    end = today + dt.timedelta(days=days)
    occ = []
    for item in items:
        try:
            occ += occurrences(item, today, end)
        except InputError:  # a rule stored before the limits existed: shown nowhere
            continue
    occ.sort(key=lambda o: (_as_datetime(o.when).replace(tzinfo=None), o.item["title"]))
    return occ[:limit] if limit is not None else occ


def to_ics(items: Iterable[Mapping[str, Any]], calendar_name: str = "Buurtagenda",
           stamp: dt.datetime | None = None) -> bytes:
    """Return an iCalendar (RFC 5545) file with one VEVENT per agenda item.

    Recurring items carry their RRULE, so calendar apps expand them.
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", calendar_name)
    now = stamp or dt.datetime.now(dt.UTC)
    for item in items:
        cal.add_component(_event(item, now))
    return bytes(cal.to_ical())


def _event(item: Mapping[str, Any], stamp: dt.datetime) -> Any:
    start = parse_start(item["start"])
    event = icalendar.Event()
    event.add("uid", f"{item.get('id') or item['title']}@buurtkaart")
    event.add("dtstamp", stamp)
    event.add("summary", item["title"])
    event.add("dtstart", start)
    if not isinstance(start, dt.datetime):
        event.add("dtend", start + dt.timedelta(days=1))
    if item.get("rrule"):
        build_rule(str(item["rrule"]), start)
        event.add("rrule", icalendar.vRecur.from_ical(_strip(str(item["rrule"]))))
    if item.get("place"):
        event.add("location", item["place"])
    if item.get("category"):
        event.add("categories", [item["category"]])
    if item.get("note"):
        event.add("description", item["note"])
    if item.get("lat") is not None and item.get("lon") is not None:
        event.add("geo", (float(item["lat"]), float(item["lon"])))
    return event
