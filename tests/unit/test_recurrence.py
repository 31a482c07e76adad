"""The recurrence picker's rules: words -> RRULE -> words, in nl, fr and en."""

from __future__ import annotations

import datetime as dt

import pytest

from buurtkaart._errors import InputError
from buurtkaart.meeting.agenda import occurrences
from buurtkaart.meeting.recurrence import (
    KINDS,
    Recurrence,
    default_for,
    describe,
    describe_rrule,
    from_rrule,
    to_rrule,
)

FIRST_SATURDAY = Recurrence("monthly_nth", weekdays=("SA",), nth=1)

CASES = [
    (FIRST_SATURDAY, "FREQ=MONTHLY;BYDAY=1SA",
     ("elke eerste zaterdag van de maand", "chaque premier samedi du mois",
      "every first Saturday of the month")),
    (Recurrence("weekly", weekdays=("TU",)), "FREQ=WEEKLY;BYDAY=TU",
     ("elke week op dinsdag", "chaque semaine le mardi", "every week on Tuesday")),
    (Recurrence("weekly", 2, ("TH", "MO")), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
     ("om de 2 weken op maandag en donderdag", "toutes les 2 semaines le lundi et jeudi",
      "every 2 weeks on Monday and Thursday")),
    (Recurrence("monthly_nth", weekdays=("FR",), nth=-1), "FREQ=MONTHLY;BYDAY=-1FR",
     ("elke laatste vrijdag van de maand", "chaque dernier vendredi du mois",
      "every last Friday of the month")),
    (Recurrence("monthly_day", monthday=1), "FREQ=MONTHLY;BYMONTHDAY=1",
     ("elke maand op de 1e", "chaque mois le 1er", "every month on the 1st")),
    (Recurrence("daily", 3), "FREQ=DAILY;INTERVAL=3",
     ("om de 3 dagen", "tous les 3 jours", "every 3 days")),
    (Recurrence("yearly"), "FREQ=YEARLY", ("elk jaar", "chaque année", "every year")),
]


@pytest.mark.parametrize(("rec", "rule", "words"), CASES)
def test_words_rule_words(rec: Recurrence, rule: str, words: tuple[str, str, str]) -> None:
    assert to_rrule(rec) == rule
    back = from_rrule(rule)
    assert back is not None
    assert to_rrule(back) == rule
    assert tuple(describe(back, lg) for lg in ("nl", "fr", "en")) == words
    assert describe_rrule(rule, "nl") == words[0]


def test_first_saturday_gives_first_saturdays() -> None:
    item = {"title": "Buurtontbijt", "start": "2026-12-05", "rrule": to_rrule(FIRST_SATURDAY)}
    days = [o.day for o in occurrences(item, dt.date(2026, 12, 1), dt.date(2027, 3, 31))]
    assert days == [dt.date(2026, 12, 5), dt.date(2027, 1, 2), dt.date(2027, 2, 6),
                    dt.date(2027, 3, 6)]
    assert all(d.weekday() == 5 and d.day <= 7 for d in days)


def test_defaults_follow_the_start_day() -> None:
    saturday = dt.date(2026, 12, 5)  # the first Saturday of December
    assert to_rrule(default_for("monthly_nth", saturday)) == "FREQ=MONTHLY;BYDAY=1SA"
    assert to_rrule(default_for("weekly", saturday)) == "FREQ=WEEKLY;BYDAY=SA"
    assert to_rrule(default_for("monthly_day", saturday)) == "FREQ=MONTHLY;BYMONTHDAY=5"
    fifth = dt.date(2026, 12, 29)  # the fifth Tuesday is the last one
    assert to_rrule(default_for("monthly_nth", fifth)) == "FREQ=MONTHLY;BYDAY=-1TU"
    assert to_rrule(default_for("none", saturday)) is None
    assert {default_for(k, saturday).kind for k in KINDS} == set(KINDS)


def test_rules_words_cannot_say_stay_as_they_are() -> None:
    odd = "FREQ=MONTHLY;BYSETPOS=2;BYDAY=MO,TU"
    assert from_rrule(odd) is None
    assert describe_rrule(odd, "fr") == odd
    assert from_rrule(None) == Recurrence("none")


def test_incomplete_choices_are_refused() -> None:
    with pytest.raises(InputError, match="weekday"):
        to_rrule(Recurrence("weekly"))
    with pytest.raises(InputError, match="interval"):
        to_rrule(Recurrence("daily", 0))
    with pytest.raises(InputError, match="kind"):
        default_for("fortnightly", dt.date(2026, 1, 1))
