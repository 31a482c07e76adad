"""Attack: an agenda rule that repeats every second (20 s and 1.1 GB per page view).

Rules more frequent than daily are refused on every path (the domain and the
store's write path); expanding any stored rule is bounded in count, window
and steps, measured with tracemalloc (memory, not speed).
"""

from __future__ import annotations

import datetime as dt
import tracemalloc

import pytest
import sqlalchemy as sa

from buurtkaart._errors import InputError
from buurtkaart.meeting import agenda
from buurtkaart.store import Store

BOMBS = [
    "FREQ=SECONDLY",
    "FREQ=MINUTELY;INTERVAL=1",
    "FREQ=HOURLY",
    "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23",
    "FREQ=DAILY;BYMINUTE=" + ",".join(str(m) for m in range(60)),
    "RRULE:FREQ=WEEKLY;BYSECOND=" + ",".join(str(s) for s in range(60)),
]


@pytest.mark.parametrize("rule", BOMBS)
def test_rules_more_frequent_than_daily_are_refused(rule: str) -> None:
    with pytest.raises(InputError, match=r"not allowed|more than once a day"):
        agenda.validate_item({"title": "Bom", "start": "2026-12-01T10:00", "rrule": rule})


def test_the_store_refuses_them_on_every_path(store: Store) -> None:
    the_map = store.create_map("an", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    with pytest.raises(InputError, match="more than once a day"):
        store.add_agenda_item("an", the_map["id"], title="Bom", start="2026-12-01T10:00",
                              rrule=BOMBS[3])
    ok = store.add_agenda_item("an", the_map["id"], title="Markt", start="2026-12-01T10:00",
                               rrule="FREQ=WEEKLY;BYDAY=SA;BYHOUR=9")
    with pytest.raises(InputError, match="not allowed"):
        store.update_agenda_item("an", ok["id"], {"rrule": "FREQ=SECONDLY"})


def test_a_stored_bomb_costs_a_bounded_expansion(store: Store) -> None:
    the_map = store.create_map("an", name="Buurthuis", org_name="Vzw", lat=50.85, lon=4.34)
    store.add_agenda_item("an", the_map["id"], title="Dagelijks", start="1900-01-01",
                          rrule="FREQ=DAILY")
    bomb = store.add_agenda_item("an", the_map["id"], title="Bom", start="2026-01-01",
                                 rrule="FREQ=DAILY")
    every_second = BOMBS[4] + ";BYHOUR=" + ",".join(map(str, range(24))) + ";BYSECOND=" + (
        ",".join(map(str, range(60))))
    with store.transaction() as conn:  # a rule stored by an older version, unchecked
        conn.execute(sa.text("UPDATE agenda SET rrule = :r WHERE id = :i"),
                     {"r": every_second, "i": bomb["id"]})
    items = store.list_agenda(the_map["id"])
    tracemalloc.start()
    try:
        occ = agenda.upcoming(items, dt.date(2026, 12, 1), days=100 * 365)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 0 < len(occ) <= agenda.MAX_OCCURRENCES  # the daily one, bounded; the bomb skipped
    assert {o.item["title"] for o in occ} == {"Dagelijks"}
    assert peak < 50 * 2**20


def test_expansion_window_and_count_are_bounded() -> None:
    item = {"title": "Elke dag", "start": "2026-01-01", "rrule": "FREQ=DAILY"}
    occ = agenda.occurrences(item, dt.date(2026, 1, 1), dt.date(2126, 1, 1))
    assert len(occ) == agenda.MAX_OCCURRENCES
    assert occ[-1].day <= dt.date(2026, 1, 1) + dt.timedelta(days=agenda.MAX_WINDOW_DAYS)
    with pytest.raises(InputError, match="between 1900 and 2200"):
        agenda.validate_item({"title": "Oud", "start": "0001-01-01", "rrule": "FREQ=DAILY"})
