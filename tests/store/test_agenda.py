"""Buurtagenda: RRULE validation, occurrences, ICS export parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest

from buurtkaart._errors import InputError
from buurtkaart.meeting.agenda import build_rule, occurrences, to_ics, upcoming, validate_item
from buurtkaart.store import open_store

MARKET: dict[str, Any] = {"id": "m1", "title": "Markt op het Gemeenteplein",
                          "start": "2026-01-07", "rrule": "FREQ=WEEKLY;BYDAY=WE",
                          "place": "Gemeenteplein", "category": "markt",
                          "lat": 50.8552, "lon": 4.3387, "note": "Elke woensdag"}
BULKY: dict[str, Any] = {"id": "g1", "title": "Grofvuilophaling", "start": "2026-01-03",
                         "rrule": "RRULE:FREQ=MONTHLY;BYDAY=1SA;COUNT=12", "place": ""}
OPEN_DAY: dict[str, Any] = {"id": "s1", "title": "Opendeurdag school",
                            "start": "2026-12-05T10:00:00", "rrule": None}


def _wednesdays(start: dt.date, end: dt.date) -> list[dt.date]:
    day = start + dt.timedelta(days=(2 - start.weekday()) % 7)
    out = []
    while day <= end:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


def _first_saturdays(year: int) -> list[dt.date]:
    out = []
    for month in range(1, 13):
        day = dt.date(year, month, 1)
        out.append(day + dt.timedelta(days=(5 - day.weekday()) % 7))
    return out


def test_weekly_occurrences_match_calendar_arithmetic() -> None:
    start, end = dt.date(2026, 11, 28), dt.date(2027, 1, 31)
    got = [o.when for o in occurrences(MARKET, start, end)]
    assert got == _wednesdays(start, end)


def test_monthly_first_saturday_with_count() -> None:
    got = [o.when for o in occurrences(BULKY, dt.date(2026, 1, 1), dt.date(2027, 12, 31))]
    assert got == _first_saturdays(2026)


def test_upcoming_merges_items_in_time_order() -> None:
    got = upcoming([MARKET, BULKY, OPEN_DAY], dt.date(2026, 11, 28), days=14)
    assert [(o.day.isoformat(), o.item["id"]) for o in got] == [
        ("2026-12-02", "m1"), ("2026-12-05", "g1"), ("2026-12-05", "s1"), ("2026-12-09", "m1")]
    assert upcoming([OPEN_DAY], dt.date(2026, 12, 6), days=30) == []
    with pytest.raises(InputError, match="days must be >= 0"):
        upcoming([MARKET], dt.date(2026, 1, 1), days=-1)


@pytest.mark.parametrize(("rule", "reason"), [
    ("FREQ=WEEKLYY;BYDAY=WE", "FREQ=WEEKLYY is not allowed"),
    ("BYDAY=MO", "FREQ is missing"),
    ("FREQ=MINUTELY", "FREQ=MINUTELY is not allowed"),
    ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
    ("FREQ=MONTHLY;COUNT=twee", "COUNT"),
    ("FREQ=DAILY;UNTIL=20200101", "yields no occurrence"),
    ("   ", "RRULE is empty"),
])
def test_invalid_rrule_has_a_clear_message(rule: str, reason: str) -> None:
    with pytest.raises(InputError, match="RRULE") as err:
        build_rule(rule, dt.date(2026, 1, 1))
    assert reason in str(err.value)
    if rule.strip():
        assert repr(rule) in str(err.value)


def test_validate_item() -> None:
    clean = validate_item({**BULKY})
    assert clean["rrule"] == "FREQ=MONTHLY;BYDAY=1SA;COUNT=12"
    assert validate_item({**OPEN_DAY, "rrule": ""})["rrule"] is None
    with pytest.raises(InputError, match="title is empty"):
        validate_item({**MARKET, "title": " "})
    with pytest.raises(InputError, match="not an ISO date"):
        validate_item({**MARKET, "start": "volgende woensdag"})
    with pytest.raises(InputError, match="invalid RRULE 'FREQ=SOMETIMES'"):
        validate_item({**MARKET, "rrule": "FREQ=SOMETIMES"})


def test_ics_round_trip() -> None:
    data = to_ics([MARKET, BULKY, OPEN_DAY], "Buurtagenda Molenbeek")
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "Buurtagenda Molenbeek"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"m1@buurtkaart", "g1@buurtkaart", "s1@buurtkaart"}
    market = events["m1@buurtkaart"]
    assert str(market["SUMMARY"]) == MARKET["title"]
    assert market.decoded("DTSTART") == dt.date(2026, 1, 7)
    assert market["RRULE"]["FREQ"] == ["WEEKLY"] and market["RRULE"]["BYDAY"] == ["WE"]
    assert str(market["LOCATION"]) == "Gemeenteplein"
    assert (market["GEO"].latitude, market["GEO"].longitude) == (50.8552, 4.3387)
    bulky = events["g1@buurtkaart"]
    assert bulky["RRULE"]["COUNT"] == [12]
    assert events["s1@buurtkaart"].decoded("DTSTART") == dt.datetime(2026, 12, 5, 10, 0)
    assert "RRULE" not in events["s1@buurtkaart"]


def test_agenda_items_from_a_real_store(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        m = store.create_map("an", name="Molenbeek", org_name="", lat=50.8552, lon=4.3387)
        for item in (MARKET, BULKY, OPEN_DAY):
            fields = {k: v for k, v in validate_item(item).items() if k != "id"}
            store.add_agenda_item("an", m["id"], **fields)
        items = store.list_agenda(m["id"])
        got = upcoming(items, dt.date(2026, 11, 28), days=14)
        assert [o.item["title"] for o in got] == [
            MARKET["title"], BULKY["title"], OPEN_DAY["title"], MARKET["title"]]
        cal = icalendar.Calendar.from_ical(to_ics(items))
        assert len(list(cal.walk("VEVENT"))) == 3
    finally:
        store.close()
