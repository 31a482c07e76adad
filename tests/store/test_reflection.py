"""Domain reflection: validation, scores over time, what moved since last time."""

from __future__ import annotations

from typing import Any

import pytest

from buurtkaart._errors import InputError
from buurtkaart.core import vocab
from buurtkaart.meeting.reflection import (
    domain_series,
    factor_history,
    latest_scores,
    moved_since,
    validate_reflection,
)
from buurtkaart.store import open_store


def r(date: str, domain: str, factor: str, score: int, dim: str | None = None) -> dict[str, Any]:
    return {"date": date, "domain": domain, "factor": factor, "score": score, "dimension": dim}


SCORES = [
    r("2026-03-01", "organisatie", "visie", 2), r("2026-03-01", "organisatie", "cultuur", 1),
    r("2026-03-01", "doelpubliek", "burgerschap", 3, "praktijk"),
    r("2026-06-01", "organisatie", "visie", 3), r("2026-06-01", "organisatie", "cultuur", 1),
    r("2026-06-01", "doelpubliek", "burgerschap", 2, "praktijk"),
    r("2026-11-01", "organisatie", "visie", 4), r("2026-11-01", "organisatie", "visie", 3),
]


def test_every_factor_of_the_method_is_accepted() -> None:
    n = 0
    for domain, factors in vocab.FACTORS.items():
        for factor in factors:
            validate_reflection(r("2026-01-01", domain, factor, 4, "beleid"))
            n += 1
    assert n == 5 + 8 + 4 + 7  # the four domains of the inclusietracker


@pytest.mark.parametrize(("rec", "reason"), [
    (r("2026-01-01", "buurt", "visie", 2), "domain 'buurt' is unknown"),
    (r("2026-01-01", "medewerkers", "cultuur", 2), "not a factor of domain 'medewerkers'"),
    (r("2026-01-01", "organisatie", "visie", 5), "whole number from 1 to 4"),
    (r("2026-01-01", "organisatie", "visie", 0), "whole number from 1 to 4"),
    ({**r("2026-01-01", "organisatie", "visie", 2), "score": "2.5"}, "whole number"),
    ({**r("2026-01-01", "organisatie", "visie", 2), "score": "veel"}, "is not a number"),
    (r("2026-01-01", "organisatie", "visie", 2, "geld"), "dimension 'geld' is unknown"),
    (r("maart", "organisatie", "visie", 2), "not a YYYY-MM-DD date"),
])
def test_bad_scores_are_refused(rec: dict[str, Any], reason: str) -> None:
    with pytest.raises(InputError) as err:
        validate_reflection(rec)
    assert reason in str(err.value)


def test_history_averages_same_day_scores() -> None:
    hist = factor_history(SCORES)
    assert hist[("organisatie", "visie", None)] == [
        ("2026-03-01", 2.0), ("2026-06-01", 3.0), ("2026-11-01", 3.5)]
    series = domain_series(SCORES)
    assert series["organisatie"] == [("2026-03-01", 1.5), ("2026-06-01", 2.0),
                                     ("2026-11-01", 3.5)]
    assert latest_scores(SCORES)[("doelpubliek", "burgerschap", "praktijk")] == \
        ("2026-06-01", 2.0)


def test_what_moved_since_last_time() -> None:
    moved = moved_since(SCORES)  # each factor's last two dates
    assert [(m.factor, m.before, m.after) for m in moved] == [
        ("burgerschap", 3.0, 2.0), ("visie", 3.0, 3.5)]
    since = moved_since(SCORES, since="2026-03-15")  # previous meeting in March
    assert [(m.factor, m.before, m.after, m.delta) for m in since] == [
        ("visie", 2.0, 3.5, 1.5), ("burgerschap", 3.0, 2.0, -1.0)]
    assert since[0].label("nl") == "Organisatie – Visie: 2 → 3.5"
    assert since[1].label("fr") == ("Public cible – Citoyenneté active et participation "
                                    "(Pratique): 3 → 2")
    assert moved_since(SCORES, since="2026-12-01") == []


def test_scores_round_trip_through_a_real_store(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        m = store.create_map("an", name="Molenbeek", org_name="", lat=50.85, lon=4.33)
        for rec in SCORES:
            store.add_reflection("an", m["id"], **validate_reflection(rec))
        stored = store.list_reflections(m["id"])
        assert len(stored) == len(SCORES)
        assert factor_history(stored) == factor_history(SCORES)
    finally:
        store.close()
