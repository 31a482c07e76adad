"""Date helpers on plain values: the two month counts and the newest record."""

from __future__ import annotations

from datetime import date

import pytest

from buurtkaart._dates import months_elapsed, newest, oldest_first, whole_months_between


def test_whole_months_count_a_month_once_its_day_is_reached() -> None:
    assert whole_months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert whole_months_between(date(2026, 1, 15), date(2026, 2, 15)) == 1
    assert whole_months_between(date(2025, 11, 20), date(2026, 6, 19)) == 6
    assert whole_months_between(date(2026, 3, 1), date(2026, 3, 1)) == 0
    assert whole_months_between(date(2026, 5, 1), date(2026, 3, 1)) == -2


def test_months_elapsed_is_days_over_the_mean_month() -> None:
    assert months_elapsed(date(2026, 1, 1), date(2026, 1, 1)) == 0.0
    assert months_elapsed(date(2025, 1, 1), date(2026, 1, 1)) == pytest.approx(365 / 30.44)
    # the two meanings differ: 31 Jan -> 28 Feb is 0 whole months but 0.92 elapsed
    assert months_elapsed(date(2026, 1, 31), date(2026, 2, 28)) == pytest.approx(0.92, abs=0.01)


def test_newest_and_oldest_first_order_by_creation_time() -> None:
    imports = [{"id": "b", "created_at": "2026-03-01T10:00:00.000000+00:00"},
               {"id": "c", "created_at": "2026-05-01T10:00:00.000000+00:00"},
               {"id": "a", "created_at": "2026-01-01T10:00:00.000000+00:00"}]
    assert newest(imports)["id"] == "c"
    assert [i["id"] for i in oldest_first(imports)] == ["a", "b", "c"]
    assert newest([]) is None and oldest_first([]) == []
    assert newest([{"id": "x"}, {"id": "y", "created_at": "2026"}])["id"] == "y"
    assert newest([{"id": 1, "day": "2026-02"}, {"id": 2, "day": "2026-01"}], key="day")["id"] == 1
